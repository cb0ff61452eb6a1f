"""Xspc on the golden model, against EXTENSIONS.md (expected values worked out by hand)."""
import pytest

from asmutil import TO_USER, needs_gcc, run_asm, sym, trap_log

pytestmark = needs_gcc
XLENS = [32, 64]
LIT = ".align 3\nlit: .if __riscv_xlen == 64\n .dword target\n.else\n .word target\n.endif\n"


@pytest.mark.parametrize("xlen", XLENS)
def test_shadow_jump_skips_the_literal_and_disarms(xlen, tmp_path):
    src = f"""
    li a0, 0
    LRW2SPC lit
    addi a0, a0, 1            # the "replaced instructions" run
    addi a0, a0, 2
{LIT}
    FAIL 1                    # never reached: the trigger address is not executed
target:
    addi a0, a0, 4
    csrr a1, 0x7c0            # spc
    csrr a2, 0x7c1            # spctrig
    PASS
"""
    result, m = run_asm(src, xlen, tmp_path)
    assert result.status == "pass", result
    assert m.x[10] == 7
    assert m.x[11] == sym(m, "target")
    assert m.x[12] == sym(m, "lit")          # address kept, bit 0 (armed) cleared


@pytest.mark.parametrize("xlen", XLENS)
def test_trap_inside_replaced_instructions_stacks_spc_and_mret_restores(xlen, tmp_path):
    src = f"""
    la t0, handler
    csrw mtvec, t0
    li a0, 0
    LRW2SPC lit
    ecall                      # trap between lrw2spc and the literal
    addi a0, a0, 1
{LIT}
    FAIL 1
target:
    addi a0, a0, 4
    PASS
.align 2
handler:
    csrr s2, 0x7c2             # mspc
    csrr s3, 0x7c3             # mspctrig
    csrr s4, 0x7c1             # spctrig: disarmed while in the handler
    csrr t0, mepc
    addi t0, t0, 4
    csrw mepc, t0
    mret                       # restores spc/spctrig: the jump still happens
"""
    result, m = run_asm(src, xlen, tmp_path)
    assert result.status == "pass", result
    assert m.x[10] == 5
    assert m.x[18] == sym(m, "target")
    assert m.x[19] == sym(m, "lit") | 1
    assert m.x[20] & 1 == 0


@pytest.mark.parametrize("xlen", XLENS)
def test_trigger_reached_by_a_taken_branch(xlen, tmp_path):
    src = f"""
    li a0, 0
    LRW2SPC lit
    j lit                      # a jump to the trigger address redirects too
    FAIL 1
{LIT}
    FAIL 2
target:
    li a0, 9
    PASS
"""
    result, m = run_asm(src, xlen, tmp_path)
    assert result.status == "pass", result
    assert m.x[10] == 9


@pytest.mark.parametrize("xlen", XLENS)
def test_misaligned_literal_traps_and_leaves_csrs(xlen, tmp_path):
    src = """
    li t0, 0x1234
    csrw 0x7c0, t0
    csrw 0x7c1, zero
    LRW2SPC odd
    FAIL 1
.align 3
    .2byte 0
odd: .2byte 0
    .2byte 0
"""
    result, m = run_asm(src, xlen, tmp_path)
    cause, epc, tval = trap_log(m)
    assert cause == 4 and tval == sym(m, "odd")
    assert m.spc.spc == 0x1234 and m.spc.spctrig == 0


@pytest.mark.parametrize("xlen", XLENS)
def test_literal_outside_ram_is_a_load_access_fault(xlen, tmp_path):
    src = """
.align 3
    .insn i 0x0b, 0, x0, x0, -64    # pc - 64 is below RAM (0x80000000), aligned
    FAIL 1
"""
    result, m = run_asm(src, xlen, tmp_path)
    cause, epc, tval = trap_log(m)
    assert cause == 5
    assert tval == (epc - 64) & m.mask
    assert m.spc.spctrig == 0


@pytest.mark.parametrize("xlen", XLENS)
def test_extension_off_makes_lrw2spc_and_csrs_illegal(xlen, tmp_path):
    src = f"""
    LRW2SPC lit
    FAIL 1
{LIT}
target: FAIL 2
"""
    result, m = run_asm(src, xlen, tmp_path, spc=False)
    cause, epc, tval = trap_log(m)
    assert cause == 2
    assert tval == m.bus.read(epc, 4)          # mtval = the instruction bits
    result, m = run_asm("csrr a0, 0x7c0\nFAIL 1\n", xlen, tmp_path, spc=False)
    assert trap_log(m)[0] == 2


@pytest.mark.parametrize("xlen", XLENS)
def test_reserved_fields_are_illegal(xlen, tmp_path):
    result, m = run_asm(".insn i 0x0b, 0, x1, x0, 8\nFAIL 1\n", xlen, tmp_path)
    assert trap_log(m)[0] == 2


@pytest.mark.parametrize("xlen", XLENS)
def test_usable_from_user_mode_but_csrs_are_not(xlen, tmp_path):
    src = TO_USER + f"""
user:
    li a0, 0
    LRW2SPC lit
    addi a0, a0, 1
{LIT}
target:
    addi a0, a0, 2
    csrr a1, 0x7c0             # illegal in U-mode
    FAIL 1
"""
    result, m = run_asm(src, xlen, tmp_path)
    cause, epc, tval = trap_log(m)
    assert m.x[10] == 3
    assert cause == 2
