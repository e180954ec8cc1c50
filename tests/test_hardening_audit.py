"""Evasion, messy text and hostile input: the same overclaim is still found, offsets still
point at the right characters, and nothing raises or backtracks."""

from __future__ import annotations

import json
import time
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import claimaudit

BASE = "Oxytocin is the trust hormone."


def _errors(text: str):  # type: ignore[no-untyped-def]
    return [f for f in claimaudit.audit(text).findings if f.severity == "error"]


def _fold(s: str) -> str:
    """What a reader sees: compatibility-folded, without invisible characters."""
    s = unicodedata.normalize("NFKC", s)
    for ch in ("\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad"):
        s = s.replace(ch, "")
    return s


DISGUISES = {
    "zero-width space": "Oxy\u200btocin is the tr\u200bust hor\u200bmone.",
    "zero-width joiner": "Oxytocin is the trust\u200d hormone.",
    "soft hyphens": "Oxy\u00adto\u00adcin is the trust hor\u00admone.",
    "word joiner": "Oxytocin is the trust\u2060hormone.".replace("trust\u2060", "trust \u2060"),
    "fullwidth letters": "Ｏｘｙｔｏｃｉｎ is the ｔｒｕｓｔ hormone.",
    "upper case": "OXYTOCIN IS THE TRUST HORMONE.",
    "odd casing": "oXyToCiN is The TrUsT hOrMoNe.",
    "extra spaces": "Oxytocin   is  the \t trust    hormone.",
    "line break hyphenation": "Oxy-\ntocin is the trust hor-\nmone.",
    "line break without hyphen": "Oxytocin is the trust\nhormone.",
    "curly quotes": "Oxytocin is the “trust hormone.”",
    "straight quotes": 'Oxytocin is the "trust hormone."',
    "html entities": "Oxytocin is the &ldquo;trust&nbsp;hormone&rdquo;.",
    "numeric entities": "Oxytocin is the &#8220;trust hormone&#8221;.",
    "emoji": "🤗 Oxytocin is the trust hormone 💕.",
    "no-break spaces": "Oxytocin\u00a0is\u00a0the\u00a0trust\u00a0hormone.",
}


@pytest.mark.parametrize("name", sorted(DISGUISES))
def test_disguised_overclaim_is_still_found_and_sliced_exactly(name: str) -> None:
    text = DISGUISES[name]
    errors = _errors(text)
    assert errors, f"{name}: not found in {text!r}"
    f = errors[0]
    assert f.category == "hormone-label"
    flagged = text[f.start : f.end]
    assert flagged == f.flagged
    assert flagged.strip() and flagged[0] not in " \n" and flagged[-1] not in " \n"
    folded = " ".join(_fold(flagged).replace("-\n", "").split()).lower()
    assert "trust" in folded and "hormone" in folded.replace("&nbsp;", " ")


HOMOGLYPHS = {
    "cyrillic o": "Оxytocin",  # U+041E
    "cyrillic small o": "Oxytоcin",  # U+043E
    "cyrillic c": "Oxytoсin",  # U+0441
    "greek omicron": "Οxytocin",  # U+039F
    "cyrillic x and y": "Oхуtocin",  # U+0445 U+0443
    "mathematical bold": "𝐎𝐱𝐲𝐭𝐨𝐜𝐢𝐧",
}


@pytest.mark.parametrize("name", sorted(HOMOGLYPHS))
def test_homoglyphs_in_oxytocin_do_not_hide_the_topic(name: str) -> None:
    word = HOMOGLYPHS[name]
    text = f"{word} builds trust between rival negotiators."
    findings = claimaudit.audit(text).findings
    assert findings, f"{name}: {text!r} not flagged"
    f = findings[0]
    assert text[f.start : f.end] == f.flagged
    assert 0 <= f.start < f.end <= len(text)


def test_offsets_after_many_invisible_characters_point_at_the_right_words() -> None:
    noise = "\u200b\u00ad" * 50
    text = f"Intro{noise} sentence here. " + noise + "Oxytocin is the cuddle hormone."
    [f] = _errors(text)
    assert text[f.start : f.end].replace("\u200b", "").replace("\u00ad", "") in (
        "cuddle hormone",
        "the cuddle hormone",
        "Oxytocin is the cuddle hormone",
    )
    assert text[f.start : f.end] == f.flagged


def test_same_answer_twice_and_hedged_version_is_not_an_error() -> None:
    text = " ".join(DISGUISES.values())
    first = [f.to_dict() for f in claimaudit.audit(text).findings]
    second = [f.to_dict() for f in claimaudit.audit(text).findings]
    assert first == second
    assert not _errors("Some studies suggest oxytocin may increase trust.")


# --------------------------------------------------------------------- hostile input

HOSTILE = [
    " " * 20_000,
    "-" * 20_000,
    "—" * 10_000,
    '"' * 20_000,
    "“" * 10_000 + "”" * 10_000,
    "(" * 5_000 + ")" * 5_000,
    "[" * 5_000 + "](" * 2_000,
    "<!--" * 5_000,
    "```" * 5_000,
    "oxytocin " * 5_000,
    "oxytocin trust hormone love " * 3_000,
    "Oxytocin is the " + "very " * 10_000 + "trust hormone.",
    "a" * 50_000,
    ".\n" * 20_000,
    "&amp;" * 10_000,
    "\u200b" * 20_000,
    "[oxytocin](" * 3_000,
    "`oxytocin " * 5_000,
    "<!-- oxytocin is the love hormone " * 2_000,
]


@pytest.mark.parametrize("index", range(len(HOSTILE)))
def test_inputs_built_to_backtrack_finish_quickly(index: int) -> None:
    text = HOSTILE[index]
    started = time.perf_counter()
    report = claimaudit.audit(text)
    elapsed = time.perf_counter() - started
    assert elapsed < 10.0, f"{elapsed:.2f}s on input {index}"  # generous: linear runs take ms
    for f in report.findings:
        assert 0 <= f.start < f.end <= len(text)


def test_backtracking_inputs_scale_linearly() -> None:
    """Doubling a pathological input must not much more than double the time."""

    def cost(n: int) -> float:
        text = ("Oxytocin " + "-" * 40 + " " * 40 + '"' * 20 + "(" * 20 + " [oxytocin](`<!-- ") * n
        best = float("inf")
        for _ in range(3):
            t = time.perf_counter()
            claimaudit.audit(text)
            best = min(best, time.perf_counter() - t)
        return best

    small, large = cost(200), cost(1_600)
    assert large < small * 8 * 4 + 0.5  # 8x input; allow 4x slack for noise, never quadratic


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                "Oxytocin",
                "oxy-\ntocin",
                "is the",
                "trust hormone",
                "love hormone",
                "may",
                "not",
                "myth",
                "?",
                ".",
                "\n\n",
                "<!--",
                "-->",
                "`",
                "```\n",
                "&quot;",
                "\u200b",
                "\u00ad",
                "“",
                "”",
                "Ｏ",
                "🤗",
                " ",
                "\r\n",
                "[link](",
                ")",
            ]
        )
        | st.text(max_size=8),
        max_size=40,
    ).map("".join)
)
def test_audit_never_raises_and_findings_slice_non_empty_text(text: str) -> None:
    report = claimaudit.audit(text)
    again = claimaudit.audit(text)
    assert [f.to_dict() for f in report.findings] == [f.to_dict() for f in again.findings]
    for f in report.findings:
        assert 0 <= f.start < f.end <= len(text)
        assert text[f.start : f.end] == f.flagged
        assert f.flagged.strip()


# --------------------------------------------------------------------- safe output

NASTY = 'Oxytocin is the "trust hormone" <script>alert("x")</script> & </b> \u202e.'


def test_json_and_sarif_encode_input() -> None:
    report = claimaudit.audit(NASTY)
    assert report.findings
    data = json.loads(report.to_json())
    assert any("<script>" in f["sentence"] for f in data["findings"])  # kept as data, as text
    sarif = report.to_sarif()
    text = json.dumps(sarif) if not isinstance(sarif, str) else sarif
    parsed = json.loads(text)
    assert parsed["version"] == "2.1.0"


def test_html_never_embeds_raw_input_as_markup() -> None:
    pytest.importorskip("claimaudit.render")
    report = claimaudit.audit(NASTY)
    page = report._repr_html_()
    assert "<script" not in page
    assert "&lt;script&gt;" in page and "&lt;/b&gt;" in page
    assert '"trust hormone"' not in page  # quotes escaped too (attribute-safe)
