"""Evidence-maturity grading (DESIGN.md §4) on the reference document."""

from __future__ import annotations

from claimaudit.grading import grade, rate
from claimaudit.models import Assertion, Maturity, Override, Source, Span


def test_llm_marked_and_unmarked_statements_are_llm_authored(kb) -> None:  # type: ignore[no-untyped-def]
    for c in kb.claims:
        if c.marker in (None, "LLM"):
            assert c.maturity is Maturity.LLM_AUTHORED, c.id
    unmarked = kb.get("oxytocin/core-principles/1")
    assert unmarked.marker is None and "no citation marker" in unmarked.rationale
    assert "Marked LLM" in kb.get("oxytocin/type-discipline/5").rationale


def test_kosfeld_trust_result_is_contested_by_its_critique(kb) -> None:  # type: ignore[no-untyped-def]
    c = kb.get("oxytocin/creators-lineage/5")
    assert c.maturity is Maturity.CONTESTED
    assert "Kosfeld et al. 2005" in c.rationale and "Nave et al. 2015" in c.rationale
    assert [x.id for x in kb.filter(maturity="contested")] == [c.id]


def test_sentences_reporting_the_critique_are_established(kb) -> None:  # type: ignore[no-untyped-def]
    for cid in (
        "oxytocin/evidence-base/6",  # Kosfeld's finding *and* Nave's critique, marker 23
        "oxytocin/evidence-base/8",  # "treat ... as unproven", marker 3
        "oxytocin/common-misconceptions/2",  # "have not replicated robustly", marker 3
        "oxytocin/training-certification/2",  # marker 123
    ):
        c = kb.get(cid)
        assert c.maturity is Maturity.ESTABLISHED, cid
    assert "together with its critique" in kb.get("oxytocin/evidence-base/6").rationale


def test_examples_are_llm_authored_even_without_marker(kb) -> None:  # type: ignore[no-untyped-def]
    examples = kb.filter(kind="example")
    assert examples and all(c.maturity is Maturity.LLM_AUTHORED for c in examples)
    assert examples[0].marker is None


def test_grading_is_deterministic_and_matches_the_stored_ratings(kb) -> None:  # type: ignore[no-untyped-def]
    first = grade(kb.claims, kb.sources, kb.overclaims)
    second = grade(list(reversed(kb.claims)), kb.sources, kb.overclaims)
    assert [(c.maturity, c.rationale) for c in first] == [
        (c.maturity, c.rationale) for c in reversed(second)
    ]
    assert [(c.maturity, c.rationale) for c in first] == [
        (c.maturity, c.rationale) for c in kb.claims
    ]


def _claim(marker: str | None, citations: tuple[str, ...], **extra: object) -> Assertion:
    return Assertion(
        id="d/s/1",
        document="d",
        text="A statement.",
        section="S",
        paragraph=0,
        position=1,
        span=Span(start=0, end=12),
        marker=marker,
        citations=citations,
        **extra,  # type: ignore[arg-type]
    )


SOURCES = {
    "a": Source(id="a", title="Finding", authors=("Alpha A",), year=2001),
    "b": Source(
        id="b", title="Critique", authors=("Beta B", "Gamma G"), year=2010, critiques=("a",)
    ),
    "c": Source(id="c", title="Unrelated", venue="Some Clinic"),
}


def test_rules_on_synthetic_sources() -> None:
    assert rate(_claim("1", ("a",)), SOURCES)[0] is Maturity.CONTESTED
    assert rate(_claim("12", ("a", "b")), SOURCES)[0] is Maturity.ESTABLISHED
    assert rate(_claim("2", ("b",)), SOURCES)[0] is Maturity.ESTABLISHED
    assert rate(_claim("3", ("c",)), SOURCES) == (
        Maturity.ESTABLISHED,
        "It cites Some Clinic, and no other source critiques that source.",
    )
    assert rate(_claim("LLM", ()), SOURCES)[0] is Maturity.LLM_AUTHORED


def test_override_wins_and_says_so() -> None:
    claim = _claim(
        "3", ("c",), override=Override(maturity=Maturity.CONTESTED, rationale="Editor call.")
    )
    [graded] = grade([claim], SOURCES)
    assert graded.maturity is Maturity.CONTESTED
    assert graded.rationale == "Curated override: Editor call. (computed rating: established)."
