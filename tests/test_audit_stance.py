"""Each stance with its own examples (written for this project, not taken from the eval set)."""

from __future__ import annotations

import pytest

import claimaudit
from claimaudit.auditing.stance import Stance


def _stances(text: str) -> list[tuple[str, Stance, str]]:
    rep = claimaudit.audit(text, min_severity="info")
    return [(f.overclaim, f.stance, f.severity) for f in rep.findings]


def _reported(text: str) -> list[tuple[str, str]]:
    return [(f.overclaim, f.severity) for f in claimaudit.audit(text).findings]


ASSERTED = [
    "Oxytocin is the cuddle hormone.",
    "Book clubs thrive on oxytocin, the bonding hormone.",
    "Research has established that oxytocin keeps spouses loyal.",
    "The hormone oxytocin fosters empathy in every conversation.",
    "Did you know oxytocin is the love hormone?",
]
ATTRIBUTED = [
    "Dubbed the cuddle hormone by glossy magazines, oxytocin rises when friends embrace.",
    "Oxytocin has been nicknamed the love molecule by wellness writers.",
    "Researchers reported that oxytocin increased trust among teammates.",
]
HEDGED = [
    "Some studies suggest oxytocin may increase trust in small groups.",
    "Oxytocin might play a key part in how parents bond with a newborn.",
    "Oxytocin appears to increase calm after safe contact.",
    "It remains unclear whether oxytocin improves social skills in autism.",
]
DISTANCED = [
    "Ad agencies claim their oxytocin mist builds trust in a brand overnight.",
    "The so-called love hormone is only one part of the story.",
    "Product pages promise that an oxytocin spray will build instant trust.",
]
DEBUNKED = [
    "The notion that oxytocin serves as a love hormone is folklore rather than science.",
    "Larger samples could not reproduce the finding that oxytocin raises trust.",
    "The evidence that oxytocin reliably increases trust is weak.",
    "Branding oxytocin the moral molecule oversimplifies a messy literature.",
    "Were it a genuine love potion, oxytocin would make anyone fall for the first face seen.",
]
NEGATED = [
    "Oxytocin is not the love hormone.",
    "Oxytocin does not build trust between rival firms.",
    "Oxytocin is neither a love potion nor a cure for loneliness.",
    "Oxytocin never creates a bond by itself.",
]
QUESTIONS = [
    "Is oxytocin really the trust hormone?",
    "Does oxytocin keep newlyweds devoted to each other?",
]
EXAMPLES = [
    'Avoid phrases such as "oxytocin is the love hormone" in client handouts.',
    'Replace lines like "a sniff of oxytocin builds trust" with the evidence.',
]


@pytest.mark.parametrize("text", ASSERTED)
def test_asserted_is_an_error(text: str) -> None:
    found = _stances(text)
    assert any(s is Stance.ASSERTED and sev == "error" for _, s, sev in found), found


@pytest.mark.parametrize("text", ATTRIBUTED)
def test_attributed_is_a_warning(text: str) -> None:
    found = _stances(text)
    assert found and all(s is Stance.ATTRIBUTED and sev == "warning" for _, s, sev in found), found


@pytest.mark.parametrize(
    ("text", "stance"),
    [(t, Stance.HEDGED) for t in HEDGED]
    + [(t, Stance.DISTANCED) for t in DISTANCED]
    + [(t, Stance.DEBUNKED) for t in DEBUNKED]
    + [(t, Stance.NEGATED) for t in NEGATED]
    + [(t, Stance.QUESTION) for t in QUESTIONS]
    + [(t, Stance.EXAMPLE) for t in EXAMPLES],
)
def test_not_reported(text: str, stance: Stance) -> None:
    assert _reported(text) == []
    found = _stances(text)
    assert found, "the candidate is still seen (as info)"
    assert {s for _, s, _ in found} == {stance}, found
    assert all(sev == "info" for _, _, sev in found)


def test_hedge_does_not_rescue_a_claim_asserted_in_the_same_sentence() -> None:
    found = _reported("Oxytocin may help with sleep, and it increases trust between partners.")
    assert ("trust-effect", "error") in found


def test_myth_mentioned_in_order_to_debunk_it() -> None:
    text = "A popular myth says oxytocin is the trust hormone; the trial evidence does not back it."
    assert _reported(text) == []


def test_nickname_corrected_in_the_same_sentence() -> None:
    text = (
        "Headlines like to call oxytocin the cuddle hormone, yet that tag badly oversimplifies it."
    )
    assert _reported(text) == []


def test_nickname_corrected_in_the_next_sentence() -> None:
    text = (
        "Lifestyle columns like to call oxytocin the love hormone. "
        "Scientists regard that tag as a gross oversimplification."
    )
    assert _reported(text) == []


def test_debunk_two_sentences_later_does_not_rescue() -> None:
    text = (
        "Oxytocin is the love hormone. It is made in the hypothalamus. "
        "Some say the label is a myth."
    )
    assert ("love-hormone-label", "error") in _reported(text)


def test_debunk_in_the_next_paragraph_does_not_rescue() -> None:
    text = "Oxytocin is the love hormone.\n\nThat label is a myth."
    assert ("love-hormone-label", "error") in _reported(text)


def test_contrast_gives_the_last_clause_the_last_word() -> None:
    assert _reported("The label is a myth, but oxytocin does make people trust each other.") == [
        ("trust-effect", "error")
    ]


def test_hedge_proof_dose_is_flagged_even_when_hedged() -> None:
    assert ("hug-dose", "error") in _reported("A ten-second hug might release oxytocin.")


def test_topic_tracking_reads_it_as_oxytocin() -> None:
    assert _reported("It builds trust between strangers.") == []
    text = "Oxytocin is a peptide hormone. It builds trust between strangers."
    found = claimaudit.audit(text).findings
    assert [f.overclaim for f in found] == ["trust-effect"]
    assert text[found[0].start : found[0].end].startswith("It builds trust")


def test_physiology_is_not_flagged() -> None:
    text = (
        "The posterior pituitary secretes oxytocin into the blood. During labour it drives "
        "contractions of the womb, and after birth it ejects milk. Pitocin, a synthetic form, "
        "is used to induce labour."
    )
    assert claimaudit.audit(text, min_severity="info").findings == ()


def test_reference_document_has_no_error(document_text: str) -> None:
    report = claimaudit.audit(document_text)
    assert report.errors == (), [(f.line, f.flagged) for f in report.errors]


def test_animal_scoped_claims_are_not_overclaims_but_carrying_them_over_is() -> None:
    assert _reported("In prairie voles, oxytocin promotes pair bonding after mating.") == []
    found = _reported("Mouse research reveals that oxytocin is why people stay married.")
    assert ("vole-to-human", "error") in found


def test_words_of_the_pattern_itself_do_not_act_as_triggers() -> None:
    # "lack" is a negation cue, but here it is part of the deficiency claim itself
    found = _reported("If you lack oxytocin, you will struggle to bond with anyone.")
    assert ("hormone-level-explains", "error") in found


def test_backward_debunk_reaches_across_a_semicolon() -> None:
    assert (
        _reported("Some blogs say oxytocin builds trust; the research is far less certain.") == []
    )


def test_dark_side_of_oxytocin_is_context_dependence_not_an_overclaim() -> None:
    text = "Oxytocin can sharpen jealousy and suspicion of outsiders as readily as warmth."
    assert _reported(text) == []


def test_a_consequence_drawn_from_a_claim_does_not_qualify_it() -> None:
    # "caution" after "which is why" is advice built on the claim, not a doubt about it
    text = "Oxytocin from a first kiss builds a lifelong bond, which is why caution is wise."
    assert ("love-bonding-effect", "error") in _reported(text)
    # a doubt in the same sentence without that link still rescues it
    assert _reported("Oxytocin builds a lifelong bond, a claim critics treat with caution.") == []


def test_a_claim_inside_an_opening_condition_is_supposed_not_asserted() -> None:
    text = "If a friend tells you to buy oxytocin lozenges, walk away and ask a pharmacist."
    assert _reported(text) == []
    found = _stances(text)
    assert found and {s for _, s, _ in found} == {Stance.HEDGED}
    # the main clause may start without a comma: then the claim is not inside the condition
    text = "If your mood is low you can order oxytocin nasal spray online without a prescription."
    assert ("oxytocin-products", "error") in _reported(text)


def test_a_comma_splice_ends_a_negation() -> None:
    text = "Oxytocin never makes a child sulk, it only ever makes them kinder."
    assert ("always-prosocial", "error") in _reported(text)
    assert _reported("Oxytocin never makes a child kinder by itself.") == []


def test_a_quoted_term_that_someone_says_is_a_mention() -> None:
    assert (
        _reported("Whenever a podcast host says 'cuddle hormone', listeners roll their eyes.") == []
    )
    # naming it so is an attribution (a warning), quotes or not
    assert _reported("Oxytocin is often called the 'cuddle hormone'.") == [
        ("love-hormone-label", "warning")
    ]


def test_spoken_fillers_and_note_symbols_are_read_through() -> None:
    assert ("hormone-level-explains", "error") in _reported(
        "Shyness is, um, basically an oxytocin deficiency."
    )
    assert ("trust-effect", "error") in _reported("OT → ↑ trust between strangers.")
    text = "Shyness is, um, basically an oxytocin deficiency."
    f = claimaudit.audit(text).findings[0]
    assert text[f.start : f.end].startswith("is, um, basically")
