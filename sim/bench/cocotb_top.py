"""The cocotb test run inside the simulator (Verilator or Icarus).

It starts the clock (cocotb's C clock: no Python per edge), then sleeps until the wrapper
pulses `batch` (every few thousand retirements, tbgen.py), reads the trace file, checks
the batch in lockstep (checker.py), and repeats until the `E` line or a mismatch.
The job (program, configuration, options) comes as a JSON file named by SPCORE_COSIM_JOB;
the result goes to the JSON file the job names, and console bytes to the job's echo
file as they come (the parent process copies them to its terminal).
"""
import json
import os
import sys
import time

import cocotb
from cocotb.clock import Clock
from cocotb.triggers import RisingEdge

from spcore.config import CoreConfig
from spcore.elf import load_elf

from .checker import Lockstep, Mismatch
from .tbgen import PERF, layout

PERIOD_NS = 10


def fault_line(line: str, fault: dict, xlen: int) -> str:
    """Tests: flip bits of one field of an `R` line (a broken RTL record)."""
    a, b = layout(xlen)[fault["field"]]
    return f"{line[:a]}{int(line[a:b], 16) ^ fault['xor']:0{b - a}x}{line[b:]}"


def break_model(name: str):
    """Tests: make the model's `name` instruction write rd + 1 (a broken golden model)."""
    from spcore.sim.model import execute
    original = execute.SEMANTICS[name]

    def broken(m, f, pc, n):
        run, x, rd = original(m, f, pc, n), m.x, f.get("rd") or 32

        def wrong():
            npc = run()
            x[rd] = (x[rd] + 1) & m.mask
            return npc
        return wrong
    execute.SEMANTICS[name] = broken


class Run:
    def __init__(self, job):
        self.job = job
        config = CoreConfig(**job["config"])
        self.xlen = config.xlen
        if job.get("break_model"):
            break_model(job["break_model"])
        program = load_elf(job["elf"], config.xlen, ram_size=config.ram_size)
        self.checker = Lockstep(config, program) if job["check"] else None
        self.fault = job.get("fault")
        self.res = {"status": "error", "exit_code": None, "instret": 0, "cycles": 0,
                    "message": "", "checked": 0, "end": None, "perf": {}}
        self.last = []
        self.echo = open(job["echo"], "wb", buffering=0) if job.get("echo") else None
        self.console = bytearray()
        self.progress = job.get("progress") and os.isatty(2)
        self.t0 = time.monotonic()
        self.cpu0 = time.process_time()        # the simulator and the checker: one process
        self.shown = self.t0

    def batch(self, text: str) -> bool:
        """Handle one batch of trace lines; True when the run is over."""
        res, checker = self.res, self.checker
        lines = text.split("\n")
        self.remember_last(lines)
        if self.fault:
            self.inject(lines)
        i, n = 0, len(lines)
        while i < n:
            line = lines[i]
            kind = line[:1]
            if kind == "R":                     # a run of retirements: checked in one call
                j = i
                try:
                    if checker is not None:
                        j = checker.check_lines(lines, i)
                    else:
                        while j < n and lines[j][:1] == "R":
                            j += 1
                except Mismatch as e:
                    res["instret"] = checker.count
                    res["status"], res["message"] = "error", str(e)
                    return True
                res["instret"] += j - i
                i = j
                continue
            if kind == "C":
                byte = int(line[2:], 16)
                self.console.append(byte)
                if self.echo is not None:
                    self.echo.write(bytes((byte,)))
            elif kind == "X":
                res["exit_code"], res["end"] = int(line[2:], 16), "sim-exit"
            elif kind == "T":
                v = int(line[2:], 16)
                res["exit_code"], res["end"] = ((v >> 1) if v & 1 else -1), "tohost"
            elif kind == "E":
                self.finish([int(v, 16) for v in line[2:].split()])
                return True
            i += 1
        if self.progress and time.monotonic() - self.shown > 0.5:
            self.shown = time.monotonic()
            rate = res["instret"] / (self.shown - self.t0)
            sys.stderr.write(f"\r  {res['instret']} instructions, {rate / 1000:.0f}k instr/s ")
            sys.stderr.flush()
        return False

    def remember_last(self, lines):
        """The last 16 `R` lines so far (for last_pcs), from the end of the batch."""
        tail = []
        for line in reversed(lines):
            if line[:1] == "R":
                tail.append(line)
                if len(tail) == 16:
                    break
        self.last = (self.last + tail[::-1])[-16:]

    def inject(self, lines):
        """Tests: apply the fault to its `R` line if it is in this batch."""
        index = self.res["instret"]
        for k, line in enumerate(lines):
            if line[:1] == "R":
                index += 1
                if index == self.fault["index"]:
                    lines[k] = fault_line(line, self.fault, self.xlen)
                    return

    def finish(self, values):
        res = self.res
        why, res["cycles"] = values[0], values[1]
        res["perf"] = dict(zip(PERF, values[2:]))
        if why == 1:
            res["status"] = "timeout"
            res["message"] = f"timeout after {res['cycles']} cycles (--max-cycles)"
        elif why == 2:
            res["status"] = "timeout"
            res["message"] = f"timeout after {res['instret']} instructions (--max-insns)"
        else:
            res["status"] = "pass" if res["exit_code"] == 0 else "fail"
            c = self.checker
            if c is not None and (c.halt is None or c.halt_at != c.count):
                res["status"] = "error"
                res["message"] = ("lockstep mismatch at the end: the RTL ended the program at "
                                  f"retirement {c.count}, the golden model "
                                  + ("did not" if c.halt is None else f"at {c.halt_at}"))

    def write(self):
        res = self.res
        rng, c = self.job.get("signature"), self.checker
        if rng and c is not None and res["status"] in ("pass", "fail"):
            # every RAM store of the RTL was compared with the model's: its memory is the
            # RTL's, so the signature is read from the model
            res["signature"] = {a: c.machine.bus.read(a, 4) for a in range(rng[0], rng[1], 4)}
        res["console"] = self.console.decode("latin-1")
        a, b = layout(self.xlen)["pc_rdata"]
        res["last_pcs"] = [int(pc, 16) if pc.isalnum() and "x" not in pc.lower() else -1
                           for pc in (line[a:b] for line in self.last)]
        res["checked"] = self.checker.count if self.checker else 0
        res["wall"] = time.monotonic() - self.t0
        res["cpu"] = time.process_time() - self.cpu0
        if self.progress:
            sys.stderr.write("\r" + " " * 60 + "\r")
        with open(self.job["result"] + ".tmp", "w") as out:
            json.dump(res, out)
        os.replace(self.job["result"] + ".tmp", self.job["result"])


@cocotb.test()
async def cosim(dut):
    job = json.loads(open(os.environ["SPCORE_COSIM_JOB"]).read())
    run = Run(job)
    Clock(dut.clk, PERIOD_NS, unit="ns", impl="gpi").start()
    trace = None
    try:
        while True:
            await RisingEdge(dut.batch)
            if trace is None:
                trace = open(job["trace"])
            trace.seek(0)
            if run.batch(trace.read()):
                break
    finally:
        run.write()
