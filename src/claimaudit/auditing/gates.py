"""Literal gates: cheap substring tests that decide which regexes are worth running.

Python's ``re`` is a backtracking engine that tries every branch of an alternation at every
position, so scanning text with hundreds of patterns costs time in proportion to the number
of patterns. A *gate* is a set of literal strings, derived from a pattern's parsed regex, at
least one of which every match must contain. One scan of a trie regex over the text tells
which gate strings are present; only the patterns whose gate is present are run.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

__all__ = ["GateScanner", "literal_gate", "trie_regex"]

_COMMON = frozenset(
    [
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "by",
        "day",
        "for",
        "from",
        "has",
        "have",
        "he",
        "her",
        "his",
        "i",
        "in",
        "is",
        "it",
        "its",
        "more",
        "not",
        "of",
        "on",
        "or",
        "our",
        "she",
        "than",
        "that",
        "the",
        "their",
        "them",
        "they",
        "this",
        "to",
        "was",
        "we",
        "were",
        "with",
        "you",
        "your",
        "like",
        # frequent words that make poor gates (a pattern gated on them runs on most text)
        "who",
        "will",
        "'ll",
        "use",
        "take",
        "because",
        "down",
        "due",
        "end",
        "live",
        "left",
        "born",
        "get",
        "got",
        "so",
        "but",
        "out",
        "up",
        "one",
        "can",
        "what",
        "when",
        "make",
        "makes",
        "made",
        "help",
        "helps",
        "keep",
        "give",
        "need",
        "people",
        "us",
        "men",
        "well",
        "time",
        "new",
    ]
)
# the topic words: gated patterns run in paragraphs about oxytocin, where these are
# everywhere, so a required literal that is neither common nor topical is the better gate
# (but the topic is still better than a set of common words)
_TOPICAL = frozenset(["oxytocin", "ocytocin", "pitocin", "syntocinon", "OT"])


def literal_gate(pattern: str, *, lower_only: bool = False) -> frozenset[str] | None:
    """Literal strings one of which every match of ``pattern`` contains (None: unknown).

    Computed on the parsed regex: a sequence needs any one of its required elements (the
    most selective is kept), an alternation needs one of its branches, a repeat needs its
    body only when it must occur at least once. With ``lower_only`` the pattern is known to
    run on lower-cased text, so literals with capitals (``(?-i:OT)``) can never occur: they
    are dropped, which lets a small set such as the topic words serve as the gate.
    """
    try:
        from re import _parser as sre_parse  # type: ignore[attr-defined]

        tree = sre_parse.parse(pattern)
    except Exception:
        return None
    c = sre_parse

    def score(opts: frozenset[str]) -> tuple[int, int, int, int]:
        shortest = min(len(o) for o in opts)
        words = [o.strip() for o in opts]
        common = (
            2 if any(w in _COMMON for w in words) else 1 if any(w in _TOPICAL for w in words) else 0
        )
        if common == 1:
            shortest = (
                min(len(o) for o in opts if o.strip() not in _TOPICAL)
                if any(o.strip() not in _TOPICAL for o in opts)
                else 8
            )
        return (common, 0 if shortest >= 3 else 1, len(opts), -shortest)

    def seq(items: Any) -> frozenset[str] | None:
        cands: list[frozenset[str]] = []
        run: list[str] = []
        for op, av in items:
            if op is c.LITERAL:
                run.append(chr(av))
                continue
            if run:
                cands.append(frozenset({"".join(run)}))
                run = []
            got = item(op, av)
            if got is not None:
                cands.append(got)
        if run:
            cands.append(frozenset({"".join(run)}))
        if lower_only:
            kept = [frozenset(o for o in x if o == o.lower()) for x in cands]
            if any(not x for x in kept):
                return frozenset()  # a required literal that lower-cased text never holds
            cands = kept
        return min(cands, key=score) if cands else None

    def item(op: Any, av: Any) -> frozenset[str] | None:
        if op is c.SUBPATTERN:
            return seq(av[-1])
        if op is c.ASSERT and av[0] == 1:  # a positive lookahead is required as well
            return seq(av[1])
        if op is c.BRANCH:
            out: set[str] = set()
            for branch in av[1]:
                got = seq(branch)
                if got is None:
                    return None
                out |= got
            return frozenset(out)
        if op in (c.MAX_REPEAT, c.MIN_REPEAT, getattr(c, "POSSESSIVE_REPEAT", None)):
            lo, _hi, body = av
            return seq(body) if lo >= 1 else None
        return None

    gate = seq(tree)
    if gate is not None and not gate:
        return gate
    if gate is None or any(len(g) < 2 and g.isalnum() for g in gate):
        return None
    return gate


def trie_regex(words: Iterable[str]) -> str:
    """One regex matching any of ``words`` (a trie of alternations: cheap for ``re``).

    At a position it matches the longest word that starts there.
    """
    trie: dict[str, Any] = {}
    for w in set(words):
        node = trie
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}

    def build(node: dict[str, Any]) -> str:
        end = "" in node
        alts = [re.escape(ch) + build(sub) for ch, sub in sorted(node.items()) if ch]
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        return f"(?:{body})?" if end else body

    return build(trie) or "(?!)"


class GateScanner:
    """Finds which gate strings occur in a text with one scan of a trie regex."""

    def __init__(self, gates: Iterable[str]) -> None:
        gates = sorted(set(gates))
        # a zero-width match at every position where a gate starts, so that gates that overlap
        # ("skips over" / "oversimplif") are all found; group 1 is the longest one there
        self.rx = re.compile("(?=(" + trie_regex(gates) + "))")
        # a match may hide shorter gates inside it ("trusting" hides "trust")
        self.inside = {g: frozenset(h for h in gates if h in g) for g in gates}
        # for positions, a gate that contains a shorter gate adds nothing ("hugging" / "hug")
        self._minimal = tuple(g for g in gates if self.inside[g] == {g})

    def select(
        self,
        by_gate: dict[str, tuple[int, ...]],
        always: tuple[int, ...],
        text: str,
        start: int,
        end: int,
    ) -> list[int]:
        """Indices (sorted) of the items whose gate occurs in ``text[start:end]``."""
        chosen = set(always)
        inside = self.inside
        for m in self.rx.finditer(text, start, end):
            for g in inside[m.group(1)]:
                chosen.update(by_gate[g])
        return sorted(chosen)

    @staticmethod
    def index(
        gates: list[frozenset[str] | None],
    ) -> tuple[dict[str, tuple[int, ...]], tuple[int, ...]]:
        """``(gate string -> item indices, indices of items without a gate)``."""
        by: dict[str, list[int]] = {}
        always: list[int] = []
        for i, gate in enumerate(gates):
            if gate is None:
                always.append(i)
            else:
                for g in gate:
                    by.setdefault(g, []).append(i)
        return {g: tuple(v) for g, v in by.items()}, tuple(always)

    def positions(self, text: str) -> list[int]:
        """Sorted start offsets of every gate string in ``text`` (plain ``str.find`` loops).

        For a few literals over a long text this is much faster than a regex scan: CPython's
        substring search skips through text that cannot match.
        """
        out: list[int] = []
        find = text.find
        for g in self._minimal:
            pos = find(g)
            while pos != -1:
                out.append(pos)
                pos = find(g, pos + 1)
        out.sort()
        return out

    def present(self, text: str, start: int = 0, end: int | None = None) -> set[str]:
        """The gate strings that occur in ``text[start:end]``."""
        found: set[str] = set()
        inside = self.inside
        for m in self.rx.finditer(text, start, len(text) if end is None else end):
            found |= inside[m.group(1)]
        return found
