"""Tracing I: self-checking kprobe programs, on the golden model (and the RTL, slow).

Each program under tests/programs/probes/ checks itself (exit 0 = every check held; a
failing check prints `FAIL n` and exits with n). Scenarios: linux-tracing-notes.md §7.
The helpers here are shared by test_kretprobes, test_uprobes, test_hwbp and
test_probe_errors: the same ELF runs with `--engine model` or `--engine rtl` (the RTL
in lockstep with the model, every retirement compared).
"""
import functools
from pathlib import Path

import pytest
from elftools.elf.elffile import ELFFile

from asmutil import needs_gcc
import asmutil

pytestmark = needs_gcc
PROBES = Path(__file__).parent / "programs" / "probes"
COMMON = [PROBES / "insns.S", PROBES / "trapcount.S"]
RTL_MAX_CYCLES = 3_000_000


spcore = functools.partial(asmutil.spcore, timeout=600)


def build(tmp_path, name, xlen, *opts):
    tag = "".join(o.strip("-") for o in opts)
    elf = tmp_path / f"{name}{xlen}{tag}.elf"
    r = spcore("build", PROBES / f"{name}.c", *COMMON, "--xlen", xlen, *opts, "-o", elf)
    assert r.returncode == 0, r.stderr
    return elf


def run(elf, engine="model"):
    if engine == "rtl":
        return spcore("run", elf, "--engine", "rtl", "--max-cycles", RTL_MAX_CYCLES,
                      timeout=3600)
    return spcore("run", elf)


def build_and_run(tmp_path, name, xlen, *opts, engine="model"):
    return run(build(tmp_path, name, xlen, *opts), engine)


def assert_passed(r):
    assert r.returncode == 0 and "PASS" in r.stdout, r.stdout[-2000:] + r.stderr


def symbols(elf):
    with open(elf, "rb") as f:
        tab = ELFFile(f).get_section_by_name(".symtab")
        return {s.name: s["st_value"] for s in tab.iter_symbols() if s.name}


@pytest.mark.parametrize("xlen", [32, 64])
@pytest.mark.parametrize("name", ["kprobe_basic", "kprobe_simulate", "kprobe_reenter"])
def test_kprobe_scenarios(name, xlen, tmp_path):
    assert_passed(build_and_run(tmp_path, name, xlen))


@pytest.mark.parametrize("xlen", [32, 64])
def test_kprobe_scenarios_without_xspc(xlen, tmp_path):
    """No Xspc: every XOL slot is an ebreak slot (the boosted one is not used)."""
    assert_passed(build_and_run(tmp_path, "kprobe_basic", xlen, "--no-spc"))


@pytest.mark.parametrize("xlen", [32, 64])
def test_reentry_during_single_step_is_fatal(xlen, tmp_path):
    r = build_and_run(tmp_path, "kprobe_reenter_fatal", xlen)
    assert r.returncode == 1
    assert "Failed to recover from reentered kprobes" in r.stdout


def listings(stdout):
    out, cur = [], None
    for line in stdout.splitlines():
        if line == "LIST-BEGIN":
            cur = []
        elif line == "LIST-END":
            out.append(cur)
            cur = None
        elif cur is not None:
            cur.append(line)
    return out


@pytest.mark.parametrize("xlen", [32, 64])
def test_kprobes_list_format(xlen, tmp_path):
    """Linux's report_probe: "%px  %s  %s+0x%x  %s " (module name " "), then the flags."""
    elf = build(tmp_path, "kprobe_list", xlen)
    r = run(elf)
    assert_passed(r)
    sym = symbols(elf)
    width = xlen // 4

    def line(addr_sym, typ, func, flags=""):
        a = sym[addr_sym]
        return f"{a:0{width}x}  {typ}  {func}+{a - sym[func]:#x}    {flags}"

    first, second, last = listings(r.stdout)
    assert first == [line("p_slli", "k", "alu_mix"),
                     line("loop_count", "r", "loop_count"),
                     line("p_auipc", "k", "sim_auipc", "[DISABLED]"),
                     line("p_xori", "k", "alu_mix", "[HWBP]"),
                     line("p_loop_br", "k", "loop_count")]
    assert second == [line("p_slli", "k", "alu_mix", "[DISABLED]"),
                      line("p_auipc", "k", "sim_auipc"),
                      line("p_xori", "k", "alu_mix", "[HWBP]")]
    assert last == []


STORE_SIZE = {"sb": 1, "sh": 2, "sw": 4, "sd": 8, "c.sw": 4, "c.sd": 8, "c.swsp": 4,
              "c.sdsp": 8}


def stale_fetches(trace):
    """Instructions executed from bytes stored since the last fence.i (scenario 8: the
    patcher must fence.i before patched text, or a filled XOL slot, runs)."""
    dirty, stale = set(), []
    for line in open(trace):
        f = line.split()
        if f[0] != "core":                       # the trap lines under a trapped insn
            continue
        pc = int(f[3], 16)
        insn = f[4].strip("()")
        length = (len(insn) - 2) // 2
        if any(pc + i in dirty for i in range(length)):
            stale.append(line.strip())
        if "fence.i" in f:
            dirty.clear()
        elif "mem" in f:
            m = f.index("mem")
            size = STORE_SIZE.get(f[m + 3])
            if size:
                addr = int(f[m + 1], 16)
                dirty.update(range(addr, addr + size))
    return stale


@pytest.mark.parametrize("name,xlen", [("kprobe_basic", 32), ("uprobe", 64)])
def test_patched_text_is_fenced(name, xlen, tmp_path):
    elf = build(tmp_path, name, xlen)
    trace = tmp_path / "trace.txt"
    r = spcore("run", elf, "--quiet", "--trace", trace)
    assert r.returncode == 0, r.stdout[-2000:] + r.stderr
    assert stale_fetches(trace) == []


@pytest.mark.slow
@pytest.mark.parametrize("xlen", [32, 64])
def test_kprobe_basic_rtl_lockstep(xlen, tmp_path):
    assert_passed(build_and_run(tmp_path, "kprobe_basic", xlen, engine="rtl"))


@pytest.mark.parametrize("xlen", [32, 64])
def test_linux_style_module(xlen, tmp_path):
    """A probe user written as a Linux kprobes module (module_init/module_exit,
    module_param_string, NOKPROBE_SYMBOL, ktime, current->mm, pr_info) builds and runs
    unchanged; the handlers' own functions are refused."""
    r = build_and_run(tmp_path, "linux_module", xlen)
    assert_passed(r)
    assert "Planted kprobe at" in r.stdout and "<sum_squares> p->addr = 0x" in r.stdout
    assert "sum_cubes(4) returned 100 and took" in r.stdout
    assert "unregistered, missed 0" in r.stdout
