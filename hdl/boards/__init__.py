"""FPGA tops: the SoC without RVFI, its console on a UART TX pin.

`FpgaTop` is what the cost flow synthesizes (spcore fpga --target): a bare clock input and
a UART TX output, no board. Everything the core computes can reach the UART (through
stores), so synthesis keeps the whole core while the top needs only two pins.

`BoardTop` is the same SoC on a real board. The board's pins, clock and I/O standards come
from its amaranth-boards platform, not from this file: the top requests UART 0 and drives
only its TX; the `sync` domain is the one the platform creates from its default clock
(with the family's power-on reset: iCE40 holds it >3 us for the block RAMs, ECP5 releases
GSR synchronously), so the SoC runs at the board's oscillator frequency.
"""
import importlib
from dataclasses import dataclass

from amaranth import *
from amaranth.lib import io, wiring
from amaranth.lib.wiring import In, Out

from spcore.config import CoreConfig
from spcore.errors import SpcoreError

UART_BAUD = 115200


@dataclass(frozen=True)
class Board:
    name: str
    platform: str        # "module:Class" in amaranth_boards
    target: str          # a key of spcore.hdl.fpga.TARGETS (family, RAM size)
    flash: str           # how to program it (for the docs and the command's last line)


BOARDS = {
    "hx8k-breakout": Board("hx8k-breakout", "ice40_hx8k_b_evn:ICE40HX8KBEVNPlatform",
                           "ice40-hx8k", "iceprog {bit}"),
    "icebreaker": Board("icebreaker", "icebreaker:ICEBreakerPlatform", "ice40-up5k",
                        "iceprog {bit}"),
    "ulx3s-85f": Board("ulx3s-85f", "ulx3s:ULX3S_85F_Platform", "ecp5-85k",
                       "openFPGALoader --board ulx3s {bit}"),
    "ulx3s-25f": Board("ulx3s-25f", "ulx3s:ULX3S_25F_Platform", "ecp5-25k",
                       "openFPGALoader --board ulx3s {bit}"),
}


def board_platform(board: Board):
    """A fresh amaranth-boards platform object for `board` (one per build: it records requests)."""
    module, cls = board.platform.split(":")
    try:
        mod = importlib.import_module("amaranth_boards." + module)
    except ImportError as e:
        raise SpcoreError(f"amaranth-boards not usable ({e}): pip install '.[fpga]'") from None
    return getattr(mod, cls)()


def ram_words(segments, ram_base, ram_size):
    """32-bit little-endian words of RAM from ELF segments [(addr, bytes)]."""
    image = bytearray(ram_size)
    for addr, data in segments:
        off = addr - ram_base
        image[off:off + len(data)] = data
    return [int.from_bytes(image[i:i + 4], "little") for i in range(0, ram_size, 4)]


def make_soc(config: CoreConfig, clk_hz, baud, words=None):
    """The SoC with a UART; `words` (32-bit RAM words from address 0) baked into the RAM."""
    from spcore.hdl.soc import SoC

    class BakedSoC(SoC):
        def elaborate(self, platform):
            m = super().elaborate(platform)
            if words:
                # The SoC interleaves words over two banks: even words in ram0, odd in ram1.
                m.submodules["ram0"].init = words[0::2]
                m.submodules["ram1"].init = words[1::2]
            return m

    return BakedSoC(config, uart_baud=baud, clk_freq=clk_hz)


class FpgaTop(wiring.Component):
    clk_in: In(1)
    uart_tx: Out(1)

    def __init__(self, soc):
        self.soc = soc
        super().__init__()

    def elaborate(self, platform):
        m = Module()
        # Power-on reset: hold the SoC in reset for 16 clocks after configuration.
        m.domains.por = ClockDomain("por", reset_less=True)
        m.domains.sync = ClockDomain("sync")
        por = Signal(5, init=0)
        m.d.comb += [ClockSignal("por").eq(self.clk_in), ClockSignal("sync").eq(self.clk_in),
                     ResetSignal("sync").eq(~por[4])]
        with m.If(~por[4]):
            m.d.por += por.eq(por + 1)
        m.submodules.soc = soc = self.soc
        m.d.comb += [soc.load_en.eq(0), self.uart_tx.eq(soc.uart_tx)]
        return m


class BoardTop(Elaboratable):
    """The SoC on an amaranth-boards platform; defines no clock domain of its own."""

    def __init__(self, soc):
        self.soc = soc

    def elaborate(self, platform):
        m = Module()
        m.submodules.soc = soc = self.soc
        uart = platform.request("uart", 0, dir="-")
        m.submodules.uart_tx = tx = io.Buffer("o", uart.tx)     # rx etc. get no buffer
        m.d.comb += [soc.load_en.eq(0), tx.o.eq(soc.uart_tx)]
        return m


def board_top(board: Board, config: CoreConfig, words=None):
    """(platform, BoardTop) for `board`, the SoC's UART divisor set from the board clock."""
    platform = board_platform(board)
    return platform, BoardTop(make_soc(config, platform.default_clk_frequency, UART_BAUD, words))


def board_plan(platform, top, **overrides):
    """Amaranth's build plan (RTLIL, constraints, yosys script, build_top.sh) for a board
    top; `overrides` are the platform's template overrides (synth_opts, nextpnr_opts, ...)."""
    return platform.build(top, name="top", do_build=False, emit_src=False, **overrides)
