#ifndef _ASM_CSR_H
#define _ASM_CSR_H

#define CSR_MSTATUS 0x300
#define CSR_MISA 0x301
#define CSR_MIE 0x304
#define CSR_MTVEC 0x305
#define CSR_MSCRATCH 0x340
#define CSR_MEPC 0x341
#define CSR_MCAUSE 0x342
#define CSR_MTVAL 0x343
#define CSR_MIP 0x344
#define CSR_MCYCLE 0xb00
#define CSR_MINSTRET 0xb02
#define CSR_TSELECT 0x7a0
#define CSR_TDATA1 0x7a1
#define CSR_TDATA2 0x7a2
#define CSR_TINFO 0x7a4
#define CSR_SPC 0x7c0
#define CSR_SPCTRIG 0x7c1
#define CSR_MSPC 0x7c2
#define CSR_MSPCTRIG 0x7c3

#define SR_MIE (1UL << 3)
#define SR_MPIE (1UL << 7)
#define SR_MPP (3UL << 11)
#define MIE_MSIE (1UL << 3)
#define MIE_MTIE (1UL << 7)
#define MIE_MEIE (1UL << 11)
#define CAUSE_IRQ_FLAG (1UL << (__riscv_xlen - 1))

#define EXC_INST_MISALIGNED 0
#define EXC_INST_ACCESS 1
#define EXC_INST_ILLEGAL 2
#define EXC_BREAKPOINT 3
#define EXC_LOAD_MISALIGNED 4
#define EXC_LOAD_ACCESS 5
#define EXC_STORE_MISALIGNED 6
#define EXC_STORE_ACCESS 7
#define EXC_SYSCALL_U 8
#define EXC_SYSCALL_M 11
#define IRQ_M_SOFT 3
#define IRQ_M_TIMER 7
#define IRQ_M_EXT 11

#ifndef __ASSEMBLER__
#define __ASM_STR(x) #x
#define csr_read(csr) ({ unsigned long __v; \
    __asm__ __volatile__("csrr %0, " __ASM_STR(csr) : "=r"(__v) :: "memory"); __v; })
#define csr_write(csr, val) ({ unsigned long __v = (unsigned long)(val); \
    __asm__ __volatile__("csrw " __ASM_STR(csr) ", %0" :: "rK"(__v) : "memory"); })
#define csr_set(csr, val) ({ unsigned long __v = (unsigned long)(val); \
    __asm__ __volatile__("csrs " __ASM_STR(csr) ", %0" :: "rK"(__v) : "memory"); })
#define csr_clear(csr, val) ({ unsigned long __v = (unsigned long)(val); \
    __asm__ __volatile__("csrc " __ASM_STR(csr) ", %0" :: "rK"(__v) : "memory"); })
#define csr_read_clear(csr, val) ({ unsigned long __v = (unsigned long)(val); \
    __asm__ __volatile__("csrrc %0, " __ASM_STR(csr) ", %1" : "=r"(__v) : "rK"(__v) : "memory"); __v; })

static inline unsigned long local_irq_save(void) { return csr_read_clear(CSR_MSTATUS, SR_MIE) & SR_MIE; }
static inline void local_irq_restore(unsigned long flags) { csr_set(CSR_MSTATUS, flags & SR_MIE); }
static inline void local_irq_enable(void) { csr_set(CSR_MSTATUS, SR_MIE); }
static inline void local_irq_disable(void) { csr_clear(CSR_MSTATUS, SR_MIE); }
static inline unsigned long get_cycles(void) { return csr_read(CSR_MCYCLE); }
#endif
#endif
