"""The cache of literal-gate analyses: a new process skips re-analysing an unchanged catalog,
and nothing the cache holds can change what the audit finds or hide a bad pattern."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from claimaudit.auditing import match
from claimaudit.auditing.engine import Auditor
from claimaudit.errors import DataError

TEXT = (
    "Oxytocin is the love hormone. A nasal oxytocin mist clears up social phobia. "
    "Some studies suggest oxytocin may be linked to trust."
)


def _findings(a: Auditor) -> list[tuple[int, int, str, str]]:
    return [(f.start, f.end, f.overclaim, f.severity) for f in a.audit(TEXT).findings]


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("CLAIMAUDIT_CACHE_DIR", str(folder))
    match._COMPILED.clear()  # as in a new process
    return folder / "gates"


def test_a_second_compile_reads_the_stored_analysis(
    cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = Auditor()
    entries = list(cache.glob("*.json"))
    assert len(entries) == 1
    calls: list[int] = []
    real = match._analyse

    def counting(*args: object) -> object:
        calls.append(1)
        return real(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(match, "_analyse", counting)
    match._COMPILED.clear()
    second = Auditor()
    assert calls == []  # the analysis came from the cache
    assert [p.gate for p in second.catalog.patterns] == [p.gate for p in first.catalog.patterns]
    assert [p.also for p in second.catalog.patterns] == [p.also for p in first.catalog.patterns]
    assert _findings(second) == _findings(first)


def test_a_changed_catalog_misses_the_cache(cache: Path) -> None:
    a = Auditor()
    extra = [a.catalog.entries[0].model_dump()]
    extra[0]["id"] = "my-rule"
    extra[0]["patterns"] = [{"regex": r"\b(?P<hit>hug juice)\b", "topic": "none"}]
    b = Auditor(extra_catalog=extra)
    assert len(list(cache.glob("*.json"))) == 2
    assert [f.overclaim for f in b.audit("Try some hug juice.").findings] == ["my-rule"]


def test_a_broken_or_tampered_entry_is_not_trusted(cache: Path) -> None:
    good = _findings(Auditor())
    (entry,) = cache.glob("*.json")
    for bad in ("{not json", json.dumps({"topic": None, "patterns": [[1, 2, 3]]}), "[]"):
        entry.write_text(bad, encoding="utf-8")
        match._COMPILED.clear()
        assert _findings(Auditor()) == good


def test_a_bad_pattern_is_reported_at_compile_time(cache: Path) -> None:
    a = Auditor()
    extra = [a.catalog.entries[0].model_dump()]
    extra[0]["id"] = "broken"
    extra[0]["patterns"] = [{"regex": r"(?<=a+)oxytocin"}]  # a variable-width lookbehind
    for _ in range(2):  # and again: a failed compile stores nothing that could hide it
        with pytest.raises(DataError, match="broken"):
            Auditor(extra_catalog=extra)


def test_the_cache_can_be_turned_off(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("CLAIMAUDIT_CACHE_DIR", "")
    assert _findings(Auditor())
    assert not list(tmp_path.rglob("*.json"))
