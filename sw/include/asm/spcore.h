#ifndef _ASM_SPCORE_H
#define _ASM_SPCORE_H
/* The two tracing extensions of EXTENSIONS.md, in one place.
 *
 * Assembly:   C_JALL rd, S, target      48-bit c.jall (rd a register number, S 0/1)
 *             LRW2SPC label             lrw2spc with offset = label - .
 * C:          c_jall_encode(), lrw2spc_encode() build the instruction bits for code
 *             patching; spc_read()/spctrig_read() read the Xspc CSRs.
 * Built with Xjall / Xspc, `spcore build` defines CONFIG_XJALL / CONFIG_XSPC. */

#ifdef __ASSEMBLER__
.macro C_JALL rd, s, target
    .2byte ((\s) << 12) | ((\rd) << 7) | 0x1f
    .4byte \target
.endm
.macro LRW2SPC label
    .4byte 0x0b | ((((\label) - .) & 0xfff) << 20)
.endm
#else
#include <linux/types.h>
#include <asm/csr.h>

#define C_JALL_LEN 6
#define LRW2SPC_LEN 4

/* Low 16 bits of c.jall; the 32-bit absolute target follows at +2. */
static inline u16 c_jall_opcode(unsigned rd, unsigned s)
{
    return (u16)((s << 12) | (rd << 7) | 0x1f);
}
/* lrw2spc with a pc-relative offset (-2048..2047). */
static inline u32 lrw2spc_encode(long offset)
{
    return 0x0bu | (((u32)offset & 0xfff) << 20);
}
#ifdef CONFIG_XSPC
static inline unsigned long spc_read(void) { return csr_read(CSR_SPC); }
static inline unsigned long spctrig_read(void) { return csr_read(CSR_SPCTRIG); }
#endif
#endif
#endif
