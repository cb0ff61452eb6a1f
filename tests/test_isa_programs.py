"""The self-checking ISA programs (tests/programs/isa) on the golden model, RV32 and RV64.

Each program checks its own results (expected values from the specs) and ends through
tohost: 1 = pass, (n << 1) | 1 = check n failed. A coverage test then runs them
instruction by instruction and requires every instruction of the ISA table to have been
executed by at least one program on every XLEN it exists on.
"""
import os

import pytest

from asmutil import spcore
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
    r = spcore("run", "--quiet", isa_elfs["alu", 64])
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


# ------------------------------------------------------------ spcore conformance
def conformance(*args):
    # the official suites take minutes (hours on the RTL); a hang still fails, after 2 h
    return spcore("conformance", *args, timeout=7200)


def test_conformance_runs_p_tests_and_signatures(isa_elfs, tmp_path):
    """A miniature suite in the official layout, made from the ISA programs: riscv-tests
    names (one failing, ma_data skipped) and an arch-test ELF with its reference signature."""
    import shutil
    rt = tmp_path / "rt"
    rt.mkdir()
    shutil.copy(isa_elfs["alu", 64], rt / "rv64ui-p-alu")
    shutil.copy(isa_elfs["muldiv", 32], rt / "rv32um-p-muldiv")
    shutil.copy(isa_elfs["alu", 32], rt / "rv32ui-p-ma_data")
    shutil.copy(isa_elfs["alu", 32], rt / "rv32mi-p-lh-misaligned")   # names have hyphens
    (rt / "rv64ui-v-add").write_text("not a p test: ignored")
    (rt / "rv64ui-p-alu.dump").write_text("the build's disassembly: ignored")
    r = conformance("--riscv-tests", str(rt))
    assert r.returncode == 0, r.stdout + r.stderr
    assert "PASS rv64ui-p-alu" in r.stdout and "PASS rv32um-p-muldiv" in r.stdout
    assert "PASS rv32mi-p-lh-misaligned" in r.stdout
    assert "SKIP rv32ui-p-ma_data" in r.stdout
    assert "3 passed, 0 failed, 1 skipped" in r.stdout
    src = tmp_path / "bad.S"
    src.write_text('#include "spcore_test.h"\nTEST_BEGIN\n    CHECK 4, zero, 1\nTEST_PASS\n')
    shutil.copy(build_program(src, 64, tmp_path), rt / "rv64mi-p-bad")
    r = conformance("--riscv-tests", str(rt))
    assert r.returncode == 1 and "FAIL rv64mi-p-bad: fail (exit code 4)" in r.stdout

    arch = tmp_path / "arch" / "rv32-I"
    arch.mkdir(parents=True)
    sig = tmp_path / "sig.S"                      # signature = three words the spec fixes
    sig.write_text('#include "spcore_test.h"\nTEST_BEGIN\n    la a0, begin_signature\n'
                   '    li a1, -5\n    srai a1, a1, 1\n    sw a1, 0(a0)\n    li a1, 7\n'
                   '    sltiu a2, a1, 8\n    sw a2, 4(a0)\n    sw zero, 8(a0)\nTEST_PASS\n'
                   '.data\n.align 4\n.globl begin_signature\nbegin_signature: .fill 4, 4, 0\n'
                   '.globl end_signature\nend_signature:\n')
    shutil.copy(build_program(sig, 32, tmp_path), arch / "sra-01.elf")
    (arch / "sra-01.reference_output").write_text("fffffffd\n00000001\n00000000\n00000000\n")
    r = conformance("--arch-test", str(tmp_path / "arch"))
    assert r.returncode == 0 and "PASS rv32-I/sra-01" in r.stdout, r.stdout + r.stderr
    (arch / "sra-01.reference_output").write_text("fffffffe\n00000001\n00000000\n00000000\n")
    r = conformance("--arch-test", str(tmp_path / "arch"))
    assert r.returncode == 1 and "FAIL rv32-I/sra-01: signature differs" in r.stdout


def test_conformance_says_what_is_missing(tmp_path, monkeypatch):
    for var in ("RISCV_TESTS_DIR", "ARCH_TEST_DIR"):     # set by whoever runs the suites
        monkeypatch.delenv(var, raising=False)
    r = conformance()
    assert r.returncode == 2 and "RISCV_TESTS_DIR" in r.stdout and "ARCH_TEST_DIR" in r.stdout
    r = conformance("--riscv-tests", str(tmp_path))
    assert r.returncode == 2 and "no tests found" in r.stdout
    r = conformance("--riscv-tests", str(tmp_path / "nope"))
    assert r.returncode == 2 and "not a directory" in r.stderr and "Traceback" not in r.stderr


@pytest.mark.slow
@pytest.mark.skipif(not (os.environ.get("RISCV_TESTS_DIR") or os.environ.get("ARCH_TEST_DIR")),
                    reason="RISCV_TESTS_DIR / ARCH_TEST_DIR not set (official suites are "
                           "built outside the repository, see docs/TESTING.md)")
def test_official_suites_pass_on_model():
    args = []
    if os.environ.get("RISCV_TESTS_DIR"):
        args += ["--riscv-tests", os.environ["RISCV_TESTS_DIR"]]
    if os.environ.get("ARCH_TEST_DIR"):
        args += ["--arch-test", os.environ["ARCH_TEST_DIR"]]
    r = conformance(*args)
    assert r.returncode == 0, "\n".join(l for l in r.stdout.splitlines() if "FAIL" in l)
