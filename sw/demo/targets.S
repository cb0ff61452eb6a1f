/* The demo's probe targets: a known instruction at a known label, the same on RV32 and
 * RV64 whatever gcc would emit. 32-bit encodings only (norvc), so every kprobe writes
 * an ebreak (not c.ebreak) and the per-mechanism numbers compare like with like. */
#include <asm/asm.h>

    .text
    .option push
    .option norvc

/* demo_step_fn(x) = x + 6. The probed addi is stepped out of line: it is the last
 * instruction before ret (an optprobe would have to copy the ret, so it is refused),
 * and the demo's probe on it has a post_handler (no boosting). */
    .globl demo_step_fn, demo_step_at
    .type demo_step_fn, @function
    .balign 4
demo_step_fn:
    addi a0, a0, 1
    addi a0, a0, 2
demo_step_at:
    addi a0, a0, 3
    ret
    .size demo_step_fn, . - demo_step_fn

/* demo_boost_fn(x) = x + 9: the same shape; its probe has no post_handler, so on an
 * Xspc build the slot returns through lrw2spc (boosted, one trap). */
    .globl demo_boost_fn, demo_boost_at
    .type demo_boost_fn, @function
    .balign 4
demo_boost_fn:
    addi a0, a0, 4
demo_boost_at:
    addi a0, a0, 5
    ret
    .size demo_boost_fn, . - demo_boost_fn

/* demo_sim_fn(x) = x + 7. The probed auipc is simulated by the trap handler. */
    .globl demo_sim_fn, demo_sim_at
    .type demo_sim_fn, @function
    .balign 4
demo_sim_fn:
    addi a0, a0, 3
demo_sim_at:
    auipc t1, 0
    addi a0, a0, 4
    ret
    .size demo_sim_fn, . - demo_sim_fn

/* demo_hw_fn(x) = x + 11: probed with a hardware trigger (no text change). */
    .globl demo_hw_fn, demo_hw_at
    .type demo_hw_fn, @function
    .balign 4
demo_hw_fn:
    addi a0, a0, 5
demo_hw_at:
    addi a0, a0, 6
    ret
    .size demo_hw_fn, . - demo_hw_fn

/* demo_opt_fn(x) = x + 20. demo_opt_at starts three plain ALU instructions an
 * optprobe can copy to its detour; t1 is written before it is read after them, so it
 * is dead at the site (what the classic flavour needs). */
    .globl demo_opt_fn, demo_opt_at
    .type demo_opt_fn, @function
    .balign 4
demo_opt_fn:
    addi a0, a0, 1
demo_opt_at:
    addi a0, a0, 2
    addi a0, a0, 3
    addi a0, a0, 4
    li t1, 10
    add a0, a0, t1
    ret
    .size demo_opt_fn, . - demo_opt_fn

/* The U-mode task's probed function: demo_user_fn(x) = 2x + 3, uprobe on the slli. */
    .section .user.text, "ax"
    .globl demo_user_fn, demo_user_at
    .type demo_user_fn, @function
    .balign 4
demo_user_fn:
    addi a0, a0, 1
demo_user_at:
    slli a0, a0, 1
    addi a0, a0, 1
    ret
    .size demo_user_fn, . - demo_user_fn

    .option pop
