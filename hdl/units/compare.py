"""Branch condition (funct3 of BRANCH): beq bne blt bge bltu bgeu."""
from amaranth import *
from amaranth.lib import wiring
from amaranth.lib.wiring import In, Out


class Compare(wiring.Component):
    def __init__(self, xlen):
        super().__init__({"x_a": In(xlen), "x_b": In(xlen), "x_funct3": In(3), "x_taken": Out(1)})

    def elaborate(self, platform):
        m = Module()
        a, b = self.x_a, self.x_b
        eq = a == b
        lt = a.as_signed() < b.as_signed()
        ltu = a < b
        with m.Switch(self.x_funct3):
            with m.Case(0):
                m.d.comb += self.x_taken.eq(eq)
            with m.Case(1):
                m.d.comb += self.x_taken.eq(~eq)
            with m.Case(4):
                m.d.comb += self.x_taken.eq(lt)
            with m.Case(5):
                m.d.comb += self.x_taken.eq(~lt)
            with m.Case(6):
                m.d.comb += self.x_taken.eq(ltu)
            with m.Case(7):
                m.d.comb += self.x_taken.eq(~ltu)
            with m.Default():
                m.d.comb += self.x_taken.eq(0)
        return m
