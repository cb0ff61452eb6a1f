"""`--pipeview FILE`: a Kanata log (format 0004) for the Konata pipeline viewer.

The co-simulation wrapper (tbgen.py), when given +pipeview=RAW, writes one line per
clock cycle with what the core's `pv_*` debug port says (hdl/layouts.py,
pipeview_fields): `P <cycle> <field>...` in that dict's order, each `%h`. Every
instruction IF presents carries a fetch sequence number through ID, EX and MEM, so its
life is read off directly: the first cycle it sits in a stage starts that stage
(F D X M W), extra cycles in the same stage are stalls (drawn on Kanata lane 1), and
an instruction that vanishes before W was flushed (`R id rid 1`, rid = the number of
retirements so far, the id the next retirement gets). W is the cycle its
RVFI record is out; it retires (`R id rid 0`) one cycle later.

Kanata lines are tab-separated; the viewer's left pane shows `L id 0` (here
`pc: disassembly`), the mouse-over text `L id 1` (pc, raw bits, fetch number, fate).
Konata ignores `C=` (both its old and its current parser), so the log starts at
`C= 0` and reaches the first cycle with `C`; and older Konata versions do not end a
stage when the next one starts, so every stage gets its `E`.
"""
from spcore.disasm import disasm
from spcore.errors import SpcoreError
from spcore.hdl.layouts import pipeview_fields

STAGES = ("F", "D", "X", "M", "W")
STALL = "stall"            # the name of the lane-1 overlay


def raw_fields(xlen):
    return tuple(pipeview_fields(xlen))


class _Insn:
    __slots__ = ("fid", "stage", "since")

    def __init__(self, fid, stage, since):
        self.fid, self.stage, self.since = fid, stage, since


class KanataWriter:
    """Turns per-cycle stage occupancy into Kanata commands, cycle by cycle."""

    def __init__(self, out, xlen, symbolize=None):
        self.out, self.xlen, self.symbolize = out, xlen, symbolize
        self.live = {}            # fetch sequence number -> _Insn
        self.next_fid = 0
        self.retired = 0
        self.flushed = 0
        self.cycle = None         # cycle of the last commands written
        out.write("Kanata\t0004\n")

    def _at(self, cycle):
        if self.cycle is None:
            self.out.write("C=\t0\n")
            self.cycle = 0
        if cycle != self.cycle:
            self.out.write(f"C\t{cycle - self.cycle}\n")
        self.cycle = cycle

    def _cmd(self, cycle, *parts):
        self._at(cycle)
        self.out.write("\t".join(str(p) for p in parts) + "\n")

    def step(self, cycle, f, occupancy, trap=False):
        """One cycle. f: (seq, pc, insn bits) when IF holds an instruction, else None;
        occupancy: {stage: seq} for D X M W (stages holding one); trap: W's record is
        a trap."""
        seen = {}
        if f is not None:
            seen[f[0]] = "F"
        for stage in STAGES[1:]:
            if stage in occupancy:
                seen[occupancy[stage]] = stage
        for seq, insn in list(self.live.items()):
            if seq not in seen:
                self._end(cycle, insn)
                del self.live[seq]
        for seq, stage in seen.items():
            insn = self.live.get(seq)
            if insn is None:
                insn = self.live[seq] = _Insn(self.next_fid, stage, cycle)
                self.next_fid += 1
                self._cmd(cycle, "I", insn.fid, seq, 0)
                if stage == "F":
                    self._label(cycle, insn.fid, seq, f[1], f[2])
                else:               # the log started mid-flight: no bits to show
                    self._cmd(cycle, "L", insn.fid, 0, f"#{seq}")
                self._cmd(cycle, "S", insn.fid, 0, stage)
            elif insn.stage != stage:
                if STAGES.index(stage) < STAGES.index(insn.stage):
                    raise SpcoreError(f"--pipeview: fetch #{seq} went back from "
                                      f"{insn.stage} to {stage} at cycle {cycle}")
                if cycle - insn.since > 1:
                    self._cmd(cycle, "E", insn.fid, 1, STALL)
                self._cmd(cycle, "E", insn.fid, 0, insn.stage)
                insn.stage, insn.since = stage, cycle
                self._cmd(cycle, "S", insn.fid, 0, stage)
            elif cycle - insn.since == 1:   # a second cycle in the same stage: stalled
                self._cmd(cycle, "S", insn.fid, 1, STALL)
            if stage == "W" and trap:
                self._cmd(cycle, "L", insn.fid, 1, " trap")

    def _label(self, cycle, fid, seq, pc, bits):
        text = disasm(bits, pc, self.xlen, symbolize=self.symbolize)
        self._cmd(cycle, "L", fid, 0, f"{pc:08x}: {text}")
        length = 2 if bits & 3 != 3 else 4 if bits & 0x1C != 0x1C else 6
        raw = bits & ((1 << (8 * length)) - 1)
        self._cmd(cycle, "L", fid, 1, f"pc 0x{pc:x} insn 0x{raw:0{2 * length}x} fetch #{seq}")

    def _end(self, cycle, insn):
        if insn.stage == "W":
            self._cmd(cycle, "L", insn.fid, 1, f" retired #{self.retired}")
            self._cmd(cycle, "R", insn.fid, self.retired, 0)
            self.retired += 1
        else:
            if cycle - insn.since > 1:
                self._cmd(cycle, "E", insn.fid, 1, STALL)
            self._cmd(cycle, "L", insn.fid, 1, f" flushed in {insn.stage}")
            self._cmd(cycle, "R", insn.fid, self.retired, 1)
            self.flushed += 1

    def close(self, cycle):
        """The run ended before `cycle`: retire what reached W, flush the rest."""
        for insn in self.live.values():
            self._end(cycle, insn)
        self.live.clear()


def convert(raw_path, out_path, xlen, symbolize=None) -> dict:
    """Read the wrapper's per-cycle file, write the Kanata log; return counts."""
    names = raw_fields(xlen)
    last = None
    try:
        with open(raw_path) as raw, open(out_path, "w") as out:
            w = KanataWriter(out, xlen, symbolize)
            for n, line in enumerate(raw, 1):
                parts = line.split()
                if not parts or parts[0] != "P":
                    continue
                try:
                    cycle = int(parts[1], 16)
                    v = dict(zip(names, (int(p, 16) for p in parts[2:])))
                except ValueError:
                    raise SpcoreError(f"--pipeview: unreadable value in cycle line {n} "
                                      f"(X or Z from the simulator?): {line.strip()[:80]}") \
                        from None
                if len(v) != len(names):
                    raise SpcoreError(f"--pipeview: cycle line {n} has {len(parts) - 2} "
                                      f"values, expected {len(names)}")
                f = (v["f_seq"], v["f_pc"], v["f_insn"]) if v["f_valid"] else None
                occ = {s: v[f"{s.lower()}_seq"] for s in STAGES[1:] if v[f"{s.lower()}_valid"]}
                w.step(cycle, f, occ, trap=bool(v["w_valid"] and v["w_trap"]))
                last = cycle
            if last is not None:
                w.close(last + 1)
    except OSError as e:
        raise SpcoreError(f"--pipeview: {e.filename}: {e.strerror}") from None
    return {"cycles": 0 if last is None else last + 1, "instructions": w.next_fid,
            "retired": w.retired, "flushed": w.flushed}
