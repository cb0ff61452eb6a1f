"""`spcore` command line: a thin dispatcher.

Each subcommand lives in its own module, which provides `add_arguments(parser)` and
`main(args) -> int`.  Modules are imported lazily so `spcore run` does not pay for
Amaranth or cocotb.
"""
import argparse
import importlib
import sys

from .errors import SpcoreError

# name -> (module, one-line help)
COMMANDS = {
    "run":         ("spcore.runner",       "run an ELF program on the golden model or the RTL"),
    "disasm":      ("spcore.disasm_cmd",   "disassemble an ELF program"),
    "build":       ("spcore.build",        "build firmware (C/assembly + the tracing runtime) into an ELF"),
    "sim":         ("spcore.sim_cmd",      "build the demo firmware and run it on the RTL in lockstep"),
    "verilog":     ("spcore.hdl.cli",      "generate Verilog for the core or the SoC"),
    "fpga":        ("spcore.hdl.fpga",     "synthesize, place and route for an FPGA; print area and Fmax"),
    "bench":       ("spcore.bench",        "measure cycles per probe hit, model and co-simulation speed"),
    "conformance": ("spcore.conformance",  "run externally built riscv-tests / riscv-arch-test ELFs"),
    "coremark":    ("spcore.coremark",     "build EEMBC's CoreMark (sources outside the repo) and run it"),
}


def main(argv=None):
    parser = argparse.ArgumentParser(prog="spcore", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    wanted = (argv if argv is not None else sys.argv[1:])[:1]
    for name, (module, help_text) in COMMANDS.items():
        p = sub.add_parser(name, help=help_text, description=help_text)
        if name in wanted:  # only the chosen command's module is imported
            try:
                mod = importlib.import_module(module)
            except ModuleNotFoundError as e:
                if e.name and module.startswith(e.name):
                    print(f"spcore: error: '{name}' is not implemented yet ({module})", file=sys.stderr)
                    return 2
                raise
            mod.add_arguments(p)
            p.set_defaults(_main=mod.main)
    args = parser.parse_args(argv)
    try:
        return args._main(args)
    except SpcoreError as e:
        print(f"spcore: error: {e}", file=sys.stderr)
        return 2
    except BrokenPipeError:                      # output piped into `head`
        sys.stderr.close()
        return 0
    except KeyboardInterrupt:
        print("spcore: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
