/* A trap vector that counts every trap and records mepc, mcause and mstatus of the last 16,
 * then enters the runtime's trap_entry with all registers as they were (it spills three
 * below the interrupted sp: the kernel stack, or the U-mode task's own stack, both
 * writable from M-mode). */
#if __riscv_xlen == 64
#define REG_S sd
#define REG_L ld
#define LGREG 3
#else
#define REG_S sw
#define REG_L lw
#define LGREG 2
#endif
    .data
    .balign 8
    .globl trap_count, trap_epcs, trap_causes, trap_status
trap_count:
    .dword 0
trap_epcs:
    .fill 16, 8, 0
trap_causes:
    .fill 16, 8, 0
trap_status:
    .fill 16, 8, 0
    .text
    .balign 4
    .globl counting_trap_entry
    .type counting_trap_entry, @function
counting_trap_entry:
    addi sp, sp, -32
    REG_S t0, 0(sp)
    REG_S t1, 8(sp)
    REG_S t2, 16(sp)
    la t0, trap_count
    REG_L t1, 0(t0)
    addi t2, t1, 1
    REG_S t2, 0(t0)
    andi t1, t1, 15                 /* ring index of this trap */
    slli t1, t1, LGREG
    la t0, trap_epcs
    add t0, t0, t1
    csrr t2, mepc
    REG_S t2, 0(t0)
    la t0, trap_causes
    add t0, t0, t1
    csrr t2, mcause
    REG_S t2, 0(t0)
    la t0, trap_status
    add t0, t0, t1
    csrr t2, mstatus
    REG_S t2, 0(t0)
    REG_L t2, 16(sp)
    REG_L t1, 8(sp)
    REG_L t0, 0(sp)
    addi sp, sp, 32
    j trap_entry
    .size counting_trap_entry, . - counting_trap_entry
