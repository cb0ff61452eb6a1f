"""Commit log of a run, one line per retirement, in the spirit of Spike's --log-commits:

    core   0: 3 0x80000004 (0x00a28293) x5  0x8000000a   addi    t0, t0, 10
    core   0: 3 0x80000010 (0x00b52023) mem 0x80001000 0x0000002a   sw  a1, 0(a0)
    core   0: 3 0x80000014 (0x00000073) trap mcause=11 mtval=0x0   ecall

Fields: privilege mode, pc, raw instruction bits, then the register write
(`xN value`), memory write (`mem addr value`) or read (`load addr`), or the trap.
"""
from spcore.disasm import disasm
from spcore.result import RunResult

from .traps import Halt


def format_retire(r, xlen, symbolize=None):
    digits = xlen // 4
    n = 12 if r.insn >> 32 else (8 if (r.insn & 3) == 3 else 4)
    head = f"core   0: {r.mode} 0x{r.pc_rdata:0{digits}x} (0x{r.insn:0{n}x})"
    effects = []
    if r.intr:
        effects.append("intr")
    if r.trap:
        effects.append("trap")
    if r.rd_addr:
        effects.append(f"x{r.rd_addr:<2} 0x{r.rd_wdata:0{digits}x}")
    if r.mem_wmask:
        effects.append(f"mem 0x{r.mem_addr:0{digits}x} 0x{r.mem_wdata:x}")
    elif r.mem_rmask:
        effects.append(f"load 0x{r.mem_addr:0{digits}x}")
    text = disasm(r.insn, r.pc_rdata, xlen, symbolize=symbolize)
    return f"{head} {' '.join(effects):<32} {text}"


def run_traced(machine, program, max_insns, out):
    """Run with step() and write the commit log; same result as Machine.run()."""
    m = machine
    status, code, via = "timeout", None, None
    pcs = []
    try:
        for _ in range(max_insns):
            r = m.step()
            pcs.append(r.pc_rdata)
            out.write(format_retire(r, m.xlen) + "\n")
            if r.trap:
                out.write(f"                trap mcause={m.csr.mcause:#x} mtval={m.csr.mtval:#x}\n")
    except Halt as h:
        out.write(format_retire(h.retire, m.xlen) + "\n")
        pcs.append(h.retire.pc_rdata)
        code, via = h.code, h.via
        status = "pass" if code == 0 else "fail"
    return RunResult(status=status, exit_code=code, instret=m.retired(), cycles=m.cycle,
                     console=m.console.decode("latin-1"), last_pcs=pcs[-16:],
                     extra={"end": via} if via else {})
