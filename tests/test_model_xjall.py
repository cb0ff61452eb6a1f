"""Xjall (c.jall) on the golden model, against EXTENSIONS.md."""
import pytest

from asmutil import needs_gcc, run_asm, sym, trap_log

pytestmark = needs_gcc
XLENS = [32, 64]
T0, RA = 5, 1


@pytest.mark.parametrize("xlen", XLENS)
@pytest.mark.parametrize("pad", [0, 2], ids=["word-aligned", "2-mod-4"])
def test_links_and_jumps_from_any_2_byte_alignment(xlen, pad, tmp_path):
    src = f"""
    li t0, 0
.align 2
    .fill {pad // 2}, 2, 0x0001     # c.nop padding decides the alignment of c.jall
site:
    C_JALL {T0}, 0, target
    FAIL 1
target:
    la a0, site
    addi a0, a0, 6
    bne a0, t0, 1f
    PASS
1:  FAIL 2
"""
    result, m = run_asm(src, xlen, tmp_path)
    assert result.status == "pass", (result, trap_log(m))
    assert sym(m, "site") % 4 == pad


@pytest.mark.parametrize("xlen", XLENS)
def test_rd_zero_is_a_plain_jump(xlen, tmp_path):
    src = """
    li ra, 0x55
    C_JALL 0, 0, target
    FAIL 1
target:
    li t1, 0x55
    bne ra, t1, 1f
    PASS
1:  FAIL 2
"""
    result, m = run_asm(src, xlen, tmp_path)
    assert result.status == "pass"


def test_s_bit_sign_extends_on_rv64(tmp_path):
    # target label is at 0x8000_xxxx: S=1 makes it 0xffff_ffff_8000_xxxx, outside RAM,
    # so the fetch there faults with that address (the jump itself succeeded).
    src = f"""
site:
    C_JALL {RA}, 1, target
    FAIL 1
target:
    FAIL 2
"""
    result, m = run_asm(src, 64, tmp_path)
    cause, epc, tval = trap_log(m)
    expected = (0xFFFFFFFF << 32) | sym(m, "target")
    assert (cause, epc, tval) == (1, expected, expected)
    assert m.x[RA] == sym(m, "site") + 6


def test_s_bit_has_no_effect_on_rv32(tmp_path):
    src = """
    C_JALL 1, 1, target
    FAIL 1
target:
    PASS
"""
    result, m = run_asm(src, 32, tmp_path)
    assert result.status == "pass"


@pytest.mark.parametrize("xlen", XLENS)
def test_odd_target_is_a_misaligned_fetch_and_rd_is_not_written(xlen, tmp_path):
    src = f"""
    li t0, 0x77
site:
    C_JALL {T0}, 0, target + 1
    FAIL 1
target:
    FAIL 2
"""
    result, m = run_asm(src, xlen, tmp_path)
    cause, epc, tval = trap_log(m)
    assert (cause, epc, tval) == (0, sym(m, "site"), sym(m, "target") + 1)
    assert m.x[T0] == 0x77              # rd keeps its value (the recorder uses t4-t6)


@pytest.mark.parametrize("xlen", XLENS)
@pytest.mark.parametrize("bad", ["bit6", "funct3"])
def test_reserved_encodings_are_illegal_with_low_bits_in_mtval(xlen, bad, tmp_path):
    extra = "(1 << 6)" if bad == "bit6" else "(5 << 13)"
    src = f"""
site:
    .2byte 0x1f | (1 << 7) | {extra}
    .4byte 0x80001234
    FAIL 1
"""
    result, m = run_asm(src, xlen, tmp_path)
    cause, epc, tval = trap_log(m)
    low16 = 0x1F | (1 << 7) | ((1 << 6) if bad == "bit6" else (5 << 13))
    insn48 = (0x80001234 << 16) | low16
    assert cause == 2 and epc == sym(m, "site")
    assert tval == insn48 & ((1 << min(xlen, 48)) - 1)


@pytest.mark.parametrize("xlen", XLENS)
def test_extension_off_is_illegal(xlen, tmp_path):
    src = """
    C_JALL 1, 0, target
target:
    FAIL 1
"""
    result, m = run_asm(src, xlen, tmp_path, jall=False)
    assert trap_log(m)[0] == 2
