"""The guided-tour notebook runs top to bottom, and its saved outputs match what it computes.

The notebook is executed with nbclient in a scratch folder (it writes an HTML file there).
Text outputs (``text/plain``, ``text/html``, streams) are compared with the saved ones after
normalising memory addresses and temporary paths (a DataFrame by its text form only, since
pandas's HTML markup changes between versions); images are compared by presence.

When the data or the code changes what the notebook shows, re-execute and save it:

    .venv/bin/python tests/test_notebook.py --update
"""

from __future__ import annotations

import copy
import re
import sys
import tempfile
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK = ROOT / "notebooks" / "explore_claim_graph.ipynb"
TIMEOUT = 300

_ADDRESS = re.compile(r"\b0x[0-9a-fA-F]{6,}\b")
_TMP = re.compile(r"(/tmp|/var/folders)/[^\s'\"<>]*")
_TEXT_MIMES = ("text/plain", "text/html", "text/markdown")
_IMAGE_MIMES = ("image/png", "image/svg+xml", "image/jpeg")


def execute(nb: Any, cwd: Path) -> Any:
    """Run every cell of ``nb`` in a fresh kernel with ``cwd`` as working folder."""
    from nbclient import NotebookClient

    client = NotebookClient(
        nb,
        timeout=TIMEOUT,
        kernel_name="python3",
        resources={"metadata": {"path": str(cwd)}},
        allow_errors=False,
    )
    client.execute()
    return nb


def normalise(text: str) -> str:
    """Remove what legitimately changes from run to run."""
    text = _ADDRESS.sub("0x…", text)
    text = _TMP.sub("<tmp>", text)
    return "\n".join(line.rstrip() for line in text.strip().splitlines())


def _join(value: Any) -> str:
    return "".join(value) if isinstance(value, list) else str(value)


def summarise(nb: Any) -> list[list[dict[str, Any]]]:
    """Per code cell, its outputs reduced to comparable parts."""
    cells = []
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        outs: list[dict[str, Any]] = []
        for out in cell.get("outputs", []):
            kind = out.get("output_type")
            if kind == "stream":
                outs.append({"stream": out.get("name"), "text": normalise(_join(out["text"]))})
            elif kind in ("execute_result", "display_data"):
                data = out.get("data", {})
                item: dict[str, Any] = {
                    m: normalise(_join(data[m])) for m in _TEXT_MIMES if m in data
                }
                if 'class="dataframe' in item.get("text/html", ""):
                    # pandas's own HTML differs between pandas versions; the table's
                    # content is compared through its text/plain form
                    del item["text/html"]
                item["images"] = sorted(m for m in _IMAGE_MIMES if m in data)
                outs.append(item)
            elif kind == "error":
                outs.append({"error": out.get("ename"), "value": out.get("evalue")})
        cells.append(outs)
    return cells


def _read() -> Any:
    import nbformat

    return nbformat.read(NOTEBOOK, as_version=4)


def test_notebook_is_committed_with_outputs() -> None:
    pytest.importorskip("nbformat", reason="nbformat is needed to read the notebook")
    nb = _read()
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert code, "the notebook has no code cells"
    assert all(c.get("execution_count") for c in code), "some cells were never executed"
    assert all(c.get("outputs") for c in code if not c.source.startswith("import")), (
        "a cell has no saved output: re-run tests/test_notebook.py --update"
    )
    counts = [c.execution_count for c in code]
    assert counts == list(range(1, len(code) + 1)), "cells were not run top to bottom"
    summary = summarise(nb)
    assert not any("error" in o for outs in summary for o in outs)
    images = sum(1 for outs in summary for o in outs if o.get("images"))
    assert images >= 3, "the graph pictures are missing from the saved outputs"


@pytest.mark.slow
def test_notebook_runs_and_matches_saved_outputs(tmp_path: Path) -> None:
    pytest.importorskip(
        "nbclient", reason="nbclient not installed (pip install nbclient ipykernel)"
    )
    pytest.importorskip("ipykernel", reason="ipykernel not installed (pip install ipykernel)")
    pytest.importorskip("matplotlib", reason="the notebook needs claimaudit[notebook]")
    pytest.importorskip("pyvis", reason="the notebook needs claimaudit[notebook]")
    saved = _read()
    fresh = execute(copy.deepcopy(saved), tmp_path)
    assert (tmp_path / "claim-graph.html").is_file()
    old, new = summarise(saved), summarise(fresh)
    assert len(old) == len(new)
    sources = [c.source for c in saved.cells if c.cell_type == "code"]
    stale = []
    for i, (a, b) in enumerate(zip(old, new, strict=True)):
        if a != b:
            stale.append(f"--- code cell {i + 1}:\n{sources[i]}\n{_diff(a, b)}")
    assert not stale, (
        "the notebook's saved outputs no longer match what it computes; re-run "
        "`python tests/test_notebook.py --update` and commit the notebook.\n" + "\n".join(stale)
    )


def _diff(saved: list[dict[str, Any]], fresh: list[dict[str, Any]]) -> str:
    """A short unified diff of two cells' outputs (HTML split at tags to keep lines short)."""
    import difflib
    import json

    def lines(outs: list[dict[str, Any]]) -> list[str]:
        text = json.dumps(outs, indent=1, ensure_ascii=False).replace("\\n", "\n")
        return text.replace("><", ">\n<").splitlines()

    diff = difflib.unified_diff(lines(saved), lines(fresh), "saved", "computed", n=1, lineterm="")
    out = list(diff)
    return "\n".join(out[:40]) + ("\n…" if len(out) > 40 else "")


def update() -> None:
    """Execute the notebook in a scratch folder and save it with its new outputs."""
    import nbformat

    nb = _read()
    with tempfile.TemporaryDirectory() as tmp:
        execute(nb, Path(tmp))
    for cell in nb.cells:  # keep diffs small: no per-run execution metadata
        cell.get("metadata", {}).pop("execution", None)
    nbformat.write(nb, NOTEBOOK)
    print(f"executed and saved {NOTEBOOK}")


if __name__ == "__main__":
    if "--update" in sys.argv:
        update()
    else:
        sys.exit(pytest.main([__file__, "-v"]))
