"""`spcore verilog`: generate Verilog for the core or the SoC."""
import os
import re

from spcore.config import CoreConfig, add_core_arguments, ram_size_problem
from spcore.errors import SpcoreError


def add_arguments(p):
    p.add_argument("--xlen", type=int, choices=(32, 64), default=32)
    add_core_arguments(p)
    p.add_argument("--no-rvfi", action="store_true", help="leave out the RVFI port")
    p.add_argument("--top", choices=("core", "soc"), default="soc")
    p.add_argument("--ram-size", type=lambda s: int(s, 0), default=None,
                   help="RAM bytes (a power of two, 4 KiB to 256 MiB); default 1 MiB")
    p.add_argument("--uart-baud", type=int, default=None, help="SoC: UART TX at this baud")
    p.add_argument("--clk-freq", type=float, default=None, help="SoC: clock Hz for the UART")
    p.add_argument("-o", "--output", required=True, help="output .v file")


def config_from_args(args) -> CoreConfig:
    kw = dict(xlen=args.xlen, spc=not args.no_spc, jall=not args.no_jall, rvfi=not args.no_rvfi,
              multiplier=args.multiplier)
    if args.ram_size is not None:
        problem = ram_size_problem(args.ram_size)
        if problem:          # a one-line error, as every other refusal of this command
            raise SpcoreError(f"--ram-size {problem}")
        kw["ram_size"] = args.ram_size
    return CoreConfig(**kw)


def generate(config, top="soc", uart_baud=None, clk_freq=None, name=None) -> str:
    from amaranth.back import verilog
    from amaranth.lib import wiring

    if top == "core":
        from .core import Core
        dut = Core(config)
    else:
        from .soc import SoC
        dut = SoC(config, uart_baud=uart_baud, clk_freq=clk_freq)
    name = name or f"spcore_{top}"
    return compact_memory_init(verilog.convert(dut, name=name, emit_src=False))


_ZERO_INIT = re.compile(r"  initial begin\n((    (\w+)\[\d+\] = \d+'d0;\n)+)  end\n")


def compact_memory_init(text: str) -> str:
    """Replace yosys' one-line-per-word zero initialisation of big memories with a loop.

    The RAM would otherwise cost one Verilog line per word (260k lines for 1 MiB).
    """
    def loop(mt):
        name = mt.group(3)
        count = mt.group(1).count("\n")
        return (f"  initial begin : {name}_zero\n    integer i;\n"
                f"    for (i = 0; i < {count}; i = i + 1) {name}[i] = 0;\n  end\n")
    return _ZERO_INIT.sub(loop, text)


def main(args) -> int:
    config = config_from_args(args)
    out_dir = os.path.dirname(os.path.abspath(args.output))
    if not os.path.isdir(out_dir):
        raise SpcoreError(f"output directory {out_dir} does not exist")
    text = generate(config, args.top, args.uart_baud, args.clk_freq)
    with open(args.output, "w") as f:
        f.write(text)
    print(f"wrote {args.output} ({args.top}, RV{config.xlen}"
          f"{'' if config.spc else ', no Xspc'}{'' if config.jall else ', no Xjall'}"
          f"{'' if config.rvfi else ', no RVFI'})")
    return 0
