"""Tracing I: hardware-breakpoint kprobes (KPROBE_FLAG_HWBP on Sdtrig execute
triggers): no text patched, fallback to ebreak when the platform's 2 triggers are used
up, trigger reuse. The program checks itself (tests/programs/probes/hwbp.c)."""
import pytest

from asmutil import needs_gcc
from test_kprobes import assert_passed, build_and_run

pytestmark = needs_gcc


@pytest.mark.parametrize("opts", [(), ("--no-spc",)], ids=["xspc", "no-spc"])
@pytest.mark.parametrize("xlen", [32, 64])
def test_hwbp_kprobes(xlen, opts, tmp_path):
    assert_passed(build_and_run(tmp_path, "hwbp", xlen, *opts))


@pytest.mark.slow
@pytest.mark.parametrize("xlen", [32, 64])
def test_hwbp_rtl_lockstep(xlen, tmp_path):
    assert_passed(build_and_run(tmp_path, "hwbp", xlen, engine="rtl"))
