"""Tracing I: kretprobes (linux-tracing-notes.md §7 scenarios 10 and 11) on the golden
model, and on the RTL in lockstep (slow). The program checks itself; see
tests/programs/probes/kretprobe.c."""
import pytest

from asmutil import needs_gcc
from test_kprobes import assert_passed, build_and_run, listings

pytestmark = needs_gcc


@pytest.mark.parametrize("opts", [(), ("--no-spc",)], ids=["xspc", "no-spc"])
@pytest.mark.parametrize("xlen", [32, 64])
def test_kretprobe_scenarios(xlen, opts, tmp_path):
    r = build_and_run(tmp_path, "kretprobe", xlen, *opts)
    assert_passed(r)
    # both probes listed as kretprobes, innermost registered first
    (lst,) = listings(r.stdout)
    assert [l.split()[1:3] for l in lst] == [["r", "leaf+0x0"], ["r", "nonleaf+0x0"]]


@pytest.mark.slow
@pytest.mark.parametrize("xlen", [32, 64])
def test_kretprobe_rtl_lockstep(xlen, tmp_path):
    assert_passed(build_and_run(tmp_path, "kretprobe", xlen, engine="rtl"))
