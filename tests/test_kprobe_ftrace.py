"""Kprobes on ftrace (TRACING.md mechanism 4, linux-tracing-notes.md section 7 scenario
16) on every ftrace call-site scheme, RV32 and RV64, on the golden model.

tests/programs/kprobe_ftrace/kprobe_ftrace_test.c checks itself (no trap per hit, the
FTRACE flag, epc seen by pre/post handler, nmissed, redirect, disable/enable, refusal
inside the site, bytes back after unregister). Here we also check the listing line:
`[FTRACE]` at +0x0 for the patchable-entry schemes, and for mcount at the offset of the
`auipc ra ; jalr ra` call to _mcount that we find ourselves in the ELF."""
import re
from pathlib import Path

import pytest
from elftools.elf.elffile import ELFFile

from asmutil import needs_gcc, spcore

pytestmark = needs_gcc
PROGRAMS = Path(__file__).parent / "programs"
SOURCES = [PROGRAMS / "kprobe_ftrace" / "kprobe_ftrace_test.c",
           PROGRAMS / "probes" / "trapcount.S"]
SCHEMES = ["mcount", "ra-stack", "t0", "call-ops", "jall"]


def build(tmp_path, scheme, xlen, *extra):
    elf = tmp_path / f"kf_{scheme}_{xlen}.elf"
    r = spcore("build", *SOURCES, "--xlen", xlen, "--ftrace", scheme, *extra, "-o", elf)
    assert r.returncode == 0, r.stderr
    return elf


def mcount_call_offset(elf, func):
    """Offset in func of its `auipc ra ; jalr ra` pair whose target is _mcount."""
    with open(elf, "rb") as f:
        e = ELFFile(f)
        syms = {s.name: s for s in e.get_section_by_name(".symtab").iter_symbols()}
        text = e.get_section_by_name(".text")
        base, data = text["sh_addr"], text.data()
        start, size = syms[func]["st_value"], syms[func]["st_size"]
        mcount = syms["_mcount"]["st_value"]
    for off in range(0, size - 6, 2):
        a = int.from_bytes(data[start - base + off:][:4], "little")
        j = int.from_bytes(data[start - base + off + 4:][:4], "little")
        if a & 0xfff != 0x097 or j & 0xfffff != 0x080e7:       # auipc ra / jalr ra,(ra)
            continue
        hi = a & 0xfffff000
        hi -= (1 << 32) if hi >> 31 else 0
        lo = (j >> 20) - ((1 << 12) if j >> 31 else 0)
        if start + off + hi + lo == mcount:
            return off
    raise AssertionError(f"no call to _mcount in {func}")


@pytest.mark.parametrize("xlen", [32, 64])
@pytest.mark.parametrize("scheme", SCHEMES)
def test_kprobe_on_ftrace(scheme, xlen, tmp_path):
    elf = build(tmp_path, scheme, xlen)
    r = spcore("run", elf)
    assert r.returncode == 0, r.stdout[-2000:] + r.stderr
    assert f"all checks passed ({scheme})" in r.stdout
    off = mcount_call_offset(elf, "kf_target") if scheme == "mcount" else 0
    lines = [ln for ln in r.stdout.splitlines() if re.search(r"\bk\s+kf_target\+", ln)]
    assert len(lines) == 1, r.stdout
    assert re.search(rf"kf_target\+0x{off:x}\s+\[FTRACE\]$", lines[0]), lines[0]


@pytest.mark.slow
@pytest.mark.parametrize("scheme,xlen", [("jall", 32), ("t0", 64)])
def test_kprobe_on_ftrace_rtl(scheme, xlen, tmp_path):
    """The program's first part (no trap, epc for pre/post handler, hits, bytes back) on
    the RTL: the Amaranth simulator, in lockstep with the model."""
    elf = build(tmp_path, scheme, xlen, "-D", "KF_QUICK")
    r = spcore("run", elf, "--engine", "rtl", "--max-cycles", 1000000, timeout=5400)
    assert r.returncode == 0, r.stdout[-2000:] + r.stderr
    assert f"all checks passed ({scheme}, quick)" in r.stdout
