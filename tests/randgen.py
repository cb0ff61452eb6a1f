"""Random straight-line instruction streams drawn from the ISA table.

Every row of the unprivileged I, M and C extensions that neither transfers control
nor touches CSRs can appear (forward conditional branches and jal are added with
targets on instruction boundaries). Encodings are random inside each row's
mask/match space, then a few fields are pinned so the stream stays inside its
sandbox: x2, x8 and x31 hold data-area bases and are never written; memory
offsets are aligned and inside the data area.
"""
import random

from spcore import isa

RESERVED = {2, 8, 31}          # data bases: sp (c.*sp), x8 (c.lw/c.sw), x31 (lw/sw)
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
        if r not in RESERVED:
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
        if rd in RESERVED:
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
