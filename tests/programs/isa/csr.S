/* Zicsr instructions and the CSRs of PLATFORM.md (privileged spec chapter 3). */
#include "spcore_test.h"
TEST_BEGIN
    li a0, 0x5a
    csrrw a1, mscratch, a0
    CHECK 1, a1, 0
    li a0, 0x0f
    csrrs a1, mscratch, a0               /* old value, then set bits */
    CHECK 2, a1, 0x5a
    li a0, 0x42
    csrrc a1, mscratch, a0
    CHECK 3, a1, 0x5f
    csrrwi a1, mscratch, 17
    CHECK 4, a1, 0x1d
    csrrsi a1, mscratch, 0x0c
    CHECK 5, a1, 17
    csrrci a1, mscratch, 0x1
    CHECK 6, a1, 0x1d
    csrr a1, mscratch
    CHECK 7, a1, 0x1c
    csrrs a1, mscratch, zero              /* rs1 = x0: read only */
    CHECK 8, a1, 0x1c
    /* read-only machine information registers read 0 */
    csrr a1, mvendorid
    CHECK 10, a1, 0
    csrr a1, marchid
    CHECK 11, a1, 0
    csrr a1, mimpid
    CHECK 12, a1, 0
    csrr a1, mhartid
    CHECK 13, a1, 0
    /* misa: MXL = 1 (RV32) / 2 (RV64); I, M, C, U present; writes are ignored */
    csrr a1, misa
    srli a2, a1, XLEN - 2
    CHECK 14, a2, X(1, 2)
    li a3, (1 << 8) | (1 << 12) | (1 << 2) | (1 << 20)
    and a2, a1, a3
    CHECKR 15, a2, a3
    csrw misa, zero
    csrr a2, misa
    CHECKR 16, a2, a1
    CHECK_NO_TRAP 17
    /* mstatus: MIE, MPIE writable; MPP holds only M (3) or U (0) */
    csrw mstatus, zero
    li a0, (1 << 11)                      /* MPP = S: illegal value */
    csrs mstatus, a0
    csrr a1, mstatus
    srli a1, a1, 11
    andi a1, a1, 3
    li a2, 1
    bne a1, a2, 1f
    CHECK 18, zero, 1
1:  li a0, (3 << 11) | (1 << 7)
    csrw mstatus, a0
    csrr a1, mstatus
    li a2, (3 << 11) | (1 << 7) | (1 << 3)
    and a1, a1, a2
    CHECK 19, a1, (3 << 11) | (1 << 7)
    /* mtvec (direct), mepc (bit 0 reads 0), mcause, mtval */
    csrr s0, mtvec
    la a0, trap_entry
    CHECKR 20, s0, a0
    li a0, 0x80000101
    csrw mepc, a0
    csrr a1, mepc
    CHECK 21, a1, 0x80000100
    li a0, 5
    csrw mcause, a0
    csrr a1, mcause
    CHECK 22, a1, 5
    li a0, 0x1234
    csrw mtval, a0
    csrr a1, mtval
    CHECK 23, a1, 0x1234
    /* mie: MSIE, MTIE, MEIE writable */
    li a0, -1
    csrw mie, a0
    csrr a1, mie
    CHECK 24, a1, 0x888
    csrw mie, zero
    csrr a1, mip
    andi a1, a1, 0x8                      /* no software interrupt pending */
    CHECK 25, a1, 0
    li a0, 7
    csrw mcounteren, a0
    csrr a1, mcounteren
    CHECK 26, a1, 7
    csrw mcounteren, zero
    /* counters: minstret counts retired instructions; a write suppresses its own count */
    csrr a0, instret
    csrr a1, instret
    sub a2, a1, a0
    CHECK 27, a2, 1
    csrr a0, minstret
    nop
    nop
    csrr a1, minstret
    sub a2, a1, a0
    CHECK 28, a2, 3
    li a0, 1000
    csrw minstret, a0
    csrr a1, minstret
    CHECK 29, a1, 1000
    csrr a0, mcycle
    csrr a1, cycle
    bltu a0, a1, 1f
    CHECK 30, zero, 1
1:  csrw mcycle, zero
    csrr a1, mcycle
    sltiu a1, a1, 8                       /* small right after the write */
    CHECK 31, a1, 1
    csrr a0, time
    li a2, CLINT_MTIME
    LREG a1, 0(a2)
    bgeu a1, a0, 1f                       /* time mirrors the CLINT's mtime */
    CHECK 32, zero, 1
1:
#if XLEN == 32
    li a0, 0xffffffff
    csrw minstret, a0
    csrw minstreth, zero                  /* suppresses its own count: no carry yet */
    csrr a1, minstreth                    /* reads the count before itself */
    CHECK 33, a1, 0
    csrr a1, instreth
    CHECK 34, a1, 1
    csrw mcycleh, a0
    csrr a1, mcycleh
    CHECK 35, a1, 0xffffffff
    csrr a1, cycleh
    CHECK 36, a1, 0xffffffff
    csrr a1, timeh
    CHECK 37, a1, 0
#endif
    /* PMP registers */
    li a0, 0x20000100
    csrw pmpaddr0, a0
    csrr a1, pmpaddr0
    CHECK 40, a1, 0x20000100
    csrw pmpaddr1, a0
    csrw pmpaddr2, a0
    csrw pmpaddr3, a0
    csrr a1, pmpaddr3
    CHECK 41, a1, 0x20000100
    li a0, 0x19110901                     /* entries 0..3: TOR+R, TOR+R, NA4+R, NAPOT+R */
    csrw pmpcfg0, a0
    csrr a1, pmpcfg0
    li a2, 0xffffffff
    and a1, a1, a2
    CHECK 42, a1, 0x19110901
    csrw pmpcfg0, zero
    /* Sdtrig: tselect, tdata1 (type 6 = mcontrol6), tdata2, tinfo */
    csrw tselect, zero
    csrr a1, tselect
    CHECK 43, a1, 0
    csrr a1, tinfo
    srli a1, a1, 6
    andi a1, a1, 1
    CHECK 44, a1, 1
    csrr a1, tdata1
    srli a1, a1, XLEN - 4
    CHECK 45, a1, 6
    li a0, 0x80001000
    csrw tdata2, a0
    csrr a1, tdata2
    CHECK 46, a1, 0x80001000
    li a0, 1
    csrw tselect, a0
    csrr a1, tselect
    CHECK 47, a1, 1
    csrw tdata2, zero
    CHECK_NO_TRAP 48
    /* Xspc CSRs: M-mode read/write */
    li a0, 0x80000400
    csrw 0x7c0, a0
    csrr a1, 0x7c0
    CHECK 50, a1, 0x80000400
    csrw 0x7c2, a0
    csrr a1, 0x7c2
    CHECK 51, a1, 0x80000400
    csrw 0x7c3, a0
    csrr a1, 0x7c3
    CHECK 52, a1, 0x80000400
    csrr a1, 0x7c1                        /* spctrig reset value: disarmed */
    CHECK 53, a1, 0
    /* a CSR the core does not have (satp): illegal instruction, mtval = the bits */
i1: csrr a1, satp
    EXPECT_TRAP 60, 2
    CHECK_TRAP_EPC 61, i1
    CHECK_TRAP_TVAL 62, 0x180025f3
    /* writing a read-only CSR is illegal; reading it with csrrs x0 is not */
i2: csrw mvendorid, a0
    EXPECT_TRAP 63, 2
    CHECK_TRAP_EPC 64, i2
i3: csrrwi zero, cycle, 0
    EXPECT_TRAP 65, 2
    CLEAR_TRAP
    csrrs zero, cycle, zero
    CHECK_NO_TRAP 66
TEST_PASS
