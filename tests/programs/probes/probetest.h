/* Shared by the probe test programs: checks with distinct exit codes, a trap counter,
 * and the probe points of insns.S. */
#ifndef PROBETEST_H
#define PROBETEST_H
#include <linux/kernel.h>
#include <linux/kprobes.h>
#include <asm/csr.h>
#include <asm/patch.h>
#include <asm/traps.h>

/* Each failing check ends the program with its own code (and says which). */
#define CHECK(code, cond) do { if (!(cond)) { \
        printk("FAIL %d: %s (line %d)\n", (code), #cond, __LINE__); return (code); } \
    } while (0)
#define CHECK_EQ(code, a, b) do { long __a = (long)(a), __b = (long)(b); if (__a != __b) { \
        printk("FAIL %d: %s == %s: %lx != %lx (line %d)\n", (code), #a, #b, __a, __b, \
               __LINE__); return (code); } } while (0)

/* A function the tests probe: noipa, not just noinline, so gcc neither clones it nor,
 * finding it pure, merges two calls with the same argument into one (the second call
 * would never reach the probe). */
#define __probed __attribute__((noipa))

/* Traps taken, counted by a trap vector in front of the runtime's trap_entry. */
extern volatile unsigned long trap_count;
/* mepc, mcause and mstatus (MPP: the mode it came from) of trap number n (0 = the
 * first since trap_count was 0) are at index n % 16 of these. */
extern volatile unsigned long trap_epcs[16], trap_causes[16], trap_status[16];
#define TRAP_FROM_U(n) ((trap_status[(n) & 15] & SR_MPP) == 0)
void counting_trap_entry(void);
extern char trap_entry[];
static inline void count_traps(int on)
{
    csr_write(CSR_MTVEC, on ? (unsigned long)counting_trap_entry : (unsigned long)trap_entry);
}

static inline u16 half(const void *a) { return *(const volatile u16 *)a; }
static inline u32 word_at(const void *a) { return half(a) | ((u32)half((const u8 *)a + 2) << 16); }

/* insns.S */
#define INSN(n) extern char n[]
INSN(p_auipc); INSN(p_jal); INSN(p_jal0); INSN(p_jalr); INSN(p_jalr_same);
INSN(p_beq); INSN(p_bne); INSN(p_blt); INSN(p_bge); INSN(p_bltu); INSN(p_bgeu);
INSN(p_loop_body); INSN(p_loop_br); INSN(p_caddi); INSN(p_slli); INSN(p_xori); INSN(p_lw);
INSN(p_cj); INSN(p_cjal); INSN(p_cjr); INSN(p_cjalr); INSN(p_cbeqz); INSN(p_cbnez);
INSN(p_ecall); INSN(p_ebreak); INSN(p_cebreak); INSN(p_csrr); INSN(p_csrw); INSN(p_fence);
INSN(p_fencei); INSN(p_wfi); INSN(p_mret); INSN(p_after); INSN(p_cjall); INSN(p_lrw2spc);
INSN(p_lrw2spc_now); INSN(p_u_caddi); INSN(p_u_slli); INSN(p_u_beq); INSN(p_u_lw);
long sim_auipc(void); long sim_jal(void); long sim_jal0(void); long sim_jalr(void);
long sim_jalr_same(void); long br_beq(long, long); long br_bne(long, long);
long br_blt(long, long); long br_bge(long, long); long br_bltu(long, long);
long br_bgeu(long, long); long loop_count(long); long alu_mix(long); long load_word(void *);
long sim_cj(void); long sim_cjal(void); long sim_cjr(void); long sim_cjalr(void);
long br_cbeqz(long); long br_cbnez(long); long sim_cjall(void); long sim_lrw2spc(void);
long sim_lrw2spc_now(void); long many_addi(long); long u_alu(long); long u_beq(long, long); long u_load(void *);
#endif
