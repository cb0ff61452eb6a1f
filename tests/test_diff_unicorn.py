"""Differential test of the golden model against unicorn (an independent emulator).

Random unprivileged streams from tests/randgen.py (ALU, M, C, loads/stores, forward
branches and jumps) run on both, RV32 and RV64, with and without C; the pc and all
registers are compared before every instruction, and registers and the data area at the
end. Seeds are printed on failure: `pytest tests/test_diff_unicorn.py -k SEED` replays one
(and `randgen.unprivileged(seed, xlen, compressed)` gives the program).
"""
import subprocess

import pytest

from isa_programs import ENV, GCC, needs_gcc
from randgen import unprivileged
from spcore.config import CoreConfig
from spcore.elf import load_elf
from spcore.sim.model import Machine

unicorn = pytest.importorskip("unicorn", reason="unicorn (PyPI) is not installed")
from unicorn import riscv_const as rc  # noqa: E402

pytestmark = needs_gcc
LENGTH = 2000                                   # random instructions per program
FAST_SEEDS = range(1, 28)                       # x 4 configurations: > 200k instructions
SLOW_SEEDS = range(1000, 1100)               # ~800k more instructions, ~3 min
UC_REGS = [getattr(rc, f"UC_RISCV_REG_X{i}") for i in range(1, 32)]


def build(seed, xlen, compressed, tmp_path):
    src = tmp_path / f"rand{seed}.S"
    src.write_text(unprivileged(seed, xlen, compressed, LENGTH))
    elf = tmp_path / f"rand{seed}-rv{xlen}.elf"
    march = f"rv{xlen}im{'c' if compressed else ''}"
    r = subprocess.run([GCC, f"-march={march}", f"-mabi={'ilp32' if xlen == 32 else 'lp64'}",
                        "-nostdlib", "-nostartfiles", f"-T{ENV / 'link.ld'}", str(src),
                        "-o", str(elf)], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    return load_elf(elf)


def run_unicorn(program, xlen):
    """Return ([(pc, regs) before each instruction], final regs, memory read function)."""
    mode = unicorn.UC_MODE_RISCV32 if xlen == 32 else unicorn.UC_MODE_RISCV64
    uc = unicorn.Uc(unicorn.UC_ARCH_RISCV, mode)
    uc.mem_map(0x8000_0000, 1 << 20)
    for addr, data in program.segments:
        uc.mem_write(addr, bytes(data))
    trace = []
    read = uc.reg_read

    def hook(uc, address, size, _):
        trace.append((address, [read(r) for r in UC_REGS]))

    uc.hook_add(unicorn.UC_HOOK_CODE, hook)
    end = program.symbols["end"][0]
    uc.emu_start(program.entry, end)
    return trace, [read(r) for r in UC_REGS], uc


def first_difference(seed, xlen, compressed, tmp_path):
    program = build(seed, xlen, compressed, tmp_path)
    trace, final, uc = run_unicorn(program, xlen)
    m = Machine(CoreConfig(xlen=xlen))
    m.load(program)
    end = program.symbols["end"][0]
    for i, (pc, regs) in enumerate(trace):
        if m.pc != pc:
            return f"instruction {i}: pc model {m.pc:#x} unicorn {pc:#x}"
        if m.x[1:32] != regs:
            bad = [n + 1 for n in range(31) if m.x[n + 1] != regs[n]]
            return (f"before pc {pc:#x} (instruction {i}): x{bad[0]} model {m.x[bad[0]]:#x} "
                    f"unicorn {regs[bad[0] - 1]:#x}")
        r = m.step()
        if r.trap:
            return f"pc {pc:#x}: the model trapped"
    if m.pc != end or m.x[1:32] != final:
        return f"final state differs (model pc {m.pc:#x})"
    data = program.symbols["data"][0]
    mine = bytes(m.bus.read(data + i, 1) for i in range(4096))
    if mine != bytes(uc.mem_read(data, 4096)):
        return "data area differs"
    return None


CONFIGS = [(32, False), (32, True), (64, False), (64, True)]


def _check(seeds, tmp_path):
    failures = []
    for xlen, compressed in CONFIGS:
        for seed in seeds:
            why = first_difference(seed, xlen, compressed, tmp_path)
            if why:
                failures.append(f"seed {seed} rv{xlen}{'c' if compressed else ''}: {why}")
    assert not failures, "\n".join(failures[:10])


def test_model_matches_unicorn(tmp_path):
    _check(FAST_SEEDS, tmp_path)


@pytest.mark.slow
def test_model_matches_unicorn_many_seeds(tmp_path):
    _check(SLOW_SEEDS, tmp_path)


# ---------------------------------------------- encoding-level streams (lead's first test)
# Encodings drawn from the ISA table (randgen.generate), final registers and data compared.
import random  # noqa: E402

from spcore.disasm import disasm  # noqa: E402

import randgen  # noqa: E402

BASE = 0x8000_0000
DATA = 0x8008_0000
PROGRAMS, LENGTH = 40, 1300     # per (xlen, C) combination: 4 x 52k = 208k instructions


def reg_const(i):
    return getattr(rc, f"UC_RISCV_REG_X{i}")


def table_initial_state(rng, xlen):
    regs = [0] + [rng.getrandbits(xlen) if rng.random() < 0.7 else rng.choice(
        [0, 1, (1 << xlen) - 1, 1 << (xlen - 1), (1 << (xlen - 1)) - 1, 0x80000000])
        for _ in range(31)]
    regs[31], regs[8], regs[2] = DATA, DATA + 1024, DATA + 2048
    data = bytes(rng.getrandbits(8) for _ in range(randgen.DATA_SIZE * 2))
    return regs, data


def table_run_unicorn(xlen, code, regs, data):
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


def table_run_model(xlen, code, regs, data):
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
        regs, data = table_initial_state(rng, xlen)
        want_regs, want_data = table_run_unicorn(xlen, code, regs, data)
        got_regs, got_data, steps = table_run_model(xlen, code, regs, data)
        total += steps
        for i in range(32):
            assert got_regs[i] == want_regs[i], \
                f"seed {seed * 100 + k}: x{i} model {got_regs[i]:#x} unicorn {want_regs[i]:#x}"
        assert got_data == want_data, f"seed {seed * 100 + k}: data area differs"
    assert total > 5 * LENGTH
