"""Rich displays and graph pictures: escaping, content, legends, offline HTML."""

from __future__ import annotations

import re
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import networkx as nx
import pytest

from claimaudit import render
from claimaudit.drawing import external_resources, graph_html, layout

KOSFELD_CLAIM = "oxytocin/creators-lineage/5"
HOSTILE = 'Oxytocin is the "trust hormone" <script>alert("x")</script> & more.'


@dataclass
class FakeFinding:
    start: int
    end: int
    severity: str = "error"
    category: str = "hormone-label"
    overclaim: str | None = "hormone-label"
    stance: str = "asserted"
    message: str = 'Calls oxytocin "the trust hormone" <b>bold</b>'
    evidence: list[Any] = field(default_factory=lambda: ["claim <i>x</i>"])
    say_instead: str | None = 'Say "a hormone" <em>instead</em>'


@dataclass
class FakeReport:
    text: str
    findings: list[FakeFinding]


def _trust_label(kb: Any) -> str | None:
    """Id of the catalog entry for the "trust hormone" label, whatever its exact id."""
    for o in kb.overclaims.values():
        if o.category == "hormone-label" and "trust" in o.id:
            return str(o.id)
    return "hormone-label" if "hormone-label" in kb.overclaims else None


def _no_raw_markup(page: str) -> None:
    assert "<script" not in page.lower()
    assert "<b>bold" not in page and "<i>x" not in page and "<em>" not in page


# --------------------------------------------------------------------------- import weight
def test_render_import_does_not_load_plotting_libraries() -> None:
    code = (
        "import sys, claimaudit, claimaudit.render, claimaudit.drawing; "
        "print(','.join(m for m in ('matplotlib', 'pyvis', 'IPython') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


# --------------------------------------------------------------------------- audit reports
def test_report_escapes_script_and_quotes_from_the_input() -> None:
    start = HOSTILE.index("the")
    end = HOSTILE.index("hormone") + len("hormone")
    page = render.report_html(FakeReport(HOSTILE, [FakeFinding(start, end)]))
    _no_raw_markup(page)
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page
    assert "&quot;trust hormone" in page
    assert "&amp; more." in page
    # the message, evidence and safer wording are escaped both in the title and the list
    assert "&lt;b&gt;bold&lt;/b&gt;" in page
    assert "&lt;i&gt;x&lt;/i&gt;" in page
    assert "&lt;em&gt;instead&lt;/em&gt;" in page
    # no attribute value is broken open by a quote from the data
    for title in re.findall(r'title="([^"]*)"', page):
        assert "<" not in title and ">" not in title


def test_report_highlights_exact_span_with_legend_and_tooltip() -> None:
    text = "Hugging is nice. Oxytocin is the trust hormone. Vasopressin is a peptide."
    start = text.index("Oxytocin")
    end = text.index("hormone") + len("hormone")
    warn_start = text.index("Vasopressin")
    findings = [
        FakeFinding(start, end),
        FakeFinding(warn_start, warn_start + 11, severity="warning", message="careful"),
    ]
    page = render.report_html(FakeReport(text, findings))
    marks = re.findall(r'<mark class="claimaudit-(\w+)"[^>]*>([^<]*)</mark>', page)
    assert marks == [("error", text[start:end]), ("warning", "Vasopressin")]
    assert 'class="claimaudit-legend"' in page
    for sev in ("error", "warning", "info"):
        assert sev in page.split('class="claimaudit-legend"', 1)[1]
    assert "1 error, 1 warning" in page
    title = re.search(r'<mark class="claimaudit-error" title="([^"]*)"', page)
    assert title is not None
    assert "Calls oxytocin" in title.group(1)
    assert "evidence:" in title.group(1)
    assert "say instead:" in title.group(1)
    assert "stance: asserted" in title.group(1)


def test_report_overlapping_findings_show_the_most_severe() -> None:
    text = "Oxytocin is the love hormone."
    findings = [
        FakeFinding(0, len(text) - 1, severity="warning"),
        FakeFinding(text.index("love"), text.index("love") + 4, severity="error"),
    ]
    page = render.report_html(FakeReport(text, findings))
    visible = re.sub(r"<[^>]+>", "", page.split("</div>", 3)[-1])
    assert text in visible.replace("&nbsp;", " ") or "love" in visible
    marks = re.findall(r'<mark class="claimaudit-(\w+)"[^>]*>([^<]*)</mark>', page)
    assert ("error", "love") in marks
    assert "".join(m[1] for m in marks) == text[:-1]


def test_report_without_text_shows_the_sentences() -> None:
    """A report that does not keep the caller's text still highlights within sentences."""

    @dataclass
    class SentenceFinding(FakeFinding):
        sentence: str = ""
        sentence_start: int = 0
        flagged: str = ""

    text = "Intro <b>. Oxytocin is the trust hormone. More text."
    s0 = text.index("Oxytocin")
    sentence = "Oxytocin is the trust hormone."
    start = text.index("trust")
    f = SentenceFinding(
        start, start + 13, sentence=sentence, sentence_start=s0, flagged="trust hormone"
    )
    page = render.report_html(FakeReport(None, [f]))  # type: ignore[arg-type]
    assert re.findall(r'<mark class="claimaudit-error"[^>]*>([^<]*)</mark>', page) == [
        "trust hormone"
    ]
    assert "Oxytocin is the " in page
    assert "Intro" not in page


def test_report_without_findings() -> None:
    page = render.report_html(FakeReport("Oxytocin is a peptide <b>.", []))
    assert "no findings" in page
    assert "&lt;b&gt;" in page


def test_report_evidence_from_objects_and_dicts(kb: Any) -> None:
    claim = (
        kb.get("oxytocin/common-misconceptions/1")
        if "oxytocin/common-misconceptions/1" in kb
        else kb.claims[0]
    )
    nave = kb.sources["nave-2015"]

    @dataclass
    class Ev:
        claim: Any
        sources: list[Any]

    finding = FakeFinding(
        0, 8, evidence=[Ev(claim, [nave]), {"claim_id": "x/y/1", "maturity": "established"}]
    )
    page = render.report_html(FakeReport("Oxytocin is the hug hormone.", [finding]))
    assert render.esc(claim.id) in page
    assert "Nave et al. 2015" in page
    assert "x/y/1" in page


def test_real_audit_report_renders_hostile_input() -> None:
    import claimaudit

    try:
        report = claimaudit.audit(HOSTILE)
    except (ImportError, ModuleNotFoundError) as exc:  # pragma: no cover - engine not landed
        pytest.skip(f"audit engine not available: {exc}")
    page = render.report_html(report, HOSTILE)
    _no_raw_markup(page)
    assert "&lt;script&gt;" in page
    assert "&quot;" in page
    assert 'class="claimaudit-legend"' in page
    if hasattr(report, "_repr_html_"):
        _no_raw_markup(report._repr_html_())


# --------------------------------------------------------------------------- knowledge base cards
def test_claim_card_shows_id_maturity_text_and_rationale(kb: Any) -> None:
    claim = kb.get(KOSFELD_CLAIM)
    page = claim._repr_html_()
    assert render.esc(claim.id) in page
    assert "contested" in page
    assert "Kosfeld and colleagues" in page
    assert render.esc(claim.rationale) in page
    assert "kosfeld-2005" in page


def test_claim_card_escapes_text(kb: Any) -> None:
    claim = kb.get(KOSFELD_CLAIM).model_copy(
        update={"text": '<script>alert("x")</script>', "rationale": '"><img src=x>'}
    )
    page = render.claim_html(claim)
    assert "<script" not in page and "<img" not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)" in page


def test_source_card_links_doi_and_refuses_unsafe_urls(kb: Any) -> None:
    nave = kb.sources["nave-2015"]
    page = nave._repr_html_()
    assert 'href="https://doi.org/10.1177/1745691615600138"' in page
    assert "Nave et al. 2015" in page
    assert "kosfeld-2005" in page
    bad = nave.model_copy(update={"doi": None, "url": "javascript:alert(1)", "title": '<b>"T"</b>'})
    page = render.source_html(bad)
    assert "href=" not in page
    assert "&lt;b&gt;&quot;T&quot;&lt;/b&gt;" in page


def test_explanation_card_names_the_critique(kb: Any) -> None:
    page = kb.explain(KOSFELD_CLAIM)._repr_html_()
    assert "Kosfeld et al. 2005" in page
    assert "Nave et al. 2015" in page
    assert "critiques" in page
    assert "not cited" in page


def test_kb_card_is_a_compact_summary(kb: Any) -> None:
    page = kb._repr_html_()
    s = kb.summary()
    assert f"{s['claims']} claims" in page
    assert f"{s['sources']} sources" in page
    for maturity, count in s["by_maturity"].items():
        assert maturity.replace("_", "-") in page
        assert f"</span> {count}" in page
    for src in kb.sources.values():
        assert render.esc(src.citation) in page
    for oid in kb.overclaims:
        assert render.esc(oid) in page
    assert len(page) < 40_000


def test_overclaim_cards(kb: Any) -> None:
    oid = _trust_label(kb)
    if oid is None:
        pytest.skip("overclaim catalog without a trust-hormone entry")
    o = kb.overclaims[oid]
    page = render.overclaim_html(o)
    assert render.esc(o.say_instead) in page
    page = render.overclaim_evidence_html(kb, oid)
    assert "refute it" in page
    for c in kb.refuting(oid, maturity="established"):
        assert render.esc(c.id) in page


# --------------------------------------------------------------------------- interactive graph
def _hostile_graph() -> nx.MultiDiGraph:
    g = nx.MultiDiGraph()
    g.add_node(
        "c1",
        type="claim",
        maturity="contested",
        label="</script><script>alert(1)//",
        text='"quoted" <b>',
    )
    g.add_node("source:s", type="source", label="Src & Co")
    g.add_edge("c1", "source:s", key="cites", relation="cites")
    return g


def test_graph_html_is_offline_and_self_contained(kb: Any, tmp_path: Path) -> None:
    pytest.importorskip("pyvis", reason="needs claimaudit[notebook]")
    out = tmp_path / "graph.html"
    page = graph_html(kb.graph, out)
    assert out.read_text(encoding="utf-8") == page
    assert external_resources(page) == []
    assert not re.search(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", page, re.I)
    assert "new vis.Network" in page
    assert "vis.DataSet" in page
    assert 'id="claimaudit-legend"' in page
    # every node goes in, as data
    assert page.count('"shape":') >= kb.graph.number_of_nodes()


def test_graph_html_escapes_node_text(tmp_path: Path) -> None:
    pytest.importorskip("pyvis", reason="needs claimaudit[notebook]")
    page = graph_html(_hostile_graph(), title='<script>"t"</script>')
    assert "</script><script>alert" not in page
    assert '<script>"t"' not in page
    assert "&lt;script&gt;&quot;t&quot;" in page


def test_graph_html_subgraph_views(kb: Any) -> None:
    pytest.importorskip("pyvis", reason="needs claimaudit[notebook]")
    page = kb.graph_html(center=KOSFELD_CLAIM)
    assert "Nave et al. 2015" in page
    assert external_resources(page) == []
    oid = _trust_label(kb)
    if oid is not None:
        page = kb.graph_html(overclaim=oid)
        assert f"overclaim:{oid}" in page


def test_graph_view_inline_iframe(kb: Any) -> None:
    pytest.importorskip("pyvis", reason="needs claimaudit[notebook]")
    view = render.GraphView(kb.view(KOSFELD_CLAIM))
    frame = view._repr_html_()
    assert frame.startswith("<iframe srcdoc=")
    inner = frame.split('srcdoc="', 1)[1]
    assert "<script" not in inner.split('" style=', 1)[0]


def test_layouts_are_deterministic(kb: Any) -> None:
    for kind in ("auto", "shell", "spring", "multipartite"):
        assert layout(kb.graph, kind) == layout(kb.graph, kind)
    with pytest.raises(ValueError, match="unknown layout"):
        layout(kb.graph, "nope")


# --------------------------------------------------------------------------- static drawing
def test_draw_graph_has_shapes_colours_and_legend(kb: Any, tmp_path: Path) -> None:
    mpl = pytest.importorskip("matplotlib")
    mpl.use("Agg")
    import matplotlib.pyplot as plt

    ax = kb.draw()
    legend = ax.get_legend()
    assert legend is not None
    texts = {t.get_text() for t in legend.get_texts()}
    assert {"established claim", "contested claim", "source", "section", "cites"} <= texts
    if kb.overclaims:
        assert "overclaim" in texts
    png = tmp_path / "g.png"
    ax.figure.savefig(png, dpi=60)
    img = plt.imread(png)
    assert img.shape[0] > 300 and (img[..., :3] < 0.9).any()
    plt.close("all")

    ax = kb.draw(KOSFELD_CLAIM, highlight=[KOSFELD_CLAIM])
    labels = {t.get_text() for t in ax.texts}
    assert "Nave et al. 2015" in labels and "Kosfeld et al. 2005" in labels
    plt.close("all")
    oid = _trust_label(kb)
    if oid is not None:
        ax = kb.draw(overclaim=oid)
        assert ax.get_legend() is not None
        plt.close("all")


def test_report_marks_supported_sentences() -> None:
    @dataclass
    class Ev:
        id: str
        text: str
        maturity: str
        sources: tuple[Any, ...] = ()

    @dataclass
    class Supported:
        start: int
        end: int
        claim: Any

    @dataclass
    class Report:
        text: str
        findings: list[FakeFinding]
        supported: list[Supported]

    text = "Oxytocin is made in the hypothalamus <x>. Oxytocin is the trust hormone."
    cut = text.index(". ") + 1
    f = FakeFinding(text.index("trust"), text.index("trust") + 13)
    s = Supported(0, cut, Ev("oxytocin/type-discipline/2", 'made "there"', "established"))
    page = render.report_html(Report(text, [f], [s]))
    assert re.findall(r'<mark class="claimaudit-supported"[^>]*>([^<]*)</mark>', page) == [
        render.esc(text[:cut])
    ]
    assert "supported by [established] oxytocin/type-discipline/2: made &quot;there&quot;" in page
    assert "supported — matches an established claim" in page
    _no_raw_markup(page)
