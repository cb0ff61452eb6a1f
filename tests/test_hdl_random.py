"""Random instruction streams (tests/randgen.py) on the SoC in lockstep with the model:
forwarding, interlocks, branches, C, M, loads/stores, and privileged streams (CSRs,
traps, U-mode round trips, software interrupts). Seeds replay a failure."""

import pytest

from spcore.config import CoreConfig
from spcore.elf import load_elf
from spcore.hdl.simrun import run_elf_lockstep

from isa_programs import build_program, needs_gcc
from randgen import privileged, unprivileged

pytestmark = needs_gcc


def build(src, xlen, tmp_path):
    (tmp_path / "r.S").write_text(src)
    return build_program(tmp_path / "r.S", xlen, tmp_path)


def check(kind, seed, xlen, tmp_path, **config):
    src = unprivileged(seed, xlen, True, 300) if kind == "unpriv" else privileged(seed, xlen, 40)
    elf = build(src, xlen, tmp_path)
    end = load_elf(str(elf), xlen).symbols.get("end", (None,))[0]
    status, count, msg = run_elf_lockstep(elf, CoreConfig(xlen=xlen, ram_size=1 << 16, **config),
                                          30000, stop_pc=end)
    assert status == "pass", f"{kind} seed {seed} RV{xlen} after {count}: {status} {msg}"


@pytest.mark.parametrize("xlen", (32, 64))
@pytest.mark.parametrize("kind", ("unpriv", "priv"))
@pytest.mark.parametrize("seed", (11, 12))
def test_random_stream_lockstep(kind, seed, xlen, tmp_path):
    check(kind, seed, xlen, tmp_path)


@pytest.mark.parametrize("xlen", (32, 64))
@pytest.mark.parametrize("kind", ("unpriv", "priv"))
def test_random_stream_iterative_multiplier(kind, xlen, tmp_path):
    """Multiplies held in EX for xlen + 2 cycles while operands forward, branches
    redirect and software interrupts arrive (the iCE40 build's multiplier)."""
    check(kind, 13, xlen, tmp_path, multiplier="iterative")


@pytest.mark.slow
@pytest.mark.parametrize("xlen", (32, 64))
@pytest.mark.parametrize("kind", ("unpriv", "priv"))
@pytest.mark.parametrize("seed", range(100, 120))
def test_random_stream_lockstep_many(kind, seed, xlen, tmp_path):
    check(kind, seed, xlen, tmp_path)
