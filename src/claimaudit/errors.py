"""Errors that name the file, the line and the problem."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input: where it is and what is wrong."""

    path: str
    line: int | None
    message: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line is not None else self.path
        return f"{where}: {self.message}"


class ClaimAuditError(Exception):
    """Base class of the errors claimaudit raises on purpose."""


class DataError(ClaimAuditError):
    """A data file or folder is invalid; ``problems`` lists every problem found."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems) or "invalid data")

    @classmethod
    def single(cls, path: str | Path, line: int | None, message: str) -> DataError:
        """An error with one problem."""
        return cls([Problem(str(path), line, message)])


class IngestError(DataError):
    """A document cannot be read into claims (an unresolvable marker, a bad table row)."""
