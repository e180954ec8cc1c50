"""The knowledge base: load, validate, query, explain and save (DESIGN.md §7).

``load()`` reads a data folder (``documents.yaml``, ``sources.yaml``, ``claims.jsonl``,
``overclaims.yaml``): the one bundled inside the installed package, or any folder given.
Everything is validated together and every problem is reported with its file and line;
nothing is returned half-loaded.
"""

from __future__ import annotations

import os
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from claimaudit.errors import DataError, Problem
from claimaudit.models import (
    Claim,
    ClaimKind,
    Document,
    Maturity,
    Overclaim,
    Source,
)

if TYPE_CHECKING:
    import networkx as nx
    import pandas as pd

    from claimaudit.graph import Explanation

DOCUMENTS_FILE = "documents.yaml"
SOURCES_FILE = "sources.yaml"
CLAIMS_FILE = "claims.jsonl"
OVERCLAIMS_FILE = "overclaims.yaml"

REUSABLE_KINDS = frozenset({ClaimKind.ASSERTION.value, ClaimKind.DEFINITION.value})


def bundled_data_dir() -> Path:
    """The data folder shipped with the package (inside the wheel, or the checkout's ``data/``)."""
    packaged = Path(str(resources.files("claimaudit"))) / "data"
    if (packaged / CLAIMS_FILE).is_file():
        return packaged
    checkout = Path(__file__).resolve().parents[2] / "data"
    if (checkout / CLAIMS_FILE).is_file():
        return checkout
    raise DataError.single(packaged, None, "no bundled data folder found in this installation")


def _as_values(value: Any) -> set[str] | None:
    if value is None:
        return None
    if isinstance(value, str):
        return {value}
    return {str(getattr(v, "value", v)) for v in value}


@dataclass
class KnowledgeBase:
    """Claims, sources, documents and the overclaim catalog, with the graph that links them.

    ``claims`` is in document order; ``sources``, ``overclaims`` and ``documents`` are
    dictionaries keyed by id. The graph is built on first use.
    """

    claims: list[Claim]
    sources: dict[str, Source]
    overclaims: dict[str, Overclaim] = field(default_factory=dict)
    documents: dict[str, Document] = field(default_factory=dict)
    data_dir: Path | None = None

    @cached_property
    def _by_id(self) -> dict[str, Claim]:
        # built on first lookup (load() hands over the index it already made)
        return {c.id: c for c in self.claims}

    # ------------------------------------------------------------------ lookups
    def __len__(self) -> int:
        return len(self.claims)

    def __iter__(self) -> Any:
        return iter(self.claims)

    def __contains__(self, claim_id: object) -> bool:
        return claim_id in self._by_id

    def get(self, claim_id: str) -> Claim:
        """The claim with this id; ``KeyError`` naming close ids when there is none."""
        try:
            return self._by_id[claim_id]
        except KeyError:
            prefix = claim_id.rsplit("/", 1)[0]
            near = [c for c in self._by_id if c.startswith(prefix)][:5]
            hint = f"; ids in that section include {', '.join(near)}" if near else ""
            raise KeyError(f"no claim with id {claim_id!r}{hint}") from None

    @cached_property
    def _index(self) -> dict[str, dict[str, list[int]]]:
        idx: dict[str, dict[str, list[int]]] = {
            "maturity": defaultdict(list),
            "section": defaultdict(list),
            "kind": defaultdict(list),
            "cites": defaultdict(list),
            "document": defaultdict(list),
            "refutes": defaultdict(list),
        }
        for i, c in enumerate(self.claims):
            idx["maturity"][c.maturity.value].append(i)
            idx["section"][c.section].append(i)
            idx["section"][c.section.lower()].append(i)
            idx["kind"][c.kind].append(i)
            idx["document"][c.document].append(i)
            for sid in c.citations:
                idx["cites"][sid].append(i)
            for oid in c.refutes:
                idx["refutes"][oid].append(i)
        return idx

    def filter(
        self,
        *,
        maturity: str | Maturity | Iterable[str | Maturity] | None = None,
        section: str | Iterable[str] | None = None,
        kind: str | ClaimKind | Iterable[str | ClaimKind] | None = None,
        cites: str | Iterable[str] | None = None,
        text: str | re.Pattern[str] | None = None,
        document: str | Iterable[str] | None = None,
        refutes: str | Iterable[str] | None = None,
    ) -> list[Claim]:
        """Claims matching every given criterion, in document order.

        Each criterion takes one value or several (any of them matches). ``section`` is
        matched case-insensitively; ``cites`` takes source ids or numbers as strings;
        ``text`` is a case-insensitive substring or a compiled regular expression.
        """
        chosen: set[int] | None = None
        criteria = {
            "maturity": _as_values(maturity),
            "section": _as_values(section),
            "kind": _as_values(kind),
            "cites": self._source_ids(_as_values(cites)),
            "document": _as_values(document),
            "refutes": _as_values(refutes),
        }
        for name, values in criteria.items():
            if values is None:
                continue
            idx = self._index[name]
            keys = values | {v.lower() for v in values} if name == "section" else values
            hits: set[int] = set()
            for v in keys:
                hits.update(idx.get(v, ()))
            chosen = hits if chosen is None else chosen & hits
        pool = range(len(self.claims)) if chosen is None else sorted(chosen)
        out = [self.claims[i] for i in pool]
        if text is not None:
            if isinstance(text, re.Pattern):
                out = [c for c in out if text.search(c.text)]
            else:
                needle = text.lower()
                out = [c for c in out if needle in c.text.lower()]
        return out

    def _source_ids(self, values: set[str] | None) -> set[str] | None:
        if values is None:
            return None
        out: set[str] = set()
        for v in values:
            if v.isdigit():
                out.update(s.id for s in self.sources.values() if s.number == int(v))
            else:
                out.add(v)
        return out

    def reusable(self) -> list[Claim]:
        """Claims safe to reuse alone: established assertions and definitions."""
        return [c for c in self.filter(maturity=Maturity.ESTABLISHED) if c.kind in REUSABLE_KINDS]

    def citing(self, source: str) -> list[Claim]:
        """Claims that cite a source (by id, or by its number as a string)."""
        return self.filter(cites=source)

    def refuting(self, overclaim: str, maturity: str | Maturity | None = None) -> list[Claim]:
        """Claims that refute an overclaim, optionally of one maturity only."""
        if overclaim not in self.overclaims:
            raise KeyError(f"no overclaim with id {overclaim!r}; known: {sorted(self.overclaims)}")
        return self.filter(refutes=overclaim, maturity=maturity)

    # ------------------------------------------------------------------ graph
    @cached_property
    def graph(self) -> nx.MultiDiGraph:
        """The claim graph (a ``networkx.MultiDiGraph``; node and edge types of DESIGN.md §5)."""
        from claimaudit.graph import build_graph

        return build_graph(self)

    def explain(self, claim_id: str) -> Explanation:
        """Why a claim has its rating, found by walking the graph (sources, critiques)."""
        from claimaudit.graph import explain

        return explain(self, claim_id)

    def to_node_link(self, path: str | Path | None = None) -> dict[str, Any]:
        """The graph as node-link JSON data; also written to ``path`` when given."""
        from claimaudit.graph import to_node_link

        return to_node_link(self.graph, path)

    def to_graphml(self, path: str | Path) -> None:
        """Write the graph as GraphML (readable by Gephi, Cytoscape, yEd)."""
        from claimaudit.graph import to_graphml

        to_graphml(self.graph, path)

    def to_cytoscape(self, path: str | Path | None = None) -> dict[str, Any]:
        """The graph as Cytoscape.js JSON; also written to ``path`` when given."""
        from claimaudit.graph import to_cytoscape

        return to_cytoscape(self.graph, path)

    def view(
        self, center: str | None = None, *, radius: int = 1, overclaim: str | None = None
    ) -> nx.MultiDiGraph:
        """The whole graph, one claim's neighbourhood (``center``), or one overclaim's evidence."""
        from claimaudit.graph import overclaim_evidence, subgraph

        if overclaim is not None:
            return overclaim_evidence(self, overclaim)
        if center is not None:
            if center not in self.graph:
                raise KeyError(f"no node {center!r} in the graph")
            return subgraph(self.graph, center, radius)
        return self.graph

    def draw(
        self,
        center: str | None = None,
        *,
        radius: int = 1,
        overclaim: str | None = None,
        **options: Any,
    ) -> Any:
        """Draw the graph (or a view, see :meth:`view`) with matplotlib; returns the axes.

        Needs the ``notebook`` extra. ``options`` go to :func:`claimaudit.drawing.draw_graph`.
        """
        from claimaudit.drawing import draw_graph

        return draw_graph(self.view(center, radius=radius, overclaim=overclaim), **options)

    def graph_html(
        self,
        path: str | Path | None = None,
        *,
        center: str | None = None,
        radius: int = 1,
        overclaim: str | None = None,
        **options: Any,
    ) -> str:
        """A self-contained, offline interactive HTML page of the graph (or a view).

        Written to ``path`` when given. Needs the ``notebook`` extra.
        """
        from claimaudit.drawing import graph_html

        view = self.view(center, radius=radius, overclaim=overclaim)
        return str(graph_html(view, path, **options))

    # ------------------------------------------------------------------ frames
    def to_frame(self) -> pd.DataFrame:
        """One row per claim (pandas is imported only now)."""
        import pandas as pd

        rows = []
        for c in self.claims:
            rows.append(
                {
                    "id": c.id,
                    "document": c.document,
                    "section": c.section,
                    "paragraph": c.paragraph,
                    "position": c.position,
                    "kind": c.kind,
                    "text": c.text,
                    "marker": c.marker,
                    "citations": list(c.citations),
                    "maturity": c.maturity.value,
                    "rationale": c.rationale,
                    "overridden": c.override is not None,
                    "refutes": list(c.refutes),
                    "mentions": list(c.mentions),
                    "terms": list(c.terms),
                    "start": c.span.start,
                    "end": c.span.end,
                }
            )
        frame = pd.DataFrame(rows)
        if not frame.empty:
            frame["maturity"] = pd.Categorical(
                frame["maturity"], categories=[m.value for m in Maturity]
            )
            frame["kind"] = pd.Categorical(frame["kind"], categories=[k.value for k in ClaimKind])
        return frame.set_index("id") if not frame.empty else frame

    def sources_frame(self) -> pd.DataFrame:
        """One row per source."""
        import pandas as pd

        rows = [
            {**s.model_dump(mode="json"), "link": s.link, "cited_by": len(self.citing(s.id))}
            for s in self.sources.values()
        ]
        return pd.DataFrame(rows).set_index("id")

    def summary(self) -> dict[str, Any]:
        """Counts of claims by maturity and kind, and of sources and overclaims."""
        by_maturity: dict[str, int] = {m.value: 0 for m in Maturity}
        by_kind: dict[str, int] = {}
        for c in self.claims:
            by_maturity[c.maturity.value] += 1
            by_kind[c.kind] = by_kind.get(c.kind, 0) + 1
        return {
            "documents": len(self.documents),
            "claims": len(self.claims),
            "sources": len(self.sources),
            "overclaims": len(self.overclaims),
            "by_maturity": by_maturity,
            "by_kind": by_kind,
        }

    def _repr_html_(self) -> str:  # pragma: no cover - exercised through render tests
        from claimaudit.render import kb_html

        return str(kb_html(self))

    def __repr__(self) -> str:
        s = self.summary()
        return (
            f"<KnowledgeBase {s['claims']} claims, {s['sources']} sources, "
            f"{s['overclaims']} overclaims, {s['documents']} documents>"
        )

    # ------------------------------------------------------------------ saving
    def save(self, data_dir: str | Path | None = None, *, _before_replace: Any = None) -> Path:
        """Write claims, sources, documents and overclaims atomically to ``data_dir``.

        Every file is written to a temporary file first; the originals are replaced only
        when all of them are complete, so a failure leaves the previous data intact.
        """
        from claimaudit.storage import atomic_write_many, dump_yaml_records

        target = Path(data_dir) if data_dir is not None else self.data_dir
        if target is None:
            raise ValueError("no data folder given and the knowledge base has none")
        contents = {
            target / CLAIMS_FILE: dump_claims(self.claims),
            target / SOURCES_FILE: dump_yaml_records(self.sources.values()),
            target / DOCUMENTS_FILE: dump_yaml_records(self.documents.values()),
        }
        if self.overclaims:
            contents[target / OVERCLAIMS_FILE] = dump_yaml_records(self.overclaims.values())
        atomic_write_many(contents, _before_replace=_before_replace)
        return target


STORED_EXCLUDE = {"refutes", "mentions"}
"""Claim fields derived at load time from the overclaim catalog, so not stored."""


def dump_claims(claims: Iterable[Claim]) -> str:
    """claims.jsonl text: one claim a line, in the order given."""
    return "".join(
        c.model_dump_json(exclude=STORED_EXCLUDE, exclude_none=True) + "\n" for c in claims
    )


def check_references(
    *,
    claims: list[Claim],
    sources: Mapping[str, Source] | list[Source],
    overclaims: list[Overclaim],
    documents: list[Document],
    data_dir: Path,
    claim_index: Mapping[str, int] | None = None,
) -> list[Problem]:
    """Every cross-file problem: duplicate ids, dangling citations and links.

    The claims are checked with set operations first; only when one fails are they walked
    one by one to name each problem's line. ``claim_index`` (claim id -> position, as
    :func:`claim_positions` makes it) saves building the set of claim ids again.
    """
    claims_path = str(data_dir / CLAIMS_FILE)
    src_list = list(sources.values()) if isinstance(sources, Mapping) else list(sources)
    source_ids = {s.id for s in src_list}
    document_ids = {d.id for d in documents}
    claim_ids = claim_index if claim_index is not None else {c.id for c in claims}
    cited: set[str] = set()
    cited.update(*(c.citations for c in claims))
    named_documents = {c.document for c in claims}
    claims_ok = (
        len(claim_ids) == len(claims)
        and cited <= source_ids
        and (not documents or named_documents <= document_ids)
    )
    problems = [] if claims_ok else _claim_problems(claims, source_ids, document_ids, claims_path)
    record_ids: tuple[tuple[str, list[str], str], ...] = (
        ("source", [s.id for s in src_list], SOURCES_FILE),
        ("overclaim", [o.id for o in overclaims], OVERCLAIMS_FILE),
        ("document", [d.id for d in documents], DOCUMENTS_FILE),
    )
    for what, items, fname in record_ids:
        ids: set[str] = set()
        for i, rid in enumerate(items, 1):
            if rid in ids:
                problems.append(
                    Problem(str(data_dir / fname), None, f"record {i}: duplicate {what} id {rid!r}")
                )
            ids.add(rid)
    for s in src_list:
        for t in s.critiques:
            if t not in source_ids:
                problems.append(
                    Problem(
                        str(data_dir / SOURCES_FILE),
                        None,
                        f"source {s.id!r} critiques unknown source {t!r}",
                    )
                )
    for o in overclaims:
        for rel in ("refuted_by", "mentioned_by", "asserted_by"):
            for cid in getattr(o, rel):
                if cid not in claim_ids:
                    problems.append(
                        Problem(
                            str(data_dir / OVERCLAIMS_FILE),
                            None,
                            f"overclaim {o.id!r}: {rel} names unknown claim {cid!r}",
                        )
                    )
        for sid in o.sources:
            if sid not in source_ids:
                problems.append(
                    Problem(
                        str(data_dir / OVERCLAIMS_FILE),
                        None,
                        f"overclaim {o.id!r} names unknown source {sid!r}",
                    )
                )
    missing = _missing_files(data_dir, [d.path for d in documents])
    for d in documents:
        for sid in d.sources:
            if sid not in source_ids:
                problems.append(
                    Problem(
                        str(data_dir / DOCUMENTS_FILE),
                        None,
                        f"document {d.id!r} lists unknown source {sid!r}",
                    )
                )
        if d.path in missing:
            problems.append(
                Problem(
                    str(data_dir / DOCUMENTS_FILE),
                    None,
                    f"document {d.id!r}: file {d.path!r} not found",
                )
            )
    return problems


def _missing_files(data_dir: Path, paths: list[str]) -> set[str]:
    """The paths (relative to ``data_dir``) that name no file: one listing per folder."""
    by_folder: dict[Path, list[tuple[str, str]]] = defaultdict(list)
    for rel in paths:
        full = data_dir / rel
        by_folder[full.parent].append((rel, full.name))
    missing: set[str] = set()
    for folder, items in by_folder.items():
        try:
            with os.scandir(folder) as entries:
                files = {e.name for e in entries if e.is_file()}
        except OSError:
            files = set()
        # a name not listed as such may still be a file (a case-insensitive file system)
        missing.update(
            rel for rel, name in items if name not in files and not (data_dir / rel).is_file()
        )
    return missing


def _claim_problems(
    claims: list[Claim], source_ids: set[str], document_ids: set[str], claims_path: str
) -> list[Problem]:
    """Each duplicate id, unknown source and unknown document of the claims, with its line."""
    problems: list[Problem] = []
    seen: dict[str, int] = {}
    for n, c in enumerate(claims, 1):
        if c.id in seen:
            problems.append(
                Problem(claims_path, n, f"duplicate claim id {c.id!r} (first on line {seen[c.id]})")
            )
        else:
            seen[c.id] = n
        for sid in c.citations:
            if sid not in source_ids:
                problems.append(
                    Problem(claims_path, n, f"claim {c.id!r} cites unknown source {sid!r}")
                )
        if document_ids and c.document not in document_ids:
            problems.append(
                Problem(claims_path, n, f"claim {c.id!r} names unknown document {c.document!r}")
            )
    return problems


def claim_positions(claims: list[Claim]) -> dict[str, int]:
    """Claim id -> position in ``claims`` (the last one, if an id is repeated)."""
    return {c.id: i for i, c in enumerate(claims)}


def link_overclaims(
    claims: list[Claim],
    overclaims: Iterable[Overclaim],
    positions: Mapping[str, int] | None = None,
) -> list[Claim]:
    """Claims with ``refutes`` and ``mentions`` filled in from the catalog's links.

    With ``positions`` (see :func:`claim_positions`; ids must be unique) only the linked
    claims are visited.
    """
    refutes: dict[str, list[str]] = defaultdict(list)
    mentions: dict[str, list[str]] = defaultdict(list)
    for o in overclaims:
        for cid in o.refuted_by:
            refutes[cid].append(o.id)
        for cid in (*o.mentioned_by, *o.asserted_by):
            mentions[cid].append(o.id)
    linked = refutes.keys() | mentions.keys()
    if not linked:
        return claims
    if positions is not None:
        out = list(claims)
        for cid in linked:
            i = positions.get(cid)
            if i is not None:
                out[i] = out[i].model_copy(
                    update={"refutes": tuple(refutes[cid]), "mentions": tuple(mentions[cid])}
                )
        return out
    return [
        c.model_copy(update={"refutes": tuple(refutes[c.id]), "mentions": tuple(mentions[c.id])})
        if c.id in linked
        else c
        for c in claims
    ]


def read_parts(data_dir: Path, *, claims_required: bool = True) -> dict[str, Any]:
    """The four files of a data folder, each validated on its own (no cross-file checks).

    Returns ``documents``, ``sources``, ``overclaims`` (lists of records) and ``claims``;
    raises one :class:`DataError` with every problem of every file. With
    ``claims_required=False`` a missing or empty claims file reads as no claims.
    """
    from claimaudit.models import Claim as ClaimType
    from claimaudit.storage import long_lived_objects, read_jsonl, read_yaml_records

    claims_path = data_dir / CLAIMS_FILE

    def claims() -> list[Claim]:
        if not claims_required and (not claims_path.is_file() or not claims_path.stat().st_size):
            return []
        return read_jsonl(claims_path, ClaimType, what="claim")

    problems: list[Problem] = []
    parts: dict[str, Any] = {}
    readers: tuple[tuple[str, Callable[[], list[Any]]], ...] = (
        (
            "documents",
            lambda: read_yaml_records(data_dir / DOCUMENTS_FILE, Document, required=False),
        ),
        (
            "sources",
            lambda: read_yaml_records(data_dir / SOURCES_FILE, Source, required=claims_required),
        ),
        (
            "overclaims",
            lambda: read_yaml_records(data_dir / OVERCLAIMS_FILE, Overclaim, required=False),
        ),
        ("claims", claims),
    )
    with long_lived_objects():
        for key, reader in readers:
            try:
                parts[key] = reader()
            except DataError as exc:
                problems.extend(exc.problems)
    if problems:
        raise DataError(problems)
    return parts


def load(path: str | Path | None = None) -> KnowledgeBase:
    """Load and validate a data folder (the bundled one when ``path`` is None).

    Raises :class:`~claimaudit.errors.DataError` listing every problem (file, line, what).
    The cyclic garbage collector does not rescan the records while they are built (see
    :func:`claimaudit.storage.long_lived_objects`).
    """
    from claimaudit.storage import long_lived_objects

    data_dir = Path(path) if path is not None else bundled_data_dir()
    if not data_dir.exists():
        raise DataError.single(data_dir, None, "data folder not found")
    if not data_dir.is_dir():
        raise DataError.single(data_dir, None, "is a file, not a data folder")
    with long_lived_objects():
        parts = read_parts(data_dir)
        # one index of the claims serves the id checks, the links and the lookups
        positions = claim_positions(parts["claims"])
        problems = check_references(data_dir=data_dir, claim_index=positions, **parts)
        if problems:
            raise DataError(problems)
        claims = link_overclaims(parts["claims"], parts["overclaims"], positions)
        kb = KnowledgeBase(
            claims=claims,
            sources={s.id: s for s in parts["sources"]},
            overclaims={o.id: o for o in parts["overclaims"]},
            documents={d.id: d for d in parts["documents"]},
            data_dir=data_dir,
        )
        # ids are unique (checked above), so the positions' keys are the claims' ids in order
        kb.__dict__["_by_id"] = dict(zip(positions, claims, strict=True))
        return kb


def validate(path: str | Path | None = None) -> list[Problem]:
    """Every problem of a data folder (empty when it is valid), stale ratings included."""
    from claimaudit.grading import grade

    try:
        kb = load(path)
    except DataError as exc:
        return exc.problems
    problems: list[Problem] = []
    regraded = grade(kb.claims, kb.sources, kb.overclaims)
    claims_path = str((kb.data_dir or Path(".")) / CLAIMS_FILE)
    for n, (old, new) in enumerate(zip(kb.claims, regraded, strict=True), 1):
        if old.maturity != new.maturity:
            problems.append(
                Problem(
                    claims_path,
                    n,
                    f"claim {old.id!r} is stored as {old.maturity.value} but grades as "
                    f"{new.maturity.value}; run `claimaudit ingest` to regrade",
                )
            )
    return problems
