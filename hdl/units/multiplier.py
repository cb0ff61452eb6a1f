"""Multiplier: mul mulh mulhsu mulhu (and RV64 mulw), one cycle in EX.

One (xlen+1) x (xlen+1) signed product covers all four by extending each operand with
its sign or a zero; synthesis maps it to DSP blocks.
"""
from amaranth import *
from amaranth.lib import wiring
from amaranth.lib.wiring import In, Out


class Multiplier(wiring.Component):
    def __init__(self, xlen):
        self.xlen = xlen
        super().__init__({"x_a": In(xlen), "x_b": In(xlen), "x_funct3": In(3), "x_word": In(1),
                          "x_result": Out(xlen)})

    def elaborate(self, platform):
        m = Module()
        xlen, f3 = self.xlen, self.x_funct3
        a_signed = (f3 == 1) | (f3 == 2)
        b_signed = f3 == 1
        a = Cat(self.x_a, a_signed & self.x_a[-1]).as_signed()
        b = Cat(self.x_b, b_signed & self.x_b[-1]).as_signed()
        prod = Signal(2 * xlen + 2)
        m.d.comb += prod.eq(a * b)
        res = Mux(f3 == 0, prod[:xlen], prod[xlen:2 * xlen])
        if xlen == 64:
            res = Mux(self.x_word, prod[:32].as_signed(), res)
        m.d.comb += self.x_result.eq(res)
        return m
