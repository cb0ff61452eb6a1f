"""Physical memory protection (privileged spec 3.7), granularity 4 bytes.

All 16 pmpcfg and 64 pmpaddr CSRs exist; entries at or above `n_entries` read as zero
and ignore writes (WARL), as the spec allows. R=0/W=1 is reserved: W is cleared, as
Spike does.
"""
OFF, TOR, NA4, NAPOT = 0, 1, 2, 3
R, W, X, L = 1, 2, 4, 0x80


class Pmp:
    def __init__(self, n_entries, xlen):
        self.n = n_entries
        self.xlen = xlen
        self.cfg = [0] * 64
        self.addr = [0] * 64
        self.addr_mask = (1 << (32 if xlen == 32 else 54)) - 1
        self.ranges = []          # [(lo, hi, cfg)] of enabled entries, priority order
        self.any_locked = False

    # ---- CSR access -------------------------------------------------------------
    def cfg_regs_valid(self, index):
        return self.xlen == 32 or index % 2 == 0   # RV64: odd pmpcfg do not exist

    def read_cfg(self, index):
        per = self.xlen // 8
        first = index * 4                          # entry of byte 0 (RV64: index even)
        return sum(self.cfg[first + i] << (8 * i) for i in range(per))

    def write_cfg(self, index, value):
        per = self.xlen // 8
        for i in range(per):
            e = index * 4 + i
            c = (value >> (8 * i)) & 0x9F
            if e >= self.n or self.cfg[e] & L:
                continue
            if c & W and not c & R:
                c &= ~W
            self.cfg[e] = c
        self._rebuild()

    def read_addr(self, i):
        return self.addr[i] if i < self.n else 0

    def write_addr(self, i, value):
        if i >= self.n or self.cfg[i] & L:
            return
        if i + 1 < self.n and self.cfg[i + 1] & L and (self.cfg[i + 1] >> 3) & 3 == TOR:
            return
        self.addr[i] = value & self.addr_mask
        self._rebuild()

    def _rebuild(self):
        self.ranges = []
        for i in range(self.n):
            c = self.cfg[i]
            a = (c >> 3) & 3
            if a == OFF:
                continue
            if a == TOR:
                lo = (self.addr[i - 1] << 2) if i else 0
                hi = self.addr[i] << 2
            elif a == NA4:
                lo, hi = self.addr[i] << 2, (self.addr[i] << 2) + 4
            else:
                ones = 0
                v = self.addr[i]
                while v & 1:
                    ones += 1
                    v >>= 1
                size = 1 << (ones + 3)
                lo = (self.addr[i] & ~((1 << ones) - 1)) << 2
                hi = lo + size
            self.ranges.append((lo, hi, c))
        self.any_locked = any(c & L for c in self.cfg[:self.n])

    # ---- checks -------------------------------------------------------------------
    def allows(self, addr, size, perm, priv):
        """Does PMP allow an access of `size` bytes at addr with perm R/W/X at priv?"""
        end = addr + size
        for lo, hi, c in self.ranges:
            if addr < hi and end > lo:                  # any byte matches this entry
                if not (lo <= addr and end <= hi):      # partial match: fails
                    return False
                if priv == 3 and not c & L:
                    return True
                return bool(c & perm)
        return priv == 3 or self.n == 0
