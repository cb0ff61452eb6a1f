"""Sdtrig: mcontrol6 address-match triggers with action 0 (breakpoint exception).

Supported: match = 0 (equal), size = 0, select = 0 (address), m and u mode bits,
execute / store / load, chain = 0, no debug mode. tdata1's type field reads 6; the
other fields are WARL and read back as zero. tinfo reads 1 << 6 (only type 6).
"""
TYPE_MCONTROL6 = 6
M_BIT, U_BIT, EXECUTE, STORE, LOAD = 1 << 6, 1 << 3, 1 << 2, 1 << 1, 1 << 0
WRITABLE = M_BIT | U_BIT | EXECUTE | STORE | LOAD


class Triggers:
    def __init__(self, count, xlen):
        self.count = count
        self.xlen = xlen
        self.select = 0
        self.ctrl = [0] * count
        self.addr = [0] * count
        self.data_active = False          # a load or store trigger is enabled

    def tdata1(self):
        if self.select >= self.count:
            return 0
        return (TYPE_MCONTROL6 << (self.xlen - 4)) | self.ctrl[self.select]

    def write_tdata1(self, value):
        if self.select < self.count:
            self.ctrl[self.select] = value & WRITABLE
        self.data_active = any(c & (LOAD | STORE) and c & (M_BIT | U_BIT) for c in self.ctrl)

    def tdata2(self):
        return self.addr[self.select] if self.select < self.count else 0

    def write_tdata2(self, value):
        if self.select < self.count:
            self.addr[self.select] = value

    def write_select(self, value):
        if value < self.count:
            self.select = value

    def tinfo(self):
        return 1 << TYPE_MCONTROL6 if self.select < self.count else 1

    def matches(self, kind, addr, priv):
        """kind: EXECUTE, LOAD or STORE; True if an enabled trigger fires."""
        mode_bit = M_BIT if priv == 3 else U_BIT
        for c, a in zip(self.ctrl, self.addr):
            if c & kind and c & mode_bit and a == addr:
                return True
        return False

    def any(self, kind):
        return any(c & kind and c & (M_BIT | U_BIT) for c in self.ctrl)
