"""The SystemVerilog wrapper around the generated SoC (one per XLEN, from a template).

Why it exists: Python must not await every clock edge (TOOLCHAIN.md: that caps the speed
at ~40k cycles/s). The wrapper does all per-cycle work inside the simulator:
- program load: reads `ADDR DATA` hex pairs (32-bit words, byte addresses) from the
  file named by +image=FILE with $fscanf, one per cycle through the SoC's load port,
  with the core in reset; then releases reset. One build serves every program.
- writes one event to +trace=FILE per retirement (`R ...`, layout below),
  `C <byte>` per console byte, `X <code>` when the sim-exit register is written,
  `T <value>` for a nonzero store to +tohost=ADDR, and finally
  `E <why> <cycles> <perf counters>` (why: 0 program end, 1 cycle budget, 2 insn budget);
- every +batch=N retirements (and at the end, and every 64k cycles) it flushes the file
  and pulses `batch`: the cocotb test wakes up on that edge, reads the whole file, and the
  wrapper truncates it on the next cycle, so the file stays small however long the run.

`R` line (Icarus): `R <compared> <extra>`, two hex numbers, each the concatenation of
its fields (COMPARED, then EXTRA below), every field zero-extended to whole hex digits:
so each field has fixed digits at a fixed place (`layout()`); one `%h` per part.

Verilator writes the same events in binary instead (dpi=True), through a small C file
(trace_c_text, called through DPI-C; records.py reads both forms): one record of
len(COMPARED) + len(EXTRA) 64-bit words per event, the other events with EVENT in the
intr place. Measured on the RV64 workload (docs/TESTING.md, Speed): Verilator's $fwrite
ran each line through its general formatter, std::string and malloc (~15-20 % of the
simulator's time), and the checker formatted the model's record as text to compare it
(~1 us per record); the C writer copies the words, the checker compares tuples of
integers. Icarus has no DPI-C: it keeps the text lines.

The clock is made inside the wrapper (`always #5`; Verilator builds with --timing), not
by cocotb: a clock driven through VPI costs callbacks and value puts at every edge (~10 %
of the simulator's time).

The program ends on the RVFI record of the exit store: for tohost that record itself;
for the sim-exit register the first store record to that address at or after
`sim_exit_valid` (the device sees the store in the cycle it retires).
"""
from spcore.hdl.core import PERF
from spcore.hdl.layouts import pipeview_fields
from spcore.hdl.units.rvfi import rvfi_fields
from spcore.platform import SIM_EXIT

EVENT = 0xEE                           # records.EVENT: in the intr place, not a retirement

COMPARED = ("intr", "trap", "mode", "pc_rdata", "insn", "rd_addr", "rd_wdata", "pc_wdata",
            "mem_addr", "mem_rmask", "mem_wmask", "mem_rdata", "mem_wdata")
EXTRA = ("ext_mip", "ext_mcycle", "rs1_addr", "rs2_addr", "rs1_rdata", "rs2_rdata")
OTHER = ("order", "halt", "ixl")           # wired, not printed


def digits(bits: int) -> int:
    return (bits + 3) // 4


def layout(xlen: int) -> dict:
    """field -> (start, end) of its digits in an `R` line."""
    widths, at, where = rvfi_fields(xlen), 2, {}
    for part in (COMPARED, EXTRA):
        for f in part:
            where[f] = (at, at + digits(widths[f]))
            at += digits(widths[f])
        at += 1                             # the space after the part
    return where


def packed(fields, widths) -> str:
    """Verilog concatenation of rvfi_<field>s, each zero-extended to whole hex digits."""
    parts = []
    for f in fields:
        pad = 4 * digits(widths[f]) - widths[f]
        parts.append(f"{{{pad}'d0, rvfi_{f}}}" if pad else f"rvfi_{f}")
    return "{" + ", ".join(parts) + "}"


class _Sink:
    """The Verilog statements that write the trace file: $fwrite (Icarus) or calls of the
    C writer (Verilator, trace_c_text)."""

    def __init__(self, xlen: int, dpi: bool):
        widths = rvfi_fields(xlen)
        self.dpi = dpi
        if dpi:
            args = ", ".join(f"64'(rvfi_{f})" for f in COMPARED + EXTRA)
            self.path_decl = "string tpath;"
            self.open = "spcore_trace_open(tpath);"
            self.reopen = "spcore_trace_reopen();"
            self.flush = "spcore_trace_flush();"
            # Verilator opens a wave file only after Verilated::traceEverOn(true), which
            # cocotb's main calls only in builds it made with waves itself
            self.waves_on = "spcore_waves_on(); "
            self.retire = f"spcore_trace_retire({args});"
            self.imports = _dpi_imports()
        else:
            self.path_decl = "reg [8*1024-1:0] tpath;"
            self.open = 'fd = $fopen(tpath, "w");'
            self.reopen = '$fclose(fd); fd = $fopen(tpath, "w");'
            self.flush = "$fflush(fd);"
            self.waves_on = ""
            self.retire = (f'$fwrite(fd, "R %h %h\\n", {packed(COMPARED, widths)}, '
                           f'{packed(EXTRA, widths)});')
            self.imports = ""

    def line(self, kind: str, value: str) -> str:
        """A `K <hex>` line."""
        if self.dpi:
            return f"spcore_trace_line(8'd{ord(kind)}, 64'({value}));"
        return f'$fwrite(fd, "{kind} %h\\n", {value});'

    def end(self, why: str) -> str:
        if self.dpi:
            perf = ", ".join(f"64'(perf_{p})" for p in PERF)
            return f"spcore_trace_end(64'({why}), cycles, {perf});"
        perf_fmt = " ".join("%h" for _ in PERF)
        perf_args = ", ".join(f"perf_{p}" for p in PERF)
        return f'$fwrite(fd, "E %0d %h {perf_fmt}\\n", {why}, cycles, {perf_args});'


def _dpi_imports() -> str:
    n = len(COMPARED + EXTRA)
    fields = ", ".join(f"input longint unsigned f{i}" for i in range(n))
    perf = ", ".join(f"input longint unsigned p{i}" for i in range(len(PERF)))
    return f"""
  import "DPI-C" function void spcore_trace_open(input string path);
  import "DPI-C" function void spcore_trace_reopen();
  import "DPI-C" function void spcore_trace_flush();
  import "DPI-C" function void spcore_waves_on();
  import "DPI-C" function void spcore_trace_line(input byte kind, input longint unsigned value);
  import "DPI-C" function void spcore_trace_retire({fields});
  import "DPI-C" function void spcore_trace_end(input longint unsigned why,
    input longint unsigned cycles, {perf});"""


def trace_c_text(xlen: int) -> str:
    """The C writer of the binary trace for the Verilator build (see the docstring and
    records.py): per event len(COMPARED) + len(EXTRA) 64-bit words."""
    n = len(COMPARED + EXTRA)
    params = ", ".join(f"unsigned long long f{i}" for i in range(n))
    fields = ", ".join(f"f{i}" for i in range(n))
    perf = ", ".join(f"unsigned long long p{i}" for i in range(len(PERF)))
    perf_args = ", ".join(f"p{i}" for i in range(len(PERF)))
    return f"""// generated by spcore.sim.bench.tbgen: the trace writer of the Verilator build
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "verilated.h"

static FILE *trace;
static std::string trace_path;
static const uint64_t EVENT = {EVENT:#x};       // records.EVENT, in the intr place

static void open_trace() {{
    trace = fopen(trace_path.c_str(), "wb");
    if (!trace) {{
        fprintf(stderr, "spcore_tb: cannot open %s\\n", trace_path.c_str());
        exit(1);
    }}
    setvbuf(trace, nullptr, _IOFBF, 1 << 20);
}}

static void put(const uint64_t (&words)[{n}]) {{ fwrite(words, sizeof words, 1, trace); }}

extern "C" void spcore_trace_open(const char *path) {{
    trace_path = path;
    open_trace();
}}

extern "C" void spcore_trace_reopen() {{
    fclose(trace);
    open_trace();
}}

extern "C" void spcore_trace_flush() {{ fflush(trace); }}

extern "C" void spcore_waves_on() {{ Verilated::traceEverOn(true); }}

extern "C" void spcore_trace_line(char kind, unsigned long long value) {{
    const uint64_t words[{n}] = {{EVENT, (uint64_t)(unsigned char)kind, value}};
    put(words);
}}

extern "C" void spcore_trace_retire({params}) {{
    const uint64_t words[{n}] = {{{fields}}};
    put(words);
}}

extern "C" void spcore_trace_end(unsigned long long why, unsigned long long cycles, {perf}) {{
    const uint64_t words[{n}] = {{EVENT, 'E', why, cycles, {perf_args}}};
    put(words);
    fflush(trace);
}}
"""


def wrapper_text(xlen: int, dpi: bool = False) -> str:
    """The wrapper; dpi: write the trace through the C writer (Verilator)."""
    widths = rvfi_fields(xlen)
    ports = ("valid",) + COMPARED + EXTRA + OTHER
    wires = "\n".join(f"  wire [{widths[f] - 1}:0] rvfi_{f};" for f in ports)
    conns = ",\n".join(f"    .rvfi_{f}(rvfi_{f})" for f in ports)
    perf_wires = "\n".join(f"  wire [31:0] perf_{p};" for p in PERF)
    perf_conns = ",\n".join(f"    .perf_{p}(perf_{p})" for p in PERF)
    out = _Sink(xlen, dpi)
    x = xlen - 1
    pv_wires, pv_conns, pv_block = pipeview_parts(xlen)
    return f"""// generated by spcore.sim.bench.tbgen: co-simulation wrapper (see its docstring)
`timescale 1ns/1ps
module spcore_tb(output reg batch);
  // the clock: 10 ns period, made here (see tbgen's docstring)
  reg clk = 1'b0;
  always #5 clk = ~clk;
  reg rst = 1'b1;
  reg load_en = 1'b0;
  reg [31:0] load_addr = 0, load_data = 0;
  wire sim_exit_valid; wire [31:0] sim_exit_code;
  wire console_valid; wire [7:0] console_data;
{wires}
{perf_wires}
{pv_wires}
  spcore_soc soc (
    .clk(clk), .rst(rst), .load_en(load_en), .load_addr(load_addr), .load_data(load_data),
    .sim_exit_valid(sim_exit_valid), .sim_exit_code(sim_exit_code),
    .console_valid(console_valid), .console_data(console_data),
{perf_conns},
{pv_conns},
{conns}
  );
{out.imports}
  reg [8*1024-1:0] ipath, wpath;
  {out.path_decl}
  reg [63:0] tohost, max_cycles, max_insns, cycles, insns;
  reg [31:0] a, d;
  integer ifd, fd, got, batch_size, in_batch;
  reg loading, done, reopen, exit_seen;
  // Icarus may run a clock edge at time 0 before this initial block: the edge must
  // not see `loading` unset (it would release reset with no program)
  reg started = 1'b0;
  initial begin
    batch = 1'b0; loading = 1'b1; done = 1'b0; reopen = 1'b0; exit_seen = 1'b0;
    cycles = 0; insns = 0; in_batch = 0;
    if (!$value$plusargs("image=%s", ipath)) $fatal(1, "spcore_tb: +image=FILE missing");
    if (!$value$plusargs("trace=%s", tpath)) $fatal(1, "spcore_tb: +trace=FILE missing");
    if (!$value$plusargs("tohost=%h", tohost)) tohost = 64'hffffffffffffffff;
    if (!$value$plusargs("max_cycles=%d", max_cycles)) max_cycles = 64'd1000000;
    if (!$value$plusargs("max_insns=%d", max_insns)) max_insns = 64'hffffffffffffffff;
    if (!$value$plusargs("batch=%d", batch_size)) batch_size = 4096;
    ifd = $fopen(ipath, "r");
    if (ifd == 0) $fatal(1, "spcore_tb: cannot open the image");
    {out.open}
    if ($value$plusargs("waves=%s", wpath)) begin
      {out.waves_on}$dumpfile(wpath); $dumpvars(0, spcore_tb);
    end
    started = 1'b1;
  end

  task finish_run(input integer why);
    begin
      {out.end("why")}
      {out.flush} done <= 1'b1; batch <= 1'b1;
    end
  endtask

  always @(posedge clk) if (started) begin
    batch <= 1'b0;
    if (reopen) begin                       // the test has read the file: start it again
      {out.reopen} reopen <= 1'b0;
    end
    if (loading) begin                      // program load, core in reset
      got = $fscanf(ifd, "%h %h\\n", a, d);
      if (got == 2) begin
        load_en <= 1'b1; load_addr <= a; load_data <= d;
      end else begin
        load_en <= 1'b0; loading <= 1'b0; $fclose(ifd);
      end
    end else if (rst) begin
      rst <= 1'b0;
    end else if (!done) begin
      cycles <= cycles + 1;
      if (console_valid) {out.line("C", "console_data")}
      if (sim_exit_valid && !exit_seen) begin
        {out.line("X", "sim_exit_code")} exit_seen <= 1'b1;
      end
      if (rvfi_valid) begin
        {out.retire}
        insns <= insns + 1;
        in_batch = in_batch + 1;
      end
      if (rvfi_valid && !rvfi_trap && rvfi_mem_wmask != 0 && {{32'd0, rvfi_mem_addr}} >= tohost
          && {{32'd0, rvfi_mem_addr}} < tohost + 8 && rvfi_mem_wdata != 0) begin
        {out.line("T", "rvfi_mem_wdata")} finish_run(0);
      end else if (rvfi_valid && !rvfi_trap && rvfi_mem_wmask != 0 && (exit_seen || sim_exit_valid)
                   && rvfi_mem_addr == {x + 1}'h{SIM_EXIT:x}) begin
        finish_run(0);
      end else if (cycles + 1 >= max_cycles) begin
        finish_run(1);
      end else if (insns + (rvfi_valid ? 1 : 0) >= max_insns) begin
        finish_run(2);
      end else if (in_batch >= batch_size || cycles[15:0] == 16'hffff) begin
        {out.flush} batch <= 1'b1; reopen <= 1'b1; in_batch = 0;
      end
    end
  end
{pv_block}
endmodule
"""


def pipeview_parts(xlen):
    """`--pipeview`: the SoC's pv_* debug port and, only when the run gives
    +pipeview=FILE, one `P <cycle> <pv fields in pipeview_fields order>` line per
    cycle (sim/bench/pipeview.py turns it into a Kanata log). Runs without the plusarg
    only test a flag per cycle."""
    widths = pipeview_fields(xlen)
    wires = "\n".join(f"  wire [{w - 1}:0] pv_{k};" for k, w in widths.items())
    conns = ",\n".join(f"    .pv_{k}(pv_{k})" for k in widths)
    fmt = "P %h " + " ".join("%h" for _ in widths)
    args = ", ".join(f"pv_{k}" for k in widths)
    block = f"""
  // --pipeview: per-cycle stage occupancy (see tbgen.pipeview_parts)
  reg [8*1024-1:0] pv_path;
  integer pv_fd = 0;
  initial if ($value$plusargs("pipeview=%s", pv_path)) begin
    pv_fd = $fopen(pv_path, "w");
    if (pv_fd == 0) $fatal(1, "spcore_tb: cannot open the +pipeview file");
  end
  always @(posedge clk)
    if (pv_fd != 0 && !loading && !rst && !done) $fwrite(pv_fd, "{fmt}\\n", cycles, {args});
  final if (pv_fd != 0) $fclose(pv_fd);"""
    return wires, conns, block
