"""Machine CSR file: status, trap CSRs, counters, privilege mode (PLATFORM.md).

PMP, trigger and Xspc CSRs live in their own units; the core ORs all `m_csr_hit` /
`m_csr_rdata`. Reads and writes happen at the commit point (MEM). A hit means "exists
and may be accessed at this privilege" for the counters gated by mcounteren; the core
adds the generic privilege and read-only checks (number bits [9:8], [11:10]).
"""
from amaranth import *
from amaranth.lib import wiring
from amaranth.lib.wiring import In, Out

MIE_MASK = (1 << 3) | (1 << 7) | (1 << 11)


class CsrFile(wiring.Component):
    def __init__(self, xlen, spc, jall):
        self.xlen = xlen
        self.misa = ((1 if xlen == 32 else 2) << (xlen - 2)) | (1 << 8) | (1 << 12) | (1 << 2) | (1 << 20)
        if spc or jall:
            self.misa |= 1 << 23
        super().__init__({
            "m_csr_num": In(12), "m_csr_we": In(1), "m_csr_wdata": In(xlen),
            "m_csr_hit": Out(1), "m_csr_rdata": Out(xlen),
            "m_retire": In(1),
            "m_trap": In(1), "m_trap_intr": In(1), "m_trap_cause": In(4), "m_trap_tval": In(xlen),
            "m_pc": In(xlen), "m_mret": In(1),
            "irq_msi": In(1), "irq_mti": In(1), "irq_mei": In(1), "mtime": In(64),
            "mode": Out(2), "data_priv": Out(2), "status_mie": Out(1), "status_tw": Out(1),
            "mie": Out(xlen), "mip": Out(xlen), "mtvec": Out(xlen), "mepc": Out(xlen),
            "mcycle": Out(64), "minstret": Out(64),
        })

    def elaborate(self, platform):
        m = Module()
        xlen = self.xlen
        mode = Signal(2, init=3)
        st_mie, st_mpie, st_mprv, st_tw = Signal(), Signal(), Signal(), Signal()
        st_mpp = Signal(2)
        mtvec, mepc, mcause, mtval, mscratch = (Signal(xlen, name=n) for n in
                                               ("mtvec_r", "mepc_r", "mcause", "mtval", "mscratch"))
        mie = Signal(xlen, name="mie_r")
        mcounteren = Signal(3)
        mcycle, minstret = Signal(64, name="mcycle_r"), Signal(64, name="minstret_r")
        mip = Cat(C(0, 3), self.irq_msi, C(0, 3), self.irq_mti, C(0, 3), self.irq_mei)
        mstatus = Cat(C(0, 3), st_mie, C(0, 3), st_mpie, C(0, 3), st_mpp, C(0, 4), st_mprv,
                      C(0, 3), st_tw)
        if xlen == 64:
            mstatus = Cat(mstatus, C(0, 10), C(2, 2))      # UXL = 2 (U-mode is RV64)

        m.d.comb += [
            self.mode.eq(mode), self.status_mie.eq(st_mie), self.status_tw.eq(st_tw),
            self.data_priv.eq(Mux((mode == 3) & st_mprv, st_mpp, mode)),
            self.mie.eq(mie), self.mip.eq(mip), self.mtvec.eq(mtvec), self.mepc.eq(mepc),
            self.mcycle.eq(mcycle), self.minstret.eq(minstret),
        ]

        num, wd, we = self.m_csr_num, self.m_csr_wdata, self.m_csr_we
        rdata, hit = self.m_csr_rdata, self.m_csr_hit
        counter_ok = lambda bit: (mode == 3) | mcounteren[bit]
        table = {
            0xF11: C(0), 0xF12: C(0), 0xF13: C(0), 0xF14: C(0),
            0x300: mstatus, 0x301: C(self.misa, xlen), 0x304: mie, 0x305: mtvec,
            0x306: mcounteren, 0x340: mscratch, 0x341: mepc, 0x342: mcause, 0x343: mtval,
            0x344: mip, 0xB00: mcycle[:xlen], 0xB02: minstret[:xlen],
        }
        gated = {0xC00: (mcycle[:xlen], 0), 0xC01: (self.mtime[:xlen], 1),
                 0xC02: (minstret[:xlen], 2)}
        if xlen == 32:
            table.update({0xB80: mcycle[32:], 0xB82: minstret[32:]})
            gated.update({0xC80: (mcycle[32:], 0), 0xC81: (self.mtime[32:], 1),
                          0xC82: (minstret[32:], 2)})
        with m.Switch(num):
            for n, v in table.items():
                with m.Case(n):
                    m.d.comb += [rdata.eq(v), hit.eq(1)]
            for n, (v, bit) in gated.items():
                with m.Case(n):
                    m.d.comb += [rdata.eq(v), hit.eq(counter_ok(bit))]
            with m.Default():
                m.d.comb += [rdata.eq(0), hit.eq(0)]

        wr = lambda n: we & (num == n)
        # counters: a write replaces this cycle's / this instruction's increment
        cyc_next = Signal(64)
        ret_next = Signal(64)
        m.d.comb += [cyc_next.eq(mcycle + 1),
                     ret_next.eq(Mux(self.m_retire, minstret + 1, minstret))]
        with m.If(wr(0xB00)):
            m.d.comb += cyc_next.eq(Cat(wd, mcycle[32:]) if xlen == 32 else wd)
        if xlen == 32:
            with m.If(wr(0xB80)):
                m.d.comb += cyc_next.eq(Cat(mcycle[:32], wd))
        with m.If(wr(0xB02)):
            m.d.comb += ret_next.eq(Cat(wd, minstret[32:]) if xlen == 32 else wd)
        if xlen == 32:
            with m.If(wr(0xB82)):
                m.d.comb += ret_next.eq(Cat(minstret[:32], wd))
        m.d.sync += [mcycle.eq(cyc_next), minstret.eq(ret_next)]

        with m.If(self.m_trap):
            m.d.sync += [
                mepc.eq(self.m_pc),
                mcause.eq(Cat(self.m_trap_cause, C(0, xlen - 5), self.m_trap_intr)),
                mtval.eq(self.m_trap_tval),
                st_mpie.eq(st_mie), st_mie.eq(0), st_mpp.eq(mode), mode.eq(3),
            ]
        with m.Elif(self.m_mret):
            m.d.sync += [mode.eq(st_mpp), st_mie.eq(st_mpie), st_mpie.eq(1), st_mpp.eq(0)]
            with m.If(st_mpp != 3):
                m.d.sync += st_mprv.eq(0)
        with m.Elif(we):
            with m.Switch(num):
                with m.Case(0x300):
                    m.d.sync += [st_mie.eq(wd[3]), st_mpie.eq(wd[7]), st_mprv.eq(wd[17]),
                                 st_tw.eq(wd[21]), st_mpp.eq(Mux(wd[11:13] == 3, 3, 0))]
                with m.Case(0x304):
                    m.d.sync += mie.eq(wd & MIE_MASK)
                with m.Case(0x305):
                    m.d.sync += mtvec.eq(wd & ~2)
                with m.Case(0x306):
                    m.d.sync += mcounteren.eq(wd[:3])
                with m.Case(0x340):
                    m.d.sync += mscratch.eq(wd)
                with m.Case(0x341):
                    m.d.sync += mepc.eq(wd & ~1)
                with m.Case(0x342):
                    m.d.sync += mcause.eq(wd)
                with m.Case(0x343):
                    m.d.sync += mtval.eq(wd)
                with m.Default():
                    pass
        return m
