"""`spcore build`: a user's C/assembly files + the runtime in sw/ -> one firmware ELF.

Two links: the first gives the function symbols, from which spcore.kallsyms writes the
table that the second link embeds (placed last, so nothing moves). The runtime is
compiled once per configuration and cached under build/fw-cache/; user files are
compiled into OUT.d/ beside the output. See sw/README.md for the options' meaning.
"""
import argparse
import hashlib
import os
import shutil
import subprocess
from pathlib import Path

from . import kallsyms
from .config import add_core_arguments
from .errors import SpcoreError

ROOT = Path(__file__).resolve().parents[1]
SW = ROOT / "sw"
CACHE = ROOT / "build" / "fw-cache"
GCC = "riscv64-unknown-elf-gcc"
FTRACE_SCHEMES = ("none", "mcount", "ra-stack", "t0", "call-ops", "jall")
OPTPROBES = ("none", "classic", "spc")

# -fpatchable-function-entry=N[,M] counts 2-byte c.nops (RVC). Sizes per TRACING.md and
# linux-tracing-notes.md section 4.
FTRACE_FLAGS = {
    "none": [],
    # -mno-relax keeps `call _mcount` an 8-byte auipc+jalr site (ftrace patches it).
    "mcount": ["-pg", "-fno-omit-frame-pointer", "-mno-relax"],
    "ra-stack": ["-fpatchable-function-entry=8"],              # 16 bytes at f+0
    "t0": ["-fpatchable-function-entry=4"],                    # 8 bytes at f+0
    # 8-byte ops literal before f (4 c.nops), auipc+jalr site at f+0 (4 c.nops);
    # functions 8-aligned so the literal is naturally aligned.
    "call-ops": ["-fpatchable-function-entry=8,4", "-falign-functions=8"],
    # one c.nop before f (f = 2 mod 4), a 6-byte site at f+0 whose literal at f+2 is
    # 4-byte aligned: retargeting is one aligned 32-bit store.
    "jall": ["-fpatchable-function-entry=4,1", "-falign-functions=4"],
}


def add_arguments(p):
    p.add_argument("sources", nargs="+", metavar="SRC", help="C (.c) or assembly (.S) files")
    p.add_argument("--xlen", type=int, choices=(32, 64), default=32)
    p.add_argument("--ftrace", choices=FTRACE_SCHEMES, default="none",
                   help="ftrace call-site scheme of the user's functions")
    p.add_argument("--optprobe", choices=OPTPROBES, default="none",
                   help="optimized kprobes: classic (auipc/jalr, a dead register) or spc "
                        "(c.jall in, lrw2spc out; needs Xjall and Xspc)")
    add_core_arguments(p, multiplier=False)     # the core the firmware is built for
    p.add_argument("-O", dest="opt", choices=("0", "1", "2", "s"), default="2",
                   help="optimisation level (default -O2)")
    p.add_argument("-I", dest="includes", action="append", default=[], metavar="DIR")
    p.add_argument("-D", dest="defines", action="append", default=[], metavar="NAME[=VALUE]")
    p.add_argument("-o", dest="output", required=True, metavar="OUT.elf")
    p.add_argument("-v", "--verbose", action="store_true", help="print the commands")


def config_defines(args):
    if args.ftrace == "jall" and args.no_jall:
        raise SpcoreError("--ftrace jall needs Xjall (drop --no-jall)")
    if args.optprobe == "spc" and (args.no_jall or args.no_spc):
        raise SpcoreError("--optprobe spc needs Xjall and Xspc")
    d = [f"CONFIG_XLEN={args.xlen}"]
    if not args.no_spc:
        d.append("CONFIG_XSPC=1")
    if not args.no_jall:
        d.append("CONFIG_XJALL=1")
    if args.ftrace != "none":
        d += ["CONFIG_FTRACE=1", "CONFIG_FTRACE_" + args.ftrace.upper().replace("-", "_") + "=1"]
    if args.optprobe != "none":
        d += ["CONFIG_OPTPROBES=1", "CONFIG_OPTPROBE_" + args.optprobe.upper() + "=1"]
    return d


def base_flags(args):
    arch = f"rv{args.xlen}imc"
    abi = "ilp32" if args.xlen == 32 else "lp64"
    # -misa-spec=2.2 implies zicsr/zifencei and keeps the multilib choice working
    # (TOOLCHAIN.md); .insn covers the custom instructions.
    return [f"-march={arch}", "-misa-spec=2.2", f"-mabi={abi}", "-mcmodel=medany",
            "-ffreestanding", "-fno-builtin", "-fno-pic", "-fno-common",
            "-fno-asynchronous-unwind-tables", "-fno-stack-protector",
            "-g", "-Wall", f"-O{args.opt}", f"-I{SW / 'include'}"] + \
           [f"-D{d}" for d in config_defines(args)]


def runtime_sources():
    out = []
    for sub in ("arch/riscv", "kernel", "lib"):
        for path in sorted((SW / sub).rglob("*")):
            if path.suffix in (".c", ".S"):
                out.append(path)
    return out


def _run(cmd, verbose):
    if verbose:
        print(" ".join(map(str, cmd)))
    r = subprocess.run(list(map(str, cmd)), capture_output=True, text=True)
    if r.returncode:
        msg = (r.stderr or r.stdout).strip()
        raise SpcoreError(f"{Path(str(cmd[-1])).name}: build failed:\n{msg}")
    return r


def compile_all(sources, flags, outdir, verbose):
    outdir.mkdir(parents=True, exist_ok=True)
    objs = []
    for i, src in enumerate(sources):
        obj = outdir / f"{i:03d}_{src.stem}.o"
        _run([GCC, *flags, "-c", "-o", obj, src], verbose)
        objs.append(obj)
    return objs


def runtime_objects(args, verbose):
    flags = base_flags(args)
    srcs = runtime_sources()
    h = hashlib.sha256(" ".join(flags).encode())
    for s in srcs:
        h.update(str(s.relative_to(SW)).encode())
        h.update(s.read_bytes())
    for hdr in sorted((SW / "include").rglob("*.h")):
        h.update(hdr.read_bytes())
    d = CACHE / h.hexdigest()[:16]
    stamp = d / "done"
    if not stamp.exists():
        tmp = d.with_suffix(".tmp%d" % os.getpid())
        objs = compile_all(srcs, flags, tmp, verbose)
        (tmp / "done").write_text("\n".join(o.name for o in objs))
        try:
            tmp.rename(d)
        except OSError:                       # built concurrently by another process
            shutil.rmtree(tmp, ignore_errors=True)
    return [d / n for n in (d / "done").read_text().split()]


def link(objs, table_src, out, args, workdir, verbose):
    table = workdir / (out.name + ".kallsyms.S")
    table.write_text(table_src)
    table_obj = workdir / (out.name + ".kallsyms.o")
    _run([GCC, *base_flags(args), "-c", "-o", table_obj, table], verbose)
    _run([GCC, *base_flags(args), "-nostdlib", "-nostartfiles", "-static",
          f"-T{SW / 'arch/riscv/link.ld'}", "-Wl,--no-warn-rwx-segments",
          "-o", out, *objs, table_obj, "-lgcc"], verbose)


def build_from_argv(argv):
    """`spcore build ARGV` in this process, for commands that build their program first
    (`spcore sim`, `spcore bench`): the same defaults as the command line."""
    parser = argparse.ArgumentParser()
    add_arguments(parser)
    return main(parser.parse_args([str(a) for a in argv]))


def main(args):
    if shutil.which(GCC) is None:
        raise SpcoreError(f"{GCC} not found: run `make deps` (Debian gcc-riscv64-unknown-elf)")
    sources = []
    for s in args.sources:
        p = Path(s)
        if not p.is_file():
            raise SpcoreError(f"{s}: no such source file")
        if p.suffix not in (".c", ".S", ".s"):
            raise SpcoreError(f"{s}: not a C (.c) or assembly (.S) file")
        sources.append(p.resolve())
    out = Path(args.output).resolve()
    work = out.parent / (out.name + ".d")
    user_flags = base_flags(args) + FTRACE_FLAGS[args.ftrace] + \
        [f"-I{Path(i).resolve()}" for i in args.includes] + [f"-D{d}" for d in args.defines]
    objs = runtime_objects(args, args.verbose) + compile_all(sources, user_flags, work,
                                                             args.verbose)
    first = work / (out.name + ".pass1")
    link(objs, kallsyms.empty_table(args.xlen), first, args, work, args.verbose)
    link(objs, kallsyms.table_source(first, args.xlen), out, args, work, args.verbose)
    return 0
