/* PMP (privileged spec 3.7): TOR and NA4 matching, priority of the lowest entry,
   OFF entries, and the lock bit (a locked entry also binds M-mode and ignores writes). */
#include "spcore_test.h"
#define R_ 1
#define W_ 2
#define X_ 4
#define TOR (1 << 3)
#define NA4 (2 << 3)
#define NAPOT (3 << 3)
#define L_ 0x80
.macro ENTER_U label
    li a0, 3 << 11
    csrc mstatus, a0
    la a0, \label
    csrw mepc, a0
    mret
.endm
TEST_BEGIN
    /* entry 0: NA4 on area+0, no access; entry 1: TOR [area+0, area+16) R only;
       entry 2: OFF; entry 3: NAPOT everything RWX */
    la s0, area
    srli a0, s0, 2
    csrw pmpaddr0, a0
    addi a1, s0, 16
    srli a1, a1, 2
    csrw pmpaddr1, a1
    csrw pmpaddr2, zero
    li a0, -1
    csrw pmpaddr3, a0
    li a0, ((NAPOT | R_ | W_ | X_) << 24) | ((TOR | R_) << 8) | NA4
    csrw pmpcfg0, a0
    csrr a1, pmpcfg0
    li a2, 0xffffffff
    and a1, a1, a2
    CHECK 1, a1, ((NAPOT | R_ | W_ | X_) << 24) | ((TOR | R_) << 8) | NA4
    ENTER_U user1
user1:
    lw a1, 0(s0)                          /* entry 0 (NA4, no R) wins over entry 1 */
    EXPECT_TRAP 2, 5
    CHECK_TRAP_TVAL_LABEL 3, area
    lw a1, 4(s0)                          /* entry 1 (TOR, R) */
    CHECK 4, a1, 0x44
    sw a1, 8(s0)                          /* TOR without W */
    EXPECT_TRAP 5, 7
    CHECK_TRAP_TVAL_LABEL 6, area + 8
    CLEAR_TRAP
    lw a1, 16(s0)                         /* past the TOR top: entry 3 */
    CHECK 7, a1, 0x1616
    sw a1, 16(s0)
    CHECK_NO_TRAP 8
    ecall
    EXPECT_TRAP 9, 8
    /* M-mode ignores unlocked entries */
    CLEAR_TRAP
    lw a1, 0(s0)
    sw a1, 8(s0)
    CHECK_NO_TRAP 10
    /* lock entry 1: it now binds M-mode, and writes to it are ignored */
    li a0, L_ << 8
    csrs pmpcfg0, a0
    sw a1, 8(s0)
    EXPECT_TRAP 11, 7
    lw a1, 4(s0)
    CHECK 12, a1, 0x44
    li a0, (W_ << 8) | (TOR << 8)
    csrs pmpcfg0, a0                      /* ignored: locked */
    csrw pmpaddr1, zero                   /* ignored: locked */
    csrr a1, pmpaddr1
    addi a2, s0, 16
    srli a2, a2, 2
    CHECKR 13, a1, a2
    csrr a1, pmpcfg0
    srli a1, a1, 8
    andi a1, a1, 0xff
    CHECK 14, a1, L_ | TOR | R_
    /* a locked TOR entry also locks pmpaddr of the entry below (its bottom) */
    csrw pmpaddr0, zero
    csrr a1, pmpaddr0
    srli a2, s0, 2
    CHECKR 15, a1, a2
TEST_PASS
    .data
    .align 6
area: .word 0x00, 0x44, 0x88, 0xcc, 0x1616, 0, 0, 0
