"""The cocotb test run inside the simulator (Verilator or Icarus).

The wrapper makes its own clock (tbgen.py); this test sleeps until the wrapper
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
from cocotb.triggers import RisingEdge

from spcore.config import CoreConfig
from spcore.elf import load_elf

from . import records
from .checker import Lockstep, Mismatch
from .records import EVENT
from .tbgen import COMPARED, PERF

PC = COMPARED.index("pc_rdata")


def fault_record(rec: tuple, fault: dict) -> tuple:
    """Tests: flip bits of one field of a retirement record (a broken RTL record)."""
    k = COMPARED.index(fault["field"])
    return rec[:k] + (rec[k] ^ fault["xor"],) + rec[k + 1:]


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

    def batch(self, data) -> bool:
        """Handle one batch of the trace (bytes: Verilator's binary records, str:
        Icarus' text lines; records.py); True when the run is over."""
        res, checker = self.res, self.checker
        batch = (records.Batch(data) if isinstance(data, bytes)
                 else records.from_text(data, self.xlen))
        self.remember_last(batch)
        if self.fault:
            self.inject(batch)
        k, n = 0, batch.n
        while k < n:
            if batch.flag(k) != EVENT:          # a run of retirements: checked in one call
                j = k
                try:
                    if checker is not None:
                        j = checker.check_records(batch, k)
                    else:
                        while j < n and batch.flag(j) != EVENT:
                            j += 1
                except Mismatch as e:
                    res["instret"] = checker.count
                    res["status"], res["message"] = "error", str(e)
                    return True
                res["instret"] += j - k
                k = j
                continue
            rec = batch.rec(k)
            kind, value = records.KINDS.get(rec[1]), rec[2]
            if kind == "C":
                self.console.append(value)
                if self.echo is not None:
                    self.echo.write(bytes((value,)))
            elif kind == "X":
                res["exit_code"], res["end"] = value, "sim-exit"
            elif kind == "T":
                res["exit_code"], res["end"] = ((value >> 1) if value & 1 else -1), "tohost"
            elif kind == "E":
                self.finish(rec[2:4 + len(PERF)])
                return True
            k += 1
        if self.progress and time.monotonic() - self.shown > 0.5:
            self.shown = time.monotonic()
            rate = res["instret"] / (self.shown - self.t0)
            sys.stderr.write(f"\r  {res['instret']} instructions, {rate / 1000:.0f}k instr/s ")
            sys.stderr.flush()
        return False

    def remember_last(self, batch):
        """The pcs of the last 16 retirements so far (for last_pcs)."""
        tail = []
        for k in reversed(range(batch.n)):
            if batch.flag(k) != EVENT:
                tail.append(batch.rec(k)[PC])
                if len(tail) == 16:
                    break
        self.last = (self.last + tail[::-1])[-16:]

    def inject(self, batch):
        """Tests: apply the fault to its retirement record if it is in this batch."""
        index = self.res["instret"]
        for k in range(batch.n):
            if batch.flag(k) != EVENT:
                index += 1
                if index == self.fault["index"]:
                    batch.replace(k, fault_record(batch.rec(k), self.fault))
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
        res["last_pcs"] = [pc if isinstance(pc, int) else -1 for pc in self.last]
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
    trace = None
    try:
        while True:
            await RisingEdge(dut.batch)
            if trace is None:
                trace = open(job["trace"], "rb" if job.get("binary") else "r")
            trace.seek(0)
            if run.batch(trace.read()):
                break
    finally:
        run.write()
