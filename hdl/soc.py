"""The SoC of PLATFORM.md: core + RAM + CLINT + console/sim-control.

RAM: two interleaved banks of 32-bit words (even / odd word addresses), each with one
read port for instruction fetch (the core gets the word at the fetch address and the
next one) and one read/write port for data (a 64-bit aligned access uses both banks).
Synchronous reads, byte write enables: maps to block RAM. A program is written through
the load port (`load_en`/`load_addr`/`load_data`, 32-bit words) while `rst` is held.

CLINT (SiFive layout): msip, mtimecmp, mtime; mtime counts +1 per clock (the golden
model's mtime = its cycle count; in lockstep the bench overrides time reads).
Console: a write of +0 emits a byte (`console_valid`/`console_data`; with `uart_baud`
set, also shifted out on `uart_tx`); +4 reads 1 when a byte can be written; a write of
+8 ends the simulation (`sim_exit_valid`/`sim_exit_code`). Other addresses fault in the
core (its LSU knows the map), so the SoC ignores them.
"""
from amaranth import *
from amaranth.lib import wiring
from amaranth.lib.memory import Memory
from amaranth.lib.wiring import In, Out

from spcore import platform as P
from spcore.config import CoreConfig

from .core import PERF, Core
from .layouts import pipeview_fields
from .units.rvfi import rvfi_fields


class UartTx(wiring.Component):
    """8N1 transmitter: `divisor` clocks per bit."""
    data: In(8)
    start: In(1)
    busy: Out(1)
    tx: Out(1, init=1)

    def __init__(self, divisor):
        self.divisor = divisor
        super().__init__()

    def elaborate(self, platform):
        m = Module()
        shift = Signal(10)
        bits = Signal(range(11))
        count = Signal(range(self.divisor + 1))
        m.d.comb += self.busy.eq(bits != 0)
        with m.If(self.start & (bits == 0)):
            m.d.sync += [shift.eq(Cat(C(0, 1), self.data, C(1, 1))), bits.eq(10),
                         count.eq(self.divisor - 1), self.tx.eq(0)]
        with m.Elif(bits != 0):
            with m.If(count == 0):
                m.d.sync += [shift.eq(shift >> 1), bits.eq(bits - 1),
                             self.tx.eq(Mux(bits == 1, 1, shift[1])),
                             count.eq(self.divisor - 1)]
            with m.Else():
                m.d.sync += count.eq(count - 1)
        return m


class SoC(wiring.Component):
    def __init__(self, config: CoreConfig = CoreConfig(), uart_baud=None, clk_freq=None):
        self.config = config
        self.uart_divisor = None
        if uart_baud:
            self.uart_divisor = max(1, round((clk_freq or 50e6) / uart_baud))
        xlen = config.xlen
        members = {
            "sim_exit_valid": Out(1), "sim_exit_code": Out(32),
            "console_valid": Out(1), "console_data": Out(8),
            "load_en": In(1), "load_addr": In(32), "load_data": In(32),
        }
        if uart_baud:
            members["uart_tx"] = Out(1)
        members.update({"perf_" + p: Out(32) for p in PERF})
        if config.rvfi:
            members.update({"rvfi_" + k: Out(w) for k, w in rvfi_fields(xlen).items()})
            members.update({"pv_" + k: Out(w) for k, w in pipeview_fields(xlen).items()})
        super().__init__(members)

    def elaborate(self, platform):
        m = Module()
        cfg = self.config
        xlen = cfg.xlen
        m.submodules.core = core = Core(cfg)
        words = cfg.ram_size // 8                   # per bank
        abits = (cfg.ram_size - 1).bit_length()

        # ---------------------------------------------------------------- RAM
        banks = []
        for i in range(2):
            # no_rw_check: a read in the cycle a write changes the same word may return
            # anything on an FPGA, so synthesis needs no collision logic and can merge the
            # data read and write ports into one (a true dual-port block RAM per bank). The
            # core never relies on that read: a load waits while a store writes, and a word
            # fetched as the store to it commits is at least three instructions behind it,
            # which the ISA leaves undefined without fence.i.
            mem = Memory(shape=32, depth=words, init=[], attrs={"no_rw_check": 1})
            m.submodules[f"ram{i}"] = mem
            banks.append((mem.read_port(), mem.read_port(), mem.write_port(granularity=8)))
        # the fetch window: the word at ibus_addr and the next; bank 0 holds the even one
        # of the two, at the pair index of ibus_addr + 4, bank 1 the odd one, at the pair
        # index of ibus_addr (fetch computes both addresses, so no adder here)
        odd = Signal()
        m.d.sync += odd.eq(core.ibus_addr[2])
        (i0, d0, w0), (i1, d1, w1) = banks
        m.d.comb += [
            i0.addr.eq(core.ibus_addr_plus4[3:abits]), i1.addr.eq(core.ibus_addr[3:abits]),
            core.ibus_data.eq(Mux(odd, Cat(i1.data, i0.data), Cat(i0.data, i1.data))),
        ]
        dw = core.dbus_addr[3:abits]
        in_ram = (core.dbus_addr >= P.RAM_BASE) & (core.dbus_addr < P.RAM_BASE + cfg.ram_size)
        ram_we = core.dbus_we & in_ram
        m.d.comb += [d0.addr.eq(dw), d1.addr.eq(dw), w0.addr.eq(dw), w1.addr.eq(dw),
                     w0.data.eq(core.dbus_wdata[:32]), w1.data.eq(core.dbus_wdata[32:]),
                     w0.en.eq(Mux(ram_we, core.dbus_wmask[:4], 0)),
                     w1.en.eq(Mux(ram_we, core.dbus_wmask[4:], 0))]
        with m.If(self.load_en):       # program load (core held in reset)
            lw = self.load_addr[2:abits]
            m.d.comb += [w0.addr.eq(lw[1:]), w1.addr.eq(lw[1:]),
                         w0.data.eq(self.load_data), w1.data.eq(self.load_data),
                         w0.en.eq(Mux(lw[0], 0, 0xF)), w1.en.eq(Mux(lw[0], 0xF, 0))]

        # ---------------------------------------------------------------- CLINT
        msip = Signal()
        mtimecmp = Signal(64, init=(1 << 64) - 1)
        mtime = Signal(64)
        a = core.dbus_addr
        wd, wm, we = core.dbus_wdata, core.dbus_wmask, core.dbus_we

        def merge(old):
            return Cat(*(Mux(wm[i], wd[8 * i:8 * i + 8], old[8 * i:8 * i + 8]) for i in range(8)))
        m.d.sync += mtime.eq(mtime + 1)
        with m.If(we & (a == P.CLINT_MSIP) & wm[0]):
            m.d.sync += msip.eq(wd[0])
        with m.If(we & (a == P.CLINT_MTIMECMP)):
            m.d.sync += mtimecmp.eq(merge(mtimecmp))
        with m.If(we & (a == P.CLINT_MTIME)):
            m.d.sync += mtime.eq(merge(mtime))
        # MTIP is registered: the 64-bit compare stays off the core's interrupt paths
        mtip = Signal()
        m.d.sync += mtip.eq(mtime >= mtimecmp)
        m.d.comb += [core.irq_msi.eq(msip), core.irq_mti.eq(mtip),
                     core.irq_mei.eq(0), core.mtime.eq(mtime)]

        # ---------------------------------------------------------------- console
        tx_ready = C(1, 1)
        tx_write = we & (a == P.CONSOLE_TX) & wm[0]
        m.d.comb += [self.console_valid.eq(tx_write), self.console_data.eq(wd[:8]),
                     self.sim_exit_valid.eq(we & (a == P.SIM_EXIT) & wm[0]),
                     self.sim_exit_code.eq(wd[:32])]
        if self.uart_divisor:
            m.submodules.uart = uart = UartTx(self.uart_divisor)
            # the byte starts a cycle after the store: the store's address checks and
            # the transmitter's start logic are not one combinational path
            start, byte = Signal(), Signal(8)
            m.d.sync += [start.eq(tx_write), byte.eq(wd[:8])]
            m.d.comb += [uart.data.eq(byte), uart.start.eq(start), self.uart_tx.eq(uart.tx)]
            tx_ready = ~uart.busy & ~start

        # ---------------------------------------------------------------- read mux
        sel = Signal(3)
        dev = Signal(64)
        m.d.sync += sel.eq(Mux(in_ram, 1, Mux(a == P.CLINT_MSIP, 2, Mux(
            a == P.CLINT_MTIMECMP, 3, Mux(a == P.CLINT_MTIME, 4, Mux(a == P.CONSOLE_BASE, 5, 0))))))
        m.d.sync += dev.eq(Mux(a == P.CLINT_MSIP, msip, Mux(
            a == P.CLINT_MTIMECMP, mtimecmp, Mux(a == P.CLINT_MTIME, mtime,
                                                 Mux(a == P.CONSOLE_BASE, tx_ready << 32, 0)))))
        m.d.comb += core.dbus_rdata.eq(Mux(sel == 1, Cat(d0.data, d1.data), dev))

        for p in PERF:
            m.d.comb += getattr(self, "perf_" + p).eq(getattr(core, "perf_" + p))
        if cfg.rvfi:
            for k in rvfi_fields(xlen):
                m.d.comb += getattr(self, "rvfi_" + k).eq(getattr(core, "rvfi_" + k))
            for k in pipeview_fields(xlen):             # --pipeview debug port
                m.d.comb += getattr(self, "pv_" + k).eq(getattr(core, "pv_" + k))
        return m
