"""The stance layer: does a sentence assert a claim, report it, hedge it, or reject it?

In the spirit of medspaCy's ConText: the lexicon's triggers (``data/lexicon.yaml``) each carry
a kind, a direction and a scope; a claim takes the stance of the strongest trigger whose scope
covers it. A contrastive ``but``/``however`` ends a forward scope but not a backward one (the
final clause has the last word), so "reported X, but replications did not confirm it" is
debunked while "it may help, and it increases trust" stays asserted.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from enum import StrEnum

from claimaudit.auditing.lexicon import Lexicon, TriggerSpec

__all__ = ["BlockTriggers", "Stance", "StanceDecision", "resolve"]


class Stance(StrEnum):
    """How a sentence relates to the claim it contains."""

    ASSERTED = "asserted"
    ATTRIBUTED = "attributed"
    HEDGED = "hedged"
    DISTANCED = "distanced"
    DEBUNKED = "debunked"
    NEGATED = "negated"
    QUESTION = "question"
    EXAMPLE = "example"


# the strongest trigger kind decides; earlier in this list is stronger
_PRIORITY = (
    "counterfactual",
    "example",
    "debunk",
    "negate",
    "distance",
    "scope",
    "method",
    "hedge",
    "booster",
    "attribute",
)
_RANK = {k: i for i, k in enumerate(_PRIORITY)}
# from "distance" on, the trigger nearest to the claim wins (ConText: the closest cue)
_WEAK_FROM = _RANK["distance"]
_KIND_STANCE = {
    "counterfactual": Stance.DEBUNKED,
    "example": Stance.EXAMPLE,
    "debunk": Stance.DEBUNKED,
    "negate": Stance.NEGATED,
    "distance": Stance.DISTANCED,
    "hedge": Stance.HEDGED,
    "scope": Stance.HEDGED,
    # a reported measurement or procedure ("we measured oxytocin after a 10-minute massage")
    # describes a study method, not an effect or a dose the text prescribes
    "method": Stance.HEDGED,
    "booster": Stance.ASSERTED,
    "attribute": Stance.ATTRIBUTED,
}
_QUESTION_END = re.compile(r"\?[\"')\]\s\d*]*$")
# rhetorical questions assert what they ask about ("Is it any wonder that oxytocin is the glue
# of every marriage?", "Who needs therapy when a spray fixes loneliness?")
_RHETORICAL = re.compile(
    r"[\"'(]?\s*(?:is\s+it\s+(?:any|a|really\s+a(?:ny)?)\s+(?:wonder|surprise)|"
    r"(?:who|what)\s+needs\s+\w+(?:\s+\w+)?\s+when|"
    r"why\s+(?:bother|waste|pay|spend|struggle|suffer|wait)\b[^?]*\bwhen|"
    r"what\s+better\s+(?:way|reason|proof)|"
    r"(?:isn't\s+it|is\s+it\s+not)\s+(?:amazing|incredible|wonderful|fascinating|remarkable)|"
    r"(?:wouldn't|don't)\s+you\s+(?:love|want)\s+to)\b",
    re.I,
)
# a tag that asks for agreement with a statement ("..., okay?", "..., right?") does not make it
# a question
_TAG_QUESTION = re.compile(
    r",\s*(?:okay|ok|right|yeah|yes|you\s+know|you\s+see|see|got\s+it|agreed|eh|huh|"
    r"isn't\s+it|aren't\s+they|doesn't\s+it|don't\s+they|don't\s+you\s+think|"
    r"wouldn't\s+you\s+say)\s*\?[\"')\]\s]*$",
    re.I,
)
# a statement, then a question drawn from it ("X has been shown to work, so why are doctors
# still not prescribing it?"): the statement is asserted
_ASKED_AFTER = re.compile(r",\s*(?:so|but|then|and)\s+(?:why|how\s+come|what|who)\b")
_CONCEDED = frozenset({"hedge", "debunk", "negate", "distance", "counterfactual", "attribute"})
_CONCESSIVE = re.compile(
    r"[\"'(]?\s*(?:while|although|though|even though|despite|whereas|even if)\b", re.I
)
# an opening conditional or temporal clause ("If your teenager seems withdrawn, ...",
# "When you can't sleep, ..."): a clause-scoped hedge or negation inside it qualifies that
# clause, not the main clause after its comma
_PROTASIS = re.compile(r"[\"'(]?\s*(?:if|when|whenever|once|unless|every time|each time)\b", re.I)
# an opening condition proper: a claim inside it is supposed, not asserted; its main clause may
# start without a comma, with a subject and a modal ("If X is slow you can order ...")
_CONDITION = re.compile(r"[\"'(]?\s*(if|unless|even if|suppose|supposing)\b", re.I)
_MAIN_CLAUSE = re.compile(
    r"\b(?:you|we|they|it|he|she|i)(?:'ll|\s+(?:can|could|should|will|must|might|may|need to|"
    r"have to|would))\b"
)
# a consequence drawn from the claim ("X, which is why it's wise to be cautious"): what
# follows it builds on the claim, so its triggers do not reach back to qualify the claim; and a
# consequence is asserted however its premise was hedged or reported (_PREMISE_ONLY kinds)
_CONSEQUENCE = re.compile(
    r"\b(?:which|that|this)(?:'s|\s+is|\s+was)\s+(?:why|how)\b|\bwhich\s+means\b"
    r"|\bwhich\s+(?:shows?|proves?|demonstrates?|confirms?|tells\s+us)\b"
    r"|,\s*(?:demonstrating|showing|proving|confirming)\b"
)
_PREMISE_ONLY = frozenset({"hedge", "method", "attribute"})
_TURN = re.compile(r"\b(?:but|however)\b")
# saying words (not naming a thing: "called", "known as" attribute a label to it)
_SPEECH = re.compile(
    r"\b(?:says?|said|saying|utter\w*|writes?|wrote|typ(?:e|es|ed|ing)|tweet\w*)\b"
)
# a quotation in double or single quotes (an apostrophe inside a word, as in "that's", does
# not end a single-quoted one)
_QUOTED = re.compile(r"\"[^\"\n]{1,300}\"|(?<!\w)'(?:[^'\n]|(?<=\w)'(?=\w)){1,200}'(?!\w)")
_PSEUDO_QUESTION = frozenset(
    {"did you know", "ever wonder", "ever wondered", "have you ever wondered"}
)


STANCE_WINDOW = 600
"""Characters on each side of a claim that can decide its stance in an over-long sentence."""


@dataclass(frozen=True, slots=True)
class Trig:
    """A trigger found in the text."""

    start: int
    end: int
    spec: TriggerSpec


class BlockTriggers:
    """Every trigger of one block, found with one scan; its terminators when first needed."""

    __slots__ = ("_contrast", "_plain", "_range", "_rx", "starts", "trigs")

    def __init__(
        self, lexicon: Lexicon, text: str, start: int, end: int, para_start: int | None = None
    ) -> None:
        """Scan lower-cased ``text[start:end]``; paragraph-scope triggers from ``para_start``."""
        specs = lexicon.specs
        trigs: list[Trig] = []
        if para_start is not None:
            for m in lexicon.paragraph_trigger_rx.finditer(text, para_start, end):
                name = m.lastgroup
                assert name is not None
                trigs.append(Trig(m.start(), m.end(), specs[int(name[1:])]))
        for s, e, i in lexicon.find_triggers(text, start, end):
            spec = specs[i]
            if spec.kind != "pseudo":
                trigs.append(Trig(s, e, spec))
        trigs.sort(key=lambda t: t.start)
        self.trigs = trigs
        self.starts = [t.start for t in trigs]
        # most blocks never ask about clause breaks (no trigger before a claim): the
        # terminators are scanned on the first question only
        self._rx = lexicon.terminator_rx
        self._range = (text, start, end)
        self._plain: list[int] | None = None
        self._contrast: list[int] = []

    def _terminators(self) -> tuple[list[int], list[int]]:
        if self._plain is None:
            plain: list[int] = []
            contrast: list[int] = []
            text, start, end = self._range
            for m in self._rx.finditer(text, start, end):
                (plain if m.lastgroup == "plain" else contrast).append(m.start())
            self._plain, self._contrast = plain, contrast
        return self._plain, self._contrast

    def within(self, start: int, end: int) -> list[Trig]:
        """Triggers that start inside ``[start, end)``."""
        i = bisect.bisect_left(self.starts, start)
        j = bisect.bisect_left(self.starts, end)
        return self.trigs[i:j]

    @staticmethod
    def _any(positions: list[int], a: int, b: int) -> bool:
        i = bisect.bisect_left(positions, a)
        return i < len(positions) and positions[i] < b

    def clause_break(self, a: int, b: int) -> bool:
        """Is there any terminator in ``[a, b)``?"""
        plain, contrast = self._terminators()
        return self._any(plain, a, b) or self._any(contrast, a, b)

    def contrast_break(self, a: int, b: int) -> bool:
        """Is there a contrastive terminator (or ``;``) in ``[a, b)``?"""
        return self._any(self._terminators()[1], a, b)


@dataclass(frozen=True, slots=True)
class StanceDecision:
    """The stance of one candidate and the words that decided it."""

    stance: Stance
    trigger: str | None = None
    trigger_start: int | None = None


def _applies(t: Trig, cs: int, ce: int, bt: BlockTriggers, text: str) -> bool:
    spec = t.spec
    inside = cs <= t.start < ce
    if spec.scope == "near":
        if (
            spec.direction in ("forward", "both")
            and t.end <= ce
            and (inside or 0 <= cs - t.end <= spec.window)
        ):
            return inside or not bt.clause_break(t.end, cs)
        return (
            spec.direction in ("backward", "both") and t.start >= cs and t.start - ce <= spec.window
        )
    if inside:
        return True
    if t.end <= cs:  # trigger before the claim
        if spec.direction == "backward":
            return False
        # a consequence the writer draws ("..., which is how the hormone keeps partners
        # faithful") is asserted however its premise was hedged or reported (a doubt or a
        # contrast before it still counts)
        if spec.kind in _PREMISE_ONLY and _CONSEQUENCE.search(text, t.end, cs) is not None:
            return False
        if spec.scope == "clause":
            return cs - t.end <= spec.window and not bt.clause_break(t.end, cs)
        return not bt.contrast_break(t.end, cs) and ";" not in text[t.end : cs]
    # trigger after the claim: a backward trigger reaches it across ";" and "but" too
    # ("X; this is a myth") - the later clause comments on the earlier one - but not across a
    # consequence drawn from it ("X, which is why caution is wise")
    if spec.direction == "forward" or spec.scope in ("clause", "paragraph"):
        return False
    return _CONSEQUENCE.search(text, ce, t.start) is None


def resolve(
    text: str,
    cs: int,
    ce: int,
    sent_start: int,
    sent_end: int,
    bt: BlockTriggers,
    *,
    hedge_proof: bool = False,
    paragraph_example: bool = False,
    own: tuple[int, int] | None = None,
    ignore: frozenset[str] = frozenset(),
) -> StanceDecision:
    """The stance of the claim at ``text[cs:ce]`` inside the sentence ``[sent_start, sent_end)``.

    ``own`` is a span of words that the pattern itself matched as its context (before the
    flagged words, e.g. "lack" in "if you lack oxytocin ..."); triggers there are ignored.
    """
    if paragraph_example:
        return StanceDecision(Stance.EXAMPLE, "illustrative example")
    # Bound the work per candidate: in a run-on "sentence" of thousands of characters (hostile
    # or unpunctuated input) only the words around the claim can decide its stance, and
    # looking further would make many candidates in one sentence cost quadratic time.
    if sent_end - sent_start > 2 * STANCE_WINDOW + (ce - cs):
        sent_start = max(sent_start, cs - STANCE_WINDOW)
        sent_end = min(sent_end, ce + STANCE_WINDOW)
    trigs = bt.within(sent_start, sent_end)
    if own is not None and own[0] < own[1]:
        trigs = [t for t in trigs if not own[0] <= t.start < own[1]]
    if ignore:
        trigs = [t for t in trigs if t.spec.kind not in ignore]
    sentence = text[sent_start:sent_end]
    if trigs and _PROTASIS.match(sentence):
        comma = text.find(",", sent_start, cs)
        if comma != -1:
            trigs = [
                t
                for t in trigs
                if not (t.end <= comma and t.spec.scope == "clause" and t.spec.kind != "distance")
            ]
    if trigs and _CONCESSIVE.match(sentence):
        # an opening concession ("Although the mechanism is not fully understood, X") grants
        # its own clause; its hedges and doubts do not qualify the main clause after its comma
        comma = text.find(",", sent_start, cs)
        if comma != -1:  # (the claim is after the comma: it is in the main clause)
            trigs = [t for t in trigs if not (t.end <= comma and t.spec.kind in _CONCEDED)]
    pseudo_q = False
    best: Trig | None = None
    best_rank = len(_PRIORITY)
    weak: Trig | None = None  # the nearest of the weak kinds (distance, hedge, booster, attribute)
    weak_dist = 1 << 30
    for t in trigs:
        kind = t.spec.kind
        if kind == "booster" and text[t.start : t.end].lower() in _PSEUDO_QUESTION:
            pseudo_q = True
        if kind == "example_frame" or (hedge_proof and kind == "hedge"):
            continue
        rank = _RANK.get(kind, len(_PRIORITY))
        if rank >= _WEAK_FROM:
            if not _applies(t, cs, ce, bt, text):
                continue
            if kind == "attribute" and weak is not None and weak.spec.kind != "attribute":
                continue  # attribution is the weakest cue: any other one decides
            dist = 0 if cs <= t.start < ce else (cs - t.end if t.end <= cs else t.start - ce)
            if weak is not None and weak.spec.kind == "attribute" and kind != "attribute":
                weak, weak_dist = t, dist
                continue
            if dist < weak_dist or (
                dist == weak_dist and weak is not None and rank < _RANK[weak.spec.kind]
            ):
                weak, weak_dist = t, dist
            continue
        if rank >= best_rank:
            continue
        if _applies(t, cs, ce, bt, text):
            best, best_rank = t, rank
    if best is None and weak is not None:
        best, best_rank = weak, _RANK[weak.spec.kind]
    if (
        not pseudo_q
        and _QUESTION_END.search(sentence)
        and not _RHETORICAL.match(sentence)
        and not _TAG_QUESTION.search(sentence)
        and _ASKED_AFTER.search(text, ce, sent_end) is None
    ):
        return StanceDecision(Stance.QUESTION, "?")
    # a quoted claim inside a mention frame ("phrases such as '...'") is an example
    if best is None or best_rank > _RANK["example"]:
        for q in _QUOTED.finditer(text, sent_start, sent_end):
            if q.start() <= cs and ce <= q.end():
                # a lone quoted term that someone says ("every time someone says 'cuddle
                # hormone'") is a mention of the words, like a quoted claim in a frame
                term = len(text[q.start() + 1 : q.end() - 1].split()) <= 3
                # a label that is only part of a short quoted name ("any 'love hormone hack'")
                if term and text[ce : q.end() - 1].strip(" -.,;:!?"):
                    return StanceDecision(Stance.EXAMPLE, text[q.start() : q.end()], q.start())
                for t in trigs:
                    if (
                        t.spec.kind == "example_frame"
                        or (
                            term
                            and t.spec.kind == "attribute"
                            and _SPEECH.search(text, t.start, t.end) is not None
                        )
                    ) and not (q.start() <= t.start < q.end()):
                        return StanceDecision(Stance.EXAMPLE, text[t.start : t.end], t.start)
                break
    # a claim inside an opening condition ("If someone tells you to buy X, ignore them") is
    # supposed, not asserted (a claim that runs on into the main clause is not inside it)
    if best is None or best_rank >= _RANK["booster"]:
        cond = _CONDITION.match(sentence)
        if cond is not None:
            comma = text.find(",", sent_start, sent_end)
            # the main clause may start without a comma ("If X is slow you can order ...")
            if (
                comma != -1
                and ce <= comma
                and _MAIN_CLAUSE.search(text, sent_start + cond.end(), ce) is None
            ):
                return StanceDecision(Stance.HEDGED, cond.group(1), sent_start + cond.start(1))
    # concessive clause: "While X, Y remains unclear" - the main clause decides
    if (best is None or best_rank >= _RANK["booster"]) and _CONCESSIVE.match(sentence):
        comma = text.find(",", sent_start, sent_end)
        if comma != -1 and ce <= comma:
            for t in trigs:
                if t.start > comma and t.spec.kind in ("hedge", "debunk", "negate", "distance"):
                    if hedge_proof and t.spec.kind == "hedge":
                        continue
                    return StanceDecision(_KIND_STANCE[t.spec.kind], text[t.start : t.end], t.start)
    if best is None:
        return StanceDecision(Stance.ASSERTED)
    # what others say, then set against something ("Some people call oxytocin the bonding
    # hormone, but I'd rather ..."): the writer does not take the words on
    if best.spec.kind == "attribute":
        turn = _TURN.search(text, ce, sent_end)
        if turn is not None:
            return StanceDecision(Stance.DISTANCED, turn.group(), turn.start())
    return StanceDecision(_KIND_STANCE[best.spec.kind], text[best.start : best.end], best.start)


def debunked_by(text: str, sent_start: int, sent_end: int, bt: BlockTriggers) -> Trig | None:
    """The first debunking trigger of a sentence, if any (for next-sentence rescue)."""
    for t in bt.within(sent_start, sent_end):
        if t.spec.kind in ("debunk", "counterfactual") and t.spec.scope != "near":
            return t
    return None
