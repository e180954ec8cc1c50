"""A knowledge base of many documents (issue 6): unique ids, shared sources, per-document filters.

The documents come from ``benchmarks/synth.py``, a seeded generator that records what it
wrote, so ingest can be checked against known content.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

import claimaudit  # noqa: E402
import synth  # noqa: E402
from claimaudit.graph import neighbors, source_node  # noqa: E402
from claimaudit.ingest import ingest  # noqa: E402

N_DOCS = 5


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Five documents (the reference one and four synthetic) added with the real rebuild()."""
    return synth.build_data_folder(
        tmp_path_factory.mktemp("scale") / "data", N_DOCS, seed=7, method="rebuild"
    )


@pytest.fixture(scope="module")
def multi(folder: Path) -> claimaudit.KnowledgeBase:
    return claimaudit.load(folder)


def _synthetic(kb: claimaudit.KnowledgeBase) -> list[str]:
    return [d for d in kb.documents if d.startswith("synth-")]


def test_every_document_is_loaded_with_globally_unique_ids(multi: claimaudit.KnowledgeBase) -> None:
    assert len(multi.documents) == N_DOCS
    ids = [c.id for c in multi.claims]
    assert len(ids) == len(set(ids))
    for doc in multi.documents:
        assert all(c.id.startswith(doc + "/") for c in multi.filter(document=doc))
    # ~100 statements per synthetic document
    for doc in _synthetic(multi):
        assert 85 <= len(multi.filter(document=doc)) <= 125


def test_filter_by_document_partitions_the_claims(multi: claimaudit.KnowledgeBase) -> None:
    total = 0
    for doc in multi.documents:
        part = multi.filter(document=doc)
        assert part and {c.document for c in part} == {doc}
        total += len(part)
    assert total == len(multi)
    reference = multi.filter(document="oxytocin")
    assert [c.id for c in reference] == [c.id for c in claimaudit.load().claims]
    # filters combine with the document
    doc = _synthetic(multi)[0]
    llm = multi.filter(document=doc, maturity="llm_authored")
    assert llm and all(c.document == doc and c.maturity == "llm_authored" for c in llm)


def test_a_shared_source_is_one_node_cited_by_both_documents(
    multi: claimaudit.KnowledgeBase,
) -> None:
    pool = synth.source_pool(max(30, 3 * (N_DOCS - 1)), seed=7)
    shared = pool[0].id  # every synthetic document lists it and cites it in its first sentence
    g = multi.graph
    node = source_node(shared)
    assert node in g and g.nodes[node]["type"] == "source"
    assert sum(1 for n in g if n == node) == 1
    citing = neighbors(g, node, "cites", incoming=True)
    docs = {g.nodes[c]["document"] for c in citing}
    assert docs == set(_synthetic(multi))
    assert {c.document for c in multi.citing(shared)} == docs
    # the source is stored once, and each document's Resources list names it
    assert list(multi.sources).count(shared) == 1
    for doc in _synthetic(multi):
        assert shared in multi.documents[doc].sources


def test_ingest_recovers_what_the_generator_wrote(multi: claimaudit.KnowledgeBase) -> None:
    pool = synth.source_pool(max(30, 3 * (N_DOCS - 1)), seed=7)
    for i in range(1, N_DOCS):
        doc = synth.make_document(i, pool, seed=7)
        claims = multi.filter(document=doc.id)
        assert len(claims) == len(doc.statements)
        for claim, st in zip(claims, doc.statements, strict=True):
            assert claim.section == st.section
            assert claim.kind == st.kind
            assert claim.marker == st.marker
            assert claim.citations == st.citations
            assert claim.text == st.text
            for key, value in st.extra:
                assert getattr(claim, key) == value
        # the spans point at the statements in the document file
        text = (multi.data_dir / multi.documents[doc.id].path).read_text(encoding="utf-8")
        for claim in claims:
            assert text[claim.span.start : claim.span.end].startswith(claim.text[:10])


def test_grading_sees_critiques_across_the_shared_pool(multi: claimaudit.KnowledgeBase) -> None:
    # A claim citing a critiqued source without its critique is contested, in any document.
    critiqued = {t for s in multi.sources.values() for t in s.critiques}
    for c in multi.claims:
        if c.document.startswith("synth-") and c.citations:
            critics = {s.id for s in multi.sources.values() if set(s.critiques) & set(c.citations)}
            if set(c.citations) & critiqued and not critics & set(c.citations):
                assert c.maturity == "contested", c.id


def test_fast_build_equals_rebuild(folder: Path, tmp_path: Path) -> None:
    fast = claimaudit.load(synth.build_data_folder(tmp_path / "fast", N_DOCS, seed=7))
    slow = claimaudit.load(folder)
    assert fast.claims == slow.claims
    assert fast.sources == slow.sources
    assert set(fast.overclaims) == set(slow.overclaims)


@pytest.mark.parametrize("index", range(1, 30))
def test_generated_documents_round_trip_through_ingest(index: int) -> None:
    pool = synth.source_pool(60, seed=3)
    doc = synth.make_document(index, pool, seed=3)
    assert len(doc.sources) <= synth.MAX_SOURCES
    result = ingest(Path(doc.filename), doc_id=doc.id, text=doc.text, known_sources=pool)
    got = [(c.section, c.kind, c.text, c.marker, c.citations) for c in result.claims]
    want = [(s.section, s.kind, s.text, s.marker, s.citations) for s in doc.statements]
    assert got == want
    assert [s.id for s in result.sources] == [s.id for s in doc.sources]


def test_generator_is_deterministic() -> None:
    pool = synth.source_pool(40, seed=1)
    assert synth.make_document(3, pool, seed=1).text == synth.make_document(3, pool, seed=1).text
    assert synth.make_document(3, pool, seed=1).text != synth.make_document(4, pool, seed=1).text
