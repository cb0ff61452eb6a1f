/* U-mode: entry by mret, ecall from U, CSR/mret privilege, counter enables
   (mcounteren), PMP denial from U-mode (privileged spec 3.1.6, 3.1.11, 3.7). */
#include "spcore_test.h"
.macro ENTER_U label
    li a0, 3 << 11
    csrc mstatus, a0                      /* MPP = U */
    la a0, \label
    csrw mepc, a0
    mret
.endm
TEST_BEGIN
    /* PMP: entry 0 = 8-byte NAPOT over `guarded`, read-only; entry 1 = everything RWX.
       The lowest-numbered matching entry decides (3.7.1). M-mode is not restricted. */
    la a0, guarded
    srli a0, a0, 2                        /* NAPOT 8 bytes: pmpaddr = addr >> 2, low bit 0 */
    csrw pmpaddr0, a0
    li a0, -1
    csrw pmpaddr1, a0
    li a0, (0x1f << 8) | 0x19             /* cfg1 = NAPOT|RWX, cfg0 = NAPOT|R */
    csrw pmpcfg0, a0
    la s0, guarded
    li a1, 0x33
    sw a1, 0(s0)                          /* M-mode store: allowed */
    CHECK_NO_TRAP 1
    csrw mcounteren, zero
    ENTER_U user1
user1:
    csrr a1, mscratch                     /* machine CSR from U: illegal */
    EXPECT_TRAP 2, 2
u_cycle:
    csrr a1, cycle                        /* mcounteren.CY = 0: illegal */
    EXPECT_TRAP 3, 2
    CHECK_TRAP_EPC 4, u_cycle
    csrr a1, instret
    EXPECT_TRAP 5, 2
    csrr a1, time
    EXPECT_TRAP 6, 2
    mret                                  /* mret from U: illegal */
    EXPECT_TRAP 7, 2
    lw a1, 0(s0)                          /* PMP R: allowed */
    CHECK 8, a1, 0x33
    li a2, 0x44
u_store:
    sw a2, 4(s0)                          /* PMP no W: store access fault */
    EXPECT_TRAP 9, 7
    CHECK_TRAP_EPC 10, u_store
    CHECK_TRAP_TVAL_LABEL 11, guarded + 4
    lw a1, 4(s0)
    CHECK 12, a1, 0                       /* the store did not happen */
    csrr a1, 0x7c0                        /* Xspc CSRs are M-only */
    EXPECT_TRAP 13, 2
    jalr ra, 0(s0)                        /* fetch from a region without X */
    EXPECT_TRAP 30, 1
    CHECK_TRAP_TVAL_LABEL 31, guarded
u_ecall:
    ecall                                 /* cause 8; the handler returns in M-mode */
    EXPECT_TRAP 14, 8
    CHECK_TRAP_EPC 15, u_ecall
    CLEAR_TRAP
    csrr a1, mscratch                     /* back in M-mode: no trap */
    CHECK_NO_TRAP 17
    /* counters enabled for U */
    li a0, 7
    csrw mcounteren, a0
    ENTER_U user2
user2:
    csrr a1, cycle
    csrr a1, instret
    csrr a2, instret
    sub a3, a2, a1
    CHECK 18, a3, 1
    csrr a1, time
#if XLEN == 32
    csrr a1, cycleh
    csrr a1, instreth
    csrr a1, timeh
#endif
    CHECK_NO_TRAP 19
    ecall
    EXPECT_TRAP 22, 8
    li a0, 1 << 3
    csrw mie, a0                          /* MSIE on, but MIE and MPIE off */
    li a0, (1 << 3) | (1 << 7)
    csrc mstatus, a0
    ENTER_U user3
user3:
    CLEAR_TRAP
    /* M-mode interrupts are taken in U-mode even with mstatus.MIE = 0 (3.1.6.1) */
    li a0, CLINT_MSIP
    li a1, 1
    sw a1, 0(a0)                          /* U store to the CLINT: PMP entry 1 allows it */
    li a3, 10000                          /* interrupts are asynchronous: allow latency */
1:  la t3, trap_cause
    LREG a4, 3*REGBYTES(t3)
    bnez a4, 2f
    addi a3, a3, -1
    bnez a3, 1b
2:  EXPECT_TRAP 20, X(0x80000003, 0x8000000000000003)
    ecall
    EXPECT_TRAP 21, 8
    csrw mie, zero
TEST_PASS
    .data
    .align 3
guarded: .dword 0
