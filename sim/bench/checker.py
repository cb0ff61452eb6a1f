"""Lockstep checker: every RTL retirement (a record of the wrapper, tbgen.py; records.py
reads both trace forms) against the golden model.

The model runs with `lockstep = True`: it takes an interrupt where the RTL record says
`intr` (the cause is the highest-priority one pending in the RTL's `ext_mip` and enabled
in the model; none means a mismatch), and for reads of non-deterministic sources
(mcycle/cycle/time(h)/mip CSRs, CLINT loads: mtime) it takes the RTL's rd value (and for
a CLINT load its mem_rdata) instead of comparing them.

Speed: `Machine.step()` builds a full Retire per instruction (~20 us here), which would
cap the bench well below its goal. `check_records` runs the model's own per-address
closures exactly as `step()` does, in one loop over a batch of records, and builds the
model's record as the RTL's bytes (records.py): the part fixed for an address (intr 0,
trap 0, mode, pc, insn, rd_addr) is packed once per address and cached, only rd_wdata,
next pc and the memory fields are packed; one `startswith` compares it with the RTL's
record in place, which is never unpacked. Only a difference, a trap, an interrupt or
the program end takes the slow path, which compares the whole record as a tuple and
explains or reports it.
Compared: intr, trap, mode, pc, insn, rd_addr/rd_wdata, next pc, mem addr/masks/data.
"""
from itertools import islice

from spcore.platform import CLINT_BASE, CLINT_SIZE
from spcore.sim.model import Machine
from spcore.sim.model.traps import Halt, Trap

from . import records
from .records import EVENT, SIZE
from .tbgen import COMPARED, EXTRA

NONDET_CSRS = {0xB00, 0xB80, 0xC00, 0xC01, 0xC80, 0xC81, 0x344}   # mcycle(h) cycle time(h) mip
NOMEM = (0, 0, 0, 0, 0)
MODE, RD = COMPARED.index("mode"), COMPARED.index("rd_addr")


def _hex(v) -> str:
    return f"{v:#x}" if isinstance(v, int) else v


def nondeterministic_csr(insn: int) -> bool:
    return insn & 0x7F == 0x73 and (insn >> 12) & 3 != 0 and (insn >> 20) in NONDET_CSRS


class Mismatch(Exception):
    pass


class Lockstep:
    def __init__(self, config, program):
        self.xlen = config.xlen
        self.machine = m = Machine(config)
        m.load(program)
        m.lockstep = True
        self.heads = {}                         # pc -> (closure, bytes, rd, length, tuple)
        self.recent = []                        # the last 16 checked (rec, extra) before a batch
        self.history = []                       # the 16 before the one being reported
        self.count = 0
        self.halt = None                        # the model's Halt when the program ended
        self.halt_at = None

    # ------------------------------------------------------------------ checking
    def check(self, line: str):
        """Step the model once for the RTL's text record `line`; raise Mismatch on a
        difference."""
        self.check_records(records.from_text(line, self.xlen), 0)

    def check_records(self, batch, k: int) -> int:
        """Check the run of retirement records that starts at record k of `batch`
        (records.Batch), one model step each (as Machine.step); return the index of the
        first record after it (an event or the end). Raise Mismatch on a difference
        (self.count is then the retirement reported).

        As in Machine.run, the pc lives in a local and m.pc is written back before
        anything reads it (a trap, an interrupt, the end of the run)."""
        m, heads, spc = self.machine, self.heads, self.machine.spc
        x, mask, data = m.x, m.mask, batch.data
        values_mem, values_no_mem = records.VALUES_MEM.pack, records.VALUES_NO_MEM.pack
        start, count0 = k, self.count
        count, pc = count0, m.pc
        try:
            for off in range(start * SIZE, len(data), SIZE):
                flag, intr = data[off], 0
                if flag or self.halt is not None:
                    if flag == EVENT:
                        break
                    k = off // SIZE
                    m.pc = pc
                    self.count = count + 1
                    self._set_history(batch, start, k)
                    if self.halt is not None:
                        raise Mismatch(self.report(batch.rec(k), batch.extra(k), None,
                                                   "the golden model ended the program at "
                                                   f"retirement {self.halt_at}, the RTL "
                                                   "went on"))
                    if batch.rec(k)[0] == 1:
                        self.interrupt(batch.rec(k), batch.extra(k))  # enter the handler
                        m.pending_intr = False  # (step() would mark its record with it)
                        pc, intr = m.pc, 1
                    # else an ODD record (X or Z bits): the comparison below reports it
                count += 1
                halt = None
                m.mem = None
                try:
                    fn = m.cache.get(pc)
                    if fn is None:
                        fn = m._compile(pc)[0]
                    # the per-address part of the record, valid while the closure is
                    # (closures are per mode: the same closure means the same mode);
                    # looked up before the closure runs, which may change the mode
                    head = heads.get(pc)
                    if head is None or head[0] is not fn:
                        head = self._head(pc, fn)
                    try:
                        npc = fn() & mask
                    except Halt as h:
                        npc, halt = (pc + head[3]) & mask, h
                    trig = spc.spctrig              # Machine._finish: the Xspc shadow jump
                    if trig & 1 and npc == trig & ~1:
                        spc.spctrig = trig & ~1
                        npc = spc.spc
                    rd = head[2]
                    rdv = x[rd] if rd else 0
                    mem = m.mem
                    m.instret += 1
                    trap = 0
                except Trap as t:
                    trap, rd, rdv, mem = 1, 0, 0, None
                    info = m.info.get(pc)       # (before _trap: the mode it came from)
                    insn = info[1] if info is not None else 0
                    head = (None, b"", 0, 0, (0, 1, m.mode, pc, insn, 0))
                    m.pc = pc
                    npc = m._trap(t)
                m.cycle += 1
                # the model's record as the RTL's bytes: the cached part, then the values
                if not (intr or trap or halt) and data.startswith(head[1] + (
                        values_mem(rdv, npc, *mem) if mem else values_no_mem(rdv, npc)), off):
                    pc = npc
                    continue
                # the slow path: the whole record as a tuple
                m.pc = npc
                if halt is not None:
                    self.halt, self.halt_at = halt, count
                ref = (intr, trap) + head[4][MODE:RD + 1] + (rdv, npc) + (mem or NOMEM)
                k = off // SIZE
                rec = batch.rec(k)
                if rec != ref:
                    self.count = count
                    self._set_history(batch, start, k)
                    self.explain(rec, batch.extra(k), ref)
                pc = npc
        finally:
            m.pc = pc
            m.order += count - count0
            self.count = count
        end = start + count - count0
        self.recent = (self.recent + _records(batch, max(start, end - 16), end))[-16:]
        return end

    def _head(self, pc, fn):
        """The per-address part of the record (intr 0, trap 0, mode, pc, insn, rd) as
        the RTL's bytes and as a tuple, rd and the instruction length, cached by pc."""
        info = self.machine.info.get(pc)
        insn, rd, length = (info[1], info[4].get("rd", 0), info[2]) if info is not None \
            else (0, 0, 0)
        part = (0, 0, self.machine.mode, pc, insn, rd)
        head = (fn, records.HEAD.pack(*part), rd, length, part)
        self.heads[pc] = head
        return head

    def _set_history(self, batch, start, k):
        """The 16 retirements before record k, for a report."""
        self.history = (self.recent + _records(batch, max(start, k - 16), k))[-16:]

    def interrupt(self, rec, extra):
        m = self.machine
        mip = records.fields(rec, extra)["ext_mip"]
        if not isinstance(mip, int):
            raise Mismatch(self.report(rec, extra, None,
                                       f"the RTL took an interrupt with ext_mip {mip}"))
        m.mip_ext = mip
        cause = m.pending_interrupt()
        if cause is None:
            raise Mismatch(self.report(rec, extra, None, "the RTL took an interrupt that is "
                                       f"not pending and enabled in the model (mip "
                                       f"{m.mip_ext:#x}, mie {m.csr.mie:#x}, mode {m.mode})"))
        m.interrupt(cause)

    def explain(self, rec, extra, ref):
        """Accept the RTL's value for a non-deterministic read, else raise Mismatch."""
        rtl = records.fields(rec, extra)
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
            if tuple(rec) == ref:
                return ref
        diff = [f for f in COMPARED if fields[f] != rtl[f]]
        raise Mismatch(self.report(rec, extra, ref, ", ".join(
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

    def report(self, rec, extra, ref, what) -> str:
        rtl = records.fields(rec, extra)
        lines = [f"lockstep mismatch at retirement {self.count} (pc {_hex(rtl['pc_rdata'])}): "
                 + what,
                 "  rtl:   " + self.describe(rtl)]
        if ref is not None:
            lines.append("  model: " + self.describe(dict(zip(COMPARED, ref))))
        lines.append(f"  previous {len(self.history)} retirements (rtl):")
        lines += ["    " + self.describe(records.fields(*old)) for old in self.history]
        return "\n".join(lines)


def _records(batch, a, b):
    """(rec, extra) of records a..b-1."""
    return [(batch.rec(k), batch.extra(k)) for k in range(a, b)]
