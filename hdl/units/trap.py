"""Trap unit: interrupt selection (MEI > MSI > MTI), trap vector, illegal-instruction mtval.

Exceptions are detected by the stage that sees them first and carried with the
instruction; this unit only decides what the commit stage (MEM) does with them.
"""
from amaranth import *
from amaranth.lib import wiring
from amaranth.lib.wiring import In, Out

ILLEGAL = 2


class TrapUnit(wiring.Component):
    def __init__(self, xlen):
        self.xlen = xlen
        super().__init__({
            "mode": In(2), "status_mie": In(1), "mie": In(xlen), "mip": In(xlen),
            "irq_ready": Out(1), "irq_cause": Out(4), "wake": Out(1),
            "mtvec": In(xlen), "m_intr": In(1), "m_cause": In(4),
            "m_target": Out(xlen),
            "m_insn": In(48), "m_len": In(3), "m_tval_in": In(xlen), "m_tval": Out(xlen),
        })

    def elaborate(self, platform):
        m = Module()
        xlen = self.xlen
        ready = self.mie & self.mip
        enabled = (self.mode != 3) | self.status_mie
        any_ready = ready[3] | ready[7] | ready[11]
        # wfi ends when an interrupt is pending and enabled in mie, whatever mstatus.MIE says
        m.d.comb += [self.irq_ready.eq(enabled & any_ready), self.wake.eq(any_ready)]
        with m.If(ready[11]):
            m.d.comb += self.irq_cause.eq(11)
        with m.Elif(ready[3]):
            m.d.comb += self.irq_cause.eq(3)
        with m.Else():
            m.d.comb += self.irq_cause.eq(7)
        base = Cat(C(0, 2), self.mtvec[2:])
        m.d.comb += self.m_target.eq(Mux(self.mtvec[0] & self.m_intr, base + (self.m_cause << 2), base))
        # illegal instruction: mtval = the instruction's low min(XLEN, 8*length) bits
        insn = Signal(48)
        with m.Switch(self.m_len):
            with m.Case(2):
                m.d.comb += insn.eq(self.m_insn[:16])
            with m.Case(4):
                m.d.comb += insn.eq(self.m_insn[:32])
            with m.Default():
                m.d.comb += insn.eq(self.m_insn)
        m.d.comb += self.m_tval.eq(Mux(~self.m_intr & (self.m_cause == ILLEGAL), insn[:xlen],
                                       Mux(self.m_intr, 0, self.m_tval_in)))
        return m
