"""Shared fixtures: the reference document, the bundled knowledge base, a scratch data folder."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"
DOCUMENT = DATA / "documents" / "oxytocin-social-bonding.txt"
SHARED_DOCUMENT = ROOT.parent / "shared" / "documents" / "oxytocin-social-bonding.txt"


@pytest.fixture(scope="session")
def document_text() -> str:
    return DOCUMENT.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def kb():  # type: ignore[no-untyped-def]
    import claimaudit

    return claimaudit.load()


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A writable copy of the bundled data folder."""
    target = tmp_path / "data"
    shutil.copytree(DATA, target)
    return target
