"""The PMP unit against the golden model's PMP (sim/model/pmp.py), in Amaranth's simulator.

Random pmpcfg / pmpaddr writes (OFF, TOR, NA4, NAPOT, locks) through the CSR port, each
followed by fetch and data checks of every size at addresses around the regions' edges,
in M and U mode. The RTL computes region bounds once per CSR write and compares granule
numbers; the model walks the ranges with byte addresses: two different formulations.
"""
import random

import pytest
from amaranth.sim import Simulator

from sim.model.pmp import R, W, X, Pmp as ModelPmp
from spcore.hdl.units.pmp import Pmp

BASE = 0x8000_0000


def _pmpaddr(rng, xlen):
    kind = rng.random()
    if kind < 0.05:
        return (1 << xlen) - 1                      # NAPOT: everything
    if kind < 0.1:
        return 0
    v = (BASE + 4 * rng.randrange(0, 300)) >> 2
    if rng.random() < 0.5:                          # a NAPOT-looking value
        k = rng.randrange(0, 7)
        v = (v & ~((1 << (k + 1)) - 1)) | ((1 << k) - 1)
    return v


def _access(rng, xlen):
    size = rng.choice((1, 2, 4, 8) if xlen == 64 else (1, 2, 4))
    if rng.random() < 0.05:
        addr = (1 << xlen) - 8 + rng.randrange(8)   # the top of the address space
    else:
        addr = BASE + rng.randrange(-16, 1300)
    return addr & ~(size - 1) & ((1 << xlen) - 1), size


@pytest.mark.parametrize("xlen,entries", [(32, 4), (32, 16), (64, 4), (64, 8)])
def test_pmp_checks_match_the_model(xlen, entries):
    rng = random.Random(xlen * 100 + entries)
    dut = Pmp(xlen, entries)
    ref = ModelPmp(entries, xlen)
    cfg_regs = [i for i in range(16) if ref.cfg_regs_valid(i)]
    bad = []

    async def bench(ctx):
        async def csr_write(num, value):
            ctx.set(dut.m_csr_num, num)
            ctx.set(dut.m_csr_wdata, value)
            ctx.set(dut.m_csr_we, 1)
            await ctx.tick()
            ctx.set(dut.m_csr_we, 0)
            await ctx.tick()                        # the bounds follow a cycle later

        for _ in range(60):
            if rng.random() < 0.5:
                index = rng.choice(cfg_regs[:max(1, entries * 8 // xlen)])
                value = 0
                for lane in range(xlen // 8):
                    c = (rng.randrange(4) << 3) | rng.randrange(8)
                    if rng.random() < 0.06:
                        c |= 0x80
                    value |= c << (8 * lane)
                ref.write_cfg(index, value)
                await csr_write(0x3A0 + index, value)
            else:
                i = rng.randrange(entries)
                value = _pmpaddr(rng, xlen)
                ref.write_addr(i, value)
                await csr_write(0x3B0 + i, value)
            for _ in range(40):
                priv = rng.choice((0, 3))
                addr, size = _access(rng, xlen)
                write = rng.random() < 0.5
                ctx.set(dut.m_addr, addr)
                ctx.set(dut.m_size, size.bit_length() - 1)
                ctx.set(dut.m_write, write)
                ctx.set(dut.m_priv, priv)
                ctx.set(dut.f_addr, addr & ~1)
                ctx.set(dut.f_priv, priv)
                want_m = (priv != 3 or ref.any_locked) and \
                    not ref.allows(addr, size, W if write else R, priv)
                want_f = not ref.allows(addr & ~1, 2, X, priv)
                got_m, got_f = ctx.get(dut.m_deny), ctx.get(dut.f_deny)
                if (got_m, got_f) != (want_m, want_f):
                    bad.append((hex(addr), size, priv, write, (got_m, got_f), (want_m, want_f),
                                [hex(a) for a in ref.addr[:entries]],
                                [hex(c) for c in ref.cfg[:entries]]))

    sim = Simulator(dut)
    sim.add_clock(1e-6)
    sim.add_testbench(bench)
    sim.run()
    assert not bad, bad[:3]
