"""PNG plots of `spcore bench` (matplotlib, the `plots` extra). Without matplotlib the
report says so and the plots are skipped."""
from .bench_report import MECHANISMS, Rows
from .bench_tracing import SCHEMES


def _bars(ax, groups, series, values, ylabel):
    width = 0.8 / max(1, len(series))
    for i, s in enumerate(series):
        xs = [g + i * width for g in range(len(groups))]
        ax.bar(xs, [values.get((s, g)) or 0 for g in groups], width, label=s)
    ax.set_xticks([g + width * (len(series) - 1) / 2 for g in range(len(groups))])
    ax.set_xticklabels(groups, rotation=30, ha="right")
    ax.set_ylabel(ylabel)
    ax.legend()


def write_plots(report, out):
    """-> list of written files, or a string saying why none were."""
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return "matplotlib is not installed (pip install -e '.[plots]'): no plots"
    rows = Rows(report["rows"])
    unit = "cycles per hit" if report["meta"]["engine"] == "rtl" else "instructions per hit (model)"
    series = [f"RV{x}" for x in rows.xlens]
    files = []
    if not any(r.get("section") in ("tracing", "text") for r in report["rows"]):
        # no tracing rows (e.g. `--section FPGA`), so only the CPI plot can have data
        return files + _cpi_plot(report, out, plt)

    fig, ax = plt.subplots(figsize=(9, 4.5))
    vals = {(f"RV{x}", n): rows.cost(n, x) for x in rows.xlens for n in MECHANISMS}
    _bars(ax, list(MECHANISMS), series, vals, unit)
    ax.set_title("Cost per hit of each probe mechanism (empty handler; 0 = missing)")
    fig.tight_layout()
    files.append(out / "cycles_per_hit.png")
    fig.savefig(files[-1])
    plt.close(fig)

    fig, axes = plt.subplots(1, max(1, len(rows.xlens)), figsize=(11, 4.5), squeeze=False)
    for ax, x in zip(axes[0], rows.xlens):
        vals = {(k, s): rows.cost(f"f-{s}-{k}", x) for s in SCHEMES
                for k in ("disabled", "empty", "counting")}
        _bars(ax, list(SCHEMES), ["disabled", "empty", "counting"], vals, unit)
        ax.set_title(f"ftrace per call, RV{x}")
    fig.tight_layout()
    files.append(out / "ftrace.png")
    fig.savefig(files[-1])
    plt.close(fig)

    fig, (a1, a2) = plt.subplots(1, 2, figsize=(11, 4.5))
    vals = {}
    for s in SCHEMES:
        for x in rows.xlens:
            r = rows.get(f"f-{s}-empty", x, "tracing")
            if r and r["status"] == "ok":
                vals[("site bytes", s)] = r.get("site")
                vals[("bytes changed per enable", s)] = r.get("bytes")
    _bars(a1, list(SCHEMES), ["site bytes", "bytes changed per enable"], vals, "bytes")
    a1.set_title("ftrace site size")
    vals = {}
    for x in rows.xlens:
        for s in SCHEMES:
            r = rows.get(f"text-{s}", x, "text")
            if r and r["status"] == "ok":
                vals[(f"RV{x}", s)] = r.get("delta_bytes")
    _bars(a2, list(SCHEMES), series, vals, "text bytes added vs no ftrace")
    a2.set_title("firmware text cost per scheme")
    fig.tight_layout()
    files.append(out / "bytes.png")
    fig.savefig(files[-1])
    plt.close(fig)

    return files + _cpi_plot(report, out, plt)


def _cpi_plot(report, out, plt):
    cpi = [r for r in report["rows"] if r.get("section") == "cpi" and r.get("status") == "ok"]
    files = []
    if cpi:
        fig, ax = plt.subplots(figsize=(6, 4.5))
        keys = []
        for r in cpi:
            keys += [k for k in r["stalls"] if k not in keys]
        bottom = [0.0] * len(cpi)
        labels = [f"RV{r['xlen']}" for r in cpi]
        base = [1.0] * len(cpi)
        ax.bar(labels, base, label="1 per instruction")
        bottom = base[:]
        for k in keys:
            h = [r["stalls"].get(k, 0) / r["instret"] for r in cpi]
            ax.bar(labels, h, bottom=bottom, label=k)
            bottom = [b + v for b, v in zip(bottom, h)]
        ax.set_ylabel("cycles per instruction")
        ax.set_title("CPI on sw/bench/workload.c, by cause")
        ax.legend()
        fig.tight_layout()
        files.append(out / "cpi.png")
        fig.savefig(files[-1])
        plt.close(fig)
    return files
