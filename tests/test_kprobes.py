"""Tracing I on the golden model: self-checking kprobe / kretprobe programs.

Each program under tests/programs/probes/ checks itself (exit 0 = every check held; a
failing check prints `FAIL n` and exits with n). Scenarios: linux-tracing-notes.md §7.
"""
import subprocess
import sys
from pathlib import Path

import pytest

from asmutil import needs_gcc

pytestmark = needs_gcc
PROBES = Path(__file__).parent / "programs" / "probes"
COMMON = [PROBES / "insns.S", PROBES / "trapcount.S"]


def spcore(*args):
    return subprocess.run([sys.executable, "-m", "spcore.cli", *map(str, args)],
                          capture_output=True, text=True, timeout=600)


def build_and_run(tmp_path, name, xlen, *opts):
    elf = tmp_path / f"{name}{xlen}.elf"
    r = spcore("build", PROBES / f"{name}.c", *COMMON, "--xlen", xlen, *opts, "-o", elf)
    assert r.returncode == 0, r.stderr
    return spcore("run", elf)


@pytest.mark.parametrize("xlen", [32, 64])
@pytest.mark.parametrize("name", ["kprobe_basic", "kprobe_simulate", "kprobe_refuse",
                                  "kprobe_reenter"])
def test_kprobe_scenarios(name, xlen, tmp_path):
    r = build_and_run(tmp_path, name, xlen)
    assert r.returncode == 0, r.stdout[-2000:] + r.stderr


@pytest.mark.parametrize("xlen", [32, 64])
def test_kprobe_scenarios_without_xspc(xlen, tmp_path):
    r = build_and_run(tmp_path, "kprobe_basic", xlen, "--no-spc")
    assert r.returncode == 0, r.stdout[-2000:] + r.stderr


@pytest.mark.parametrize("xlen", [32, 64])
def test_reentry_during_single_step_is_fatal(xlen, tmp_path):
    r = build_and_run(tmp_path, "kprobe_reenter_fatal", xlen)
    assert r.returncode == 1
    assert "Failed to recover from reentered kprobes" in r.stdout


@pytest.mark.parametrize("xlen", [32, 64])
def test_kretprobe_scenarios(xlen, tmp_path):
    r = build_and_run(tmp_path, "kretprobe", xlen)
    assert r.returncode == 0, r.stdout[-2000:] + r.stderr
