"""`--simulator amaranth`: the SoC in Amaranth's own simulator (spcore.hdl.simrun), every
retirement compared with the golden model. Exact, needs no Verilog tool, and slow (a few
thousand cycles per second): for short programs and the HDL unit tests.
"""
import sys

from spcore.errors import SpcoreError
from spcore.platform import RAM_BASE, RAM_SIZE_DEFAULT
from spcore.result import RunResult


def run_amaranth(program, config, args, echo=None) -> RunResult:
    from spcore.hdl.simrun import run_elf_lockstep
    if getattr(args, "no_check", False):
        raise SpcoreError("--no-check: the Amaranth-simulator engine always checks in lockstep")
    # The Amaranth simulator elaborates the whole RAM: size it to the program (a power
    # of two, at least 64 KiB) unless --ram-size was given; the model gets the same.
    if getattr(args, "ram_size", None) in (None, RAM_SIZE_DEFAULT):
        end = max(addr + len(data) for addr, data in program.segments) - RAM_BASE
        size = 1 << 16
        while size < end:
            size <<= 1
        config = config.with_(ram_size=size)
    report = {}
    status, count, message = run_elf_lockstep(program.path, config,
                                              max_cycles=getattr(args, "max_cycles", None) or 200_000,
                                              report=report, echo=echo)
    code = report.get("exit_code")
    if status == "pass":
        status = "pass" if code == 0 else "fail"
    elif status == "mismatch":
        status, message = "error", "lockstep mismatch: " + message
    else:
        message = f"timeout after {report.get('cycles', 0)} cycles"
    cycles = report.get("cycles", 0)
    extra = {"engine": "rtl-amaranth", "cpi": round(cycles / count, 3) if count else None}
    extra.update({f"perf_{k}": v for k, v in report.get("perf", {}).items()})
    return RunResult(status=status, exit_code=code, instret=count, cycles=cycles,
                     console=bytes(report.get("console", b"")).decode("latin-1"),
                     last_pcs=report.get("last_pcs", []), message=message, extra=extra)
