"""`spcore fpga`: cell counting, RAM image, error lines, the yosys lint checks, and the
board tops on amaranth-boards (pins, clock, baked program on the UART; bitstreams: slow).

The synthesis tests run yosys (YoWASP from PyPI); they skip only when it is not installed.
"""
import json
import shutil

import pytest

from spcore import cli
from spcore.errors import SpcoreError
from spcore.hdl import fpga
from spcore.hdl.boards import BOARDS, ram_words

HAVE_YOSYS = fpga.have_tool("yosys")
needs_yosys = pytest.mark.skipif(not HAVE_YOSYS, reason="yosys not installed (pip install '.[fpga]')")
needs_gcc = pytest.mark.skipif(not shutil.which("riscv64-unknown-elf-gcc"),
                               reason="riscv64-unknown-elf-gcc not installed")

STAT_ECP5 = """
=== top ===
    11050 wires
       19   $scopeinfo
       10   CCU2C
        3   DP16KD
      100   LUT4
        2   MULT18X18D
       40   TRELLIS_FF
"""


def test_parse_stat_counts_carry_cells_as_two_luts():
    r = fpga.parse_stat(STAT_ECP5, "ecp5")
    assert r == {"luts": 100 + 2 * 10, "ffs": 40, "brams": 3, "dsps": 2}


def test_parse_stat_ice40_old_column_order():
    text = "     SB_LUT4   50\n     SB_DFFE   7\n     SB_DFFSR  3\n     SB_RAM40_4K  4\n"
    assert fpga.parse_stat(text, "ice40") == {"luts": 50, "ffs": 10, "brams": 4, "dsps": 0}


STAT_HIER = """
=== top.soc.core.spc ===
      300   LUT4
        4   CCU2C
      128   TRELLIS_FF

=== top.soc.core ===
     1000   LUT4
      500   TRELLIS_FF
        2   DP16KD

=== design hierarchy ===

        +----------Count including submodules.
        |
     1934 top.soc.core
      432   top.soc.core.spc

        +----------Count including submodules.
        |
     1308   LUT4
        4   CCU2C
        2   DP16KD
      628   TRELLIS_FF
"""


def test_unit_stats_per_module_and_hierarchy_total():
    from spcore.hdl.fpga_units import short, unit_stats
    r = unit_stats(STAT_HIER, "ecp5")
    assert r["top.soc.core.spc"] == {"luts": 308, "ffs": 128, "brams": 0, "dsps": 0}
    assert r["top.soc.core"] == {"luts": 1000, "ffs": 500, "brams": 2, "dsps": 0}
    assert r["total"] == {"luts": 1316, "ffs": 628, "brams": 2, "dsps": 0}
    assert short("top.soc.core.spc") == "spc" and short("top.soc") == "soc"


def test_ram_words_interleave_little_endian():
    words = ram_words([(0x8000_0004, b"\x11\x22\x33\x44\x55")], 0x8000_0000, 16)
    assert words == [0, 0x44332211, 0x55, 0]


def test_critical_path_summary():
    log = ("Info: Critical path report for clock 'clk' (posedge -> posedge):\n"
           "Info:       type curr  total name\n"
           "Info:   clk-to-q  0.52  0.52 Source core.ex_pc_TRELLIS_FF_Q.Q\n"
           "Info:    routing  1.00  1.52 Net x\n"
           "Info:      setup  0.10  9.90 Sink core.pc_TRELLIS_FF_Q.DI\n"
           "Info: 4.2 ns logic, 5.7 ns routing\n")
    s = fpga.critical_path(log)
    assert "ex_pc" in s and "core.pc" in s and "4.2 ns logic" in s
    # the multiplier's packer suffix goes too (one pattern for every cell kind)
    assert fpga.short_name("Source soc.core.multiplier.prod_MULT18X18D_P9.P3") == \
        "Source soc.core.multiplier.prod.P3"


def test_missing_tool_is_one_line_error(monkeypatch, capsys):
    monkeypatch.setattr(shutil, "which", lambda *a, **k: None)
    assert cli.main(["fpga", "--synth-only"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("spcore: error: yosys not found") and "\n" not in err


def test_elf_needs_board(capsys):
    assert cli.main(["fpga", "--elf", "x.elf"]) == 2
    assert "--elf needs --board" in capsys.readouterr().err


def test_depth_is_for_one_target_build(capsys):
    for other in (["--units"], ["--cost-table"], ["--board", "ulx3s-85f"]):
        assert cli.main(["fpga", "--depth", *other]) == 2
        assert "--depth is for one --target build" in capsys.readouterr().err
    assert cli.main(["fpga", "--depth", "--target", "ice40-hx8k"]) == 2
    assert "ECP5 cell delays only" in capsys.readouterr().err


def test_speed_grade_reaches_nextpnr_and_only_for_one_ecp5_build(tmp_path, monkeypatch, capsys):
    for bad in (["--target", "ice40-hx8k"], ["--cost-table"], ["--units"], ["--synth-only"],
                ["--board", "ulx3s-85f"]):
        assert cli.main(["fpga", "--speed", "8", *bad]) == 2
        assert "--speed is for one ECP5 --target place-and-route" in capsys.readouterr().err
    pnr = tmp_path / "nextpnr"
    pnr.write_text('#!/bin/sh\necho "$@" > args\n'
                   'echo \'{"fmax": {"clk": {"achieved": 70.5}}}\' > report1.json\n')
    pnr.chmod(0o755)
    monkeypatch.setattr(fpga, "tool", lambda name: str(pnr))
    assert fpga.place_route("ecp5-25k", str(tmp_path), 1, speed=8)[0] == 70.5
    assert "--25k" in (tmp_path / "args").read_text().split()
    assert "--speed 8" in (tmp_path / "args").read_text()
    fpga.place_route("ecp5-25k", str(tmp_path), 1)
    assert "--speed" not in (tmp_path / "args").read_text()


@needs_yosys
def test_yosys_checks_reject_a_combinational_loop(tmp_path):
    """The lint part of the synthesis script must fail on a loop (so it can catch one)."""
    (tmp_path / "top.v").write_text(
        "module top(input a, output y); wire b; assign b = a ^ y; assign y = ~b; endmodule\n")
    (tmp_path / "synth.ys").write_text(fpga.yosys_script("ecp5", "top.v", None, "stat.txt"))
    with pytest.raises(SpcoreError, match="yosys failed"):
        fpga._yosys(fpga.tool("yosys"), str(tmp_path))


@needs_yosys
def test_yosys_checks_reject_a_latch(tmp_path):
    (tmp_path / "top.v").write_text(
        "module top(input en, input d, output reg q); always @* if (en) q = d; endmodule\n")
    (tmp_path / "synth.ys").write_text(fpga.yosys_script("ecp5", "top.v", None, "stat.txt"))
    with pytest.raises(SpcoreError, match="yosys failed"):
        fpga._yosys(fpga.tool("yosys"), str(tmp_path))


@needs_yosys
def test_yosys_checks_pass_a_clean_design(tmp_path):
    (tmp_path / "top.v").write_text(
        "module top(input clk, input d, output reg q); always @(posedge clk) q <= d; endmodule\n")
    (tmp_path / "synth.ys").write_text(fpga.yosys_script("ecp5", "top.v", None, "stat.txt"))
    fpga._yosys(fpga.tool("yosys"), str(tmp_path))
    assert fpga.parse_stat((tmp_path / "stat.txt").read_text(), "ecp5")["ffs"] == 1


def test_cost_table_deltas_and_verdicts():
    from spcore.hdl.fpga_cost import table_markdown
    row = lambda v, luts, fmax: {"target": "ecp5-25k", "xlen": 32, "variant": v, "luts": luts,
                                 "ffs": 1, "brams": 0, "dsps": 0, "fmax_mhz": fmax}
    md = table_markdown([row("base", 1000, 100.0), row("+spc", 1020, 98.0),
                         row("+jall", 1040, 96.0)], 3, "abc123")
    lines = {l.split("|")[3].strip(): l for l in md.splitlines() if l.startswith("| ecp5")}
    assert "+2.0" in lines["+spc"] and "-2.0" in lines["+spc"] and "LUT ok" in lines["+spc"]
    assert "+4.0" in lines["+jall"] and "LUT > 3%" in lines["+jall"]
    assert "Fmax loss > 3%" in lines["+jall"] and "Fmax ok" in lines["base"]
    assert "abc123" in md and "median of 3" in md


def test_cost_table_lut_verdict_needs_the_per_unit_delta_too():
    """A flattened delta can hide added logic (abc maps the datapath differently): the
    per-unit column is shown against the flattened base and must pass as well."""
    from spcore.hdl.fpga_cost import table_markdown
    row = lambda v, luts, unit: {"target": "ecp5-25k", "xlen": 32, "variant": v, "luts": luts,
                                 "unit_luts": unit, "ffs": 1, "brams": 0, "dsps": 0,
                                 "fmax_mhz": 50.0}
    md = table_markdown([row("base", 1000, 1500), row("+spc", 1010, 1550),
                         row("+jall", 1040, 1520)], 1, "c")
    lines = {l.split("|")[3].strip(): l for l in md.splitlines() if l.startswith("| ecp5")}
    assert "+50 (+5.0 %)" in lines["+spc"] and "LUT > 3%" in lines["+spc"]
    assert "+20 (+2.0 %)" in lines["+jall"] and "LUT > 3%" in lines["+jall"]
    md = table_markdown([row("base", 1000, 1500), row("+jall", 1020, 1510)], 1, "c")
    assert "+10 (+1.0 %)" in md and "LUT ok" in md


def test_cost_table_keeps_a_row_whose_per_unit_synthesis_failed(tmp_path, monkeypatch, capsys):
    from spcore.hdl.fpga_cost import cost_table
    monkeypatch.chdir(tmp_path)
    (tmp_path / "build" / "fpga").mkdir(parents=True)

    def measure(target, xlen, spc, jall, seeds):
        return {"target": target, "xlen": xlen, "luts": 1000 + 100 * spc + 10 * jall, "ffs": 1,
                "brams": 0, "dsps": 0, "fmax_mhz": 50.0}

    def unit_luts(target, xlen, spc, jall):
        if spc and not jall:
            raise SpcoreError("yosys failed")
        return 2000 + 20 * jall + 100 * spc
    cost_table(measure, 1, False, [("ecp5-25k", 32)], unit_luts=unit_luts)
    out = capsys.readouterr().out
    assert "ecp5-25k RV32 +spc: per-unit synthesis failed: yosys failed" in out
    rows = {l.split("|")[3].strip(): l for l in out.splitlines() if l.startswith("| ecp5")}
    assert "| 1100 | +10.0 | - |" in rows["+spc"] and "LUT > 3%" in rows["+spc"]
    assert "| 1010 | +1.0 | +20 (+2.0 %) |" in rows["+jall"] and "LUT ok" in rows["+jall"]


def test_synthesis_reruns_only_when_verilog_or_script_change(tmp_path, monkeypatch):
    """--cost-table and --units synthesize the same netlists: the second one reuses the
    first one's result, and any change of the Verilog (another variant) or of the script
    (the checks) runs yosys again."""
    yosys = tmp_path / "yosys"
    yosys.write_text("#!/bin/sh\necho run >> ../runs\nprintf '   7   SB_LUT4\\n' > stat.txt\n")
    yosys.chmod(0o755)
    monkeypatch.setattr(fpga, "tool", lambda name: str(yosys))
    d = tmp_path / "run"
    d.mkdir()

    def runs():
        return len((tmp_path / "runs").read_text().split())
    base, spc = (fpga.fpga_config("ice40-hx8k", 32, s, False) for s in (False, True))
    assert fpga.synthesize("ice40-hx8k", base, str(d), flatten=False)[0]["luts"] == 7
    fpga.synthesize("ice40-hx8k", base, str(d), flatten=False)
    assert runs() == 1
    fpga.synthesize("ice40-hx8k", spc, str(d), flatten=False)
    assert runs() == 2
    fpga.synthesize("ice40-hx8k", spc, str(d), checks=False, flatten=False)
    assert runs() == 3
    (d / "stat.txt").unlink()                   # an output gone: run again
    fpga.synthesize("ice40-hx8k", spc, str(d), checks=False, flatten=False)
    assert runs() == 4


def test_board_top_bakes_program_into_even_and_odd_banks():
    from amaranth.back import verilog

    from spcore.config import CoreConfig
    from spcore.hdl.boards import FpgaTop, make_soc
    words = [0x12345678, 0x0BADCAFE] + [0] * 1022
    text = verilog.convert(FpgaTop(make_soc(CoreConfig(rvfi=False, ram_size=4096), 12e6,
                                            115200, words)), name="top", emit_src=False)
    assert "input clk_in" in text and "output uart_tx" in text
    assert f"32'd{0x12345678}" in text and f"32'd{0x0BADCAFE}" in text


def test_cost_rows_parse_and_reject():
    from spcore.hdl.fpga_cost import ROWS, parse_rows
    assert parse_rows(None) == ROWS
    assert parse_rows("ecp5-25k:64, ice40-hx8k:32") == [("ecp5-25k", 64), ("ice40-hx8k", 32)]
    for bad in ("ecp5-25k", "ecp5-12k:32", "ecp5-25k:128"):
        with pytest.raises(SpcoreError, match="--rows"):
            parse_rows(bad)


def test_cost_table_doc_blocks_replace_only_their_row(tmp_path):
    from spcore.hdl.fpga_cost import write_doc
    doc = tmp_path / "FPGA.md"
    doc.write_text("# FPGA\n\nintro\n")
    row = lambda t, x, luts: {"target": t, "xlen": x, "variant": "base", "luts": luts, "ffs": 1,
                              "brams": 0, "dsps": 0, "fmax_mhz": 50.0}
    write_doc([row("ecp5-25k", 32, 111), row("ecp5-25k", 64, 222)], 1, "c1", str(doc))
    write_doc([row("ecp5-25k", 32, 333)], 1, "c2", str(doc))
    text = doc.read_text()
    assert text.startswith("# FPGA\n\nintro\n")
    assert "| 333 |" in text and "| 111 |" not in text and "| 222 |" in text
    assert text.count("<!-- cost-table ecp5-25k rv32 -->") == 1
    assert "c1" in text and "c2" in text           # each row keeps its own commit


def test_bench_section_reads_this_machines_table_else_the_docs_ones(tmp_path, monkeypatch,
                                                                     capsys):
    """A fresh clone has no build/fpga/cost-table.json: the bench shows the tables
    `--write-doc` committed (round trip through the doc block), else says it has none."""
    from spcore.hdl.fpga_cost import bench_section, write_doc
    monkeypatch.chdir(tmp_path)
    assert bench_section(None) == [{"name": "fpga-cost",
                                    "skipped": "not measured (spcore fpga --cost-table)"}]
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "FPGA.md").write_text("# FPGA\n")
    results = [{"target": "ecp5-25k", "xlen": 32, "variant": v, "luts": luts, "ffs": 9,
                "brams": 18, "dsps": 4, "fmax_mhz": fmax}
               for v, luts, fmax in (("base", 1000, 50.0), ("+spc", 1100, 49.5))]
    write_doc(results, 3, "abc1234", path=str(tmp_path / "docs" / "FPGA.md"))
    rows = bench_section(None)
    assert "Not measured on this machine" in capsys.readouterr().out
    assert [(r["variant"], r["luts"], r["fmax_mhz"], r["commit"], r["seeds"]) for r in rows] == \
        [("base", 1000, 50.0, "abc1234", 3), ("+spc", 1100, 49.5, "abc1234", 3)]
    assert "LUT > 3%" in rows[1]["goal"] and "Fmax < 100" in rows[0]["goal"]
    (tmp_path / "build" / "fpga").mkdir(parents=True)
    (tmp_path / "build" / "fpga" / "cost-table.json").write_text(json.dumps(
        {"commit": "def5678", "seeds": 1, "results": results[:1]}))
    assert [(r["luts"], r["commit"]) for r in bench_section(None)] == [(1000, "def5678")]


def test_cost_table_row_that_failed_says_why():
    from spcore.hdl.fpga_cost import table_markdown
    rows = [{"target": "ice40-hx8k", "xlen": 32, "variant": "base", "fmax_mhz": None,
             "error": "nextpnr failed: design does not fit the device"}]
    md = table_markdown(rows, 1, "abc")
    assert "| ice40-hx8k | 32 | base | - |" in md and "does not fit" in md


def test_critical_path_names_the_final_sink_without_cell_suffixes():
    log = ("Info: Critical path report for clock 'clk' (posedge -> posedge):\n"
           "Info:   clk-to-q  0.52  0.52 Source soc.core.mm.valid_TRELLIS_FF_Q.Q\n"
           "Info:    routing  1.00  1.52 Net x\n"
           "Info:                          Sink soc.core.a_LUT4_B_Z_CCU2C_S1.D\n"
           "Info:      logic  0.24  1.76 Source soc.core.a_LUT4_B_Z_CCU2C_S1.F\n"
           "Info:                          Sink soc.core.d.exc_TRELLIS_FF_Q.CE\n"
           "Info: 0.8 ns logic, 1.0 ns routing\n"
           "Info: Critical path report for cross-domain path\n"
           "Info:                          Sink uart_tx$tr_io.I\n")
    assert fpga.critical_path(log) == ("Source soc.core.mm.valid.Q / Sink soc.core.d.exc.CE / "
                                       "0.8 ns logic, 1.0 ns routing")


# ---------------------------------------------------------------- board tops (amaranth-boards)

needs_boards = pytest.mark.skipif(
    __import__("importlib").util.find_spec("amaranth_boards") is None,
    reason="amaranth-boards not installed (pip install '.[fpga]')")

# Board facts from the boards' schematics, not from amaranth-boards:
# (constraint file, clock pin, clock Hz, FTDI-facing TX pin)
BOARD_PINS = {
    "hx8k-breakout": ("top.pcf", "J3", 12e6, "B12"),
    "icebreaker": ("top.pcf", "35", 12e6, "9"),
    "ulx3s-85f": ("top.lpf", "G2", 25e6, "L4"),
}


def _pins_and_clocks(cons, board):
    """({port: pin}, {port: Hz}) of a PCF (`set_io`, `set_frequency` in MHz) or an LPF
    (`LOCATE COMP`, `FREQUENCY PORT` in Hz)."""
    import re
    if BOARD_PINS[board][0].endswith(".pcf"):                              # iCE40
        pins = dict(re.findall(r"^set_io (\S+) (\S+)$", cons, re.M))
        mhz = re.findall(r"^set_frequency (\S+) ([\d.]+)$", cons, re.M)
        return pins, {p: float(f) * 1e6 for p, f in mhz}
    pins = dict(re.findall(r'^LOCATE COMP "(\S+)" SITE "(\S+)";', cons, re.M))
    hz = re.findall(r'^FREQUENCY PORT "(\S+)" ([\d.]+) HZ;', cons, re.M)
    return pins, {p: float(f) for p, f in hz}


@needs_boards
@pytest.mark.parametrize("board", sorted(BOARD_PINS))
def test_board_top_elaborates_on_the_amaranth_boards_platform(board):
    from spcore.config import CoreConfig
    from spcore.hdl.boards import board_plan, board_top
    cons_name, clk_pin, clk_hz, tx_pin = BOARD_PINS[board]
    cfg = CoreConfig(rvfi=False, ram_size=4096)          # small RAM: elaboration only
    words = [0x1234_5678, 0x0BAD_CAFE] + [0] * 1022
    platform, top = board_top(BOARDS[board], cfg, words)
    assert top.soc.uart_divisor == round(clk_hz / 115200)    # the SoC runs on the board clock
    plan = board_plan(platform, top, **fpga.BOARD_OVERRIDES)
    pins, clocks = _pins_and_clocks(plan.files[cons_name], board)
    assert clocks == {p: clk_hz for p, pin in pins.items() if pin == clk_pin}
    assert len(clocks) == 1
    assert [p for p, pin in pins.items() if pin == tx_pin] == ["uart_0__tx__io"]
    assert len(pins) == 2                                    # clock and TX, nothing else
    il = plan.files["top.il"]
    for w in words[:2]:
        assert format(w, "032b") in il                       # program baked into the RAM
    plain = board_plan(*board_top(BOARDS[board], cfg)).files["top.il"]
    assert format(words[0], "032b") not in plain


@needs_boards
def test_board_overrides_reach_amaranth_build_script():
    """Amaranth ignores unknown override names: the stat file and nextpnr report the
    board build reads must really be requested by the generated scripts."""
    from spcore.config import CoreConfig
    from spcore.hdl.boards import board_plan, board_top
    for board in ("icebreaker", "ulx3s-85f"):
        plan = board_plan(*board_top(BOARDS[board], CoreConfig(rvfi=False, ram_size=4096)),
                          **fpga.BOARD_OVERRIDES)
        assert "tee -q -o stat.txt stat" in plan.files["top.ys"]
        assert "-abc9" in plan.files["top.ys"]
        assert "read_verilog -sv top_rtlil.v" in plan.files["top.ys"]   # as the cost flow
        script = plan.files["build_top.sh"]
        assert "--report report1.json" in script and "--timing-allow-fail" in script
        assert "--log top.tim" in script                 # critical_path() reads this log


def test_board_build_without_amaranth_boards_is_one_line(monkeypatch, capsys):
    import sys
    monkeypatch.setitem(sys.modules, "amaranth_boards.icebreaker", None)   # import fails
    monkeypatch.setattr(fpga, "tool", lambda name: "yosys")
    assert cli.main(["fpga", "--board", "icebreaker"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("spcore: error: amaranth-boards not usable") and "\n" not in err


def test_board_build_that_does_not_fit_is_one_line(tmp_path, monkeypatch):
    (tmp_path / "build_top.sh").write_text("echo 'ERROR: Unable to place cell x' >&2; exit 1\n")
    (tmp_path / "top.tim").write_text("Info: Device utilisation:\n"
                                      "Info: \t ICESTORM_LC:   15577/   5280   295%\n"
                                      "Info: \t ICESTORM_RAM:     16/     30    53%\n")
    monkeypatch.setattr(fpga, "tool", lambda name: "true")
    with pytest.raises(SpcoreError) as e:
        fpga._run_board_script("ice40", str(tmp_path))
    msg = str(e.value)
    assert "does not fit" in msg and "ICESTORM_LC 15577/5280" in msg
    assert "ICESTORM_RAM" not in msg and "\n" not in msg


def _hello_elf(tmp_path):
    from asmutil import build_asm
    return build_asm(r"""
    la a0, msg
    li a1, 0x10000000
1:  lbu t0, 0(a0)
    beqz t0, 3f
2:  lw t1, 4(a1)                  # console +4: 1 when the UART can take a byte
    beqz t1, 2b
    sb t0, 0(a1)
    addi a0, a0, 1
    j 1b
3:  PASS
.section .rodata
msg: .asciz "hello from spcore\r\n"
""", 32, tmp_path, "hello")


@pytest.mark.slow
@needs_yosys
@needs_boards
@needs_gcc
def test_ulx3s_85f_bitstream(tmp_path):
    """Full board build (~5 min on 2 cores): amaranth-boards platform, YoWASP tools."""
    elf = _hello_elf(tmp_path)
    r = fpga.build_board("ulx3s-85f", str(elf), 32, True, True)
    assert r["fmax_mhz"] >= 25.0 and r["luts"] > 1000 and r["brams"] > 0
    data = open(r["bitstream"], "rb").read()
    assert b"\xff\xff\xbd\xb3" in data[:2048]               # ECP5 preamble
    assert bytes.fromhex("41113043") in data[:2048]          # LFE5U-85F IDCODE
    assert r["flash"] == f"openFPGALoader --board ulx3s {r['bitstream']}"


@pytest.mark.slow
@needs_yosys
@needs_boards
@needs_gcc
def test_hx8k_breakout_bitstream(tmp_path):
    """Full iCE40 board build (~5 min): the iCE40 core (iterative multiplier, no PMP)
    fits the HX8K and meets the board's 12 MHz clock."""
    elf = _hello_elf(tmp_path)
    r = fpga.build_board("hx8k-breakout", str(elf), 32, True, True)
    assert r["fmax_mhz"] >= 12.0 and r["luts"] > 1000 and r["brams"] > 0 and r["dsps"] == 0
    data = open(r["bitstream"], "rb").read()
    assert bytes.fromhex("7eaa997e") in data[:64]            # iCE40 sync word
    assert r["flash"] == f"iceprog {r['bitstream']}"


@pytest.mark.slow
@needs_yosys
@needs_boards
@needs_gcc
def test_icebreaker_build_reports_the_overfull_device(tmp_path):
    """Even the iCE40 core needs more than the UP5K's 5280 logic cells: the build must
    stop with the one-line "does not fit" error naming the cell count, not a traceback."""
    elf = _hello_elf(tmp_path)
    with pytest.raises(SpcoreError, match=r"does not fit the device: ICESTORM_LC \d+/5280"):
        fpga.build_board("icebreaker", str(elf), 32, True, True)


def _uart_bytes(samples, divisor):
    """Decode 8N1 frames from one TX sample per clock (start bit = a 1 -> 0 edge)."""
    out, i = [], 1
    while i < len(samples) - 10 * divisor:
        if samples[i - 1] == 1 and samples[i] == 0:
            mid = [samples[i + k * divisor + divisor // 2] for k in range(10)]
            assert mid[0] == 0 and mid[9] == 1, f"bad frame at clock {i}: {mid}"
            out.append(sum(b << n for n, b in enumerate(mid[1:9])))
            i += 10 * divisor
        else:
            i += 1
    return bytes(out)


@needs_gcc
def test_baked_program_prints_on_the_uart_pin(tmp_path):
    """The board SoC (program in the RAM's initial contents, no loader) sends the program's
    console output as 8N1 frames on uart_tx; a small divisor keeps the simulation short."""
    from amaranth.sim import Simulator

    from spcore import platform as P
    from spcore.config import CoreConfig
    from spcore.elf import load_elf
    from spcore.hdl.boards import make_soc
    ram = 4096
    prog = load_elf(str(_hello_elf(tmp_path)), xlen=32, ram_base=P.RAM_BASE, ram_size=ram)
    soc = make_soc(CoreConfig(rvfi=False, ram_size=ram), 8 * 115200, 115200,
                   ram_words(prog.segments, P.RAM_BASE, ram))
    assert soc.uart_divisor == 8
    samples = []

    async def bench(ctx):
        for _ in range(19 * 80 + 600):
            await ctx.tick()
            samples.append(ctx.get(soc.uart_tx))

    sim = Simulator(soc)
    sim.add_clock(1e-6)
    sim.add_testbench(bench)
    sim.run()
    assert _uart_bytes(samples, 8) == b"hello from spcore\r\n"

