"""spcore.disasm against GNU objdump (`-d -M no-aliases,numeric`, binutils 2.40).

Every instruction objdump decodes in the ISA programs (tests/programs/isa) and in a few
compiled C programs (-O2, rv32imc and rv64imc) must print the same in spcore's
"objdump" style. Only symbol annotations (` <sym+off>`, ` # comment`) are dropped.
objdump has no mnemonic for c.jall and prints it as `.byte`: there the bytes are checked
to be one 6-byte c.jall. Data (`.word`, `.2byte`: lrw2spc written as data, deliberate
illegal encodings) is not compared.
"""
import re
import shutil
import subprocess

import pytest

from isa_programs import GCC, PROGRAMS, isa_elfs, needs_gcc  # noqa: F401
from spcore.disasm import disasm
from spcore.isa import decode

OBJDUMP = "riscv64-unknown-elf-objdump"
pytestmark = [needs_gcc, pytest.mark.skipif(shutil.which(OBJDUMP) is None,
                                            reason=f"{OBJDUMP} not installed")]

LINE = re.compile(r"^\s*([0-9a-f]+):\t([0-9a-f ]+?)\s*\t(.*)$")
ANNOTATION = re.compile(r"\s+(<[^>]*>|#.*)")

C_SOURCE = r"""
struct pt { long x, y; short tag; unsigned char flags; };
static int table[64];
long mix(long a, long b, unsigned long c) {
    long r = a * b + (long)(c / 7) - (a % 5);
    for (int i = 0; i < 64; i++) table[i] = (int)(r >> (i & 15)) ^ i;
    switch (c & 7) {
    case 0: return r << 3;
    case 1: return r >> 2;
    case 2: return (unsigned long)r >> 5;
    case 3: return r & 0x7ff;
    case 4: return -r;
    default: return r | 1;
    }
}
int sum(const struct pt *p, int n) {
    int s = 0;
    for (int i = 0; i < n; i++) s += p[i].x * p[i].tag - p[i].y + (p[i].flags ? 1 : -1);
    return s;
}
unsigned divs(unsigned a, unsigned b) { return a / b + a % b; }
long long mul64(long long a, long long b) { return a * b; }
void copy(struct pt *d, const struct pt *s, int n) { while (n--) *d++ = *s++; }
int is_prime(unsigned n) {
    if (n < 2) return 0;
    for (unsigned d = 2; d * d <= n; d++) if (n % d == 0) return 0;
    return 1;
}
"""


def check_jall(path, pc, value, xlen, bad):
    """A 6-byte instruction: c.jall (EXTENSIONS.md) or, with funct3/bit 6 set, illegal."""
    ours = disasm(value, pc=pc, xlen=xlen, style="objdump")
    if value & 0xE07F != 0x001F:
        want = f".insn\t6, 0x{value:012x}"
    else:
        target = value >> 16
        if value >> 12 & 1 and target >> 31:
            target = (target - (1 << 32)) & ((1 << xlen) - 1)
        want = f"c.jall\tx{value >> 7 & 31},{target:x}"
    if ours != want:
        bad.append(f"{path.name} {pc:x} {value:012x}: want {want!r} spcore {ours!r}")
    return 1


def compare(path, xlen):
    """Return (instructions compared, mismatches as text lines)."""
    out = subprocess.run([OBJDUMP, "-d", "-M", "no-aliases,numeric", str(path)],
                         capture_output=True, text=True, check=True).stdout
    compared, bad = 0, []
    for line in out.splitlines():
        m = LINE.match(line)
        if not m:
            continue
        pc = int(m.group(1), 16)
        parcels = m.group(2).split()
        value = 0
        for i, p in enumerate(parcels):           # 16-bit parcels, low parcel first
            value |= int(p, 16) << (16 * i) if len(parcels) > 1 else int(p, 16)
        theirs = ANNOTATION.sub("", m.group(3)).strip()
        if theirs.startswith(".byte") and len(parcels) == 3:
            compared += check_jall(path, pc, value, xlen, bad)
            continue
        if theirs.startswith("."):                # data or a length objdump cannot name
            continue
        ours = disasm(value, pc=pc, xlen=xlen, style="objdump")
        compared += 1
        if ours != theirs:
            bad.append(f"{path.name} {pc:x} {value:08x}: objdump {theirs!r} spcore {ours!r}")
    return compared, bad


@pytest.mark.parametrize("xlen", (32, 64))
def test_isa_programs_disassemble_as_objdump(isa_elfs, xlen):
    total, bad = 0, []
    for name in PROGRAMS:
        n, b = compare(isa_elfs[name, xlen], xlen)
        total, bad = total + n, bad + b
    assert total > 500
    assert not bad, "\n".join(bad[:30])


@pytest.mark.parametrize("xlen", (32, 64))
def test_compiled_c_disassembles_as_objdump(tmp_path, xlen):
    src = tmp_path / "prog.c"
    src.write_text(C_SOURCE)
    obj = tmp_path / f"prog{xlen}.o"
    abi = "ilp32" if xlen == 32 else "lp64"
    subprocess.run([GCC, "-O2", f"-march=rv{xlen}imc", f"-mabi={abi}", "-mcmodel=medany",
                    "-ffreestanding", "-c", str(src), "-o", str(obj)], check=True)
    total, bad = compare(obj, xlen)
    assert total > 50
    assert not bad, "\n".join(bad[:30])
