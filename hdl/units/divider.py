"""Iterative divider: div divu rem remu (and RV64 W forms), one quotient bit per cycle.

`x_start` pulses when a division enters EX; `x_busy` holds EX until `x_result` is valid.
Division by zero and signed overflow give the RISC-V results (quotient -1 / most
negative, remainder = dividend / 0) straight from the restoring algorithm plus sign
fix-up, no special path: |a| / 0 yields all ones, which the sign rule keeps.
"""
from amaranth import *
from amaranth.lib import wiring

from ..layouts import multicycle_signature


class Divider(wiring.Component):
    def __init__(self, xlen):
        self.xlen = xlen
        super().__init__(multicycle_signature(xlen))

    def elaborate(self, platform):
        m = Module()
        xlen = self.xlen
        signed = ~self.x_funct3[0]
        want_rem = self.x_funct3[1]
        a, b = Signal(xlen), Signal(xlen)     # operands (W forms: the extended low words)
        m.d.comb += [a.eq(self.x_a), b.eq(self.x_b)]
        if xlen == 64:
            with m.If(self.x_word):
                m.d.comb += [a.eq(Mux(signed, self.x_a[:32].as_signed(), self.x_a[:32])),
                             b.eq(Mux(signed, self.x_b[:32].as_signed(), self.x_b[:32]))]
        a_neg = signed & a[-1]
        b_neg = signed & b[-1]
        b_zero = b == 0

        quot = Signal(xlen)          # dividend shifts out as quotient bits shift in
        rem = Signal(xlen + 1)
        div = Signal(xlen)
        count = Signal(range(xlen + 1))
        running = Signal()
        q_neg = Signal()
        r_neg = Signal()
        rem_sel = Signal()
        word = Signal()

        trial = Cat(quot[-1], rem[:xlen]) - Cat(div, C(0, 1))
        with m.If(self.x_start):
            m.d.sync += [
                quot.eq(Mux(a_neg, -a, a)), rem.eq(0), div.eq(Mux(b_neg, -b, b)),
                count.eq(xlen), running.eq(1),
                q_neg.eq((a_neg ^ b_neg) & ~b_zero), r_neg.eq(a_neg), rem_sel.eq(want_rem),
                word.eq(self.x_word),
            ]
        with m.Elif(running & (count != 0)):
            with m.If(trial[-1]):          # negative: keep remainder, quotient bit 0
                m.d.sync += [rem.eq(Cat(quot[-1], rem[:xlen])), quot.eq(Cat(C(0, 1), quot[:-1]))]
            with m.Else():
                m.d.sync += [rem.eq(trial), quot.eq(Cat(C(1, 1), quot[:-1]))]
            m.d.sync += count.eq(count - 1)
        with m.Elif(running):
            m.d.sync += running.eq(0)
        done = running & (count == 0)
        q = Mux(q_neg, -quot, quot)
        r = Mux(r_neg, -rem[:xlen], rem[:xlen])
        res = Mux(rem_sel, r, q)
        if xlen == 64:
            res = Mux(word, res[:32].as_signed(), res)
        m.d.comb += [self.x_done.eq(done), self.x_result.eq(res),
                     self.x_busy.eq(self.x_start | (running & ~done))]
        return m
