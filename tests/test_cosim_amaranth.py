"""`--simulator amaranth`: the SoC in Amaranth's own simulator, in lockstep with the golden
model. The cocotb bench (test_cosim_verilator.py) covers the programs; this keeps one
small run of the Amaranth engine through `spcore run` and its checker's failure path."""
import functools
import json

import pytest

from asmutil import build_asm, needs_gcc
from spcore.config import CoreConfig
from spcore.hdl.simrun import run_elf_lockstep
from spcore.sim.model import execute
import asmutil

pytestmark = [needs_gcc, pytest.mark.rtl]


spcore = functools.partial(asmutil.spcore, timeout=900)


def test_rtl_engine_reports_like_the_model(tmp_path):
    src = "    li a0, 5\n    li a1, 7\n    mul a2, a0, a1\n    li t0, 35\n    bne a2, t0, 1f\n    PASS\n1:  FAIL 3\n"
    elf = build_asm(src, 32, tmp_path)
    model = json.loads(spcore("run", elf, "--json").stdout.splitlines()[-1])
    rtl = json.loads(spcore("run", elf, "--json", "--engine", "rtl", "--simulator", "amaranth")
                     .stdout.splitlines()[-1])
    assert model["result"] == rtl["result"] == "pass"
    assert rtl["instret"] == model["instret"] and rtl["cycles"] >= rtl["instret"]


def test_checker_catches_a_broken_model(tmp_path, monkeypatch):
    src = "    li a0, 5\n    li a1, 7\n    add a2, a0, a1\n    PASS\n"
    elf = build_asm(src, 32, tmp_path)
    cfg = CoreConfig(xlen=32, ram_size=1 << 16)
    assert run_elf_lockstep(elf, cfg)[0] == "pass"
    original = execute.SEMANTICS["add"]

    def broken_add(m, f, pc, n):           # add that is off by one
        run = original(m, f, pc, n)
        x, rd = m.x, f["rd"] or 32

        def wrong():
            npc = run()
            x[rd] = (x[rd] + 1) & m.mask
            return npc
        return wrong
    monkeypatch.setitem(execute.SEMANTICS, "add", broken_add)
    status, count, message = run_elf_lockstep(elf, cfg)
    assert status == "mismatch" and "rd_wdata" in message
