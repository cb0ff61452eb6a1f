"""The self-checking ISA programs (tests/programs/isa) on the golden model, RV32 and RV64.

Each program checks its own results (expected values from the specs) and ends through
tohost: 1 = pass, (n << 1) | 1 = check n failed. A coverage test then runs them
instruction by instruction and requires every instruction of the ISA table to have been
executed by at least one program on every XLEN it exists on.
"""
import subprocess

import pytest

from isa_programs import HERE, PROGRAMS, build_program, isa_elfs, needs_gcc  # noqa: F401
from spcore.config import CoreConfig
from spcore.elf import load_elf
from spcore.isa import INSNS, decode
from spcore.sim.model import Machine
from spcore.sim.model.traps import Halt

pytestmark = needs_gcc
MAX_INSNS = 200_000


def run_model(elf, xlen):
    m = Machine(CoreConfig(xlen=xlen))
    m.load(load_elf(elf))
    return m.run(MAX_INSNS)


@pytest.mark.parametrize("xlen", (32, 64))
@pytest.mark.parametrize("name", PROGRAMS)
def test_program_passes_on_model(isa_elfs, name, xlen):
    r = run_model(isa_elfs[name, xlen], xlen)
    assert r.status == "pass", (
        f"{name} RV{xlen}: {r.status}, failed check {r.exit_code} "
        f"(tests/programs/isa/{name}.S); last pcs {[hex(p) for p in r.last_pcs[-6:]]}")


def test_spcore_run_command_agrees(isa_elfs):
    """The same program through the `spcore run` command: exit status 0."""
    r = subprocess.run(["spcore", "run", "--quiet", str(isa_elfs["alu", 64])],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stderr


def test_a_failing_check_reports_its_number(tmp_path):
    """The environment can fail: a wrong expected value ends with that check's number."""
    src = tmp_path / "wrong.S"
    src.write_text('#include "spcore_test.h"\nTEST_BEGIN\n    li a0, 5\n'
                   '    CHECK 1, a0, 5\n    CHECK 7, a0, 6\nTEST_PASS\n')
    for xlen in (32, 64):
        r = run_model(build_program(src, xlen, tmp_path), xlen)
        assert (r.status, r.exit_code) == ("fail", 7)


def test_an_unexpected_trap_is_not_a_pass(tmp_path):
    """A trap the program does not check leaves a record that EXPECT_TRAP/CHECK_NO_TRAP see."""
    src = tmp_path / "trap.S"
    src.write_text('#include "spcore_test.h"\nTEST_BEGIN\n    ecall\n'
                   '    CHECK_NO_TRAP 3\nTEST_PASS\n')
    r = run_model(build_program(src, 32, tmp_path), 32)
    assert (r.status, r.exit_code) == ("fail", 3)


def executed_names(elf, xlen):
    """Names of the instructions the model executed (trapping ones included)."""
    m = Machine(CoreConfig(xlen=xlen))
    m.load(load_elf(elf))
    names = set()
    try:
        for _ in range(MAX_INSNS):
            r = m.step()
            d = decode(r.insn, xlen)
            if d is not None:
                names.add(d.spec.name)
    except Halt as h:
        d = decode(h.retire.insn, xlen)
        names.add(d.spec.name)
    return names


@pytest.mark.parametrize("xlen", (32, 64))
def test_every_table_instruction_is_executed(isa_elfs, xlen):
    wanted = {s.name for s in INSNS if xlen in s.xlens}
    seen = set()
    for name in PROGRAMS:
        seen |= executed_names(isa_elfs[name, xlen], xlen)
    missing = sorted(wanted - seen)
    assert not missing, f"RV{xlen}: no ISA program executes {missing}"
