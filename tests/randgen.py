"""Random instruction streams for differential tests (tests/test_diff_*.py).

`unprivileged(seed, xlen, compressed, length)` returns assembly text of a straight-line
program with forward branches and jumps: ALU (I, M, RV64 *W), loads and stores into a
4 KiB data area, and, when `compressed`, explicit C instructions (the assembler also
compresses ordinary ones). The same seed gives the same program, so a failure replays
from the seed alone.

Register conventions: x31 = data area base, x8 (s0) = base + 1024 (c.lw/c.sw),
x2 (sp) = base + 2048 (c.lwsp/c.swsp); these are never written. The program ends at the
symbol `end` (the engines stop when the pc reaches it).

`generate(xlen, n, rng, compressed)` (the lead's first generator, kept) draws encodings
directly from the ISA table's mask/match space instead: field values gcc would never
choose, compared at the end of each stream.
"""
import random

from spcore import isa

ALU_RR = "add sub sll slt sltu xor srl sra or and mul mulh mulhsu mulhu div divu rem remu".split()
ALU_RR64 = "addw subw sllw srlw sraw mulw divw divuw remw remuw".split()
ALU_RI = "addi slti sltiu xori ori andi".split()
LOADS = {"lb": 1, "lh": 2, "lw": 4, "lbu": 1, "lhu": 2}
STORES = {"sb": 1, "sh": 2, "sw": 4}
BRANCHES = "beq bne blt bge bltu bgeu".split()
RESERVED = (0, 2, 8, 31)
WRITABLE = [r for r in range(32) if r not in RESERVED]
CREGS = list(range(9, 16))              # rd'/rs' without s0 (a base pointer)
INTERESTING = (0, 1, -1, 2, -2, 0x7FF, -0x800, 0x7FFFFFFF, -0x80000000, 0xFFFFFFFF,
               0x8000000000000000, 0x7FFFFFFFFFFFFFFF, 0x55555555, 0xAAAAAAAA)


class _Gen:
    def __init__(self, seed, xlen, compressed):
        self.r = random.Random(seed)
        self.xlen = xlen
        self.c = compressed
        self.lines = []
        self.labels = {}                # instruction index -> labels placed before it
        self.n = 0

    def value(self):
        r = self.r
        v = r.choice(INTERESTING) if r.random() < 0.3 else r.getrandbits(self.xlen)
        v &= (1 << self.xlen) - 1
        return v - (1 << self.xlen) if v >> (self.xlen - 1) else v

    def rd(self):
        return 0 if self.r.random() < 0.03 else self.r.choice(WRITABLE)

    def rs(self):
        return self.r.randrange(32)

    def forward(self):
        label = f"L{len(self.lines)}_{self.r.randrange(1 << 20)}"
        self.labels.setdefault(self.n + self.r.randint(1, 4), []).append(label)
        return label

    def emit(self, text):
        for label in self.labels.pop(self.n, ()):
            self.lines.append(f"{label}:")
        self.lines.append("    " + text)
        self.n += 1

    def one(self):
        r, x = self.r, self.xlen
        kind = r.choices(("rr", "ri", "shift", "upper", "load", "store", "branch", "jal", "c"),
                         (30, 20, 10, 5, 10, 8, 8, 2, 25 if self.c else 0))[0]
        if kind == "rr":
            ops = ALU_RR + (ALU_RR64 if x == 64 else [])
            self.emit(f"{r.choice(ops)} x{self.rd()}, x{self.rs()}, x{self.rs()}")
        elif kind == "ri":
            ops = ALU_RI + (["addiw"] if x == 64 else [])
            self.emit(f"{r.choice(ops)} x{self.rd()}, x{self.rs()}, {r.randint(-2048, 2047)}")
        elif kind == "shift":
            if x == 64 and r.random() < 0.4:
                op, top = r.choice(("slliw", "srliw", "sraiw")), 31
            else:
                op, top = r.choice(("slli", "srli", "srai")), x - 1
            self.emit(f"{op} x{self.rd()}, x{self.rs()}, {r.randint(0, top)}")
        elif kind == "upper":
            self.emit(f"{r.choice(('lui', 'auipc'))} x{self.rd()}, {r.randrange(1 << 20):#x}")
        elif kind == "load":
            loads = dict(LOADS, **({"ld": 8, "lwu": 4} if x == 64 else {}))
            op = r.choice(sorted(loads))
            self.emit(f"{op} x{self.rd()}, {r.randrange(0, 2048, loads[op])}(x31)")
        elif kind == "store":
            stores = dict(STORES, **({"sd": 8} if x == 64 else {}))
            op = r.choice(sorted(stores))
            self.emit(f"{op} x{self.rs()}, {r.randrange(0, 2048, stores[op])}(x31)")
        elif kind == "branch":
            self.emit(f"{r.choice(BRANCHES)} x{self.rs()}, x{self.rs()}, {self.forward()}")
        elif kind == "jal":
            self.emit(f"jal x{self.rd()}, {self.forward()}")
        else:
            self.compressed()

    def compressed(self):
        r, x = self.r, self.xlen
        nz = [v for v in WRITABLE]
        op = r.choice(["c.addi", "c.li", "c.lui", "c.mv", "c.add", "c.sub", "c.xor", "c.or",
                       "c.and", "c.andi", "c.srli", "c.srai", "c.slli", "c.lw", "c.sw",
                       "c.lwsp", "c.swsp", "c.beqz", "c.bnez", "c.j", "c.nop"]
                      + (["c.addiw", "c.addw", "c.subw", "c.ld", "c.sd", "c.ldsp", "c.sdsp"]
                         if x == 64 else []))
        imm6 = r.choice([v for v in range(-32, 32) if v])
        shamt = r.randint(1, x - 1 if x == 64 else 31)
        rp, rp2 = r.choice(CREGS), r.choice(CREGS)
        text = {
            "c.addi": f"c.addi x{r.choice(nz)}, {imm6}",
            "c.addiw": f"c.addiw x{r.choice(nz)}, {imm6}",
            "c.li": f"c.li x{r.choice(nz)}, {imm6}",
            "c.lui": f"c.lui x{r.choice([v for v in nz if v != 2])}, "
                     f"{r.choice(list(range(1, 32)) + list(range(0xFFFE0, 0x100000)))}",
            "c.mv": f"c.mv x{r.choice(nz)}, x{r.randint(1, 31)}",
            "c.add": f"c.add x{r.choice(nz)}, x{r.randint(1, 31)}",
            "c.sub": f"c.sub x{rp}, x{rp2}", "c.xor": f"c.xor x{rp}, x{rp2}",
            "c.or": f"c.or x{rp}, x{rp2}", "c.and": f"c.and x{rp}, x{rp2}",
            "c.addw": f"c.addw x{rp}, x{rp2}", "c.subw": f"c.subw x{rp}, x{rp2}",
            "c.andi": f"c.andi x{rp}, {imm6}",
            "c.srli": f"c.srli x{rp}, {shamt}", "c.srai": f"c.srai x{rp}, {shamt}",
            "c.slli": f"c.slli x{r.choice(nz)}, {shamt}",
            "c.lw": f"c.lw x{rp}, {r.randrange(0, 128, 4)}(x8)",
            "c.sw": f"c.sw x{r.randint(8, 15)}, {r.randrange(0, 128, 4)}(x8)",
            "c.ld": f"c.ld x{rp}, {r.randrange(0, 256, 8)}(x8)",
            "c.sd": f"c.sd x{r.randint(8, 15)}, {r.randrange(0, 256, 8)}(x8)",
            "c.lwsp": f"c.lwsp x{r.choice(nz)}, {r.randrange(0, 256, 4)}(x2)",
            "c.swsp": f"c.swsp x{r.randint(0, 31)}, {r.randrange(0, 256, 4)}(x2)",
            "c.ldsp": f"c.ldsp x{r.choice(nz)}, {r.randrange(0, 512, 8)}(x2)",
            "c.sdsp": f"c.sdsp x{r.randint(0, 31)}, {r.randrange(0, 512, 8)}(x2)",
            "c.nop": "c.nop",
        }.get(op)
        if op in ("c.beqz", "c.bnez"):
            text = f"{op} x{r.randint(8, 15)}, {self.forward()}"
        elif op == "c.j":
            text = f"c.j {self.forward()}"
        self.emit(text)

    def program(self, length):
        x = self.xlen
        self.lines += [".option norelax", ".section .text.init, \"ax\"", ".globl _start",
                       "_start:", "    la x31, data", "    addi x8, x31, 1024",
                       "    addi x2, x31, 1024", "    addi x2, x2, 1024"]
        for reg in WRITABLE:
            self.lines.append(f"    li x{reg}, {self.value()}")
        start = len(self.lines)
        while self.n < length:
            self.one()
        for idx in sorted(self.labels):
            for label in self.labels[idx]:
                self.lines.append(f"{label}:")
        self.lines += [".globl end", "end:", "    nop", "    j end",
                       ".data", ".align 12", "data:"]
        word = "dword" if x == 64 else "word"
        self.lines += [f"    .{word} {self.r.getrandbits(x):#x}" for _ in range(4096 * 8 // x)]
        self.lines += [".section .tohost, \"aw\"", ".align 3", ".globl tohost",
                       "tohost: .dword 0"]
        assert start
        return "\n".join(self.lines) + "\n"


def unprivileged(seed, xlen=64, compressed=True, length=2000):
    return _Gen(seed, xlen, compressed).program(length)


# ------------------------------------------------------------------ privileged streams
# x28..x30 belong to the trap handler and the generated privileged blocks; random ALU
# code writes neither them nor the base pointers.
PRIV_WRITABLE = [r for r in WRITABLE if r < 28]
SAFE_CSRS = ("mscratch", "mepc", "mcause", "mtval", "mstatus", "mie", "mcounteren",
             "minstret", "misa", "mvendorid", "mhartid", "instret")
MSTATUS_VALUES = (0, 0x8, 0x80, 0x88, 0x1800, 0x1888, 0x800, 0x20000)   # MIE MPIE MPP MPRV
TRAPS = (".4byte 0x00000057", ".2byte 0x0000", "ecall", "ebreak", "c.ebreak",
         "csrr x29, satp", "csrr x29, 0x7ff", "csrw mvendorid, x29",
         "lw x29, 1(x31)", "lh x29, 3(x31)", "sw x29, 2(x31)", "sh x29, 5(x31)",
         "li x29, 0x40000000; lw x30, 0(x29)", "li x29, 0x40000000; sb x30, 4(x29)")
HANDLER = """
    .align 2
handler:                                  # the logs show mcause, mepc, mtval being read
    csrr x28, mcause
    csrr x29, mepc
    csrr x30, mtval
    bltz x28, 3f
    li x30, 8
    bne x28, x30, 1f
    li x30, 0x1800                        # ecall from U: return in M-mode
    csrs mstatus, x30
1:  lhu x30, 0(x29)                       # step over the trapping instruction
    andi x30, x30, 3
    addi x29, x29, 2
    li x28, 3
    bne x30, x28, 2f
    addi x29, x29, 2
2:  csrw mepc, x29
    mret
3:  li x29, 0x02000000                    # software interrupt: clear msip
    sw zero, 0(x29)
    mret
"""


class _PrivGen(_Gen):
    def seq(self, first, *rest):
        """Emit instructions that belong together: forward branches may land on the
        first, never inside (labels due inside move to just after the sequence)."""
        self.emit(first)
        for text in rest:
            due = self.labels.pop(self.n, None)
            if due:
                self.labels.setdefault(self.n + 1, []).extend(due)
            self.lines.append("    " + text)
            self.n += 1

    def filler(self, count):
        for _ in range(count):
            self.one()

    def rd(self):
        return 0 if self.r.random() < 0.03 else self.r.choice(PRIV_WRITABLE)

    def block(self):
        r = self.r
        kind = r.choices(("alu", "csr", "trap", "user", "irq"), (3, 4, 4, 2, 1))[0]
        if kind == "alu":
            self.filler(r.randint(1, 6))
        elif kind == "csr":
            csr = r.choice(SAFE_CSRS)
            op = r.choice(("csrrw", "csrrs", "csrrc", "csrrwi", "csrrsi", "csrrci", "read"))
            if csr == "mstatus":
                value = r.choice(MSTATUS_VALUES)
            elif csr == "mie":
                value = r.choice((0, 8, 0x800, 0x808))
            else:
                value = self.value()
            if op == "read" or csr == "misa":    # Spike's misa is writable (can drop C);
                self.emit(f"csrr x{self.rd()}, {csr}")   # spcore ignores writes (PLATFORM.md)
            elif op.endswith("i"):
                self.emit(f"{op} x{self.rd()}, {csr}, {value & 31 if csr != 'mstatus' else 0}")
            else:
                self.seq(f"li x29, {value}", f"{op} x{self.rd()}, {csr}, x29")
        elif kind == "trap":
            self.seq(*r.choice(TRAPS).split("; "))
        elif kind == "user":
            label = f"U{self.n}_{r.randrange(1 << 20)}"
            self.seq("li x29, 0x1800", "csrc mstatus, x29", f"la x29, {label}",
                     "csrw mepc, x29", "mret")
            self.labels.setdefault(self.n, []).append(label)
            self.filler(r.randint(0, 5))
            # + what U-mode may not do (no mret: a forward branch may have skipped the
            # way into U-mode, and mret in M-mode would jump to a random mepc)
            for _ in range(r.randint(0, 2)):
                self.emit(r.choice(TRAPS[:9] + ("csrr x29, mscratch", "csrr x29, instret",
                                                "csrw mstatus, x0")))
            self.emit("ecall")
        else:                                   # pending first, then enabled: taken at once
            self.seq("li x29, 8", "csrw mie, x29", "li x29, 0x02000000", "li x30, 1",
                     "sw x30, 0(x29)", "csrsi mstatus, 8", "nop", "csrci mstatus, 8")

    def program(self, blocks):
        self.lines += [".option norelax", ".section .text.init, \"ax\"", ".globl _start",
                       "_start:", "    la x31, data", "    addi x8, x31, 1024",
                       "    addi x2, x31, 1024", "    addi x2, x2, 1024",
                       "    la x29, handler", "    csrw mtvec, x29",
                       "    li x29, -1", "    csrw pmpaddr0, x29",   # all memory for U
                       "    li x29, 0x1f", "    csrw pmpcfg0, x29",
                       # mtimecmp's reset value is unspecified (Spike: 0): no timer irq
                       "    li x29, 0x02004000", "    li x30, -1", "    sw x30, 0(x29)",
                       "    sw x30, 4(x29)",
                       # Spike's boot ROM retires 5 instructions before _start
                       "    csrw minstret, zero"] + (["    csrw minstreth, zero"] if self.xlen == 32 else [])
        for reg in PRIV_WRITABLE:
            self.lines.append(f"    li x{reg}, {self.value()}")
        for _ in range(blocks):
            self.block()
        for idx in sorted(self.labels):
            for label in self.labels[idx]:
                self.lines.append(f"{label}:")
        self.lines += ["    la x29, tohost", "    li x30, 1", "    sw x30, 0(x29)",
                       "1:  j 1b", HANDLER, ".data", ".align 12", "data:"]
        word = "dword" if self.xlen == 64 else "word"
        self.lines += [f"    .{word} {self.r.getrandbits(self.xlen):#x}"
                       for _ in range(4096 * 8 // self.xlen)]
        self.lines += [".section .tohost, \"aw\"", ".align 3", ".globl tohost",
                       "tohost: .dword 0", ".globl fromhost", "fromhost: .dword 0"]
        return "\n".join(self.lines) + "\n"


def privileged(seed, xlen=64, blocks=300):
    """A random M/U-mode stream: CSR accesses, traps of every kind, U-mode round trips
    (mret in, ecall out) and software interrupts, mixed with random ALU/memory code."""
    return _PrivGen(seed, xlen, compressed=True).program(blocks)


# ------------------------------------------- encoding-level streams (the lead's generator)
# Random straight-line instruction streams drawn from the ISA table.
# 
# Every row of the unprivileged I, M and C extensions that neither transfers control
# nor touches CSRs can appear (forward conditional branches and jal are added with
# targets on instruction boundaries). Encodings are random inside each row's
# mask/match space, then a few fields are pinned so the stream stays inside its
# sandbox: x2, x8 and x31 hold data-area bases and are never written; memory
# offsets are aligned and inside the data area.

TABLE_RESERVED = {2, 8, 31}          # data bases: sp (c.*sp), x8 (c.lw/c.sw), x31 (lw/sw)
EXCLUDED_TAGS = {"system", "csr", "spc", "jump"}
DATA_SIZE = 4096
LOAD_SIZE = {"lb": 1, "lbu": 1, "lh": 2, "lhu": 2, "lw": 4, "lwu": 4, "ld": 8}
STORE_SIZE = {"sb": 1, "sh": 2, "sw": 4, "sd": 8}


def candidates(xlen, compressed=True):
    rows = []
    for spec in isa.INSNS:
        if xlen not in spec.xlens or spec.ext not in ("I", "M", "C"):
            continue
        if spec.ext == "C" and not compressed:
            continue
        if spec.tags & EXCLUDED_TAGS or spec.name in ("fence.i", "c.addi16sp"):
            continue
        if "branch" in spec.tags and spec.length == 2:
            continue                  # c.beqz/c.bnez: targets patched below only for 32-bit
        rows.append(spec)
    return rows


def _free_reg(rng):
    while True:
        r = rng.randrange(1, 32)
        if r not in TABLE_RESERVED:
            return r


def _pin(spec, b, rng):
    """Pin destination, base and offset fields of a random encoding; None = reject."""
    name = spec.name
    if spec.length == 4:
        if "rd" in dict(spec.fields):
            b = (b & ~(0x1F << 7)) | (_free_reg(rng) << 7)
        if name in LOAD_SIZE:
            size = LOAD_SIZE[name]
            off = rng.randrange(0, DATA_SIZE // 2, size)
            b = (b & 0x000FFFFF & ~(0x1F << 15)) | (31 << 15) | (off << 20)
        elif name in STORE_SIZE:
            size = STORE_SIZE[name]
            off = rng.randrange(0, DATA_SIZE // 2, size)
            b = (b & 0x01FFF07F & ~(0x1F << 15)) | (31 << 15)
            b |= ((off >> 5) << 25) | ((off & 0x1F) << 7)
        return b
    # compressed: x8 and sp are bases; rd' / rd must not be reserved
    d = isa.decode(b, 64)
    f = d.f if d else {}
    if name in ("c.lw", "c.ld", "c.sw", "c.sd"):
        b &= ~(0x7 << 7)                                     # rs1' = x8
    if "rd" in f and name not in ("c.sw", "c.sd", "c.swsp", "c.sdsp"):
        rd = f["rd"]
        if rd in TABLE_RESERVED:
            return None
    return b


def generate(xlen, n, rng, compressed=True):
    """A list of (bits, length) of n instructions."""
    rows = candidates(xlen, compressed)
    out = []
    while len(out) < n:
        spec = rng.choice(rows)
        free = ~spec.mask & ((1 << (8 * spec.length)) - 1)
        b = (rng.getrandbits(8 * spec.length) & free) | spec.match
        b = _pin(spec, b, rng)
        if b is None:
            continue
        d = isa.decode(b, xlen)
        if d is None or d.spec is not spec:
            continue
        if "branch" in spec.tags:
            out.append(("branch", b, spec))
        else:
            out.append((None, b, spec))
    # branch targets: forward, 1..6 instructions ahead (or the end)
    addrs, pc = [], 0
    for _, b, spec in out:
        addrs.append(pc)
        pc += spec.length
    end = pc
    code = []
    for i, (kind, b, spec) in enumerate(out):
        if kind == "branch":
            j = min(i + rng.randint(1, 6), len(out))
            off = (addrs[j] if j < len(out) else end) - addrs[i]
            b &= 0x01FFF07F
            b |= ((off >> 12) & 1) << 31 | ((off >> 5) & 0x3F) << 25
            b |= ((off >> 1) & 0xF) << 8 | ((off >> 11) & 1) << 7
        code.append((b, spec.length))
    return code


def to_bytes(code):
    return b"".join(b.to_bytes(n, "little") for b, n in code)
