"""Literal gates: cheap substring tests that decide which regexes are worth running.

Python's ``re`` is a backtracking engine that tries every branch of an alternation at every
position, so scanning text with hundreds of patterns costs time in proportion to the number
of patterns. A *gate* is a set of literal strings, derived from a pattern's parsed regex, at
least one of which every match must contain. One Aho-Corasick pass over the text tells which
gate strings are present; only the patterns whose gates are present are run.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

__all__ = ["GateScanner", "literal_gate", "literal_gates", "required_literals", "selective_sets"]

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


def _score(opts: frozenset[str]) -> tuple[int, int, int, int]:
    """How poor a gate ``opts`` is (lower is better): common words, short strings, many options."""
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


def required_literals(pattern: str) -> list[frozenset[str]] | None:
    """Every literal set the matches of ``pattern`` need: each match contains one string of
    *each* set (None: the regex cannot be parsed).

    Computed on the parsed regex: the required elements of a sequence are all needed (and so
    are those of a group in it), an alternation needs one of its branches (each branch
    contributes its most selective set), a repeat needs its body only when it must occur at
    least once, a lookahead is needed too; lookbehinds are not (they may look before the
    searched range). The audit runs patterns on lower-cased text that keeps only the
    abbreviation "OT" in capitals, so a capital literal (``(?-i:OT)``) is a literal like any other.
    """
    try:
        from re import _parser as sre_parse  # type: ignore[attr-defined]

        tree = sre_parse.parse(pattern)
    except Exception:
        return None
    c = sre_parse

    def seq(items: Any) -> list[frozenset[str]]:
        cands: list[frozenset[str]] = []
        run: list[str] = []
        for op, av in items:
            if op is c.LITERAL:
                run.append(chr(av))
                continue
            if run:
                cands.append(frozenset({"".join(run)}))
                run = []
            cands.extend(item(op, av))
        if run:
            cands.append(frozenset({"".join(run)}))
        return cands

    def best(items: Any) -> frozenset[str] | None:
        cands = seq(items)
        if any(not x for x in cands):
            return frozenset()  # a branch that can never match adds no option
        return min(cands, key=_score) if cands else None

    def item(op: Any, av: Any) -> list[frozenset[str]]:
        if op is c.SUBPATTERN:
            return seq(av[-1])
        if op is c.ASSERT and av[0] == 1:  # a positive lookahead is required as well
            return seq(av[1])
        if op is c.BRANCH:
            out: set[str] = set()
            for branch in av[1]:
                got = best(branch)
                if got is None:
                    return []
                out |= got
            return [frozenset(out)]
        if op in (c.MAX_REPEAT, c.MIN_REPEAT, getattr(c, "POSSESSIVE_REPEAT", None)):
            lo, _hi, body = av
            return seq(body) if lo >= 1 else []
        return []

    return seq(tree)


def _usable(gate: frozenset[str]) -> bool:
    """A gate that filters something: no single letters or digits."""
    return not any(len(g) < 2 and g.isalnum() for g in gate)


def literal_gate(pattern: str) -> frozenset[str] | None:
    """Literal strings one of which every match of ``pattern`` contains (None: unknown).

    The most selective of :func:`required_literals`: the set with no common words, with the
    longest shortest string, with the fewest options.
    """
    return _best_gate(required_literals(pattern))


def _best_gate(sets: list[frozenset[str]] | None) -> frozenset[str] | None:
    if not sets:
        return None
    if any(not x for x in sets):
        return frozenset()
    gate = min(sets, key=_score)
    return gate if _usable(gate) else None


def literal_gates(pattern: str) -> tuple[frozenset[str] | None, tuple[frozenset[str], ...]]:
    """``(gate, also)``: the best gate, and the other selective sets a match also needs.

    A pattern runs on a sentence only when its gate and one string of every set in ``also``
    occur there. Sets with very frequent words or short strings are left out of ``also``:
    they are in nearly every sentence and would only make the scan longer.
    """
    sets = required_literals(pattern)
    gate = _best_gate(sets)
    if not gate:
        return gate, ()
    also = {x for x in sets or () if x != gate and _selective(x)}
    return gate, tuple(sorted(also, key=sorted))


def selective_sets(pattern: str) -> tuple[frozenset[str], ...]:
    """The selective literal sets (see ``literal_gates``' ``also``) every match of ``pattern``
    needs."""
    sets = required_literals(pattern) or []
    return tuple(sorted({x for x in sets if _selective(x)}, key=sorted))


# words so frequent that a literal set holding one is in nearly every sentence
_FREQUENT = frozenset(
    [
        "the", "and", "for", "that", "this", "with", "are", "was", "from", "you", "your",
        "not", "have", "has", "but", "they", "their", "our", "its", "his", "her", "who",
        "can", "all", "is", "it", "in", "of", "to", "on", "as", "at", "be", "by", "or",
        "an", "he", "we", "my", "me", "no", "so", "do", "if", "us", "'s", "s ",
    ]
)  # fmt: skip


def _selective(x: frozenset[str]) -> bool:
    """Worth checking as a second gate: every string at least three characters long and
    none of the most frequent words (those are in nearly every sentence)."""
    return bool(x) and all(len(o.strip()) >= 3 and o.strip() not in _FREQUENT for o in x)


class GateScanner:
    """Finds which gate strings occur in a text, all of them in one pass (Aho-Corasick).

    The automaton (``pyahocorasick``, C) reports every occurrence of every gate string,
    overlapping ones and those inside longer ones included, at a few tens of MB/s whatever
    the number of gates: the cost of gating does not grow with the catalog.
    """

    def __init__(self, gates: Iterable[str]) -> None:
        import ahocorasick

        self.gates: tuple[str, ...] = tuple(sorted(set(gates)))
        self._automaton: Any = None
        if self.gates:
            automaton = ahocorasick.Automaton()
            for g in self.gates:
                automaton.add_word(g, (len(g) - 1, g))
            automaton.make_automaton()
            self._automaton = automaton

    def __reduce__(self) -> tuple[type[GateScanner], tuple[tuple[str, ...]]]:
        # pickled as its strings and rebuilt on arrival: an automaton pickles large (~10x)
        # and not byte-for-byte the same twice
        return (GateScanner, (self.gates,))

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
        for g in self.present(text, start, end):
            chosen.update(by_gate.get(g, ()))
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
        """Sorted start offsets of the gate strings in ``text`` (one per offset)."""
        if self._automaton is None:
            return []
        return sorted({last - v[0] for last, v in self._automaton.iter(text)})

    def present(self, text: str, start: int = 0, end: int | None = None) -> set[str]:
        """The gate strings that occur in ``text[start:end]``."""
        if self._automaton is None:
            return set()
        return {v[1] for _last, v in self._automaton.iter(text[start:end])}

    def present_in(self, text: str, starts: list[int], ends: list[int]) -> list[set[str]]:
        """The gate strings inside each span ``[starts[i], ends[i])`` (sorted, disjoint).

        One pass over the whole range: a string that runs across two spans is in neither.
        """
        out: list[set[str]] = [set() for _ in starts]
        if self._automaton is None or not starts:
            return out
        base = starts[0]
        n = len(starts)
        si = 0
        # hits come in order of their last character, so the span index only moves forward
        for last, (k, g) in self._automaton.iter(text[base : ends[-1]]):
            last += base
            while ends[si] <= last:
                si += 1
                if si == n:
                    return out
            if last - k >= starts[si]:
                out[si].add(g)
        return out
