"""`spcore run`: the test-program contract of PLATFORM.md, exit status and bad input."""
import functools
import json
import subprocess
import sys

import pytest

from asmutil import SW_INCLUDE, build_asm, needs_gcc
import asmutil

pytestmark = needs_gcc


spcore = functools.partial(asmutil.spcore, timeout=120)


HELLO = """
    la t0, msg
1:  lbu t1, 0(t0)
    beqz t1, 2f
    li t2, 0x10000000
    sb t1, 0(t2)
    addi t0, t0, 1
    j 1b
2:  li t2, 0x10000008
    li t1, EXIT
    sw t1, 0(t2)
msg: .string "hi there\\n"
.align 2
"""


@pytest.mark.parametrize("xlen", [32, 64])
def test_sim_exit_pass_and_fail_with_console(xlen, tmp_path):
    elf = build_asm(HELLO.replace("EXIT", "0"), xlen, tmp_path, "ok")
    r = spcore("run", elf)
    assert r.returncode == 0 and r.stdout == "hi there\n"
    elf = build_asm(HELLO.replace("EXIT", "42"), xlen, tmp_path, "bad")
    r = spcore("run", elf, "--json")
    assert r.returncode == 1
    summary = json.loads(r.stdout.splitlines()[-1])
    assert summary["result"] == "fail" and summary["exit_code"] == 42


@pytest.mark.parametrize("xlen", [32, 64])
def test_tohost_fail_code_and_timeout(xlen, tmp_path):
    elf = build_asm("    FAIL 5\n", xlen, tmp_path, "f")
    r = spcore("run", elf, "--json")
    assert r.returncode == 1 and json.loads(r.stdout.splitlines()[-1])["exit_code"] == 5
    elf = build_asm("1:  j 1b\n", xlen, tmp_path, "loop")
    r = spcore("run", elf, "--max-insns", "1000")
    assert r.returncode == 1 and "timeout" in r.stderr and "0x8000" in r.stderr


@pytest.mark.parametrize("option, value, says", [
    ("--max-insns", "-5", "must be at least 1"), ("--max-insns", "many", "not a number"),
    ("--ram-size", "1000", "must be a power of two"),
    ("--ram-size", "0x20000000", "must be a power of two"),
    ("--ram-size", "0", "must be a power of two")])
def test_bad_budget_or_ram_size_is_refused_before_running(option, value, says, tmp_path):
    elf = build_asm("    PASS\n", 32, tmp_path, "p")
    r = spcore("run", elf, option, value)
    assert r.returncode == 2 and f"argument {option}: {says}" in r.stderr
    assert "Traceback" not in r.stderr


def test_trace_and_signature(tmp_path):
    src = """
    la t0, begin_signature
    li t1, 0x1234abcd
    sw t1, 4(t0)
    PASS
.data
.align 4
begin_signature: .word 0xdeadbeef, 0, 7
end_signature:
"""
    elf = build_asm(src, 32, tmp_path, "sig")
    sig, trace = tmp_path / "s.txt", tmp_path / "t.log"
    r = spcore("run", elf, "--signature", sig, "--trace", trace)
    assert r.returncode == 0, r.stderr
    assert sig.read_text().split() == ["deadbeef", "1234abcd", "00000007"]
    log = trace.read_text()
    assert "sw      t1, 4(t0)" in log and "mem 0x" in log


def test_bad_input_is_one_line_exit_2(tmp_path):
    junk = tmp_path / "junk.elf"
    junk.write_bytes(b"this is not an ELF file at all" * 10)
    good = build_asm("    PASS\n", 64, tmp_path, "g")
    trunc = tmp_path / "trunc.elf"
    trunc.write_bytes(good.read_bytes()[:200])
    outside = tmp_path / "outside.elf"
    subprocess.run(["riscv64-unknown-elf-gcc", "-march=rv64imc_zicsr_zifencei", "-mabi=lp64", "-mcmodel=medany", "-nostdlib",
                    f"-I{SW_INCLUDE}", "-Wl,-N", "-Wl,-Ttext=0x10000", "-o", str(outside),
                    str(tmp_path / "g64.S")], check=True, capture_output=True)
    for path in (tmp_path / "missing.elf", junk, trunc, sys.executable, outside):
        r = spcore("run", path)
        assert r.returncode == 2, (path, r.stderr)
        lines = r.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("spcore: error:"), r.stderr
        assert "Traceback" not in r.stderr


def test_unknown_option_is_an_error():
    r = spcore("run", "--frobnicate", "x.elf")
    assert r.returncode == 2 and "Traceback" not in r.stderr


@pytest.mark.parametrize("option", [["--waves", "w.vcd"], ["--pipeview", "p.kanata"],
                                    ["--no-check"]])
def test_rtl_only_options_are_refused_on_the_model(option, tmp_path):
    elf = build_asm("    PASS\n", 32, tmp_path, "p")
    r = spcore("run", elf, "--engine", "model", *option)
    assert r.returncode == 2 and r.stderr.startswith("spcore: error: " + option[0]), r.stderr
    assert "only with --engine rtl" in r.stderr
