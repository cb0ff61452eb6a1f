"""Multiplier: mul mulh mulhsu mulhu (and RV64 mulw), in two builds.

Both form one (xlen+1) x (xlen+1) signed product, each operand extended with its sign
(mulh, and a of mulhsu) or a zero, which covers all four instructions.

`Multiplier` computes it in one cycle in EX; synthesis maps it to DSP blocks. FPGAs
without them (iCE40 HX/LP) would spend ~3300 LUT4 on it, so `IterativeMultiplier` adds
one partial product per cycle instead (the divider's start / busy / done handshake).
"""
from amaranth import *
from amaranth.lib import wiring
from amaranth.lib.wiring import In, Out

from ..layouts import multicycle_signature


def _extended_operands(x_a, x_b, f3):
    """x_a, x_b as xlen+1-bit signed values, as the instruction (funct3) reads them."""
    a_signed = (f3 == 1) | (f3 == 2)                  # mulh, mulhsu
    b_signed = f3 == 1                                # mulh
    return (Cat(x_a, a_signed & x_a[-1]).as_signed(),
            Cat(x_b, b_signed & x_b[-1]).as_signed())


def _select(prod, xlen, low, word):
    """mul: the low half; mulh*: bits xlen..2*xlen-1; mulw: the low word sign-extended."""
    res = Mux(low, prod[:xlen], prod[xlen:2 * xlen])
    if xlen == 64:
        res = Mux(word, prod[:32].as_signed(), res)
    return res


class Multiplier(wiring.Component):
    def __init__(self, xlen):
        self.xlen = xlen
        super().__init__({"x_a": In(xlen), "x_b": In(xlen), "x_funct3": In(3), "x_word": In(1),
                          "x_result": Out(xlen)})

    def elaborate(self, platform):
        m = Module()
        a, b = _extended_operands(self.x_a, self.x_b, self.x_funct3)
        prod = Signal(2 * self.xlen + 2)
        m.d.comb += [prod.eq(a * b),
                     self.x_result.eq(_select(prod, self.xlen, self.x_funct3 == 0,
                                              self.x_word))]
        return m


class IterativeMultiplier(wiring.Component):
    """Shift-and-add over the xlen+1 bits of b, low bit first: `x_start` loads the
    operands, each of the next xlen+1 cycles adds a (or 0) to the high half and shifts
    the pair right, and `x_done` holds the result in the cycle after the last step.
    b's top bit weighs -2^xlen in two's complement, so the last step subtracts."""

    def __init__(self, xlen):
        self.xlen = xlen
        super().__init__(multicycle_signature(xlen))

    def elaborate(self, platform):
        m = Module()
        n = self.xlen + 1                          # operand width
        mcand = Signal(signed(n))                  # a
        hi = Signal(signed(n + 1))                 # upper part of the running sum
        lo = Signal(n)                             # b's unused bits, then the product's low bits
        count = Signal(range(n + 1))               # steps left
        running, low, word = Signal(), Signal(), Signal()

        a, b = _extended_operands(self.x_a, self.x_b, self.x_funct3)
        last = count == 1
        addend = Mux(lo[0], mcand, 0)
        # hi + addend, or hi - addend on the last step: one adder with carry-in
        total = (hi + Mux(last, ~addend, addend) + last)[:n + 1]
        with m.If(self.x_start):
            m.d.sync += [mcand.eq(a), hi.eq(0), lo.eq(b), count.eq(n), running.eq(1),
                         low.eq(self.x_funct3 == 0), word.eq(self.x_word)]
        with m.Elif(running & (count != 0)):
            # arithmetic shift right of (total, lo) by one
            m.d.sync += [hi.eq(Cat(total[1:], total[-1])), lo.eq(Cat(lo[1:], total[0])),
                         count.eq(count - 1)]
        with m.Elif(running):
            m.d.sync += running.eq(0)
        done = running & (count == 0)
        m.d.comb += [self.x_done.eq(done),
                     self.x_busy.eq(self.x_start | (running & ~done)),
                     self.x_result.eq(_select(Cat(lo, hi), self.xlen, low, word))]
        return m
