"""Build the self-checking ISA programs of tests/programs/isa (shared by several tests)."""
import pathlib
import shutil
import subprocess

import pytest

HERE = pathlib.Path(__file__).parent
PROGRAMS = sorted(p.stem for p in (HERE / "programs" / "isa").glob("*.S"))
ENV = HERE / "env"
GCC = "riscv64-unknown-elf-gcc"
needs_gcc = pytest.mark.skipif(shutil.which(GCC) is None, reason=f"{GCC} not installed")


def build_program(src, xlen, out_dir, extra_flags=()):
    """Assemble one program with the test environment; returns the ELF path."""
    src = pathlib.Path(src)
    elf = pathlib.Path(out_dir) / f"{src.stem}-rv{xlen}.elf"
    abi = "ilp32" if xlen == 32 else "lp64"
    cmd = [GCC, f"-march=rv{xlen}imc_zicsr_zifencei", f"-mabi={abi}", "-mcmodel=medany",
           "-nostdlib", "-nostartfiles", f"-I{ENV}", f"-T{ENV / 'link.ld'}", *extra_flags,
           str(src), "-o", str(elf)]
    r = subprocess.run(cmd, capture_output=True, text=True)
    if r.returncode:
        raise AssertionError(f"building {src.name} for RV{xlen} failed:\n{r.stderr}")
    return elf


@pytest.fixture(scope="session")
def isa_elfs(tmp_path_factory):
    """{(program name, xlen): ELF path} for every program, built once per session."""
    out = tmp_path_factory.mktemp("isa")
    return {(name, xlen): build_program(HERE / "programs" / "isa" / f"{name}.S", xlen, out)
            for name in PROGRAMS for xlen in (32, 64)}
