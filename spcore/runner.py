"""`spcore run PROG.elf`: run a program on the golden model or the RTL (PLATFORM.md contract).

Exit status: 0 pass, 1 fail or timeout, 2 bad input.
"""
import sys

from .config import CoreConfig, add_core_arguments, positive_int, ram_size_arg
from .elf import load_elf
from .errors import SpcoreError
from .platform import RAM_SIZE_DEFAULT


def add_arguments(p):
    p.add_argument("elf", help="RV32 or RV64 ELF program")
    p.add_argument("--engine", choices=("model", "rtl"), default="model",
                   help="what executes the instructions (default: model)")
    p.add_argument("--max-insns", type=positive_int, default=50_000_000, metavar="N",
                   help="instruction budget; reaching it is a timeout (default 50M)")
    p.add_argument("--trace", metavar="FILE", help="write one line per retired instruction")
    p.add_argument("--signature", metavar="FILE",
                   help="dump begin_signature..end_signature as 32-bit hex words")
    p.add_argument("--json", action="store_true", help="print a JSON summary as the last line")
    add_core_arguments(p)
    p.add_argument("--ram-size", type=ram_size_arg, default=RAM_SIZE_DEFAULT, metavar="N",
                   help="RAM bytes, a power of two (default 1 MiB)")
    p.add_argument("--quiet", action="store_true", help="do not echo the console")
    try:
        from spcore.sim.bench import add_rtl_arguments
    except ImportError:
        pass
    else:
        add_rtl_arguments(p)


def config_for(program, args) -> CoreConfig:
    return CoreConfig(xlen=program.xlen, spc=not args.no_spc, jall=not args.no_jall,
                      ram_size=args.ram_size,
                      multiplier=args.multiplier)


def run_model(program, config, args, console=None):
    from .sim.model import Machine
    m = Machine(config, console=console)
    m.load(program)
    if args.trace:
        from .sim.model.trace import run_traced
        with open(args.trace, "w") as out:
            result = run_traced(m, program, args.max_insns, out)
    else:
        result = m.run(args.max_insns)
    return result, m


def write_signature(path, program, read):
    rng = program.signature_range
    if rng is None:
        raise SpcoreError("--signature: the program has no begin_signature/end_signature symbols")
    begin, end = rng
    with open(path, "w") as f:
        for a in range(begin, end, 4):
            f.write(f"{read(a, 4):08x}\n")


def execute(program, config, args, console=None):
    """Run `program` on the engine `args.engine`; dump `args.signature` if asked."""
    if args.engine == "rtl":
        try:
            from .sim.bench import run_rtl
        except ImportError as e:
            raise SpcoreError(f"--engine rtl is not available: {e}") from None
        result = run_rtl(program, config, args, echo=console)
        read = getattr(result, "read_memory", None)
    else:
        for option in ("waves", "pipeview", "no_check"):
            if getattr(args, option, None):
                raise SpcoreError(f"--{option.replace('_', '-')}: only with --engine rtl")
        result, m = run_model(program, config, args, console)
        read = m.bus.read
    if args.signature:
        if read is None:
            raise SpcoreError("--signature: this engine cannot read memory after the run")
        write_signature(args.signature, program, read)
    return result


def main(args):
    program = load_elf(args.elf, ram_size=args.ram_size)
    config = config_for(program, args)
    console = None if args.quiet or args.json else sys.stdout
    result = execute(program, config, args, console)
    if args.json and result.console:
        sys.stdout.write(result.console)
    if result.status == "timeout":
        pcs = " ".join(f"{pc:#x}" for pc in result.last_pcs[-8:])
        result.message = result.message or (
            f"timeout after {result.instret} instructions; last pcs: {pcs}")
    if result.status != "pass" and result.message:
        print(f"spcore: {result.status}: {result.message}", file=sys.stderr)
    elif result.status == "fail":
        print(f"spcore: fail: exit code {result.exit_code} "
              f"({result.extra.get('end', 'end')})", file=sys.stderr)
    if args.json:
        print(result.to_json())
    return 0 if result.passed else 1
