"""Rich HTML displays for Jupyter: claims, sources, explanations, the knowledge base, audits.

The ``_repr_html_`` methods of the models call these functions, so a claim, a source, an
explanation, a knowledge base or an audit report shows itself as a small card in a
notebook. Every piece of text that comes from the data or from the caller is escaped with
:func:`html.escape` (``quote=True``) before it enters the markup; links are made only
from ``http``/``https`` addresses. Styles are inline, so the cards look the same in
JupyterLab, VS Code and a static notebook viewer.

Graph pictures live in :mod:`claimaudit.drawing` and are re-exported here:
:func:`draw_graph` (matplotlib), :func:`graph_html` (offline interactive page),
:class:`GraphView` (that page inline in a notebook). This module imports neither
matplotlib nor pyvis; those load only when a picture is asked for.
"""

from __future__ import annotations

import html
import itertools
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from claimaudit.drawing import MATURITY_COLORS, GraphView, draw_graph, graph_html

if TYPE_CHECKING:
    from claimaudit.graph import Explanation
    from claimaudit.kb import KnowledgeBase
    from claimaudit.models import Claim, Overclaim, Source, _ClaimBase

__all__ = [
    "SEVERITY_STYLES",
    "GraphView",
    "claim_html",
    "draw_graph",
    "esc",
    "explanation_html",
    "graph_html",
    "kb_html",
    "overclaim_evidence_html",
    "overclaim_html",
    "report_html",
    "source_html",
]

SEVERITY_STYLES: dict[str, dict[str, str]] = {
    "error": {"bg": "#ffd6d6", "border": "#c62828", "label": "error — asserted overclaim"},
    "warning": {
        "bg": "#fff1bf",
        "border": "#e0a100",
        "label": "warning — attributed, not distanced",
    },
    "info": {"bg": "#dcecff", "border": "#1f6fbf", "label": "info"},
}
"""Highlight colours (background, underline) and legend text of each finding severity."""

_SEVERITY_RANK = {"error": 3, "warning": 2, "info": 1}

_FONT = "font-family:-apple-system,'Segoe UI',Helvetica,Arial,sans-serif;font-size:13px"
_CARD = (
    f"{_FONT};border:1px solid #d0d7de;border-radius:6px;padding:10px 12px;"
    "margin:4px 0;max-width:900px;line-height:1.45;color:#1f2328;background:#fff"
)
_MUTED = "color:#57606a"
_TH = "text-align:left;padding:2px 10px 2px 0;color:#57606a;font-weight:600;vertical-align:top"
_TD = "text-align:left;padding:2px 10px 2px 0;vertical-align:top"


# --------------------------------------------------------------------------- helpers
def esc(value: object) -> str:
    """HTML-escape any value (``None`` becomes an empty string), quotes included."""
    if value is None:
        return ""
    return html.escape(str(getattr(value, "value", value)), quote=True)


def _val(value: object) -> str:
    """The string value of an enum member or a plain value."""
    return str(getattr(value, "value", value))


def _link(url: str | None, text: object | None = None) -> str:
    """An escaped link, made only for http(s) addresses; otherwise the escaped text."""
    label = esc(text if text is not None else url)
    if url and url.lower().startswith(("https://", "http://")):
        return f'<a href="{esc(url)}" target="_blank" rel="noopener noreferrer">{label}</a>'
    return label


def _badge(text: object, color: str, *, title: str | None = None) -> str:
    tip = f' title="{esc(title)}"' if title else ""
    return (
        f'<span{tip} style="display:inline-block;padding:0 7px;border-radius:10px;'
        f"background:{color};color:#fff;font-size:11px;font-weight:600;"
        f'line-height:18px;white-space:nowrap">{esc(text)}</span>'
    )


def maturity_badge(maturity: object) -> str:
    """A coloured pill for an evidence maturity."""
    m = _val(maturity)
    return _badge(m.replace("_", "-"), MATURITY_COLORS.get(m, "#6e7781"))


def _rows(pairs: Iterable[tuple[str, str]]) -> str:
    """Table rows from (escaped label, ready HTML value) pairs, skipping empty values."""
    return "".join(
        f'<tr><th style="{_TH}">{label}</th><td style="{_TD}">{value}</td></tr>'
        for label, value in pairs
        if value
    )


def _table(pairs: Iterable[tuple[str, str]]) -> str:
    body = _rows(pairs)
    return f'<table style="border-collapse:collapse;margin-top:4px">{body}</table>' if body else ""


def _list(items: Sequence[str]) -> str:
    if not items:
        return ""
    lis = "".join(f'<li style="margin:2px 0">{i}</li>' for i in items)
    return f'<ul style="margin:2px 0 2px 18px;padding:0">{lis}</ul>'


# --------------------------------------------------------------------------- claims
def claim_html(claim: Claim | _ClaimBase) -> str:
    """A claim as a card: id, kind, maturity, the text, citations, rationale, overclaim links."""
    extra: list[tuple[str, str]] = []
    term = getattr(claim, "term", None)
    if term:
        extra.append(("term", esc(term)))
    for name in ("goal", "objective", "mechanism"):
        value = getattr(claim, name, None)
        if value:
            extra.append((name, esc(value)))
    override = ""
    if claim.override is not None:
        override = (
            f'<div style="margin-top:4px">{_badge("curated override", "#57606a")} '
            f"{esc(claim.override.rationale)}</div>"
        )
    table = _table(
        [
            ("section", esc(claim.section)),
            ("marker", esc(claim.marker) if claim.marker else '<i style="color:#999">none</i>'),
            ("cites", ", ".join(esc(c) for c in claim.citations)),
            *extra,
            ("refutes", ", ".join(esc(o) for o in claim.refutes)),
            ("mentions", ", ".join(esc(o) for o in claim.mentions)),
            ("terms", ", ".join(esc(t) for t in claim.terms)),
        ]
    )
    return (
        f'<div class="claimaudit-claim" style="{_CARD}">'
        f'<div><code style="font-size:12px">{esc(claim.id)}</code> '
        f'<span style="{_MUTED}">{esc(getattr(claim, "kind", ""))}</span> '
        f"{maturity_badge(claim.maturity)}</div>"
        f'<blockquote style="margin:6px 0;padding:2px 10px;border-left:3px solid '
        f'{MATURITY_COLORS.get(_val(claim.maturity), "#ccc")}">{esc(claim.text)}</blockquote>'
        f'<div style="{_MUTED}"><b>why {esc(_val(claim.maturity))}:</b> '
        f"{esc(claim.rationale)}</div>{override}{table}</div>"
    )


def _source_line(source: Source) -> str:
    return f"<b>{esc(source.citation)}</b> — {_link(source.link, source.title)}"


def source_html(source: Source) -> str:
    """A source as a card: citation, title, authors, venue, identifiers, what it critiques."""
    ident = [
        ("DOI", _link(f"https://doi.org/{source.doi}", source.doi) if source.doi else ""),
        ("PMID", esc(source.pmid)),
        ("PMCID", esc(source.pmcid)),
        ("URL", _link(source.url) if source.url else ""),
    ]
    peer = {True: "yes", False: "no", None: ""}[source.peer_reviewed]
    table = _table(
        [
            ("number", esc(source.number)),
            ("authors", esc(", ".join(source.authors))),
            ("year", esc(source.year)),
            (
                "venue",
                esc(
                    " ".join(
                        x for x in (source.venue, source.volume, source.pages) if x is not None
                    )
                ),
            ),
            ("kind", esc(_val(source.kind).replace("_", " "))),
            ("peer reviewed", peer),
            *ident,
            ("critiques", ", ".join(esc(c) for c in source.critiques)),
            ("note", esc(source.note)),
        ]
    )
    return (
        f'<div class="claimaudit-source" style="{_CARD}">'
        f'<div><code style="font-size:12px">{esc(source.id)}</code></div>'
        f'<div style="margin:4px 0">{_source_line(source)}</div>{table}</div>'
    )


def explanation_html(explanation: Explanation) -> str:
    """Why a claim has its rating: the claim, what it cites, who critiques that, overclaims."""
    c = explanation.claim
    cited = [
        _source_line(s) + f' <span style="{_MUTED}">({esc(_val(s.kind))})</span>'
        for s in explanation.cited
    ]
    critiques = [
        f"{_source_line(cr.critic)} <b>critiques</b> {esc(cr.target.citation)} — "
        + (
            "also cited, so the claim reports the critique"
            if cr.cited_by_claim
            else "<b>not cited</b> by the claim, so the finding it reports is disputed"
        )
        for cr in explanation.critiques
    ]
    refutes = [f"<code>{esc(o.id)}</code> — {esc(o.title)}" for o in explanation.refutes]
    mentions = [f"<code>{esc(o.id)}</code> — {esc(o.title)}" for o in explanation.mentions]
    parts = [
        f'<div class="claimaudit-explanation" style="{_CARD}">',
        f'<div><code style="font-size:12px">{esc(c.id)}</code> is '
        f"{maturity_badge(c.maturity)}</div>",
        f'<div style="margin:4px 0"><b>because</b> {esc(c.rationale)}</div>',
        f'<blockquote style="margin:6px 0;padding:2px 10px;border-left:3px solid '
        f'{MATURITY_COLORS.get(_val(c.maturity), "#ccc")}">{esc(c.text)}</blockquote>',
    ]
    for heading, items in (
        ("cites", cited),
        ("critiques in the graph", critiques),
        ("refutes overclaims", refutes),
        ("mentions overclaims", mentions),
    ):
        if items:
            parts.append(f'<div style="margin-top:6px;{_MUTED}"><b>{heading}</b></div>')
            parts.append(_list(items))
    if not explanation.cited:
        marker = esc(c.marker) if c.marker else "no marker"
        parts.append(f'<div style="{_MUTED}">cites no source ({marker})</div>')
    if c.override is not None:
        parts.append(
            f"<div>{_badge('curated override', '#57606a')} {esc(c.override.rationale)}</div>"
        )
    parts.append("</div>")
    return "".join(parts)


# --------------------------------------------------------------------------- overclaims
def overclaim_html(overclaim: Overclaim) -> str:
    """A catalog entry like a linter rule: what it flags, why, an example, what to say."""
    o = overclaim
    table = _table(
        [
            ("proposition", esc(o.proposition)),
            ("flags", esc(o.what)),
            ("why", esc(o.why)),
            ("example", f"<i>{esc(o.example)}</i>"),
            ("say instead", esc(o.say_instead)),
            ("refuted by", ", ".join(f"<code>{esc(c)}</code>" for c in o.refuted_by)),
            ("sources", ", ".join(esc(s) for s in o.sources)),
        ]
    )
    sev = _val(o.severity)
    color = SEVERITY_STYLES.get(sev, SEVERITY_STYLES["info"])["border"]
    return (
        f'<div class="claimaudit-overclaim" style="{_CARD}">'
        f'<div><code style="font-size:12px">{esc(o.id)}</code> <b>{esc(o.title)}</b> '
        f"{_badge(_val(o.status), '#57606a')} {_badge(sev, color)}</div>{table}</div>"
    )


def overclaim_evidence_html(
    kb: KnowledgeBase, overclaim_id: str, *, maturity: str | None = "established"
) -> str:
    """An overclaim with the claims that refute it (``established`` ones by default) and
    the sources those claims cite."""
    o = kb.overclaims[overclaim_id]
    claims = kb.refuting(overclaim_id, maturity=maturity)
    items = []
    for c in claims:
        srcs = ", ".join(
            _link(kb.sources[s].link, kb.sources[s].citation)
            for s in c.citations
            if s in kb.sources
        )
        items.append(
            f"{maturity_badge(c.maturity)} <code>{esc(c.id)}</code> {esc(c.text)}"
            + (f' <span style="{_MUTED}">— {srcs}</span>' if srcs else "")
        )
    cited = sorted({s for c in claims for s in c.citations} | set(o.sources))
    sources = [_source_line(kb.sources[s]) for s in cited if s in kb.sources]
    which = f"{esc(maturity)} claims" if maturity else "claims"
    body = _list(items) if items else f'<div style="{_MUTED}">no {which} refute it yet</div>'
    return (
        f'<div class="claimaudit-overclaim-evidence" style="{_CARD}">'
        f"{overclaim_html(o)}"
        f'<div style="margin-top:6px"><b>{len(claims)} {which} refute it</b></div>{body}'
        + (f'<div style="margin-top:6px"><b>sources</b></div>{_list(sources)}' if sources else "")
        + "</div>"
    )


# --------------------------------------------------------------------------- knowledge base
def _bar(counts: Mapping[str, int], colors: Mapping[str, str]) -> str:
    total = sum(counts.values()) or 1
    segs = "".join(
        f'<span title="{esc(k)}: {v}" style="display:inline-block;height:10px;'
        f'width:{100 * v / total:.2f}%;background:{colors.get(k, "#999")}"></span>'
        for k, v in counts.items()
        if v
    )
    return (
        f'<div style="width:320px;background:#eee;border-radius:3px;overflow:hidden;'
        f'line-height:0;margin:3px 0">{segs}</div>'
    )


def kb_html(kb: KnowledgeBase) -> str:
    """A compact summary of a knowledge base: counts by maturity and kind, sources, overclaims."""
    s = kb.summary()
    mat = s["by_maturity"]
    mat_cells = " &nbsp; ".join(f"{maturity_badge(m)} {int(n)}" for m, n in mat.items())
    kinds = ", ".join(f"{esc(k)} {int(n)}" for k, n in s["by_kind"].items())
    cited_by: dict[str, int] = {}
    for c in kb.claims:
        for sid in c.citations:
            cited_by[sid] = cited_by.get(sid, 0) + 1
    src_rows = "".join(
        f'<tr><td style="{_TD}">{esc(src.number)}</td><td style="{_TD}">'
        f'{_link(src.link, src.citation)}</td><td style="{_TD}">{esc(src.title)}</td>'
        f'<td style="{_TD}">{esc(_val(src.kind).replace("_", " "))}</td>'
        f'<td style="{_TD};text-align:right">{cited_by.get(src.id, 0)}</td></tr>'
        for src in kb.sources.values()
    )
    sources = (
        '<table style="border-collapse:collapse;margin-top:4px">'
        f'<tr><th style="{_TH}">#</th><th style="{_TH}">source</th><th style="{_TH}">title</th>'
        f'<th style="{_TH}">kind</th><th style="{_TH}">claims citing</th></tr>{src_rows}</table>'
    )
    if kb.overclaims:
        oc_rows = "".join(
            f'<tr><td style="{_TD}"><code>{esc(o.id)}</code></td><td style="{_TD}">'
            f'{esc(o.title)}</td><td style="{_TD}">{esc(_val(o.status))}</td>'
            f'<td style="{_TD};text-align:right">{len(o.refuted_by)}</td></tr>'
            for o in kb.overclaims.values()
        )
        overclaims = (
            '<table style="border-collapse:collapse;margin-top:4px">'
            f'<tr><th style="{_TH}">overclaim</th><th style="{_TH}">title</th>'
            f'<th style="{_TH}">status</th><th style="{_TH}">refuting claims</th></tr>'
            f"{oc_rows}</table>"
        )
    else:
        overclaims = f'<div style="{_MUTED}">no overclaim catalog loaded</div>'
    docs = ", ".join(esc(d.title) for d in kb.documents.values())
    return (
        f'<div class="claimaudit-kb" style="{_CARD}">'
        f"<div><b>KnowledgeBase</b> — {int(s['claims'])} claims, {int(s['sources'])} sources, "
        f"{int(s['overclaims'])} overclaims, {int(s['documents'])} documents</div>"
        + (f'<div style="{_MUTED}">{docs}</div>' if docs else "")
        + f'<div style="margin-top:6px">{mat_cells}</div>{_bar(mat, MATURITY_COLORS)}'
        f'<div style="{_MUTED}">by kind: {kinds}</div>'
        f'<details style="margin-top:6px"><summary><b>sources</b> ({len(kb.sources)})</summary>'
        f"{sources}</details>"
        f'<details style="margin-top:4px"><summary><b>overclaims</b> ({len(kb.overclaims)})'
        f"</summary>{overclaims}</details></div>"
    )


# --------------------------------------------------------------------------- audit reports
def _evidence_parts(item: Any) -> tuple[str, str, str, list[tuple[str, str | None]]]:
    """(claim id, text, maturity, [(citation, link)]) of one piece of evidence.

    Accepts the engine's evidence objects (``id``, ``text``, ``maturity``, ``sources``
    with ``citation`` and ``link``), objects wrapping a ``claim``, dicts, or plain strings.
    """
    if isinstance(item, str):
        return "", item, "", []
    get = item.get if isinstance(item, Mapping) else lambda k, d=None: getattr(item, k, d)
    claim = get("claim")
    if claim is not None and not isinstance(claim, str):
        cid, text, maturity = claim.id, claim.text, claim.maturity
        sources: Any = get("sources") or claim.citations
    else:
        cid = get("claim_id") or claim or get("id")
        text = get("text")
        maturity = get("maturity")
        sources = get("sources") or get("citations") or ()
    refs: list[tuple[str, str | None]] = []
    for src in sources or ():
        if isinstance(src, str):
            refs.append((src, None))
        elif isinstance(src, Mapping):
            refs.append((str(src.get("citation") or src.get("id") or src), src.get("link")))
        else:
            cit = getattr(src, "citation", None) or getattr(src, "id", None) or src
            link = getattr(src, "link", None) or getattr(src, "url", None)
            refs.append((str(cit), str(link) if link else None))
    return (
        str(cid or ""),
        str(text or ""),
        _val(maturity) if maturity else "",
        refs,
    )


def _evidence_item(item: Any) -> str:
    """One piece of a finding's evidence as plain text (for hover titles)."""
    if item is None:
        return ""
    cid, text, maturity, refs = _evidence_parts(item)
    head = " ".join(x for x in (f"[{maturity}]" if maturity else "", cid) if x)
    out = f"{head}: {text}" if head and text else head or text or str(item)
    names = [f"{c} <{link}>" if link else c for c, link in refs]
    return out + (f" — {'; '.join(names)}" if names else "")


def _evidence_item_html(item: Any) -> str:
    """One piece of a finding's evidence as escaped HTML, sources linked."""
    cid, text, maturity, refs = _evidence_parts(item)
    parts = []
    if maturity:
        parts.append(maturity_badge(maturity))
    if cid:
        parts.append(f"<code>{esc(cid)}</code>")
    if text:
        parts.append(esc(text))
    if refs:
        links = "; ".join(_link(link, c) for c, link in refs)
        parts.append(f'<span style="{_MUTED}">— {links}</span>')
    return " ".join(parts)


def _evidence_seq(evidence: Any) -> list[Any]:
    if evidence is None:
        return []
    if isinstance(evidence, (str, Mapping)):
        return [evidence]
    try:
        return [e for e in evidence if e is not None]
    except TypeError:
        return [evidence]


def _evidence_list(evidence: Any) -> list[str]:
    return [e for e in (_evidence_item(x) for x in _evidence_seq(evidence)) if e]


def _finding_tooltip(f: Any) -> str:
    parts = [f"{_val(f.severity)} · {getattr(f, 'category', '') or ''}"]
    overclaim = getattr(f, "overclaim", None)
    if overclaim:
        parts[0] += f" ({overclaim})"
    stance = getattr(f, "stance", None)
    if stance:
        parts[0] += f" · stance: {_val(stance)}"
    if getattr(f, "message", None):
        parts.append(str(f.message))
    ev = _evidence_list(getattr(f, "evidence", None))
    if ev:
        parts.append("evidence: " + " | ".join(ev[:3]) + (" …" if len(ev) > 3 else ""))
    say = getattr(f, "say_instead", None)
    if say:
        parts.append(f"say instead: {say}")
    return "\n".join(parts)


_SUPPORTED_STYLE = {"bg": "#e3f4ea", "border": "#1b9e77"}


def _legend(supported: bool = False) -> str:
    items = "".join(
        f'<span style="margin-right:14px;white-space:nowrap"><span style="background:'
        f'{st["bg"]};border-bottom:2px solid {st["border"]};padding:0 5px">&nbsp;</span> '
        f"{esc(st['label'])}</span>"
        for st in SEVERITY_STYLES.values()
    )
    if supported:
        st = _SUPPORTED_STYLE
        items += (
            f'<span style="white-space:nowrap"><span style="background:{st["bg"]};'
            f'border-bottom:2px dotted {st["border"]};padding:0 5px">&nbsp;</span> '
            "supported — matches an established claim (cite it)</span>"
        )
    return f'<div class="claimaudit-legend" style="{_MUTED};margin:4px 0 8px 0">{items}</div>'


def _supported_tooltip(s: Any) -> str:
    claim = getattr(s, "claim", None)
    return "supported by " + (_evidence_item(claim) if claim is not None else "the knowledge base")


def _highlight(
    text: str,
    offset: int,
    numbered: Sequence[tuple[int, Any]],
    supported: Sequence[Any] = (),
) -> str:
    """``text`` (which starts at ``offset`` of the audited text) with findings marked.

    ``supported`` spans (sentences matching an established claim) are marked lightly
    where no finding covers them.
    """
    n = len(text)

    def clip(x: int) -> int:
        return max(0, min(n, x - offset))

    spans = [f for _, f in numbered] + list(supported)
    cuts = sorted({0, n} | {clip(int(f.start)) for f in spans} | {clip(int(f.end)) for f in spans})
    pieces: list[str] = []
    for a, b in itertools.pairwise(cuts):
        if a >= b:
            continue
        seg = esc(text[a:b])
        active = [(i, f) for i, f in numbered if clip(int(f.start)) <= a and clip(int(f.end)) >= b]
        if not active:
            backing = [x for x in supported if clip(int(x.start)) <= a and clip(int(x.end)) >= b]
            if backing:
                st = _SUPPORTED_STYLE
                tip = "\n".join(_supported_tooltip(x) for x in backing)
                seg = (
                    f'<mark class="claimaudit-supported" title="{esc(tip)}" '
                    f'style="background:{st["bg"]};border-bottom:2px dotted {st["border"]};'
                    f'padding:0 1px;color:inherit">{seg}</mark>'
                )
            pieces.append(seg)
            continue
        top = max(active, key=lambda p: _SEVERITY_RANK.get(_val(p[1].severity), 0))[1]
        st = SEVERITY_STYLES.get(_val(top.severity), SEVERITY_STYLES["info"])
        tip = "\n\n".join(f"[{i}] " + _finding_tooltip(f) for i, f in active)
        pieces.append(
            f'<mark class="claimaudit-{esc(_val(top.severity))}" title="{esc(tip)}" '
            f'style="background:{st["bg"]};border-bottom:2px solid {st["border"]};'
            f'padding:0 1px;color:inherit">{seg}</mark>'
        )
        ends_here = [i for i, f in active if clip(int(f.end)) == b]
        if ends_here:
            pieces.append(
                f'<sup style="color:{st["border"]};font-size:10px">'
                + ",".join(str(i) for i in ends_here)
                + "</sup>"
            )
    return "".join(pieces)


def report_html(report: Any, text: str | None = None) -> str:
    """An audit report as highlighted text, with a legend and a numbered list of findings.

    Each finding's words (``text[start:end]``) are highlighted by severity, with the
    message, evidence and safer wording on hover (``title``); the same details are listed
    below the text. Overlapping findings are shown by the most severe; sentences the report
    lists as ``supported`` (matching an established claim) are marked lightly, with the
    claim on hover. ``text`` defaults
    to the report's own ``text`` attribute (the caller's text); without either, the
    sentences that hold findings are shown (from each finding's ``sentence`` and
    ``sentence_start``). Everything from the text and the findings is escaped, so input
    such as ``<script>`` shows as text.
    """
    if text is None:
        text = getattr(report, "text", None)
    findings = sorted(
        (f for f in getattr(report, "findings", ())),
        key=lambda f: (int(f.start), -int(f.end)),
    )
    numbered = list(enumerate(findings, 1))
    note = ""
    supported = list(getattr(report, "supported", None) or ())
    if text is not None:
        body_html = _highlight(text, 0, numbered, supported)
    else:
        # the report does not keep the caller's text: show the sentences with findings
        note = (
            f'<div style="{_MUTED};font-size:11px">sentences with findings; pass '
            "<code>text=</code> to show the whole text</div>"
        )
        groups: dict[tuple[int, int, str], list[tuple[int, Any]]] = {}
        for i, f in numbered:
            sent = getattr(f, "sentence", None)
            s0 = getattr(f, "sentence_start", None)
            if sent is None or s0 is None:
                sent = getattr(f, "flagged", "") or ""
                s0 = int(f.start)
            groups.setdefault((int(s0), int(s0) + len(sent), str(sent)), []).append((i, f))
        blocks = [
            f'<div style="margin:2px 0">{_highlight(sent, s0, members)}</div>'
            for (s0, _s1, sent), members in sorted(groups.items())
        ]
        body_html = '<div style="color:#999">…</div>'.join(blocks)
    counts: dict[str, int] = {}
    for f in findings:
        counts[_val(f.severity)] = counts.get(_val(f.severity), 0) + 1
    summary = ", ".join(f"{v} {esc(k)}" for k, v in counts.items()) or "no findings"
    items = []
    for i, f in numbered:
        st = SEVERITY_STYLES.get(_val(f.severity), SEVERITY_STYLES["info"])
        ev = _evidence_list(getattr(f, "evidence", None))
        say = getattr(f, "say_instead", None)
        words = getattr(f, "flagged", None)
        if words is None:
            words = (text or "")[max(0, int(f.start)) : max(0, int(f.end))]
        head = (
            f'<b style="color:{st["border"]}">[{i}] {esc(_val(f.severity))}</b> '
            f"<code>{esc(getattr(f, 'overclaim', None) or getattr(f, 'category', ''))}</code> "
            f"“{esc(words)}”"
        )
        stance = getattr(f, "stance", None)
        if stance:
            head += f' <span style="{_MUTED}">stance: {esc(_val(stance))}</span>'
        body = [head]
        if getattr(f, "message", None):
            body.append(f"<div>{esc(f.message)}</div>")
        if ev:
            body.append(
                f'<details><summary style="{_MUTED};cursor:pointer">evidence: {len(ev)} '
                f"refuting claim{'s' if len(ev) != 1 else ''}</summary>"
                + _list([_evidence_item_html(e) for e in _evidence_seq(f.evidence)])
                + "</details>"
            )
        if say:
            body.append(f"<div><b>say instead:</b> {esc(say)}</div>")
        items.append(
            f'<li style="margin:6px 0;list-style:none;border-left:3px solid {st["border"]};'
            f'padding-left:8px">{"".join(body)}</li>'
        )
    details = f'<ol style="margin:8px 0 0 0;padding:0">{"".join(items)}</ol>' if items else ""
    return (
        f'<div class="claimaudit-report" style="{_CARD}">'
        f"<div><b>Audit</b> — {summary}</div>{_legend(bool(supported) and text is not None)}"
        f'<div style="white-space:pre-wrap;border:1px solid #eaeef2;border-radius:4px;'
        f'padding:8px;background:#fcfcfc">{body_html}</div>{note}{details}</div>'
    )
