"""Tracing I: bad input to register_kprobe / register_kretprobe (linux-tracing-notes.md
§7 scenario 3 and TRACING.md's errno contract): an unprobeable instruction, a
non-instruction boundary, an address outside text, a duplicate, an unknown symbol, too
many probes; each gets Linux's negative errno and the program checks that no byte of
the text around the address changed (tests/programs/probes/kprobe_refuse.c). Uprobe
bad input is checked in uprobe.c. Cores without Xspc / Xjall refuse lrw2spc."""
import pytest

from asmutil import needs_gcc
from test_kprobes import assert_passed, build_and_run

pytestmark = needs_gcc


@pytest.mark.parametrize("opts", [(), ("--no-spc", "--no-jall")], ids=["ext", "no-ext"])
@pytest.mark.parametrize("xlen", [32, 64])
def test_refusals_leave_text_unchanged(xlen, opts, tmp_path):
    assert_passed(build_and_run(tmp_path, "kprobe_refuse", xlen, *opts))
