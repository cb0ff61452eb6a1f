/* Symbol lookup over the table `spcore build` embeds in its second link
 * (spcore/kallsyms.py writes it: sorted by address, names in one string blob). */
#include <linux/kernel.h>

struct kallsym {
    unsigned long addr, size;
    unsigned int name;          /* offset into kallsyms_names */
};

/* The generated table starts with this header at a fixed place (the start of the
 * .kallsyms section, after everything else), so the second link moves no symbol. The
 * first link sees an empty table. */
struct kallsyms_header {
    unsigned long num;
    const struct kallsym *table;
    const char *names;
};
extern const struct kallsyms_header kallsyms;
#define kallsyms_num (kallsyms.num)
#define kallsyms_table (kallsyms.table)
#define kallsyms_names (kallsyms.names)

unsigned long notrace kallsyms_lookup_name(const char *name)
{
    for (unsigned long i = 0; i < kallsyms_num; i++)
        if (!strcmp(kallsyms_names + kallsyms_table[i].name, name))
            return kallsyms_table[i].addr;
    return 0;
}

const char *notrace kallsyms_lookup(unsigned long addr, unsigned long *size,
                                    unsigned long *offset)
{
    unsigned long lo = 0, hi = kallsyms_num;
    while (lo < hi) {                          /* last entry with .addr <= addr */
        unsigned long mid = (lo + hi) / 2;
        if (kallsyms_table[mid].addr <= addr)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (!lo)
        return NULL;
    const struct kallsym *s = &kallsyms_table[lo - 1];
    if (addr >= s->addr + (s->size ? s->size : 1))
        return NULL;
    if (size)
        *size = s->size;
    if (offset)
        *offset = addr - s->addr;
    return kallsyms_names + s->name;
}

int notrace sprint_symbol(char *buf, unsigned long addr)
{
    unsigned long size, offset;
    const char *name = kallsyms_lookup(addr, &size, &offset);
    if (!name)
        return snprintf(buf, KSYM_SYMBOL_LEN, "0x%lx", addr);
    return snprintf(buf, KSYM_SYMBOL_LEN, "%s+0x%lx/0x%lx", name, offset, size);
}
