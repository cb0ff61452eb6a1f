"""Adder, logic and set-less-than (funct3 coding of OP/OP-IMM); RV64 *W results sign-extended."""
from amaranth import *
from amaranth.lib import wiring
from amaranth.lib.wiring import In, Out


class Alu(wiring.Component):
    def __init__(self, xlen):
        self.xlen = xlen
        super().__init__({"x_a": In(xlen), "x_b": In(xlen), "x_funct3": In(3), "x_sub": In(1),
                          "x_word": In(1), "x_result": Out(xlen)})

    def elaborate(self, platform):
        m = Module()
        a, b, xlen = self.x_a, self.x_b, self.xlen
        diff = Signal(xlen + 1)
        m.d.comb += diff.eq(Cat(a, C(0, 1)) - Cat(b, C(0, 1)))   # bit xlen = borrow = a <u b
        lt = Mux(a[-1] == b[-1], diff[xlen], a[-1])
        res = Signal(xlen)
        with m.Switch(self.x_funct3):
            with m.Case(0):
                m.d.comb += res.eq(Mux(self.x_sub, diff[:xlen], a + b))
            with m.Case(2):
                m.d.comb += res.eq(lt)
            with m.Case(3):
                m.d.comb += res.eq(diff[xlen])
            with m.Case(4):
                m.d.comb += res.eq(a ^ b)
            with m.Case(6):
                m.d.comb += res.eq(a | b)
            with m.Case(7):
                m.d.comb += res.eq(a & b)
            with m.Default():           # shifts are the shifter's
                m.d.comb += res.eq(0)
        if xlen == 64:
            m.d.comb += self.x_result.eq(Mux(self.x_word, res[:32].as_signed(), res))
        else:
            m.d.comb += self.x_result.eq(res)
        return m
