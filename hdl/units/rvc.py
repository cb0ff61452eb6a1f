"""RVC expander: a 16-bit compressed instruction -> its 32-bit equivalent.

The expansion follows the ISA table's `expands_to` (tests/test_hdl_rvc.py checks all
65536 encodings against it). Reserved and illegal encodings set `illegal`.

`f_rs1` / `f_rs2` are the source registers for the register file's read in IF, decided
by a few select bits instead of the whole expansion (which waits for the legality
checks): exact for every legal instruction (x0 included, which the register file reads
as 0); for an illegal one, or a field the instruction does not read, they may name any
register.
"""
from amaranth import *
from amaranth.lib import wiring
from amaranth.lib.wiring import In, Out


def _i(opcode, rd, f3, rs1, imm12):
    return Cat(C(opcode, 7), rd, C(f3, 3), rs1, imm12)


def _r(opcode, rd, f3, rs1, rs2, f7):
    return Cat(C(opcode, 7), rd, C(f3, 3), rs1, rs2, C(f7, 7))


def _s(opcode, f3, rs1, rs2, imm12):
    return Cat(C(opcode, 7), imm12[0:5], C(f3, 3), rs1, rs2, imm12[5:12])


def _b(f3, rs1, rs2, imm13):
    return Cat(C(0x63, 7), imm13[11], imm13[1:5], C(f3, 3), rs1, rs2, imm13[5:11], imm13[12])


def _j(rd, imm21):
    return Cat(C(0x6F, 7), rd, imm21[12:20], imm21[11], imm21[1:11], imm21[20])


class RvcExpander(wiring.Component):
    f_insn16: In(16)
    f_insn32: Out(32)
    f_illegal: Out(1)
    f_rs1: Out(5)
    f_rs2: Out(5)

    def __init__(self, xlen):
        self.xlen = xlen
        super().__init__()

    def elaborate(self, platform):
        m = Module()
        b = self.f_insn16
        rv64 = self.xlen == 64
        rd = b[7:12]
        rs2 = b[2:7]
        rdp = Cat(b[2:5], C(1, 2))          # x8..x15
        rs1p = Cat(b[7:10], C(1, 2))
        x0, ra, sp = C(0, 5), C(1, 5), C(2, 5)

        imm6 = Cat(b[2:7], b[12]).as_signed()                       # CI
        uimm6 = Cat(b[2:7], b[12])                                  # shift amounts
        addi4spn = Cat(C(0, 2), b[6], b[5], b[11:13], b[7:11])      # 10 bits
        lw_off = Cat(C(0, 2), b[6], b[10:13], b[5])                 # 7 bits
        ld_off = Cat(C(0, 3), b[10:13], b[5:7])                     # 8 bits
        lwsp = Cat(C(0, 2), b[4:7], b[12], b[2:4])                  # 8 bits
        ldsp = Cat(C(0, 3), b[5:7], b[12], b[2:5])                  # 9 bits
        swsp = Cat(C(0, 2), b[9:13], b[7:9])
        sdsp = Cat(C(0, 3), b[10:13], b[7:10])
        a16sp = Cat(C(0, 4), b[6], b[2], b[5], b[3:5], b[12]).as_signed()   # 10 bits
        jimm = Cat(C(0, 1), b[3:6], b[11], b[2], b[7], b[6], b[9:11], b[8], b[12]).as_signed()
        bimm = Cat(C(0, 1), b[3:5], b[10:12], b[2], b[5:7], b[12]).as_signed()
        lui = Cat(b[2:7], b[12]).as_signed()                        # imm[17:12]

        def sx(v, w):
            return v.as_signed()[:w] if len(v) >= w else Cat(v, v[-1].replicate(w - len(v)))

        quadrant, f3 = b[0:2], b[13:16]
        rs1_is_sp = ((quadrant == 0) & (f3 == 0)) | ((quadrant == 2) & f3[1])   # *sp forms
        rs1_is_p = ((quadrant == 0) & (f3 != 0)) | ((quadrant == 1) & f3[2])    # CL CS CB CA
        rs1_is_x0 = ((quadrant == 1) & (f3 == 0b010)) | \
            ((quadrant == 2) & (f3 == 0b100) & ~b[12] & (rs2 != 0))              # c.li, c.mv
        rs2_is_x0 = (quadrant == 1) & (f3[1:] == 0b11)                           # c.beqz/bnez
        m.d.comb += [
            self.f_rs1.eq(Mux(rs1_is_x0, x0, Mux(rs1_is_sp, sp, Mux(rs1_is_p, rs1p, rd)))),
            self.f_rs2.eq(Mux(rs2_is_x0, x0, Mux(quadrant == 2, rs2, rdp))),
        ]

        out, ill = self.f_insn32, self.f_illegal
        m.d.comb += [out.eq(0), ill.eq(0)]
        shamt_bad = C(0, 1) if rv64 else b[12]

        with m.Switch(Cat(b[13:16], b[0:2])):     # funct3 (low bits), quadrant (high bits)
            # ---- quadrant 0
            with m.Case(0b00_000):   # c.addi4spn
                m.d.comb += [out.eq(_i(0x13, rdp, 0, sp, Cat(addi4spn, C(0, 2)))),
                             ill.eq(addi4spn == 0)]
            with m.Case(0b00_010):   # c.lw
                m.d.comb += out.eq(_i(0x03, rdp, 2, rs1p, Cat(lw_off, C(0, 5))))
            with m.Case(0b00_011):   # c.ld (RV64)
                m.d.comb += [out.eq(_i(0x03, rdp, 3, rs1p, Cat(ld_off, C(0, 4)))), ill.eq(not rv64)]
            with m.Case(0b00_110):   # c.sw
                m.d.comb += out.eq(_s(0x23, 2, rs1p, rdp, Cat(lw_off, C(0, 5))))
            with m.Case(0b00_111):   # c.sd (RV64)
                m.d.comb += [out.eq(_s(0x23, 3, rs1p, rdp, Cat(ld_off, C(0, 4)))), ill.eq(not rv64)]
            # ---- quadrant 1
            with m.Case(0b01_000):   # c.addi / c.nop
                m.d.comb += out.eq(_i(0x13, rd, 0, rd, sx(imm6, 12)))
            with m.Case(0b01_001):   # RV32 c.jal, RV64 c.addiw
                if rv64:
                    m.d.comb += [out.eq(_i(0x1B, rd, 0, rd, sx(imm6, 12))), ill.eq(rd == 0)]
                else:
                    m.d.comb += out.eq(_j(ra, sx(jimm, 21)))
            with m.Case(0b01_010):   # c.li
                m.d.comb += out.eq(_i(0x13, rd, 0, x0, sx(imm6, 12)))
            with m.Case(0b01_011):   # c.addi16sp / c.lui
                with m.If(rd == 2):
                    m.d.comb += [out.eq(_i(0x13, sp, 0, sp, sx(a16sp, 12))), ill.eq(a16sp == 0)]
                with m.Else():
                    m.d.comb += [out.eq(Cat(C(0x37, 7), rd, sx(lui, 20))), ill.eq(lui == 0)]
            with m.Case(0b01_100):   # c.srli c.srai c.andi, CA arithmetic
                with m.Switch(b[10:12]):
                    with m.Case(0b00):
                        m.d.comb += [out.eq(_i(0x13, rs1p, 5, rs1p, Cat(uimm6, C(0, 6)))),
                                     ill.eq(shamt_bad)]
                    with m.Case(0b01):
                        m.d.comb += [out.eq(_i(0x13, rs1p, 5, rs1p, Cat(uimm6, C(0b010000, 6)))),
                                     ill.eq(shamt_bad)]
                    with m.Case(0b10):
                        m.d.comb += out.eq(_i(0x13, rs1p, 7, rs1p, sx(imm6, 12)))
                    with m.Default():
                        with m.Switch(Cat(b[5:7], b[12])):
                            with m.Case(0b000):
                                m.d.comb += out.eq(_r(0x33, rs1p, 0, rs1p, rdp, 0x20))
                            with m.Case(0b001):
                                m.d.comb += out.eq(_r(0x33, rs1p, 4, rs1p, rdp, 0))
                            with m.Case(0b010):
                                m.d.comb += out.eq(_r(0x33, rs1p, 6, rs1p, rdp, 0))
                            with m.Case(0b011):
                                m.d.comb += out.eq(_r(0x33, rs1p, 7, rs1p, rdp, 0))
                            with m.Case(0b100):
                                m.d.comb += [out.eq(_r(0x3B, rs1p, 0, rs1p, rdp, 0x20)),
                                             ill.eq(not rv64)]
                            with m.Case(0b101):
                                m.d.comb += [out.eq(_r(0x3B, rs1p, 0, rs1p, rdp, 0)),
                                             ill.eq(not rv64)]
                            with m.Default():
                                m.d.comb += ill.eq(1)
            with m.Case(0b01_101):   # c.j
                m.d.comb += out.eq(_j(x0, sx(jimm, 21)))
            with m.Case(0b01_110):   # c.beqz
                m.d.comb += out.eq(_b(0, rs1p, x0, sx(bimm, 13)))
            with m.Case(0b01_111):   # c.bnez
                m.d.comb += out.eq(_b(1, rs1p, x0, sx(bimm, 13)))
            # ---- quadrant 2
            with m.Case(0b10_000):   # c.slli
                m.d.comb += [out.eq(_i(0x13, rd, 1, rd, Cat(uimm6, C(0, 6)))), ill.eq(shamt_bad)]
            with m.Case(0b10_010):   # c.lwsp
                m.d.comb += [out.eq(_i(0x03, rd, 2, sp, Cat(lwsp, C(0, 4)))), ill.eq(rd == 0)]
            with m.Case(0b10_011):   # c.ldsp (RV64)
                m.d.comb += [out.eq(_i(0x03, rd, 3, sp, Cat(ldsp, C(0, 3)))),
                             ill.eq((rd == 0) | (not rv64))]
            with m.Case(0b10_100):   # c.jr c.mv c.ebreak c.jalr c.add
                with m.If(~b[12]):
                    with m.If(rs2 == 0):
                        m.d.comb += [out.eq(_i(0x67, x0, 0, rd, C(0, 12))), ill.eq(rd == 0)]
                    with m.Else():
                        m.d.comb += out.eq(_r(0x33, rd, 0, x0, rs2, 0))
                with m.Else():
                    with m.If(rs2 == 0):
                        with m.If(rd == 0):
                            m.d.comb += out.eq(C(0x00100073, 32))
                        with m.Else():
                            m.d.comb += out.eq(_i(0x67, ra, 0, rd, C(0, 12)))
                    with m.Else():
                        m.d.comb += out.eq(_r(0x33, rd, 0, rd, rs2, 0))
            with m.Case(0b10_110):   # c.swsp
                m.d.comb += out.eq(_s(0x23, 2, sp, rs2, Cat(swsp, C(0, 4))))
            with m.Case(0b10_111):   # c.sdsp (RV64)
                m.d.comb += [out.eq(_s(0x23, 3, sp, rs2, Cat(sdsp, C(0, 3)))), ill.eq(not rv64)]
            with m.Default():        # c.fld/c.fsd/c.flw... (no F/D) and the 0b100 reserved rows
                m.d.comb += ill.eq(1)
        return m
