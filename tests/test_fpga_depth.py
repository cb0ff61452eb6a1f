"""`spcore fpga --depth` on hand-made ECP5 netlists: arrival sums, the worst input wins,
carry chains, grouping per register, and the path description."""
import json

import pytest

from spcore.errors import SpcoreError
from spcore.hdl import fpga_depth


def cell(kind, **conn):
    return {"type": kind, "connections": {p: list(b) for p, b in conn.items()},
            "attributes": {}}


def netlist(tmp_path, cells, names=None):
    module = {"attributes": {"top": 1}, "cells": cells,
              "netnames": {n: {"bits": b} for n, b in (names or {}).items()}}
    path = tmp_path / "top.json"
    path.write_text(json.dumps({"modules": {"top": module}}))
    return str(path)


def test_arrival_takes_the_worst_input_and_adds_each_cell(tmp_path):
    cells = {
        "a": cell("TRELLIS_FF", Q=[10], DI=[99], CLK=[1]),          # launch 1.5
        "ram": cell("DP16KD", DOA0=[11], ADA0=[99], CLKA=[1]),      # launch 7.8
        "l1": cell("LUT4", A=[10], B=[11], Z=[12]),                 # 7.8 + 1.0
        "l2": cell("LUT4", A=[12], B=[10], Z=[13]),                 # + 1.0 = 9.8
        "c0": cell("CCU2C", A0=[13], COUT=[14], S0=[15]),           # S0 9.8 + 0.9, COUT + 0.07
        "c1": cell("CCU2C", CIN=[14], S1=[16], COUT=[17]),          # S1 9.87 + 0.9
        "b": cell("TRELLIS_FF", DI=[16], Q=[18], CLK=[1]),
        "c": cell("TRELLIS_FF", DI=[12], Q=[19], CLK=[1]),
        "c2": cell("TRELLIS_FF", DI=[12], Q=[20], CLK=[1]),
    }
    worst, bins = fpga_depth.deepest(netlist(tmp_path, cells, {"soc.core.sum": [16]}))
    assert worst[0][:2] == (10.8, "b.DI")
    assert [k for k, _ in worst[0][2]] == ["DP16KD", "LUT4", "LUT4", "CCU2C", "CCU2C"]
    # c and c2 are separate registers; each is listed once
    assert [(t, g) for t, g, _ in worst[1:3]] == [(8.8, "c.DI"), (8.8, "c2.DI")]
    assert sum(bins.values()) == 5          # b, c, c2, and the two unconnected-launch inputs
    text = fpga_depth.describe(worst[0][2])
    assert text == "DP16KD ram -> 2 LUT4 -> 1 carry -> 1 carry (soc.core.sum)"


def test_a_netlist_without_ecp5_cells_is_a_clear_error(tmp_path):
    cells = {"l": cell("SB_LUT4", I0=[2], O=[3])}
    with pytest.raises(SpcoreError, match="ECP5"):
        fpga_depth.deepest(netlist(tmp_path, cells))
