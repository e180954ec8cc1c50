"""Corpus audits without Dask: files, chunks of large files, and one flat finding schema.

This module is the single-process half of ``claimaudit audit-corpus`` and the worker-side
half of :mod:`claimaudit.dask`: both produce the same rows (:data:`FINDING_COLUMNS`), so a
corpus audited in-process, on a local cluster or on a remote one gives the same findings.

* :func:`iter_corpus` expands files and folders into the files to audit.
* :func:`audit_document` audits one document. A large document (over ``chunk_bytes``) is
  audited paragraph batch by paragraph batch (:func:`chunks`), each batch with the preceding
  paragraph as context, so memory stays flat and progress can be shown; offsets, lines and
  columns still point into the whole document.
* :func:`finding_row` flattens a :class:`~claimaudit.auditing.report.Finding` into the row.
* :class:`AuditorHandle` wraps an :class:`~claimaudit.auditing.engine.Auditor` for shipping
  to other processes (pickled without its knowledge base, which the compiled auditor no
  longer needs) and counts how often it is unpickled in a process (to check it ships once).
"""

from __future__ import annotations

import bisect
import copy
import functools
import os
import re
import uuid
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from claimaudit.auditing.engine import Auditor
    from claimaudit.auditing.report import AuditReport, Finding
    from claimaudit.kb import KnowledgeBase

__all__ = [
    "CORPUS_SUFFIXES",
    "FINDING_COLUMNS",
    "AuditorHandle",
    "Chunk",
    "audit_document",
    "audit_large",
    "audit_stream",
    "chunks",
    "finding_row",
    "iter_corpus",
    "make_auditor",
    "stream_chunks",
]

FINDING_COLUMNS: dict[str, str] = {
    "doc": "string",
    "start": "int64",
    "end": "int64",
    "line": "int64",
    "column": "int64",
    "category": "string",
    "overclaim": "string",
    "severity": "string",
    "stance": "string",
    "message": "string",
    "sentence": "string",
    "flagged": "string",
}
"""The findings schema (column → dtype), shared by the JSON Lines output and the Dask frames.

``doc`` is the document's id or path; ``start``/``end`` are character offsets into that
document (``text[start:end] == flagged``); ``line``/``column`` are 1-based (column in
characters); ``category``, ``overclaim`` (the catalog entry id), ``severity``
(``error``/``warning``/``info``) and ``stance`` as in :class:`~claimaudit.auditing.report.Finding`.
"""

CORPUS_SUFFIXES = (".md", ".markdown", ".mdx", ".mdown", ".mkd", ".txt", ".text", ".rst")
_MARKDOWN_SUFFIXES = (".md", ".markdown", ".mdx", ".mdown", ".mkd")
DEFAULT_CHUNK_BYTES = 256_000
_BLANK = re.compile(r"\n[ \t]*\n")
_FENCE = re.compile(r"^[ \t]{0,3}(```|~~~)", re.M)


def finding_row(doc: str, f: Finding, *, offset: int = 0, line_offset: int = 0) -> dict[str, Any]:
    """One finding as a flat row of :data:`FINDING_COLUMNS` (offsets shifted if given)."""
    return {
        "doc": doc,
        "start": f.start + offset,
        "end": f.end + offset,
        "line": f.line + line_offset,
        "column": f.column,
        "category": f.category,
        "overclaim": f.overclaim,
        "severity": str(f.severity),
        "stance": str(f.stance),
        "message": f.message,
        "sentence": f.sentence,
        "flagged": f.flagged,
    }


def make_auditor(kb: KnowledgeBase | None = None, auditor: Auditor | None = None) -> Auditor:
    """The auditor to use: the one given, one compiled from ``kb``, or the default one."""
    if auditor is not None:
        return auditor
    from claimaudit.auditing.engine import Auditor, default_auditor

    return Auditor(kb) if kb is not None else default_auditor()


_UNPICKLED = 0
"""How many times an :class:`AuditorHandle` was unpickled in this process."""


class AuditorHandle:
    """A compiled auditor packed for other processes: pickled once, without the knowledge base.

    The auditor keeps the evidence it needs (refuting claims and their sources) from the
    knowledge base when it is compiled, so the copy shipped to workers leaves ``kb`` out:
    the pickle stays the same size (about 0.7 MB for the bundled catalog, mostly its expanded
    regexes) whatever the size of the knowledge base.
    """

    def __init__(self, auditor: Auditor) -> None:
        light = copy.copy(auditor)
        light.kb = None
        self.auditor = light
        self._token = uuid.uuid4().hex

    def __dask_tokenize__(self) -> tuple[str, str]:
        """A stable token for Dask (the compiled automaton does not pickle byte-for-byte
        the same twice, so Dask cannot hash the handle from its pickle)."""
        return ("claimaudit.AuditorHandle", self._token)

    def __getstate__(self) -> dict[str, Any]:
        return {"auditor": self.auditor, "code": code_fingerprint(), "token": self._token}

    def __setstate__(self, state: dict[str, Any]) -> None:
        global _UNPICKLED
        theirs, ours = state.get("code"), code_fingerprint()
        if theirs is not None and theirs != ours:
            raise RuntimeError(
                "this worker runs a different build of claimaudit than the client that "
                f"compiled the auditor (code {ours} here, {theirs} there): install the same "
                "version everywhere"
            )
        _UNPICKLED += 1
        self.auditor = state["auditor"]
        self._token = state.get("token") or uuid.uuid4().hex


@functools.cache
def code_fingerprint() -> str:
    """A short hash of the installed audit engine's source (same build ⇔ same hash)."""
    import hashlib

    import claimaudit

    h = hashlib.blake2b(claimaudit.__version__.encode(), digest_size=6)
    engine = Path(claimaudit.__file__).parent / "auditing"
    for f in sorted(engine.glob("*.py")):
        h.update(f.name.encode())
        h.update(f.read_bytes())
    return h.hexdigest()


def unpickled_count() -> int:
    """How many :class:`AuditorHandle` objects this process has unpickled (for tests)."""
    return _UNPICKLED


def is_markdown_path(path: str | None) -> bool:
    return bool(path) and str(path).lower().endswith(_MARKDOWN_SUFFIXES)


def iter_corpus(
    paths: Iterable[str | Path], suffixes: Sequence[str] = CORPUS_SUFFIXES
) -> Iterator[Path]:
    """Files to audit: each file given, and each file under a folder with a known suffix.

    Folders are walked in sorted order (deterministic); hidden files and folders are skipped.
    A path that does not exist is yielded as it is, so the caller reports it.
    """
    for p in map(Path, paths):
        if p.is_dir():
            for root, dirs, files in os.walk(p):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in sorted(files):
                    if not name.startswith(".") and name.lower().endswith(tuple(suffixes)):
                        yield Path(root) / name
        else:
            yield p


@dataclass(frozen=True)
class Chunk:
    """A batch of paragraphs of a document, with the paragraph before it as context.

    ``text[context:]`` is the batch itself; it starts at character ``start`` of the document,
    on line ``line`` (1-based). The context starts ``context`` characters earlier.
    """

    text: str
    start: int
    line: int
    context: int


def chunks(
    text: str, chunk_chars: int = DEFAULT_CHUNK_BYTES, context_chars: int = 2_000
) -> Iterator[Chunk]:
    """Split ``text`` at blank lines into batches of about ``chunk_chars`` characters.

    A batch never ends inside a fenced code block or an HTML comment; each batch after the
    first carries the preceding paragraph (up to ``context_chars``) as context, so topic
    tracking ("it" after a sentence about oxytocin) and "debunked in the next sentence" see
    what came before. A text of at most ``chunk_chars`` characters is one chunk.
    """
    n = len(text)
    if n <= chunk_chars:
        yield Chunk(text, 0, 1, 0)
        return
    fences = [m.start() for m in _FENCE.finditer(text)]
    # comment openers and closers, found once (a backwards search from every blank line
    # would make this quadratic in the length of the text)
    opens = [m.start() for m in re.finditer("<!--", text)]
    closes = [m.start() for m in re.finditer("-->", text)]
    cuts: list[int] = [0]  # offsets where a paragraph starts and a cut is safe
    for m in _BLANK.finditer(text):
        pos = m.end()
        if bisect.bisect_left(fences, pos) % 2 == 1:
            continue  # inside a fenced code block
        i, j = bisect.bisect_left(opens, pos), bisect.bisect_left(closes, pos)
        if i and (not j or opens[i - 1] > closes[j - 1]):
            continue  # inside an HTML comment
        cuts.append(pos)
    start, line = 0, 1
    while start < n:
        i = bisect.bisect_right(cuts, start + chunk_chars) - 1  # last cut within reach
        if cuts[i] <= start:  # one paragraph longer than a chunk: take it whole
            i += 1
        end = cuts[i] if i < len(cuts) else n
        ctx = start
        if start > 0:
            # the paragraphs before, as many as fit in context_chars (at least the last one,
            # cut to context_chars), so topic tracking across sentences sees what it would
            # see in a one-piece audit
            prev = cuts[bisect.bisect_left(cuts, start) - 1]
            fits = cuts[bisect.bisect_left(cuts, start - context_chars)]
            ctx = fits if fits < start else max(prev, start - context_chars)
            ctx = text.rfind("\n", 0, ctx) + 1  # from a line start: columns need no shift
        yield Chunk(text[ctx:end], start, line, start - ctx)
        line += text.count("\n", start, end)
        start = end


def audit_document(
    auditor: Auditor,
    doc: str,
    text: str,
    *,
    path: str | None = None,
    chunk_chars: int = DEFAULT_CHUNK_BYTES,
) -> Iterator[list[dict[str, Any]]]:
    """Audit one document; yield its finding rows batch by batch (one list per chunk).

    A document of at most ``chunk_chars`` characters is audited whole, exactly as
    ``auditor.audit(text, path=path)``; a larger one chunk by chunk (see :func:`chunks`),
    except when it holds ``claimaudit:`` suppression comments (they apply to the rest of
    the file, so it is audited whole).
    """
    fmt = "markdown" if is_markdown_path(path or doc) else "text"
    if len(text) <= chunk_chars or "claimaudit" in text:
        report = auditor.audit(text, path=path, format=fmt)
        yield [finding_row(doc, f) for f in report.findings]
        return
    for ch in chunks(text, chunk_chars):
        report = auditor.audit(ch.text, path=path, format=fmt)
        base = ch.start - ch.context
        first_line = ch.line - text.count("\n", base, ch.start)
        yield [
            finding_row(doc, f, offset=base, line_offset=first_line - 1)
            for f in report.findings
            if f.start >= ch.context
        ]


LARGE_TEXT = 1_000_000
"""Texts longer than this (in characters) are audited chunk by chunk by :func:`audit_large`."""


def audit_large(
    auditor: Auditor,
    text: str,
    *,
    path: str | None = None,
    format: str = "auto",
    select: Sequence[str] | None = None,
    ignore: Sequence[str] | None = None,
    chunk_chars: int = DEFAULT_CHUNK_BYTES,
) -> AuditReport:
    """``auditor.audit(text, ...)`` for a large text, with memory bounded by the chunk size.

    The engine's working copies (normalized text, offset map) cost several times the text
    they cover; auditing :func:`chunks` of ``chunk_chars`` with their context paragraph keeps
    them small. Findings get offsets and lines in the whole text (chunks start at a line
    start, so columns are unchanged); suppression comments and ``select``/``ignore`` then
    apply to the whole text, as in a one-piece audit.
    """
    import dataclasses

    from claimaudit.auditing.engine import _apply_suppressions, select_findings
    from claimaudit.auditing.report import AuditReport
    from claimaudit.auditing.text import looks_like_markdown

    if format == "auto":
        if path and path not in ("-", "<stdin>"):
            format = "markdown" if is_markdown_path(path) else "text"
        else:
            format = "markdown" if looks_like_markdown(text[:100_000]) else "text"
    findings = []
    for ch in chunks(text, chunk_chars):
        base = ch.start - ch.context
        lines = ch.line - 1 - ch.text.count("\n", 0, ch.context)  # newlines before ``base``
        for f in auditor.audit(ch.text, path=path, format=format, suppress=False).findings:
            if f.start < ch.context:
                continue
            findings.append(
                dataclasses.replace(
                    f,
                    start=f.start + base,
                    end=f.end + base,
                    sentence_start=f.sentence_start + base,
                    sentence_end=f.sentence_end + base,
                    line=f.line + lines,
                    end_line=f.end_line + lines,
                )
            )
    total = len(findings)
    if "claimaudit" in text:
        findings = _apply_suppressions(text, findings, auditor)
    suppressed = total - len(findings)
    findings = select_findings(findings, select, ignore)
    return AuditReport(tuple(findings), (), path, auditor.catalog.entries, suppressed)


def stream_chunks(
    lines: Iterable[str],
    chunk_chars: int = DEFAULT_CHUNK_BYTES,
    context_chars: int = 2_000,
) -> Iterator[Chunk]:
    """:func:`chunks` for a text read line by line: memory stays bounded by the batch size.

    ``lines`` yields the text's lines with their line ends (a file opened in text mode with
    ``newline=""`` keeps CRLF as it is, so offsets match the decoded file). A batch is cut at
    a blank line once it holds ``chunk_chars`` characters, never inside a fenced code block
    or an HTML comment; each batch after the first carries the paragraph before it (up to
    ``context_chars``) as context, exactly as :func:`chunks` does.
    """
    batch: list[str] = []
    size = 0
    start = 0  # offset of the batch in the whole text
    line = 1  # line of the batch's first character
    context = ""  # the last paragraph before the batch, with the blank lines after it
    pstart = 0  # index in ``batch`` where its last paragraph starts
    starts: list[int] = []  # indices in ``batch`` where its paragraphs start
    after_blank = True
    in_fence = False
    open_comments = 0
    for raw in lines:
        if _FENCE.match(raw):
            in_fence = not in_fence
        open_comments = max(open_comments + raw.count("<!--") - raw.count("-->"), 0)
        blank = not raw.strip()
        if not blank and after_blank:
            pstart = len(batch)
            starts.append(pstart)
        after_blank = blank
        batch.append(raw)
        size += len(raw)
        if blank and size >= chunk_chars and not in_fence and not open_comments:
            text = "".join(batch)
            yield Chunk(context + text, start, line, len(context))
            tail = "".join(batch[pstart:])
            if len(tail) > context_chars:
                tail = tail[-context_chars:]
                tail = tail[tail.find("\n") + 1 :]  # from a line start: columns need no shift
            else:  # earlier paragraphs too, as many as fit (as chunks() does)
                for k in reversed(starts):
                    more = "".join(batch[k:])
                    if len(more) > context_chars:
                        break
                    tail = more
            context = tail
            start += len(text)
            line += text.count("\n")
            batch, size, pstart, starts = [], 0, 0, []
    if batch:
        text = "".join(batch)
        yield Chunk(context + text, start, line, len(context))


def audit_stream(
    auditor: Auditor,
    doc: str,
    lines: Iterable[str],
    *,
    path: str | None = None,
    chunk_chars: int = DEFAULT_CHUNK_BYTES,
) -> Iterator[tuple[list[dict[str, Any]], int]]:
    """Audit a text read line by line; yield ``(rows, characters)`` batch by batch.

    Offsets, lines and columns point into the whole text, as with :func:`audit_document`;
    memory use depends on ``chunk_chars``, not on the size of the text. Suppression comments
    apply within their batch only.
    """
    fmt = "markdown" if is_markdown_path(path or doc) else "text"
    for ch in stream_chunks(lines, chunk_chars):
        report = auditor.audit(ch.text, path=path, format=fmt)
        base = ch.start - ch.context
        first_line = ch.line - ch.text.count("\n", 0, ch.context)
        rows = [
            finding_row(doc, f, offset=base, line_offset=first_line - 1)
            for f in report.findings
            if f.start >= ch.context
        ]
        yield rows, len(ch.text) - ch.context


def audit_records(
    handle: AuditorHandle | Auditor,
    records: Iterable[tuple[str, str]],
    *,
    chunk_chars: int = DEFAULT_CHUNK_BYTES,
) -> list[dict[str, Any]]:
    """Finding rows of ``(doc, text)`` records, in order (what a worker runs on a batch)."""
    auditor = handle.auditor if isinstance(handle, AuditorHandle) else handle
    rows: list[dict[str, Any]] = []
    for doc, text in records:
        for batch in audit_document(auditor, doc, text, path=doc, chunk_chars=chunk_chars):
            rows.extend(batch)
    return rows
