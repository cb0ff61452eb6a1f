"""Barrel shifter: sll/srl/sra and the RV64 32-bit forms (shift amount masked to 5 bits)."""
from amaranth import *
from amaranth.lib import wiring
from amaranth.lib.wiring import In, Out


class Shifter(wiring.Component):
    def __init__(self, xlen):
        self.xlen = xlen
        super().__init__({"x_a": In(xlen), "x_shamt": In(6), "x_left": In(1), "x_arith": In(1),
                          "x_word": In(1), "x_result": Out(xlen)})

    def elaborate(self, platform):
        m = Module()
        xlen = self.xlen
        a = Signal(xlen)
        m.d.comb += a.eq(self.x_a)
        amt = self.x_shamt[:5] if xlen == 32 else Mux(self.x_word, self.x_shamt[:5], self.x_shamt)
        if xlen == 64:
            # W forms: operate on the low word, extended (sign or zero) as the shift needs
            low = Mux(self.x_arith, a[:32].as_signed(), a[:32].as_unsigned())
            a_w = Signal(xlen)
            m.d.comb += a_w.eq(Mux(self.x_word, low, self.x_a))
            a = a_w
        # right shift of the (bit-reversed for left) operand, one datapath for both
        rev = Mux(self.x_left, a[::-1], a)
        fill = self.x_arith & ~self.x_left & a[xlen - 1]
        shifted = (Cat(rev, fill).as_signed() >> amt)[:xlen]
        res = Mux(self.x_left, shifted[::-1], shifted)
        if xlen == 64:
            m.d.comb += self.x_result.eq(Mux(self.x_word, res[:32].as_signed(), res))
        else:
            m.d.comb += self.x_result.eq(res)
        return m
