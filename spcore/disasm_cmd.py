"""`spcore disasm PROG.elf`: an objdump-like listing of the program's code sections."""
from elftools.elf.constants import SH_FLAGS
from elftools.elf.elffile import ELFFile

from .disasm import disasm
from .elf import load_elf
from .isa import insn_length


def add_arguments(p):
    p.add_argument("elf")
    p.add_argument("--numeric", action="store_true",
                   help="objdump -M no-aliases,numeric style (x registers)")


def main(args):
    program = load_elf(args.elf)
    style = "objdump" if args.numeric else "abi"
    starts = {a: n for a, _, n in program.functions}
    with open(args.elf, "rb") as f:
        elf = ELFFile(f)
        for sec in elf.iter_sections():
            if sec["sh_type"] != "SHT_PROGBITS" or not sec["sh_flags"] & SH_FLAGS.SHF_EXECINSTR:
                continue
            data, base = sec.data(), sec["sh_addr"]
            print(f"\nDisassembly of section {sec.name}:")
            off = 0
            while off + 2 <= len(data):
                pc = base + off
                if pc in starts:
                    print(f"\n{pc:08x} <{starts[pc]}>:")
                length = insn_length(int.from_bytes(data[off:off + 2], "little")) or 2
                raw = data[off:off + length]
                if len(raw) < length:
                    length, raw = 2, data[off:off + 2]
                b = int.from_bytes(raw, "little")
                hexs = " ".join(f"{int.from_bytes(raw[i:i + 2], 'little'):04x}"
                                for i in range(0, length, 2)) if length != 4 else f"{b:08x}"
                text = disasm(b, pc, program.xlen, style, symbolize=program.symbolize)
                print(f"{pc:8x}:\t{hexs:<16}\t{text}")
                off += length
    return 0
