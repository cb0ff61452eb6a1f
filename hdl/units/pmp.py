"""Physical memory protection: `entries` regions OFF/TOR/NA4/NAPOT with lock bit.

All pmpcfg (RV64: even numbers) and 64 pmpaddr CSRs exist; entries beyond `entries`
read zero and ignore writes; R=0/W=1 is stored as W=0 (as the golden model and Spike).
Two check ports: fetch (IF: 2 bytes, X, current mode) and data (MEM: R or W,
MPRV-adjusted privilege). First matching entry decides; a partial match fails.
"""
from amaranth import *
from amaranth.lib import wiring
from amaranth.lib.wiring import In, Out

L_BIT = 0x80


class Pmp(wiring.Component):
    def __init__(self, xlen, entries):
        self.xlen = xlen
        self.entries = entries
        super().__init__({
            "m_csr_num": In(12), "m_csr_we": In(1), "m_csr_wdata": In(xlen),
            "m_csr_hit": Out(1), "m_csr_rdata": Out(xlen),
            "f_addr": In(xlen), "f_priv": In(2), "f_deny": Out(1),
            "m_addr": In(xlen), "m_size": In(2), "m_write": In(1), "m_priv": In(2),
            "m_deny": Out(1),
        })

    def elaborate(self, platform):
        m = Module()
        xlen, n = self.xlen, self.entries
        per = xlen // 8
        amask = (1 << (32 if xlen == 32 else 54)) - 1
        cfg = [Signal(8, name=f"pmpcfg{i}") for i in range(n)]
        addr = [Signal(xlen, name=f"pmpaddr{i}") for i in range(n)]
        num, wd = self.m_csr_num, self.m_csr_wdata

        is_cfg = (num[4:] == 0x3A) & ((C(1, 1) if xlen == 32 else ~num[0]))
        is_addr = (num >= 0x3B0) & (num < 0x3F0)
        m.d.comb += self.m_csr_hit.eq(is_cfg | is_addr)
        rd = []
        for i in range(n):
            reg = (i // per) * (per // 4)      # RV32: pmpcfg i/4; RV64: even pmpcfg
            sel_cfg = is_cfg & (num[:4] == reg)
            lane = i % per
            locked = cfg[i][7]
            next_tor_locked = (cfg[i + 1][7] & (cfg[i + 1][3:5] == 1)) if i + 1 < n else C(0, 1)
            rd.append(Mux(sel_cfg, cfg[i] << (8 * lane), 0))
            rd.append(Mux(is_addr & ((num - 0x3B0)[:6] == i), addr[i], 0))
            new = wd[8 * lane:8 * lane + 8] & 0x9F
            with m.If(self.m_csr_we & sel_cfg & ~locked):
                m.d.sync += cfg[i].eq(Mux(new[1] & ~new[0], new & ~2, new))
            with m.If(self.m_csr_we & is_addr & ((num - 0x3B0)[:6] == i) & ~locked & ~next_tor_locked):
                m.d.sync += addr[i].eq(wd & amask)
        acc = C(0, xlen)
        for r in rd:
            acc = acc | r
        m.d.comb += self.m_csr_rdata.eq(acc)

        # Region bounds per entry in 4-byte granules, registered: they change only through
        # a CSR write, which redirects from MEM, so no access is checked in the cycle before
        # they follow (the word fetched then is dropped, MEM holds a bubble). Entry i
        # matches granule g when lo <= g and g < hi (TOR) or g <= hi (NA4, NAPOT): the
        # upper bound is TOR's pmpaddr, NA4's pmpaddr itself, NAPOT's pmpaddr with its
        # trailing ones and the zero above them set. No bound needs an adder, and both are
        # kept inverted so that every compare is a bare carry chain of the address and a
        # register (g >= lo: the carry of g + ~lo + 1; g > hi: of g + ~hi; g >= hi: of
        # g + ~hi + 1), with no inverter per bit in front of it.
        gw = 32 if xlen == 32 else 54                   # pmpaddr holds address bits gw+1..2
        lo_n = [Signal(gw, name=f"lo_n{i}") for i in range(n)]
        hi_n = [Signal(gw, name=f"hi_n{i}") for i in range(n)]
        excl = [Signal(name=f"excl{i}") for i in range(n)]     # TOR: hi itself is outside
        for i in range(n):
            a = addr[i][:gw]
            tor, napot = cfg[i][3:5] == 1, cfg[i][3:5] == 3
            # NAPOT: bits 0..k of pmpaddr (its k trailing ones and the zero above them)
            low = napot.replicate(gw) & (a ^ (a + 1)[:gw])
            prev = addr[i - 1][:gw] if i else C(0, gw)
            m.d.sync += [lo_n[i].eq(~Mux(tor, prev, a & ~low)), hi_n[i].eq(~(a | low)),
                         excl[i].eq(tor)]

        # Every checked access is naturally aligned and at most 8 bytes (misaligned ones
        # trap before): it covers the granule g = a >> 2 or, 8 bytes (RV64 only), g and
        # g + 1 with g even (g | 1). So granule numbers compare with the bounds directly.
        # On RV32 an access is one granule: matching it at all is matching it wholly.
        cw = max(xlen - 2, gw)
        ones = C((1 << (cw - gw)) - 1, cw - gw)

        def from_lo(g, i):
            """g >= lo of entry i"""
            return (Cat(C(1, 1), g) + Cat(C(1, 1), lo_n[i], ones))[cw + 1]

        def below_hi(g, i):
            """g < hi of entry i (TOR), g <= hi (NA4, NAPOT)"""
            return ~(Cat(excl[i], g) + Cat(excl[i], hi_n[i], ones))[cw + 1]

        def check(a, two_granules, perm_bit, priv, name):
            """Returns (allowed) for an aligned access at a of at most 8 bytes;
            `two_granules` is None where no access spans two (fetch, RV32's data port)."""
            first = Cat(a[2:], C(0, cw - (xlen - 2)))
            result = Signal(name=name + "_ok")
            m.d.comb += result.eq((priv == 3) | (n == 0))
            for i in reversed(range(n)):     # lowest index last = highest priority
                on = cfg[i][3:5] != 0
                if two_granules is None:
                    overlap = inside = on & from_lo(first, i) & below_hi(first, i)
                else:
                    last = Cat(first[0] | two_granules, first[1:])
                    overlap = on & below_hi(first, i) & from_lo(last, i)
                    inside = from_lo(first, i) & below_hi(last, i)
                decide = Mux(~inside, 0, Mux((priv == 3) & ~cfg[i][7], 1, perm_bit(cfg[i])))
                with m.If(overlap):
                    m.d.comb += result.eq(decide)
            return result

        f_ok = check(self.f_addr, None, lambda c: c[2], self.f_priv, "f")
        m_ok = check(self.m_addr, (self.m_size == 3) if xlen == 64 else None,
                     lambda c: Mux(self.m_write, c[1], c[0]), self.m_priv, "m")
        any_locked = Cat(*(c[7] for c in cfg)).any() if n else C(0, 1)
        m.d.comb += [self.f_deny.eq(~f_ok),
                     self.m_deny.eq(((self.m_priv != 3) | any_locked) & ~m_ok)]
        return m
