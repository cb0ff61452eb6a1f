"""Load/store unit.

EX: alignment check, byte lanes of a 64-bit data bus (`x_bus_*`, address 8-byte
aligned); the SoC answers a read one cycle later, in MEM, where the region (PMA) check
runs on the registered address and the loaded value is extracted and sign/zero-extended.
"""
from amaranth import *
from amaranth.lib import wiring
from amaranth.lib.wiring import In, Out

from spcore import platform as P


def in_region(addr, base, size):
    return (addr >= base) & (addr < base + size)


class Lsu(wiring.Component):
    def __init__(self, xlen, ram_size):
        self.xlen = xlen
        self.ram_size = ram_size
        super().__init__({
            "x_addr": In(xlen), "x_size": In(2), "x_wdata": In(xlen),
            "x_misaligned": Out(1),
            "x_bus_addr": Out(xlen), "x_bus_wmask": Out(8), "x_bus_wdata": Out(64),
            "m_addr": In(xlen), "m_funct3": In(3), "m_bus_rdata": In(64),
            "m_unmapped": Out(1),
            "m_value": Out(xlen),      # loaded value, extended to XLEN
            "m_raw": Out(64),          # the size bytes as read (RVFI mem_rdata)
        })

    def elaborate(self, platform):
        m = Module()
        a, size, xlen = self.x_addr, self.x_size, self.xlen
        nbytes = Signal(4)
        m.d.comb += nbytes.eq(C(1, 4) << size)
        low = a[:3]
        m.d.comb += [
            self.x_misaligned.eq(Mux(size == 0, 0, Mux(size == 1, a[0], Mux(size == 2, a[:2] != 0,
                                                                           a[:3] != 0)))),
            self.x_bus_addr.eq(Cat(C(0, 3), a[3:])),
            self.x_bus_wmask.eq(((C(1, 9) << nbytes) - 1)[:8] << low),
            self.x_bus_wdata.eq(self.x_wdata << (low * 8)),
        ]
        ma = self.m_addr
        m.d.comb += self.m_unmapped.eq(~(in_region(ma, P.RAM_BASE, self.ram_size)
                                         | in_region(ma, P.CLINT_BASE, P.CLINT_SIZE)
                                         | in_region(ma, P.CONSOLE_BASE, P.CONSOLE_SIZE)))
        shifted = Signal(64)
        m.d.comb += shifted.eq(self.m_bus_rdata >> (ma[:3] * 8))
        f3 = self.m_funct3
        with m.Switch(f3[:2]):
            with m.Case(0):
                m.d.comb += self.m_raw.eq(shifted[:8])
            with m.Case(1):
                m.d.comb += self.m_raw.eq(shifted[:16])
            with m.Case(2):
                m.d.comb += self.m_raw.eq(shifted[:32])
            with m.Default():
                m.d.comb += self.m_raw.eq(shifted)
        with m.Switch(f3):
            with m.Case(0):
                m.d.comb += self.m_value.eq(shifted[:8].as_signed())
            with m.Case(1):
                m.d.comb += self.m_value.eq(shifted[:16].as_signed())
            with m.Case(2):
                m.d.comb += self.m_value.eq(shifted[:32].as_signed())
            with m.Default():            # ld, lbu, lhu, lwu: raw bytes, zero-extended
                m.d.comb += self.m_value.eq(self.m_raw)
        return m
