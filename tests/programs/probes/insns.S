/* Functions made of exactly the instructions the probe tests need, each probe point a
 * global label p_* (the functions are STT_FUNC so kallsyms knows their bounds).
 * Kernel text first, then the U-mode task's text (.user.text). */
#include <asm/spcore.h>

#define FUNC(n) .globl n; .type n, @function; .balign 4; n:
#define ENDF(n) .size n, . - n
#define P(n) .globl n; n:

    .text
    .option norvc

/* a0 = pc of p_auipc - 0x1000 (negative immediate) */
FUNC(sim_auipc)
P(p_auipc) auipc a0, 0xfffff
    ret
ENDF(sim_auipc)

/* a0 = link of jal (p_jal + 4) */
FUNC(sim_jal)
    mv t0, ra
P(p_jal) jal ra, 1f
    li a0, 99
1:  mv a0, ra
    mv ra, t0
    ret
ENDF(sim_jal)

/* jal x0: no link, a0 = 7 */
FUNC(sim_jal0)
P(p_jal0) jal x0, 1f
    li a0, 99
    ret
1:  li a0, 7
    ret
ENDF(sim_jal0)

/* jalr to an odd address (bit 0 dropped); a0 = link (p_jalr + 4) */
FUNC(sim_jalr)
    mv t0, ra
    la t1, 1f + 1
P(p_jalr) jalr a1, 0(t1)
    li a1, 99
1:  mv a0, a1
    mv ra, t0
    ret
ENDF(sim_jalr)

/* jalr t1, 0(t1): target read before the link is written; a0 = link */
FUNC(sim_jalr_same)
    la t1, 1f
P(p_jalr_same) jalr t1, 0(t1)
    li t1, 99
1:  mv a0, t1
    ret
ENDF(sim_jalr_same)

/* br_<op>(a, b) = 1 if the branch is taken */
.macro BR op
FUNC(br_\op)
P(p_\op) \op a0, a1, 1f
    li a0, 0
    ret
1:  li a0, 1
    ret
ENDF(br_\op)
.endm
    BR beq
    BR bne
    BR blt
    BR bge
    BR bltu
    BR bgeu

/* loop_count(n): runs p_loop_body n times (n >= 1); backward branch p_loop_br */
FUNC(loop_count)
    li t0, 0
1:
P(p_loop_body) addi t0, t0, 1
P(p_loop_br) blt t0, a0, 1b
    mv a0, t0
    ret
ENDF(loop_count)

/* alu_mix(x) = ((x + 3) << 2) ^ 0x55: c.addi at the entry, then an RVI at 2 mod 4
 * spanning a word boundary, then an adjacent RVI */
FUNC(alu_mix)
    .option rvc
P(p_caddi) c.addi a0, 3
    .option norvc
P(p_slli) slli a0, a0, 2
P(p_xori) xori a0, a0, 0x55
    ret
ENDF(alu_mix)

/* load_word(p) = *(int *)p: an XOL-stepped load */
FUNC(load_word)
P(p_lw) lw a0, 0(a0)
    ret
ENDF(load_word)

    .option rvc
FUNC(sim_cj)
P(p_cj) c.j 1f
    li a0, 99
    ret
1:  li a0, 5
    ret
ENDF(sim_cj)

#if __riscv_xlen == 32
/* a0 = link of c.jal (p_cjal + 2) */
FUNC(sim_cjal)
    mv t2, ra
P(p_cjal) c.jal 1f
    li a0, 99
1:  mv a0, ra
    mv ra, t2
    ret
ENDF(sim_cjal)
#endif

FUNC(sim_cjr)
    la t1, 1f
P(p_cjr) c.jr t1
    li a0, 99
    ret
1:  li a0, 6
    ret
ENDF(sim_cjr)

/* a0 = link of c.jalr (p_cjalr + 2); the target is past a skipped instruction */
FUNC(sim_cjalr)
    mv t2, ra
    la t1, 1f
P(p_cjalr) c.jalr t1
    li a0, 99
1:  mv a0, ra
    mv ra, t2
    ret
ENDF(sim_cjalr)

FUNC(br_cbeqz)
P(p_cbeqz) c.beqz a0, 1f
    li a0, 0
    ret
1:  li a0, 1
    ret
ENDF(br_cbeqz)

FUNC(br_cbnez)
P(p_cbnez) c.bnez a0, 1f
    li a0, 0
    ret
1:  li a0, 1
    ret
ENDF(br_cbnez)

/* Refusals: one instruction each that must not be probed. */
FUNC(unprobeable)
    .option norvc
P(p_ecall) ecall
P(p_ebreak) ebreak
    .option rvc
P(p_cebreak) c.ebreak
    .option norvc
P(p_csrr) csrr a0, mstatus
P(p_csrw) csrw mscratch, a0
P(p_fence) fence rw, rw
P(p_fencei) fence.i
P(p_wfi) wfi
P(p_mret) mret
P(p_after) addi a0, a0, 1
    ret
ENDF(unprobeable)

#ifdef CONFIG_XJALL
/* a0 = link of c.jall t0 (p_cjall + 6) */
FUNC(sim_cjall)
P(p_cjall) C_JALL 5, 0, 1f
    li a0, 99
    ret
1:  mv a0, t0
    ret
ENDF(sim_cjall)
#endif

/* Assembled also without Xspc (then never run: the refusal test probes it). */
/* sim_lrw2spc() = 11: lrw2spc arms the shadow jump to 3f, one instruction runs, then
 * reaching the literal jumps. */
    .option norvc
FUNC(sim_lrw2spc)
    li a0, 0
    .balign 8
P(p_lrw2spc) LRW2SPC 2f
    addi a0, a0, 1
2:
#if __riscv_xlen == 64
    .dword 3f
#else
    .word 3f
#endif
3:  addi a0, a0, 10
    ret
ENDF(sim_lrw2spc)

/* sim_lrw2spc_now() = 20: the literal right after lrw2spc, so the jump is immediate */
FUNC(sim_lrw2spc_now)
    li a0, 0
    .balign 8
    nop
P(p_lrw2spc_now) LRW2SPC 2f
2:
#if __riscv_xlen == 64
    .dword 3f
#else
    .word 3f
#endif
3:  addi a0, a0, 20
    ret
ENDF(sim_lrw2spc_now)

/* many_addi(x) = x + 72: 72 XOL-class instructions in a row */
FUNC(many_addi)
    .rept 72
    addi a0, a0, 1
    .endr
    ret
ENDF(many_addi)

/* ---------------- the U-mode task's instructions ---------------- */
    .section .user.text, "ax"
    .option rvc
/* u_alu(x) = (x + 1) << 1: a c.addi and an RVI */
FUNC(u_alu)
P(p_u_caddi) c.addi a0, 1
    .option norvc
P(p_u_slli) slli a0, a0, 1
    .option rvc
    ret
ENDF(u_alu)

FUNC(u_beq)
    .option norvc
P(p_u_beq) beq a0, a1, 1f
    .option rvc
    li a0, 0
    ret
1:  li a0, 1
    ret
ENDF(u_beq)

FUNC(u_load)
    .option norvc
P(p_u_lw) lw a0, 0(a0)
    .option rvc
    ret
ENDF(u_load)
