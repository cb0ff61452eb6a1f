/* Kernel XOL slots (Linux's get_insn_slot) and a small allocator for kretprobe
 * instances: this firmware has no heap, so both come from static arenas. */
#include <asm/patch.h>
#include <asm/spcore.h>
#include "kprobes_internal.h"

#define EBREAK 0x00100073u

static u8 insn_slots[KPROBE_NR_SLOTS][KPROBE_SLOT_SIZE] __aligned(8);
static u8 slot_used[KPROBE_NR_SLOTS];

kprobe_opcode_t *__kprobes get_insn_slot(void)
{
    for (int i = 0; i < KPROBE_NR_SLOTS; i++)
        if (!slot_used[i]) {
            slot_used[i] = 1;
            return (kprobe_opcode_t *)insn_slots[i];
        }
    return NULL;
}

void __kprobes free_insn_slot(kprobe_opcode_t *slot)
{
    unsigned long i = ((unsigned long)slot - (unsigned long)insn_slots) / KPROBE_SLOT_SIZE;
    if (slot && i < KPROBE_NR_SLOTS)
        slot_used[i] = 0;
}

kprobe_opcode_t *__kprobes insn_slot_of(unsigned long pc)
{
    unsigned long i = (pc - (unsigned long)insn_slots) / KPROBE_SLOT_SIZE;
    if (pc < (unsigned long)insn_slots || i >= KPROBE_NR_SLOTS || !slot_used[i])
        return NULL;
    return (kprobe_opcode_t *)insn_slots[i];
}

void __kprobes arch_prepare_ss_slot(kprobe_opcode_t *slot, const kprobe_opcode_t *insn,
                                    int len, unsigned long resume)
{
    u8 *s = (u8 *)slot;
    u32 ebreak = EBREAK;

    patch_text_nosync(s, insn, len);                 /* insn ; ebreak */
    patch_text_nosync(s + len, &ebreak, 4);
#ifdef CONFIG_XSPC
    /* insn ; lrw2spc +4 ; literal: lrw2spc's next pc is its own literal, so the shadow
     * jump to resume is taken as it retires. */
    u32 lrw = lrw2spc_encode(4);
    patch_text_nosync(s + KPROBE_SLOT_BOOST_END - len, insn, len);
    patch_text_nosync(s + KPROBE_SLOT_BOOST_END, &lrw, 4);
    patch_text_nosync(s + KPROBE_SLOT_BOOST_END + 4, &resume, sizeof(resume));
#else
    (void)resume;
#endif
}

/* ---- first-fit allocator over a static arena (kretprobe instances) ---- */
#define ARENA_SIZE (16 * 1024)
struct chunk { size_t size; struct chunk *next; };   /* size includes the header */
static u8 arena[ARENA_SIZE] __aligned(16);
static struct chunk *free_chunks;
static int arena_ready;

void *__kprobes probes_alloc(size_t size)
{
    if (!arena_ready) {
        free_chunks = (struct chunk *)arena;
        free_chunks->size = ARENA_SIZE;
        free_chunks->next = NULL;
        arena_ready = 1;
    }
    size = (size + sizeof(struct chunk) + 15) & ~(size_t)15;
    for (struct chunk **pp = &free_chunks; *pp; pp = &(*pp)->next) {
        struct chunk *c = *pp;
        if (c->size < size)
            continue;
        if (c->size - size >= 2 * sizeof(struct chunk)) {     /* split off the tail */
            struct chunk *rest = (struct chunk *)((u8 *)c + size);
            rest->size = c->size - size;
            rest->next = c->next;
            c->size = size;
            *pp = rest;
        } else {
            *pp = c->next;
        }
        return c + 1;
    }
    return NULL;
}

void __kprobes probes_free(void *p)
{
    if (!p)
        return;
    struct chunk *c = (struct chunk *)p - 1, **pp = &free_chunks;
    while (*pp && *pp < c)                 /* keep the list sorted to merge neighbours */
        pp = &(*pp)->next;
    c->next = *pp;
    *pp = c;
    if (c->next && (u8 *)c + c->size == (u8 *)c->next) {
        c->size += c->next->size;
        c->next = c->next->next;
    }
    for (struct chunk *q = free_chunks; q && q->next; q = q->next)
        if ((u8 *)q + q->size == (u8 *)q->next) {
            q->size += q->next->size;
            q->next = q->next->next;
        }
}
