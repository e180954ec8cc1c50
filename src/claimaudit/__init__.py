"""claimaudit: grade the evidence behind health statements and audit text for overclaims.

The top-level import stays light: pydantic, networkx and pandas load only when the
knowledge base or the audit is first used.

>>> import claimaudit
>>> kb = claimaudit.load()                      # doctest: +SKIP
>>> report = claimaudit.audit("Oxytocin is the trust hormone.")   # doctest: +SKIP
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:
    from pathlib import Path

    from claimaudit.auditing.engine import Auditor
    from claimaudit.auditing.report import AuditReport
    from claimaudit.kb import KnowledgeBase

__all__ = ["Auditor", "KnowledgeBase", "__version__", "audit", "load"]


def load(path: str | Path | None = None) -> KnowledgeBase:
    """Load a knowledge base: the bundled one, or the data folder at ``path``.

    Raises :class:`claimaudit.errors.DataError` naming every problem found (file, line,
    what is wrong) when the folder does not validate.
    """
    from claimaudit.kb import load as _load

    return _load(path)


def audit(text: str, kb: KnowledgeBase | None = None, **options: Any) -> AuditReport:
    """Audit ``text`` for overclaims against ``kb`` (the bundled knowledge base by default).

    Each finding's ``text[start:end]`` is exactly the flagged words of ``text``.
    """
    from claimaudit.auditing.engine import audit as _audit

    return _audit(text, kb=kb, **options)


def __getattr__(name: str) -> Any:
    if name == "KnowledgeBase":
        from claimaudit.kb import KnowledgeBase

        return KnowledgeBase
    if name == "Auditor":
        from claimaudit.auditing.engine import Auditor

        return Auditor
    raise AttributeError(f"module 'claimaudit' has no attribute {name!r}")
