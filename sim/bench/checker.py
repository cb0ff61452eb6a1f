"""Lockstep checker: every RTL retirement (an `R` line of the wrapper, tbgen.py) against
the golden model.

The model runs with `lockstep = True`: it takes an interrupt where the RTL record says
`intr` (the cause is the highest-priority one pending in the RTL's `ext_mip` and enabled
in the model; none means a mismatch), and for reads of non-deterministic sources
(mcycle/cycle/time(h)/mip CSRs, CLINT loads: mtime) it takes the RTL's rd value (and for
a CLINT load its mem_rdata) instead of comparing them.

Speed: `Machine.step()` builds a full Retire per instruction (~20 us here), which would
cap the bench well below its goal. `check_lines` runs the model's own per-address
closures exactly as `step()` does, in one loop over a batch of `R` lines, and builds the
model's record as the wrapper prints it: the fields fixed for an address (mode, pc, insn,
rd_addr) come from a text cached per address, only rd_wdata, next pc and the memory
fields are formatted. The RTL line must start with that text. Only a difference, a trap,
an interrupt or the program end takes the slow path, which formats the whole record,
parses the RTL line and explains or reports it.
Compared: intr, trap, mode, pc, insn, rd_addr/rd_wdata, next pc, mem addr/masks/data.
"""
from spcore.platform import CLINT_BASE, CLINT_SIZE
from spcore.rvfi import Retire
from spcore.sim.model import Machine
from spcore.sim.model.traps import Halt, Trap

from .tbgen import COMPARED, EXTRA, digits, layout

NONDET_CSRS = {0xB00, 0xB80, 0xC00, 0xC01, 0xC80, 0xC81, 0x344}   # mcycle(h) cycle time(h) mip
NOMEM = (0, 0, 0, 0, 0)


def record_format(xlen: int) -> str:
    """%-format of the compared part of an `R` line (tbgen.layout), with its space."""
    from spcore.hdl.units.rvfi import rvfi_fields
    widths = rvfi_fields(xlen)
    return "R " + "".join(f"%0{digits(widths[f])}x" for f in COMPARED) + " "


LAYOUTS = {}                                    # end of the compared part -> tbgen.layout


def parse_line(line: str) -> dict:
    """All fields of an `R` line as integers (a field with X or Z bits stays text)."""
    if not LAYOUTS:
        for xlen in (32, 64):
            where = layout(xlen)
            LAYOUTS[where[COMPARED[-1]][1]] = where
    where = LAYOUTS.get(line.find(" ", 2))
    if where is None:
        raise Mismatch(f"lockstep: a malformed RTL record: {line[:200]}")
    return {f: _value(line[a:b]) for f, (a, b) in where.items()}


def _value(text: str):
    try:
        return int(text, 16)
    except ValueError:
        return text


def _hex(v) -> str:
    return f"{v:#x}" if isinstance(v, int) else v


def nondeterministic_csr(insn: int) -> bool:
    return insn & 0x7F == 0x73 and (insn >> 12) & 3 != 0 and (insn >> 20) in NONDET_CSRS


class Mismatch(Exception):
    pass


class Lockstep:
    def __init__(self, config, program):
        from spcore.hdl.units.rvfi import rvfi_fields
        self.xlen = config.xlen
        self.machine = m = Machine(config)
        m.load(program)
        m.lockstep = True
        self.fmt = record_format(config.xlen)
        self.key_len = len(self.fmt % ((0,) * len(COMPARED)))
        w = {f: digits(n) for f, n in rvfi_fields(config.xlen).items()}
        # the record in three parts: per address | rd_wdata pc_wdata | memory
        self.head_fmt = "R 00" + "".join(f"%0{w[f]}x" for f in COMPARED[2:6])
        self.value_fmt = f"%0{w['rd_wdata']}x%0{w['pc_wdata']}x"
        self.mem_fmt = "".join(f"%0{w[f]}x" for f in COMPARED[8:]) + " "
        self.no_mem = self.mem_fmt % NOMEM
        self.heads = {}                         # pc -> (info, mode, head text, rd)
        self.recent = []                        # the last 16 checked RTL lines before a batch
        self.history = []                       # the 16 before the one being reported
        self.count = 0
        self.halt = None                        # the model's Halt when the program ended
        self.halt_at = None

    # ------------------------------------------------------------------ checking
    def check(self, line: str):
        """Step the model once for the RTL record `line`; raise Mismatch on a difference."""
        self.check_lines([line], 0)

    def check_lines(self, lines, i: int) -> int:
        """Check the run of `R` lines that starts at lines[i], one model step each (as
        Machine.step); return the index of the first line after it. Raise Mismatch on a
        difference (self.count is then the retirement reported)."""
        m, heads, spc = self.machine, self.heads, self.machine.spc
        x, mask = m.x, m.mask                  # (m.cache and m.info change with the mode)
        value_fmt, mem_fmt, no_mem = self.value_fmt, self.mem_fmt, self.no_mem
        start, end, count = i, len(lines), self.count
        try:
            for i in range(start, end):
                line = lines[i]
                if line[:1] != "R":
                    end = i
                    break
                count += 1
                intr = 0
                if self.halt is not None or line[2] == "1":
                    self.count = count
                    self._set_history(lines, start, i)
                    if self.halt is not None:
                        raise Mismatch(self.report(line, None, "the golden model ended the "
                                                   f"program at retirement {self.halt_at}, "
                                                   "the RTL went on"))
                    self.interrupt(line)        # intr: enter the handler first
                    intr = 1
                m.pending_intr = False              # (only self.interrupt sets it)
                pc, mode = m.pc, m.mode
                m.order += 1
                m.mem = None
                halt = None
                try:
                    fn = m.cache.get(pc)
                    if fn is None:
                        fn, info = m._compile(pc)
                    else:
                        info = m.info.get(pc)
                    try:
                        npc = fn() & mask
                    except Halt as h:
                        npc, halt = (pc + info[2]) & mask, h
                    trig = spc.spctrig              # Machine._finish: the Xspc shadow jump
                    if trig & 1 and npc == trig & ~1:
                        spc.spctrig = trig & ~1
                        npc = spc.spc
                    head = heads.get(pc)
                    if head is None or head[0] is not info or head[1] != mode:
                        head = self._head(pc, mode, info)
                    rd = head[3]
                    rdv = x[rd] if rd else 0
                    mem = m.mem
                    m.pc = npc
                    m.instret += 1
                    trap = 0
                except Trap as t:
                    trap, rd, rdv, mem = 1, 0, 0, None
                    info = m.info.get(pc)
                    npc = m.pc = m._trap(t)
                m.cycle += 1
                if not (intr or trap or halt) and line.startswith(
                        head[2] + value_fmt % (rdv, npc) + (mem_fmt % mem if mem else no_mem)):
                    continue
                # the slow path: the whole record as a tuple
                if halt is not None:
                    self.halt, self.halt_at = halt, count
                insn = info[1] if info is not None else 0
                ref = (intr, trap, mode, pc, insn, rd, rdv, npc) + (mem or NOMEM)
                if line[:self.key_len] != self.fmt % ref:
                    self.count = count
                    self._set_history(lines, start, i)
                    self.explain(line, ref)
        finally:
            self.count = count
        self.recent = (self.recent + lines[start:end])[-16:]
        return end

    def _head(self, pc, mode, info):
        """The per-address part of the record (intr 0, trap 0) and rd, cached by pc."""
        insn, rd = (info[1], info[4].get("rd", 0)) if info is not None else (0, 0)
        head = (info, mode, self.head_fmt % (mode, pc, insn, rd), rd)
        self.heads[pc] = head
        return head

    def _set_history(self, lines, start, i):
        self.history = (self.recent + lines[start:i])[-16:]

    def interrupt(self, line):
        m = self.machine
        mip = parse_line(line)["ext_mip"]
        if not isinstance(mip, int):
            raise Mismatch(self.report(line, None, f"the RTL took an interrupt with ext_mip {mip}"))
        m.mip_ext = mip
        cause = m.pending_interrupt()
        if cause is None:
            raise Mismatch(self.report(line, None, "the RTL took an interrupt that is not "
                                       f"pending and enabled in the model (mip "
                                       f"{m.mip_ext:#x}, mie {m.csr.mie:#x}, mode {m.mode})"))
        m.interrupt(cause)

    def explain(self, line, ref):
        """Accept the RTL's value for a non-deterministic read, else raise Mismatch."""
        rtl = parse_line(line)
        fields = dict(zip(COMPARED, ref))
        clint_load = fields["mem_rmask"] and CLINT_BASE <= fields["mem_addr"] < CLINT_BASE + CLINT_SIZE
        if not fields["trap"] and fields["rd_addr"] and isinstance(rtl["rd_wdata"], int) and \
                isinstance(rtl["mem_rdata"], int) and \
                (clint_load or nondeterministic_csr(fields["insn"])):
            m = self.machine
            m.x[fields["rd_addr"]] = rtl["rd_wdata"] & m.mask
            fields["rd_wdata"] = rtl["rd_wdata"]
            if clint_load:
                fields["mem_rdata"] = rtl["mem_rdata"]
            ref = tuple(fields[f] for f in COMPARED)
            if line[:self.key_len] == self.fmt % ref:
                return ref
        diff = [f for f in COMPARED if fields[f] != rtl[f]]
        raise Mismatch(self.report(line, ref, ", ".join(
            f"{f} rtl {_hex(rtl[f])} model {fields[f]:#x}" for f in diff)))

    # ------------------------------------------------------------------ report
    def describe(self, values: dict) -> str:
        from spcore.disasm import disasm
        try:
            text = disasm(values["insn"], values["pc_rdata"], xlen=self.xlen)
        except Exception:                       # disassembly is a help, never a failure
            text = "?"
        parts = [f"{f}={_hex(values[f])}" for f in COMPARED + EXTRA
                 if f in values and (values[f] or f in ("pc_rdata", "insn"))]
        return f"{text:<28} " + " ".join(parts)

    def report(self, line, ref, what) -> str:
        rtl = parse_line(line)
        lines = [f"lockstep mismatch at retirement {self.count} (pc {_hex(rtl['pc_rdata'])}): "
                 + what,
                 "  rtl:   " + self.describe(rtl)]
        if ref is not None:
            lines.append("  model: " + self.describe(dict(zip(COMPARED, ref))))
        lines.append(f"  previous {len(self.history)} retirements (rtl):")
        lines += ["    " + self.describe(parse_line(old)) for old in self.history]
        return "\n".join(lines)

    def as_retire(self, line) -> Retire:
        v = parse_line(line)
        return Retire(**{k: v[k] for k in v if not k.startswith("ext_")})
