"""Fetch with instruction aligner.

The instruction port returns 64 bits: the 32-bit word at the requested address and the
word after it (the SoC's RAM is two interleaved banks), one cycle after the request.
Any 16/32/48-bit instruction starting at a 2-byte boundary lies inside that window, so
one instruction is fetched per cycle with no parcel buffer. The request is the next
`f_pc`, chosen here: redirect target, same pc (stall), or pc + length.

The request carries the address and the address + 4 (`ibus_addr_plus4`): one bank
reads the word at the address, the other the word after it, and each needs its own
word index. For the sequential case both are chosen among values computed from the pc
register (pc + 2/4/6 and each + 4), which are ready before the RAM's data arrives: the
loop RAM -> length -> next request has a mux where it would have two adders (pc + length,
then + 4 for the second bank). That loop is the fetch unit's critical path on an FPGA.
A redirect brings its target + 4 along (`f_target_plus4`), computed beside the target
where it is made (EX's branch compare, for one, is not followed by an adder).
"""
from amaranth import *
from amaranth.lib import wiring
from amaranth.lib.wiring import In, Out

from spcore import platform as P


class Fetch(wiring.Component):
    def __init__(self, xlen, ram_size):
        self.xlen = xlen
        self.ram_size = ram_size
        super().__init__({
            "ibus_addr": Out(xlen), "ibus_addr_plus4": Out(xlen), "ibus_data": In(64),
            "f_stall": In(1), "f_redirect": In(1), "f_target": In(xlen),
            "f_target_plus4": In(xlen),
            "f_valid": Out(1), "f_pc": Out(xlen), "f_insn": Out(48), "f_len": Out(3),
            "f_unmapped": Out(1),
        })

    def elaborate(self, platform):
        m = Module()
        xlen = self.xlen
        pc = Signal(xlen, init=P.RESET_PC)
        valid = Signal()
        insn = Signal(48)
        m.d.comb += insn.eq(Mux(pc[1], self.ibus_data[16:64], self.ibus_data[:48]))
        length = Signal(3)
        with m.If(insn[:2] != 0b11):
            m.d.comb += length.eq(2)
        with m.Elif(insn[2:5] != 0b111):
            m.d.comb += length.eq(4)
        with m.Elif(insn[5] == 0):
            m.d.comb += length.eq(6)   # 48-bit
        with m.Else():
            m.d.comb += length.eq(2)   # 64-bit and longer: illegal, reported as 2 bytes
        after = {n: (pc + n)[:xlen] for n in (2, 4, 6, 8, 10)}   # from the register only
        nxt, nxt4 = Signal(xlen), Signal(xlen)
        with m.If(self.f_redirect):
            m.d.comb += [nxt.eq(self.f_target), nxt4.eq(self.f_target_plus4)]
        with m.Elif(self.f_stall | ~valid):
            m.d.comb += [nxt.eq(pc), nxt4.eq(after[4])]
        with m.Else():
            with m.Switch(length):
                for n in (2, 4, 6):
                    with m.Case(n):
                        m.d.comb += [nxt.eq(after[n]), nxt4.eq(after[n + 4])]
        m.d.sync += [pc.eq(nxt), valid.eq(1)]
        # the instruction ends past RAM: one compare per length on pc + n, chosen by the
        # length. Not pc + length: that adder computes what the request mux above
        # chooses, and abc merged the two, putting a carry chain after the length decode
        # into the fetch loop (the RAM -> RAM critical path of 903d21a).
        end = P.RAM_BASE + self.ram_size
        past = {n: pc + n > end for n in (2, 4, 6)}   # xlen + 1 bits: no wrap at the top
        past_end = Mux(length == 2, past[2], Mux(length == 4, past[4], past[6]))
        m.d.comb += [
            self.ibus_addr.eq(nxt), self.ibus_addr_plus4.eq(nxt4),
            self.f_valid.eq(valid), self.f_pc.eq(pc), self.f_insn.eq(insn), self.f_len.eq(length),
            self.f_unmapped.eq((pc < P.RAM_BASE) | past_end),
        ]
        return m
