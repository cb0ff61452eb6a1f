"""The trace of a batch as records: what the checker and cocotb_top.py read.

A batch becomes two lists of equal length:
- `recs`: per event a tuple of the COMPARED fields (tbgen.py) as integers, so that the
  checker compares the model's record with one tuple `==`. Events that are not
  retirements have `EVENT` in the intr place: (EVENT, kind, value, ...), kind one of
  "C" (console byte), "X" (sim-exit code), "T" (tohost value), "E" (why, cycles, perf);
- `extras`: per event the EXTRA fields (ext_mip, ext_mcycle, rs1/rs2), read only for an
  interrupt or a report.

Verilator writes them in binary (the C writer, tbgen.trace_c_text): per event
len(COMPARED) + len(EXTRA) little-endian 64-bit words. Icarus writes text lines
(tbgen.layout); a field with X or Z bits stays text there, which no model value equals.
"""
import struct

from .tbgen import COMPARED, EVENT, EXTRA, layout
KINDS = {ord(k): k for k in "CXTE"}
WORDS = len(COMPARED) + len(EXTRA)
RECORD = struct.Struct(f"<{len(COMPARED)}Q{8 * len(EXTRA)}x")
EXTRA_PART = struct.Struct(f"<{8 * len(COMPARED)}x{len(EXTRA)}Q")


def from_binary(data: bytes):
    """(recs, extras) of the binary trace `data` (whole records only)."""
    size = 8 * WORDS
    data = memoryview(data)[:len(data) - len(data) % size]
    recs = list(RECORD.iter_unpack(data))
    return recs, _LazyExtras(data, size)


class _LazyExtras:
    """extras[k] unpacked when asked for: the checker reads a few per batch."""

    def __init__(self, data, size):
        self.data, self.size = data, size

    def __getitem__(self, k):
        if k < 0:
            k += len(self)
        return EXTRA_PART.unpack_from(self.data, k * self.size)

    def __len__(self):
        return len(self.data) // self.size


def from_text(text: str, xlen: int):
    """(recs, extras) of Icarus' text trace."""
    where = layout(xlen)
    recs, extras = [], []
    for line in text.split("\n"):
        kind = line[:1]
        if kind == "R":
            recs.append(tuple(_value(line[slice(*where[f])]) for f in COMPARED))
            extras.append(tuple(_value(line[slice(*where[f])]) for f in EXTRA))
        elif kind in ("C", "X", "T", "E"):
            recs.append((EVENT, ord(kind), *(int(v, 16) for v in line[2:].split())))
            extras.append(())
    return recs, extras


def from_line(line: str, xlen: int):
    """(rec, extra) of one text `R` line (tests)."""
    recs, extras = from_text(line, xlen)
    return recs[0], extras[0]


def _value(text: str):
    try:
        return int(text, 16)
    except ValueError:
        return text


def fields(rec, extra) -> dict:
    """All fields of a retirement record by name."""
    return dict(zip(COMPARED + EXTRA, tuple(rec) + tuple(extra)))
