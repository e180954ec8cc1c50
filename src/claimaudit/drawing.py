"""Pictures of the claim graph: a static matplotlib drawing and an offline interactive view.

Both tell node types apart by shape (claim ●, source ■, overclaim ◆, section ⬢, term ▲)
and claims' evidence maturity by colour, and carry a legend. Positions come from
networkx's own layouts with a fixed seed, so the same graph always gives the same picture.

matplotlib and pyvis are imported only inside the functions that need them (the optional
``claimaudit[notebook]`` extra); importing this module needs networkx only.

>>> import claimaudit
>>> from claimaudit.drawing import draw_graph, graph_html
>>> kb = claimaudit.load()
>>> ax = draw_graph(kb.graph)                                   # doctest: +SKIP
>>> html = graph_html(kb.graph, "claim-graph.html")            # doctest: +SKIP
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import networkx as nx

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = [
    "EDGE_STYLES",
    "MATURITY_COLORS",
    "NODE_STYLES",
    "GraphView",
    "draw_graph",
    "external_resources",
    "graph_html",
    "layout",
]

# Colours: the Dark2 / Paired families, distinguishable in print and by most colour-blind
# readers; claims are the only nodes coloured by maturity.
MATURITY_COLORS: dict[str, str] = {
    "established": "#1b9e77",
    "contested": "#d95f02",
    "llm_authored": "#7570b3",
}
"""Fill colour of a claim node by evidence maturity."""

MATURITY_LABELS: dict[str, str] = {
    "established": "established claim",
    "contested": "contested claim",
    "llm_authored": "LLM-authored / unsourced claim",
}

NODE_STYLES: dict[str, dict[str, Any]] = {
    # type: matplotlib marker, vis-network shape, colour (claims: by maturity), size
    "claim": {"marker": "o", "shape": "dot", "color": "#999999", "size": 70, "vis_size": 9},
    "source": {"marker": "s", "shape": "square", "color": "#1f78b4", "size": 260, "vis_size": 16},
    "overclaim": {
        "marker": "D",
        "shape": "diamond",
        "color": "#e7298a",
        "size": 240,
        "vis_size": 16,
    },
    "section": {"marker": "h", "shape": "hexagon", "color": "#bdbdbd", "size": 200, "vis_size": 14},
    "term": {"marker": "^", "shape": "triangle", "color": "#e6ab02", "size": 140, "vis_size": 11},
}
"""Marker (matplotlib), shape (vis-network), colour and size of each node type."""

EDGE_STYLES: dict[str, dict[str, Any]] = {
    "in_section": {"color": "#d9d9d9", "width": 0.6, "style": "solid"},
    "uses_term": {"color": "#f2d98c", "width": 0.6, "style": "solid"},
    "defines": {"color": "#e6ab02", "width": 1.2, "style": "solid"},
    "cites": {"color": "#6baed6", "width": 0.9, "style": "solid"},
    "mentions": {"color": "#fbb4c9", "width": 1.0, "style": "dotted"},
    "refutes": {"color": "#1b9e77", "width": 1.4, "style": "solid"},
    "critiques": {"color": "#b2182b", "width": 2.4, "style": "solid"},
    "contested_by": {"color": "#d95f02", "width": 1.3, "style": "dashed"},
}
"""Colour, width and line style of each edge relation (drawn from faint to strong)."""

_TYPE_ORDER = ("section", "claim", "term", "source", "overclaim")

_LAYOUT_WEIGHTS: dict[str, float] = {
    "in_section": 1.0,
    "cites": 0.8,
    "critiques": 2.0,
    "contested_by": 0.8,
    "refutes": 1.2,
    "mentions": 0.4,
    "defines": 1.0,
    "uses_term": 0.05,
}
"""Spring strength per relation: a claim sits near its section and sources, while the
many ``uses_term`` links to a hub term such as "Oxytocin" barely pull."""


def _node_type(attrs: Mapping[str, Any]) -> str:
    t = str(attrs.get("type", "claim"))
    return t if t in NODE_STYLES else "claim"


def node_color(attrs: Mapping[str, Any]) -> str:
    """The fill colour of a node: claims by maturity, other nodes by type."""
    t = _node_type(attrs)
    if t == "claim":
        default = str(NODE_STYLES["claim"]["color"])
        return MATURITY_COLORS.get(str(attrs.get("maturity", "")), default)
    return str(NODE_STYLES[t]["color"])


def _short(text: str, width: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def node_label(
    node: str, attrs: Mapping[str, Any], *, width: int = 28, compact: bool = False
) -> str:
    """A short label for a node: its ``label`` attribute, shortened.

    ``compact`` labels an overclaim by its catalog id (``trust-hormone-label``), which
    reads better than a cut-off title when many labels share a picture.
    """
    if compact and _node_type(attrs) == "overclaim":
        return _short(str(node).split(":", 1)[-1], width)
    return _short(str(attrs.get("label") or node), width)


def node_tooltip(node: str, attrs: Mapping[str, Any]) -> str:
    """Plain-text hover text for a node: id, type and the attributes that matter."""
    t = _node_type(attrs)
    lines = [str(node), f"type: {t}"]
    keys = {
        "claim": ("maturity", "kind", "section", "marker", "text", "rationale"),
        "source": ("title", "kind", "year", "doi", "url"),
        "overclaim": ("label", "category", "status", "severity"),
        "section": ("label", "document"),
        "term": ("label", "document"),
    }[t]
    for k in keys:
        v = attrs.get(k)
        if v not in (None, ""):
            lines.append(f"{k}: {_short(str(v), 300)}")
    return "\n".join(lines)


# --------------------------------------------------------------------------- layout
def layout(
    graph: nx.Graph,
    kind: str = "auto",
    *,
    seed: int = 7,
) -> dict[Any, tuple[float, float]]:
    """Node positions from one of networkx's layouts, deterministic for a given seed.

    ``kind``:

    - ``"shell"``: concentric rings by node type — sources in the centre, claims in
      document order around them, then the overclaims the claims refute, then sections
      and key terms. Types stay apart and labels do not collide, whatever the graph's size.
    - ``"spring"``: force-directed; a claim sits near its section and the sources it cites.
    - ``"multipartite"``: one column per node type (sections, claims, terms, sources,
      overclaims).
    - ``"kamada_kawai"``: needs scipy.
    - ``"auto"`` (default): shell for a graph of more than 40 nodes, spring for a
      neighbourhood or an overclaim's evidence.
    """
    if graph.number_of_nodes() == 0:
        return {}
    if kind == "auto":
        kind = "shell" if graph.number_of_nodes() > 40 else "spring"
    if kind == "shell":
        by_type: dict[str, list[Any]] = {t: [] for t in _TYPE_ORDER}
        for node, attrs in graph.nodes(data=True):
            by_type[_node_type(attrs)].append(node)
        outer = by_type["section"] + by_type["term"]
        rings = (by_type["source"], by_type["claim"], by_type["overclaim"], outer)
        shells = [s for s in rings if s]
        pos = nx.shell_layout(graph, nlist=shells, rotate=0)
        return {node: (float(x), float(y)) for node, (x, y) in pos.items()}
    simple = nx.Graph()
    simple.add_nodes_from(graph.nodes)
    for u, v, rel in graph.edges(data="relation"):
        w = _LAYOUT_WEIGHTS.get(str(rel), 0.5)
        if simple.has_edge(u, v):
            simple[u][v]["weight"] = max(simple[u][v]["weight"], w)
        else:
            simple.add_edge(u, v, weight=w)
    if kind == "spring":
        n = simple.number_of_nodes()
        k = 2.0 / max(n, 1) ** 0.5
        weight = "weight" if n > 40 else None  # a small view reads best unweighted
        pos = nx.spring_layout(simple, k=k, iterations=300, seed=seed, weight=weight)
    elif kind == "multipartite":
        g2 = nx.Graph()
        for node, attrs in graph.nodes(data=True):
            g2.add_node(node, layer=_TYPE_ORDER.index(_node_type(attrs)))
        g2.add_edges_from(simple.edges())
        pos = nx.multipartite_layout(g2, subset_key="layer", align="vertical", scale=1.0)
        # networkx packs a small layer tightly; spread every layer over the full height
        for layer in {d["layer"] for _, d in g2.nodes(data=True)}:
            members = sorted(
                (v for v, d in g2.nodes(data=True) if d["layer"] == layer),
                key=lambda v: pos[v][1],
            )
            for i, v in enumerate(members):
                y = 0.0 if len(members) == 1 else 1.0 - 2.0 * i / (len(members) - 1)
                pos[v] = (pos[v][0], y)
    elif kind == "kamada_kawai":
        pos = nx.kamada_kawai_layout(simple, weight=None)
    else:
        raise ValueError(
            f"unknown layout {kind!r}; use auto, shell, spring, multipartite or kamada_kawai"
        )
    return {node: (float(x), float(y)) for node, (x, y) in pos.items()}


# --------------------------------------------------------------------------- static
def draw_graph(
    graph: nx.Graph,
    ax: Axes | None = None,
    *,
    layout_kind: str = "auto",
    seed: int = 7,
    labels: str | Iterable[str] = "auto",
    title: str | None = None,
    legend: bool = True,
    figsize: tuple[float, float] | None = None,
    highlight: Iterable[str] = (),
) -> Axes:
    """Draw the claim graph (or a subgraph) with matplotlib and return the axes.

    Node shape tells the type, claim colour the maturity; edges are coloured by relation.
    ``labels``: ``"auto"`` labels every node of a small graph (≤ 40 nodes) and only the
    non-claim nodes (sources, overclaims, sections, terms) of a large one; ``"all"``,
    ``"none"``, or an iterable of node ids to label. ``highlight`` rings chosen nodes.
    """
    import matplotlib.pyplot as plt
    from matplotlib.lines import Line2D

    n = graph.number_of_nodes()
    if ax is None:
        if figsize is None:
            figsize = (15.0, 11.0) if n > 40 else (10.0, 7.5)
        _fig, ax = plt.subplots(figsize=figsize)
    pos = layout(graph, layout_kind, seed=seed)

    # edges, faint relations first so strong ones stay visible on top
    by_relation: dict[str, list[tuple[Any, Any]]] = {}
    for u, v, rel in graph.edges(data="relation"):
        by_relation.setdefault(str(rel), []).append((u, v))
    for rel, style in EDGE_STYLES.items():
        edges = by_relation.pop(rel, [])
        if edges:
            nx.draw_networkx_edges(
                graph,
                pos,
                edgelist=edges,
                ax=ax,
                edge_color=style["color"],
                width=style["width"] * (1.0 if n > 40 else 1.8),
                style=style["style"],
                arrows=True,
                arrowsize=7 if n > 40 else 11,
                node_size=60,
                alpha=0.9,
            )
    for edges in by_relation.values():  # relations without a style
        nx.draw_networkx_edges(graph, pos, edgelist=edges, ax=ax, edge_color="#cccccc", width=0.6)

    # nodes, one call per type (matplotlib draws one marker per call)
    scale = 1.0 if n > 40 else 2.2
    for t in _TYPE_ORDER:
        nodes = [v for v, a in graph.nodes(data=True) if _node_type(a) == t]
        if not nodes:
            continue
        style = NODE_STYLES[t]
        nx.draw_networkx_nodes(
            graph,
            pos,
            nodelist=nodes,
            ax=ax,
            node_shape=style["marker"],
            node_color=[node_color(graph.nodes[v]) for v in nodes],
            node_size=style["size"] * scale,
            edgecolors="#333333",
            linewidths=0.6,
        )
    ringed = [v for v in highlight if v in pos]
    if ringed:
        nx.draw_networkx_nodes(
            graph,
            pos,
            nodelist=ringed,
            ax=ax,
            node_color="none",
            node_size=700 * scale,
            edgecolors="#000000",
            linewidths=2.0,
        )

    # labels
    if labels == "auto":
        chosen = [
            v for v, a in graph.nodes(data=True) if n <= 40 or _node_type(a) not in ("claim",)
        ]
    elif labels == "all":
        chosen = list(graph.nodes)
    elif labels == "none":
        chosen = []
    else:
        chosen = [v for v in labels if v in pos]
    width = 34 if n <= 40 else 24
    for v in chosen:
        a = graph.nodes[v]
        x, y = pos[v]
        t = _node_type(a)
        ax.annotate(
            node_label(v, a, width=width, compact=n > 40),
            (x, y),
            xytext=(0, -11 if t != "section" else 11),
            textcoords="offset points",
            ha="center",
            va="top" if t != "section" else "bottom",
            fontsize=8 if n > 40 else 9,
            fontweight="bold" if t in ("source", "overclaim") else "normal",
            color="#222222",
            bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.75},
            zorder=5,
        )

    if legend:
        handles: list[Any] = []
        present_types = {_node_type(a) for _, a in graph.nodes(data=True)}
        present_mat = {
            str(a.get("maturity")) for _, a in graph.nodes(data=True) if _node_type(a) == "claim"
        }
        for m, color in MATURITY_COLORS.items():
            if m in present_mat or not present_mat:
                handles.append(
                    Line2D(
                        [],
                        [],
                        marker="o",
                        ls="",
                        mfc=color,
                        mec="#333333",
                        ms=8,
                        label=MATURITY_LABELS[m],
                    )
                )
        for t in (*_TYPE_ORDER[2:], "section"):
            if t in present_types:
                s = NODE_STYLES[t]
                handles.append(
                    Line2D(
                        [],
                        [],
                        marker=s["marker"],
                        ls="",
                        mfc=s["color"],
                        mec="#333333",
                        ms=9,
                        label=t,
                    )
                )
        present_rel = {str(r) for *_, r in graph.edges(data="relation")}
        for rel, style in EDGE_STYLES.items():
            if rel in present_rel:
                handles.append(
                    Line2D(
                        [],
                        [],
                        color=style["color"],
                        lw=max(style["width"], 1.2),
                        ls=style["style"],
                        label=rel.replace("_", " "),
                    )
                )
        ax.legend(
            handles=handles,
            loc="upper left",
            bbox_to_anchor=(1.0, 1.0),
            frameon=False,
            fontsize=9,
            title="nodes and edges",
            title_fontsize=10,
        )
    if title:
        ax.set_title(title, fontsize=13)
    ax.set_axis_off()
    ax.margins(0.06)
    tight = getattr(ax.figure, "tight_layout", None)  # a SubFigure has none
    if tight is not None:
        tight()
    return ax


# --------------------------------------------------------------------------- interactive
_EXTERNAL = re.compile(
    r"""<(?:script|link|img|iframe)\b[^>]*\b(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""",
    re.IGNORECASE,
)
_BOOTSTRAP = re.compile(
    r"""\s*<(link|script)\b[^>]*(?:href|src)\s*=\s*"https?://[^"]*"[^>]*>(?:\s*</script>)?""",
    re.IGNORECASE,
)
_DUP_HEADING = re.compile(r"\s*<center>\s*<h1>\s*</h1>\s*</center>", re.IGNORECASE)


def external_resources(page: str) -> list[str]:
    """The tags of ``page`` that load a script, style or frame from another host."""
    return [m.group(0) for m in _EXTERNAL.finditer(page)]


def _legend_html(graph: nx.Graph) -> str:
    present_types = {_node_type(a) for _, a in graph.nodes(data=True)}
    items: list[str] = []
    for m, color in MATURITY_COLORS.items():
        items.append(
            f'<span style="display:inline-block;width:11px;height:11px;border-radius:50%;'
            f'background:{color};margin:0 4px 0 12px;vertical-align:middle"></span>'
            f"{html.escape(MATURITY_LABELS[m])}"
        )
    shapes = {"source": "■", "overclaim": "◆", "section": "⬢", "term": "▲"}
    for t in ("source", "overclaim", "section", "term"):
        if t in present_types:
            items.append(
                f'<span style="color:{NODE_STYLES[t]["color"]};margin:0 4px 0 12px;'
                f'font-size:15px">{shapes[t]}</span>{t}'
            )
    return (
        '<div id="claimaudit-legend" style="font:13px sans-serif;padding:6px 4px">'
        + "".join(items)
        + ' <span style="color:#666;margin-left:12px">hover a node for details; drag to'
        " move; scroll to zoom</span></div>"
    )


def graph_html(
    graph: nx.Graph,
    path: str | Path | None = None,
    *,
    title: str = "claimaudit claim graph",
    height: str = "780px",
    seed: int = 7,
    physics: bool = False,
) -> str:
    """A self-contained interactive HTML page of the graph (pyvis / vis-network).

    The vis-network script and styles are inlined (``cdn_resources="in_line"``) and the
    CDN links pyvis's template adds are removed, so the page works offline. Positions come
    from :func:`layout` (deterministic); ``physics=True`` lets vis-network keep moving
    them. All text from the graph goes into the page as JSON data or escaped HTML; hover
    texts are plain text. Returns the page and writes it to ``path`` when given.
    """
    try:
        from pyvis.network import Network
    except ImportError as exc:  # pragma: no cover - depends on the notebook extra
        raise ImportError("graph_html needs pyvis: pip install 'claimaudit[notebook]'") from exc

    net = Network(
        height=height,
        width="100%",
        directed=True,
        cdn_resources="in_line",
        heading="",
        bgcolor="#ffffff",
    )
    pos = layout(graph, "auto", seed=seed)
    span = 900.0 if graph.number_of_nodes() > 40 else 450.0
    for node, attrs in graph.nodes(data=True):
        t = _node_type(attrs)
        style = NODE_STYLES[t]
        x, y = pos[node]
        show_label = t != "claim" or graph.number_of_nodes() <= 40
        net.add_node(
            str(node),
            label=(
                node_label(node, attrs, width=26, compact=graph.number_of_nodes() > 40)
                if show_label
                else " "
            ),
            title=node_tooltip(node, attrs),
            shape=style["shape"],
            color=node_color(attrs),
            size=style["vis_size"],
            x=x * span,
            y=-y * span,
            borderWidth=1,
        )
    for u, v, rel in graph.edges(data="relation"):
        style = EDGE_STYLES.get(str(rel), {"color": "#cccccc", "width": 0.6, "style": "solid"})
        net.add_edge(
            str(u),
            str(v),
            title=str(rel),
            color=style["color"],
            width=style["width"] * 1.5,
            dashes=style["style"] != "solid",
            arrows="to",
        )
    options = {
        "physics": {"enabled": physics, "stabilization": {"iterations": 150}},
        "interaction": {"hover": True, "tooltipDelay": 120, "navigationButtons": False},
        "nodes": {"font": {"size": 13, "face": "sans-serif"}},
        "edges": {"smooth": False, "arrows": {"to": {"scaleFactor": 0.4}}},
    }
    net.set_options(json.dumps(options))
    page = net.generate_html()
    # pyvis's template links Bootstrap from a CDN even with in_line resources; the page
    # does not need it, so those tags go.
    page = _BOOTSTRAP.sub("", page)
    page = _DUP_HEADING.sub("", page)
    header = (
        f"<title>{html.escape(title)}</title>\n"
        # vis-network shows a string title as plain text on one line; let it wrap
        "<style>div.vis-tooltip{white-space:pre-wrap !important;max-width:460px;"
        "font:12px sans-serif !important}</style>\n"
        f'<h2 style="font:600 18px sans-serif;margin:8px 4px">{html.escape(title)}</h2>\n'
        + _legend_html(graph)
    )
    page = page.replace("<body>", "<body>\n" + header, 1)
    leftover = external_resources(page)
    if leftover:  # pragma: no cover - guards against a pyvis template change
        raise RuntimeError(f"interactive graph page would load remote resources: {leftover}")
    if path is not None:
        Path(path).write_text(page, encoding="utf-8")
    return page


class GraphView:
    """An interactive graph shown inline in Jupyter (an iframe holding the offline page).

    ``GraphView(kb.graph)`` in a notebook cell draws the graph; ``.save(path)`` writes
    the same page to a file.
    """

    def __init__(self, graph: nx.Graph, *, height: int = 620, **options: Any) -> None:
        self.graph = graph
        self.height = height
        self.options = options

    @property
    def html(self) -> str:
        """The full offline page."""
        return graph_html(self.graph, height=f"{self.height - 90}px", **self.options)

    def save(self, path: str | Path) -> Path:
        """Write the page to ``path`` and return it."""
        graph_html(self.graph, path, height=f"{self.height - 90}px", **self.options)
        return Path(path)

    def _repr_html_(self) -> str:
        doc = html.escape(self.html, quote=True)
        return (
            f'<iframe srcdoc="{doc}" style="width:100%;height:{int(self.height)}px;'
            'border:1px solid #ddd" sandbox="allow-scripts"></iframe>'
        )
