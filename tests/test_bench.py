"""`spcore bench`: the BENCH line parser, the report pipeline on the model engine (every
TRACING.md row present or marked missing), rows of a program that dies half-way, and
the README block. The real numbers come from the RTL (`make bench`); here the model's
instruction counts only have to be consistent with what each mechanism does."""
import argparse
import json
import shutil

import pytest

from spcore import bench, bench_tracing
from spcore.bench_lines import parse_console, parse_line
from spcore.bench_report import README_BEGIN, README_END, update_readme
from spcore.errors import SpcoreError

needs_gcc = pytest.mark.skipif(shutil.which("riscv64-unknown-elf-gcc") is None,
                               reason="riscv64-unknown-elf-gcc not installed")


def test_parse_line_fields():
    r = parse_line("BENCH name=k xlen=32 n=4 hits=4 cycles=1611 base=55 bytes=4 via=ebreak")
    assert r == {"name": "k", "xlen": 32, "n": 4, "hits": 4, "cycles": 1611, "base": 55,
                 "bytes": 4, "via": "ebreak"}
    assert parse_line("BENCH name=o-spc xlen=64 missing=armed-as-ebreak") == \
        {"name": "o-spc", "xlen": 64, "missing": "armed-as-ebreak"}
    assert parse_line("BENCH done") is None


@pytest.mark.parametrize("line", [
    "BENCH xlen=32 n=4 hits=4 cycles=9 base=1",             # no name
    "BENCH name=k n=4 hits=4 cycles=12x base=1",             # not an integer
    "BENCH name=k n=4 hits=4 cycles=9 base=1 colour=red",    # unknown key
    "BENCH name=k n=4 n=4 hits=4 cycles=9 base=1",           # key twice
    "BENCH name=k n=4 hits=4 base=1",                        # no cycles
    "BENCH name=k n=0 hits=0 cycles=9 base=1",               # no calls
    "BENCH name=k missing=x cycles=9",                       # missing with a measurement
    "BENCH name=k n=4 hits=4 cycles= base=1",                # empty value
    "BENCH name=k n=4 hits=4 cycles=9 base=1 stray",         # not key=value
    "BENCH name=a/b n=4 hits=4 cycles=9 base=1",             # name is not a token
    "BENCHname=k",
])
def test_parse_line_rejects_malformed(line):
    with pytest.raises(SpcoreError):
        parse_console("boot\n" + line + "\n")


def test_parse_console_ignores_other_lines_and_sees_the_end():
    rows, done = parse_console("hello\nBENCH name=b n=2 hits=2 cycles=7 base=3\nbye\n")
    assert [r["name"] for r in rows] == ["b"] and not done
    assert parse_console("BENCH done\n") == ([], True)


def bench_args(tmp_path, *extra):
    p = argparse.ArgumentParser()
    bench.add_arguments(p)
    return p.parse_args(["--engine", "model", "--out", str(tmp_path), *extra])


@needs_gcc
def test_rows_of_a_program_that_dies(tmp_path):
    src = tmp_path / "partial.c"
    src.write_text('#include <linux/kernel.h>\nint main(void)\n{\n'
                   '    printk("BENCH name=k xlen=32 n=2 hits=2 cycles=10 base=4 bytes=4 via=ebreak\\n");\n'
                   '    printk("BENCH name=b xlen=32 n=2 hits=1 cycles=10 base=4 bytes=4 via=ebreak\\n");\n'
                   '    return 3;\n}\n')
    cfg = bench_tracing.Config("partial", (str(src),), [], ("k", "b", "u"), "partial.c")
    args = bench_args(tmp_path, "--xlen", "32")
    args.xlens = [32]
    rows = {r["name"]: r for r in bench_tracing.measure_config(cfg, 32, args, lambda s: None)}
    assert rows["k"]["status"] == "ok" and rows["k"]["cycles_per_hit"] == 3.0
    assert rows["b"]["status"] == "wrong"            # handler ran once for two calls
    assert rows["u"]["status"] == "missing" and "ended early" in rows["u"]["reason"]


@needs_gcc
def test_model_bench_writes_every_row(tmp_path, capsys):
    args = bench_args(tmp_path, "--xlen", "32", "--json", "--section", "tracing",
                      "--section", "text")
    assert bench.main(args) == 0
    last = capsys.readouterr().out.strip().splitlines()[-1]
    report = json.loads(last)
    assert report == json.loads((tmp_path / "report.json").read_text())
    rows = {r["name"]: r for r in report["rows"] if r.get("section") == "tracing"}
    for name in bench_tracing.REQUIRED:
        assert name in rows, name
        assert rows[name]["status"] in ("ok", "missing", "wrong")
        if rows[name]["status"] != "ok":
            assert rows[name]["reason"]
    # mechanisms the runtime has today measure; each hit ran its handler once
    for name in ("k", "b", "b-spc", "kret", "hwbp", "f-t0-empty", "f-jall-counting"):
        assert rows[name]["status"] == "ok", rows[name]
        assert rows[name]["hits"] == rows[name]["n"] == 4
    # what the ISA fixes: ebreak over a 32-bit instruction, no text for a trigger,
    # a 6-byte c.jall site, 8-byte auipc+jalr for t0
    assert rows["k"]["bytes"] == 4 and rows["hwbp"]["bytes"] == 0
    assert rows["f-jall-empty"]["site"] == 6 and rows["f-t0-empty"]["site"] == 8
    # one trap costs fewer instructions than two; tracing a call costs more than not
    assert rows["b-spc"]["cycles_per_hit"] < rows["k"]["cycles_per_hit"]
    assert rows["f-t0-disabled"]["cycles_per_hit"] < rows["f-t0-empty"]["cycles_per_hit"]
    md = (tmp_path / "report.md").read_text()
    for heading in ("## Cycles per hit", "## Against the talk's x86 reference", "## Goals",
                    "## Where Xspc and Xjall win", "## ftrace call sites"):
        assert heading in md
    assert "instructions per hit, not cycles" in md


def test_section_word_that_matches_nothing_is_refused(tmp_path):
    with pytest.raises(SpcoreError, match="--section 'nope' matches no section: tracing"):
        bench.main(bench_args(tmp_path, "--section", "tracing", "--section", "nope"))
    assert not (tmp_path / "report.json").exists()       # refused before anything ran


def test_update_readme_block(tmp_path):
    readme = tmp_path / "README.md"
    readme.write_text(f"# x\nbefore\n{README_BEGIN}\nold table\n{README_END}\nafter\n")
    report = {"meta": {"engine": "model", "commit": "abc"},
              "rows": [{"section": "tracing", "name": "k", "xlen": 32, "status": "ok",
                        "cycles_per_hit": 389.0}]}
    update_readme(readme, report)
    text = readme.read_text()
    assert "old table" not in text and "before" in text and "after" in text
    assert "| `k` | 389.0 |" in text and "| `o-spc` | - |" in text
    readme.write_text("# no markers\n")
    with pytest.raises(SpcoreError):
        update_readme(readme, report)


def test_merge_keeps_rtl_cycles_and_never_shows_model_counts_as_cycles():
    from spcore.bench_merge import merge_reports
    model = {"meta": {"engine": "model", "commit": "a", "seconds": 1},
             "rows": [{"section": "tracing", "name": "k", "xlen": 32, "status": "ok",
                       "engine": "model", "cycles_per_hit": 389.0},
                      {"section": "tracing", "name": "b", "xlen": 32, "status": "ok",
                       "engine": "model", "cycles_per_hit": 306.0}]}
    rtl = {"meta": {"engine": "rtl", "commit": "b", "seconds": 5, "partial": True},
           "rows": [{"section": "tracing", "name": "k", "xlen": 32, "status": "ok",
                     "engine": "rtl", "cycles_per_hit": 512.0}]}
    merged = merge_reports([model, rtl])
    rows = {r["name"]: r for r in merged["rows"]}
    assert merged["meta"]["engine"] == "rtl" and merged["meta"]["partial"]
    assert rows["k"]["cycles_per_hit"] == 512.0 and rows["k"]["instr_per_hit"] == 389.0
    assert rows["b"]["status"] == "missing" and "cycles_per_hit" not in rows["b"]
    assert rows["b"]["instr_per_hit"] == 306.0
