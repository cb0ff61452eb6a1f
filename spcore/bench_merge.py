"""Merge several `spcore bench` reports (`--from-json A.json B.json ...`): e.g. RTL runs
of different builds, or an RTL run of some builds with a model run of all of them.

A tracing row keeps its RTL measurement when there is one. In a merged report that has
RTL rows, a row measured only on the model keeps its instruction count (instr/hit) but
gets no cycles: it is marked missing, "not run on the RTL", never shown as cycles."""
from .errors import SpcoreError


def _key(r):
    return (r.get("section"), r.get("name"), r.get("xlen"))


def _rank(r):
    ok = r.get("status") == "ok"
    return 2 * (ok and r.get("engine") == "rtl") + ok


def _instr(r):
    """Instructions per hit a row knows: its own, or a model row's cost."""
    if r.get("instr_per_hit") is not None:
        return r["instr_per_hit"]
    if r.get("engine") == "model" and r.get("status") == "ok":
        return r.get("cycles_per_hit")
    return None


def merge_reports(reports):
    if not reports:
        raise SpcoreError("--from-json: no report")
    engine = "rtl" if any(r["meta"]["engine"] == "rtl" for r in reports) else "model"
    rows, order = {}, []
    for rep in reports:
        for r in rep["rows"]:
            k = _key(r)
            if r.get("section") == "runs":
                k = k + (r.get("engine"), len(order))      # every run is kept
            old = rows.get(k)
            if old is None:
                order.append(k)
                rows[k] = r
                continue
            win, lose = (r, old) if _rank(r) >= _rank(old) else (old, r)
            if _instr(win) is None and _instr(lose) is not None:
                win = dict(win, instr_per_hit=_instr(lose))
            rows[k] = win
    merged = []
    for k in order:
        r = dict(rows[k])
        if engine == "rtl" and r.get("section") == "tracing" and r.get("engine") == "model":
            instr = _instr(r)
            r = {key: v for key, v in r.items()
                 if key in ("section", "name", "xlen", "build", "what")}
            r.update(status="missing", reason="not run on the RTL yet", instr_per_hit=instr)
        merged.append(r)
    metas = [rep["meta"] for rep in reports]
    meta = {"engine": engine, "hits": metas[0].get("hits"),
            "commit": ",".join(sorted({m.get("commit", "?") for m in metas})),
            "seconds": sum(m.get("seconds", 0) for m in metas),
            "argv": "--from-json (merged: " + "; ".join(m.get("argv", "") for m in metas) + ")",
            "partial": any(m.get("partial") for m in metas),
            "xlens": sorted({x for m in metas for x in m.get("xlens", [])})}
    return {"meta": meta, "rows": merged}
