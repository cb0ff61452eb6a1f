/* C extension (unprivileged spec chapter 16): every compressed instruction, written
   with its c. mnemonic so the assembler cannot pick the 32-bit form. */
#include "spcore_test.h"
TEST_BEGIN
    la sp, stack_top
    c.li a0, -5
    CHECK 1, a0, -5
    c.li a0, 31
    c.addi a0, -32
    CHECK 2, a0, -1
    c.nop
    c.lui a1, 0xfffff                     /* imm -1 << 12 */
    CHECK 3, a1, -4096
    c.lui a1, 1
    CHECK 4, a1, 0x1000
    c.mv a2, a1
    c.add a2, a1
    CHECK 5, a2, 0x2000
    mv s0, sp
    c.addi16sp sp, -64
    addi a3, s0, -64
    CHECKR 6, sp, a3
    c.addi16sp sp, 64
    CHECKR 7, sp, s0
    c.addi4spn a4, sp, 1020
    addi a3, sp, 1020
    CHECKR 8, a4, a3
    li a0, 0x0ff0
    li a1, 0x3c3c
    c.and a0, a1
    CHECK 9, a0, 0x0c30
    c.or a0, a1
    CHECK 10, a0, 0x3c3c
    c.xor a0, a1
    CHECK 11, a0, 0
    li a0, 10
    c.sub a0, a1
    CHECK 12, a0, 10 - 0x3c3c
    li a0, -64
    c.srli a0, 4
    CHECK 13, a0, X(0x0ffffffc, 0x0ffffffffffffffc)
    li a0, -64
    c.srai a0, 4
    CHECK 14, a0, -4
    c.andi a0, 0x16
    CHECK 15, a0, 0x14
    li a0, 3
    c.slli a0, 5
    CHECK 16, a0, 96
    la s1, buf
    li a0, 0x11223344
    c.sw a0, 4(s1)
    c.lw a1, 4(s1)
    CHECK 17, a1, 0x11223344
    li a0, -2
    c.swsp a0, 8(sp)
    c.lwsp a2, 8(sp)
    CHECK 18, a2, -2
    /* c.j, c.beqz, c.bnez */
    c.j 1f
    CHECK 19, zero, 1
1:  li a0, 0
    c.beqz a0, 1f
    CHECK 20, zero, 1
1:  c.bnez a0, 2f
    li a0, 7
    c.bnez a0, 1f
2:  CHECK 21, zero, 1
1:  c.beqz a0, 2b
    /* c.jr, c.jalr */
    la a0, 1f
    c.jr a0
    CHECK 22, zero, 1
1:  la a0, sub_ret
    c.jalr a0
r1: la a0, r1
    CHECKR 23, ra, a0
    /* c.ebreak: breakpoint, mtval = pc (PLATFORM.md); the handler resumes after it */
b1: c.ebreak
    EXPECT_TRAP 24, 3
    CHECK_TRAP_EPC 25, b1
    CHECK_TRAP_TVAL_LABEL 26, b1
#if XLEN == 32
    j 1f
sub_back:                                 /* behind the c.jal: as keeps a backward c.jal */
    c.jr ra
1:  c.jal sub_back
r2: la a0, r2
    CHECKR 27, ra, a0
#else
    li a0, 0x7fffffff
    c.addiw a0, 1
    CHECK 30, a0, 0xffffffff80000000
    li a0, 0x100000005
    li a1, 7
    c.addw a0, a1
    CHECK 31, a0, 12
    c.subw a0, a1
    c.subw a0, a1
    CHECK 32, a0, -2
    li a0, 0x123456789abcdef0
    c.sd a0, 8(s1)
    c.ld a2, 8(s1)
    CHECK 33, a2, 0x123456789abcdef0
    c.sdsp a0, 16(sp)
    c.ldsp a3, 16(sp)
    CHECK 34, a3, 0x123456789abcdef0
    li a0, 1
    c.slli a0, 40
    c.srli a0, 39
    CHECK 35, a0, 2
#endif
TEST_PASS
sub_ret:
    c.jr ra
    .data
    .align 3
buf: .fill 8, 4, 0
    .align 4
stack: .fill 64, 4, 0
stack_top:
