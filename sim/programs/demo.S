/* `spcore sim`'s demo until the tracing demo runs at RTL speed: a few hundred
 * instructions that take an ecall trap, a c.jall call, a lrw2spc detour (the end of an
 * optprobe: all registers restored, no GPR used to jump back) and a timer interrupt,
 * printing one line each. Ends through the sim-exit register. */
#define CONSOLE 0x10000000
#define SIM_EXIT 0x10000008
#define MTIMECMP 0x02004000
#define MTIME 0x0200bff8

#include <asm/spcore.h>

.macro PRINT label
    la a0, \label
    jal ra, puts
.endm

    .option norelax
    .option arch, +zicsr
    .text
    .globl _start
_start:
    la sp, stack_top
    la t0, trap
    csrw mtvec, t0
    PRINT hello

    ecall                           /* 1. a synchronous trap and back */
    PRINT after_ecall

    C_JALL 5, 0, callee             /* 2. c.jall t0, callee: 6 bytes, link in t0 */
    PRINT after_jall

    li s1, 0                        /* 3. a detour that returns through the SPC */
    j detour
back:
    li t1, 2
    bne s1, t1, fail
    PRINT after_spc

    li t1, MTIME                    /* 4. a timer interrupt */
    lw t2, 0(t1)
    addi t2, t2, 100
    li t1, MTIMECMP
    sw t2, 0(t1)
    sw zero, 4(t1)
    li t0, 1 << 7
    csrs mie, t0
    csrsi mstatus, 8
    li s2, 0
1:  beqz s2, 1b
    PRINT after_timer

    li t0, SIM_EXIT
    sw zero, 0(t0)
fail:
    li a0, 1
    li t0, SIM_EXIT
    sw a0, 0(t0)

callee:
    jr t0

detour:                             /* the "replaced instructions", then jump back */
    addi s1, s1, 1
    LRW2SPC lit
    addi s1, s1, 1
    .align 3
lit:
    .dword back                     /* reaching lit jumps to back (the literal never runs) */

    .align 2
trap:
    csrr t3, mcause
    bltz t3, irq
    csrr t3, mepc
    addi t3, t3, 4
    csrw mepc, t3
    mret
irq:
    li t3, MTIMECMP
    li t4, -1
    sw t4, 4(t3)                    /* mtimecmp far away: interrupt off */
    li s2, 1
    mret

puts:                               /* a0: string; uses t5, t6 */
    li t5, CONSOLE
2:  lbu t6, 0(a0)
    beqz t6, 3f
    sb t6, 0(t5)
    addi a0, a0, 1
    j 2b
3:  ret

    .data
hello:       .string "spcore demo on the RTL, in lockstep with the golden model\n"
after_ecall: .string "  ecall trapped and returned\n"
after_jall:  .string "  c.jall called and linked through t0\n"
after_spc:   .string "  lrw2spc: detour left through the shadow PC\n"
after_timer: .string "  timer interrupt taken\n"
    .align 4
    .space 512
stack_top:
