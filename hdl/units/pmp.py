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

        # Region bounds per entry, registered: they change only through a CSR write,
        # which redirects from MEM, so no access is checked in the cycle before they
        # follow (the word fetched then is dropped, MEM holds a bubble).
        w = xlen + 4
        lo = [Signal(w, name=f"lo{i}") for i in range(n)]
        hi = [Signal(w, name=f"hi{i}") for i in range(n)]
        for i in range(n):
            mode = cfg[i][3:5]
            tm = Signal(xlen + 1, name=f"tm{i}")
            wide = Cat(addr[i], C(0, 1))
            m.d.comb += tm.eq((wide ^ (wide + 1)) >> 1)          # NAPOT trailing ones
            prev = (addr[i - 1] << 2) if i else C(0, 1)
            with m.Switch(mode):
                with m.Case(1):
                    m.d.sync += [lo[i].eq(prev), hi[i].eq(addr[i] << 2)]
                with m.Case(2):
                    m.d.sync += [lo[i].eq(addr[i] << 2), hi[i].eq((addr[i] << 2) + 4)]
                with m.Default():
                    m.d.sync += [lo[i].eq((wide & ~tm) << 2),
                                 hi[i].eq(((wide & ~tm) << 2) + ((tm + 1) << 3))]

        # Every checked access is naturally aligned and at most 8 bytes (misaligned ones
        # trap before), and every bound is a multiple of 4: an access covers the 4-byte
        # granule g = a >> 2, or, 8 bytes, g and g + 1 with g even (g | 1). So granule
        # numbers compare with the bounds directly, with no a + size adder in front.
        def check(a, two_granules, perm_bit, priv, name):
            """Returns (allowed) for an aligned access at a of at most 8 bytes."""
            first = a.as_unsigned()[2:]
            last = Cat(first[0] | two_granules, first[1:])
            result = Signal(name=name + "_ok")
            m.d.comb += result.eq((priv == 3) | (n == 0))
            for i in reversed(range(n)):     # lowest index last = highest priority
                mode = cfg[i][3:5]
                lo_g, hi_g = lo[i][2:], hi[i][2:]
                overlap = (mode != 0) & (first < hi_g) & (last >= lo_g)
                inside = (lo_g <= first) & (last < hi_g)
                decide = Mux(~inside, 0, Mux((priv == 3) & ~cfg[i][7], 1, perm_bit(cfg[i])))
                with m.If(overlap):
                    m.d.comb += result.eq(decide)
            return result

        f_ok = check(self.f_addr, C(0, 1), lambda c: c[2], self.f_priv, "f")
        m_ok = check(self.m_addr, self.m_size == 3,
                     lambda c: Mux(self.m_write, c[1], c[0]), self.m_priv, "m")
        any_locked = Cat(*(c[7] for c in cfg)).any() if n else C(0, 1)
        m.d.comb += [self.f_deny.eq(~f_ok),
                     self.m_deny.eq(((self.m_priv != 3) | any_locked) & ~m_ok)]
        return m
