"""Every example of every catalog entry is a test: `flag` examples must be flagged by that
entry (warning or error), `ok` examples must not be flagged by any entry."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from claimaudit.auditing.engine import default_auditor
from claimaudit.models import CATEGORIES as MODEL_CATEGORIES
from claimaudit.models import Overclaim

CATALOG = Path(__file__).resolve().parents[1] / "data" / "overclaims.yaml"
ENTRIES = [Overclaim.model_validate(e) for e in yaml.safe_load(CATALOG.read_text("utf-8"))]
CATEGORIES = set(MODEL_CATEGORIES)

FLAG = [(e.id, s) for e in ENTRIES for s in e.examples.flag]
OK = [(e.id, s) for e in ENTRIES for s in e.examples.ok]


def test_every_category_has_an_entry() -> None:
    assert {e.category for e in ENTRIES} >= CATEGORIES


@pytest.mark.parametrize("entry", ENTRIES, ids=lambda e: e.id)
def test_entry_explains_itself(entry: Overclaim) -> None:
    assert entry.what and entry.why and entry.example and entry.say_instead
    assert entry.patterns, "an entry without patterns detects nothing"
    assert entry.examples.flag and entry.examples.ok
    assert entry.refuted_by and entry.sources


@pytest.mark.parametrize("entry", ENTRIES, ids=lambda e: e.id)
def test_entry_example_is_flagged(entry: Overclaim) -> None:
    report = default_auditor().audit(entry.example)
    assert entry.id in {f.overclaim for f in report.findings}, entry.example


@pytest.mark.parametrize(("entry_id", "sentence"), FLAG)
def test_flag_examples(entry_id: str, sentence: str) -> None:
    found = {f.overclaim for f in default_auditor().audit(sentence).findings}
    assert entry_id in found, f"{sentence!r} not flagged by {entry_id} (found {found})"


@pytest.mark.parametrize(("entry_id", "sentence"), OK)
def test_ok_examples(entry_id: str, sentence: str) -> None:
    report = default_auditor().audit(sentence)
    assert report.findings == (), [(f.overclaim, f.stance, f.flagged) for f in report.findings]


def test_refuting_claims_and_sources_resolve(kb) -> None:  # type: ignore[no-untyped-def]
    for e in ENTRIES:
        for cid in e.refuted_by:
            assert kb.get(cid).id == cid
        for sid in e.sources:
            assert sid in kb.sources


def test_findings_carry_evidence_with_links() -> None:
    f = default_auditor().audit("Oxytocin is the trust hormone.").findings[0]
    assert f.evidence, "a finding names the claims that refute it"
    assert any(ev.maturity == "established" for ev in f.evidence)
    links = [s.link for ev in f.evidence for s in ev.sources if s.link]
    assert any(link.startswith("https://doi.org/") for link in links)
