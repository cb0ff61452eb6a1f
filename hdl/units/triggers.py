"""Sdtrig: `count` mcontrol6 address-equal triggers (execute/load/store, m/u), action 0.

tdata1 reads type 6 in its top nibble and the writable bits m(6) u(3) execute(2)
store(1) load(0); other fields read zero. tinfo = 1 << 6. Same choices as the model.
"""
from amaranth import *
from amaranth.lib import wiring
from amaranth.lib.wiring import In, Out

WRITABLE = 0x4F
M_BIT, U_BIT, EXECUTE, STORE, LOAD = 6, 3, 2, 1, 0


class Triggers(wiring.Component):
    def __init__(self, xlen, count):
        self.xlen = xlen
        self.count = count
        super().__init__({
            "m_csr_num": In(12), "m_csr_we": In(1), "m_csr_wdata": In(xlen),
            "m_csr_hit": Out(1), "m_csr_rdata": Out(xlen),
            "mode": In(2),
            "f_pc": In(xlen), "f_hit": Out(1),
            "m_addr": In(xlen), "m_load": In(1), "m_store": In(1), "m_hit": Out(1),
        })

    def elaborate(self, platform):
        m = Module()
        xlen, n = self.xlen, self.count
        if n == 0:
            return m
        sel = Signal(range(n))
        ctrl = [Signal(7, name=f"tctrl{i}") for i in range(n)]
        addr = [Signal(xlen, name=f"taddr{i}") for i in range(n)]
        num, wd, we = self.m_csr_num, self.m_csr_wdata, self.m_csr_we
        m.d.comb += self.m_csr_hit.eq((num == 0x7A0) | (num == 0x7A1) | (num == 0x7A2) | (num == 0x7A4))
        cur_ctrl = Array(ctrl)[sel]
        cur_addr = Array(addr)[sel]
        with m.Switch(num):
            with m.Case(0x7A0):
                m.d.comb += self.m_csr_rdata.eq(sel)
                with m.If(we & (wd < n)):
                    m.d.sync += sel.eq(wd)
            with m.Case(0x7A1):
                m.d.comb += self.m_csr_rdata.eq((C(6, 4) << (xlen - 4)) | cur_ctrl)
                with m.If(we):
                    m.d.sync += cur_ctrl.eq(wd & WRITABLE)
            with m.Case(0x7A2):
                m.d.comb += self.m_csr_rdata.eq(cur_addr)
                with m.If(we):
                    m.d.sync += cur_addr.eq(wd)
            with m.Case(0x7A4):
                m.d.comb += self.m_csr_rdata.eq(1 << 6)
            with m.Default():
                m.d.comb += self.m_csr_rdata.eq(0)

        mode_bit = lambda c: Mux(self.mode == 3, c[M_BIT], c[U_BIT])
        f_hits, m_hits = [], []
        for c, a in zip(ctrl, addr):
            f_hits.append(c[EXECUTE] & mode_bit(c) & (a == self.f_pc))
            kind = (self.m_load & c[LOAD]) | (self.m_store & c[STORE])
            m_hits.append(kind & mode_bit(c) & (a == self.m_addr))
        m.d.comb += [self.f_hit.eq(Cat(*f_hits).any()), self.m_hit.eq(Cat(*m_hits).any())]
        return m
