"""Run the SoC in Amaranth's simulator (tests and quick experiments; the real bench is cocotb)."""
import subprocess

from amaranth import Module, Signal
from amaranth.hdl import ResetInserter
from amaranth.sim import Simulator

from spcore.config import CoreConfig
from spcore.hdl.core import PERF
from spcore.hdl.soc import SoC
from spcore.platform import SIM_EXIT

GCC = "riscv64-unknown-elf-gcc"


def assemble(src, xlen, tmp_path, rvc=True):
    """Assemble `src` at 0x80000000; return the flat binary."""
    s = tmp_path / "prog.S"
    s.write_text(src)
    elf = tmp_path / "prog.elf"
    arch = f"rv{xlen}im" + ("c" if rvc else "") + "_zicsr_zifencei"
    abi = "ilp32" if xlen == 32 else "lp64"
    subprocess.run([GCC, f"-march={arch}", f"-mabi={abi}", "-nostdlib", "-nostartfiles",
                    "-Wl,-Ttext=0x80000000", "-Wl,--no-relax", "-o", str(elf), str(s)],
                   check=True, capture_output=True)
    binf = tmp_path / "prog.bin"
    subprocess.run(["riscv64-unknown-elf-objcopy", "-O", "binary", str(elf), str(binf)],
                   check=True)
    return binf.read_bytes()


def _simulated_soc(config):
    """The SoC with a reset we drive (held while loading), in a clocked Simulator."""
    soc = SoC(config)
    rst = Signal()
    top = Module()
    top.submodules.soc = ResetInserter(rst)(soc)
    sim = Simulator(top)
    sim.add_clock(1e-6)
    return soc, rst, sim


async def _load_then_release(ctx, soc, rst, words):
    """Write {byte address: 32-bit word} through the load port in reset, then run."""
    ctx.set(rst, 1)
    ctx.set(soc.load_en, 1)
    for addr, word in words.items():
        ctx.set(soc.load_addr, addr)
        ctx.set(soc.load_data, word)
        await ctx.tick()
    ctx.set(soc.load_en, 0)
    await ctx.tick()
    ctx.set(rst, 0)


def run_soc(image, xlen, max_cycles=3000, ram_size=8192, **cfg):
    """Load `image` through the load port, run until sim exit; return (code, console, records).

    records: list of dicts of the RVFI fields of each retirement.
    """
    config = CoreConfig(xlen=xlen, ram_size=ram_size, **cfg)
    soc, rst, sim = _simulated_soc(config)
    result = {"code": None, "console": bytearray(), "records": [], "cycles": 0, "perf": {}}
    image = image + bytes(-len(image) % 4)
    fields = ("pc_rdata", "pc_wdata", "insn", "trap", "rd_addr", "rd_wdata", "intr",
              "mem_addr", "mem_rmask", "mem_wmask", "mem_rdata", "mem_wdata")

    words = {0x8000_0000 + i: int.from_bytes(image[i:i + 4], "little")
             for i in range(0, len(image), 4)}

    async def bench(ctx):
        await _load_then_release(ctx, soc, rst, words)
        result["perf_signals"] = {p: getattr(soc, "perf_" + p) for p in PERF}
        exit_seen = False            # the device sees the exit store as it retires (MEM)
        for _ in range(max_cycles):
            await ctx.tick()
            result["cycles"] += 1
            if ctx.get(soc.console_valid):
                result["console"].append(ctx.get(soc.console_data))
            if ctx.get(soc.sim_exit_valid) and not exit_seen:
                result["code"] = ctx.get(soc.sim_exit_code)
                exit_seen = True
            retired = config.rvfi and ctx.get(soc.rvfi_valid)
            if retired:
                result["records"].append({f: ctx.get(getattr(soc, "rvfi_" + f)) for f in fields})
            if exit_seen and (not config.rvfi or retired and result["records"][-1]["mem_wmask"]
                              and result["records"][-1]["mem_addr"] == SIM_EXIT):
                result["perf"] = {p: ctx.get(getattr(soc, "perf_" + p)) for p in PERF}
                return

    sim.add_testbench(bench)
    sim.run()
    return result


# ---------------------------------------------------------------- lockstep with the model
NONDET_CSRS = {0xB00, 0xB80, 0xC00, 0xC01, 0xC80, 0xC81, 0x344}
IRQ_PRIORITY = (11, 3, 7)


def _nondet(rec):
    insn = rec["insn"]
    if insn & 0x7F == 0x73 and (insn >> 12) & 3 and (insn >> 20) in NONDET_CSRS:
        return True
    return rec["mem_rmask"] and 0x0200_0000 <= rec["mem_addr"] < 0x0201_0000


def run_elf_lockstep(path, config, max_cycles=20000, stop_pc=None, report=None, echo=None):
    """Run an ELF on the SoC (Amaranth simulator) and compare every retirement with the
    golden model. Returns (status, retirements, message): status 'pass' when the program
    ended (tohost / sim-exit, or a retirement whose next pc is `stop_pc`) with both
    engines agreeing, else 'mismatch' / 'timeout'.

    report: an optional dict that receives `console` (bytes the console device took),
    `cycles` (clock cycles after reset), `perf` (the core's stall/flush counters) and
    `last_pcs`; echo: a file to copy console bytes to as they come."""
    from spcore.elf import load_elf
    from spcore.rvfi import FIELDS, Retire
    from spcore.sim.model import Machine
    from spcore.sim.model.traps import Halt

    prog = load_elf(str(path), config.xlen, ram_size=config.ram_size)
    machine = Machine(config)
    machine.load(prog)
    machine.lockstep = True
    soc, rst, sim = _simulated_soc(config)
    words = {}
    for addr, data in prog.segments:
        for i, byte in enumerate(data):
            a = addr + i
            words[a & ~3] = words.get(a & ~3, 0) | (byte << (8 * (a & 3)))
    out = {"status": "timeout", "count": 0, "message": ""}
    port = {f: getattr(soc, "rvfi_" + f) for f in FIELDS}

    async def bench(ctx):
        await _load_then_release(ctx, soc, rst, words)
        rep = report if report is not None else {}
        rep.update(console=bytearray(), cycles=0, last_pcs=[])
        for cycle in range(max_cycles):
            await ctx.tick()
            rep["cycles"] = cycle + 1
            if ctx.get(soc.console_valid):
                byte = ctx.get(soc.console_data)
                rep["console"].append(byte)
                if echo is not None:
                    echo.write(chr(byte))
                    echo.flush()
            if not ctx.get(soc.rvfi_valid):
                continue
            rep["last_pcs"] = (rep["last_pcs"] + [ctx.get(soc.rvfi_pc_rdata)])[-16:]
            rep["perf"] = {p: ctx.get(getattr(soc, "perf_" + p)) for p in PERF}
            rec = {f: ctx.get(p) for f, p in port.items()}
            mip = ctx.get(soc.rvfi_ext_mip)
            machine.mip_ext = mip
            if rec["intr"]:
                ready = mip & machine.csr.mie
                machine.interrupt(next(i for i in IRQ_PRIORITY if ready >> i & 1))
            halted = False
            try:
                ref = machine.step(override_rd=rec["rd_wdata"] if _nondet(rec) else None)
            except Halt as h:
                ref, halted = h.retire, True
                rep["exit_code"] = h.code
            diff = [f for f in FIELDS if getattr(ref, f) != rec[f]
                    and not (f == "mem_rdata" and _nondet(rec))]
            out["count"] += 1
            if diff:
                out["status"] = "mismatch"
                out["message"] = (f"retirement {out['count']} pc {rec['pc_rdata']:#x} insn {rec['insn']:#x}: " + ", ".join(
                    f"{f}: rtl {rec[f]:#x} model {getattr(ref, f):#x}" for f in diff))
                return
            if halted or rec["pc_wdata"] == stop_pc:
                out["status"] = "pass"
                return

    sim.add_testbench(bench)
    sim.run()
    return out["status"], out["count"], out["message"]
