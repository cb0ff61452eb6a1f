"""`spcore fpga --depth`: the deepest register-to-register paths of the synthesized ECP5
netlist, in seconds instead of a place-and-route.

Arrival times are estimates from fixed per-cell delays that include a typical net
(numbers near nextpnr's ECP5 reports for this design: a LUT plus its net ~1 ns, a block
RAM's clock-to-out without output register 5.8 ns plus its net). Real routing to far
block RAMs is longer, so read the result as "which paths are deep and what they go
through", and confirm a change with `spcore fpga` (nextpnr). It finds what synthesis did
that the HDL does not show: e.g. abc merging a mux of pc + 2/4/6 with an adder of pc +
length elsewhere, which put a carry chain into the fetch loop (hdl/units/fetch.py).
"""
import collections
import functools
import json
import re
import sys

from spcore.errors import SpcoreError

from .fpga import SYNTH_SUFFIX

# ECP5 cells: output ports, and delay (ns) from an input to an output, net included
OUTPUTS = {"LUT4": ("Z",), "PFUMX": ("Z",), "L6MUX21": ("Z",), "CCU2C": ("S0", "S1", "COUT"),
           "TRELLIS_FF": ("Q",),
           "DP16KD": tuple(f"DO{p}{i}" for p in "AB" for i in range(18)),
           "MULT18X18D": tuple(f"P{i}" for i in range(36))}
COMBINATIONAL = {"LUT4": 1.0, "PFUMX": 0.3, "L6MUX21": 0.3, "MULT18X18D": 4.5}
CARRY_IN_OUT = 0.9          # into a CCU2C's LUT and out of its sum, net included
CARRY_STEP = 0.07           # carry to carry inside a chain
LAUNCH = {"TRELLIS_FF": 1.5, "DP16KD": 7.8}      # clock-to-out plus net
CLOCKS = {"CLK", "CLKA", "CLKB", "CLKI"}


class Netlist:
    def __init__(self, module):
        self.cells = module["cells"]
        self.names = {}
        for name, net in module["netnames"].items():
            for bit in net["bits"]:
                if isinstance(bit, int) and len(name) < len(self.names.get(bit, name + "x")):
                    self.names[bit] = name
        self.driver = {}
        for cname, cell in self.cells.items():
            for port in OUTPUTS.get(cell["type"], ()):
                for bit in cell["connections"].get(port, ()):
                    if isinstance(bit, int):
                        self.driver[bit] = (cname, port)

    def inputs(self, cname):
        cell = self.cells[cname]
        outs = OUTPUTS[cell["type"]]
        return [b for port, bits in cell["connections"].items() if port not in outs
                and port not in CLOCKS for b in bits if isinstance(b, int)]

    @functools.cache
    def arrival(self, bit):
        """(estimated ns, the input bit the worst path came through, or None at a launch)."""
        if bit not in self.driver:
            return 0.0, None                     # a constant or a top-level input
        cname, port = self.driver[bit]
        kind = self.cells[cname]["type"]
        if kind in LAUNCH:
            return LAUNCH[kind], None
        delay = COMBINATIONAL.get(kind)
        if kind == "CCU2C":
            delay = CARRY_STEP if port == "COUT" else CARRY_IN_OUT
        worst, via = 0.0, None
        for b in self.inputs(cname):
            t = self.arrival(b)[0]
            if t > worst:
                worst, via = t, b
        return worst + delay, via

    def path(self, bit):
        """From the launching cell to `bit`: (cell type, net or cell name) per hop."""
        hops = []
        while bit is not None:
            cname, _ = self.driver.get(bit, ("?", None))
            kind = self.cells.get(cname, {}).get("type", "?")
            hops.append((kind, cname if kind in LAUNCH else self.names.get(bit, "?")))
            if kind in LAUNCH:
                break
            bit = self.arrival(bit)[1]
        return hops[::-1]


def _unit(name):
    """A cell name without the suffixes synthesis adds and a block RAM's tile index: the
    register or memory it belongs to."""
    return re.sub(r"\.\d+\.\d+$", "", SYNTH_SUFFIX.sub("", name))


def deepest(netlist_json, count=10):
    """The `count` deepest endpoint groups (a register or memory and its input port
    name): [(ns, endpoint, [hop, ...])]; and the number of endpoints per 2-ns bin."""
    with open(netlist_json) as f:
        design = json.load(f)
    top = next((m for m in design["modules"].values()
                if m.get("attributes", {}).get("top")), design["modules"].get("top"))
    if top is None:
        raise SpcoreError(f"{netlist_json}: no top module")
    sys.setrecursionlimit(max(sys.getrecursionlimit(), 200000))   # long carry chains
    net = Netlist(top)
    ends = []
    for cname, cell in net.cells.items():
        if cell["type"] not in LAUNCH and cell["type"] != "MULT18X18D":
            continue
        for port, bits in cell["connections"].items():
            if port in OUTPUTS[cell["type"]] or port in CLOCKS:
                continue
            for bit in bits:
                if isinstance(bit, int):
                    ends.append((net.arrival(bit)[0], cname, port, bit))
    if not ends:
        raise SpcoreError(f"{netlist_json}: no ECP5 registers or block RAMs (ECP5 netlists only)")
    ends.sort(key=lambda e: -e[0])
    worst, seen = [], set()
    for t, cname, port, bit in ends:
        group = f"{_unit(cname)}.{port.rstrip('0123456789')}"
        if group in seen:
            continue
        seen.add(group)
        worst.append((round(t, 1), group, net.path(bit)))
        if len(worst) == count:
            break
    bins = collections.Counter(int(t // 2) * 2 for t, *_ in ends)
    return worst, dict(sorted(bins.items(), reverse=True))


def describe(hops):
    """'DP16KD soc.ram1.0.0 -> 3 LUT4 -> carry x8 -> 2 LUT4 (soc.core.fetch.nxt)': runs of
    one cell kind counted, and the RTL names that survived synthesis on the way."""
    parts = [f"{hops[0][0]} {hops[0][1]}"]
    for kind, name in hops[1:]:
        kind = "carry" if kind == "CCU2C" else kind
        named = "" if name == "?" or "$" in name or SYNTH_SUFFIX.search(name) else name
        last = parts[-1]
        m = re.match(r"(\d+) (\S+)$", last)
        if m and m.group(2) == kind and not named:
            parts[-1] = f"{int(m.group(1)) + 1} {kind}"
        else:
            parts.append(f"1 {kind}" + (f" ({named})" if named else ""))
    return " -> ".join(parts)


def report(netlist_json, count=10):
    worst, bins = deepest(netlist_json, count)
    lines = [f"deepest paths (estimated; confirm with place-and-route), {netlist_json}:"]
    for t, group, hops in worst:
        lines.append(f"  {t:5.1f} ns  {group}: {describe(hops)}")
    lines.append("endpoints per estimated arrival: " +
                 ", ".join(f"{b}-{b + 2} ns: {n}" for b, n in bins.items()))
    return "\n".join(lines)
