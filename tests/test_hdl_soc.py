"""Whole SoC in Amaranth's simulator: a smoke program, and every ISA program of
tests/programs/isa compared retirement by retirement with the golden model."""
import pytest

from spcore.config import CoreConfig
from spcore.hdl.simrun import assemble, run_elf_lockstep, run_soc

from isa_programs import PROGRAMS, isa_elfs, needs_gcc  # noqa: F401

SMOKE = r"""
.globl _start
_start:
    li a0, 0
    li a1, 10
1:  add a0, a0, a1          # 10 + 9 + ... + 1 = 55
    addi a1, a1, -1
    bnez a1, 1b
    li t0, 0x10000000
    li t1, 'o'
    sb t1, 0(t0)
    la t2, data
    lw t3, 0(t2)            # 7
    add a0, a0, t3          # load-use
    sw a0, 4(t2)
    lw t4, 4(t2)
    li t5, 3
    div t4, t4, t5          # 62 / 3 = 20
    addi a0, t4, -20
    sw a0, 8(t0)            # sim exit, code 0
1:  j 1b
.align 3
data: .word 7, 0
"""


@needs_gcc
@pytest.mark.parametrize("xlen", (32, 64))
def test_smoke_program_reaches_sim_exit(xlen, tmp_path):
    r = run_soc(assemble(SMOKE, xlen, tmp_path), xlen, max_cycles=400)
    assert r["code"] == 0
    assert bytes(r["console"]) == b"o"
    pcs = [rec["pc_rdata"] for rec in r["records"]]
    assert pcs[0] == 0x8000_0000 and len(pcs) == 2 + 3 * 10 + 13


@needs_gcc
@pytest.mark.parametrize("xlen", (32, 64))
@pytest.mark.parametrize("name", PROGRAMS)
def test_isa_program_lockstep(isa_elfs, name, xlen):
    status, count, msg = run_elf_lockstep(isa_elfs[name, xlen],
                                          CoreConfig(xlen=xlen, ram_size=1 << 16))
    assert status == "pass", f"{name} RV{xlen} after {count} retirements: {status} {msg}"


@needs_gcc
@pytest.mark.parametrize("xlen", (32, 64))
def test_extensions_off_trap_like_the_model(isa_elfs, xlen):
    """With Xspc and Xjall off, lrw2spc / c.jall / the spc CSRs are illegal in both."""
    cfg = CoreConfig(xlen=xlen, spc=False, jall=False, ram_size=1 << 16)
    status, count, msg = run_elf_lockstep(isa_elfs["xtrace", xlen], cfg)
    assert status in ("pass",), f"after {count}: {status} {msg}"


@needs_gcc
@pytest.mark.parametrize("xlen", (32, 64))
def test_ice40_core_lockstep(isa_elfs, xlen):
    """The iCE40 builds' core (hdl/fpga.py FAMILY_CORE: the iterative multiplier, EX held
    xlen + 2 cycles per multiply; no PMP entries) retires what the model does; U-mode
    code runs with no entry to allow it (tests/test_hdl_random.py mixes the multiplier
    with forwarding, traps and interrupts)."""
    from spcore.hdl.fpga import FAMILY_CORE
    cfg = CoreConfig(xlen=xlen, ram_size=1 << 16, **FAMILY_CORE["ice40"])
    for name in ("muldiv", "umode"):
        status, count, msg = run_elf_lockstep(isa_elfs[name, xlen], cfg)
        assert status == "pass", f"{name} RV{xlen} after {count} retirements: {status} {msg}"
