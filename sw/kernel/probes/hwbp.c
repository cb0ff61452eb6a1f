/* Hardware-breakpoint kprobes: a Sdtrig mcontrol6 trigger matching an execute address
 * in M-mode with action 0 raises the same breakpoint exception (mepc = the address) as
 * an ebreak there, so the kprobe trap path handles both; no text is patched. The
 * instruction is then simulated or stepped out of line as usual: neither fetches it
 * from the probed address, so the trigger does not fire again. */
#include <asm/csr.h>
#include "kprobes_internal.h"

#define TDATA1_TYPE_SHIFT (__riscv_xlen - 4)
#define MCONTROL6 6UL
#define MC_M (1UL << 6)
#define MC_EXECUTE (1UL << 2)
#define MC_STORE (1UL << 1)
#define MC_LOAD (1UL << 0)
#define MAX_TRIGGERS 8

static u8 hwbp_used[MAX_TRIGGERS];

int __kprobes hwbp_install(unsigned long addr)
{
    for (unsigned i = 0; i < MAX_TRIGGERS; i++) {
        csr_write(CSR_TSELECT, i);
        if (csr_read(CSR_TSELECT) != i)          /* no trigger i: no more triggers */
            break;
        unsigned long t1 = csr_read(CSR_TDATA1);
        if (hwbp_used[i] || (t1 >> TDATA1_TYPE_SHIFT) != MCONTROL6 ||
            (t1 & (MC_EXECUTE | MC_LOAD | MC_STORE)))   /* someone else's trigger */
            continue;
        csr_write(CSR_TDATA2, addr);
        csr_write(CSR_TDATA1, (MCONTROL6 << TDATA1_TYPE_SHIFT) | MC_M | MC_EXECUTE);
        if (!(csr_read(CSR_TDATA1) & MC_EXECUTE))
            continue;                            /* cannot match execute addresses */
        hwbp_used[i] = 1;
        return i;
    }
    return -ENOSPC;
}

void __kprobes hwbp_remove(int index)
{
    if (index < 0 || index >= MAX_TRIGGERS || !hwbp_used[index])
        return;
    csr_write(CSR_TSELECT, index);
    csr_write(CSR_TDATA1, MCONTROL6 << TDATA1_TYPE_SHIFT);
    hwbp_used[index] = 0;
}
