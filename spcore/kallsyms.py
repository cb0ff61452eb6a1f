"""kallsyms for spcore firmware: the symbol table embedded by the second link.

Reads every function symbol (name, address, size) of the first-pass ELF with
pyelftools and writes an assembly file that defines `kallsyms` (header: count, table,
names) in section .kallsyms, which the linker script places after everything else.
"""
from elftools.elf.elffile import ELFFile

EMPTY = """\
    .section .kallsyms, "a"
    .balign 8
    .globl kallsyms
kallsyms:
    {word} 0, 0, 0
"""


def function_symbols(elf_path):
    """Sorted [(addr, size, name)] of the ELF's functions (one name per address)."""
    out = {}
    with open(elf_path, "rb") as f:
        symtab = ELFFile(f).get_section_by_name(".symtab")
        for sym in symtab.iter_symbols() if symtab else ():
            if sym["st_info"]["type"] == "STT_FUNC" and sym.name and sym["st_shndx"] != "SHN_UNDEF":
                addr = sym["st_value"]
                # prefer the global name where a local alias shares the address
                if addr not in out or sym["st_info"]["bind"] == "STB_GLOBAL":
                    out[addr] = (addr, sym["st_size"], sym.name)
    return sorted(out.values())


def empty_table(xlen):
    return EMPTY.format(word=".dword" if xlen == 64 else ".word")


def table_source(elf_path, xlen):
    word = ".dword" if xlen == 64 else ".word"
    syms = function_symbols(elf_path)
    lines = ['    .section .kallsyms, "a"', "    .balign 8", "    .globl kallsyms",
             "kallsyms:", f"    {word} {len(syms)}, kallsyms_table, kallsyms_names",
             "    .balign 8", "kallsyms_table:"]
    offset, names = 0, []
    for addr, size, name in syms:
        lines.append(f"    {word} {addr:#x}, {size:#x}")
        lines.append(f"    .word {offset}")
        if xlen == 64:
            lines.append("    .word 0")
        names.append(name)
        offset += len(name.encode()) + 1
    lines.append("kallsyms_names:")
    for name in names:
        lines.append(f'    .asciz "{name}"')
    return "\n".join(lines) + "\n"
