"""Decoder (hdl/units/decoder.py) against the ISA table: every 32/48-bit row of every
configuration, with random values in the bits the row does not fix."""
import random

import pytest
from amaranth.sim import Simulator

from spcore import isa
from spcore.config import CoreConfig
from spcore.hdl.layouts import Op
from spcore.hdl.units.decoder import Decoder, op_of

# the semantic field values the decoder must produce, by ISA-table field name
IMM_FIELDS = ("imm", "shamt", "zimm")


def expected_imm(d, xlen):
    if d.spec.name == "c.jall":
        from spcore.disasm import jall_target
        return jall_target(d.f, xlen)
    for k in IMM_FIELDS:
        if k in d.f:
            return d.f[k] & ((1 << xlen) - 1)
    return None


@pytest.mark.parametrize("xlen,spc,jall", [(32, True, True), (64, True, True), (64, False, False)])
def test_every_row_random_fields(xlen, spc, jall):
    cfg = CoreConfig(xlen=xlen, spc=spc, jall=jall)
    dut = Decoder(xlen, cfg.extensions)
    rng = random.Random(xlen * 7 + spc)
    rows = [s for s in isa.INSNS if s.length in (4, 6)]
    bad = []

    async def bench(ctx):
        for spec in rows:
            width = 8 * spec.length
            for _ in range(40):
                b = spec.match | (rng.getrandbits(width) & ~spec.mask)
                ctx.set(dut.d_insn, b)
                dec = ctx.get(dut.d_dec)
                ref = isa.decode(b, xlen, cfg.extensions)
                if ref is None:
                    if not dec.illegal:
                        bad.append(f"{b:#x} ({spec.name}): decoder accepts an illegal encoding")
                    continue
                if ref.spec is not spec:
                    continue                 # a row earlier in the table took it
                f = ref.f
                checks = {
                    "illegal": (dec.illegal, 0),
                    "op": (dec.op, op_of(spec)),
                    "has_rs1": (dec.has_rs1, int("rs1" in f)),
                    "has_rs2": (dec.has_rs2, int("rs2" in f)),
                    "has_rd": (dec.has_rd, int("rd" in f)),
                }
                for reg in ("rs1", "rs2", "rd"):
                    if reg in f:
                        checks[reg] = (getattr(dec, reg), f[reg])
                if "csr" in f:
                    checks["csr"] = (dec.csr, f["csr"])
                imm = expected_imm(ref, xlen)
                if imm is not None:
                    checks["imm"] = (dec.imm, imm)
                wrong = {k: (g, w) for k, (g, w) in checks.items() if g != w}
                if wrong:
                    bad.append(f"{b:#x} ({spec.name}): {wrong}")
                if len(bad) > 10:
                    return
        # encodings no row matches
        for _ in range(3000):
            b = rng.getrandbits(32) | 3
            if b & 0x1C == 0x1C:
                continue
            ctx.set(dut.d_insn, b)
            if (isa.decode(b, xlen, cfg.extensions) is None) != bool(ctx.get(dut.d_dec.illegal)):
                bad.append(f"{b:#010x}: illegal flag disagrees with the table")

    sim = Simulator(dut)
    sim.add_testbench(bench)
    sim.run()
    assert not bad, "\n".join(bad[:12])
    assert Op.LRW2SPC in {op_of(s) for s in rows}
