"""Integer register file: two synchronous read ports and one write port (WB).

Read ports are synchronous so the file maps to block RAM (ECP5 DP16KD, iCE40
SB_RAM40_4K) instead of LUT RAM or flip-flops. IF presents the source registers of the
instruction that enters ID at the next clock edge (`f_rs*`; while ID holds, the held
instruction's own), and the values appear while it is in ID.

Two bypasses keep ID from seeing stale values: a WB write in the same cycle as ID's
(`w_*`), and the write of the cycle before, which the RAM did not return because the
read and the write happened at the same edge (`last_*`). x0 is never written and the RAM
starts zeroed, so it reads as 0 without a special case.
"""
from amaranth import *
from amaranth.lib import wiring
from amaranth.lib.memory import Memory
from amaranth.lib.wiring import In, Out


class RegFile(wiring.Component):
    def __init__(self, xlen):
        self.xlen = xlen
        super().__init__({"f_rs1": In(5), "f_rs2": In(5),
                          "d_rs1": In(5), "d_rs2": In(5), "d_rs1_data": Out(xlen),
                          "d_rs2_data": Out(xlen), "w_rd": In(5), "w_en": In(1),
                          "w_data": In(xlen)})

    def elaborate(self, platform):
        m = Module()
        # block RAM even where LUT RAM exists (ECP5); collisions are bypassed below
        m.submodules.mem = mem = Memory(shape=self.xlen, depth=32, init=[],
                                        attrs={"ram_style": "block", "no_rw_check": 1})
        wp = mem.write_port()
        m.d.comb += [wp.addr.eq(self.w_rd), wp.data.eq(self.w_data),
                     wp.en.eq(self.w_en & (self.w_rd != 0))]
        last_en, last_rd, last_data = Signal(), Signal(5), Signal(self.xlen)
        m.d.sync += [last_en.eq(wp.en), last_rd.eq(self.w_rd), last_data.eq(self.w_data)]
        for f_rs, rs, out in ((self.f_rs1, self.d_rs1, self.d_rs1_data),
                              (self.f_rs2, self.d_rs2, self.d_rs2_data)):
            rp = mem.read_port()
            m.d.comb += rp.addr.eq(f_rs)
            with m.If(wp.en & (self.w_rd == rs)):
                m.d.comb += out.eq(self.w_data)
            with m.Elif(last_en & (last_rd == rs)):
                m.d.comb += out.eq(last_data)
            with m.Else():
                m.d.comb += out.eq(rp.data)
        return m
