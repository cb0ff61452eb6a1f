/* Test environment of the self-checking ISA programs (tests/programs/isa).

   A program includes this file, starts with TEST_BEGIN, ends with TEST_PASS and checks
   values with CHECK n, reg, value (n >= 1): the first failing check ends the run with
   tohost = (n << 1) | 1, TEST_PASS with tohost = 1 (PLATFORM.md, HTIF convention).

   Registers x28..x31 (t3..t6) belong to the environment (CHECK and the trap handler
   use them); programs use the others.

   Trap handler (`trap_entry`): records mcause, mepc, mtval in trap_cause/trap_epc/
   trap_tval, counts traps in trap_count, then
   - interrupt: silences its source (msip = 0, mtimecmp = all ones) and returns;
   - instruction-access fault (cause 1): resumes at ra (the program jumped there
     with jalr ra);
   - ecall from U (cause 8): sets MPP = M, so mret resumes after the ecall in M-mode;
   - anything else: resumes after the trapping instruction (length read from mepc).
   TEST_BEGIN clears the record; EXPECT_TRAP n, cause checks it and clears it again. */
#define XLEN __riscv_xlen
#if XLEN == 64
#define SREG sd
#define LREG ld
#define REGBYTES 8
#define X(v32, v64) v64
#else
#define SREG sw
#define LREG lw
#define REGBYTES 4
#define X(v32, v64) v32
#endif

#define CLINT_MSIP     0x02000000
#define CLINT_MTIMECMP 0x02004000
#define CLINT_MTIME    0x0200BFF8

.option norelax

.macro TEST_BEGIN
    .section .text.init, "ax"
    .globl _start
_start:
    la t3, trap_entry
    csrw mtvec, t3
    CLEAR_TRAP
    j 1f
    .align 2
trap_entry:
    la t3, trap_cause
    csrr t4, mcause
    SREG t4, 0(t3)
    csrr t5, mepc
    SREG t5, REGBYTES(t3)
    csrr t6, mtval
    SREG t6, 2*REGBYTES(t3)
    LREG t6, 3*REGBYTES(t3)
    addi t6, t6, 1
    SREG t6, 3*REGBYTES(t3)
    bltz t4, 7f                      /* interrupt */
    li t6, 1
    beq t4, t6, 5f
    li t6, 8
    beq t4, t6, 6f
2:  lhu t6, 0(t5)                    /* length of the trapping instruction */
    andi t4, t6, 3
    li t3, 3
    bne t4, t3, 3f
    andi t4, t6, 0x3f
    li t3, 0x1f
    bne t4, t3, 4f
    addi t5, t5, 2
4:  addi t5, t5, 2
3:  addi t5, t5, 2
    csrw mepc, t5
    mret
5:  csrw mepc, ra
    mret
6:  li t6, 3 << 11
    csrs mstatus, t6
    j 2b
7:  li t3, CLINT_MSIP
    sw zero, 0(t3)
    li t3, CLINT_MTIMECMP
    li t4, -1
    sw t4, 0(t3)
    sw t4, 4(t3)
    mret
1:
.endm

.macro CHECK n, reg, value
    li t6, \value
    beq \reg, t6, 1f
    li t6, (\n << 1) | 1
    j test_end
1:
.endm

/* reg == reg2 */
.macro CHECKR n, reg, reg2
    beq \reg, \reg2, 1f
    li t6, (\n << 1) | 1
    j test_end
1:
.endm

/* Check the trap record against (cause, epc label/value in a register is awkward, so
   epc and tval are checked by the program with CHECK_EPC/CHECK_TVAL). */
.macro EXPECT_TRAP n, cause
    la t3, trap_cause
    LREG t4, 0(t3)
    li t6, \cause
    beq t4, t6, 1f
    li t6, (\n << 1) | 1
    j test_end
1:  SREG zero, 0(t3)
.endm

.macro CHECK_TRAP_EPC n, label
    la t3, trap_cause
    LREG t4, REGBYTES(t3)
    la t6, \label
    beq t4, t6, 1f
    li t6, (\n << 1) | 1
    j test_end
1:
.endm

.macro CHECK_TRAP_TVAL n, value
    la t3, trap_cause
    LREG t4, 2*REGBYTES(t3)
    li t6, \value
    beq t4, t6, 1f
    li t6, (\n << 1) | 1
    j test_end
1:
.endm

.macro CHECK_TRAP_TVAL_LABEL n, label
    la t3, trap_cause
    LREG t4, 2*REGBYTES(t3)
    la t6, \label
    beq t4, t6, 1f
    li t6, (\n << 1) | 1
    j test_end
1:
.endm

/* No trap since the last clear: trap_count is 0. */
.macro CHECK_NO_TRAP n
    la t3, trap_cause
    LREG t4, 3*REGBYTES(t3)
    beqz t4, 1f
    li t6, (\n << 1) | 1
    j test_end
1:
.endm

.macro CLEAR_TRAP
    la t3, trap_cause
    SREG zero, 0(t3)
    SREG zero, REGBYTES(t3)
    SREG zero, 2*REGBYTES(t3)
    SREG zero, 3*REGBYTES(t3)
.endm

.macro TEST_PASS
    li t6, 1
test_end:
    la t3, tohost
    sw t6, 0(t3)
1:  j 1b
    .data
    .align 3
trap_cause: .fill 4, REGBYTES, 0
    .section .tohost, "aw", @progbits
    .align 3
    .globl tohost
tohost: .dword 0
    .globl fromhost
fromhost: .dword 0
    .text
.endm

/* c.jall rd, S, target (EXTENSIONS.md): 48-bit, objdump shows it as one .insn 6. */
#define C_JALL(rd, s, target) .insn 6, ((((target) & 0xffffffff) << 16) | ((s) << 12) | ((rd) << 7) | 0x1f)
/* lrw2spc offset: custom-0 I-type with rd = rs1 = funct3 = 0. A .4byte, because
   `.insn i` wants the offset as a constant before labels are resolved. */
#define LRW2SPC(offset) .4byte 0x0b | (((offset) & 0xfff) << 20)
