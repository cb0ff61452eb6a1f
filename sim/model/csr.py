"""The CSR file of PLATFORM.md (M and U modes, no S-mode).

Access rules (privileged spec 2.1): csr[9:8] is the lowest privilege that may access
it, csr[11:10] == 3 marks it read-only; a CSR that does not exist, an access from a
lower privilege, or a write to a read-only CSR raises illegal instruction. Field
behaviour follows Spike where the spec leaves a WARL choice.
"""
from spcore.isa import CSR_NUMBERS as N

from .spc import MSPC, MSPCTRIG, SPC, SPCTRIG
from .traps import ILLEGAL_INSN, IRQ_MEI, IRQ_MSI, IRQ_MTI, Trap

MSTATUS_MIE, MSTATUS_MPIE = 1 << 3, 1 << 7
MSTATUS_MPP = 3 << 11
MSTATUS_MPRV, MSTATUS_TW = 1 << 17, 1 << 21
MSTATUS_WRITABLE = MSTATUS_MIE | MSTATUS_MPIE | MSTATUS_MPP | MSTATUS_MPRV | MSTATUS_TW
MIE_WRITABLE = (1 << IRQ_MSI) | (1 << IRQ_MTI) | (1 << IRQ_MEI)
MCOUNTEREN_WRITABLE = 0b111          # CY, TM, IR

COUNTER_BITS = {N["cycle"]: 0, N["time"]: 1, N["instret"]: 2,
                N["cycleh"]: 0, N["timeh"]: 1, N["instreth"]: 2}


class CsrFile:
    def __init__(self, m):
        self.m = m
        xlen = m.xlen
        self.mstatus = 0
        self.mtvec = 0
        self.mepc = self.mcause = self.mtval = self.mscratch = 0
        self.mie = 0
        self.mcounteren = 0
        ext = (1 << 8) | (1 << 12) | (1 << 2) | (1 << 20)       # I M C U
        if m.config.spc or m.config.jall:
            ext |= 1 << 23                                      # X: non-standard
        self.misa = ((1 if xlen == 32 else 2) << (xlen - 2)) | ext
        # RV64: mstatus.UXL is read-only 2 (U-mode XLEN = 64); SXL = 0 (no S-mode).
        self.mstatus_fixed = (2 << 32) if xlen == 64 else 0
        self.readers, self.writers = {}, {}
        self._build()

    # ---------------------------------------------------------------- table of CSRs
    def _build(self):
        m, xlen = self.m, self.m.xlen
        r, w = self.readers, self.writers
        hi = xlen == 32

        def rw(num, get, put):
            r[num], w[num] = get, put

        def ro(num, get):
            r[num] = get

        for name in ("mvendorid", "marchid", "mimpid", "mhartid"):
            ro(N[name], lambda: 0)
        rw(N["mstatus"], lambda: self.mstatus | self.mstatus_fixed, self._write_mstatus)
        rw(N["misa"], lambda: self.misa, lambda v: None)             # WARL: writes ignored
        rw(N["mie"], lambda: self.mie, self._write_mie)
        rw(N["mip"], m.mip, lambda v: None)          # MSIP/MTIP/MEIP are driven, read-only
        rw(N["mtvec"], lambda: self.mtvec, self._write_mtvec)
        rw(N["mcounteren"], lambda: self.mcounteren,
           lambda v: setattr(self, "mcounteren", v & MCOUNTEREN_WRITABLE))
        rw(N["mscratch"], lambda: self.mscratch, lambda v: setattr(self, "mscratch", v))
        rw(N["mepc"], lambda: self.mepc, lambda v: setattr(self, "mepc", v & ~1))
        rw(N["mcause"], lambda: self.mcause, lambda v: setattr(self, "mcause", v))
        rw(N["mtval"], lambda: self.mtval, lambda v: setattr(self, "mtval", v))

        mask = m.mask
        rw(N["mcycle"], lambda: m.cycle & mask, lambda v: m.write_counter("cycle", v, 0, xlen))
        rw(N["minstret"], lambda: m.instret & mask,
           lambda v: m.write_counter("instret", v, 0, xlen))
        ro(N["cycle"], lambda: m.cycle & mask)
        ro(N["instret"], lambda: m.instret & mask)
        ro(N["time"], lambda: m.mtime() & mask)
        if hi:
            rw(N["mcycleh"], lambda: m.cycle >> 32, lambda v: m.write_counter("cycle", v, 32, 32))
            rw(N["minstreth"], lambda: m.instret >> 32,
               lambda v: m.write_counter("instret", v, 32, 32))
            ro(N["cycleh"], lambda: (m.cycle >> 32) & mask)
            ro(N["instreth"], lambda: (m.instret >> 32) & mask)
            ro(N["timeh"], lambda: (m.mtime() >> 32) & mask)

        pmp = m.pmp
        for i in range(16):
            if pmp.cfg_regs_valid(i):
                rw(0x3A0 + i, lambda i=i: pmp.read_cfg(i), lambda v, i=i: self._pmp(pmp.write_cfg, i, v))
        for i in range(64):
            rw(0x3B0 + i, lambda i=i: pmp.read_addr(i), lambda v, i=i: self._pmp(pmp.write_addr, i, v))

        t = m.triggers
        if t.count:
            rw(N["tselect"], lambda: t.select, t.write_select)
            rw(N["tdata1"], t.tdata1, lambda v: self._trig(t.write_tdata1, v))
            rw(N["tdata2"], t.tdata2, lambda v: self._trig(t.write_tdata2, v))
            rw(N["tinfo"], t.tinfo, lambda v: None)

        if m.config.spc:
            s = m.spc
            rw(SPC, lambda: s.spc, lambda v: setattr(s, "spc", v))
            rw(SPCTRIG, lambda: s.spctrig, lambda v: setattr(s, "spctrig", v))
            rw(MSPC, lambda: s.mspc, lambda v: setattr(s, "mspc", v))
            rw(MSPCTRIG, lambda: s.mspctrig, lambda v: setattr(s, "mspctrig", v))

    # ---------------------------------------------------------------- field writers
    def _write_mstatus(self, v):
        mpp = (v >> 11) & 3
        if mpp != 3:
            mpp = 0                           # legal values M and U only (Spike: S, H -> U)
        self.mstatus = (v & MSTATUS_WRITABLE & ~MSTATUS_MPP) | (mpp << 11)
        self.m.privilege_changed()

    def _write_mie(self, v):
        self.mie = v & MIE_WRITABLE
        self.m.irq_recheck()

    def _write_mtvec(self, v):
        self.mtvec = v & ~2                    # modes 0 (direct), 1 (vectored); as Spike

    def _pmp(self, write, i, v):
        write(i, v)
        self.m.protection_changed()
        self.m.flush_decode_cache()            # fetch permission is checked at decode

    def _trig(self, write, v):
        write(v)
        self.m.protection_changed()
        self.m.flush_decode_cache()            # execute triggers are compiled in

    # ---------------------------------------------------------------- access
    def access(self, num, priv, writes):
        """Check an access; return (reader, writer). Raises illegal instruction."""
        reader = self.readers.get(num)
        if reader is None or priv < (num >> 8) & 3:
            raise Trap(ILLEGAL_INSN)
        if writes and ((num >> 10) & 3 == 3 or num not in self.writers):
            raise Trap(ILLEGAL_INSN)
        bit = COUNTER_BITS.get(num)
        if bit is not None and priv == 0 and not (self.mcounteren >> bit) & 1:
            raise Trap(ILLEGAL_INSN)
        return reader, self.writers.get(num)
