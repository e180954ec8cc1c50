"""The claim graph (DESIGN.md §5) and explanations found by walking it.

Nodes carry a ``type`` attribute (``claim``, ``source``, ``overclaim``, ``section``,
``term``); claim nodes use the claim id as node id, the others a prefixed id
(``source:nave-2015``, ``overclaim:hormone-label``, ``section:oxytocin/evidence-base``,
``term:oxytocin/intranasal-oxytocin``). Edges are keyed and typed by ``relation``:

``cites`` claim→source · ``refutes`` / ``mentions`` claim→overclaim · ``critiques``
source→source · ``in_section`` claim→section · ``defines`` definition→term ·
``uses_term`` claim→term · ``contested_by`` claim or overclaim→source.

Node attributes are strings, numbers and booleans only, so the graph exports to GraphML
as it is.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import networkx as nx

from claimaudit.ingest import slugify
from claimaudit.models import Claim, Definition, Maturity, Overclaim, Source

if TYPE_CHECKING:
    from claimaudit.kb import KnowledgeBase

RELATIONS = (
    "cites",
    "refutes",
    "mentions",
    "critiques",
    "in_section",
    "defines",
    "uses_term",
    "contested_by",
)


def source_node(source_id: str) -> str:
    """Node id of a source."""
    return f"source:{source_id}"


def overclaim_node(overclaim_id: str) -> str:
    """Node id of an overclaim."""
    return f"overclaim:{overclaim_id}"


def section_node(document: str, section: str) -> str:
    """Node id of a section of a document."""
    return f"section:{document}/{slugify(section)}"


def term_node(document: str, term: str) -> str:
    """Node id of a key term of a document."""
    return f"term:{document}/{slugify(term)}"


def _clean(attrs: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in attrs.items() if v is not None}


def build_graph(kb: KnowledgeBase) -> nx.MultiDiGraph:
    """Build the graph of a knowledge base."""
    g = nx.MultiDiGraph(name="claimaudit")
    for s in kb.sources.values():
        g.add_node(
            source_node(s.id),
            **_clean(
                {
                    "type": "source",
                    "label": s.citation,
                    "title": s.title,
                    "kind": s.kind.value,
                    "year": s.year,
                    "number": s.number,
                    "doi": s.doi,
                    "url": s.link,
                    "peer_reviewed": s.peer_reviewed,
                }
            ),
        )
    for s in kb.sources.values():
        for target in s.critiques:
            g.add_edge(
                source_node(s.id), source_node(target), key="critiques", relation="critiques"
            )
    for o in kb.overclaims.values():
        g.add_node(
            overclaim_node(o.id),
            type="overclaim",
            label=o.title,
            category=o.category,
            status=o.status.value,
            severity=o.severity.value,
        )
        for sid in o.sources:
            g.add_edge(
                overclaim_node(o.id), source_node(sid), key="contested_by", relation="contested_by"
            )

    critics: dict[str, list[str]] = {}
    for s in kb.sources.values():
        for target in s.critiques:
            critics.setdefault(target, []).append(s.id)
    terms: dict[tuple[str, str], str] = {}
    for c in kb.claims:
        if isinstance(c, Definition):
            terms[(c.document, c.term)] = term_node(c.document, c.term)
    for (doc, term), node in terms.items():
        g.add_node(node, type="term", label=term, document=doc)

    for c in kb.claims:
        g.add_node(
            c.id,
            **_clean(
                {
                    "type": "claim",
                    "label": c.id.rsplit("/", 2)[-2] + "/" + c.id.rsplit("/", 1)[-1],
                    "text": c.text,
                    "kind": c.kind,
                    "maturity": c.maturity.value,
                    "rationale": c.rationale,
                    "section": c.section,
                    "document": c.document,
                    "marker": c.marker,
                    "overridden": c.override is not None,
                }
            ),
        )
        sec = section_node(c.document, c.section)
        if sec not in g:
            g.add_node(sec, type="section", label=c.section, document=c.document)
        g.add_edge(c.id, sec, key="in_section", relation="in_section")
        cited = set(c.citations)
        for sid in c.citations:
            g.add_edge(c.id, source_node(sid), key="cites", relation="cites")
        if c.maturity is Maturity.CONTESTED:
            for sid in c.citations:
                for critic in critics.get(sid, ()):
                    if critic not in cited:
                        g.add_edge(
                            c.id, source_node(critic), key="contested_by", relation="contested_by"
                        )
        for oid in c.refutes:
            g.add_edge(c.id, overclaim_node(oid), key="refutes", relation="refutes")
        for oid in c.mentions:
            g.add_edge(c.id, overclaim_node(oid), key="mentions", relation="mentions")
        if isinstance(c, Definition):
            g.add_edge(c.id, terms[(c.document, c.term)], key="defines", relation="defines")
        for t in c.terms:
            term_id = terms.get((c.document, t))
            if term_id is not None:
                g.add_edge(c.id, term_id, key="uses_term", relation="uses_term")
    return g


def neighbors(g: nx.MultiDiGraph, node: str, relation: str, *, incoming: bool = False) -> list[str]:
    """Nodes linked to ``node`` by edges of one relation, in insertion order."""
    edges = g.in_edges(node, data="relation") if incoming else g.out_edges(node, data="relation")
    out: list[str] = []
    for u, v, rel in edges:
        other = u if incoming else v
        if rel == relation and other not in out:
            out.append(other)
    return out


@dataclass
class Critique:
    """A source a claim cites, and the source in the graph that critiques it."""

    target: Source
    critic: Source
    cited_by_claim: bool


@dataclass
class Explanation:
    """Why a claim has its rating: found by walking the graph."""

    claim: Claim
    cited: list[Source] = field(default_factory=list)
    critiques: list[Critique] = field(default_factory=list)
    refutes: list[Overclaim] = field(default_factory=list)
    mentions: list[Overclaim] = field(default_factory=list)

    @property
    def maturity(self) -> Maturity:
        return self.claim.maturity

    def __str__(self) -> str:
        c = self.claim
        lines = [f"{c.id} is {c.maturity.value}: {c.rationale}", f"  text: {c.text}"]
        if c.marker:
            lines.append(f"  marker: {c.marker}")
        for s in self.cited:
            link = f" <{s.link}>" if s.link else ""
            lines.append(f"  cites: {s.citation} — {s.title}{link}")
        for cr in self.critiques:
            how = (
                "also cited, so the claim reports the critique"
                if cr.cited_by_claim
                else "not cited"
            )
            lines.append(f"  critique: {cr.critic.citation} critiques {cr.target.citation} ({how})")
        for o in self.refutes:
            lines.append(f"  refutes overclaim: {o.id} — {o.title}")
        for o in self.mentions:
            lines.append(f"  mentions overclaim: {o.id} — {o.title}")
        if c.override is not None:
            lines.append(f"  curated override: {c.override.rationale}")
        return "\n".join(lines)

    def _repr_html_(self) -> str:  # pragma: no cover - exercised through render tests
        from claimaudit.render import explanation_html

        return str(explanation_html(self))


def explain(kb: KnowledgeBase, claim_id: str) -> Explanation:
    """Explain a claim's rating from the graph: what it cites and who critiques that."""
    claim = kb.get(claim_id)
    g = kb.graph
    ex = Explanation(claim=claim)
    by_node = {source_node(s.id): s for s in kb.sources.values()}
    cited_nodes = neighbors(g, claim.id, "cites")
    ex.cited = [by_node[n] for n in cited_nodes]
    for n in cited_nodes:
        for critic in neighbors(g, n, "critiques", incoming=True):
            ex.critiques.append(Critique(by_node[n], by_node[critic], critic in cited_nodes))
    for rel, bucket in (("refutes", ex.refutes), ("mentions", ex.mentions)):
        for n in neighbors(g, claim.id, rel):
            bucket.append(kb.overclaims[n.removeprefix("overclaim:")])
    return ex


def subgraph(g: nx.MultiDiGraph, center: str, radius: int = 1) -> nx.MultiDiGraph:
    """The neighbourhood of one node (edges in both directions) as a new graph."""
    return nx.MultiDiGraph(nx.ego_graph(g, center, radius=radius, undirected=True))


def overclaim_evidence(kb: KnowledgeBase, overclaim_id: str) -> nx.MultiDiGraph:
    """An overclaim, the claims that refute it, and the sources those claims cite."""
    g = kb.graph
    node = overclaim_node(overclaim_id)
    if node not in g:
        raise KeyError(f"no overclaim with id {overclaim_id!r}")
    keep = {node}
    for claim in neighbors(g, node, "refutes", incoming=True):
        keep.add(claim)
        keep.update(neighbors(g, claim, "cites"))
    keep.update(neighbors(g, node, "contested_by"))
    return nx.MultiDiGraph(g.subgraph(keep))


def to_node_link(g: nx.MultiDiGraph, path: str | Path | None = None) -> dict[str, Any]:
    """Node-link JSON data (``nodes`` and ``edges``); written to ``path`` when given."""
    data: dict[str, Any] = nx.node_link_data(g, edges="edges")
    if path is not None:
        Path(path).write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    return data


def to_graphml(g: nx.MultiDiGraph, path: str | Path) -> None:
    """Write GraphML."""
    nx.write_graphml(g, str(path))


def to_cytoscape(g: nx.MultiDiGraph, path: str | Path | None = None) -> dict[str, Any]:
    """Cytoscape.js JSON; written to ``path`` when given."""
    data: dict[str, Any] = nx.cytoscape_data(g)
    if path is not None:
        Path(path).write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    return data
