"""Ingest of the reference document: every statement is a claim whose text and citations
match the document itself."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from claimaudit.errors import IngestError
from claimaudit.ingest import (
    ingest,
    resolve_marker,
    sentence_spans,
    split_marker,
    statement_text,
)
from claimaudit.models import Definition, Objective, Source
from claimaudit.storage import read_yaml_records

from .conftest import DATA, DOCUMENT, SHARED_DOCUMENT


@pytest.fixture(scope="module")
def result():  # type: ignore[no-untyped-def]
    sources = read_yaml_records(DATA / "sources.yaml", Source)
    return ingest(DOCUMENT, doc_id="oxytocin", known_sources=sources)


def test_shipped_document_is_a_byte_copy_of_the_reference() -> None:
    if not SHARED_DOCUMENT.exists():
        pytest.skip("../shared is not beside this checkout")
    assert DOCUMENT.read_bytes() == SHARED_DOCUMENT.read_bytes()


def test_every_claim_text_is_the_document_text_without_marker(result, document_text) -> None:  # type: ignore[no-untyped-def]
    for claim in result.claims:
        assert statement_text(document_text, claim) == claim.text, claim.id
        whole = document_text[claim.span.start : claim.span.end]
        if claim.marker is not None:
            assert claim.marker_span is not None
            assert document_text[claim.marker_span.start : claim.marker_span.end] == claim.marker
            assert claim.marker in whole


def test_citations_are_the_sources_the_marker_numbers(result) -> None:  # type: ignore[no-untyped-def]
    order = [s.id for s in result.sources]
    for claim in result.claims:
        if claim.marker is None or claim.marker == "LLM":
            assert claim.citations == (), claim.id
        else:
            assert claim.citations == tuple(order[int(d) - 1] for d in claim.marker), claim.id


def _statement_lines(text: str, sections: list[str]) -> list[tuple[int, str]]:
    """Lines of the document that must be covered by claims, found without the ingest code."""
    out = []
    pos = 0
    in_resources = False
    for line in text.split("\n"):
        start, pos = pos, pos + len(line) + 1
        s = line.strip()
        if s in sections:
            in_resources = s.startswith("Resources")
            continue
        if not s or s.startswith("▶") or in_resources:
            continue
        if s.startswith("|") and ("SMART objective" in s or re.fullmatch(r"[|\-\s:]+", s)):
            continue
        out.append((start, line))
    return out


def test_claims_cover_every_statement_of_the_document(result, document_text) -> None:  # type: ignore[no-untyped-def]
    covered = bytearray(len(document_text))
    for claim in result.claims:
        covered[claim.span.start : claim.span.end] = b"\x01" * (claim.span.end - claim.span.start)
    for start, line in _statement_lines(document_text, result.sections):
        label = re.match(r"LLM-generated illustrative example \(not a guideline\): ", line)
        skip = label.end() if label else 0
        for i, ch in enumerate(line):
            if i < skip or ch.isspace() or ch in "|-":
                continue
            assert covered[start + i], f"not in any claim: {line[max(0, i - 30) : i + 30]!r}"


def test_structure_of_the_reference_document(result) -> None:  # type: ignore[no-untyped-def]
    kinds = [c.kind for c in result.claims]
    assert kinds.count("objective") == 7  # SMART table rows
    assert kinds.count("definition") == 6  # key terms
    assert kinds.count("question") == 6  # reflective questions
    assert kinds.count("example") == 3  # sentences of the two LLM example paragraphs
    assert len(result.claims) == 89
    assert len(result.sources) == 7
    assert len(result.sections) == 14
    assert [s.number for s in result.sources] == list(range(1, 8))


def test_traps_of_the_format(result) -> None:  # type: ignore[no-untyped-def]
    texts = [c.text for c in result.claims]
    carter = [t for t in texts if t.startswith("C. Sue Carter")]
    assert len(carter) == 1 and carter[0].endswith("overreach.")
    assert any(t.startswith("Kosfeld et al.’s 2005 finding") for t in texts)
    assert not any(t.startswith("LLM-generated") for t in texts)
    assert not any("▶" in t or t.startswith("Watch") for t in texts)
    assert "Core Principles" not in texts
    examples = [c for c in result.claims if c.kind == "example"]
    assert examples[0].text.startswith("A clinician working with a client")
    assert examples[0].text.endswith("keeps that offline.”")
    assert examples[1].marker == "LLM"


def test_smart_rows_and_key_terms_are_split_into_fields(result) -> None:  # type: ignore[no-untyped-def]
    rows = [c for c in result.claims if isinstance(c, Objective)]
    assert rows[0].goal == "Increase felt relational safety"
    assert rows[0].mechanism == "Affiliative contact associated with stress down-regulation"
    assert rows[0].marker == "4"
    assert rows[-1].citations == ("nave-2015",)
    terms = [c for c in result.claims if isinstance(c, Definition)]
    assert [t.term for t in terms][:2] == ["Oxytocin", "Vasopressin"]
    assert terms[3].term == "“Calm and connection” / anti-stress response"
    assert terms[0].definition.endswith("social-bonding circuitry.")


def test_questions_keep_their_marker_after_the_question_mark(result) -> None:  # type: ignore[no-untyped-def]
    questions = [c for c in result.claims if c.kind == "question"]
    assert questions[0].marker == "6" and questions[0].text.endswith("popular myth?")
    assert questions[1].marker == "LLM"


def test_multi_source_markers(result) -> None:  # type: ignore[no-untyped-def]
    by_marker = {c.marker: c for c in result.claims}
    assert by_marker["123"].citations == ("lieberwirth-2014", "kosfeld-2005", "nave-2015")
    assert by_marker["36"].citations == ("nave-2015", "carter-2022")


def test_ids_are_stable_and_readable(result) -> None:  # type: ignore[no-untyped-def]
    ids = [c.id for c in result.claims]
    assert len(set(ids)) == len(ids)
    assert ids[0] == "oxytocin/type-discipline/1"
    assert "oxytocin/evidence-base/6" in ids


def test_reingest_reproduces_the_shipped_claims(result, kb) -> None:  # type: ignore[no-untyped-def]
    shipped = {c.id: c for c in kb.claims}
    assert set(shipped) == {c.id for c in result.claims}
    for c in result.claims:
        s = shipped[c.id]
        assert (s.text, s.span, s.citations, s.marker, s.kind) == (
            c.text,
            c.span,
            c.citations,
            c.marker,
            c.kind,
        )


def test_sentence_splitter_keeps_initials_and_abbreviations() -> None:
    p = "Dr. Smith met C. Sue Carter (e.g., at a talk) 1. Then they left LLM. Done?"
    assert [p[a:b] for a, b in sentence_spans(p)] == [
        "Dr. Smith met C. Sue Carter (e.g., at a talk) 1.",
        "Then they left LLM.",
        "Done?",
    ]


def test_split_marker_forms() -> None:
    assert split_marker("Safe contact calms 45.").marker == "45"
    assert split_marker("Safe contact calms 45.").text == "Safe contact calms."
    assert split_marker("No marker here.").marker is None
    assert split_marker("A quote ends here LLM.”").marker == "LLM"


def _doc(body: str, resources: int) -> str:
    items = "\n".join(f"- Paper number {i}" for i in range(1, resources + 1))
    return f"Core Principles\n{body}\nResources & Further Reading\n{items}\n"


def test_marker_citing_a_missing_source_is_an_error_naming_the_line(tmp_path: Path) -> None:
    doc = tmp_path / "d.txt"
    doc.write_text(_doc("Fine sentence 1. Bad sentence 8.", 3), encoding="utf-8")
    with pytest.raises(IngestError) as info:
        ingest(doc)
    [problem] = info.value.problems
    assert problem.line == 2 and "source 8" in problem.message and str(doc) in str(problem)


def test_run_together_digits_with_ten_sources_are_ambiguous_not_guessed(tmp_path: Path) -> None:
    doc = tmp_path / "d.txt"
    doc.write_text(_doc("Fine sentence 3. Ambiguous sentence 12.", 10), encoding="utf-8")
    with pytest.raises(IngestError, match="ambiguous"):
        ingest(doc)


def test_resolve_marker_rejects_zero_and_repeats() -> None:
    with pytest.raises(IngestError):
        resolve_marker("20", ["a", "b"], path="x", line=1)
    with pytest.raises(IngestError, match="repeats"):
        resolve_marker("11", ["a", "b"], path="x", line=1)
    assert resolve_marker("21", ["a", "b"], path="x", line=1) == ("b", "a")


def test_crlf_and_bom_keep_offsets_into_the_decoded_text(tmp_path: Path) -> None:
    doc = tmp_path / "d.txt"
    text = (
        "\ufeffCore Principles\r\nIt rarely acts alone 1. It is a system LLM.\r\n"
        "Resources & Further Reading\r\n- A paper\r\n"
    )
    doc.write_bytes(text.encode("utf-8"))
    res = ingest(doc)
    assert [c.text for c in res.claims] == ["It rarely acts alone.", "It is a system."]
    for c in res.claims:
        assert statement_text(res.text, c) == c.text


def test_undecodable_document_names_the_line(tmp_path: Path) -> None:
    doc = tmp_path / "d.txt"
    doc.write_bytes(b"Core Principles\nGood 1.\nBad \xff byte 1.\n")
    with pytest.raises(IngestError) as info:
        ingest(doc)
    assert info.value.problems[0].line == 3
