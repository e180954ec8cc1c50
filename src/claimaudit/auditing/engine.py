"""The audit engine: :class:`Auditor` (compiled once, reused, thread-safe) and :func:`audit`.

Pipeline (DESIGN.md §6): Markdown masking → normalization with an offset map → relevance
(one pass of plain substring search for the literals anything could need: topic words,
touch words ...) that skips paragraphs with nothing relevant → literal gates that pick the
few catalog patterns worth running on a paragraph → sentences → topic tracking →
candidates → stance (ConText-style triggers) → severity → findings with offsets into the
caller's original text.
"""

from __future__ import annotations

import bisect
import re
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from claimaudit.auditing.lexicon import Lexicon
from claimaudit.auditing.match import (
    Candidate,
    CompiledCatalog,
    load_catalog_file,
    merge_catalogs,
)
from claimaudit.auditing.report import (
    SEVERITY_RANK,
    AuditReport,
    EvidenceClaim,
    Finding,
    SourceRef,
    Supported,
)
from claimaudit.auditing.stance import BlockTriggers, Stance, debunked_by, resolve
from claimaudit.auditing.text import (
    OffsetMap,
    Sentence,
    looks_like_markdown,
    mask_markdown,
    normalize,
    split_blocks,
    split_sentences,
)
from claimaudit.errors import ClaimAuditError
from claimaudit.models import Overclaim

if TYPE_CHECKING:
    from claimaudit.kb import KnowledgeBase

__all__ = ["Auditor", "UnknownRuleError", "audit", "default_auditor"]

TOPIC_WINDOW = 3  # sentences before the current one that keep oxytocin "the topic"
_MARKDOWN_SUFFIXES = (".md", ".markdown", ".mdx", ".mdown", ".mkd")
_SUPPRESS = re.compile(
    r"<!--\s*claimaudit\s*:\s*(disable-next-line|disable|enable)\s*(?:=\s*([^>]*?))?\s*-->",
    re.IGNORECASE,
)
_REPORTED = {Stance.ASSERTED, Stance.ATTRIBUTED}
_ANIMAL_IGNORE = frozenset({"scope"})  # animal scoping is what animal-to-human flags
_NO_IGNORE: frozenset[str] = frozenset()
_HUMANS = re.compile(
    r"\b(?:humans?|people|persons?|men|women|we|us|our|you|your|couples|children|kids|adults"
    r"|patients|clients|parents|mothers|fathers|partners)\b"
)
# a text that opens with "This hormone ..." has no antecedent in it: the excerpt is about the
# audit's subject (a quoted passage, a caption), so the opening sentence counts as topical
_OPENING_ANAPHOR = re.compile(
    r"[\s\"'(*>#-]*(?:this|the) (?:hormone|neuropeptide|peptide|molecule|neurochemical)"
    r"(?=,|\s+(?:\w+ly\s+)?(?:is|was|'s|has|had|makes|made|can|could|will|would|may|might|does"
    r"|did|also|acts|works|plays|keeps|helps|drives|turns|lets|gets|floods|surges|rises)\b)"
)
_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")
# the abbreviation "OT" names oxytocin in capitals only ("ot" is no word, but "OT" also
# means other things in lower case): it is kept in capitals in the lower-cased text, where
# no other capital occurs, so the catalog's (?-i:OT) and the gates find it
_CAPITALS = re.compile(r"(?<![A-Za-z0-9])OT(?![A-Za-z0-9])")


def _keep_capitals(norm: str, low: str) -> str:
    """``low`` with each "OT" of ``norm`` back in capitals (same length, same offsets)."""
    parts: list[str] = []
    last = 0
    for m in _CAPITALS.finditer(norm):
        parts.append(low[last : m.start()])
        parts.append("OT")
        last = m.end()
    if not parts:
        return low
    parts.append(low[last:])
    return "".join(parts)


_REF_HEADING = re.compile(
    r"^[ \t]*(?:resources|references|further reading|bibliography|sources|works cited|citations"
    r"|reading list|literature|notes and references)\b[^\n.!?]{0,50}$",
    re.IGNORECASE | re.MULTILINE,
)
_REF_LINE = re.compile(
    r"[ \t]*(?:$|[-*+\u2022\u25b6>]|\d{1,3}[.)]|\[\d{1,3}\]|https?://|doi:"
    r"|.*:[ \t]*$|.*\(\d{4}[a-z]?\))"
)


def _reference_ranges(norm: str) -> list[tuple[int, int]]:
    """Spans of reference lists (a "References"/"Further reading" heading and its items).

    Titles of cited works ("Oxytocin increases trust in humans") are citations, not claims.
    """
    out: list[tuple[int, int]] = []
    for m in _REF_HEADING.finditer(norm):
        pos = m.end() + 1
        end = pos
        while pos < len(norm):
            nl = norm.find("\n", pos)
            line_end = len(norm) if nl == -1 else nl
            if _REF_LINE.match(norm, pos, line_end) is None:
                break
            end = line_end
            pos = line_end + 1
        out.append((m.start(), end))
    return out


class UnknownRuleError(ClaimAuditError, ValueError):
    """A ``select``/``ignore`` value names no catalog entry, category or ``all``."""


@dataclass(frozen=True, slots=True)
class _Hit:
    cand: Candidate
    sentence: Sentence
    stance: Stance
    severity: str
    trigger: str | None


def _message(stance: Stance, proposition: str) -> str:
    if stance is Stance.ATTRIBUTED:
        return f"Repeats, without distancing it, the overclaim that {proposition}."
    if stance is Stance.ASSERTED:
        return f"States as fact that {proposition}."
    return f"Mentions, {stance}, the claim that {proposition}."


class Auditor:
    """An overclaim auditor compiled once from a knowledge base (or a plain catalog).

    Build it once and call :meth:`audit` for many texts; it holds no per-text state, so
    one instance may be used from several threads at once.

    >>> auditor = Auditor()                                  # doctest: +SKIP
    >>> auditor.audit("Oxytocin is the trust hormone.").findings[0].category  # doctest: +SKIP
    'hormone-label'
    """

    def __init__(
        self,
        kb: KnowledgeBase | None = None,
        *,
        catalog: Iterable[Overclaim | dict[str, Any]] | None = None,
        extra_catalog: str | Path | Iterable[Overclaim | dict[str, Any]] | None = None,
        lexicon: Lexicon | str | Path | None = None,
        min_severity: str = "warning",
    ) -> None:
        if catalog is None:
            if kb is None:
                kb = _try_load_kb()
            if kb is not None:
                entries = list(kb.overclaims.values())
            else:
                entries = load_catalog_file(Path(_data_dir()) / "overclaims.yaml")
        else:
            entries = [
                e if isinstance(e, Overclaim) else Overclaim.model_validate(e) for e in catalog
            ]
        if extra_catalog is not None:
            if isinstance(extra_catalog, str | Path):
                extra = load_catalog_file(extra_catalog)
            else:
                extra = [
                    e if isinstance(e, Overclaim) else Overclaim.model_validate(e)
                    for e in extra_catalog
                ]
            entries = merge_catalogs(entries, extra)
        if not isinstance(lexicon, Lexicon):
            lexicon = Lexicon.load(lexicon)
        if min_severity not in SEVERITY_RANK:
            raise ValueError(f"min_severity must be one of {sorted(SEVERITY_RANK)}")
        self.kb = kb
        self.lexicon = lexicon
        self.catalog = CompiledCatalog(entries, lexicon)
        self.min_severity = min_severity
        self._evidence = {e.id: self._evidence_for(e) for e in self.catalog.entries}
        self._categories = frozenset(e.category for e in self.catalog.entries) | frozenset(
            p.pattern.category for p in self.catalog.patterns if p.pattern.category
        )
        self._ids = frozenset(e.id for e in self.catalog.entries)
        # established, reusable claims by content word, for report.supported
        self._support_claims: list[tuple[EvidenceClaim, frozenset[str]]] = []
        self._support_index: dict[str, tuple[int, ...]] = {}
        if kb is not None:
            index: dict[str, list[int]] = {}
            for claim in kb.reusable():
                words = _content_words(claim.text)
                if len(words) < 4:
                    continue
                srcs = tuple(
                    SourceRef(sid, kb.sources[sid].citation, kb.sources[sid].link)
                    for sid in claim.citations
                    if sid in kb.sources
                )
                ev = EvidenceClaim(claim.id, claim.text, str(claim.maturity), srcs)
                for w in words:
                    index.setdefault(w, []).append(len(self._support_claims))
                self._support_claims.append((ev, words))
            self._support_index = {w: tuple(v) for w, v in index.items()}

    # -- public helpers -------------------------------------------------------------------
    @property
    def rules(self) -> tuple[Overclaim, ...]:
        """The catalog entries (one linter rule each)."""
        return self.catalog.entries

    def check_rule_ids(self, values: Iterable[str]) -> list[str]:
        """The values that name no entry id, category or ``all`` (empty when all are known)."""
        return [
            v for v in values if v != "all" and v not in self._ids and v not in self._categories
        ]

    def _evidence_for(self, entry: Overclaim) -> tuple[EvidenceClaim, ...]:
        out: list[EvidenceClaim] = []
        kb = self.kb
        for cid in entry.refuted_by:
            if kb is None:
                out.append(EvidenceClaim(cid, "", "unknown"))
                continue
            try:
                claim = kb.get(cid)
            except KeyError:
                continue
            srcs = []
            for sid in claim.citations:
                src = kb.sources.get(sid)
                if src is not None:
                    srcs.append(SourceRef(sid, src.citation, src.link))
            out.append(EvidenceClaim(claim.id, claim.text, str(claim.maturity), tuple(srcs)))
        return tuple(out)

    # -- the audit --------------------------------------------------------------------------
    def audit(
        self,
        text: str,
        *,
        path: str | None = None,
        format: str = "auto",
        select: Sequence[str] | None = None,
        ignore: Sequence[str] | None = None,
        min_severity: str | None = None,
        suppress: bool = True,
        supported: bool = False,
    ) -> AuditReport:
        """Audit ``text``; findings carry offsets into ``text`` itself.

        ``format`` is ``"text"``, ``"markdown"`` or ``"auto"`` (by ``path`` suffix, else by
        a look at the text). ``select``/``ignore`` take entry ids, categories or ``all``;
        ``min_severity`` (``info``/``warning``/``error``) drops quieter findings; inline
        ``<!-- claimaudit: disable=ID -->`` comments are honoured unless ``suppress=False``.
        With ``supported=True`` the report also lists sentences that match an established
        claim of the knowledge base (``report.supported``), so an editor can cite them.
        """
        if not isinstance(text, str):
            raise TypeError(f"audit() needs a str, not {type(text).__name__}")
        floor = SEVERITY_RANK[min_severity or self.min_severity]
        for values in (select, ignore):
            if values:
                unknown = self.check_rule_ids(values)
                if unknown:
                    raise UnknownRuleError(f"unknown rule id or category: {', '.join(unknown)}")
        markdown = format == "markdown" or (
            format == "auto"
            and (
                path.lower().endswith(_MARKDOWN_SUFFIXES)
                if path and path not in ("-", "<stdin>")
                else looks_like_markdown(text)
            )
        )
        work = mask_markdown(text) if markdown else text
        norm, omap = normalize(work)
        hits = self._scan(norm, floor)
        if hits and _REF_HEADING.search(norm):
            refs = _reference_ranges(norm)
            hits = [h for h in hits if not any(a <= h.cand.start < b for a, b in refs)]
        lines = _Lines(text) if hits else None
        findings = [self._finding(h, text, omap, path, lines) for h in hits]  # type: ignore[arg-type]
        suppressed = 0
        if suppress and "claimaudit" in text:
            kept = _apply_suppressions(text, findings, self)
            suppressed = len(findings) - len(kept)
            findings = kept
        findings = select_findings(findings, select, ignore)
        sup: tuple[Supported, ...] = ()
        if supported and self._support_index:
            flagged = [(f.sentence_start, f.sentence_end) for f in findings]
            sup = self._supported(text, norm, omap, flagged)
        return AuditReport(tuple(findings), sup, path, self.catalog.entries, suppressed)

    def _supported(
        self, text: str, norm: str, omap: OffsetMap, flagged: list[tuple[int, int]]
    ) -> tuple[Supported, ...]:
        """Sentences about oxytocin, without findings, whose words match an established claim."""
        topic = self.lexicon.topic_rx.search
        lines = _Lines(text)
        out: list[Supported] = []
        for b0, b1 in split_blocks(norm):
            if topic(norm, b0, b1) is None:
                continue
            for s in split_sentences(norm, b0, b1):
                start, end = omap.start(s.start), omap.end(s.end)
                if any(a < end and start < b for a, b in flagged):
                    continue
                words = _content_words(norm[s.start : s.end])
                if len(words) < 4:
                    continue
                scores: dict[int, int] = {}
                for w in words:
                    for i in self._support_index.get(w, ()):
                        scores[i] = scores.get(i, 0) + 1
                if not scores:
                    continue
                best = max(scores, key=lambda i: (scores[i], -i))
                claim_words = self._support_claims[best][1]
                shared = scores[best]
                if shared >= 4 and shared / len(words | claim_words) >= 0.3:
                    out.append(
                        Supported(
                            start,
                            end,
                            lines.line_col(start)[0],
                            text[start:end],
                            self._support_claims[best][0],
                        )
                    )
        return tuple(out)

    def _scan(self, norm: str, floor: int) -> list[_Hit]:
        low = norm.lower()
        if len(low) != len(norm):  # a few characters lower-case to two; keep offsets aligned
            low = norm.translate(_ASCII_LOWER)
        if "OT" in norm:
            low = _keep_capitals(norm, low)
        topic_search = self.lexicon.topic_rx.search
        catalog = self.catalog
        out: list[_Hit] = []
        # topic flags of the last sentences (carried across blocks)
        window: list[bool] = [True] if _OPENING_ANAPHOR.match(low) else []
        para_base = 0
        relevant: list[int] | None = None
        if catalog.relevance is not None:  # one scan of the whole text for relevant literals
            relevant = catalog.relevance.positions(low)
        for b0, b1 in split_blocks(norm):
            limit = None
            if relevant is not None:
                i = bisect.bisect_left(relevant, b0)
                if i == len(relevant) or relevant[i] >= b1:  # nothing relevant in the block
                    if not any(window):
                        window = []
                        continue
                    # only the topic carried over from the previous block can make a
                    # candidate here, in its first sentences (for patterns needing the topic)
                    limit = TOPIC_WINDOW
            sents = split_sentences(norm, b0, b1, para_base, limit=limit)
            if not sents:
                continue
            para_base = sents[-1].paragraph + 1
            flags = [topic_search(norm, s.start, s.end) is not None for s in sents]
            both = window + flags
            k = len(window)
            topical = [
                any(both[max(0, k + i - TOPIC_WINDOW) : k + i + 1]) for i in range(len(sents))
            ]
            cands = catalog.in_sentences(
                low, [s.start for s in sents], [s.end for s in sents], topical
            )
            if not cands:
                window = (window + flags)[-TOPIC_WINDOW:]
                continue
            out.extend(self._judge(low, b0, b1, sents, window + flags, len(window), cands, floor))
            window = (window + flags)[-TOPIC_WINDOW:]
        return out

    def _judge(
        self,
        norm: str,
        b0: int,
        b1: int,
        sents: list[Sentence],
        flags: list[bool],
        offset: int,
        cands: list[Candidate],
        floor: int,
    ) -> list[_Hit]:
        """Stance and severity for the candidates of one block (``norm`` is lower-cased)."""
        starts = [s.start for s in sents]
        # triggers are only needed around the sentences that hold candidates (and the next
        # sentence, which may debunk a label)
        first = bisect.bisect_right(starts, min(c.start for c in cands)) - 1
        last = min(len(sents) - 1, bisect.bisect_right(starts, max(c.start for c in cands)))
        para_start = next(
            (x.start for x in sents if x.paragraph == sents[max(first, 0)].paragraph), b0
        )
        bt = BlockTriggers(
            self.lexicon, norm, sents[max(first, 0)].start, sents[last].end, para_start
        )
        examples = [t for t in bt.trigs if t.spec.scope == "paragraph"]
        best: dict[tuple[int, str], _Hit] = {}
        # Whole-sentence searches are done once per sentence (or sentence and pattern), not
        # once per candidate: a long sentence with many candidates must stay linear.
        requires_seen: dict[tuple[int, int], bool] = {}
        humans_seen: dict[int, bool] = {}
        debunk_seen: dict[int, Any] = {}

        def _about_humans(i: int, s: Sentence) -> bool:
            if i not in humans_seen:
                humans_seen[i] = _HUMANS.search(norm, s.start, s.end) is not None
            return humans_seen[i]

        for c in cands:
            i = bisect.bisect_right(starts, c.start) - 1
            if i < 0:
                continue
            s = sents[i]
            if c.end > s.end:
                continue
            pat = c.pattern.pattern
            if pat.topic == "required" and not any(
                flags[max(0, offset + i - TOPIC_WINDOW) : offset + i + 1]
            ):
                continue
            if c.pattern.requires is not None:
                rkey = (i, id(c.pattern.requires))
                if rkey not in requires_seen:
                    requires_seen[rkey] = (
                        c.pattern.requires.search(norm, s.start, s.end) is not None
                    )
                if not requires_seen[rkey]:
                    continue
            para_example = any(
                t.start < c.start
                and sents[bisect.bisect_right(starts, t.start) - 1].paragraph == s.paragraph
                for t in examples
            )
            dec = resolve(
                norm,
                c.start,
                c.end,
                s.start,
                s.end,
                bt,
                hedge_proof=pat.hedge_proof,
                paragraph_example=para_example,
                own=c.own if c.own is not None else (c.match_start, c.start),
                # animal scoping rescues a claim only when the sentence is about animals alone
                ignore=_ANIMAL_IGNORE
                if c.pattern.category == "animal-to-human" or _about_humans(i, s)
                else _NO_IGNORE,
            )
            stance, trigger = dec.stance, dec.trigger
            if (
                stance in _REPORTED
                and pat.label
                and i + 1 < len(sents)
                and sents[i + 1].paragraph == s.paragraph
            ):
                if i + 1 not in debunk_seen:
                    debunk_seen[i + 1] = debunked_by(norm, sents[i + 1].start, sents[i + 1].end, bt)
                t = debunk_seen[i + 1]
                if t is not None:
                    stance, trigger = Stance.DEBUNKED, norm[t.start : t.end]
            if stance is Stance.ASSERTED:
                severity = str(c.pattern.severity)
            elif stance is Stance.ATTRIBUTED:
                severity = "warning"
            else:
                severity = "info"
            if SEVERITY_RANK[severity] < floor:
                continue
            key = (s.start, c.pattern.entry.id)
            hit = _Hit(c, s, stance, severity, trigger)
            prev = best.get(key)
            if prev is None or SEVERITY_RANK[severity] > SEVERITY_RANK[prev.severity]:
                best[key] = hit
        # one finding for overlapping matches of the same category: the earlier catalog entry
        kept: list[_Hit] = []
        for h in sorted(best.values(), key=lambda h: (h.cand.pattern.index, h.cand.start)):
            if any(
                k.cand.pattern.category == h.cand.pattern.category
                and k.cand.start < h.cand.end
                and h.cand.start < k.cand.end
                and k.cand.pattern.entry.id != h.cand.pattern.entry.id
                for k in kept
            ):
                continue
            kept.append(h)
        return sorted(kept, key=lambda h: (h.cand.start, h.cand.end))

    def _finding(
        self, h: _Hit, text: str, omap: OffsetMap, path: str | None, lines: _Lines
    ) -> Finding:
        entry = h.cand.pattern.entry
        start, end = omap.start(h.cand.start), omap.end(h.cand.end)
        s_start, s_end = omap.start(h.sentence.start), omap.end(h.sentence.end)
        line, col = lines.line_col(start)
        end_line, end_col = lines.line_col(end)
        message = _message(h.stance, entry.proposition)
        return Finding(
            category=h.cand.pattern.category,
            severity=h.severity,
            stance=h.stance,
            start=start,
            end=end,
            line=line,
            column=col,
            end_line=end_line,
            end_column=end_col,
            flagged=text[start:end],
            sentence=text[s_start:s_end],
            sentence_start=s_start,
            sentence_end=s_end,
            message=message,
            overclaim=entry.id,
            title=entry.title,
            say_instead=" ".join(entry.say_instead.split()),
            evidence=self._evidence.get(entry.id, ()),
            trigger=h.trigger,
            path=path,
        )


_WORD = re.compile(r"[a-z][a-z-]{3,}")
_STOP = frozenset(
    {
        "about",
        "after",
        "also",
        "among",
        "and",
        "because",
        "been",
        "before",
        "being",
        "both",
        "could",
        "does",
        "each",
        "from",
        "have",
        "into",
        "more",
        "most",
        "much",
        "must",
        "only",
        "other",
        "over",
        "same",
        "some",
        "such",
        "than",
        "that",
        "their",
        "them",
        "then",
        "there",
        "these",
        "they",
        "this",
        "those",
        "through",
        "under",
        "very",
        "were",
        "what",
        "when",
        "where",
        "which",
        "while",
        "with",
        "would",
        "your",
        "oxytocin",
        "oxytocin's",
    }
)


def _content_words(text: str) -> frozenset[str]:
    return frozenset(w for w in _WORD.findall(text.lower()) if w not in _STOP)


class _Lines:
    """Line starts of a text, for 1-based line/column of any offset (built once per audit)."""

    __slots__ = ("starts",)

    def __init__(self, text: str) -> None:
        self.starts = [0]
        self.starts.extend(m.end() for m in re.finditer("\n", text))

    def line_col(self, pos: int) -> tuple[int, int]:
        i = bisect.bisect_right(self.starts, pos) - 1
        return i + 1, pos - self.starts[i] + 1


def select_findings(
    findings: list[Finding], select: Sequence[str] | None, ignore: Sequence[str] | None
) -> list[Finding]:
    """``findings`` kept by ``select`` and not dropped by ``ignore`` (ids, categories, ``all``)."""
    for values, keep in ((select, True), (ignore, False)):
        if values:
            chosen = set(values)
            findings = [
                f
                for f in findings
                if ("all" in chosen or f.overclaim in chosen or f.category in chosen) == keep
            ]
    return findings


def _apply_suppressions(text: str, findings: list[Finding], auditor: Auditor) -> list[Finding]:
    """Drop findings switched off by ``<!-- claimaudit: disable=… -->`` comments."""
    events: list[tuple[int, str, frozenset[str]]] = []
    for m in _SUPPRESS.finditer(text):
        ids = frozenset(
            x.strip() for x in (m.group(2) or "all").split(",") if x.strip()
        ) or frozenset({"all"})
        line = text.count("\n", 0, m.start()) + 1
        kind = m.group(1).lower()
        if kind == "disable-next-line":
            # the next line that is not blank
            after = text.find("\n", m.end())
            line = text.count("\n", 0, m.end()) + 2
            while after != -1:
                nxt = text.find("\n", after + 1)
                seg = text[after + 1 : nxt if nxt != -1 else len(text)]
                if seg.strip():
                    break
                line += 1
                after = nxt
        events.append((line, kind, ids))
    if not events:
        return findings

    def hits(ids: frozenset[str], f: Finding) -> bool:
        return "all" in ids or f.overclaim in ids or f.category in ids

    kept = []
    for f in findings:
        disabled: set[str] = set()
        off = False
        for line, kind, ids in events:
            if kind == "disable-next-line":
                if line == f.line and hits(ids, f):
                    off = True
                continue
            if line > f.line:
                continue
            if kind == "disable":
                disabled |= ids
            else:  # enable
                if "all" in ids:
                    disabled.clear()
                else:
                    disabled -= ids
        if off or hits(frozenset(disabled), f):
            continue
        kept.append(f)
    return kept


def _data_dir() -> Path:
    try:
        from claimaudit.kb import bundled_data_dir

        return bundled_data_dir()
    except Exception:
        return Path(__file__).resolve().parents[3] / "data"


def _try_load_kb() -> KnowledgeBase | None:
    try:
        from claimaudit.kb import load
    except ImportError:  # the knowledge base is not part of this build
        return None
    return load()


_LOCK = threading.Lock()
_DEFAULT: Auditor | None = None
_BY_KB: dict[int, tuple[Any, Auditor]] = {}


def default_auditor() -> Auditor:
    """The shared Auditor built from the bundled knowledge base (built on first use)."""
    global _DEFAULT
    if _DEFAULT is None:
        with _LOCK:
            if _DEFAULT is None:
                _DEFAULT = Auditor()
    return _DEFAULT


def audit(text: str, kb: KnowledgeBase | None = None, **options: Any) -> AuditReport:
    """Audit ``text`` for overclaims against ``kb`` (the bundled knowledge base by default).

    Options are those of :meth:`Auditor.audit` (``path``, ``format``, ``select``,
    ``ignore``, ``min_severity``, ``suppress``), plus ``extra_catalog`` (a YAML file or
    entries that add to or override the catalog). Each finding's ``text[start:end]`` is
    exactly the flagged words of ``text``.
    """
    extra = options.pop("extra_catalog", None)
    if extra is not None:
        auditor = Auditor(kb, extra_catalog=extra)
    elif kb is None:
        auditor = default_auditor()
    else:
        with _LOCK:
            cached = _BY_KB.get(id(kb))
            if cached is None or cached[0] is not kb:
                cached = (kb, Auditor(kb))
                _BY_KB[id(kb)] = cached
        auditor = cached[1]
    return auditor.audit(text, **options)
