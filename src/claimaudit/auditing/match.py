"""Catalog patterns compiled for speed: literal gates, then one regex per gated pattern.

Python's ``re`` tries every branch of an alternation at every position, so one giant
alternation of the whole catalog costs time in proportion to the catalog. Instead each
pattern gets a *gate*: a set of literal strings, derived from its regex, at least one of which
every match must contain (the most selective alternation of the pattern, e.g. the trust words
of the trust-effect frame), and its other selective literal sets (``also``), one string of
each also needed. One Aho-Corasick pass over a paragraph finds every such string in each
sentence; a pattern's regex runs only on the sentences that hold its gate and all of its other
sets. Matching is done on lower-cased text with case-sensitive regexes, which ``re`` runs
several times faster. Patterns use the lexicon's ``{macros}`` and must start at a word
character. The gate analysis of a catalog is cached between processes (see
:func:`_cached_analysis`) and regexes compile when first used.
"""

from __future__ import annotations

import functools
import hashlib
import json
import re
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from claimaudit.auditing.gates import GateScanner, literal_gate, literal_gates, selective_sets
from claimaudit.auditing.lexicon import Lexicon
from claimaudit.errors import DataError, Problem
from claimaudit.models import Overclaim, OverclaimPattern, Severity

__all__ = [
    "Candidate",
    "CompiledCatalog",
    "CompiledPattern",
    "load_catalog_file",
    "merge_catalogs",
]


_COMPILED: dict[str, re.Pattern[str]] = {}


def _rx(source: str) -> re.Pattern[str]:
    """The compiled regex of ``source`` (compiled once per process, on first use)."""
    rx = _COMPILED.get(source)
    if rx is None:
        rx = _COMPILED[source] = re.compile(source)
    return rx


@dataclass(frozen=True, slots=True)
class CompiledPattern:
    """One detection pattern, ready to use (its regexes are compiled when first needed)."""

    index: int
    entry: Overclaim
    pattern: OverclaimPattern
    source: str
    """The pattern's regex with its macros expanded (run on lower-cased text)."""
    requires_source: str | None
    gate: frozenset[str] | None
    also: tuple[frozenset[str], ...] = ()
    """Other literal sets a match needs besides its gate (one string of each)."""

    @property
    def regex(self) -> re.Pattern[str]:
        """The compiled pattern."""
        return _rx(self.source)

    @property
    def requires(self) -> re.Pattern[str] | None:
        """The compiled ``requires`` regex, if the pattern has one."""
        return _rx(self.requires_source) if self.requires_source is not None else None

    @property
    def category(self) -> str:
        """The category findings of this pattern carry."""
        return self.pattern.category or self.entry.category

    @property
    def severity(self) -> Severity:
        """The severity of an asserted match."""
        return self.pattern.severity or self.entry.severity


@dataclass(frozen=True, slots=True)
class Candidate:
    """A pattern match: the flagged span (``hit``) inside the whole match."""

    pattern: CompiledPattern
    start: int
    end: int
    match_start: int
    match_end: int
    own: tuple[int, int] | None = None
    """The pattern's own context words (a ``(?P<own>...)`` group, e.g. "a lack of" in
    "caused by a lack of oxytocin"): stance triggers there are part of the claim."""


class CompiledCatalog:
    """The catalog's patterns, compiled and gated (immutable, thread-safe)."""

    def __init__(self, entries: Iterable[Overclaim], lexicon: Lexicon) -> None:
        self.entries: tuple[Overclaim, ...] = tuple(entries)
        specs: list[tuple[Overclaim, OverclaimPattern, str, str | None]] = []
        problems: list[Problem] = []
        for entry in self.entries:
            for j, pat in enumerate(entry.patterns):
                try:
                    body = lexicon.expand(pat.regex)
                    req = lexicon.expand(pat.requires) if pat.requires else None
                except DataError as exc:
                    problems.append(
                        Problem(
                            "overclaims", None, f"overclaim {entry.id!r} pattern {j + 1}: {exc}"
                        )
                    )
                    continue
                specs.append((entry, pat, body, req))
        if problems:
            raise DataError(problems)
        topic = lexicon.expand("{topic}|{label_self}")
        key = _analysis_key(topic, specs)
        analysis = _cached_analysis(key, len(specs))
        if analysis is None:
            # not seen before: compile every regex (to report every bad one now, not in the
            # middle of an audit) and work out its literal gates
            for entry, pat, body, req in specs:
                try:
                    _rx(_full(body))
                    if req is not None:
                        _rx(req)
                except re.error as exc:
                    j = entry.patterns.index(pat) + 1
                    problems.append(
                        Problem("overclaims", None, f"overclaim {entry.id!r} pattern {j}: {exc}")
                    )
            if problems:
                raise DataError(problems)
            analysis = _analyse(topic, specs)
            _store_analysis(key, analysis)
        topic_gate, per_pattern = analysis
        patterns = [
            CompiledPattern(i, entry, pat, _full(body), req, gate, also)
            for i, ((entry, pat, body, req), (gate, also, _req_gate)) in enumerate(
                zip(specs, per_pattern, strict=True)
            )
        ]
        self.patterns: tuple[CompiledPattern, ...] = tuple(patterns)
        self.always: tuple[CompiledPattern, ...] = tuple(p for p in patterns if p.gate is None)
        self.gates: tuple[str, ...] = tuple(sorted({g for p in patterns for g in p.gate or ()}))
        # relevance: literals one of which a paragraph needs before anything can be found in
        # it - the topic words (patterns that need the topic), or the gates of patterns that
        # do not (their `requires` gate when they have one)
        relevant: set[str] = set(topic_gate or ())
        for p in patterns:
            if p.pattern.topic == "required" or (
                p.pattern.topic == "self" and "{topic}" in p.pattern.regex
            ):
                continue
            gate = per_pattern[p.index][2] or p.gate
            if gate is None:
                relevant = set()  # a pattern that can fire anywhere: no relevance filter
                break
            relevant |= gate
        # short strings would match inside words ("ot" in "not"); "OT" is in capitals, which
        # the lower-cased text keeps only for the abbreviation
        relevant = {g for g in relevant if len(g) >= 3 or (g.isupper() and len(g) >= 2)}
        self.relevance: GateScanner | None = GateScanner(relevant) if relevant else None
        # the scanner also holds the other literals patterns need, to rule out more of them
        self.scanner = GateScanner(
            set(self.gates) | {g for p in patterns for x in p.also for g in x}
        )
        self._by_gate, self._always = GateScanner.index([p.gate for p in patterns])
        # gate string -> (pattern, the other literal sets it needs) for every pattern it gates
        self._pairs = {
            g: tuple((pi, patterns[pi].also) for pi in pis) for g, pis in self._by_gate.items()
        }
        self._needs_topic = tuple(p.pattern.topic == "required" for p in patterns)
        self._searches: list[Callable[[str, int, int], re.Match[str] | None] | None] = [None] * len(
            patterns
        )

    def compile_all(self) -> None:
        """Compile every pattern's regexes now rather than on first use.

        Useful before timing an audit, or in a long-lived worker that should pay the whole
        compile up front (a few seconds for a large catalog, once per process).
        """
        for i, p in enumerate(self.patterns):
            p.requires  # noqa: B018 - compiles and caches it
            self._searches[i] = p.regex.search

    def __getstate__(self) -> dict[str, Any]:
        # the regexes' search methods are a per-process memo: rebuilt on first use
        state = self.__dict__.copy()
        state["_searches"] = [None] * len(self.patterns)
        return state

    def in_sentences(
        self,
        low: str,
        starts: list[int],
        ends: list[int],
        topical: list[bool] | None = None,
    ) -> list[Candidate]:
        """Matches in the sentences ``[starts[i], ends[i])`` of lower-cased ``low``.

        A pattern runs only on the sentences where its gate, and one string of each of the
        other literal sets it needs, occur (patterns without a gate run on every sentence),
        so each regex scans a sentence, not a paragraph, and few scans find nothing.
        Patterns that need the topic skip the sentences whose ``topical`` flag is false.
        """
        if not starts:
            return []
        pairs, always = self._pairs, self._always
        needs_topic, pats = self._needs_topic, self.patterns
        searches = self._searches
        out: list[Candidate] = []
        for si, found in enumerate(self.scanner.present_in(low, starts, ends)):
            s, e = starts[si], ends[si]
            chosen = set(always)
            for g in found:
                for pi, also in pairs.get(g, ()):
                    for x in also:
                        if found.isdisjoint(x):
                            break
                    else:
                        chosen.add(pi)
            if not chosen:
                continue
            top = topical is None or topical[si]
            for pi in sorted(chosen):
                if top or not needs_topic[pi]:
                    # most runs find nothing: search first, build candidates only on a match
                    search = searches[pi]
                    if search is None:  # compiled on first use (thread-safe: same result)
                        search = searches[pi] = pats[pi].regex.search
                    m = search(low, s, e)
                    if m is not None:
                        out.extend(_matches(pats[pi], low, m, e))
        return out


def _full(body: str) -> str:
    """A pattern's regex as it runs: it must start at a word character."""
    return r"\b(?=[a-z0-9]|OT\b)(?:" + body + ")"


_Gate = frozenset[str] | None
_Analysis = tuple[_Gate, list[tuple[_Gate, tuple[frozenset[str], ...], _Gate]]]
_ANALYSIS_FORMAT = "claimaudit literal gates 1"


def _analyse(
    topic: str, specs: list[tuple[Overclaim, OverclaimPattern, str, str | None]]
) -> _Analysis:
    """The topic gate, and for each pattern: its gate, its second gates, its ``requires`` gate."""
    out: list[tuple[_Gate, tuple[frozenset[str], ...], _Gate]] = []
    for _entry, _pat, body, req in specs:
        gate, also = literal_gates(body)
        if gate and req:
            # `requires` must match in the same sentence: its literals gate it too
            also = tuple(sorted(set(also) | set(selective_sets(req)), key=sorted))
        out.append((gate, also, literal_gate(req) if req else None))
    return literal_gate(topic), out


@functools.cache
def _gates_code() -> bytes:
    """The source of the gate analysis (a cached analysis is only valid for the same code)."""
    return Path(__file__).with_name("gates.py").read_bytes()


def _analysis_key(
    topic: str, specs: list[tuple[Overclaim, OverclaimPattern, str, str | None]]
) -> str:
    h = hashlib.blake2b(digest_size=20)
    for part in (_ANALYSIS_FORMAT, sys.version, topic):
        h.update(part.encode("utf-8") + b"\0")
    h.update(_gates_code())
    for _entry, _pat, body, req in specs:
        h.update(body.encode("utf-8") + b"\0" + (req or "").encode("utf-8") + b"\1")
    return h.hexdigest()


def _cached_analysis(key: str, n_patterns: int) -> _Analysis | None:
    """The stored analysis under ``key`` (see :func:`_analysis_key`), if any (else None).

    Working out the literal gates parses every regex in Python, most of a compile; the cache
    (plain JSON lists of strings under a digest of the patterns, of the gate code and of the
    Python version) lets a new process skip it. Its regexes compiled when it was stored.
    """
    from claimaudit.storage import cache_dir

    folder = cache_dir("gates")
    if folder is None:
        return None
    try:
        raw = json.loads((folder / f"{key}.json").read_bytes())
        topic_gate = _gate_of(raw["topic"])
        per = [
            (_gate_of(g), tuple(frozenset(_strings(x)) for x in also), _gate_of(r))
            for g, also, r in raw["patterns"]
        ]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if len(per) != n_patterns or any(x == frozenset() for _g, also, _r in per for x in also):
        return None
    return topic_gate, per


def _strings(value: Any) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise TypeError("not a list of strings")
    return value


def _gate_of(value: Any) -> _Gate:
    return None if value is None else frozenset(_strings(value))


def _store_analysis(key: str, analysis: _Analysis) -> None:
    from claimaudit.storage import cache_dir, write_cache_entry

    folder = cache_dir("gates")
    if folder is None:
        return

    def plain(gate: _Gate) -> list[str] | None:
        return None if gate is None else sorted(gate)

    topic_gate, per = analysis
    data = {
        "topic": plain(topic_gate),
        "patterns": [[plain(g), [sorted(x) for x in also], plain(r)] for g, also, r in per],
    }
    entry = folder / f"{key}.json"
    write_cache_entry(folder, entry, json.dumps(data, ensure_ascii=False))


def _matches(cp: CompiledPattern, low: str, first: re.Match[str], end: int) -> Iterator[Candidate]:
    """Every match of one pattern in ``low`` up to ``end``, from its ``first`` match on, as
    candidates (flagged span = ``hit``)."""
    search = cp.regex.search
    m: re.Match[str] | None = first
    while m is not None:
        # a later match may start inside a match that spans clauses ("it may help,
        # and it increases trust"); otherwise go on after it
        ms, me = m.span()
        pos = ms + 1 if low.find(",", ms, me) != -1 else me
        try:
            hs, he = m.span("hit")
        except IndexError:
            hs, he = -1, -1
        if hs < 0:
            hs, he = ms, me
        yield Candidate(cp, hs, he, ms, me, _own(m))
        m = search(low, pos, end)


def _own(m: re.Match[str]) -> tuple[int, int] | None:
    """The span of the match's ``own`` group, if the pattern has one and it matched."""
    if "own" not in m.re.groupindex:
        return None
    span = m.span("own")
    return span if span[0] >= 0 else None


def load_catalog_file(path: str | Path) -> list[Overclaim]:
    """Overclaim entries from a user's YAML file: a list, or a mapping with ``overclaims``."""
    p = Path(path)
    try:
        raw: Any = yaml.safe_load(p.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise DataError.single(p, None, "catalog file not found") from exc
    except IsADirectoryError as exc:
        raise DataError.single(p, None, "is a directory, not a catalog file") from exc
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise DataError.single(p, None, f"cannot read catalog: {exc}") from exc
    if isinstance(raw, dict) and "overclaims" in raw:
        raw = raw["overclaims"]
    if raw is None:
        return []
    if not isinstance(raw, list):
        raise DataError.single(p, 1, "expected a list of overclaim entries")
    from pydantic import ValidationError

    out: list[Overclaim] = []
    problems: list[Problem] = []
    for i, item in enumerate(raw, 1):
        try:
            out.append(Overclaim.model_validate(item))
        except ValidationError as exc:
            for err in exc.errors():
                loc = ".".join(str(x) for x in err["loc"])
                problems.append(Problem(str(p), None, f"entry {i}: {loc}: {err['msg']}"))
    if problems:
        raise DataError(problems)
    return out


def merge_catalogs(base: Iterable[Overclaim], extra: Iterable[Overclaim]) -> list[Overclaim]:
    """``base`` with the entries of ``extra`` added; an entry with the same id replaces it."""
    merged = {e.id: e for e in base}
    for e in extra:
        merged[e.id] = e
    return list(merged.values())
