"""Tracing I: uprobes and uretprobes on the U-mode task (linux-tracing-notes.md §7
scenario 12) on the golden model, and on the RTL in lockstep (slow). The program
checks itself (tests/programs/probes/uprobe.c); here, the console report of the
stepped load that faulted must name the probed load, not the XOL slot."""
import re

import pytest

from asmutil import needs_gcc
from test_kprobes import assert_passed, build, run, symbols

pytestmark = needs_gcc


@pytest.mark.parametrize("opts", [(), ("--no-spc",)], ids=["xspc", "no-spc"])
@pytest.mark.parametrize("xlen", [32, 64])
def test_uprobe_scenarios(xlen, opts, tmp_path):
    elf = build(tmp_path, "uprobe", xlen, *opts)
    r = run(elf)
    assert_passed(r)
    report = r.stdout.split("XOL-FAULT-BEGIN\n")[1].split("XOL-FAULT-END")[0]
    m = re.search(r"user task fault: mcause=(\w+) mepc=(\w+) mtval=(\w+)", report)
    assert m, report
    sym = symbols(elf)
    assert int(m.group(1), 16) == 5                      # load access fault
    assert int(m.group(2), 16) == sym["p_u_lw"]          # at the probe, not in the slot
    assert int(m.group(3), 16) == sym["kernel_word"]     # PMP kept the task out


@pytest.mark.slow
@pytest.mark.parametrize("xlen", [32, 64])
def test_uprobe_rtl_lockstep(xlen, tmp_path):
    assert_passed(run(build(tmp_path, "uprobe", xlen), engine="rtl"))
