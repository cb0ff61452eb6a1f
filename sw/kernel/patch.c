/* Live code patching on one hart: halfword stores with interrupts off, then fence.i. */
#include <linux/kernel.h>
#include <asm/csr.h>
#include <asm/patch.h>

int notrace patch_text_nosync(void *addr, const void *insns, size_t len)
{
    if (((unsigned long)addr & 1) || (len & 1))
        return -EINVAL;
    volatile u16 *dst = addr;
    const u8 *src = insns;
    for (size_t i = 0; i < len / 2; i++)
        dst[i] = (u16)(src[2 * i] | (src[2 * i + 1] << 8));
    flush_icache_all();
    return 0;
}

int notrace patch_text(void *addr, const void *insns, size_t len)
{
    unsigned long flags = local_irq_save();
    int ret = patch_text_nosync(addr, insns, len);
    local_irq_restore(flags);
    return ret;
}
