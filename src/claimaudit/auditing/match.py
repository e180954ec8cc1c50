"""Catalog patterns compiled into ONE combined matcher.

Every pattern of every overclaim entry becomes a named group ``p<i>`` of a single
alternation, so a paragraph is scanned once whatever the size of the catalog; the group that
matched tells which entry and pattern fired. Patterns use the lexicon's ``{macros}``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from claimaudit.auditing.lexicon import FLAGS, Lexicon
from claimaudit.errors import DataError, Problem
from claimaudit.models import Overclaim, OverclaimPattern, Severity

__all__ = ["Candidate", "CompiledCatalog", "CompiledPattern", "load_catalog_file", "merge_catalogs"]

_HIT = re.compile(r"\(\?P<hit>")


@dataclass(frozen=True, slots=True)
class CompiledPattern:
    """One detection pattern, ready to use."""

    index: int
    entry: Overclaim
    pattern: OverclaimPattern
    requires: re.Pattern[str] | None

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


class CompiledCatalog:
    """The catalog's patterns compiled into one regex (immutable, thread-safe)."""

    def __init__(self, entries: Iterable[Overclaim], lexicon: Lexicon) -> None:
        self.entries: tuple[Overclaim, ...] = tuple(entries)
        patterns: list[CompiledPattern] = []
        lanes: dict[bool, list[str]] = {True: [], False: []}
        problems: list[Problem] = []
        for entry in self.entries:
            for j, pat in enumerate(entry.patterns):
                i = len(patterns)
                try:
                    body = lexicon.expand(pat.regex)
                    body = _HIT.sub(f"(?P<p{i}h>", body, count=1)
                    re.compile(body, FLAGS)
                    req = re.compile(lexicon.expand(pat.requires), FLAGS) if pat.requires else None
                except (re.error, DataError) as exc:
                    problems.append(
                        Problem(
                            "overclaims", None, f"overclaim {entry.id!r} pattern {j + 1}: {exc}"
                        )
                    )
                    continue
                patterns.append(CompiledPattern(i, entry, pat, req))
                lanes[pat.label].append(f"(?P<p{i}>{body})")
        if problems:
            raise DataError(problems)
        self.patterns: tuple[CompiledPattern, ...] = tuple(patterns)
        # two lanes, so that a label ("cuddle spray") and a claim that starts with the same
        # words ("cuddle spray ... helps you trust") are both found
        self.regexes: tuple[re.Pattern[str], ...] = tuple(
            re.compile("|".join(g), FLAGS) for g in (lanes[True], lanes[False]) if g
        )

    def candidates(self, text: str, start: int, end: int) -> Iterator[Candidate]:
        """Every match in ``text[start:end]``, overlapping ones that start later included."""
        pats = self.patterns
        for rx in self.regexes:
            pos = start
            while True:
                m = rx.search(text, pos, end)
                if m is None:
                    break
                name = m.lastgroup
                assert name is not None
                cp = pats[int(name[1:])]
                hs, he = m.span(name + "h") if f"{name}h" in rx.groupindex else (-1, -1)
                if hs < 0:
                    hs, he = m.span()
                yield Candidate(cp, hs, he, m.start(), m.end())
                pos = m.start() + 1


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
