"""Run the SoC in Amaranth's simulator (tests and quick experiments; the real bench is cocotb)."""
import subprocess

from amaranth import Module, Signal
from amaranth.hdl import ResetInserter
from amaranth.sim import Simulator

from spcore.config import CoreConfig
from spcore.hdl.soc import SoC

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


def run_soc(image, xlen, max_cycles=3000, ram_size=8192, **cfg):
    """Load `image` through the load port, run until sim exit; return (code, console, records).

    records: list of dicts of the RVFI fields of each retirement.
    """
    config = CoreConfig(xlen=xlen, ram_size=ram_size, **cfg)
    soc = SoC(config)
    rst = Signal()
    top = Module()
    top.submodules.soc = ResetInserter(rst)(soc)
    sim = Simulator(top)
    sim.add_clock(1e-6)
    result = {"code": None, "console": bytearray(), "records": []}
    image = image + bytes(-len(image) % 4)
    fields = ("pc_rdata", "pc_wdata", "insn", "trap", "rd_addr", "rd_wdata", "intr",
              "mem_addr", "mem_rmask", "mem_wmask", "mem_rdata", "mem_wdata")

    async def bench(ctx):
        ctx.set(rst, 1)
        for i in range(0, len(image), 4):
            ctx.set(soc.load_en, 1)
            ctx.set(soc.load_addr, 0x8000_0000 + i)
            ctx.set(soc.load_data, int.from_bytes(image[i:i + 4], "little"))
            await ctx.tick()
        ctx.set(soc.load_en, 0)
        await ctx.tick()
        ctx.set(rst, 0)
        for _ in range(max_cycles):
            await ctx.tick()
            if ctx.get(soc.console_valid):
                result["console"].append(ctx.get(soc.console_data))
            if config.rvfi and ctx.get(soc.rvfi_valid):
                result["records"].append({f: ctx.get(getattr(soc, "rvfi_" + f)) for f in fields})
            if ctx.get(soc.sim_exit_valid):
                result["code"] = ctx.get(soc.sim_exit_code)
                return

    sim.add_testbench(bench)
    sim.run()
    return result
