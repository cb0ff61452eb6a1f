"""Optprobes (TRACING.md mechanism 5, linux-tracing-notes.md section 7 scenarios
18-21) for each flavour of `spcore build --optprobe`, RV32 and RV64, on the model.

tests/programs/optprobes/optprobe_test.c checks itself: which probes are optimized and
the bytes each replaces, no trap per hit, every register bit-identical after the detour
and as the handler saw it (opt_targets.S fills them with patterns), hit counts equal to
a breakpoint probe at the same address, results as unprobed, each refusal, a second
probe in the window, nmissed, disable/enable, the exact bytes back after unregister.
Here we also decode the patched site it prints, with addresses from the ELF: a
`c.jall x0` (spc) or `auipc t1 ; jalr x0` (classic: t1 is the only register that
opt_add_fn writes before reading after the site) into a detour buffer."""
import re
from pathlib import Path

import pytest
from elftools.elf.elffile import ELFFile

from asmutil import needs_gcc, spcore

pytestmark = needs_gcc
PROGRAMS = Path(__file__).parent / "programs"
SOURCES = [PROGRAMS / "optprobes" / "optprobe_test.c", PROGRAMS / "optprobes" / "opt_targets.S",
           PROGRAMS / "probes" / "trapcount.S"]
C_NOP = 0x0001


def build(tmp_path, flavour, xlen, *extra):
    elf = tmp_path / f"opt_{flavour}_{xlen}.elf"
    r = spcore("build", *SOURCES, "--xlen", xlen, "--optprobe", flavour, *extra, "-o", elf)
    assert r.returncode == 0, r.stderr
    return elf


def symbols(elf):
    with open(elf, "rb") as f:
        return {s.name: s for s in ELFFile(f).get_section_by_name(".symtab").iter_symbols()}


def sext(v, bits):
    return v - (1 << bits) if v >> (bits - 1) else v


def check_site(stdout, syms, flavour):
    m = re.search(r"site opt_add_at: ([0-9a-f]{4}) ([0-9a-f]{4}) ([0-9a-f]{4}) ([0-9a-f]{4})",
                  stdout)
    assert m, stdout
    h = [int(x, 16) for x in m.groups()]
    site = syms["opt_add_at"]["st_value"]
    if flavour == "spc":
        assert h[0] == 0x001f                         # c.jall x0, S=0
        target = h[1] | h[2] << 16
        assert h[3] == C_NOP
    else:
        auipc, jalr = h[0] | h[1] << 16, h[2] | h[3] << 16
        assert auipc & 0x7f == 0x17 and (auipc >> 7) & 31 == 6          # auipc t1
        assert jalr & 0x707f == 0x67 and (jalr >> 7) & 31 == 0          # jalr x0, ..(t1)
        assert (jalr >> 15) & 31 == 6
        target = site + sext(auipc & 0xfffff000, 32) + sext(jalr >> 20, 12)
    detour, entry = syms["detour"], (syms["optprobe_template_entry"]["st_value"] -
                                     syms["optprobe_template"]["st_value"])
    start = detour["st_value"]
    assert start <= target - entry < start + detour["st_size"]


@pytest.mark.parametrize("xlen", [32, 64])
@pytest.mark.parametrize("flavour,flags", [
    ("classic", []), ("classic", ["--no-spc", "--no-jall"]), ("spc", []), ("none", []),
    ("none", ["--no-spc"]),            # breakpoint probes take two traps per hit here
])
def test_optprobes(flavour, flags, xlen, tmp_path):
    elf = build(tmp_path, flavour, xlen, *flags)
    r = spcore("run", elf)
    assert r.returncode == 0, r.stdout[-3000:] + r.stderr
    assert "optprobe test: all checks passed" in r.stdout
    line = [ln for ln in r.stdout.splitlines() if re.search(r"\bk\s+opt_add_fn\+0x4\b", ln)]
    assert len(line) == 1, r.stdout
    if flavour == "none":
        assert "[OPTIMIZED]" not in line[0] and "optimized (" not in r.stdout
        return
    assert line[0].rstrip().endswith("[OPTIMIZED]"), line[0]
    check_site(r.stdout, symbols(elf), flavour)
    # the per-site byte count the bench reads (printk line of each optimization)
    assert f"opt_rvc_fn+0x0/0x16 optimized ({flavour}, bytes={10 if flavour == 'classic' else 6})" \
        in r.stdout


@pytest.mark.parametrize("flavour,xlen,flags", [
    ("classic", 32, []), ("classic", 64, []), ("spc", 32, []), ("spc", 64, []),
    # with ftrace sites in the functions (probes at a site go through ftrace instead)
    ("classic", 32, ["--ftrace", "mcount"]), ("spc", 64, ["--ftrace", "jall"]),
])
def test_probe_every_instruction_of_compiled_functions(flavour, xlen, flags, tmp_path):
    """optprobe_sweep.c: a probe at each instruction of gcc-built functions, one at a
    time; results as unprobed and hits as a breakpoint probe's, wherever the optimizer
    said yes."""
    elf = tmp_path / f"sweep_{flavour}_{xlen}.elf"
    r = spcore("build", PROGRAMS / "optprobes" / "optprobe_sweep.c",
               PROGRAMS / "probes" / "trapcount.S", "--xlen", xlen, "--optprobe", flavour,
               *flags, "-o", elf)
    assert r.returncode == 0, r.stderr
    r = spcore("run", elf)
    assert r.returncode == 0, r.stdout[-3000:] + r.stderr
    assert "optprobe sweep: all checks passed" in r.stdout


@pytest.mark.parametrize("flavour", ["classic", "spc"])
def test_detour_interrupted_by_a_handler_that_traps(flavour, tmp_path):
    """Timer interrupts in the detour whose handler hits a breakpoint probe (a trap
    inside a trap). spc: the interrupted detour's pending shadow jump (mspc/mspctrig)
    must survive the nested trap: trap_entry saves them in pt_regs like mepc."""
    elf = build(tmp_path, flavour, 64, "-D", "OPT_NESTED_TRAP")
    r = spcore("run", elf, "--max-insns", 20_000_000)
    assert r.returncode == 0, r.stdout[-3000:] + r.stderr
    assert "optprobe test: all checks passed" in r.stdout


@pytest.mark.parametrize("flags", [["--no-spc"], ["--no-jall"]])
def test_spc_flavour_needs_the_extensions(flags, tmp_path):
    r = spcore("build", *SOURCES, "--optprobe", "spc", *flags, "-o", tmp_path / "x.elf")
    assert r.returncode != 0
    assert "needs Xjall and Xspc" in r.stderr and "Traceback" not in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1


@pytest.mark.slow
@pytest.mark.parametrize("flavour,xlen", [("classic", 32), ("spc", 64)])
def test_optprobes_rtl(flavour, xlen, tmp_path):
    """The program's hit-count part (no trap per hit, hits equal to a breakpoint probe's,
    results as unprobed, bytes back) on the RTL, in lockstep with the model; the rest is
    too long for the RTL engine's few hundred instructions/s."""
    elf = build(tmp_path, flavour, xlen, "-D", "OPT_QUICK")
    r = spcore("run", elf, "--engine", "rtl", "--max-cycles", 1000000, timeout=5400)
    assert r.returncode == 0, r.stdout[-3000:] + r.stderr
    assert "optprobe test: all checks passed (quick)" in r.stdout
