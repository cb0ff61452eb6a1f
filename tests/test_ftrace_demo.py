"""The tracing demo (sw/demo/) on the golden model: it builds with one `spcore build`
line in several configurations (the `make sim` one, another scheme and XLEN, no ftrace
and no optprobes, a core without Xspc), runs, and its self-checks hold. Here we also
read its table: every mechanism's hits against the calls the workload made (numbers
the test derives from the demo's workload, not from its output), the listing's marks,
and that the cheaper mechanisms are cheaper per hit."""
import re
from pathlib import Path

import pytest

from asmutil import needs_gcc, spcore

pytestmark = needs_gcc
DEMO = Path(__file__).parent.parent / "sw" / "demo"
# The `make sim` build (sw/demo/README.md).
SIM_OPTIONS = ["--xlen", "32", "--ftrace", "jall", "--optprobe", "spc"]
CONFIGS = {
    "sim": SIM_OPTIONS,
    "rv64-call-ops": ["--xlen", "64", "--ftrace", "call-ops", "--optprobe", "classic"],
    "rv64-no-ftrace": ["--xlen", "64", "--ftrace", "none", "--optprobe", "none"],
    "rv32-t0-no-spc": ["--xlen", "32", "--ftrace", "t0", "--no-spc", "--no-jall"],
}


def build(tmp_path, name):
    elf = tmp_path / f"demo-{name}.elf"
    r = spcore("build", DEMO / "demo.c", DEMO / "targets.S", *CONFIGS[name], "-o", elf)
    assert r.returncode == 0, r.stderr
    return elf


def fib_calls(n):
    return 1 if n < 2 else 1 + fib_calls(n - 1) + fib_calls(n - 2)


def table(out):
    rows = {}
    for m in re.finditer(r"^demo: (\S+)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)  (.*)$", out, re.M):
        name, calls, hits, extra, per, how = m.groups()
        rows[name] = dict(calls=int(calls), hits=int(hits), extra=int(extra), per=int(per),
                          how=how)
    return rows


def check_demo(out, name):
    assert "demo: all checks passed" in out, out[-2000:]
    rows = table(out)
    ftrace = "none" not in CONFIGS[name]
    expect = {"kprobe", "kprobe-boost", "kprobe-sim", "kprobe-hwbp", "kretprobe", "uprobe"}
    if ftrace:
        expect |= {"ftrace-ops", "kprobe-ftrace", "fgraph"}
    assert expect <= set(rows), rows.keys()
    rounds = rows["kprobe"]["calls"]
    assert rounds > 0
    for r in ("kprobe", "kprobe-boost", "kprobe-sim", "kprobe-hwbp", "kretprobe"):
        assert rows[r]["calls"] == rounds and rows[r]["hits"] == rounds, r
    assert rows["kprobe"]["extra"] == rounds            # post_handler once per hit
    assert rows["kretprobe"]["extra"] == rounds         # one return per entry
    # the task calls the probed function 4 times per run: uprobe + uretprobe each
    assert rows["uprobe"]["hits"] == rows["uprobe"]["extra"] == 4 * rows["uprobe"]["calls"]
    assert "armed as hwbp" in rows["kprobe-hwbp"]["how"]
    assert re.search(r"^\s*[0-9a-f]+\s+k\s+demo_hw_fn\+0x4\s+\[HWBP\]", out, re.M)
    assert re.search(r"^\s*[0-9a-f]+\s+r\s+mix\+0x0", out, re.M)
    if ftrace:
        assert rows["ftrace-ops"]["hits"] == rounds
        assert rows["fgraph"]["hits"] == rows["fgraph"]["extra"] == rounds * fib_calls(5)
        assert rows["kprobe-ftrace"]["hits"] == rounds
        assert "armed as FTRACE" in rows["kprobe-ftrace"]["how"]
        assert re.search(r"^\s*[0-9a-f]+\s+k\s+isort\+0x0\s+\[FTRACE\]", out, re.M)
        # a call through the ftrace site costs less than a trap
        assert rows["ftrace-ops"]["per"] < rows["kprobe-sim"]["per"]
        assert rows["kprobe-ftrace"]["per"] < rows["kprobe"]["per"]
    if "--no-spc" not in CONFIGS[name]:
        # the boosted slot saves the second trap of the stepped probe
        assert rows["kprobe-boost"]["per"] < rows["kprobe"]["per"]
    if "optprobe" in rows and "armed as OPTIMIZED" in rows["optprobe"]["how"]:
        assert rows["optprobe"]["per"] < rows["kprobe"]["per"]



@pytest.mark.parametrize("name", list(CONFIGS))
def test_demo_model(tmp_path, name):
    r = spcore("run", build(tmp_path, name))
    assert r.returncode == 0, r.stdout[-2000:] + r.stderr
    check_demo(r.stdout, name)


@pytest.mark.slow
def test_demo_rtl_lockstep(tmp_path):
    """The `make sim` build on the RTL in lockstep with the model."""
    r = spcore("run", "--engine", "rtl", build(tmp_path, "sim"), timeout=4 * 3600)
    assert r.returncode == 0, r.stdout[-2000:] + r.stderr
    check_demo(r.stdout, "sim")
