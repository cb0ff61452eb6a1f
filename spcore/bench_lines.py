"""The BENCH lines that the measurement firmware (sw/bench/) prints, parsed strictly.

    BENCH name=k xlen=32 n=4 hits=4 cycles=1611 base=55 bytes=4 via=ebreak
    BENCH name=o-spc xlen=64 missing=armed-as-ebreak
    BENCH done

A malformed line is an error (SpcoreError), never skipped: a typo in the firmware must
not turn into a silently missing row.
"""
import re

from .errors import SpcoreError

INT_KEYS = ("xlen", "n", "hits", "cycles", "base", "bytes", "site", "patch")
TOKEN_KEYS = ("name", "via", "missing")
_TOKEN = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.:+-]*\Z")
_INT = re.compile(r"-?[0-9]+\Z")
MEASURED = ("n", "hits", "cycles", "base")


def parse_line(line):
    """One BENCH line -> dict, or None for the `BENCH done` end marker."""
    words = line.split()
    if not words or words[0] != "BENCH":
        raise SpcoreError(f"not a BENCH line: {line!r}")
    if words[1:] == ["done"]:
        return None
    row = {}
    for w in words[1:]:
        key, eq, value = w.partition("=")
        if not eq or not value:
            raise SpcoreError(f"BENCH line: {w!r} is not key=value: {line!r}")
        if key in row:
            raise SpcoreError(f"BENCH line: {key} given twice: {line!r}")
        if key in INT_KEYS:
            if not _INT.match(value):
                raise SpcoreError(f"BENCH line: {key}={value} is not an integer: {line!r}")
            row[key] = int(value)
        elif key in TOKEN_KEYS:
            if not _TOKEN.match(value):
                raise SpcoreError(f"BENCH line: {key}={value} is not a token: {line!r}")
            row[key] = value
        else:
            raise SpcoreError(f"BENCH line: unknown key {key!r}: {line!r}")
    if "name" not in row:
        raise SpcoreError(f"BENCH line without name=: {line!r}")
    if "missing" in row:
        extra = set(row) - {"name", "xlen", "missing"}
        if extra:
            raise SpcoreError(f"BENCH line: a missing row has measurements: {line!r}")
    else:
        absent = [k for k in MEASURED if k not in row]
        if absent:
            raise SpcoreError(f"BENCH line: no {', '.join(absent)}: {line!r}")
        if row["n"] <= 0:
            raise SpcoreError(f"BENCH line: n must be positive: {line!r}")
    return row


def parse_console(text):
    """Every BENCH line of a console text -> (rows, done). Other lines are ignored."""
    rows, done = [], False
    for line in text.splitlines():
        if not line.startswith("BENCH"):
            continue
        row = parse_line(line)
        if row is None:
            done = True
        else:
            rows.append(row)
    return rows, done
