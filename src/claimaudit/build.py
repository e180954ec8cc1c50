"""Build a data folder from its documents: ingest, keep curated fields, grade, save.

Re-ingesting never drops a curated field silently. A claim keeps its ``override`` when its
text is unchanged; a claim whose text changed, or a curated claim that disappeared, is
reported in :class:`BuildReport` and nothing is written unless ``accept_changes`` is set.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from claimaudit.errors import DataError
from claimaudit.grading import grade
from claimaudit.ingest import ingest
from claimaudit.kb import (
    CLAIMS_FILE,
    DOCUMENTS_FILE,
    SOURCES_FILE,
    KnowledgeBase,
    link_overclaims,
    read_parts,
)
from claimaudit.models import Claim, Document, Overclaim, Source


@dataclass(frozen=True)
class TextChange:
    """A claim whose text in the document differs from the stored text."""

    id: str
    old: str
    new: str


@dataclass
class BuildReport:
    """What a rebuild found; ``needs_confirmation`` is True when it would lose or change data."""

    document: str
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    changed: list[TextChange] = field(default_factory=list)
    kept_overrides: list[str] = field(default_factory=list)
    dropped_overrides: list[str] = field(default_factory=list)
    new_sources: list[str] = field(default_factory=list)
    written: bool = False

    @property
    def needs_confirmation(self) -> bool:
        """Whether saving would change stored text or drop a curated field."""
        return bool(self.changed or self.dropped_overrides)

    def lines(self) -> list[str]:
        """A readable account of the rebuild, one line per fact."""
        out = [
            f"{self.document}: {len(self.added)} new, {len(self.removed)} removed, "
            f"{len(self.changed)} changed, {len(self.kept_overrides)} curated overrides kept"
        ]
        out += [f"  changed {c.id}:\n    was: {c.old}\n    now: {c.new}" for c in self.changed]
        out += [f"  curated override would be dropped: {cid}" for cid in self.dropped_overrides]
        out += [f"  new source (fill in its facts): {sid}" for sid in self.new_sources]
        return out


def _load_existing(
    data_dir: Path,
) -> tuple[list[Claim], dict[str, Source], dict[str, Overclaim], dict[str, Document]]:
    parts = read_parts(data_dir, claims_required=False)
    return (
        parts["claims"],
        {s.id: s for s in parts["sources"]},
        {o.id: o for o in parts["overclaims"]},
        {d.id: d for d in parts["documents"]},
    )


def rebuild(
    data_dir: str | Path,
    document: str | Path,
    *,
    doc_id: str | None = None,
    title: str | None = None,
    accept_changes: bool = False,
    dry_run: bool = False,
) -> tuple[KnowledgeBase, BuildReport]:
    """Ingest ``document`` into the data folder ``data_dir`` and save it atomically.

    Claims of other documents are kept as they are. Returns the new knowledge base and a
    report; nothing is written when ``dry_run`` is set, or when the report
    ``needs_confirmation`` and ``accept_changes`` is not set.
    """
    data = Path(data_dir)
    doc_path = Path(document)
    old_claims, sources, overclaims, documents = _load_existing(data)
    if doc_id is None:
        for d in documents.values():
            if (data / d.path).resolve() == doc_path.resolve():
                doc_id = d.id
                title = title or d.title
                break
    existing_doc = documents.get(doc_id) if doc_id else None
    result = ingest(
        doc_path,
        doc_id=doc_id,
        title=title or (existing_doc.title if existing_doc else None),
        known_sources=sources.values(),
        source_order=existing_doc.sources if existing_doc else None,
    )
    doc = result.document
    try:
        rel = doc_path.resolve().relative_to(data.resolve())
        doc = doc.model_copy(update={"path": rel.as_posix()})
    except ValueError:
        if existing_doc is not None:
            doc = doc.model_copy(update={"path": existing_doc.path})
    report = BuildReport(document=doc.id)
    for s in result.sources:
        if s.id not in sources:
            sources[s.id] = s
            report.new_sources.append(s.id)

    old_by_id = {c.id: c for c in old_claims if c.document == doc.id}
    merged: list[Claim] = []
    for c in result.claims:
        old = old_by_id.get(c.id)
        if old is None:
            report.added.append(c.id)
            merged.append(c)
            continue
        if old.text != c.text:
            report.changed.append(TextChange(c.id, old.text, c.text))
        if old.override is not None:
            report.kept_overrides.append(c.id)
            c = c.model_copy(update={"override": old.override})
        merged.append(c)
    new_ids = {c.id for c in result.claims}
    for cid, old in old_by_id.items():
        if cid not in new_ids:
            report.removed.append(cid)
            if old.override is not None:
                report.dropped_overrides.append(cid)

    graded = grade(merged, sources, overclaims)
    others = [c for c in old_claims if c.document != doc.id]
    documents_changed = documents.get(doc.id) != doc
    documents[doc.id] = doc
    order = list(documents)
    all_claims = sorted(
        [*others, *graded],
        key=lambda c: order.index(c.document) if c.document in order else len(order),
    )
    kb = KnowledgeBase(
        claims=link_overclaims(all_claims, overclaims.values()),
        sources=sources,
        overclaims=overclaims,
        documents=documents,
        data_dir=data,
    )
    if dry_run or (report.needs_confirmation and not accept_changes):
        return kb, report
    claim_ids = {c.id for c in all_claims}
    dangling = [
        f"overclaim {o.id!r} links to {cid!r}, which the new ingest does not have"
        for o in overclaims.values()
        for cid in (*o.refuted_by, *o.mentioned_by, *o.asserted_by)
        if cid not in claim_ids
    ]
    if dangling:
        raise DataError.single(data / "overclaims.yaml", None, "; ".join(dangling))
    _save_claims_and_sources(
        kb, data, write_sources=bool(report.new_sources), write_documents=documents_changed
    )
    report.written = True
    return kb, report


def _save_claims_and_sources(
    kb: KnowledgeBase, data: Path, *, write_sources: bool, write_documents: bool
) -> None:
    """Save the files a rebuild changes (the hand-edited catalog is never rewritten)."""
    from claimaudit.kb import dump_claims
    from claimaudit.storage import atomic_write_many, dump_yaml_records

    contents = {data / CLAIMS_FILE: dump_claims(kb.claims)}
    if write_documents:
        contents[data / DOCUMENTS_FILE] = dump_yaml_records(kb.documents.values())
    if write_sources:
        contents[data / SOURCES_FILE] = dump_yaml_records(kb.sources.values())
    atomic_write_many(contents)
