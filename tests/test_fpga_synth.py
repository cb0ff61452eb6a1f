"""Synthesis-only check (yosys synth_ecp5, no place-and-route) of every core configuration,
and of the iCE40 build (synth_ice40).

The yosys script asserts `check -assert` (no combinational loops, no multiple drivers) and
no latch cells; the RAM must land in block RAM. One RV32 configuration (~1.5 min of one
core) runs in `make test`; the other seven are slow.
"""
import os

import pytest

from spcore.hdl import fpga, fpga_depth

pytestmark = pytest.mark.skipif(not fpga.have_tool("yosys"),
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


def test_ice40_build_synthesizes_clean_without_dsp_or_lut_rams():
    """The iCE40 core (hdl/fpga.py FAMILY_CORE) on the HX8K: no latches, loops or
    multiple drivers; RAM and register file in SB_RAM40_4K; no multiplier array (the
    HX8K has no DSPs and the one-cycle product alone was ~3300 LUT4); fewer LUT4 than the
    device's 7680 logic cells, leaving room for the flip-flops and carries that do not
    pack with a LUT (place-and-route is `make fpga` / the slow board test)."""
    r = fpga.measure("ice40-hx8k", 32, True, True, synth_only=True)
    # 4 KiB RAM in two interleaved banks, each kept twice (two read ports): 16 blocks,
    # plus the register file's
    assert r["brams"] >= 16 + 2 and r["dsps"] == 0, r
    assert 1000 < r["luts"] < 0.8 * 7680, r


def test_depth_report_on_the_synthesized_soc():
    """`--depth` reads the netlist the test above wrote (or synthesizes it): every deepest
    path starts at a register or block RAM, and the instruction RAM's output is on one of
    the deepest (a RAM without output register is the slowest launch on ECP5)."""
    d = fpga.run_dir("ecp5-25k", fpga.fpga_config("ecp5-25k", 32, True, True))
    if not os.path.exists(os.path.join(d, "top.json")):
        fpga.measure("ecp5-25k", 32, True, True, synth_only=True)
    worst, bins = fpga_depth.deepest(os.path.join(d, "top.json"), count=5)
    assert len(worst) == 5 and all(t > 5 for t, _, _ in worst), worst
    assert all(hops[0][0] in ("TRELLIS_FF", "DP16KD") for _, _, hops in worst)
    assert any(hops[0][0] == "DP16KD" for _, _, hops in worst)
    assert sum(bins.values()) > 2000               # every FF and RAM input is an endpoint
