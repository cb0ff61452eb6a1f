"""`spcore coremark`: the report parser, the refusals, and (with EEMBC's sources in
COREMARK_DIR, which this repository does not hold) a run on the golden model."""
import os

import pytest

from asmutil import needs_gcc, spcore
from spcore.coremark import parse_console

REPORT = """2K performance run parameters for coremark.
CoreMark Size    : 666
Total ticks      : 785109
Total time (secs): 0
ERROR! Must execute for at least 10 secs for a valid result!
Iterations       : 2
Compiler version : GCC 12.2.0
Memory location  : STACK
seedcrc          : 0xe9f5
[0]crclist       : 0xe714
[0]crcmatrix     : 0x1fd7
[0]crcstate      : 0x8e3a
[0]crcfinal      : 0x72be
Errors detected
"""


def test_report_fields_and_the_ten_second_rule_is_no_error():
    r = parse_console(REPORT)
    assert (r["ticks"], r["iterations"], r["size"]) == (785109, 2, 666)
    assert (r["seedcrc"], r["crclist"], r["crcstate"]) == ("0xe9f5", "0xe714", "0x8e3a")
    assert r["errors"] == []


def test_a_wrong_crc_is_an_error():
    bad = REPORT.replace("[0]crcstate      : 0x8e3a",
                         "[0]ERROR! state crc 0x1234 - should be 0x8e3a\n"
                         "[0]crcstate      : 0x1234")
    assert parse_console(bad)["errors"] == ["[0]ERROR! state crc 0x1234 - should be 0x8e3a"]


def test_missing_sources_are_one_line_errors(tmp_path):
    env_dir = os.environ.pop("COREMARK_DIR", None)
    try:
        r = spcore("coremark")
        assert r.returncode == 2 and "no CoreMark sources" in r.stderr
        r = spcore("coremark", "--dir", tmp_path)
        assert r.returncode == 2 and "not a CoreMark checkout (missing core_list_join.c" in r.stderr
        assert len(r.stderr.strip().splitlines()) == 1
    finally:
        if env_dir is not None:
            os.environ["COREMARK_DIR"] = env_dir


@needs_gcc
@pytest.mark.skipif(not os.environ.get("COREMARK_DIR"),
                    reason="COREMARK_DIR not set (git clone https://github.com/eembc/coremark)")
@pytest.mark.parametrize("xlen", [32, 64])
def test_coremark_validates_on_the_model(xlen, tmp_path):
    r = spcore("coremark", "--engine", "model", "--xlen", xlen, "--iterations", 1,
               "--out", tmp_path)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "CRCs validated" in r.stdout
    # CoreMark's published seed CRC of the 2K performance run
    assert "seedcrc          : 0xe9f5" in r.stdout


def test_bench_section_without_sources_is_one_skipped_row(monkeypatch, capsys):
    from spcore.coremark import bench_rows
    monkeypatch.delenv("COREMARK_DIR", raising=False)
    assert bench_rows(None) == [{"name": "coremark", "skipped": "COREMARK_DIR not set"}]
    assert "COREMARK_DIR not set" in capsys.readouterr().out
