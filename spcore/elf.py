"""Program loader shared by the golden model, the RTL bench and `spcore run`.

Accepts an RV32 or RV64 little-endian RISC-V executable whose entry point and loadable
segments lie in RAM (PLATFORM.md); anything else is refused with a one-line error.
"""
import os
from dataclasses import dataclass, field

from elftools.common.exceptions import ELFError
from elftools.elf.elffile import ELFFile

from .errors import SpcoreError
from .platform import RAM_BASE, RAM_SIZE_DEFAULT

EM_RISCV = "EM_RISCV"


@dataclass
class Program:
    path: str
    xlen: int
    entry: int
    segments: list                       # [(addr, bytes)], bss included as zeros
    symbols: dict = field(default_factory=dict)   # name -> (addr, size)
    functions: list = field(default_factory=list)  # [(addr, size, name)] sorted

    @property
    def tohost(self):
        return self.symbols.get("tohost", (None, 0))[0]

    @property
    def signature_range(self):
        b = self.symbols.get("begin_signature")
        e = self.symbols.get("end_signature")
        return (b[0], e[0]) if b and e else None

    def symbolize(self, addr):
        """'name+0xoff' for an address inside a known function, else None."""
        import bisect
        i = bisect.bisect_right(self.functions, (addr, 1 << 64)) - 1
        if i >= 0:
            a, size, name = self.functions[i]
            if addr < a + max(size, 1) or addr == a:
                return name if addr == a else f"{name}+0x{addr - a:x}"
        return None


def load_elf(path, xlen=None, ram_base=RAM_BASE, ram_size=RAM_SIZE_DEFAULT) -> Program:
    name = os.path.basename(str(path))
    try:
        f = open(path, "rb")
    except OSError as e:
        raise SpcoreError(f"{path}: cannot open: {e.strerror}") from None
    with f:
        try:
            elf = ELFFile(f)
            machine = elf["e_machine"]
            elfclass = elf.elfclass
            little = elf.little_endian
            entry = elf["e_entry"]
            segs = []
            for seg in elf.iter_segments():
                if seg["p_type"] != "PT_LOAD" or seg["p_memsz"] == 0:
                    continue
                data = seg.data()
                if len(data) != seg["p_filesz"]:
                    raise SpcoreError(f"{name}: truncated ELF (segment at {seg['p_paddr']:#x})")
                data += bytes(seg["p_memsz"] - seg["p_filesz"])
                segs.append((seg["p_paddr"], data))
            symbols, functions = {}, []
            symtab = elf.get_section_by_name(".symtab")
            if symtab is not None:
                for sym in symtab.iter_symbols():
                    if not sym.name or sym["st_shndx"] == "SHN_UNDEF":
                        continue
                    symbols.setdefault(sym.name, (sym["st_value"], sym["st_size"]))
                    if sym["st_info"]["type"] == "STT_FUNC":
                        functions.append((sym["st_value"], sym["st_size"], sym.name))
        except SpcoreError:
            raise
        except (ELFError, ValueError, KeyError, OSError, AssertionError, TypeError) as e:
            raise SpcoreError(f"{name}: not a valid ELF file ({str(e).splitlines()[0][:80]})") from None
        except Exception as e:   # pyelftools raises assorted errors on garbage
            raise SpcoreError(f"{name}: not a valid ELF file ({type(e).__name__})") from None
    if machine != EM_RISCV:
        raise SpcoreError(f"{name}: ELF for machine {machine}, not RISC-V")
    if not little:
        raise SpcoreError(f"{name}: big-endian ELF; the core is little-endian")
    file_xlen = elfclass
    if xlen is not None and xlen != file_xlen:
        raise SpcoreError(f"{name}: RV{file_xlen} ELF, but the core is RV{xlen}")
    ram_end = ram_base + ram_size
    if not ram_base <= entry < ram_end:
        raise SpcoreError(f"{name}: entry point {entry:#x} is outside RAM "
                          f"[{ram_base:#x}, {ram_end:#x})")
    if not segs:
        raise SpcoreError(f"{name}: no loadable segment")
    for addr, data in segs:
        if not (ram_base <= addr and addr + len(data) <= ram_end):
            raise SpcoreError(f"{name}: segment [{addr:#x}, {addr + len(data):#x}) is outside "
                              f"RAM [{ram_base:#x}, {ram_end:#x})")
    functions.sort()
    return Program(str(path), file_xlen, entry, segs, symbols, functions)

