/* ftrace trampolines: where an enabled call site jumps, one variant per call-site scheme
 * (this build's CONFIG_FTRACE_<SCHEME>), and return_to_handler for the function graph.
 *
 * Every variant builds a struct pt_regs frame (the struct ftrace_regs handed to the
 * callbacks) with epc = where the function's body resumes, ra = the parent's return
 * address, sp = the function's sp, a0-a7, s0, t0; all GPRs when ftrace_save_regs is set
 * (an ops with FTRACE_OPS_FL_SAVE_REGS is registered). Then it calls
 * op->func(ip, parent_ip, op, fregs), where op is the ops literal before the function
 * (call-ops) or function_trace_op (the only ops, or the list walker), restores and goes
 * back to epc. A frame of PT_SIZE + 16 bytes keeps the word below the function's sp
 * (where the ra-stack site keeps ra) out of the pt_regs area.
 *
 * What is live on entry, per scheme (site = the ip ftrace reports):
 *   mcount    ra = site+8, a0 = parent (gcc's `mv a0,ra`), parent also at -SZREG(s0)
 *   ra-stack  ra = site+12, parent at -SZREG(sp) (the site stored it)
 *   t0        t0 = site+8, ra = parent
 *   call-ops  t0 = site+8, ra = parent, ops literal at site-8
 *   jall      t0 = site+6, ra = parent
 * t1-t6 are dead at every site (function entry, or a call in the mcount case). */
#include <asm/asm.h>
#include <asm/csr.h>

#define FRAME (PT_SIZE + 16)
#define SLOT(n) ((n) * SZREG)
#define PT_RA SLOT(1)
#define PT_SP SLOT(2)
#define PT_T0 SLOT(5)
#define PT_T1 SLOT(6)

#ifdef CONFIG_FTRACE

.macro SAVE_ARGS
    REG_S x8, SLOT(8)(sp)
    .irp n, 10, 11, 12, 13, 14, 15, 16, 17
    REG_S x\n, SLOT(\n)(sp)
    .endr
.endm

.macro RESTORE_ARGS
    .irp n, 10, 11, 12, 13, 14, 15, 16, 17
    REG_L x\n, SLOT(\n)(sp)
    .endr
.endm

/* The rest of the GPRs, only while some ops asked for them (t1 is free here). */
.macro SAVE_REST_IF_WANTED
    lla t1, ftrace_save_regs
    lbu t1, 0(t1)
    beqz t1, 88f
    .irp n, 3, 4, 7, 9, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31
    REG_S x\n, SLOT(\n)(sp)
    .endr
88:
.endm

/* Callee-saved registers a SAVE_REGS handler may have changed through pt_regs. */
.macro RESTORE_REST_IF_WANTED
    lla t1, ftrace_save_regs
    lbu t1, 0(t1)
    beqz t1, 89f
    .irp n, 9, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27
    REG_L x\n, SLOT(\n)(sp)
    .endr
89:
.endm

/* a2 = op, a3 = fregs, call op->func (a0 = ip and a1 = parent already set). */
.macro CALL_OP_FROM_GLOBAL
    lla a2, function_trace_op
    REG_L a2, 0(a2)
    mv a3, sp
    REG_L t1, 0(a2)
    jalr t1
.endm

    .section .kprobes.text, "ax"
    .balign 4
    .globl ftrace_caller
    .type ftrace_caller, @function
ftrace_caller:
#if defined(CONFIG_FTRACE_T0) || defined(CONFIG_FTRACE_CALL_OPS) || defined(CONFIG_FTRACE_JALL)
#ifdef CONFIG_FTRACE_JALL
#define SITE_LEN 6
#else
#define SITE_LEN 8
#endif
    addi sp, sp, -FRAME
    REG_S t0, PT_EPC(sp)
    REG_S t0, PT_T0(sp)
    REG_S t1, PT_T1(sp)
    REG_S ra, PT_RA(sp)
    addi t1, sp, FRAME
    REG_S t1, PT_SP(sp)
    SAVE_ARGS
    SAVE_REST_IF_WANTED
    addi a0, t0, -SITE_LEN
    mv a1, ra
#ifdef CONFIG_FTRACE_CALL_OPS
    REG_L a2, -16(t0)               /* the ops literal 8 bytes before the function */
    mv a3, sp
    REG_L t1, 0(a2)
    jalr t1
#else
    CALL_OP_FROM_GLOBAL
#endif
    RESTORE_ARGS
    RESTORE_REST_IF_WANTED
    REG_L x8, SLOT(8)(sp)
    REG_L ra, PT_RA(sp)             /* the graph hook may have replaced it */
    REG_L t0, PT_EPC(sp)
    addi sp, sp, FRAME
    jr t0

#elif defined(CONFIG_FTRACE_RA_STACK)
    addi sp, sp, -FRAME
    REG_S ra, PT_EPC(sp)
    REG_S t0, PT_T0(sp)
    REG_S t1, PT_T1(sp)
    REG_L t1, FRAME - SZREG(sp)     /* the parent's ra, stored by the site */
    REG_S t1, PT_RA(sp)
    addi t0, sp, FRAME
    REG_S t0, PT_SP(sp)
    SAVE_ARGS
    SAVE_REST_IF_WANTED
    addi a0, ra, -12
    REG_L a1, PT_RA(sp)
    CALL_OP_FROM_GLOBAL
    RESTORE_ARGS
    RESTORE_REST_IF_WANTED
    REG_L x8, SLOT(8)(sp)
    REG_L ra, PT_RA(sp)
    REG_S ra, FRAME - SZREG(sp)     /* the site's REG_L ra reloads it (graph may change it) */
    REG_L t1, PT_EPC(sp)
    REG_L t0, PT_T0(sp)
    addi sp, sp, FRAME
    jr t1

#elif defined(CONFIG_FTRACE_MCOUNT)
    addi sp, sp, -FRAME
    REG_S ra, PT_EPC(sp)
    REG_S t0, PT_T0(sp)
    REG_S t1, PT_T1(sp)
    REG_L t1, -SZREG(s0)            /* the function's saved ra (frame pointer build) */
    REG_S t1, PT_RA(sp)
    addi t0, sp, FRAME
    REG_S t0, PT_SP(sp)
    SAVE_ARGS
    SAVE_REST_IF_WANTED
    addi a0, ra, -8
    REG_L a1, PT_RA(sp)
    CALL_OP_FROM_GLOBAL
    RESTORE_ARGS
    RESTORE_REST_IF_WANTED
    REG_L t1, PT_RA(sp)
    REG_S t1, -SZREG(s0)            /* the epilogue reloads ra from there */
    REG_L x8, SLOT(8)(sp)
    REG_L ra, PT_EPC(sp)
    addi sp, sp, FRAME
    jr ra
#else
#error "CONFIG_FTRACE without a scheme"
#endif
    .size ftrace_caller, . - ftrace_caller

/* A hooked function returns here: a0/a1 hold its return value. */
    .balign 4
    .globl return_to_handler
    .type return_to_handler, @function
return_to_handler:
    addi sp, sp, -32
    REG_S a0, 0(sp)
    REG_S a1, SZREG(sp)
    call ftrace_return_to_handler   /* a0 = retval; returns the real return address */
    mv ra, a0
    REG_L a0, 0(sp)
    REG_L a1, SZREG(sp)
    addi sp, sp, 32
    jr ra
    .size return_to_handler, . - return_to_handler
#else
/* No scheme in this build: nothing jumps here, the symbols only let ftrace.c link. */
    .text
    .globl ftrace_caller, return_to_handler
ftrace_caller:
return_to_handler:
    ret
#endif
