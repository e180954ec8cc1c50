"""Cost against knowledge-base size: load, filter, graph and audit at 1–1,000 documents.

Each size is a data folder from ``benchmarks/synth.py`` (document 1 is the bundled reference
document, the rest synthetic, ~100 statements each, one catalog entry per synthetic document),
cached under ``benchmarks/out/`` and rebuilt only when the generator or the bundled data
change. For each size it measures:

* **load** — ``claimaudit.load(folder)``: parse and validate every file, check every
  reference (best of ``--repeat`` runs; wall-clock and CPU time of this process), once with
  the parsed-YAML cache off (*cold*, as after editing every YAML file) and once with it
  filled (*warm*, the usual case: a folder is loaded far more often than edited);
* **filter** — mean time of ``kb.filter`` queries (by document, by maturity and section, by
  cited source, by text), after the one-off index build (reported too);
* **graph** — building ``kb.graph`` once, then mean time of graph queries (claims citing the
  shared source, ``kb.explain``, an overclaim's evidence subgraph);
* **audit** — compiling an ``Auditor`` from the knowledge base (its catalog grows with the
  documents), then the per-sentence cost of auditing a fixed corpus of real oxytocin text
  (the reference document, the example handout and the labelled dev sentences).

Targets (issue 6): loading 100,000 claims in under 2 s; per-sentence audit cost at 1,000
documents within 2x of one document. Prints a table, writes ``benchmarks/out/scale.json``
and a plot to ``docs/scale.png``.

    python benchmarks/bench_scale.py                    # 1, 10, 100, 1000 documents, then Dask
    python benchmarks/bench_scale.py --sizes 1 10 100 --dask-mb 0   # quicker
"""

from __future__ import annotations

import argparse
import gc
import importlib
import json
import os
import re
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
OUT = HERE / "out"
sys.path.insert(0, str(HERE))

import claimaudit  # noqa: E402
import synth  # noqa: E402
from claimaudit.storage import CACHE_DIR_ENV  # noqa: E402

SHARED_EVAL = ROOT.parent / "shared" / "eval" / "dev.jsonl"
_SENTENCE = re.compile(r"[.!?](?:[\"”’)\]]*)(?=\s|$)")


def timed(fn: Callable[[], Any], repeat: int = 1) -> tuple[float, float, Any]:
    """Best wall-clock and CPU seconds of ``repeat`` calls, and the last result."""
    best_wall = best_cpu = float("inf")
    result = None
    for _ in range(repeat):
        result = None  # the previous result is freed before the clock starts, not inside it
        gc.collect()
        w, c = time.perf_counter(), time.process_time()
        result = fn()
        best_wall = min(best_wall, time.perf_counter() - w)
        best_cpu = min(best_cpu, time.process_time() - c)
    return best_wall, best_cpu, result


def per_call(fn: Callable[[], Any], n: int) -> float:
    """Mean seconds per call over ``n`` calls."""
    t = time.perf_counter()
    for _ in range(n):
        fn()
    return (time.perf_counter() - t) / n


def audit_corpus() -> list[str]:
    """The texts audited at every size: real oxytocin prose, the same at every size."""
    texts = [(ROOT / "data" / "documents" / "oxytocin-social-bonding.txt").read_text("utf-8")]
    handout = ROOT / "examples" / "handout.md"
    if handout.is_file():
        texts.append(handout.read_text("utf-8"))
    if SHARED_EVAL.is_file():
        rows = [json.loads(line) for line in SHARED_EVAL.read_text("utf-8").splitlines() if line]
        # one paragraph of five sentences at a time, as in a handout
        for i in range(0, len(rows), 5):
            texts.append(" ".join(r["text"] for r in rows[i : i + 5]))
    return texts


def count_sentences(texts: list[str]) -> int:
    return sum(max(1, len(_SENTENCE.findall(t))) for t in texts)


def measure(n_docs: int, *, repeat: int, audit_rounds: int, seed: int = 0) -> dict[str, Any]:
    folder = synth.cached_data_folder(OUT, n_docs, seed=seed)
    # one-off imports (networkx, the audit engine) are not part of any figure
    for module in ("claimaudit.graph", "claimaudit.auditing.engine"):
        importlib.import_module(module)
    row: dict[str, Any] = {"documents": n_docs}
    cache_setting = os.environ.get(CACHE_DIR_ENV)
    os.environ[CACHE_DIR_ENV] = ""  # cold: every YAML file parsed
    try:
        cold_wall, cold_cpu, _ = timed(lambda: claimaudit.load(folder), repeat)
    finally:
        if cache_setting is None:
            del os.environ[CACHE_DIR_ENV]
        else:
            os.environ[CACHE_DIR_ENV] = cache_setting
    claimaudit.load(folder)  # fills the parsed-YAML cache
    load_wall, load_cpu, kb = timed(lambda: claimaudit.load(folder), repeat)
    row.update(
        claims=len(kb.claims),
        sources=len(kb.sources),
        overclaims=len(kb.overclaims),
        load_s=load_wall,
        load_cpu_s=load_cpu,
        load_cold_s=cold_wall,
        load_cold_cpu_s=cold_cpu,
        claims_mb=(folder / "claims.jsonl").stat().st_size / 1e6,
    )

    # filters: the index is built on first use
    row["index_s"], _, _ = timed(lambda: kb._index)
    docs = list(kb.documents)
    shared = synth.source_pool(max(30, 3 * (n_docs - 1)), seed=seed)[0].id
    queries: list[Callable[[], Any]] = [
        lambda: kb.filter(document=docs[-1]),
        lambda: kb.filter(maturity="established", section="Evidence Base"),
        lambda: kb.filter(cites="nave-2015"),
        lambda: kb.filter(document="oxytocin", kind="definition"),
        lambda: kb.reusable()[:1],
    ]
    if shared in kb.sources:
        queries.append(lambda: kb.filter(cites=shared))
    row["filter_ms"] = 1e3 * statistics.mean(per_call(q, 20) for q in queries)
    row["filter_text_ms"] = 1e3 * per_call(lambda: kb.filter(document="oxytocin", text="trust"), 20)

    # graph
    row["graph_s"], _, g = timed(lambda: kb.graph)
    row["graph_nodes"] = g.number_of_nodes()
    row["graph_edges"] = g.number_of_edges()
    from claimaudit.graph import neighbors, overclaim_evidence, source_node

    contested = kb.filter(maturity="contested", document="oxytocin") or kb.claims[:1]
    graph_queries: list[Callable[[], Any]] = [
        lambda: neighbors(g, source_node("nave-2015"), "cites", incoming=True),
        lambda: kb.explain(contested[0].id),
    ]
    if kb.overclaims:
        first = next(iter(kb.overclaims))
        graph_queries.append(lambda: overclaim_evidence(kb, first))
    row["graph_query_ms"] = 1e3 * statistics.mean(per_call(q, 20) for q in graph_queries)
    if shared in kb.sources:
        row["shared_source_citers"] = len(neighbors(g, source_node(shared), "cites", incoming=True))

    # audit: compile once, then audit the same corpus
    from claimaudit.auditing import match
    from claimaudit.auditing.engine import Auditor

    # cold: gate analysis off the cache, every regex compiled; warm: the analysis stored by
    # an earlier compile (as in a new process once the cache holds this catalog), regexes
    # compiled when first used
    cache_setting = os.environ.get(CACHE_DIR_ENV)
    os.environ[CACHE_DIR_ENV] = ""
    match._COMPILED.clear()
    try:
        row["auditor_cold_s"], _, _ = timed(lambda: Auditor(kb))
    finally:
        if cache_setting is None:
            del os.environ[CACHE_DIR_ENV]
        else:
            os.environ[CACHE_DIR_ENV] = cache_setting
    Auditor(kb)  # stores the analysis, if this catalog is new to the cache
    match._COMPILED.clear()
    row["auditor_s"], _, auditor = timed(lambda: Auditor(kb))
    row["patterns"] = len(auditor.catalog.patterns)
    texts = audit_corpus()
    n_sent = count_sentences(texts)
    for t in texts:  # warm-up
        auditor.audit(t)
    best = float("inf")
    findings = 0
    for _ in range(audit_rounds):
        gc.collect()
        t0 = time.process_time()
        findings = sum(len(auditor.audit(t).findings) for t in texts)
        best = min(best, time.process_time() - t0)
    row["audit_sentences"] = n_sent
    row["audit_findings"] = findings
    row["audit_us_per_sentence"] = 1e6 * best / n_sent
    return row


COLUMNS = (
    ("documents", "docs", "{:d}"),
    ("claims", "claims", "{:,d}"),
    ("overclaims", "catalog", "{:,d}"),
    ("load_cold_s", "load cold s", "{:.2f}"),
    ("load_s", "load s", "{:.2f}"),
    ("load_cpu_s", "load cpu s", "{:.2f}"),
    ("index_s", "index s", "{:.3f}"),
    ("filter_ms", "filter ms", "{:.3f}"),
    ("graph_s", "graph s", "{:.2f}"),
    ("graph_query_ms", "graph q ms", "{:.3f}"),
    ("auditor_cold_s", "compile cold s", "{:.2f}"),
    ("auditor_s", "compile s", "{:.2f}"),
    ("audit_us_per_sentence", "audit µs/sent", "{:.0f}"),
)


def table(rows: list[dict[str, Any]]) -> str:
    head = "| " + " | ".join(h for _, h, _ in COLUMNS) + " |"
    sep = "|" + "|".join("---:" for _ in COLUMNS) + "|"
    body = [
        "| " + " | ".join(fmt.format(r[k]) if k in r else "–" for k, _, fmt in COLUMNS) + " |"
        for r in rows
    ]
    return "\n".join([head, sep, *body])


def verdict(rows: list[dict[str, Any]]) -> list[str]:
    out = []
    big = [r for r in rows if r["claims"] >= 90_000]
    if big:
        r = big[-1]
        for key, what in (("load_s", "warm"), ("load_cold_s", "cold")):
            ok = r[key] < 2.0
            out.append(
                f"load {r['claims']:,} claims ({what}): {r[key]:.2f} s wall, "
                f"{r[key.replace('_s', '_cpu_s')]:.2f} s CPU (target < 2 s): "
                f"{'MET' if ok else 'NOT MET'}"
            )
    one = [r for r in rows if r["documents"] == 1]
    if one and rows[-1]["documents"] > 1:
        ratio = rows[-1]["audit_us_per_sentence"] / one[0]["audit_us_per_sentence"]
        out.append(
            f"audit cost per sentence at {rows[-1]['documents']} documents / 1 document: "
            f"{ratio:.2f}x (target <= 2x): {'MET' if ratio <= 2 else 'NOT MET'}"
        )
    return out


def plot(rows: list[dict[str, Any]], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    docs = [r["documents"] for r in rows]
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(10, 4))
    ax1.loglog(docs, [r["load_s"] for r in rows], "o-", label="load (wall)")
    ax1.loglog(docs, [r["load_cold_s"] for r in rows], "o--", label="load, YAML cache off (wall)")
    ax1.loglog(docs, [r["graph_s"] for r in rows], "s-", label="graph build")
    ax1.loglog(docs, [r["filter_ms"] / 1e3 for r in rows], "^-", label="one filter query")
    ax1.loglog(docs, [r["auditor_s"] for r in rows], "d-", label="Auditor compile (gate cache)")
    ax1.loglog(docs, [r["auditor_cold_s"] for r in rows], "d--", label="Auditor compile, cache off")
    ax1.axhline(2.0, color="grey", ls=":", lw=1)
    ax1.text(docs[0], 2.2, "2 s target (load)", color="grey", fontsize=8)
    ax1.set_xlabel("documents (~100 claims each: 1,000 documents = ~100,000 claims)")
    ax1.set_ylabel("seconds")
    ax1.set_title("Knowledge base: cost against size")
    ax1.legend(fontsize=8)
    ax1.grid(True, which="both", alpha=0.3)
    base = rows[0]["audit_us_per_sentence"]
    ax2.semilogx(docs, [r["audit_us_per_sentence"] for r in rows], "o-", label="audit")
    ax2.axhline(2 * base, color="grey", ls=":", lw=1)
    ax2.text(docs[0], 2.05 * base, "2x of one document (target)", color="grey", fontsize=8)
    ax2.set_ylim(0, max(2.4 * base, 1.1 * max(r["audit_us_per_sentence"] for r in rows)))
    ax2.set_xlabel("documents (catalog entries grow with them)")
    ax2.set_ylabel("µs per sentence (CPU)")
    ax2.set_title("Audit: cost per sentence")
    ax2.grid(True, which="both", alpha=0.3)
    for r in rows:
        ax2.annotate(
            f"{r['overclaims']} entries", (r["documents"], r["audit_us_per_sentence"]), fontsize=7
        )
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=110)
    plt.close(fig)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1, 10, 100, 1000])
    parser.add_argument("--repeat", type=int, default=3, help="load runs per size (best kept)")
    parser.add_argument("--audit-rounds", type=int, default=3)
    parser.add_argument("--plot", type=Path, default=ROOT / "docs" / "scale.png")
    parser.add_argument("--json", type=Path, default=OUT / "scale.json")
    parser.add_argument(
        "--dask-mb",
        type=float,
        default=1.5,
        help="then run bench_dask.py on this many MB (0: skip; needs claimaudit[dask])",
    )
    args = parser.parse_args(argv)
    rows = []
    for n in args.sizes:
        t = time.perf_counter()
        row = measure(
            n,
            repeat=args.repeat if n < 1000 else min(args.repeat, 2),
            audit_rounds=args.audit_rounds,
        )
        rows.append(row)
        print(f"  measured {n} documents in {time.perf_counter() - t:.0f} s", file=sys.stderr)
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(table(rows))
    print()
    for line in verdict(rows):
        print(line)
    print(f"(machine: {os.cpu_count()} cores, load average {load:.2f} at the end of the run)")
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(rows, indent=1), encoding="utf-8")
    plot(rows, args.plot)
    print(f"plot: {args.plot}")
    if args.dask_mb > 0:
        import bench_dask

        print()
        try:
            return bench_dask.main(["--mb", str(args.dask_mb)])
        except ImportError as exc:  # dask is an optional extra
            print(f"(Dask benchmark skipped: {exc})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
