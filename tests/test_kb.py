"""The knowledge-base API: load, filter, reuse, graph, explanations, exports, validation."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import networkx as nx
import pytest

from claimaudit.build import rebuild
from claimaudit.errors import DataError
from claimaudit.kb import load, validate
from claimaudit.models import CATEGORIES, Maturity

from .conftest import DATA, ROOT

KOSFELD_CLAIM = "oxytocin/creators-lineage/5"


HEAVY = (
    "pandas",
    "networkx",
    "pydantic",
    "yaml",
    "markdown_it",
    "matplotlib",
    "pyvis",
    "IPython",
    "dask",
    "distributed",
)


def test_import_is_light() -> None:
    """`import claimaudit` loads none of the core's heavy libraries nor any extra."""
    code = f"import sys, claimaudit; print(','.join(m for m in {HEAVY!r} if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_to_frame_imports_pandas_only_when_asked() -> None:
    code = (
        "import sys, claimaudit; kb = claimaudit.load(); before = 'pandas' in sys.modules; "
        "f = kb.to_frame(); print(before, 'pandas' in sys.modules, len(f))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "True", "89"]


def test_load_gives_every_statement_sources_and_catalog(kb) -> None:  # type: ignore[no-untyped-def]
    assert len(kb.claims) == 89
    assert len(kb.sources) == 7
    categories = {o.category for o in kb.overclaims.values()}
    assert categories == set(CATEGORIES)
    assert kb.claims[0].id == "oxytocin/type-discipline/1"
    assert [c.position for c in kb.filter(section="Key Terms")] == [1, 2, 3, 4, 5, 6]


def test_get_and_helpful_key_error(kb) -> None:  # type: ignore[no-untyped-def]
    assert kb.get(KOSFELD_CLAIM).citations == ("kosfeld-2005",)
    with pytest.raises(KeyError, match="oxytocin/evidence-base/1"):
        kb.get("oxytocin/evidence-base/999")


def test_filter_combines_criteria(kb) -> None:  # type: ignore[no-untyped-def]
    nave = kb.filter(cites="nave-2015")
    assert nave and all("nave-2015" in c.citations for c in nave)
    assert kb.filter(cites="3") == nave
    established_terms = kb.filter(kind="definition", maturity="established")
    assert len(established_terms) == 6
    assert kb.filter(section="evidence base", text="KOSFELD")[0].id == "oxytocin/evidence-base/6"
    assert kb.filter(maturity=["contested", "llm_authored"]) == [
        c for c in kb.claims if c.maturity is not Maturity.ESTABLISHED
    ]


def test_reusable_drops_overclaims_before_reuse(kb) -> None:  # type: ignore[no-untyped-def]
    reusable = kb.reusable()
    assert reusable
    assert all(c.maturity is Maturity.ESTABLISHED for c in reusable)
    assert all(c.kind in ("assertion", "definition") for c in reusable)
    ids = {c.id for c in reusable}
    assert KOSFELD_CLAIM not in ids
    assert "oxytocin/evidence-base/6" in ids  # reports the critique: safe to reuse


def test_graph_has_the_design_node_and_edge_types(kb) -> None:  # type: ignore[no-untyped-def]
    g = kb.graph
    assert isinstance(g, nx.MultiDiGraph)
    types = {d["type"] for _, d in g.nodes(data=True)}
    assert types == {"claim", "source", "overclaim", "section", "term"}
    relations = {r for _, _, r in g.edges(data="relation")}
    assert relations == {
        "cites",
        "critiques",
        "in_section",
        "defines",
        "uses_term",
        "contested_by",
        "refutes",
        "mentions",
    }
    assert g.has_edge(KOSFELD_CLAIM, "overclaim:trust-hormone-label", key="mentions")
    assert g.has_edge("source:nave-2015", "source:kosfeld-2005", key="critiques")


def test_which_claims_cite_nave_2015(kb) -> None:  # type: ignore[no-untyped-def]
    g = kb.graph
    from_graph = sorted(
        u for u, _, rel in g.in_edges("source:nave-2015", data="relation") if rel == "cites"
    )
    assert from_graph == sorted(c.id for c in kb.citing("nave-2015"))
    assert "oxytocin/evidence-base/6" in from_graph
    # independent count: markers in the document that include the digit 3
    doc = (DATA / "documents" / "oxytocin-social-bonding.txt").read_text(encoding="utf-8")
    markers = re.findall(r"(?<=\S) ([1-7]+)(?=\.(?:\s|$)| \|$)", doc, flags=re.M)
    markers += re.findall(r"\? ([1-7]+)$", doc, flags=re.M)
    assert len(from_graph) == sum("3" in m for m in markers) == 14


def test_why_is_the_kosfeld_claim_contested(kb) -> None:  # type: ignore[no-untyped-def]
    ex = kb.explain(KOSFELD_CLAIM)
    assert ex.maturity is Maturity.CONTESTED
    assert [s.id for s in ex.cited] == ["kosfeld-2005"]
    [critique] = ex.critiques
    assert (critique.critic.id, critique.target.id, critique.cited_by_claim) == (
        "nave-2015",
        "kosfeld-2005",
        False,
    )
    text = str(ex)
    assert "Nave et al. 2015 critiques Kosfeld et al. 2005" in text
    assert "https://doi.org/10.1038/nature03701" in text


def test_established_claims_refute_the_trust_hormone_overclaim(kb) -> None:  # type: ignore[no-untyped-def]
    assert kb.overclaims["trust-hormone-label"].category == "hormone-label"
    refuting = kb.refuting("trust-hormone-label", maturity="established")
    assert refuting
    assert all(c.maturity is Maturity.ESTABLISHED for c in refuting)
    assert "oxytocin/common-misconceptions/1" in {c.id for c in refuting}
    g = kb.graph
    node = "overclaim:trust-hormone-label"
    assert {u for u, _, r in g.in_edges(node, data="relation") if r == "refutes"} >= {
        c.id for c in refuting
    }


def test_exports_round_trip(kb, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    data = kb.to_node_link(tmp_path / "g.json")
    again = nx.node_link_graph(
        json.loads((tmp_path / "g.json").read_text(encoding="utf-8")), edges="edges"
    )
    assert again.number_of_nodes() == kb.graph.number_of_nodes() == len(data["nodes"])
    assert again.number_of_edges() == kb.graph.number_of_edges()
    kb.to_graphml(tmp_path / "g.graphml")
    read = nx.read_graphml(tmp_path / "g.graphml")
    assert read.nodes[KOSFELD_CLAIM]["maturity"] == "contested"
    cy = kb.to_cytoscape()
    assert len(cy["elements"]["nodes"]) == kb.graph.number_of_nodes()


def test_to_frame(kb) -> None:  # type: ignore[no-untyped-def]
    frame = kb.to_frame()
    assert len(frame) == 89
    assert frame.loc[KOSFELD_CLAIM, "maturity"] == "contested"
    assert set(frame["maturity"].cat.categories) == {"established", "contested", "llm_authored"}


def test_bundled_data_validates() -> None:
    assert validate() == []


# ---------------------------------------------------------------- curated fields, rebuilds


def _set_override(data: Path, claim_id: str, maturity: str, why: str) -> None:
    path = data / "claims.jsonl"
    lines = path.read_text(encoding="utf-8").splitlines()
    out = []
    for line in lines:
        rec = json.loads(line)
        if rec["id"] == claim_id:
            rec["override"] = {"maturity": maturity, "rationale": why}
        out.append(json.dumps(rec, ensure_ascii=False))
    path.write_text("\n".join(out) + "\n", encoding="utf-8")


def test_curated_override_survives_a_reingest_and_is_visible(data_copy: Path) -> None:
    cid = "oxytocin/core-principles/8"
    _set_override(
        data_copy, cid, "contested", "Source 4 is a popular article with a contested title."
    )
    _, report = rebuild(data_copy, data_copy / "documents/oxytocin-social-bonding.txt")
    assert report.written and report.kept_overrides == [cid]
    reloaded = load(data_copy)
    claim = reloaded.get(cid)
    assert claim.maturity is Maturity.CONTESTED and claim.is_overridden
    assert claim.rationale.startswith("Curated override: Source 4")
    assert "computed rating: established" in claim.rationale


def test_changed_claim_text_is_reported_not_overwritten(data_copy: Path) -> None:
    doc = data_copy / "documents/oxytocin-social-bonding.txt"
    text = doc.read_text(encoding="utf-8")
    doc.write_text(text.replace("not a switch.", "not an on-off switch."), encoding="utf-8")
    before = (data_copy / "claims.jsonl").read_bytes()
    _, report = rebuild(data_copy, doc)
    assert not report.written
    assert [c.id for c in report.changed] == ["oxytocin/core-principles/1"]
    assert (data_copy / "claims.jsonl").read_bytes() == before
    _, report = rebuild(data_copy, doc, accept_changes=True)
    assert report.written
    assert load(data_copy).get("oxytocin/core-principles/1").text.endswith("an on-off switch.")


def test_cli_ingest_refuses_changes_without_flag(data_copy: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    from claimaudit.cli import main

    doc = data_copy / "documents/oxytocin-social-bonding.txt"
    doc.write_text(
        doc.read_text(encoding="utf-8").replace("not a switch", "no switch"), encoding="utf-8"
    )
    assert main(["ingest", str(doc), "--data", str(data_copy)]) == 1
    assert "--accept-changes" in capsys.readouterr().err


# ---------------------------------------------------------------- validation errors


def _edit_line(path: Path, n: int, old: str, new: str) -> None:
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    assert old in lines[n - 1]
    lines[n - 1] = lines[n - 1].replace(old, new)
    path.write_text("".join(lines), encoding="utf-8")


def test_duplicate_id_unknown_source_and_bad_enum_name_file_and_line(data_copy: Path) -> None:
    claims = data_copy / "claims.jsonl"
    _edit_line(claims, 2, "oxytocin/type-discipline/2", "oxytocin/type-discipline/1")
    _edit_line(claims, 3, '"wikipedia-oxytocin"', '"no-such-source"')
    _edit_line(claims, 4, '"maturity":"established"', '"maturity":"settled"')
    with pytest.raises(DataError) as info:
        load(data_copy)
    messages = [str(p) for p in info.value.problems]
    assert any(f"{claims}:4" in m and "settled" in m for m in messages), messages
    # the enum error stops the cross-file checks; fix it and the other two are both reported
    _edit_line(claims, 4, '"maturity":"settled"', '"maturity":"established"')
    with pytest.raises(DataError) as info:
        load(data_copy)
    messages = [str(p) for p in info.value.problems]
    assert any(f"{claims}:2" in m and "duplicate claim id" in m for m in messages), messages
    assert any(f"{claims}:3" in m and "no-such-source" in m for m in messages), messages


def test_validate_cli_reports_problems_and_exit_code(data_copy: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    from claimaudit.cli import main

    assert main(["validate", str(data_copy)]) == 0
    _edit_line(
        data_copy / "claims.jsonl", 5, '"maturity":"llm_authored"', '"maturity":"established"'
    )
    assert main(["validate", str(data_copy)]) == 1
    err = capsys.readouterr().err
    assert "claims.jsonl:5" in err and "grades as llm_authored" in err


def test_claims_cli_formats(capsys) -> None:  # type: ignore[no-untyped-def]
    from claimaudit.cli import main

    assert main(["claims", "--maturity", "contested", "--format", "jsonl"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [json.loads(line)["id"] for line in lines] == [KOSFELD_CLAIM]
    assert main(["claims", "--cites", "nave-2015", "--format", "csv"]) == 0
    rows = capsys.readouterr().out.splitlines()
    assert rows[0].startswith("id,section,kind") and len(rows) == 1 + 14
    assert main(["claims", "--reusable", "--kind", "definition"]) == 0
    assert capsys.readouterr().out.count("oxytocin/key-terms/") == 6


# ---------------------------------------------------------------- installed wheel


@pytest.mark.slow
def test_load_works_from_an_installed_wheel(tmp_path: Path) -> None:
    """Build the wheel, unpack it outside the checkout, and load the bundled data from it."""
    wheel_dir = tmp_path / "wheel"
    built = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(wheel_dir), str(ROOT)],
        capture_output=True,
        text=True,
    )
    if built.returncode != 0:
        pytest.skip(f"cannot build a wheel here: {built.stderr.strip()[-300:]}")
    [wheel] = wheel_dir.glob("claimaudit-*.whl")
    import zipfile

    site = tmp_path / "site"
    with zipfile.ZipFile(wheel) as zf:
        names = zf.namelist()
        assert "claimaudit/data/claims.jsonl" in names
        assert "claimaudit/data/documents/oxytocin-social-bonding.txt" in names
        zf.extractall(site)
    code = (
        "import claimaudit, pathlib; kb = claimaudit.load(); "
        "print(len(kb.claims), len(kb.sources), kb.data_dir)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={"PYTHONPATH": str(site), "PATH": ""},
        check=True,
    )
    count, nsources, where = out.stdout.split()
    assert (count, nsources) == ("89", "7")
    assert Path(where).is_relative_to(site)
    assert DATA not in Path(where).parents
