"""Integer register file: two read ports (ID, asynchronous) and one write port (WB).

A write in the same cycle as a read of that register is bypassed, so WB never stalls ID.
"""
from amaranth import *
from amaranth.lib import wiring
from amaranth.lib.memory import Memory
from amaranth.lib.wiring import In, Out


class RegFile(wiring.Component):
    def __init__(self, xlen):
        self.xlen = xlen
        super().__init__({"d_rs1": In(5), "d_rs2": In(5), "d_rs1_data": Out(xlen),
                          "d_rs2_data": Out(xlen), "w_rd": In(5), "w_en": In(1),
                          "w_data": In(xlen)})

    def elaborate(self, platform):
        m = Module()
        m.submodules.mem = mem = Memory(shape=self.xlen, depth=32, init=[])
        wp = mem.write_port()
        m.d.comb += [wp.addr.eq(self.w_rd), wp.data.eq(self.w_data),
                     wp.en.eq(self.w_en & (self.w_rd != 0))]
        for rs, out in ((self.d_rs1, self.d_rs1_data), (self.d_rs2, self.d_rs2_data)):
            rp = mem.read_port(domain="comb")
            m.d.comb += rp.addr.eq(rs)
            with m.If(rs == 0):
                m.d.comb += out.eq(0)
            with m.Elif(self.w_en & (self.w_rd == rs)):
                m.d.comb += out.eq(self.w_data)
            with m.Else():
                m.d.comb += out.eq(rp.data)
        return m
