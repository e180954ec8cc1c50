"""Hostile input and huge files: time against input length, memory against file size.

    python benchmarks/bench_hardening.py            # pathological inputs + 5/25/50 MB files
    python benchmarks/bench_hardening.py --sizes 5 10 --quick

1. Inputs built to make regular expressions backtrack (long runs of spaces, dashes, quotes,
   nested brackets, run-on "sentences" full of trigger words) are audited at 1x, 2x, 4x and 8x
   length; the time ratio at 8x should stay near 8 (linear), never near 64 (quadratic).
2. Files of 5, 25 and 50 MB are audited in a child process by ``claimaudit audit-corpus
   --workers 0`` (which reads large files batch by batch) and, as the peer in the same run,
   by ``claimaudit audit`` (which reads the whole file); the peak resident memory of each
   child is reported. The streaming audit's memory should stay flat as the file grows.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PATHOLOGICAL = {
    "spaces": lambda n: "Oxytocin" + " " * n + "is the trust hormone.",
    "dashes": lambda n: "Oxytocin " + "-" * n + " trust hormone",
    "quotes": lambda n: '"' * n + "oxytocin" + "“" * (n // 2),
    "brackets": lambda n: "(" * (n // 2) + "oxytocin love hormone" + ")" * (n // 2),
    "md links": lambda n: "[oxytocin](" * (n // 11),
    "comments": lambda n: "<!-- oxytocin " * (n // 14),
    "run-on triggers": lambda n: "oxytocin trust hormone may not love " * (n // 36),
    "entities": lambda n: "&amp;oxytocin&#8220;" * (n // 20),
}

PARAGRAPHS = [
    "Oxytocin is the trust hormone, and one sniff will make you trust your partner again.",
    "Some studies suggest oxytocin may be linked to feeling calmer, but findings are mixed.",
    "Blaming love on one hormone is a myth; bonding has many ingredients.",
    "Nerve cells in the hypothalamus manufacture oxytocin, a short chain of amino acids.",
    "The committee met on Tuesday to discuss the budget for the coming year.",
    "Rain is expected over the weekend, with clearer skies on Monday morning.",
    "Our garden club swapped seeds and tips about tomatoes, beans and squash.",
    "Readers asked how to store winter coats; cedar blocks and breathable bags help.",
]


def time_once(text: str) -> float:
    import claimaudit

    best = float("inf")
    for _ in range(3):
        t = time.perf_counter()
        claimaudit.audit(text)
        best = min(best, time.perf_counter() - t)
    return best


def pathological(base: int) -> None:
    import claimaudit

    claimaudit.audit("warm up: oxytocin.")
    print(f"\n1. pathological inputs, time at 1x/2x/4x/8x of {base:,} characters")
    print(f"{'input':18s} {'1x':>9s} {'2x':>9s} {'4x':>9s} {'8x':>9s} {'8x/1x':>7s}")
    for name, make in PATHOLOGICAL.items():
        times = [time_once(make(base * k)) for k in (1, 2, 4, 8)]
        ratio = times[3] / times[0] if times[0] > 0 else float("nan")
        cells = " ".join(f"{t * 1000:8.1f}ms" for t in times)
        print(f"{name:18s} {cells} {ratio:7.1f}")
    print("(linear growth gives a ratio near 8; quadratic near 64)")


def make_file(path: Path, mb: float, seed: int = 11) -> None:
    rng = random.Random(seed)
    target = int(mb * 1_000_000)
    size = 0
    with open(path, "w", encoding="utf-8") as fh:
        while size < target:
            para = " ".join(rng.choice(PARAGRAPHS) for _ in range(rng.randint(1, 4))) + "\n\n"
            fh.write(para)
            size += len(para.encode("utf-8"))


def peak_rss_mb(cmd: list[str]) -> tuple[float, float]:
    """Peak resident memory (MB) and wall time of a child process."""
    wrapper = (
        "import resource, subprocess, sys, time\n"
        "t = time.perf_counter()\n"
        "subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)\n"
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, time.perf_counter() - t)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", wrapper, *cmd], capture_output=True, text=True, check=True
    )
    kb, seconds = out.stdout.split()
    return int(kb) / 1024, float(seconds)


def memory(sizes: list[float]) -> None:
    exe = [sys.executable, "-m", "claimaudit"]
    print("\n2. peak memory of one child process auditing a file")
    print(f"{'file':>8s} {'streamed (audit-corpus)':>26s} {'whole file (audit)':>22s}")
    with tempfile.TemporaryDirectory() as tmp:
        for mb in sizes:
            path = Path(tmp) / f"corpus-{mb:g}mb.md"
            make_file(path, mb)
            streamed, ts = peak_rss_mb(
                [
                    *exe,
                    "audit-corpus",
                    str(path),
                    "--workers",
                    "0",
                    "--no-progress",
                    "-o",
                    os.devnull,
                ]
            )
            whole, tw = peak_rss_mb(
                [*exe, "audit", str(path), "--format", "json", "--fail-on", "never"]
            )
            print(f"{mb:6g}MB {streamed:12.0f} MB in {ts:6.1f}s {whole:10.0f} MB in {tw:6.1f}s")
            path.unlink()
    print("(streamed memory should stay flat; the whole-file peer grows with the file)")
    print(f"this process: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--base", type=int, default=10_000, help="1x length of pathological inputs")
    ap.add_argument("--sizes", type=float, nargs="*", default=[5, 25, 50], help="file sizes, MB")
    ap.add_argument("--quick", action="store_true", help="pathological inputs only")
    args = ap.parse_args()
    pathological(args.base)
    if not args.quick:
        memory(args.sizes)


if __name__ == "__main__":
    main()
