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
import time
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


def test_hover_shows_the_claim_text(kb: Any, tmp_path: Path) -> None:
    """Driving Chromium over the DevTools protocol: hovering a node shows its details."""
    pytest.importorskip("tornado", reason="tornado's websocket client drives Chromium")
    import asyncio
    import json

    from tornado.websocket import websocket_connect

    claim_id = "oxytocin/creators-lineage/5"
    page = tmp_path / "hover.html"
    kb.graph_html(page, center=claim_id)
    profile = tmp_path / "profile"
    proc = subprocess.Popen(
        [
            CHROMIUM,
            *FLAGS,
            f"--user-data-dir={profile}",
            "--remote-debugging-port=0",
            "--window-size=1200,900",
            "about:blank",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        port_file = profile / "DevToolsActivePort"
        for _ in range(100):
            if port_file.is_file() and port_file.read_text().count("\n") >= 1:
                break
            time.sleep(0.1)
        port, browser_path = port_file.read_text().split("\n")[:2]

        async def drive() -> str:
            ws = await websocket_connect(
                f"ws://127.0.0.1:{port}{browser_path}", max_message_size=64 * 1024 * 1024
            )
            counter = 0

            async def call(method: str, session: str | None = None, **params: Any) -> Any:
                nonlocal counter
                counter += 1
                msg: dict[str, Any] = {"id": counter, "method": method, "params": params}
                if session:
                    msg["sessionId"] = session
                await ws.write_message(json.dumps(msg))
                while True:
                    reply = json.loads(await ws.read_message())  # type: ignore[arg-type]
                    if reply.get("id") == counter:
                        return reply.get("result", {})

            target = await call("Target.createTarget", url=page.resolve().as_uri())
            attached = await call(
                "Target.attachToTarget", targetId=target["targetId"], flatten=True
            )
            session = attached["sessionId"]
            where: Any = None
            for _ in range(50):  # wait for vis-network to draw
                await asyncio.sleep(0.2)
                res = await call(
                    "Runtime.evaluate",
                    session,
                    expression=(
                        "(() => { if (typeof network === 'undefined') return null;"
                        f" const p = network.getPositions(['{claim_id}'])['{claim_id}'];"
                        " const d = network.canvasToDOM(p);"
                        " const r = document.getElementById('mynetwork').getBoundingClientRect();"
                        " return JSON.stringify({x: d.x + r.left, y: d.y + r.top}); })()"
                    ),
                    returnByValue=True,
                )
                where = res.get("result", {}).get("value")
                if where:
                    break
            assert where, "the graph never drew"
            pos = json.loads(where)
            for dx in (0, 1, 2):
                await call(
                    "Input.dispatchMouseEvent",
                    session,
                    type="mouseMoved",
                    x=pos["x"] + dx,
                    y=pos["y"],
                )
                await asyncio.sleep(0.3)
            await asyncio.sleep(0.8)
            res = await call(
                "Runtime.evaluate",
                session,
                expression=(
                    "(() => { const t = document.querySelector('div.vis-tooltip');"
                    " return t ? t.style.visibility + '|' + t.innerText : 'none|'; })()"
                ),
                returnByValue=True,
            )
            ws.close()
            return str(res["result"]["value"])

        shown = asyncio.run(asyncio.wait_for(drive(), timeout=60))
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    visibility, text = shown.split("|", 1)
    assert visibility == "visible", shown
    assert claim_id in text
    assert "maturity: contested" in text
    assert "Kosfeld and colleagues" in text
