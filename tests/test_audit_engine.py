"""Offsets, normalization, Markdown, suppressions, options and thread-safety of the engine."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import claimaudit
from claimaudit.auditing.engine import Auditor, UnknownRuleError, default_auditor
from claimaudit.auditing.text import mask_markdown, normalize, split_sentences


def _flagged(text: str, **opts: object) -> list[str]:
    rep = claimaudit.audit(text, **opts)  # type: ignore[arg-type]
    out = []
    for f in rep.findings:
        assert 0 <= f.start < f.end <= len(text)
        assert text[f.start : f.end] == f.flagged
        assert text[f.sentence_start : f.sentence_end] == f.sentence
        out.append(f.flagged)
    return out


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Oxytocin is the love hormone.", "love hormone"),
        ("Oxytocin is the \u201clove hormone\u201d.", "love hormone"),
        ("Oxytocin is the lo\u200bve hor\u00admone.", "lo\u200bve hor\u00admone"),
        ("Oxytocin is the love hor-\nmone, they say.", "love hor-\nmone"),
        ("Oxytocin is the love&nbsp;hormone.", "love&nbsp;hormone"),
        ("Oxytocin is the love\u00a0hormone.", "love\u00a0hormone"),
        ("\u041exytocin is the trust hormone.", "trust hormone"),
        (
            "Every choir rehearsal \u2014 thanks to the bonding hormone \u2014 feels like family.",
            "bonding hormone",
        ),
    ],
)
def test_offsets_slice_the_original_text(text: str, expected: str) -> None:
    assert expected in _flagged(text)


def test_line_and_column_are_one_based() -> None:
    text = "Title line\n\nSome neutral prose.\nOxytocin is the cuddle hormone."
    f = claimaudit.audit(text).findings[0]
    assert (f.line, f.column) == (4, text.split("\n")[3].index("cuddle") + 1)
    assert f.end_line == 4 and f.end_column == f.column + len("cuddle hormone")


def test_normalize_maps_back() -> None:
    original = "A \u201cquote\u201d\u200b &amp; oxy-\ntocin\u2026"
    norm, omap = normalize(original)
    assert norm == 'A "quote" & oxytocin...'
    i = norm.index("oxytocin")
    assert original[omap.start(i) : omap.end(i + len("oxytocin"))] == "oxy-\ntocin"
    j = norm.index("&")
    assert original[omap.start(j) : omap.end(j + 1)] == "&amp;"


def test_normalize_reads_through_fillers_and_note_symbols() -> None:
    original = "Um, shyness is, uh, low OT \u2192 \u2191 stress; more OT = more calm."
    norm, omap = normalize(original)
    assert norm == "shyness is, low OT  leads to   more  stress; more OT means more calm."
    i = norm.index("leads to")
    assert original[omap.start(i) : omap.end(i + len("leads to"))] == "\u2192"
    # words that merely contain a filler, and hyphenation before a capital, are left alone
    assert normalize("Summer umbrellas, erratic numbers")[0] == "Summer umbrellas, erratic numbers"
    assert normalize("well-\nKnown")[0] == "well-\nKnown"


def test_sentences_end_at_question_and_exclamation_marks_before_lower_case() -> None:
    # informal text goes on in lower case after "?" or "!"; a full stop needs a capital
    text = "does a hug release oxytocin? genuinely asking. i read it online! so weird. e.g. this"
    spans = [text[s.start : s.end] for s in split_sentences(text, 0, len(text))]
    assert spans == [
        "does a hug release oxytocin?",
        "genuinely asking. i read it online!",
        "so weird. e.g. this",
    ]
    # the question is asked, not asserted: the tail after it does not make it a claim
    assert not claimaudit.audit("does a 20 sec hug release oxytocin? genuinely asking").findings


def test_plain_ascii_is_not_copied() -> None:
    text = "plain ascii text without specials"
    norm, omap = normalize(text)
    assert norm is text and omap.edits == ()


MARKDOWN = """---
title: Oxytocin is the love hormone
---
# Notes on oxytocin

Use `oxytocin is the love hormone` only as a bad example.
<!-- Oxytocin is the trust hormone -->
See [the cuddle hormone page](https://example.org/oxytocin-is-the-love-hormone).

```
Oxytocin is the trust hormone.
```

    Oxytocin is the moral molecule.

Oxytocin is the **trust hormone**, say the ads.
"""


def test_markdown_code_front_matter_comments_and_urls_are_not_prose() -> None:
    rep = claimaudit.audit(MARKDOWN, path="notes.md")
    flagged = [(f.line, f.flagged) for f in rep.findings]
    # the link text is prose; everything else but the last line is not
    assert flagged == [(8, "cuddle hormone"), (16, "trust hormone")], flagged
    for f in rep.findings:
        assert MARKDOWN[f.start : f.end] == f.flagged


def test_mask_keeps_length_and_lines() -> None:
    masked = mask_markdown(MARKDOWN)
    assert len(masked) == len(MARKDOWN)
    assert masked.count("\n") == MARKDOWN.count("\n")
    assert "love hormone" not in masked.split("\n")[1]


@pytest.mark.parametrize("nl", ["\n", "\r\n", "\r"])
def test_code_blocks_are_masked_whatever_the_line_endings(nl: str) -> None:
    # markdown-it breaks lines at "\r" too; the masked block must be the one it parsed
    text = nl.join(
        ["Intro", "", "```", "Oxytocin is the love hormone.", "```", "It is made in the brain.", ""]
    )
    text += "Oxytocin is the trust hormone." + nl
    found = claimaudit.audit(text, path="notes.md").findings
    assert [text[f.start : f.end] for f in found] == ["trust hormone"]


def test_markdown_detected_without_a_path() -> None:
    text = "# Oxytocin\n\n```\nOxytocin is the love hormone.\n```\n"
    assert claimaudit.audit(text).findings == ()
    assert claimaudit.audit(text, format="text").findings != ()


SUPPRESSED = """Oxytocin is the love hormone.
<!-- claimaudit: disable-next-line=hormone-label -->
Oxytocin is the cuddle hormone.

<!-- claimaudit: disable=trust-hormone-label -->
Oxytocin is the trust hormone.
Oxytocin is the moral molecule.
<!-- claimaudit: enable=trust-hormone-label -->
Oxytocin is the trust hormone again.
<!-- claimaudit: disable=all -->
Cuddle for five minutes to release oxytocin.
"""


def test_inline_suppressions() -> None:
    rep = claimaudit.audit(SUPPRESSED, path="s.md")
    lines = sorted(f.line for f in rep.findings)
    assert lines == [1, 7, 9], [(f.line, f.flagged) for f in rep.findings]
    assert rep.suppressed == 3
    assert len(claimaudit.audit(SUPPRESSED, path="s.md", suppress=False).findings) == 6


def test_select_and_ignore() -> None:
    text = "Oxytocin is the love hormone. Cuddle for five minutes to release oxytocin."
    assert {f.category for f in claimaudit.audit(text, select=["hormone-label"]).findings} == {
        "hormone-label"
    }
    assert {f.overclaim for f in claimaudit.audit(text, ignore=["hug-dose"]).findings} == {
        "love-hormone-label"
    }
    with pytest.raises(UnknownRuleError):
        claimaudit.audit(text, select=["no-such-rule"])


def test_min_severity() -> None:
    text = "Oxytocin, often called the love hormone, rises after hugs."
    assert [f.severity for f in claimaudit.audit(text).findings] == ["warning"]
    assert claimaudit.audit(text, min_severity="error").findings == ()


def test_extra_catalog_adds_and_overrides(tmp_path) -> None:  # type: ignore[no-untyped-def]
    extra = tmp_path / "rules.yaml"
    extra.write_text(
        """
- id: vitamin-o
  title: Oxytocin called a vitamin
  category: single-molecule
  proposition: oxytocin is a vitamin for relationships
  status: refuted
  severity: warning
  what: Flags "vitamin O".
  why: It is a hormone, not a nutrient.
  example: Oxytocin is vitamin O for couples.
  say_instead: Oxytocin is a neuropeptide hormone.
  patterns:
    - regex: '\\b(?P<hit>vitamin\\s+o)\\b'
  examples:
    flag: [Oxytocin is vitamin O for couples.]
    ok: [Vitamin D is a vitamin.]
""",
        encoding="utf-8",
    )
    auditor = Auditor(extra_catalog=extra)
    found = auditor.audit("Oxytocin is vitamin O for couples.").findings
    assert [(f.overclaim, f.severity) for f in found] == [("vitamin-o", "warning")]
    assert default_auditor().audit("Oxytocin is vitamin O for couples.").findings == ()


def test_auditor_from_a_plain_catalog() -> None:
    entry = default_auditor().rules[0].model_dump()
    auditor = Auditor(catalog=[entry])
    found = auditor.audit("Oxytocin is the trust hormone.").findings
    assert [f.overclaim for f in found] == [entry["id"]]
    assert found[0].evidence[0].maturity == "unknown"  # no knowledge base given


def test_audit_with_an_explicit_kb(kb) -> None:  # type: ignore[no-untyped-def]
    rep = claimaudit.audit("Oxytocin is the trust hormone.", kb=kb)
    assert rep.findings[0].evidence[0].text


def test_thread_safe_results_equal_serial(document_text: str) -> None:
    texts = [
        "Oxytocin is the love hormone.",
        "Some studies suggest oxytocin may increase trust.",
        "Raising oxytocin levels will mend a failing friendship.",
        document_text,
        "Carry an oxytocin nasal mist in your pocket. It soothes anyone nearby.",
        MARKDOWN,
    ] * 8
    auditor = default_auditor()
    serial = [auditor.audit(t, min_severity="info").findings for t in texts]
    with ThreadPoolExecutor(max_workers=8) as pool:
        parallel = list(pool.map(lambda t: auditor.audit(t, min_severity="info").findings, texts))
    assert parallel == serial
    assert any(serial)


def test_audit_rejects_non_text() -> None:
    with pytest.raises(TypeError):
        claimaudit.audit(b"bytes")  # type: ignore[arg-type]


def test_empty_and_blank_text() -> None:
    assert claimaudit.audit("").findings == ()
    assert claimaudit.audit("\n\n   \n").findings == ()


def test_literal_gates() -> None:
    from claimaudit.auditing.gates import GateScanner, literal_gate

    # re's parser factors the common prefix out of the alternation: "trust" is required
    assert literal_gate(r"\bmore\s+(?:trusting|trustful)\b") == frozenset({"trust"})
    assert literal_gate(r"(?:calm|soothe)s?\s+you") == frozenset({"calm", "soothe"})
    assert literal_gate(r"(?:a|b)\w+") is None  # single letters would not filter anything
    scanner = GateScanner(["skips over", "oversimplif", "trust", "trusting"])
    # overlapping gates are all found, and a gate inside a longer one too
    assert scanner.present("it skips oversimplified trusting") == {
        "skips over",
        "oversimplif",
        "trust",
        "trusting",
    }
    assert scanner.present("skips over it") == {"skips over"}
    assert scanner.positions("a trust, trusting") == [2, 9]
    # pickled as its strings (small, the same bytes every time) and rebuilt on arrival
    import pickle

    data = pickle.dumps(scanner)
    assert data == pickle.dumps(scanner) and len(data) < 500
    copy = pickle.loads(data)
    assert copy.present("it skips oversimplified trusting") == scanner.present(
        "it skips oversimplified trusting"
    )


def test_everyday_prose_is_skipped_by_the_relevance_pass() -> None:
    # The relevance pass skips paragraphs with none of the literals a pattern could need; a
    # pattern that can fire without the topic must be gated on rare words, or every
    # paragraph becomes relevant and the audit of ordinary text slows down several times.
    prose = (
        "all of us went to the market on friday, and any of the stalls will take cards. "
        "everyone agreed that the new library opens every day at nine, each of them said so. "
        "the train leaves every ten minutes; we always bring a book and some water. "
        "by noon the rain goes away and the worry about the picnic melts away."
    )
    relevance = default_auditor().catalog.relevance
    assert relevance is not None
    assert relevance.positions(prose) == [], [prose[i : i + 12] for i in relevance.positions(prose)]


def test_every_pattern_compiles_and_is_gated_or_always_run() -> None:
    cat = default_auditor().catalog
    assert cat.patterns
    for p in cat.patterns:
        assert p.gate is None or all(len(g) >= 2 or not g.isalnum() for g in p.gate)
    assert cat.relevance is not None


_PIECES = st.sampled_from(
    [
        "Oxytocin is the love hormone. ",
        "oxy-\ntocin is the \u201ctrust hormone\u201d. ",
        "It makes people trust. ",
        "&amp; ",
        "\u200b",
        "\u00ad",
        "\ufb01",
        "# Heading\n",
        "```\ncode\n```\n",
        "<!-- claimaudit: disable=all -->\n",
        "\n\n",
        "A ten-second cuddle. ",
        "\u0130stanbul ",
        "? ",
    ]
)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.one_of(_PIECES, st.text(max_size=20)), max_size=12))
def test_audit_never_raises_and_spans_slice_the_input(parts: list[str]) -> None:
    text = "".join(parts)
    for fmt in ("text", "markdown"):
        rep = claimaudit.audit(text, format=fmt, min_severity="info")
        for f in rep.findings:
            assert 0 <= f.start < f.end <= len(text)
            assert text[f.start : f.end] == f.flagged and f.flagged.strip()
            assert text[f.sentence_start : f.sentence_end] == f.sentence
