"""The interactive graph page draws the graph in a real headless Chromium, offline.

Chromium comes from the system packages (``apt-get install -y chromium``); the test is
skipped, with that reason, when ``/usr/bin/chromium`` (or ``$CHROMIUM``) is absent. The
browser is started with background networking off and the page is a local file, so a page
that needed a CDN would render blank and fail.

Run alone with ``pytest -m browser tests/test_graph_browser.py``; keep the screenshot with
``CLAIMAUDIT_SCREENSHOT_DIR=/some/dir``.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        importlib.util.find_spec("pyvis") is None,
        reason="pyvis not installed (pip install 'claimaudit[notebook]')",
    ),
    pytest.mark.skipif(
        not Path(CHROMIUM).is_file(),
        reason=f"{CHROMIUM} not installed (apt-get install -y chromium)",
    ),
]

FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--hide-scrollbars",
    # the page must not need the network: refuse every host name lookup
    "--host-resolver-rules=MAP * ~NOTFOUND",
]


def screenshot(page: Path, png: Path, *, size: str = "1200,900") -> None:
    """Open ``page`` in headless Chromium and write a PNG screenshot."""
    profile = tempfile.mkdtemp(prefix="claimaudit-chromium-")
    try:
        proc = subprocess.run(
            [
                CHROMIUM,
                *FLAGS,
                f"--user-data-dir={profile}",
                f"--screenshot={png}",
                f"--window-size={size}",
                "--virtual-time-budget=5000",
                page.resolve().as_uri(),
            ],
            capture_output=True,
            text=True,
            timeout=120,
        )
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    assert png.is_file(), f"no screenshot; chromium said:\n{proc.stderr[-2000:]}"


def ink(png: Path) -> tuple[float, int, float]:
    """(share of non-white pixels, number of distinct colours, share of coloured pixels)."""
    mpl = pytest.importorskip("matplotlib", reason="matplotlib decodes the screenshot")
    mpl.use("Agg")
    import matplotlib.image as mpimg
    import numpy as np

    img = np.asarray(mpimg.imread(png))[..., :3]
    rgb = (img * 255).round().astype(np.uint8) if img.dtype != np.uint8 else img
    flat = rgb.reshape(-1, 3).astype(np.int32)
    non_white = float((flat.min(axis=1) < 235).mean())
    colours = len(np.unique(flat[:, 0] * 65536 + flat[:, 1] * 256 + flat[:, 2]))
    chroma = flat.max(axis=1) - flat.min(axis=1)
    coloured = float((chroma > 60).mean())
    return non_white, colours, coloured


@pytest.fixture
def outdir(tmp_path: Path) -> Path:
    keep = os.environ.get("CLAIMAUDIT_SCREENSHOT_DIR")
    if keep:
        Path(keep).mkdir(parents=True, exist_ok=True)
        return Path(keep)
    return tmp_path


def test_whole_graph_draws_offline(kb: Any, outdir: Path) -> None:
    page = outdir / "claim-graph.html"
    png = outdir / "claim-graph.png"
    kb.graph_html(page)
    screenshot(page, png)
    non_white, colours, coloured = ink(png)
    # a blank page (script failed to load) is white apart from the title and legend:
    # well under 1% ink and almost no coloured pixels
    assert non_white > 0.03, f"page looks blank: {non_white:.2%} non-white pixels"
    assert colours > 200, f"only {colours} distinct colours"
    assert coloured > 0.005, f"hardly any coloured pixels: {coloured:.2%}"


def test_blank_page_is_detected(kb: Any, tmp_path: Path) -> None:
    """The check itself tells a page whose graph did not draw from one that did."""
    page = tmp_path / "broken.html"
    html = kb.graph_html().replace("new vis.Network(", "new vis.NoSuchNetwork(")
    page.write_text(html, encoding="utf-8")
    png = tmp_path / "broken.png"
    screenshot(page, png)
    non_white, _colours, coloured = ink(png)
    assert non_white < 0.02 and coloured < 0.0015


def test_claim_neighbourhood_draws_offline(kb: Any, outdir: Path) -> None:
    page = outdir / "kosfeld-neighbourhood.html"
    png = outdir / "kosfeld-neighbourhood.png"
    kb.graph_html(page, center="oxytocin/creators-lineage/5")
    screenshot(page, png)
    non_white, _colours, coloured = ink(png)
    assert non_white > 0.011
    assert coloured > 0.0015
