"""Physical memory map: RAM, CLINT, console / sim control (PLATFORM.md).

Only region decoding and device registers live here; alignment, PMP and triggers are
checked by the machine before an access reaches the bus. An address outside every
region, or an access a device does not take, returns None and becomes an access fault.
"""
from spcore import platform as P


class Clint:
    """SiFive-layout CLINT. mtime is the machine's cycle count (one tick per cycle)."""

    def __init__(self, machine):
        self.m = machine
        self.msip = 0
        self.mtimecmp = (1 << 64) - 1

    def read(self, off, size):
        if off == 0 and size == 4:
            return self.msip
        value = None
        if 0x4000 <= off < 0x4008:
            value, base = self.mtimecmp, 0x4000
        elif 0xBFF8 <= off < 0xC000:
            value, base = self.m.mtime(), 0xBFF8
        if value is None:
            return 0 if size in (4, 8) else None       # unused CLINT space reads zero
        return (value >> (8 * (off - base))) & ((1 << (8 * size)) - 1)

    def write(self, off, size, value):
        if off == 0 and size == 4:
            self.msip = value & 1
        elif 0x4000 <= off < 0x4008:
            shift, width = 8 * (off - 0x4000), 8 * size
            keep = ((1 << 64) - 1) ^ (((1 << width) - 1) << shift)
            self.mtimecmp = (self.mtimecmp & keep) | (value << shift)
        elif 0xBFF8 <= off < 0xC000:
            shift, width = 8 * (off - 0xBFF8), 8 * size
            keep = ((1 << 64) - 1) ^ (((1 << width) - 1) << shift)
            self.m.set_mtime((self.m.mtime() & keep) | (value << shift))
        self.m.irq_recheck()
        return True


class Bus:
    def __init__(self, machine, ram_size):
        self.ram = bytearray(ram_size)
        self.ram_base = P.RAM_BASE
        self.ram_end = P.RAM_BASE + ram_size
        self.clint = Clint(machine)
        self.m = machine

    def in_ram(self, addr, size):
        return self.ram_base <= addr and addr + size <= self.ram_end

    def read(self, addr, size):
        """Value read, or None for an access fault."""
        if self.ram_base <= addr and addr + size <= self.ram_end:
            o = addr - self.ram_base
            return int.from_bytes(self.ram[o:o + size], "little")
        if P.CLINT_BASE <= addr < P.CLINT_BASE + P.CLINT_SIZE:
            return self.clint.read(addr - P.CLINT_BASE, size)
        if P.CONSOLE_BASE <= addr < P.CONSOLE_BASE + P.CONSOLE_SIZE:
            return 1 if addr == P.CONSOLE_STATUS else 0
        return None

    def write(self, addr, size, value):
        """True if the write was taken, False for an access fault."""
        if self.ram_base <= addr and addr + size <= self.ram_end:
            o = addr - self.ram_base
            self.ram[o:o + size] = value.to_bytes(size, "little")
            return True
        if P.CLINT_BASE <= addr < P.CLINT_BASE + P.CLINT_SIZE:
            return self.clint.write(addr - P.CLINT_BASE, size, value)
        if P.CONSOLE_BASE <= addr < P.CONSOLE_BASE + P.CONSOLE_SIZE:
            if addr == P.CONSOLE_TX:
                self.m.console_out(value & 0xFF)
            elif addr == P.SIM_EXIT:
                self.m.sim_exit(value & 0xFFFFFFFF)
            return True
        return False

    def load_image(self, addr, data):
        o = addr - self.ram_base
        self.ram[o:o + len(data)] = data
