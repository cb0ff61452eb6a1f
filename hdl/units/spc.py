"""Xspc: shadow PC state, its CSRs, and the shadow jump (EXTENSIONS.md).

Sits at the commit point (MEM): the state after the committing instruction's own effect
(CSR write, lrw2spc load, mret restore) is compared with its next pc; on a match the
pipeline is redirected to spc and the trigger disarmed. Trap entry saves and disarms.
"""
from amaranth import *
from amaranth.lib import wiring
from amaranth.lib.wiring import In, Out


class ShadowPc(wiring.Component):
    def __init__(self, xlen):
        self.xlen = xlen
        super().__init__({
            "m_csr_num": In(12), "m_csr_we": In(1), "m_csr_wdata": In(xlen),
            "m_csr_hit": Out(1), "m_csr_rdata": Out(xlen),
            "m_retire": In(1),          # the instruction in MEM commits without a trap
            "m_trap": In(1), "m_mret": In(1),
            "m_lrw": In(1), "m_lrw_addr": In(xlen), "m_lrw_value": In(xlen),
            "m_npc": In(xlen),
            "m_jump": Out(1),           # take the shadow jump: next pc = m_target
            "m_target": Out(xlen),
        })

    def elaborate(self, platform):
        m = Module()
        xlen = self.xlen
        regs = {n: Signal(xlen, name=name) for n, name in
                ((0x7C0, "spc"), (0x7C1, "spctrig"), (0x7C2, "mspc"), (0x7C3, "mspctrig"))}
        spc, trig, mspc, mtrig = regs.values()
        num = self.m_csr_num
        m.d.comb += self.m_csr_hit.eq(num[2:] == (0x7C0 >> 2))
        with m.Switch(num[:2]):
            for i, r in enumerate(regs.values()):
                with m.Case(i):
                    m.d.comb += self.m_csr_rdata.eq(Mux(self.m_csr_hit, r, 0))
            with m.Default():
                pass
        wr = self.m_csr_we & self.m_csr_hit
        spc_after = Signal(xlen)
        trig_after = Signal(xlen)
        m.d.comb += [spc_after.eq(spc), trig_after.eq(trig)]
        with m.If(self.m_lrw):
            m.d.comb += [spc_after.eq(self.m_lrw_value), trig_after.eq(self.m_lrw_addr | 1)]
        with m.If(self.m_mret):
            m.d.comb += [spc_after.eq(mspc), trig_after.eq(mtrig)]
        with m.If(wr & (num[:2] == 0)):
            m.d.comb += spc_after.eq(self.m_csr_wdata)
        with m.If(wr & (num[:2] == 1)):
            m.d.comb += trig_after.eq(self.m_csr_wdata)
        hit = self.m_retire & trig_after[0] & (self.m_npc == Cat(C(0, 1), trig_after[1:]))
        m.d.comb += [self.m_jump.eq(hit), self.m_target.eq(spc_after)]
        with m.If(self.m_trap):
            m.d.sync += [mspc.eq(spc), mtrig.eq(trig), trig.eq(trig & ~1)]
        with m.Elif(self.m_retire):
            m.d.sync += [spc.eq(spc_after), trig.eq(Mux(hit, trig_after & ~1, trig_after))]
            with m.If(wr & (num[:2] == 2)):
                m.d.sync += mspc.eq(self.m_csr_wdata)
            with m.If(wr & (num[:2] == 3)):
                m.d.sync += mtrig.eq(self.m_csr_wdata)
        return m
