"""ftrace on every call-site scheme, RV32 and RV64, on the golden model (issue 7;
linux-tracing-notes §7 scenarios 13-15).

tests/programs/trace/ftrace_test.c checks itself (ip/parent/arguments seen by the
callback, callee-saved registers, gp/tp/sp kept across a traced call, filters, the site
flipped live while the traced function runs in a timer interrupt, the list walker's
recursion guard, function graph over recursion). Here we also check the bytes of the
site in each state against encodings computed from the ELF's symbols."""
import re
import subprocess
import sys
from pathlib import Path

import pytest
from elftools.elf.elffile import ELFFile

from asmutil import needs_gcc, spcore

pytestmark = needs_gcc
PROGRAMS = Path(__file__).parent / "programs" / "trace"
SCHEMES = ["mcount", "ra-stack", "t0", "call-ops", "jall"]
# (bytes of the site from its ip, bytes written per enable/disable) as in TRACING.md 3
SITE = {"mcount": (8, 8), "ra-stack": (16, 16), "t0": (8, 8), "call-ops": (8, 4),
        "jall": (6, 4)}
NOP = 0x00000013


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    """(scheme, xlen) -> (console text, symbols, text bytes), built and run once."""
    cache = {}
    out = tmp_path_factory.mktemp("ftrace")

    def get(scheme, xlen):
        if (scheme, xlen) not in cache:
            elf = out / f"ftrace_{scheme}_{xlen}.elf"
            r = spcore("build", PROGRAMS / "ftrace_test.c", PROGRAMS / "regcheck.S",
                       "--xlen", xlen, "--ftrace", scheme, "-o", elf)
            assert r.returncode == 0, r.stderr
            run = spcore("run", elf)
            with open(elf, "rb") as f:
                e = ELFFile(f)
                syms = {s.name: s["st_value"] for s in e.get_section_by_name(".symtab").iter_symbols()
                        if s.name}
                text = e.get_section_by_name(".text")
                image = (text["sh_addr"], text.data())
            cache[(scheme, xlen)] = (run, syms, image)
        return cache[(scheme, xlen)]
    return get


def auipc(rd, hi):
    return ((hi & 0xfffff) << 12) | (rd << 7) | 0x17


def jalr(rd, rs1, lo):
    return ((lo & 0xfff) << 20) | (rs1 << 15) | (rd << 7) | 0x67


def pair(pc, target):
    off = target - pc
    hi = (off + 0x800) >> 12
    return hi, off - (hi << 12)


def halfwords(words):
    out = []
    for w in words:
        out += [w & 0xffff, w >> 16]
    return out


def mcount_site(image, func):
    """The auipc ra/jalr ra pair to _mcount in func's prologue, found in the ELF bytes."""
    base, data = image
    for off in range(func - base, func - base + 64, 2):
        a = int.from_bytes(data[off:off + 4], "little")
        j = int.from_bytes(data[off + 4:off + 8], "little")
        if a & 0xfff == 0x097 and j & 0xfffff == 0x080e7:
            return base + off
    raise AssertionError("no _mcount call in the prologue")


def dumped(console, phase):
    m = re.search(rf"^bytes {phase} sum8 ([0-9a-f]+) ([0-9a-f]+)$", console, re.M)
    assert m, f"no '{phase}' dump"
    hexs = m.group(2)
    return int(m.group(1), 16), [int(hexs[i:i + 4], 16) for i in range(0, len(hexs), 4)]


@pytest.mark.parametrize("xlen", [32, 64])
@pytest.mark.parametrize("scheme", SCHEMES)
def test_scheme_self_checks(runs, scheme, xlen):
    run, syms, _ = runs(scheme, xlen)
    assert run.returncode == 0, run.stdout[-800:] + run.stderr
    assert "ftrace ok" in run.stdout
    size, patched = SITE[scheme]
    assert f"scheme {scheme} sites " in run.stdout
    assert f"site_size {size} patch_bytes {patched}" in run.stdout
    # the recorded parent is inside main, as kallsyms names it
    assert re.search(r"^parent main\+0x[0-9a-f]+/", run.stdout, re.M)
    m = re.search(r"live flips (\d+) timer_calls (\d+) counted (\d+) enabled (\d+)",
                  run.stdout)
    flips, calls, counted, enabled = map(int, m.groups())
    # every call made while the site was enabled was seen, and no other; the site
    # really was flipped while the interrupts came (0 < enabled < calls is checked by
    # test_ftrace_graph.py, whose timing makes it certain)
    assert calls == 40 and flips > 40 and counted == enabled > 0


@pytest.mark.parametrize("xlen", [32, 64])
@pytest.mark.parametrize("scheme", SCHEMES)
def test_site_bytes(runs, scheme, xlen):
    run, syms, image = runs(scheme, xlen)
    assert run.returncode == 0, run.stdout[-800:]
    caller = syms["ftrace_caller"]
    ip = mcount_site(image, syms["sum8"]) if scheme == "mcount" else syms["sum8"]
    hi, lo = pair(ip, caller)
    if scheme in ("mcount", "ra-stack", "t0"):
        off = 8                                   # dump starts at ip-8; compare the site only
        n = SITE[scheme][0] // 2
        disabled = halfwords([NOP] * (n // 2))
        if scheme == "mcount":
            enabled = halfwords([auipc(1, hi), jalr(1, 1, lo)])
        elif scheme == "t0":
            enabled = halfwords([auipc(5, hi), jalr(5, 5, lo)])
        else:
            hi, lo = pair(ip + 4, caller)
            save, load = (0xfe113c23, 0xff813083) if xlen == 64 else (0xfe112e23, 0xffc12083)
            enabled = halfwords([save, auipc(1, hi), jalr(1, 1, lo), load])
        for phase, want in (("boot", disabled), ("enabled", enabled),
                            ("disabled", disabled), ("final", disabled)):
            at, hw = dumped(run.stdout, phase)
            assert at == ip
            assert hw[off // 2:off // 2 + n] == want, phase
    elif scheme == "call-ops":
        assert ip % 8 == 0
        nop_ops, rec = syms["ftrace_nop_ops"], syms["record_ops"]
        lit = lambda v: [v & 0xffff, (v >> 16) & 0xffff, (v >> 32) & 0xffff, v >> 48]
        fixed = halfwords([auipc(5, hi)])
        at, hw = dumped(run.stdout, "boot")
        assert at == ip and hw[:4] == lit(nop_ops) and hw[4:6] == fixed
        assert hw[6:8] == halfwords([NOP])
        at, hw = dumped(run.stdout, "enabled")     # only record_ops: its address inline
        assert hw[:4] == lit(rec) and hw[4:6] == fixed and hw[6:8] == halfwords([jalr(5, 5, lo)])
        at, hw = dumped(run.stdout, "disabled")    # only the jalr flipped back
        assert hw[:4] == lit(rec) and hw[4:6] == fixed and hw[6:8] == halfwords([NOP])
    else:                                          # jall
        assert ip % 4 == 2                          # so the literal at ip+2 is aligned
        cj = (5 << 7) | 0x1f                        # c.jall t0, S=0
        at, hw = dumped(run.stdout, "boot")
        assert hw[4:7] == [cj, (ip + 6) & 0xffff, (ip + 6) >> 16]
        at, hw = dumped(run.stdout, "enabled")
        assert hw[4:7] == [cj, caller & 0xffff, caller >> 16]
        at, hw = dumped(run.stdout, "disabled")
        assert hw[4:7] == [cj, (ip + 6) & 0xffff, (ip + 6) >> 16]
    # the code around the site is untouched: the bytes after it match the ELF
    base, data = image
    at, hw = dumped(run.stdout, "final")
    end = ip + SITE[scheme][0]
    tail = [int.from_bytes(data[a - base:a - base + 2], "little")
            for a in range(end, ip + 16, 2)]
    assert hw[(end - ip + 8) // 2:] == tail


@pytest.mark.slow
@pytest.mark.parametrize("scheme,xlen", [("ra-stack", 32), ("mcount", 32), ("call-ops", 32)])
def test_scheme_rtl_lockstep(tmp_path, scheme, xlen):
    """The self-checking program on the RTL in lockstep with the model: the patched
    sites are fetched by the pipeline after fence.i (interrupt timing differs from the
    model's, so only the self-checks and the live-flip consistency are compared)."""
    elf = tmp_path / f"ftrace_{scheme}_{xlen}.elf"
    r = spcore("build", PROGRAMS / "ftrace_test.c", PROGRAMS / "regcheck.S",
               "--xlen", xlen, "--ftrace", scheme, "-o", elf)
    assert r.returncode == 0, r.stderr
    run = subprocess.run([sys.executable, "-m", "spcore.cli", "run", "--engine", "rtl", elf],
                         capture_output=True, text=True, timeout=3600)
    assert run.returncode == 0, run.stdout[-800:] + run.stderr
    assert "ftrace ok" in run.stdout
    m = re.search(r"live flips (\d+) timer_calls (\d+) counted (\d+) enabled (\d+)",
                  run.stdout)
    flips, calls, counted, enabled = map(int, m.groups())
    assert calls == 40 and counted == enabled > 0
