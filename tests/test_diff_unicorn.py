"""Differential test: the golden model against unicorn (QEMU's RISC-V core, PyPI).

Random unprivileged streams (tests/randgen.py) run on both from the same registers and
data; registers and the data area must agree at the end. The seed of every case is in
its test id, so a failure replays with `-k`.
"""
import random

import pytest

from spcore.config import CoreConfig
from spcore.disasm import disasm
from spcore.sim.model import Machine

import randgen

unicorn = pytest.importorskip("unicorn", reason="unicorn (PyPI) not installed")
from unicorn import riscv_const as rc  # noqa: E402

BASE = 0x8000_0000
DATA = 0x8008_0000
PROGRAMS, LENGTH = 40, 1300     # per (xlen, C) combination: 4 x 52k = 208k instructions


def reg_const(i):
    return getattr(rc, f"UC_RISCV_REG_X{i}")


def initial_state(rng, xlen):
    regs = [0] + [rng.getrandbits(xlen) if rng.random() < 0.7 else rng.choice(
        [0, 1, (1 << xlen) - 1, 1 << (xlen - 1), (1 << (xlen - 1)) - 1, 0x80000000])
        for _ in range(31)]
    regs[31], regs[8], regs[2] = DATA, DATA + 1024, DATA + 2048
    data = bytes(rng.getrandbits(8) for _ in range(randgen.DATA_SIZE * 2))
    return regs, data


def run_unicorn(xlen, code, regs, data):
    mode = unicorn.UC_MODE_RISCV32 if xlen == 32 else unicorn.UC_MODE_RISCV64
    uc = unicorn.Uc(unicorn.UC_ARCH_RISCV, mode)
    uc.mem_map(BASE, 0x100000)
    uc.mem_write(BASE, code)
    uc.mem_write(DATA, data)
    for i in range(1, 32):
        uc.reg_write(reg_const(i), regs[i])
    uc.emu_start(BASE, BASE + len(code))
    mask = (1 << xlen) - 1
    return [0] + [uc.reg_read(reg_const(i)) & mask for i in range(1, 32)], \
        bytes(uc.mem_read(DATA, len(data)))


def run_model(xlen, code, regs, data):
    m = Machine(CoreConfig(xlen=xlen))
    m.bus.load_image(BASE, code)
    m.bus.load_image(DATA, data)
    m.x[:32] = regs
    m.pc = BASE
    end, steps = BASE + len(code), 0
    while m.pc != end and steps < 10 * len(code):
        r = m.step()
        assert not r.trap, f"model trapped at {r.pc_rdata:#x}: {disasm(r.insn, r.pc_rdata, xlen)}"
        steps += 1
    return m.x[:32], bytes(m.bus.ram[DATA - BASE:DATA - BASE + len(data)]), steps


@pytest.mark.parametrize("xlen", [32, 64])
@pytest.mark.parametrize("compressed", [True, False], ids=["C", "noC"])
@pytest.mark.parametrize("seed", [1000 + i for i in range(PROGRAMS // 10)])
def test_random_streams_agree_with_unicorn(xlen, compressed, seed):
    total = 0
    for k in range(10):
        rng = random.Random(seed * 100 + k)
        code = randgen.to_bytes(randgen.generate(xlen, LENGTH, rng, compressed))
        regs, data = initial_state(rng, xlen)
        want_regs, want_data = run_unicorn(xlen, code, regs, data)
        got_regs, got_data, steps = run_model(xlen, code, regs, data)
        total += steps
        for i in range(32):
            assert got_regs[i] == want_regs[i], \
                f"seed {seed * 100 + k}: x{i} model {got_regs[i]:#x} unicorn {want_regs[i]:#x}"
        assert got_data == want_data, f"seed {seed * 100 + k}: data area differs"
    assert total > 5 * LENGTH
