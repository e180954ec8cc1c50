"""Corpus-audit throughput on Dask against the number of workers.

The corpus: synthetic documents from ``benchmarks/synth.py`` rewritten to be about oxytocin
(so every paragraph reaches the audit's matchers), the reference document and the example
handout, ``--mb`` megabytes in all, as a pandas frame of one document a row. It is audited

* in this process (``claimaudit.corpus.audit_records``: the baseline), and
* with ``claimaudit.dask.audit_dataframe`` on a ``distributed.LocalCluster`` of 1 and 2
  single-threaded worker processes on loopback (cluster start-up and the one-off shipping
  of the auditor are timed apart, by a warm-up run).

Every run must give the same findings. Prints MB/s, documents/s and speed-up; the figures
depend on what else the machine runs (2 cores here, shared).

    python benchmarks/bench_dask.py [--mb 2] [--workers 1 2] [--partitions 16]
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

import synth  # noqa: E402


def corpus(mb: float, seed: int = 0) -> list[tuple[str, str]]:
    texts = [
        ("reference.txt", (ROOT / "data/documents/oxytocin-social-bonding.txt").read_text("utf-8")),
    ]
    handout = ROOT / "examples" / "handout.md"
    if handout.is_file():
        texts.append(("handout.md", handout.read_text("utf-8")))
    pool = synth.source_pool(60, seed)
    i = 0
    target = int(mb * 1e6)
    size = sum(len(t) for _, t in texts)
    while size < target:
        i += 1
        doc = synth.make_document(i, pool, seed)
        body = doc.text.replace(doc.molecule.capitalize(), "Oxytocin").replace(
            doc.molecule, "oxytocin"
        )
        texts.append((f"{doc.id}.txt", body))
        size += len(body)
        if i % 10 == 0:  # the real documents again, now and then
            texts.append((f"reference-{i}.txt", texts[0][1]))
            size += len(texts[0][1])
    return texts


def _spin(n: int) -> int:
    total = 0
    for i in range(n):
        total += i * i
    return total


def parallel_headroom(n: int = 4_000_000) -> float:
    """Speed-up of two processes over one on a pure-Python loop: what the machine allows now."""
    import multiprocessing as mp

    t = time.perf_counter()
    _spin(n)
    _spin(n)
    serial = time.perf_counter() - t
    with mp.get_context("spawn").Pool(2) as pool:
        pool.map(_spin, [1000, 1000])  # start-up out of the timing
        t = time.perf_counter()
        pool.map(_spin, [n, n])
        parallel = time.perf_counter() - t
    return serial / parallel


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mb", type=float, default=2.0)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--partitions", type=int, default=16)
    args = parser.parse_args(argv)

    import dask.dataframe as dd
    import pandas as pd
    from distributed import Client, LocalCluster

    import claimaudit.dask as cdask
    from claimaudit.auditing.engine import Auditor
    from claimaudit.corpus import audit_records

    docs = corpus(args.mb)
    mb = sum(len(t.encode("utf-8")) for _, t in docs) / 1e6
    frame = pd.DataFrame({"id": [d for d, _ in docs], "text": [t for _, t in docs]})
    auditor = Auditor()
    rows: list[dict[str, Any]] = []

    t = time.perf_counter()
    base = cdask.findings_frame(audit_records(auditor, docs))
    secs = time.perf_counter() - t
    rows.append({"mode": "in-process", "workers": 0, "s": secs, "findings": len(base)})
    key = ["doc", "start", "end", "overclaim"]
    base = base.sort_values(key).reset_index(drop=True)

    for n in args.workers:
        t0 = time.perf_counter()
        with (
            LocalCluster(
                n_workers=n,
                threads_per_worker=1,
                processes=True,
                host="127.0.0.1",
                dashboard_address=None,
            ) as cluster,
            Client(cluster) as client,
        ):
            start_s = time.perf_counter() - t0
            ddf = dd.from_pandas(frame, npartitions=args.partitions)
            # warm every worker (the auditor arrives, lazy caches fill) before timing
            warm = dd.from_pandas(frame.head(4 * n), npartitions=2 * n)
            cdask.audit_dataframe(warm, id="id", auditor=auditor, client=client).compute()
            t = time.perf_counter()
            got = cdask.audit_dataframe(ddf, id="id", auditor=auditor, client=client).compute()
            secs = time.perf_counter() - t
            got = got.sort_values(key).reset_index(drop=True)
            same = got.equals(base)
            rows.append(
                {
                    "mode": "dask",
                    "workers": n,
                    "s": secs,
                    "findings": len(got),
                    "startup_s": start_s,
                    "same": same,
                }
            )
            if not same:
                print(f"!! findings differ with {n} workers", file=sys.stderr)

    ref = rows[0]["s"]
    print(f"corpus: {len(docs)} documents, {mb:.2f} MB; {args.partitions} partitions")
    print("| mode | workers | seconds | MB/s | docs/s | speed-up | findings | same as in-process |")
    print("|---|---:|---:|---:|---:|---:|---:|---|")
    for r in rows:
        print(
            f"| {r['mode']} | {r['workers']} | {r['s']:.2f} | {mb / r['s']:.2f} | "
            f"{len(docs) / r['s']:.0f} | {ref / r['s']:.2f}x | {r['findings']} | "
            f"{'yes' if r.get('same', True) else 'NO'} |"
        )
    starts = ", ".join(f"{r['workers']}: {r['startup_s']:.1f} s" for r in rows if "startup_s" in r)
    print(f"(cluster start-up, not included: {starts})")
    print(
        f"(machine headroom: two processes of a pure-Python loop ran {parallel_headroom():.2f}x "
        "as fast as one, just now)"
    )
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"(machine: {os.cpu_count()} cores, load average {load:.2f} at the end of the run)")
    return 0 if all(r.get("same", True) for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
