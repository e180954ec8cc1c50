"""Findings and audit reports, with JSON, SARIF 2.1.0, GitHub and text renderings.

Every rendering encodes what came from the input: JSON and SARIF through :func:`json.dumps`,
GitHub workflow commands with their own escaping; nothing is embedded as raw markup.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any

from claimaudit.auditing.stance import Stance

if TYPE_CHECKING:
    import pandas as pd

    from claimaudit.models import Overclaim

__all__ = [
    "JSON_SCHEMA",
    "SARIF_SCHEMA",
    "AuditReport",
    "EvidenceClaim",
    "Finding",
    "SourceRef",
    "Supported",
    "github_annotations",
    "json_document",
    "sarif_document",
]

JSON_SCHEMA = "claimaudit.report/1"
SARIF_SCHEMA = (
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
)
SEVERITY_RANK = {"info": 0, "warning": 1, "error": 2}
_SARIF_LEVEL = {"error": "error", "warning": "warning", "info": "note"}


@dataclass(frozen=True, slots=True)
class SourceRef:
    """A source behind a claim: its id, a short citation and its DOI or URL."""

    id: str
    citation: str
    link: str | None


@dataclass(frozen=True, slots=True)
class EvidenceClaim:
    """A claim of the knowledge base that refutes (or supports) a statement."""

    id: str
    text: str
    maturity: str
    sources: tuple[SourceRef, ...] = ()


@dataclass(frozen=True, slots=True)
class Finding:
    """One overclaim found in the audited text.

    ``start``/``end`` are offsets into the text the caller passed (``text[start:end]`` is
    ``flagged``); ``line``/``column`` are 1-based (column in characters).
    """

    category: str
    severity: str
    stance: Stance
    start: int
    end: int
    line: int
    column: int
    end_line: int
    end_column: int
    flagged: str
    sentence: str
    sentence_start: int
    sentence_end: int
    message: str
    overclaim: str
    title: str
    say_instead: str
    evidence: tuple[EvidenceClaim, ...] = ()
    trigger: str | None = None
    path: str | None = None

    @property
    def rule(self) -> str:
        """Alias of ``overclaim``: the catalog entry (rule) id."""
        return self.overclaim

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict of the finding."""
        d = asdict(self)
        d["stance"] = str(self.stance)
        return d


@dataclass(frozen=True, slots=True)
class Supported:
    """A sentence of the text that matches an established claim (cite it instead of cutting)."""

    start: int
    end: int
    line: int
    sentence: str
    claim: EvidenceClaim


@dataclass(frozen=True)
class AuditReport:
    """The result of auditing one text: its findings (in text order) and supported sentences."""

    findings: tuple[Finding, ...]
    supported: tuple[Supported, ...] = ()
    path: str | None = None
    rules: tuple[Overclaim, ...] = field(default=(), repr=False, compare=False)
    suppressed: int = 0

    def __len__(self) -> int:
        return len(self.findings)

    def __iter__(self) -> Any:
        return iter(self.findings)

    def __bool__(self) -> bool:
        return True

    @property
    def errors(self) -> tuple[Finding, ...]:
        """The findings of severity ``error``."""
        return tuple(f for f in self.findings if f.severity == "error")

    def counts(self) -> dict[str, int]:
        """Number of findings by severity."""
        out = {"error": 0, "warning": 0, "info": 0}
        for f in self.findings:
            out[f.severity] = out.get(f.severity, 0) + 1
        return out

    def worst(self) -> str | None:
        """The highest severity among the findings, or None."""
        if not self.findings:
            return None
        return max((f.severity for f in self.findings), key=lambda s: SEVERITY_RANK.get(s, 0))

    def to_dict(self) -> dict[str, Any]:
        """The report as a JSON-ready dict (schema ``claimaudit.report/1``)."""
        return {
            "schema": JSON_SCHEMA,
            "path": self.path,
            "summary": self.counts(),
            "suppressed": self.suppressed,
            "findings": [f.to_dict() for f in self.findings],
            "supported": [asdict(s) for s in self.supported],
        }

    def to_json(self, indent: int | None = 2) -> str:
        """The report as JSON text (schema ``claimaudit.report/1``)."""
        return json.dumps(self.to_dict(), indent=indent, ensure_ascii=False)

    def to_sarif(self, indent: int | None = 2) -> str:
        """The report as a SARIF 2.1.0 log (one run, one rule per catalog entry)."""
        return json.dumps(sarif_document([self], self.rules), indent=indent, ensure_ascii=False)

    def to_frame(self) -> pd.DataFrame:
        """The findings as a pandas DataFrame, one row per finding."""
        import pandas as pd

        cols = [
            "path",
            "line",
            "column",
            "severity",
            "category",
            "overclaim",
            "stance",
            "flagged",
            "message",
            "sentence",
            "start",
            "end",
            "say_instead",
            "evidence",
        ]
        rows = []
        for f in self.findings:
            d = f.to_dict()
            d["evidence"] = [e.id for e in f.evidence]
            rows.append({c: d[c] for c in cols})
        return pd.DataFrame(rows, columns=cols)

    def to_text(self, *, verbose: bool = True) -> str:
        """A linter-style text rendering (``path:line:col: severity [id] message``)."""
        where = self.path or "<text>"
        lines: list[str] = []
        for f in self.findings:
            lines.append(f"{where}:{f.line}:{f.column}: {f.severity} [{f.overclaim}] {f.message}")
            if verbose:
                lines.append(f"    | {_one_line(f.sentence)}")
                lines.append(
                    f"    | flagged: {_one_line(f.flagged)!r} ({f.stance}; category {f.category})"
                )
                for ev in f.evidence[:2]:
                    srcs = "; ".join(
                        f"{s.citation}{' ' + s.link if s.link else ''}" for s in ev.sources
                    )
                    lines.append(f"    = evidence: {ev.id} [{ev.maturity}] {srcs}".rstrip())
                lines.append(f"    = say instead: {_one_line(f.say_instead)}")
        for s in self.supported:
            srcs = "; ".join(
                f"{x.citation}{' ' + x.link if x.link else ''}" for x in s.claim.sources
            )
            lines.append(
                f"{where}:{s.line}:1: supported by {s.claim.id} [{s.claim.maturity}] {srcs}"
            )
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        """Notebook display: findings highlighted by severity, with a legend and evidence."""
        from claimaudit.render import report_html

        return report_html(self)

    def __str__(self) -> str:
        c = self.counts()
        head = self.to_text()
        tail = f"{c['error']} error(s), {c['warning']} warning(s), {c['info']} info"
        return f"{head}\n{tail}" if head else tail


def _one_line(s: str) -> str:
    return " ".join(s.split())


def _rule_descriptor(o: Overclaim) -> dict[str, Any]:
    name = "".join(part.capitalize() for part in o.id.split("-"))
    level = _SARIF_LEVEL.get(str(o.severity), "warning")
    help_text = (
        f"What it flags: {_one_line(o.what)}\n\nWhy: {_one_line(o.why)}\n\n"
        f"Example: {o.example}\n\nSay instead: {_one_line(o.say_instead)}"
    )
    help_md = (
        f"**What it flags.** {_one_line(o.what)}\n\n**Why.** {_one_line(o.why)}\n\n"
        f"**Example.** {o.example}\n\n**Say instead.** {_one_line(o.say_instead)}"
    )
    if o.refuted_by:
        help_text += "\n\nRefuted by: " + ", ".join(o.refuted_by)
        help_md += "\n\n**Refuted by.** " + ", ".join(f"`{c}`" for c in o.refuted_by)
    return {
        "id": o.id,
        "name": name,
        "shortDescription": {"text": o.title},
        "fullDescription": {"text": _one_line(o.what)},
        "help": {"text": help_text, "markdown": help_md},
        "defaultConfiguration": {"level": level},
        "properties": {
            "category": o.category,
            "status": str(o.status),
            "tags": [o.category, str(o.status)],
            "sources": list(o.sources),
        },
    }


def sarif_document(reports: Sequence[AuditReport], rules: Iterable[Overclaim]) -> dict[str, Any]:
    """A SARIF 2.1.0 log of several reports (one run; one rule per catalog entry)."""
    from claimaudit import __version__

    rule_list = list(rules)
    index = {o.id: i for i, o in enumerate(rule_list)}
    results: list[dict[str, Any]] = []
    artifacts: dict[str, int] = {}
    for rep in reports:
        uri = rep.path or "stdin"
        art = artifacts.setdefault(uri, len(artifacts))
        for f in rep.findings:
            res: dict[str, Any] = {
                "ruleId": f.overclaim,
                "level": _SARIF_LEVEL.get(f.severity, "note"),
                "message": {"text": f"{f.message} Say instead: {_one_line(f.say_instead)}"},
                "locations": [
                    {
                        "physicalLocation": {
                            "artifactLocation": {"uri": uri, "index": art},
                            "region": {
                                "startLine": f.line,
                                "startColumn": f.column,
                                "endLine": f.end_line,
                                "endColumn": f.end_column,
                                "charOffset": f.start,
                                "charLength": f.end - f.start,
                                "snippet": {"text": f.flagged},
                            },
                        }
                    }
                ],
                "properties": {
                    "category": f.category,
                    "stance": str(f.stance),
                    "sentence": f.sentence,
                    "evidence": [e.id for e in f.evidence],
                },
            }
            if f.overclaim in index:
                res["ruleIndex"] = index[f.overclaim]
            results.append(res)
    return {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "claimaudit",
                        "version": __version__,
                        "semanticVersion": __version__,
                        "informationUri": "https://example.invalid/claimaudit",
                        "rules": [_rule_descriptor(o) for o in rule_list],
                    }
                },
                "columnKind": "unicodeCodePoints",
                "artifacts": [{"location": {"uri": u}} for u in artifacts],
                "results": results,
            }
        ],
    }


def json_document(reports: Sequence[AuditReport]) -> dict[str, Any]:
    """Several reports as one JSON document (schema ``claimaudit.report/1``)."""
    total = {"error": 0, "warning": 0, "info": 0}
    for r in reports:
        for k, v in r.counts().items():
            total[k] = total.get(k, 0) + v
    return {
        "schema": JSON_SCHEMA,
        "summary": total,
        "files": [r.to_dict() for r in reports],
    }


def _gh_data(s: str) -> str:
    return s.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _gh_prop(s: str) -> str:
    return _gh_data(s).replace(":", "%3A").replace(",", "%2C")


def github_annotations(report: AuditReport) -> str:
    """GitHub Actions workflow commands (``::error file=…,line=…::message``), escaped."""
    out = []
    level = {"error": "error", "warning": "warning", "info": "notice"}
    for f in report.findings:
        props = ",".join(
            [
                f"file={_gh_prop(report.path or 'stdin')}",
                f"line={f.line}",
                f"col={f.column}",
                f"endLine={f.end_line}",
                f"endColumn={f.end_column}",
                f"title={_gh_prop(f'claimaudit {f.overclaim}')}",
            ]
        )
        msg = f"{f.message} Say instead: {_one_line(f.say_instead)}"
        out.append(f"::{level.get(f.severity, 'notice')} {props}::{_gh_data(msg)}")
    return "\n".join(out)
