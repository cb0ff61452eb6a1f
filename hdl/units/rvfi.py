"""RVFI controller: registers the commit stage's retirement record onto the rvfi_* port.

Adds `order` and `intr` (set on the first record after an interrupt trap). Only
instantiated when CoreConfig.rvfi is true; otherwise no record logic exists.
"""
from amaranth import *
from amaranth.lib import wiring
from amaranth.lib.wiring import In, Out


def rvfi_fields(xlen):
    return {
        "valid": 1, "order": 64, "insn": 64, "trap": 1, "halt": 1, "intr": 1, "mode": 2,
        "ixl": 2, "rs1_addr": 5, "rs2_addr": 5, "rs1_rdata": xlen, "rs2_rdata": xlen,
        "rd_addr": 5, "rd_wdata": xlen, "pc_rdata": xlen, "pc_wdata": xlen,
        "mem_addr": xlen, "mem_rmask": 8, "mem_wmask": 8, "mem_rdata": 64, "mem_wdata": 64,
        "ext_mip": xlen, "ext_mcycle": 64,
    }


# fields the core computes (order/intr/halt/ixl are the controller's)
RECORD = ("valid", "insn", "trap", "mode", "rs1_addr", "rs2_addr", "rs1_rdata", "rs2_rdata",
          "rd_addr", "rd_wdata", "pc_rdata", "pc_wdata", "mem_addr", "mem_rmask",
          "mem_wmask", "mem_rdata", "mem_wdata", "ext_mip", "ext_mcycle")


class RvfiController(wiring.Component):
    def __init__(self, xlen):
        self.xlen = xlen
        f = rvfi_fields(xlen)
        members = {"m_" + k: In(f[k]) for k in RECORD}
        members["m_intr_taken"] = In(1)
        members.update({"rvfi_" + k: Out(w) for k, w in f.items()})
        super().__init__(members)

    def elaborate(self, platform):
        m = Module()
        intr_next = Signal()
        count = Signal(64)
        for k in RECORD:
            m.d.sync += getattr(self, "rvfi_" + k).eq(getattr(self, "m_" + k))
        m.d.comb += self.rvfi_ixl.eq(1 if self.xlen == 32 else 2)
        with m.If(self.m_valid):
            m.d.sync += [self.rvfi_intr.eq(intr_next), intr_next.eq(0),
                         self.rvfi_order.eq(count), count.eq(count + 1)]
        with m.If(self.m_intr_taken):
            m.d.sync += intr_next.eq(1)
        return m
