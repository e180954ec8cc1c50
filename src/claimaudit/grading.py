"""Rate each claim's evidence maturity and say why in one sentence (DESIGN.md §4).

The rules, in order:

1. A curated ``override`` wins, and its rationale says it is one.
2. ``llm_authored``: the statement carries the ``LLM`` marker, has no marker at all, or
   belongs to an "LLM-generated illustrative example" paragraph.
3. ``contested``: the statement cites a source whose finding another source in the graph
   critiques, and does not cite that critique itself (it reports the finding alone), or the
   catalog lists it as asserting an overclaim.
4. ``established``: cited, and not contested. A sentence that reports a critique together
   with the finding it critiques is established: the critique is what it asserts.

Grading is a pure function of the claim, the sources and the critique edges, so it is
deterministic and the same ratings can be explained by walking the graph.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from claimaudit.models import Claim, Maturity, Overclaim, Source


def _names(ids: Iterable[str], sources: Mapping[str, Source]) -> str:
    parts = []
    for sid in ids:
        src = sources.get(sid)
        if src is None:
            parts.append(sid)
        elif src.number is not None:
            parts.append(f"{src.citation} (source {src.number})")
        else:
            parts.append(src.citation)
    if len(parts) <= 1:
        return "".join(parts)
    return ", ".join(parts[:-1]) + " and " + parts[-1]


def critics_of(sources: Mapping[str, Source]) -> dict[str, tuple[str, ...]]:
    """For each source id, the ids of the sources that critique it."""
    out: dict[str, list[str]] = {}
    for src in sources.values():
        for target in src.critiques:
            out.setdefault(target, []).append(src.id)
    return {k: tuple(sorted(v)) for k, v in out.items()}


def rate(
    claim: Claim,
    sources: Mapping[str, Source],
    critics: Mapping[str, tuple[str, ...]] | None = None,
    asserted_overclaims: Iterable[Overclaim] = (),
) -> tuple[Maturity, str]:
    """The computed maturity of ``claim`` and its one-sentence rationale (overrides ignored)."""
    if critics is None:
        critics = critics_of(sources)
    if claim.kind == "example":
        return (
            Maturity.LLM_AUTHORED,
            "Part of an LLM-generated illustrative example (not a guideline), so no source "
            "backs it.",
        )
    if claim.marker == "LLM":
        return (
            Maturity.LLM_AUTHORED,
            "Marked LLM: a language model wrote it without a source.",
        )
    if not claim.citations:
        return (
            Maturity.LLM_AUTHORED,
            "It carries no citation marker, so nothing in the document backs it.",
        )
    asserted = [o.id for o in asserted_overclaims]
    if asserted:
        return (
            Maturity.CONTESTED,
            f"It asserts the catalogued overclaim{'s' if len(asserted) > 1 else ''} "
            f"{', '.join(asserted)}, which the document itself disputes.",
        )
    cited = set(claim.citations)
    disputed: list[tuple[str, tuple[str, ...]]] = []
    answered: list[tuple[str, tuple[str, ...]]] = []
    for sid in claim.citations:
        against = critics.get(sid, ())
        if not against:
            continue
        if cited.intersection(against):
            answered.append((sid, tuple(a for a in against if a in cited)))
        else:
            disputed.append((sid, against))
    if disputed:
        sid, against = disputed[0]
        return (
            Maturity.CONTESTED,
            f"It reports the finding of {_names([sid], sources)}, which "
            f"{_names(against, sources)} critiques, without citing that critique.",
        )
    if answered:
        sid, against = answered[0]
        return (
            Maturity.ESTABLISHED,
            f"It cites {_names([sid], sources)} together with its critique, "
            f"{_names(against, sources)}, so what it asserts is the critique.",
        )
    return (
        Maturity.ESTABLISHED,
        f"It cites {_names(claim.citations, sources)}, and no other source critiques "
        f"{'that source' if len(claim.citations) == 1 else 'those sources'}.",
    )


def grade_one(
    claim: Claim,
    sources: Mapping[str, Source],
    critics: Mapping[str, tuple[str, ...]] | None = None,
    asserted_overclaims: Iterable[Overclaim] = (),
) -> Claim:
    """``claim`` with its maturity and rationale set (a curated override wins, visibly)."""
    maturity, rationale = rate(claim, sources, critics, asserted_overclaims)
    if claim.override is not None:
        computed = maturity.value
        maturity = claim.override.maturity
        rationale = f"Curated override: {claim.override.rationale} (computed rating: {computed})."
    return claim.model_copy(update={"maturity": maturity, "rationale": rationale})


def grade(
    claims: Iterable[Claim],
    sources: Mapping[str, Source],
    overclaims: Mapping[str, Overclaim] | None = None,
) -> list[Claim]:
    """Grade every claim; deterministic for the same inputs."""
    critics = critics_of(sources)
    asserting: dict[str, list[Overclaim]] = {}
    for o in (overclaims or {}).values():
        for cid in o.asserted_by:
            asserting.setdefault(cid, []).append(o)
    return [grade_one(c, sources, critics, asserting.get(c.id, ())) for c in claims]
