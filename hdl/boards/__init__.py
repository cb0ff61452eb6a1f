"""FPGA tops: the SoC with a power-on reset, its console on a UART TX pin, RVFI left out.

`FpgaTop` is what both the cost flow and the board builds synthesize: one clock input, one
UART TX output. Everything the core computes can reach the UART (through stores), so
synthesis keeps the whole core while the top needs only two pins.

Board pins come from the boards' public documentation (iCEBreaker: 12 MHz clock on pin 35,
FTDI RX fed by pin 9; ULX3S: 25 MHz clock on G2, FTDI RXD fed by L4).
"""
from dataclasses import dataclass

from amaranth import *
from amaranth.lib import wiring
from amaranth.lib.wiring import In, Out

from spcore.config import CoreConfig


@dataclass(frozen=True)
class Board:
    name: str
    target: str          # a key of spcore.hdl.fpga.TARGETS
    package: str
    clk_pin: str
    clk_hz: float
    tx_pin: str
    flash: str           # how to program it (for the docs and the command's last line)


BOARDS = {
    "icebreaker": Board("icebreaker", "ice40-up5k", "sg48", "35", 12e6, "9",
                        "iceprog {bit}"),
    "ulx3s-85f": Board("ulx3s-85f", "ecp5-85k", "CABGA381", "G2", 25e6, "L4",
                       "openFPGALoader --board ulx3s {bit}"),
    "ulx3s-25f": Board("ulx3s-25f", "ecp5-25k", "CABGA381", "G2", 25e6, "L4",
                       "openFPGALoader --board ulx3s {bit}"),
}


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


def constraints(board: Board) -> str:
    """PCF (iCE40) or LPF (ECP5) text for the top's two pins."""
    if board.target.startswith("ice40"):
        return f"set_io clk_in {board.clk_pin}\nset_io uart_tx {board.tx_pin}\n"
    period = 1e9 / board.clk_hz
    return (f'LOCATE COMP "clk_in" SITE "{board.clk_pin}";\n'
            f'IOBUF PORT "clk_in" IO_TYPE=LVCMOS33;\n'
            f'FREQUENCY PORT "clk_in" {board.clk_hz / 1e6:g} MHZ;\n'
            f'LOCATE COMP "uart_tx" SITE "{board.tx_pin}";\n'
            f'IOBUF PORT "uart_tx" IO_TYPE=LVCMOS33 DRIVE=4;\n'
            f"# period {period:.1f} ns\n")
