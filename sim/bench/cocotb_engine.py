"""Parent side of a cocotb run: program image, job file, the runner, the RunResult.

The simulator runs as a child process (cocotb's runner); this process writes the image
(`ADDR DATA` lines for the wrapper's $fscanf) and a JSON job, copies console bytes to
the terminal while the run goes on, and turns the child's result JSON into a RunResult.
"""
import json
import os
import shutil
import tempfile
import threading
import time
from dataclasses import asdict
from pathlib import Path

from spcore.errors import SpcoreError
from spcore.result import RunResult

from . import build


def write_image(program, path: Path) -> int:
    words = {}
    for addr, data in program.segments:
        for i, byte in enumerate(data):
            a = addr + i
            words[a & ~3] = words.get(a & ~3, 0) | (byte << (8 * (a & 3)))
    with open(path, "w") as f:
        f.writelines(f"{a:08x} {v:08x}\n" for a, v in sorted(words.items()))
    return len(words)


def run_cocotb(program, config, simulator, *, check=True, max_cycles=1_000_000,
               max_insns=None, waves=None, echo=None, progress=True, fault=None,
               break_model=None, log=None, pipeview_raw=None) -> RunResult:
    kind = None
    if waves:
        if not waves.endswith((".fst", ".vcd")):
            raise SpcoreError(f"--waves: give a .fst or .vcd file name, not {waves}")
        kind = waves.rsplit(".", 1)[1]
    runner, bdir = build.sim_build(config, simulator, kind if simulator == "verilator" else None,
                                   log=log)
    runs = build.CACHE / "runs"
    runs.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(dir=runs))
    try:
        return _run(program, config, simulator, runner, bdir, tmp, check, max_cycles,
                    max_insns, waves, kind, echo, progress, dict(fault=fault,
                                                                   break_model=break_model),
                    pipeview_raw)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _run(program, config, simulator, runner, bdir, tmp, check, max_cycles, max_insns,
         waves, kind, echo, progress, faults, pipeview_raw=None):
    write_image(program, tmp / "image.hex")
    job = {"elf": str(Path(program.path).resolve()), "config": asdict(config),
           "check": check, "trace": str(tmp / "trace.txt"), "result": str(tmp / "result.json"),
           "binary": simulator == "verilator",            # the C trace writer (tbgen.py)
           "echo": str(tmp / "console.bin"), "progress": progress, "signature": program.signature_range, **faults}
    (tmp / "job.json").write_text(json.dumps(job))
    (tmp / "console.bin").write_bytes(b"")
    plusargs = [f"+image={tmp / 'image.hex'}", f"+trace={tmp / 'trace.txt'}",
                f"+max_cycles={max_cycles}"]
    if max_insns:
        plusargs.append(f"+max_insns={max_insns}")
    if program.tohost is not None:
        plusargs.append(f"+tohost={program.tohost:x}")
    if pipeview_raw:                  # per-cycle stage occupancy for --pipeview
        plusargs.append(f"+pipeview={pipeview_raw}")
    test_args = []
    if waves:
        plusargs.append(f"+waves={Path(waves).resolve()}")
        if simulator == "icarus" and kind == "fst":
            plusargs.append("-fst")        # a vvp extended argument: after the .vvp file
    env = {"SPCORE_COSIM_JOB": str(tmp / "job.json"), "COCOTB_LOG_LEVEL": "WARNING"}
    if simulator == "verilator":
        env.update(build.verilator_env())
    failure = []

    def simulate():
        try:
            runner.test(test_module="spcore.sim.bench.cocotb_top", hdl_toplevel=build.TOP,
                        hdl_toplevel_lang="verilog",
                        build_dir=str(bdir), test_dir=str(tmp), plusargs=plusargs,
                        test_args=test_args, extra_env=env, log_file=str(tmp / "sim.log"),
                        results_xml=str(tmp / "results.xml"))
        except (Exception, SystemExit) as e:   # the result file says what happened
            failure.append(e)

    t0 = time.monotonic()
    worker = threading.Thread(target=simulate, daemon=True)
    worker.start()
    with open(tmp / "console.bin", "rb") as con:
        while worker.is_alive():
            worker.join(0.1)
            _copy(con, echo)
        _copy(con, echo)
    wall = time.monotonic() - t0
    rfile = tmp / "result.json"
    if not rfile.exists():
        log = (tmp / "sim.log").read_text(errors="replace") if (tmp / "sim.log").exists() else ""
        tail = " | ".join(line.strip() for line in log.strip().splitlines()[-4:])
        if failure and not tail:
            tail = f"{type(failure[0]).__name__}: {failure[0]}"
        return RunResult("error", message=f"the {simulator} run produced no result: {tail}")
    r = json.loads(rfile.read_text())
    extra = {"engine": f"rtl-{simulator}", "simulator": simulator,
             "checked": r["checked"], "wall_s": round(wall, 3)}
    if r.get("end"):
        extra["end"] = r["end"]
    if r["cycles"] and r["instret"]:
        extra["cpi"] = round(r["cycles"] / r["instret"], 3)
    if r["wall"] > 0:
        extra["instr_per_s"] = round(r["instret"] / r["wall"])
    if r["cpu"] > 0:       # on a shared machine, wall time says more about the neighbours
        extra["instr_per_cpu_s"] = round(r["instret"] / r["cpu"])
    extra.update({f"perf_{k}": v for k, v in r["perf"].items()})
    result = RunResult(r["status"], r["exit_code"], r["instret"], r["cycles"], r["console"],
                       r["last_pcs"], r["message"], extra)
    if "signature" in r:
        words = {int(a): v for a, v in r["signature"].items()}
        result.read_memory = lambda addr, size: words[addr]
    return result


def _copy(src, dst):
    data = src.read()
    if data and dst is not None:
        dst.write(data.decode("latin-1"))
        dst.flush()
