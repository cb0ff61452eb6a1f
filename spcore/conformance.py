"""`spcore conformance`: run externally built official suites (never part of this repo).

- riscv-tests: every 'p' ELF in --riscv-tests DIR named rv32|rv64 + ui|um|uc|mi
  (`rv64ui-p-add`, ...); pass = tohost 1. `ma_data` is skipped: it assumes hardware
  misaligned access, which this platform traps (PLATFORM.md).
- riscv-arch-test: every ELF in --arch-test DIR (searched recursively) that has a
  reference signature beside it (`NAME.reference_output`, or `ref/Reference-*.signature`
  the RISCOF way); pass = the run ends and its signature equals the reference.
"""
import os
import re
import sys
import tempfile
from argparse import Namespace

from .config import add_core_arguments, positive_int, ram_size_arg
from .elf import load_elf
from .errors import SpcoreError
from .runner import config_for, execute

# Test names have hyphens (`rv64mi-p-lh-misaligned`); the build's `NAME.dump` files are not ELFs.
RISCV_TESTS_RE = re.compile(r"^rv(32|64)(ui|um|uc|mi)-p-[\w-]+$")
# RAM is a parameter of the SoC (PLATFORM.md); the largest arch-test ELF needs > 1 MiB.
ARCH_RAM_SIZE = 4 << 20
SKIP = {"ma_data": "assumes hardware misaligned loads/stores; spcore traps them"}


def add_arguments(p):
    p.add_argument("--engine", choices=("model", "rtl"), default="model")
    p.add_argument("--riscv-tests", metavar="DIR", default=os.environ.get("RISCV_TESTS_DIR"))
    p.add_argument("--arch-test", metavar="DIR", default=os.environ.get("ARCH_TEST_DIR"))
    p.add_argument("--max-insns", type=positive_int, default=5_000_000)
    p.add_argument("--ram-size", type=ram_size_arg, default=ARCH_RAM_SIZE, metavar="N",
                   help="RAM size for the runs (default 4 MiB: arch-test's jal-01 is 1.7 MB)")
    add_core_arguments(p, extensions=False)     # both extensions: the suites' target
    p.add_argument("-k", metavar="SUBSTRING", help="only tests whose name contains this")


def _run(path, engine, max_insns, ram_size, signature=None, multiplier="single-cycle"):
    program = load_elf(path, ram_size=ram_size)
    args = Namespace(no_spc=False, no_jall=False, multiplier=multiplier, ram_size=ram_size,
                     trace=None, max_insns=max_insns, signature=signature, engine=engine,
                     simulator=None, no_check=False, waves=None, pipeview=None, json=False)
    return execute(program, config_for(program, args), args)


def riscv_tests(directory):
    for name in sorted(os.listdir(directory)):
        if RISCV_TESTS_RE.match(name):
            yield name, os.path.join(directory, name)


def arch_tests(directory):
    for root, _, files in sorted(os.walk(directory)):
        for name in sorted(files):
            if name.endswith((".elf",)) or ("." not in name and os.access(os.path.join(root, name), os.X_OK)):
                base = name[:-4] if name.endswith(".elf") else name
                label = os.path.relpath(os.path.join(root, base), directory)
                for ref in (os.path.join(root, base + ".reference_output"),
                            os.path.join(root, "ref", "Reference-sail_c_simulator.signature"),
                            os.path.join(root, "..", "ref", "Reference-sail_c_simulator.signature")):
                    if os.path.exists(ref):
                        yield label, os.path.join(root, name), ref
                        break


def _same_signature(got_path, ref_path):
    got = [l.strip().lower() for l in open(got_path) if l.strip()]
    ref = [l.strip().lower() for l in open(ref_path) if l.strip()]
    # References may use 64-bit words on RV64 (RISCOF); compare as a stream of 32-bit words.
    def words(lines):
        out = []
        for l in lines:
            for i in range(len(l), 0, -8):
                out.append(l[max(0, i - 8):i].rjust(8, "0"))
        return out
    return words(got) == words(ref)


def main(args):
    if not args.riscv_tests and not args.arch_test:
        print("conformance: nothing to run: set RISCV_TESTS_DIR (riscv-tests 'p' ELFs) and/or "
              "ARCH_TEST_DIR (riscv-arch-test ELFs with .reference_output files); "
              "these suites are built outside this repository")
        return 2
    if args.engine == "rtl":
        try:
            from .sim.bench import run_rtl  # noqa: F401
        except ImportError as e:
            raise SpcoreError(f"--engine rtl is not available: {e}") from None
    passed = failed = skipped = 0
    empty = []
    for label, directory in (("riscv-tests", args.riscv_tests), ("arch-test", args.arch_test)):
        if not directory:
            print(f"conformance: {label}: directory not set, skipped")
            continue
        if not os.path.isdir(directory):
            raise SpcoreError(f"{label}: {directory} is not a directory")
        found = 0
        if label == "riscv-tests":
            cases = ((n, p, None) for n, p in riscv_tests(directory))
        else:
            cases = arch_tests(directory)
        for name, path, ref in cases:
            if args.k and args.k not in name:
                continue
            found += 1
            short = name.split("-p-", 1)[-1]
            if label == "riscv-tests" and short in SKIP:
                print(f"SKIP {name}: {SKIP[short]}")
                skipped += 1
                continue
            try:
                if ref:
                    with tempfile.NamedTemporaryFile("w", suffix=".sig", delete=False) as t:
                        sig = t.name
                    result = _run(path, args.engine, args.max_insns, args.ram_size, sig,
                                  args.multiplier)
                    ok = result.status == "pass" and _same_signature(sig, ref)
                    why = result.status if result.status != "pass" else "signature differs"
                    os.unlink(sig)
                else:
                    result = _run(path, args.engine, args.max_insns, args.ram_size,
                                  multiplier=args.multiplier)
                    ok = result.passed
                    why = f"{result.status} (exit code {result.exit_code})"
            except SpcoreError as e:
                ok, why = False, str(e)
            print(f"{'PASS' if ok else 'FAIL'} {name}" + ("" if ok else f": {why}"))
            sys.stdout.flush()
            passed += ok
            failed += not ok
        if not found:
            print(f"conformance: {label}: no tests found in {directory}"
                  + (f" matching -k {args.k}" if args.k else ""))
            empty.append(label)
    print(f"conformance: {passed} passed, {failed} failed, {skipped} skipped")
    if failed:
        return 1
    return 2 if empty else 0          # an empty suite directory is a setup error, not a pass
