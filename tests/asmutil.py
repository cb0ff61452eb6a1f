"""Build and run small assembly test programs on the golden model.

`run_asm(src, xlen, tmp_path)` wraps `src` (the body after `_start:`) in a tiny
environment: a trap handler that records mcause/mepc/mtval into `trap_log` and, unless
the test installs its own, stops the run; `PASS` / `FAIL n` end through `tohost`.
Returns (RunResult, Machine) so tests can look at registers and memory afterwards.
"""
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from spcore.config import CoreConfig
from spcore.elf import load_elf
from spcore.sim.model import Machine

GCC = "riscv64-unknown-elf-gcc"
SW_INCLUDE = Path(__file__).resolve().parents[1] / "sw" / "include"   # asm/spcore.h
needs_gcc = pytest.mark.skipif(shutil.which(GCC) is None, reason=f"{GCC} not installed")

PRELUDE = r"""
.option norelax
.macro PASS
    li t6, 1
    j _end
.endm
.macro FAIL n
    li t6, (\n << 1) | 1
    j _end
.endm
#include <asm/spcore.h>           /* C_JALL, LRW2SPC */
.macro SX reg, addr
.if __riscv_xlen == 64
    sd \reg, \addr
.else
    sw \reg, \addr
.endif
.endm
.section .text.init
.globl _start
_start:
    la t0, _default_trap
    csrw mtvec, t0
"""

EPILOGUE = r"""
_end:
    la t5, tohost
    sw t6, 0(t5)
1:  j 1b
.align 2
_default_trap:                     # record the trap and stop: tests read trap_log
    la t5, trap_log
    csrr t4, mcause
    SX t4, 0(t5)
    csrr t4, mepc
    SX t4, 8(t5)
    csrr t4, mtval
    SX t4, 16(t5)
    li t6, (99 << 1) | 1
    j _end
.data
.align 3
tohost: .dword 0
trap_log: .dword 0, 0, 0, 0
"""


# Enter U-mode at label `user` with PMP entry 0 granting it everything.
TO_USER = """
    li t0, -1
    csrw pmpaddr0, t0
    li t0, 0x1f                # entry 0: NAPOT over everything, RWX
    csrw pmpcfg0, t0
    la t0, user
    csrw mepc, t0
    li t0, 3 << 11
    csrc mstatus, t0           # MPP = U
    mret
"""


def build_asm(src, xlen, tmp_path, name="t"):
    path = tmp_path / f"{name}{xlen}.S"
    path.write_text(PRELUDE + src + EPILOGUE)
    elf = tmp_path / f"{name}{xlen}.elf"
    arch = f"rv{xlen}imc_zicsr_zifencei"
    abi = "ilp32" if xlen == 32 else "lp64"
    r = subprocess.run([GCC, f"-march={arch}", f"-mabi={abi}", "-mcmodel=medany", "-nostdlib",
                        "-nostartfiles", f"-I{SW_INCLUDE}", "-Wl,-N", "-Wl,-Ttext=0x80000000", "-Wl,--no-relax",
                        "-o", str(elf), str(path)], capture_output=True, text=True)
    if r.returncode:
        raise AssertionError(f"assembly failed:\n{r.stderr}")
    return elf


def run_asm(src, xlen, tmp_path, max_insns=100_000, **config):
    elf = build_asm(src, xlen, tmp_path)
    program = load_elf(elf)
    m = Machine(CoreConfig(xlen=xlen, **config))
    m.load(program)
    result = m.run(max_insns)
    m.program = program
    return result, m


def trap_log(m):
    addr = m.program.symbols["trap_log"][0]
    return tuple(m.bus.read(addr + 8 * i, m.xlen // 8) for i in range(3))


def sym(m, name):
    return m.program.symbols[name][0]


# `make test-rtl` (SPCORE_TEST_ENGINE=rtl) runs every `spcore run` of the program tests on
# the RTL in lockstep with the model instead of on the model alone, so each scenario is also
# an RTL test. Runs that name an engine, or ask for the model's commit log (--trace), are
# left as they are.
TEST_ENGINE = os.environ.get("SPCORE_TEST_ENGINE", "model")
RTL_SLOWDOWN = 40          # the RTL engine vs the model, in wall time, with a margin


def spcore(*args, timeout=300):
    """Run `python -m spcore.cli ARGS` with this interpreter; return the
    CompletedProcess with stdout/stderr as text."""
    args = [str(a) for a in args]
    if TEST_ENGINE == "rtl" and args[:1] == ["run"] and "--engine" not in args \
            and "--trace" not in args:
        args[1:1] = ["--engine", "rtl"]
        timeout *= RTL_SLOWDOWN
    return subprocess.run([sys.executable, "-m", "spcore.cli", *args],
                          capture_output=True, text=True, timeout=timeout)
