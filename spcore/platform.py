"""The SoC memory map and simulation contract of PLATFORM.md, in one place."""

RESET_PC = 0x8000_0000

RAM_BASE = 0x8000_0000
RAM_SIZE_DEFAULT = 1 << 20          # 1 MiB in simulation
# --ram-size bounds: the simulators allocate all of it (the model's bytearray, the RTL
# simulators' arrays: Amaranth's needs ~5x), so 256 MiB is the most a 2-core CI machine runs.
RAM_SIZE_MIN, RAM_SIZE_MAX = 1 << 12, 1 << 28

CLINT_BASE = 0x0200_0000
CLINT_SIZE = 0x1_0000
CLINT_MSIP = CLINT_BASE + 0x0
CLINT_MTIMECMP = CLINT_BASE + 0x4000
CLINT_MTIME = CLINT_BASE + 0xBFF8

CONSOLE_BASE = 0x1000_0000
CONSOLE_SIZE = 0x1000
CONSOLE_TX = CONSOLE_BASE + 0x0      # write: one byte to the console
CONSOLE_STATUS = CONSOLE_BASE + 0x4  # read: 1 when TX can take a byte
SIM_EXIT = CONSOLE_BASE + 0x8        # write: end simulation with this exit code (0 = pass)
