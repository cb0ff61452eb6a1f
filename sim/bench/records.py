"""The trace of a batch as fixed-size binary records: what the checker and cocotb_top.py
read.

A record is len(COMPARED) + len(EXTRA) little-endian 64-bit words: the COMPARED fields
(tbgen.py), then the EXTRA ones (ext_mip, ext_mcycle, rs1/rs2, read only for an
interrupt or a report). Events that are not retirements carry EVENT in the intr place:
(EVENT, kind, value, ...), kind one of "C" (console byte), "X" (sim-exit code), "T"
(tohost value), "E" (why, cycles, perf counters).

Verilator writes these records itself (the C writer, tbgen.trace_c_text); the checker
compares the model's record with the RTL's as bytes (checker.py) and unpacks a record
only on its slow path. Icarus writes text lines (tbgen.layout), packed here into the
same records; a line with X or Z bits cannot be packed: its record gets ODD in the intr
place (no model record equals it) and its fields, some of them text, are kept aside.
"""
import struct

from .tbgen import COMPARED, EVENT, EXTRA, layout

ODD = 0xDD                            # in the intr place: the fields are in Batch.odd
KINDS = {ord(k): k for k in "CXTE"}
WORDS = len(COMPARED) + len(EXTRA)
SIZE = 8 * WORDS
FULL = struct.Struct(f"<{WORDS}Q")
RECORD = struct.Struct(f"<{len(COMPARED)}Q{8 * len(EXTRA)}x")
EXTRA_PART = struct.Struct(f"<{8 * len(COMPARED)}x{len(EXTRA)}Q")
# the model's record as the checker builds it: the part fixed for an address (intr,
# trap, mode, pc, insn, rd_addr), then rd_wdata and next pc, then the memory fields
HEAD = struct.Struct("<6Q")
VALUES_MEM = struct.Struct("<7Q")
VALUES_NO_MEM = struct.Struct("<2Q40x")    # the memory fields all 0
assert COMPARED[6:8] == ("rd_wdata", "pc_wdata") and len(COMPARED) == 13


class Batch:
    """Records of one batch: `data` holds them back to back; flag(k) is the low byte of
    record k's intr place (0, 1, EVENT or ODD)."""

    def __init__(self, data: bytes, odd=None):
        self.data = bytes(data[:len(data) - len(data) % SIZE])
        self.n = len(self.data) // SIZE
        self.odd = odd or {}                # k -> (compared, extra) of an ODD record

    def flag(self, k: int) -> int:
        return self.data[k * SIZE]

    def rec(self, k: int) -> tuple:
        """The COMPARED fields of record k (of an event: EVENT, kind, values)."""
        if k in self.odd:
            return self.odd[k][0]
        return RECORD.unpack_from(self.data, k * SIZE)

    def extra(self, k: int) -> tuple:
        if k in self.odd:
            return self.odd[k][1]
        return EXTRA_PART.unpack_from(self.data, k * SIZE)

    def replace(self, k: int, rec: tuple):
        """Tests: record k's COMPARED fields become `rec` (a broken RTL record)."""
        words = FULL.pack(*rec, *self.extra(k))
        self.data = self.data[:k * SIZE] + words + self.data[(k + 1) * SIZE:]


def from_text(text: str, xlen: int) -> Batch:
    """Icarus' text trace as records."""
    where = layout(xlen)
    out, odd = [], {}
    for line in text.split("\n"):
        kind = line[:1]
        if kind == "R":
            rec = tuple(_value(line[slice(*where[f])]) for f in COMPARED)
            extra = tuple(_value(line[slice(*where[f])]) for f in EXTRA)
            if all(isinstance(v, int) for v in rec + extra):
                out.append(FULL.pack(*rec, *extra))
            else:
                odd[len(out)] = (rec, extra)
                out.append(FULL.pack(ODD, *(0,) * (WORDS - 1)))
        elif kind in ("C", "X", "T", "E"):
            values = [int(v, 16) for v in line[2:].split()]
            out.append(FULL.pack(EVENT, ord(kind), *values, *(0,) * (WORDS - 2 - len(values))))
    return Batch(b"".join(out), odd)


def _value(text: str):
    try:
        return int(text, 16)
    except ValueError:
        return text


def fields(rec, extra) -> dict:
    """All fields of a retirement record by name."""
    return dict(zip(COMPARED + EXTRA, tuple(rec) + tuple(extra)))
