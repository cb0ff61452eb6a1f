/* A trap vector that counts every trap, then enters the runtime's trap_entry with all
 * registers as they were (it spills two below the interrupted sp: the kernel stack, or
 * the U-mode task's own stack, both writable from M-mode). */
#if __riscv_xlen == 64
#define REG_S sd
#define REG_L ld
#else
#define REG_S sw
#define REG_L lw
#endif
    .data
    .balign 8
    .globl trap_count
trap_count:
    .dword 0
    .text
    .balign 4
    .globl counting_trap_entry
    .type counting_trap_entry, @function
counting_trap_entry:
    addi sp, sp, -16
    REG_S t0, 0(sp)
    REG_S t1, 8(sp)
    la t0, trap_count
    REG_L t1, 0(t0)
    addi t1, t1, 1
    REG_S t1, 0(t0)
    REG_L t1, 8(sp)
    REG_L t0, 0(sp)
    addi sp, sp, 16
    j trap_entry
    .size counting_trap_entry, . - counting_trap_entry
