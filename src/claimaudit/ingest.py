"""Read a reference document of the series into claims (DESIGN.md §2).

The format: heading lines open sections; each other line is a paragraph of prose, a row
of the SMART-objectives table, or an item of a ``- `` list. A prose sentence closes with a
citation marker before its final punctuation (``… pituitary 5.``); a question closes with
its marker after the question mark (``… myth? 6``). A marker is one or more source numbers
written together (``23`` = sources 2 and 3) or ``LLM``. The Resources list names the
sources by position: item N is source N.

Every offset is a character offset into the decoded document text (a UTF-8 byte-order
mark, if present, is character 0), so ``text[claim.span.start:claim.span.end]`` is the
statement with its marker.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from claimaudit.errors import IngestError, Problem
from claimaudit.models import (
    Assertion,
    Claim,
    Definition,
    Document,
    Example,
    Objective,
    Question,
    Source,
    Span,
)

MAX_UNAMBIGUOUS_SOURCES = 9
"""With more sources than this, a marker of several digits cannot be read safely."""

_MARKER_AT_END = re.compile(r"(?<=\S)[ \t]+(?P<marker>\d+|LLM)(?P<close>[.!?]?[\"”’)]*)[ \t]*$")
_MARKER_AFTER_PUNCT = re.compile(r"(?<=[?!.])[ \t]+(?P<marker>\d+|LLM)[ \t]*$")
_EXAMPLE_LABEL = re.compile(r"^LLM-generated illustrative example[^:\n]*:[ \t]*", re.IGNORECASE)
_HEADING_END = re.compile(r"[.?!:;,]$")
_ABBREVIATIONS = frozenset(
    {"e.g", "i.e", "al", "vs", "dr", "mr", "mrs", "ms", "st", "fig", "no", "cf", "approx", "ca"}
)
_SENTENCE_END = re.compile(r"[.?!][\"”’)\]]*(?=\s|$)")
_OPENERS = "\"“‘(['"


def slugify(text: str) -> str:
    """A URL- and id-safe slug: lowercase ASCII words joined by ``-``.

    >>> slugify("Contraindications, Cautions & Cultural Humility")
    'contraindications-cautions-cultural-humility'
    """
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-") or "section"


@dataclass(frozen=True)
class Line:
    """One line of the document with its offsets and 1-based number."""

    number: int
    start: int
    text: str  # without the line break

    @property
    def end(self) -> int:
        return self.start + len(self.text)


@dataclass
class IngestResult:
    """What :func:`ingest` read: the document record, its claims and its sources."""

    document: Document
    claims: list[Claim]
    sources: list[Source]
    text: str
    sections: list[str] = field(default_factory=list)


def split_lines(text: str) -> list[Line]:
    """The document's lines with offsets; LF, CRLF and CR line ends are all understood."""
    lines: list[Line] = []
    pos = 0
    for number, raw in enumerate(text.splitlines(keepends=True), 1):
        body = raw.rstrip("\r\n")
        lines.append(Line(number, pos, body))
        pos += len(raw)
    return lines


def is_heading(line: str) -> bool:
    """True for a section heading: a short line with no final punctuation or marker."""
    s = line.strip().lstrip("\ufeff")
    if not s or len(s) > 80 or s[0] in "-|▶•*#>" or not s[0].isupper():
        return False
    if _HEADING_END.search(s) or re.search(r"\s(\d+|LLM)$", s):
        return False
    return len(s.split()) <= 10


def _is_sentence_end(para: str, punct: int, end: int) -> bool:
    """Whether the punctuation at ``punct`` (closers through ``end``) ends a sentence."""
    rest = para[end:]
    stripped = rest.lstrip()
    if not stripped:
        return True
    if para[punct] == ".":
        word = re.search(r"([A-Za-z.]+)$", para[:punct])
        token = word.group(1) if word else ""
        if re.fullmatch(r"[A-Z]", token) or token.lower() in _ABBREVIATIONS:
            return False
        if re.fullmatch(r"(?:[A-Za-z]\.)+[A-Za-z]", token):  # e.g / i.e / U.S
            return False
    nxt = stripped[0]
    if nxt.isdigit():
        # "… pituitary 5. Its" is handled by the marker; a digit opening the next sentence
        # is rare but legitimate ("2005 saw …").
        return True
    return nxt.isupper() or nxt in _OPENERS


def sentence_spans(para: str) -> Iterator[tuple[int, int]]:
    """Sentence offsets within one paragraph (marker and final punctuation included).

    >>> p = "C. Sue Carter studied voles 6. It helped 1."
    >>> [p[a:b] for a, b in sentence_spans(p)]
    ['C. Sue Carter studied voles 6.', 'It helped 1.']
    """
    start = 0
    n = len(para)
    while start < n and para[start].isspace():
        start += 1
    for m in _SENTENCE_END.finditer(para):
        if m.end() <= start:
            continue
        if _is_sentence_end(para, m.start(), m.end()):
            end = m.end()
            # A question's marker follows its question mark: "… myth? 6".
            tail = re.match(r"[ \t]+(\d+|LLM)(?=\s*$|\s+[A-Z“\"])", para[end:])
            if tail and para[m.start()] in "?!":
                end += tail.end()
            yield start, end
            start = end
            while start < n and para[start].isspace():
                start += 1
    if start < n and para[start:].strip():
        yield start, len(para.rstrip())


@dataclass(frozen=True)
class _Marked:
    """A statement split into its text and its citation marker."""

    text: str
    marker: str | None
    marker_start: int | None  # offset of the marker within the statement
    marker_end: int | None


def split_marker(statement: str) -> _Marked:
    """Separate a trailing citation marker from a statement.

    >>> split_marker("It is stored in the back of the pituitary 5.").text
    'It is stored in the back of the pituitary.'
    >>> split_marker("Am I reinforcing a popular myth? 6").marker
    '6'
    """
    m = _MARKER_AFTER_PUNCT.search(statement)
    if m:
        text = statement[: m.start()].rstrip()
        return _Marked(text, m.group("marker"), m.start("marker"), m.end("marker"))
    m = _MARKER_AT_END.search(statement)
    if m:
        text = statement[: m.start()].rstrip() + m.group("close")
        return _Marked(text, m.group("marker"), m.start("marker"), m.end("marker"))
    return _Marked(statement.strip(), None, None, None)


def resolve_marker(
    marker: str | None,
    sources: Sequence[str],
    *,
    path: str,
    line: int,
) -> tuple[str, ...]:
    """The source ids a marker cites; raises :class:`IngestError` rather than guess."""
    if marker is None or marker == "LLM":
        return ()
    if len(sources) > MAX_UNAMBIGUOUS_SOURCES and len(marker) > 1:
        raise IngestError.single(
            path,
            line,
            f"citation marker {marker!r} is ambiguous: the document lists {len(sources)} "
            "sources, so run-together digits could mean one source or several",
        )
    ids: list[str] = []
    for digit in marker:
        number = int(digit)
        if number < 1 or number > len(sources):
            raise IngestError.single(
                path,
                line,
                f"citation marker {marker!r} cites source {number}, but the document lists "
                f"{len(sources)} source{'s' if len(sources) != 1 else ''}",
            )
        sid = sources[number - 1]
        if sid in ids:
            raise IngestError.single(path, line, f"citation marker {marker!r} repeats {number}")
        ids.append(sid)
    return tuple(ids)


@dataclass
class _Pending:
    """A statement found in the first pass, resolved once the sources are known."""

    kind: str
    section: str
    paragraph: int
    line: int
    start: int  # absolute span of the whole statement
    end: int
    text: str
    marker: str | None
    marker_start: int | None
    marker_end: int | None
    extra: dict[str, str] = field(default_factory=dict)


def _split_cells(row: str) -> list[tuple[int, str]]:
    """Cells of a Markdown table row with their offsets within the row."""
    cells: list[tuple[int, str]] = []
    body_start = row.index("|") + 1
    pos = body_start
    for part in row[body_start:].split("|"):
        lead = len(part) - len(part.lstrip())
        cells.append((pos + lead, part.strip()))
        pos += len(part) + 1
    if cells and not cells[-1][1]:
        cells.pop()
    return cells


def _term_variants(term: str) -> list[str]:
    parts = re.split(r"\s+/\s+", term)
    return [p.strip(" “”\"'‘’").lower() for p in parts if p.strip(" “”\"'‘’")]


def read_document(path: str | Path) -> str:
    """Read a document as UTF-8, with an error naming the line of undecodable bytes."""
    p = Path(path)
    try:
        data = p.read_bytes()
    except OSError as exc:
        raise IngestError.single(p, None, f"cannot read: {exc.strerror or exc}") from exc
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise IngestError.single(
            p, line, f"not valid UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start})"
        ) from exc


def ingest(
    path: str | Path,
    *,
    doc_id: str | None = None,
    title: str | None = None,
    known_sources: Iterable[Source] = (),
    source_order: Sequence[str] | None = None,
    text: str | None = None,
) -> IngestResult:
    """Read a document of the reference format into claims and sources.

    ``known_sources`` are matched to the Resources list by the exact line
    (``Source.listed_as``) or by title, so verified bibliographic facts are kept; an
    unmatched item becomes a new source with only its title. ``source_order`` gives the
    source ids by number for a document with no Resources list. Claims come back in
    document order, not yet graded (see :func:`claimaudit.grading.grade`).
    """
    p = Path(path)
    if text is None:
        text = read_document(p)
    doc_id = doc_id or slugify(p.stem)
    shown = str(path)
    problems: list[Problem] = []
    pending: list[_Pending] = []
    resources: list[tuple[Line, str]] = []
    sections: list[str] = []
    section: str | None = None
    paragraph = -1
    table_header: list[str] | None = None
    in_block: str | None = None  # "table" or "list" while consecutive lines continue one

    for line in split_lines(text):
        raw = line.text
        body = raw.lstrip("\ufeff")
        offset = line.start + (len(raw) - len(body))
        stripped = body.strip()
        if not stripped:
            in_block = None
            continue
        if is_heading(body) and not stripped.startswith("|"):
            section = stripped
            sections.append(section)
            in_block, table_header = None, None
            continue
        if section is None:
            problems.append(Problem(shown, line.number, "text before the first section heading"))
            continue
        lead = len(body) - len(body.lstrip())
        base = offset + lead
        if stripped.startswith("|"):
            if in_block != "table":
                paragraph += 1
                in_block = "table"
                table_header = None
            cells = _split_cells(stripped)
            values = [c for _, c in cells]
            if table_header is None:
                table_header = [v.lower() for v in values]
                continue
            if all(re.fullmatch(r":?-{3,}:?", v) for v in values):
                continue
            if len(cells) != len(table_header) or len(cells) < 3:
                problems.append(
                    Problem(
                        shown,
                        line.number,
                        f"table row has {len(cells)} cells, the header has {len(table_header)}",
                    )
                )
                continue
            last_off, last = cells[-1]
            marked = split_marker(last)
            first_off = cells[0][0]
            row_end = base + last_off + len(last)
            body_text = stripped[first_off:last_off] + marked.text
            pending.append(
                _Pending(
                    kind="objective",
                    section=section,
                    paragraph=paragraph,
                    line=line.number,
                    start=base + first_off,
                    end=row_end,
                    text=body_text,
                    marker=marked.marker,
                    marker_start=None
                    if marked.marker_start is None
                    else last_off + marked.marker_start - first_off,
                    marker_end=None
                    if marked.marker_end is None
                    else last_off + marked.marker_end - first_off,
                    extra={"goal": values[0], "objective": values[1], "mechanism": marked.text},
                )
            )
            continue
        if stripped.startswith("▶"):
            in_block = None
            continue
        if stripped.startswith("- "):
            if in_block != "list":
                paragraph += 1
                in_block = "list"
            item_start = base + 2
            item = stripped[2:]
            slug = slugify(section)
            if "resources" in slug or "further-reading" in slug:
                resources.append((line, item.strip()))
                continue
            marked = split_marker(item)
            kind = "assertion"
            extra: dict[str, str] = {}
            if "key-terms" in slug or "glossary" in slug:
                term, sep, definition = marked.text.partition(": ")
                if not sep:
                    problems.append(
                        Problem(
                            shown, line.number, "key term has no ': ' between term and definition"
                        )
                    )
                    continue
                kind, extra = "definition", {"term": term.strip(), "definition": definition.strip()}
            elif marked.text.endswith("?"):
                kind = "question"
            pending.append(
                _Pending(
                    kind=kind,
                    section=section,
                    paragraph=paragraph,
                    line=line.number,
                    start=item_start,
                    end=item_start + len(item.rstrip()),
                    text=marked.text,
                    marker=marked.marker,
                    marker_start=marked.marker_start,
                    marker_end=marked.marker_end,
                    extra=extra,
                )
            )
            continue
        # A prose paragraph.
        in_block = None
        paragraph += 1
        para = stripped
        para_base = base
        kind = "assertion"
        label = _EXAMPLE_LABEL.match(para)
        if label:
            kind = "example"
        for s, e in sentence_spans(para):
            if label and s < label.end():
                s = label.end()
                if s >= e:
                    continue
            sentence = para[s:e]
            marked = split_marker(sentence)
            this_kind = kind
            if kind == "assertion" and marked.text.endswith("?"):
                this_kind = "question"
            pending.append(
                _Pending(
                    kind=this_kind,
                    section=section,
                    paragraph=paragraph,
                    line=line.number,
                    start=para_base + s,
                    end=para_base + e,
                    text=marked.text,
                    marker=marked.marker,
                    marker_start=marked.marker_start,
                    marker_end=marked.marker_end,
                )
            )

    # Sources: the Resources list (item N is source N), matched to what is known.
    known = list(known_sources)
    by_line = {alias: s for s in known for alias in s.listed_as}
    by_title = {_norm_title(s.title): s for s in known}
    by_id = {s.id: s for s in known}
    doc_sources: list[Source] = []
    for number, (_line, item) in enumerate(resources, 1):
        match = by_line.get(item) or by_title.get(_norm_title(item))
        if match is None:
            new_id = _source_id(item, {s.id for s in doc_sources} | set(by_id))
            match = Source(id=new_id, title=item, listed_as=(item,))
        doc_sources.append(
            match.model_copy(update={"number": number}) if match.number is None else match
        )
    if not doc_sources and source_order:
        missing = [sid for sid in source_order if sid not in by_id]
        if missing:
            problems.append(
                Problem(shown, None, f"unknown source ids in the source order: {missing}")
            )
        doc_sources = [by_id[sid] for sid in source_order if sid in by_id]
    order = [s.id for s in doc_sources]

    claims: list[Claim] = []
    positions: dict[str, int] = {}
    definitions = [p for p in pending if p.kind == "definition"]
    variants = {p.extra["term"]: _term_variants(p.extra["term"]) for p in definitions}
    for pend in pending:
        try:
            citations = resolve_marker(pend.marker, order, path=shown, line=pend.line)
        except IngestError as exc:
            problems.extend(exc.problems)
            continue
        positions[pend.section] = positions.get(pend.section, 0) + 1
        position = positions[pend.section]
        lowered = pend.text.lower()
        terms = tuple(
            t
            for t, vs in variants.items()
            if any(re.search(rf"(?<![\w-]){re.escape(v)}(?![\w-])", lowered) for v in vs)
            and not (pend.kind == "definition" and pend.extra.get("term") == t)
        )
        marker_span = (
            Span(start=pend.start + pend.marker_start, end=pend.start + pend.marker_end)
            if pend.marker_start is not None and pend.marker_end is not None
            else None
        )
        common = {
            "id": f"{doc_id}/{slugify(pend.section)}/{position}",
            "document": doc_id,
            "text": pend.text,
            "section": pend.section,
            "paragraph": pend.paragraph,
            "position": position,
            "span": Span(start=pend.start, end=pend.end),
            "marker": pend.marker,
            "marker_span": marker_span,
            "citations": citations,
            "terms": terms,
        }
        claim: Claim
        if pend.kind == "definition":
            claim = Definition(**common, **pend.extra)
        elif pend.kind == "objective":
            claim = Objective(**common, **pend.extra)
        elif pend.kind == "example":
            claim = Example(**common)
        elif pend.kind == "question":
            claim = Question(**common)
        else:
            claim = Assertion(**common)
        claims.append(claim)

    if problems:
        raise IngestError(problems)
    document = Document(
        id=doc_id,
        title=title or _title_from_path(p),
        path=p.name,
        sources=tuple(order),
    )
    return IngestResult(
        document=document, claims=claims, sources=doc_sources, text=text, sections=sections
    )


def _norm_title(title: str) -> str:
    return re.sub(r"\W+", " ", title.lower()).strip()


def _source_id(item: str, taken: set[str]) -> str:
    words = slugify(re.sub(r"\([^)]*\)", "", item)).split("-")[:5]
    base = "-".join(words) or "source"
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base}-{n}", n + 1
    return candidate


def _title_from_path(path: Path) -> str:
    return path.stem.replace("-", " ").replace("_", " ").strip().capitalize()


def statement_text(document: str, claim: Claim) -> str:
    """Rebuild a claim's text from the document and its spans (marker removed).

    This is the invariant the tests check for every claim.
    """
    start, end = claim.span.start, claim.span.end
    whole = document[start:end]
    if isinstance(claim, Objective):
        rel = _table_text(whole)
        return rel
    if claim.marker_span is None:
        return whole.strip()
    m0, m1 = claim.marker_span.start - start, claim.marker_span.end - start
    return whole[:m0].rstrip() + whole[m1:].rstrip()


def _table_text(row_part: str) -> str:
    return split_marker(row_part).text


def claims_by_section(claims: Iterable[Claim]) -> Mapping[str, list[Claim]]:
    """Claims grouped by section, in document order."""
    out: dict[str, list[Claim]] = {}
    for c in claims:
        out.setdefault(c.section, []).append(c)
    return out
