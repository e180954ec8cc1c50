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


@pytest.fixture(autouse=True, scope="session")
def _private_yaml_cache(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """The tests keep the parsed-YAML cache in a folder of their own, not the user's."""
    patch = pytest.MonkeyPatch()
    patch.setenv("CLAIMAUDIT_CACHE_DIR", str(tmp_path_factory.mktemp("yaml-cache")))
    yield
    patch.undo()
