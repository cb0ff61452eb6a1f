"""Xspc: shadow PC state, its CSRs, and the shadow jump (EXTENSIONS.md).

Sits at the commit point (MEM): the state after the committing instruction's own effect
(CSR write, lrw2spc load, mret restore) is compared with its next pc; on a match the
pipeline is redirected to spc and the trigger disarmed. Trap entry saves and disarms.

Area: one instruction is at most one of lrw2spc, mret and a CSR write, so each register
loads one of three sources under its flip-flop enable, and the trigger compare is split by
that source (four small compares of registered or early values against the next pc)
instead of comparing the next pc with the muxed new trigger (a wide function per bit).
The core fetches the jump target from `spc` one cycle later, when the register holds it;
`m_target` (the target in the commit cycle) only feeds the RVFI record.
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
            "m_target": Out(xlen),      # spc after this commit (RVFI)
            "spc": Out(xlen),           # the register: the jump target one cycle later
        })

    def elaborate(self, platform):
        m = Module()
        xlen = self.xlen
        spc, trig = Signal(xlen, name="spc"), Signal(xlen, name="spctrig")
        mspc, mtrig = Signal(xlen, name="mspc"), Signal(xlen, name="mspctrig")
        num = self.m_csr_num
        hit = num[2:] == (0x7C0 >> 2)
        m.d.comb += [self.spc.eq(spc), self.m_csr_hit.eq(hit),
                     self.m_csr_rdata.eq(Array([spc, trig, mspc, mtrig])[num[:2]] &
                                         hit.replicate(xlen))]
        wr = [self.m_csr_we & hit & (num[:2] == i) for i in range(4)]
        lrw, mret, wdata, npc = self.m_lrw, self.m_mret, self.m_csr_wdata, self.m_npc
        spc_set = lrw | mret | wr[0]
        trig_set = lrw | mret | wr[1]
        spc_new = Mux(mret, mspc, Mux(lrw, self.m_lrw_value, wdata))
        trig_new = Mux(mret, mtrig, Mux(lrw, Cat(C(1, 1), self.m_lrw_addr[1:]), wdata))
        m.d.comb += self.m_target.eq(Mux(spc_set, spc_new, spc))

        def armed_at_npc(t):
            return t[0] & (t[1:] == npc[1:])
        hit_after = Mux(lrw, self.m_lrw_addr[1:] == npc[1:],
                        Mux(mret, armed_at_npc(mtrig),
                            Mux(wr[1], armed_at_npc(wdata), armed_at_npc(trig))))
        jump = self.m_retire & hit_after
        m.d.comb += self.m_jump.eq(jump)
        with m.If(self.m_trap):
            m.d.sync += [mspc.eq(spc), mtrig.eq(trig), trig[0].eq(0)]
        with m.Elif(self.m_retire):
            with m.If(spc_set):
                m.d.sync += spc.eq(spc_new)
            with m.If(trig_set):
                m.d.sync += trig.eq(trig_new)
            with m.If(jump):
                m.d.sync += trig[0].eq(0)
            with m.If(wr[2]):
                m.d.sync += mspc.eq(wdata)
            with m.If(wr[3]):
                m.d.sync += mtrig.eq(wdata)
        return m
