"""ALU, shifter, branch compare, multiplier and divider against Python arithmetic."""
import random

import pytest
from amaranth.sim import Simulator

from spcore.hdl.units.alu import Alu
from spcore.hdl.units.compare import Compare
from spcore.hdl.units.divider import Divider
from spcore.hdl.units.multiplier import IterativeMultiplier, Multiplier
from spcore.hdl.units.shifter import Shifter


def s(v, bits):
    v &= (1 << bits) - 1
    return v - (1 << bits) if v >> (bits - 1) else v


def operands(xlen, rng, n=150):
    edge = [0, 1, 2, (1 << xlen) - 1, 1 << (xlen - 1), (1 << (xlen - 1)) - 1,
            0xFFFFFFFF, 0x80000000, 0x7FFFFFFF]
    edge = [e & ((1 << xlen) - 1) for e in edge]
    pairs = [(a, b) for a in edge for b in edge]
    pairs += [(rng.getrandbits(xlen), rng.getrandbits(xlen)) for _ in range(n)]
    return pairs


def ref_op(name, a, b, xlen):
    """RISC-V result of `name` on XLEN-bit unsigned a, b (W forms: 32-bit, sign-extended)."""
    word = name.endswith("w")
    w = 32 if word else xlen
    a_, b_ = a & ((1 << w) - 1), b & ((1 << w) - 1)
    sa, sb = s(a_, w), s(b_, w)
    sh = b_ & (w - 1)
    base = name[:-1] if word else name

    def div(x, y):
        if y == 0:
            return -1
        q = abs(x) // abs(y)
        return -q if (x < 0) != (y < 0) else q

    def rem(x, y):
        if y == 0:
            return x
        r = abs(x) % abs(y)
        return -r if x < 0 else r
    r = {
        "add": a_ + b_, "sub": a_ - b_, "slt": int(sa < sb), "sltu": int(a_ < b_),
        "xor": a_ ^ b_, "or": a_ | b_, "and": a_ & b_,
        "sll": a_ << sh, "srl": a_ >> sh, "sra": sa >> sh,
        "mul": a_ * b_, "mulh": (sa * sb) >> w, "mulhsu": (sa * b_) >> w, "mulhu": (a_ * b_) >> w,
        "div": div(sa, sb), "divu": a_ // b_ if b_ else -1, "rem": rem(sa, sb),
        "remu": a_ % b_ if b_ else a_,
    }[base]
    r &= (1 << w) - 1
    if word:
        r = s(r, 32)
    return r & ((1 << xlen) - 1)


ALU_OPS = {"add": (0, 0), "sub": (0, 1), "slt": (2, 0), "sltu": (3, 0), "xor": (4, 0),
           "or": (6, 0), "and": (7, 0)}
SHIFTS = {"sll": (1, 0), "srl": (0, 0), "sra": (0, 1)}
MUL_F3 = {"mul": 0, "mulh": 1, "mulhsu": 2, "mulhu": 3}
DIV_F3 = {"div": 4, "divu": 5, "rem": 6, "remu": 7}


def simulate(dut, bench, clock=False):
    sim = Simulator(dut)
    if clock:
        sim.add_clock(1e-6)
    sim.add_testbench(bench)
    sim.run()


@pytest.mark.parametrize("xlen", (32, 64))
def test_alu_shifter_compare(xlen):
    rng = random.Random(xlen)
    alu, sh, cmp = Alu(xlen), Shifter(xlen), Compare(xlen)
    from amaranth import Module
    top = Module()
    top.submodules += [alu, sh, cmp]
    bad = []
    words = (False, True) if xlen == 64 else (False,)

    async def bench(ctx):
        for a, b in operands(xlen, rng):
            for word in words:
                for name, (f3, sub) in ALU_OPS.items():
                    if word and name not in ("add", "sub"):
                        continue
                    ctx.set(alu.x_a, a), ctx.set(alu.x_b, b), ctx.set(alu.x_funct3, f3)
                    ctx.set(alu.x_sub, sub), ctx.set(alu.x_word, word)
                    want = ref_op(name + ("w" if word else ""), a, b, xlen)
                    if ctx.get(alu.x_result) != want:
                        bad.append((name, word, hex(a), hex(b), hex(ctx.get(alu.x_result)), hex(want)))
                for name, (left, arith) in SHIFTS.items():
                    ctx.set(sh.x_a, a), ctx.set(sh.x_shamt, b & 63), ctx.set(sh.x_left, left)
                    ctx.set(sh.x_arith, arith), ctx.set(sh.x_word, word)
                    want = ref_op(name + ("w" if word else ""), a, b, xlen)
                    if ctx.get(sh.x_result) != want:
                        bad.append((name, word, hex(a), hex(b), hex(ctx.get(sh.x_result)), hex(want)))
            for f3, fn in ((0, lambda: a == b), (1, lambda: a != b),
                           (4, lambda: s(a, xlen) < s(b, xlen)), (5, lambda: s(a, xlen) >= s(b, xlen)),
                           (6, lambda: a < b), (7, lambda: a >= b)):
                ctx.set(cmp.x_a, a), ctx.set(cmp.x_b, b), ctx.set(cmp.x_funct3, f3)
                if ctx.get(cmp.x_taken) != int(fn()):
                    bad.append(("branch", f3, hex(a), hex(b)))

    simulate(top, bench)
    assert not bad, bad[:10]


def mul_ops(xlen):
    return list(MUL_F3.items()) + ([("mulw", 0)] if xlen == 64 else [])


@pytest.mark.parametrize("xlen", (32, 64))
def test_multiplier(xlen):
    rng = random.Random(xlen + 1)
    dut = Multiplier(xlen)
    bad = []

    async def bench(ctx):
        for a, b in operands(xlen, rng):
            for name, f3 in mul_ops(xlen):
                ctx.set(dut.x_a, a), ctx.set(dut.x_b, b), ctx.set(dut.x_funct3, f3)
                ctx.set(dut.x_word, name == "mulw")
                want = ref_op(name, a, b, xlen)
                if ctx.get(dut.x_result) != want:
                    bad.append((name, hex(a), hex(b), hex(ctx.get(dut.x_result)), hex(want)))

    simulate(dut, bench)
    assert not bad, bad[:10]


@pytest.mark.parametrize("xlen", (32, 64))
def test_iterative_multiplier(xlen):
    """Same products as the one-cycle multiplier, in xlen + 1 steps; the operands may
    change after the start cycle (EX's forwarding does) without changing the result."""
    rng = random.Random(xlen + 3)
    dut = IterativeMultiplier(xlen)
    bad = []

    async def bench(ctx):
        for a, b in operands(xlen, rng, n=12):
            for name, f3 in mul_ops(xlen):
                ctx.set(dut.x_a, a), ctx.set(dut.x_b, b), ctx.set(dut.x_funct3, f3)
                ctx.set(dut.x_word, name == "mulw")
                ctx.set(dut.x_start, 1)
                await ctx.tick()
                ctx.set(dut.x_start, 0)
                ctx.set(dut.x_a, ~a & ((1 << xlen) - 1)), ctx.set(dut.x_funct3, 7 - f3)
                cycles = 0
                while not ctx.get(dut.x_done):
                    assert ctx.get(dut.x_busy), "not busy before done"
                    await ctx.tick()
                    cycles += 1
                    assert cycles <= xlen + 1, "multiplier did not finish"
                assert cycles == xlen + 1
                want = ref_op(name, a, b, xlen)
                if ctx.get(dut.x_result) != want:
                    bad.append((name, hex(a), hex(b), hex(ctx.get(dut.x_result)), hex(want)))
                await ctx.tick()
                assert not ctx.get(dut.x_done) and not ctx.get(dut.x_busy)

    simulate(dut, bench, clock=True)
    assert not bad, bad[:10]


@pytest.mark.parametrize("xlen", (32, 64))
def test_divider_incl_zero_and_overflow(xlen):
    rng = random.Random(xlen + 2)
    dut = Divider(xlen)
    bad = []
    ops = list(DIV_F3.items()) + ([(n + "w", f) for n, f in DIV_F3.items()] if xlen == 64 else [])

    async def bench(ctx):
        for a, b in operands(xlen, rng, n=12):
            for name, f3 in ops:
                ctx.set(dut.x_a, a), ctx.set(dut.x_b, b), ctx.set(dut.x_funct3, f3)
                ctx.set(dut.x_word, name.endswith("w"))
                ctx.set(dut.x_start, 1)
                await ctx.tick()
                ctx.set(dut.x_start, 0)
                cycles = 0
                while not ctx.get(dut.x_done):
                    await ctx.tick()
                    cycles += 1
                    assert cycles <= xlen + 2, "divider did not finish"
                want = ref_op(name, a, b, xlen)
                if ctx.get(dut.x_result) != want:
                    bad.append((name, hex(a), hex(b), hex(ctx.get(dut.x_result)), hex(want)))

    simulate(dut, bench, clock=True)
    assert not bad, bad[:10]
