"""Throughput of the overclaim audit on a large generated corpus, against proselint.

The corpus is built from templates with seeded randomness: paragraphs that mix overclaims,
hedged or debunking sentences and neutral prose (some of it about oxytocin's physiology,
most of it about nothing the audit cares about), separated by blank lines.

    python benchmarks/bench_audit.py                 # ~24 MB corpus, linearity at 1x/2x/4x
    python benchmarks/bench_audit.py --mb 8 --proselint-mb 0.5
    python benchmarks/bench_audit.py --mb 2 --proselint-mb 0 --shares 0.2   # quick look

proselint is not a project dependency (``pip install proselint`` for this script only); it
is much slower, so it runs on a slice of the same corpus (``--proselint-mb``) and its
throughput is compared per byte.
"""

from __future__ import annotations

import argparse
import gc
import random
import sys
import time
from typing import Any

OVERCLAIMS = [
    "Oxytocin is the {label}.",
    "{Name}, the {label}, {verb_up} {outcome} between {people}.",
    "Hold your child for {n} seconds so that oxytocin can {calm}.",
    "Aim for {n} cuddles every day and your nerves will settle.",
    "Raising oxytocin levels will mend a struggling {rel}.",
    "An oxytocin inhaler cures {condition} within weeks.",
    "Dab a little oxytocin perfume on your wrists before {occasion}.",
    "An oxytocin shortage is behind most {problem}.",
    "Experiments on mice reveal why human {people} stay close: oxytocin.",
    "A {touch_noun} soothes anybody who is upset.",
    "Oxytocin is scientifically proven to make shoppers more {trait}.",
    "It {verb_up} {outcome} every time {people} {touch_verb}.",
]
HEDGED = [
    "Some studies suggest oxytocin may be linked to {outcome} in {people}.",
    "The notion of oxytocin as the {label} is folklore rather than science.",
    "Attempts to replicate the early claim that oxytocin raised {outcome} have mostly failed.",
    "Some people find a hug comforting and others find it intrusive, so get consent first.",
    "Headlines like to call oxytocin the {label}, yet that tag badly oversimplifies it.",
    "Trials of nasal oxytocin in {condition} point in different directions.",
    "Attachment draws on vasopressin, dopamine and opioid signalling as much as on oxytocin.",
    "Is oxytocin really the {label}?",
]
PHYSIOLOGY = [
    "Nerve cells in the hypothalamus manufacture oxytocin, a short chain of amino acids.",
    "From the back of the pituitary it passes into the circulation.",
    "In childbirth it strengthens contractions of the womb and moves milk towards the nipple.",
    "Pitocin, a synthetic form, is used in hospitals to induce labour.",
]
NEUTRAL = [
    "The {adj} committee met on {day} to review the {thing} budget.",
    "Rain is expected across the {adj} valley until {day} evening.",
    "Our {thing} team shipped a new release with {n} fixes and faster start-up.",
    "Customers can return {thing} items within {n} days of purchase.",
    "The museum's {adj} wing reopens after a {n}-month renovation.",
    "Drink water, sleep well and take a short walk after lunch.",
    "Prices for {thing} rose by {n} percent in the last quarter.",
    "The recipe needs {n} eggs, a cup of flour and a pinch of salt.",
    "Library opening hours change on {day} for the public holiday.",
    "The train to the coast leaves every {n} minutes from platform two.",
]
FILL = {
    "label": [
        "love hormone",
        "cuddle hormone",
        "trust hormone",
        "bonding hormone",
        "moral molecule",
    ],
    "Name": ["Oxytocin", "This hormone", "The hormone"],
    "verb_up": ["boosts", "builds", "creates", "fosters", "strengthens"],
    "outcome": ["trust", "love", "empathy", "generosity", "closeness", "calm"],
    "people": ["partners", "couples", "coworkers", "friends", "strangers", "parents"],
    "calm": ["lower your stress", "ease anxiety", "calm you down"],
    "rel": ["marriage", "relationship", "friendships"],
    "condition": ["autism", "PTSD", "social anxiety", "depression"],
    "occasion": ["a tense meeting", "a reunion", "a blind date"],
    "problem": ["shyness", "loneliness", "jealousy"],
    "touch_noun": ["hug", "cuddle", "hand on the shoulder"],
    "trait": ["trusting", "generous", "caring"],
    "touch_verb": ["hug", "cuddle", "kiss"],
    "adj": ["northern", "central", "new", "old", "regional", "quiet"],
    "day": ["Monday", "Tuesday", "Friday", "Saturday"],
    "thing": ["garden", "software", "travel", "kitchen", "office"],
    "n": [str(i) for i in range(2, 40)],
}


def _fill(rng: random.Random, template: str) -> str:
    out = template
    while "{" in out:
        a = out.index("{")
        b = out.index("}", a)
        out = out[:a] + rng.choice(FILL[out[a + 1 : b]]) + out[b + 1 :]
    return out


def make_corpus(target_bytes: int, seed: int = 7, topic_share: float = 0.2) -> tuple[str, int]:
    """A corpus of about ``target_bytes`` and the number of sentences in it.

    ``topic_share`` of the paragraphs are about oxytocin (physiology, hedges, debunks and
    overclaims mixed); the rest is everyday prose the audit has no business with.
    """
    rng = random.Random(seed)
    paras: list[str] = []
    size = 0
    sentences = 0
    while size < target_bytes:
        kind = rng.random()
        k = rng.randint(3, 6)
        if kind >= topic_share:  # neutral prose, nothing relevant
            sents = [_fill(rng, rng.choice(NEUTRAL)) for _ in range(k)]
        else:  # a paragraph about oxytocin: physiology, hedges and overclaims mixed
            pool = PHYSIOLOGY * 2 + HEDGED + OVERCLAIMS
            sents = [_fill(rng, rng.choice(PHYSIOLOGY))]
            sents += [_fill(rng, rng.choice(pool)) for _ in range(k - 1)]
        p = " ".join(sents)
        paras.append(p)
        size += len(p) + 2
        sentences += len(sents)
    return "\n\n".join(paras), sentences


def _time(fn: object, *args: object, repeat: int = 1) -> float:
    best = float("inf")
    for _ in range(repeat):
        gc.collect()
        t0 = time.perf_counter()
        fn(*args)  # type: ignore[operator]
        best = min(best, time.perf_counter() - t0)
    return best


def _stages(auditor: Any, corpus: str, mb: float) -> str:
    """Where the time of one audit of ``corpus`` goes: the candidate search (catalog regexes
    on the sentences that pass the relevance and gate filters), the stance layer with the
    severity decision, and the rest (normalization, blocks, sentences, topic, findings).

    The two stages are timed by wrapping the auditor's own methods for one run (the wrapper
    costs well under a microsecond a call); the split shows what a faster engine would have
    to speed up.
    """
    spent = {"candidates": 0.0, "stance": 0.0}
    catalog = auditor.catalog
    in_sentences, judge = catalog.in_sentences, auditor._judge

    def timed(fn: Any, stage: str) -> Any:
        def run(*a: Any) -> Any:
            t0 = time.perf_counter()
            try:
                return fn(*a)
            finally:
                spent[stage] += time.perf_counter() - t0

        return run

    catalog.in_sentences = timed(in_sentences, "candidates")
    auditor._judge = timed(judge, "stance")
    try:
        gc.collect()
        t0 = time.perf_counter()
        auditor.audit(corpus, format="text")
        total = time.perf_counter() - t0
    finally:
        del catalog.in_sentences, auditor._judge  # back to the class's methods
    rest = total - spent["candidates"] - spent["stance"]
    parts = ", ".join(
        f"{name} {t:.2f} s ({t / total:.0%})"
        for name, t in (
            ("candidate search", spent["candidates"]),
            ("stance", spent["stance"]),
            ("everything else", rest),
        )
    )
    return (
        f"stages of one run ({total:.2f} s): {parts}; without the first two stages the "
        f"audit could not exceed {mb / rest:.1f} MB/s"
    )


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--mb", type=float, default=24.0, help="corpus size in MB (default 24)")
    ap.add_argument("--proselint-mb", type=float, default=0.5, help="slice for proselint")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument(
        "--topic-share",
        type=float,
        default=0.2,
        help="share of paragraphs about oxytocin (default 0.2); 1.0 = every paragraph",
    )
    ap.add_argument(
        "--shares",
        type=float,
        nargs="*",
        default=[0.0, 0.01, 0.05, 0.1, 0.2, 0.5, 1.0],
        help="topic shares for the throughput sweep (default 0 1 5 10 20 50 100%%)",
    )
    ap.add_argument("--sweep-mb", type=float, default=2.0, help="corpus size per share")
    ap.add_argument(
        "--stages",
        action="store_true",
        help="also split the time of the main corpus into stages (candidate search, stance)",
    )
    args = ap.parse_args(argv)

    from claimaudit.auditing.engine import default_auditor

    auditor = default_auditor()  # compiled once, outside the timings
    auditor.catalog.compile_all()  # regexes otherwise compile on first use, inside a timing
    auditor.audit("Oxytocin is the love hormone.")

    corpus, n_sent = make_corpus(int(args.mb * 1e6), args.seed, args.topic_share)
    mb = len(corpus.encode("utf-8")) / 1e6
    print(
        f"corpus: {mb:.1f} MB, {n_sent:,} sentences, seed {args.seed}, "
        f"{args.topic_share:.0%} of paragraphs about oxytocin"
    )

    holder: dict[str, int] = {}

    def run(text: str) -> None:
        holder["n"] = len(auditor.audit(text, format="text").findings)

    t = _time(run, corpus)
    print(
        f"claimaudit: {t:.2f} s  {mb / t:.2f} MB/s  {n_sent / t:,.0f} sentences/s  "
        f"({holder['n']:,} findings)"
    )

    if args.stages:
        print(_stages(auditor, corpus, mb))

    # the best case: nothing about oxytocin (the relevance pass skips every paragraph)
    plain, plain_n = make_corpus(int(min(args.mb, 8.0) * 1e6), args.seed + 2, 0.0)
    pmb0 = len(plain.encode("utf-8")) / 1e6
    t0 = _time(run, plain)
    print(
        f"claimaudit, corpus with nothing about oxytocin ({pmb0:.1f} MB): "
        f"{pmb0 / t0:.2f} MB/s  {plain_n / t0:,.0f} sentences/s"
    )

    # the worst case: every paragraph about oxytocin, most sentences candidates
    dense, dense_n = make_corpus(int(min(args.mb, 4.0) * 1e6), args.seed + 1, 1.0)
    dmb = len(dense.encode("utf-8")) / 1e6
    td = _time(run, dense)
    print(
        f"claimaudit, topic-dense corpus ({dmb:.1f} MB, every paragraph about oxytocin): "
        f"{dmb / td:.2f} MB/s  {dense_n / td:,.0f} sentences/s  ({holder['n']:,} findings)"
    )

    # linearity: 1x, 2x, 4x of a quarter of the corpus
    base = corpus[: len(corpus) // 4]
    times = []
    for k in (1, 2, 4):
        text = "\n\n".join([base] * k)
        times.append(_time(run, text, repeat=2))
    per = [t_ / k for t_, k in zip(times, (1, 2, 4), strict=True)]
    print(
        "linearity (time at 1x/2x/4x of {:.1f} MB): {}  -> per-1x {}".format(
            len(base) / 1e6,
            " / ".join(f"{x:.2f} s" for x in times),
            " / ".join(f"{x:.2f}" for x in per),
        )
    )
    print(f"  ratio 4x/1x time: {times[2] / times[0]:.2f} (linear = 4.00)")

    # throughput against the share of paragraphs about oxytocin (the audit's real work)
    sweep = []
    for share in args.shares:
        text, k = make_corpus(int(args.sweep_mb * 1e6), args.seed + 3, share)
        smb = len(text.encode("utf-8")) / 1e6
        ts = _time(run, text)
        sweep.append(f"{share:.0%}: {smb / ts:.2f} MB/s")
    print(f"by share of paragraphs about oxytocin ({args.sweep_mb:g} MB each): " + ", ".join(sweep))

    if args.proselint_mb <= 0:
        return 0
    try:
        from proselint.checks import __register__
        from proselint.registry import CheckRegistry
        from proselint.tools import LintFile
    except ImportError:
        print("proselint: not installed (pip install proselint) - skipped")
        return 0
    CheckRegistry().register_many(__register__)  # as its command line does
    cut = corpus.rfind("\n\n", 0, int(args.proselint_mb * 1e6))
    piece = corpus[: cut if cut > 0 else int(args.proselint_mb * 1e6)]
    pmb = len(piece.encode("utf-8")) / 1e6
    psent = round(n_sent * len(piece) / len(corpus))
    counts: dict[str, int] = {}

    def prose() -> None:
        counts["n"] = len(LintFile("<bench>", piece).lint())

    tp = _time(prose)
    ta = _time(run, piece)
    print(
        f"proselint on a {pmb:.2f} MB slice: {tp:.2f} s  {pmb / tp:.3f} MB/s  "
        f"{psent / tp:,.0f} sentences/s  ({counts['n']:,} results)"
    )
    print(f"claimaudit on the same slice: {ta:.3f} s  {pmb / ta:.2f} MB/s")
    print(f"speed ratio claimaudit/proselint (same slice): {tp / ta:.1f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
