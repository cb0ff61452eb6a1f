/* Probe targets with a known instruction at a known label, so every row probes the
 * same kind of instruction on RV32 and RV64 whatever gcc would emit. All 32-bit
 * encodings (norvc): a c.ebreak vs ebreak difference must not hide in the numbers. */
#include <asm/asm.h>

    .text
    .option push
    .option norvc

/* bench_step_fn(x) = x + 10. bench_step_at: a plain ALU instruction, which a kprobe
 * single-steps out of line (k, b-spc, hwbp). It is the last before `ret`, so an
 * optprobe would have to copy the ret: the optimizer refuses and the probe stays a
 * breakpoint even without a post_handler (which would turn boosting off). */
    .globl bench_step_fn, bench_step_at
    .type bench_step_fn, @function
    .balign 4
bench_step_fn:
    addi a0, a0, 1
    addi a0, a0, 2
    addi a0, a0, 3
bench_step_at:
    addi a0, a0, 4
    ret
    .size bench_step_fn, . - bench_step_fn

/* bench_sim_fn(x) = x + 3. bench_sim_at: auipc, which the runtime simulates (b). */
    .globl bench_sim_fn, bench_sim_at
    .type bench_sim_fn, @function
    .balign 4
bench_sim_fn:
    addi a0, a0, 1
bench_sim_at:
    auipc t1, 0
    addi a0, a0, 2
    ret
    .size bench_sim_fn, . - bench_sim_fn

/* bench_opt_fn(x) = x + 15. bench_opt_at starts 8 bytes of ALU instructions that can be
 * copied to a detour; t1 is written after them before any read, so it is dead at the
 * site (the register the classic flavour needs). */
    .globl bench_opt_fn, bench_opt_at
    .type bench_opt_fn, @function
    .balign 4
bench_opt_fn:
    addi a0, a0, 1
bench_opt_at:
    addi a0, a0, 2
    addi a0, a0, 3
    addi a0, a0, 4
    li t1, 5
    add a0, a0, t1
    ret
    .size bench_opt_fn, . - bench_opt_fn

/* bench_ret_fn(x) = x + 3: a kretprobe's function (entry probe on an ALU instruction). */
    .globl bench_ret_fn
    .type bench_ret_fn, @function
    .balign 4
bench_ret_fn:
    addi a0, a0, 1
    addi a0, a0, 2
    ret
    .size bench_ret_fn, . - bench_ret_fn

/* The U-mode task: bench_user_loop(n) calls bench_user_fn n times; bench_user_at is
 * the uprobe's ALU instruction. */
    .section .user.text, "ax"
    .globl bench_user_fn, bench_user_at, bench_user_loop
    .type bench_user_fn, @function
    .balign 4
bench_user_fn:
    addi a0, a0, 1
bench_user_at:
    addi a0, a0, 2
    ret
    .size bench_user_fn, . - bench_user_fn

    .type bench_user_loop, @function
    .balign 4
bench_user_loop:
    addi sp, sp, -16
    REG_S ra, 0(sp)
    REG_S s0, SZREG(sp)
    mv s0, a0
1:  beqz s0, 2f
    mv a0, s0
    jal ra, bench_user_fn
    addi s0, s0, -1
    j 1b
2:  REG_L ra, 0(sp)
    REG_L s0, SZREG(sp)
    addi sp, sp, 16
    ret
    .size bench_user_loop, . - bench_user_loop

    .option pop
