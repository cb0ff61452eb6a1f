"""The ISA table against an independent oracle: GNU as (binutils 2.40).

For every row of the table, random encodings inside its mask/match space are decoded,
printed by the disassembler in objdump syntax, assembled back by `as`, and the bytes
must come back identical. That checks the table's masks, field extractors, syntax and
the disassembler against the assembler's own encoder, row by row. The custom rows
(lrw2spc, c.jall), which `as` has no mnemonic for, are checked against EXTENSIONS.md.
"""
import random
import shutil
import subprocess

import pytest

from spcore import isa
from spcore.disasm import disasm, jall_target

GCC = "riscv64-unknown-elf-gcc"
OBJCOPY = "riscv64-unknown-elf-objcopy"
BASE = 0x100000
needs_gcc = pytest.mark.skipif(shutil.which(GCC) is None, reason=f"{GCC} not installed")


def random_encoding(spec, rng):
    free = ~spec.mask & ((1 << (8 * spec.length)) - 1)
    b = (rng.getrandbits(8 * spec.length) & free) | spec.match
    if spec.name == "fence":          # as only encodes fm = 0, rs1 = rd = 0, pred/succ != 0
        b &= ~(0xF << 28 | 0x1F << 15 | 0x1F << 7)
        b |= rng.randint(1, 15) << 24 | rng.randint(1, 15) << 20
    if spec.name == "fence.i":        # imm, rs1, rd are reserved: as writes zeros
        b = spec.match
    return b


def samples(xlen, per_row, seed):
    rng = random.Random(seed)
    out = []
    for spec in isa.INSNS:
        if xlen not in spec.xlens or spec.ext in ("Xspc", "Xjall"):
            continue
        got = 0
        for _ in range(per_row * 50):
            b = random_encoding(spec, rng)
            d = isa.decode(b, xlen)
            if d is not None and d.spec is spec:
                if spec.ext == "C" and d.f.get("shamt") == 0:
                    continue                  # a HINT that as refuses to assemble
                out.append((spec, b))
                got += 1
                if got == per_row:
                    break
        assert got, f"no legal encoding found for {spec.name}"
    return out


def assemble(lines, xlen, tmp_path):
    src = tmp_path / "t.S"
    src.write_text(".option norelax\n.global _start\n_start:\n" + "\n".join(lines) + "\n")
    elf, binf = tmp_path / "t.elf", tmp_path / "t.bin"
    arch = "rv32imc_zicsr_zifencei" if xlen == 32 else "rv64imc_zicsr_zifencei"
    abi = "ilp32" if xlen == 32 else "lp64"
    subprocess.run([GCC, f"-march={arch}", f"-mabi={abi}", "-nostdlib", "-nostartfiles",
                    f"-Wl,-Ttext={BASE:#x}", "-Wl,--no-relax", "-o", elf, src],
                   check=True, capture_output=True, text=True)
    subprocess.run([OBJCOPY, "-O", "binary", "-j", ".text", elf, binf], check=True)
    return binf.read_bytes()


@needs_gcc
@pytest.mark.parametrize("xlen", [32, 64])
def test_every_row_round_trips_through_gnu_as(xlen, tmp_path):
    cases = samples(xlen, per_row=8, seed=xlen)
    lines, pc = [], BASE
    for spec, b in cases:
        text = disasm(b, pc, xlen, style="objdump").replace("\t", " ")
        if "{imm:target}" in spec.syntax:  # objdump prints an address; as wants . + offset
            head, sep, _ = text.rpartition("," if "," in text else " ")
            text = f"{head}{sep}. + {isa.decode(b, xlen).f['imm']}"
        lines.append((".option rvc\n" if spec.length == 2 else ".option norvc\n") + text)
        pc += spec.length
    image = assemble(lines, xlen, tmp_path)
    off = 0
    for (spec, b), line in zip(cases, lines):
        got = int.from_bytes(image[off:off + spec.length], "little")
        assert got == b, f"{spec.name}: table {b:#x} -> '{line.splitlines()[-1]}' -> as {got:#x}"
        off += spec.length


def test_lengths_follow_the_riscv_length_encoding():
    assert isa.insn_length(0x0001) == 2
    assert isa.insn_length(0x0013) == 4
    assert isa.insn_length(0x001F) == 6
    assert isa.insn_length(0x003F) is None        # 64-bit encodings: not supported


def test_rows_do_not_shadow_each_other():
    # Every row must be reachable: its own match decodes to it on some xlen where the
    # row's validity predicate accepts the all-free-bits-zero or some random encoding.
    rng = random.Random(1)
    for spec in isa.INSNS:
        xlen = min(spec.xlens)
        hits = sum(1 for _ in range(400)
                   if (d := isa.decode(random_encoding(spec, rng), xlen)) and d.spec is spec)
        assert hits, f"{spec.name} (RV{xlen}) is never decoded: shadowed by an earlier row"


def test_reserved_compressed_encodings_are_illegal():
    assert isa.decode(0x0000, 32) is None                  # defined illegal instruction
    assert isa.decode(0x0000 | (0 << 5), 64) is None       # c.addi4spn with nzuimm = 0
    assert isa.decode(0x6101, 32) is None                  # c.addi16sp with nzimm = 0
    assert isa.decode(0x6081, 32) is None                  # c.lui x1, 0 (nzimm = 0)
    assert isa.decode(0x8002, 32) is None                  # c.jr x0
    assert isa.decode(0x4002, 32) is None                  # c.lwsp x0
    assert isa.decode(0x1002 | (1 << 7), 32) is None       # c.slli shamt[5]=1 on RV32 (NSE)
    assert isa.decode(0x1002 | (1 << 7), 64).name == "c.slli"
    assert isa.decode(0x2001 | (0 << 7), 64) is None       # c.addiw x0
    assert isa.decode(0x2001, 32).name == "c.jal"
    assert isa.decode(0x6000, 32) is None                  # c.flw: no F extension


def jall(rd, s, imm32, extra=0):
    return imm32 << 16 | (extra << 13) | s << 12 | rd << 7 | 0x1F


def test_c_jall_encoding_of_extensions_md():
    d = isa.decode(jall(5, 0, 0x8000_1234), 64)
    assert (d.name, d.length, d.f["rd"]) == ("c.jall", 6, 5)
    assert jall_target(d.f, 64) == 0x8000_1234                      # S=0: zero-extend
    assert jall_target(isa.decode(jall(0, 1, 0x8000_1234), 64).f, 64) == 0xFFFF_FFFF_8000_1234
    assert jall_target(isa.decode(jall(0, 1, 0x8000_1234), 32).f, 32) == 0x8000_1234
    assert isa.decode(jall(1, 0, 0x1000) | 1 << 6, 32) is None      # bit 6 must be 0
    for funct3 in range(1, 8):
        assert isa.decode(jall(1, 0, 0x1000, funct3), 32) is None   # funct3 != 000
    assert isa.decode(jall(1, 0, 0x1000), 32, exts={"I", "C"}) is None   # Xjall off
    assert disasm(jall(5, 0, 0x8000_1234), 0, 32) == "c.jall  t0, 0x80001234"


def test_lrw2spc_encoding_of_extensions_md():
    d = isa.decode((0xFF8 << 20) | 0x0B, 32)
    assert d.name == "lrw2spc" and d.f["imm"] == -8
    for reserved in (1 << 7, 1 << 15, 1 << 12):                    # rd, rs1, funct3 != 0
        assert isa.decode((16 << 20) | 0x0B | reserved, 64) is None
    assert isa.decode((16 << 20) | 0x0B, 64, exts={"I"}) is None    # Xspc off


def test_compressed_expansions_name_existing_rows_with_matching_fields():
    for spec in isa.INSNS:
        if spec.ext != "C":
            continue
        base, mapping = spec.expands_to
        for xlen in spec.xlens:
            target = isa.spec_named(base, xlen)
            assert set(mapping) == {n for n, _ in target.fields}, spec.name
