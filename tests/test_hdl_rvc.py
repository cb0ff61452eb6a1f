"""RVC expander (hdl/units/rvc.py) against the ISA table, all 65536 16-bit encodings.

For each encoding the table says either "illegal" (decode() is None) or which 32-bit
instruction and fields it expands to (`expands_to`); the expander's 32-bit output is
decoded with the same table and must name that instruction with those fields. The
quick source-register outputs (`f_rs1`, `f_rs2`, for the register file's read in IF)
must name every source register the expansion reads, x0 included.
"""
import pytest
from amaranth.sim import Simulator

from spcore import isa
from spcore.hdl.units.rvc import RvcExpander

EXTS = {"I", "M", "C", "Zicsr", "Zifencei", "priv"}


@pytest.mark.parametrize("xlen", (32, 64))
def test_every_16bit_encoding(xlen):
    dut = RvcExpander(xlen)
    bad = []

    async def bench(ctx):
        for b in range(1 << 16):
            if b & 3 == 3:
                continue                        # not a 16-bit instruction
            ctx.set(dut.f_insn16, b)
            illegal, out = ctx.get(dut.f_illegal), ctx.get(dut.f_insn32)
            ref = isa.decode(b, xlen, EXTS)
            if ref is None:
                if not illegal:
                    bad.append(f"{b:#06x}: expander accepts an illegal encoding")
                continue
            if illegal:
                bad.append(f"{b:#06x} ({ref.name}): flagged illegal")
                continue
            name, fields = isa.expand(ref)
            got = isa.decode(out, xlen, EXTS)
            if got is None or got.name != name or any(got.f[k] != v for k, v in fields.items()):
                bad.append(f"{b:#06x} ({ref.name}): expands to {out:#010x} "
                           f"({got and got.name} {got and got.f}), want {name} {fields}")
            for port, key in ((dut.f_rs1, "rs1"), (dut.f_rs2, "rs2")):
                if key in fields and ctx.get(port) != fields[key]:
                    bad.append(f"{b:#06x} ({ref.name}): quick {key} x{ctx.get(port)}, "
                               f"the expansion reads x{fields[key]}")
            if len(bad) > 10:
                return

    sim = Simulator(dut)
    sim.add_testbench(bench)
    sim.run()
    assert not bad, "\n".join(bad)
