"""``claimaudit audit PATH… | -``: the linter-style command line of the audit.

Exit codes (DESIGN.md §7): 0 clean, 1 findings at or above ``--fail-on``, 2 usage or input
error. A bad input (missing file, a directory, undecodable bytes) gets a one-line error on
stderr naming it, and the other files are still audited.
"""

from __future__ import annotations

import argparse
import json
import sys
import tomllib
from pathlib import Path
from typing import Any

__all__ = ["find_config", "register", "run"]

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_USAGE = 2
_FAIL_RANK = {"error": 2, "warning": 1, "info": 0}


def register(subparsers: Any) -> None:
    """Add the ``audit`` subcommand to the ``claimaudit`` argument parser."""
    p = subparsers.add_parser(
        "audit",
        help="audit text or Markdown files for overclaims",
        description="Audit text or Markdown files for overclaims about oxytocin. "
        "Configuration is read from [tool.claimaudit] in the nearest pyproject.toml.",
    )
    p.add_argument("paths", nargs="+", metavar="PATH", help="files to audit; '-' reads stdin")
    p.add_argument(
        "--format",
        choices=["text", "json", "sarif", "github"],
        default=None,
        help="output format (default: text)",
    )
    p.add_argument(
        "--fail-on",
        choices=["error", "warning", "info", "never"],
        default=None,
        help="exit 1 when a finding is at least this severe (default: error)",
    )
    p.add_argument(
        "--select", default=None, help="comma-separated rule ids or categories to report"
    )
    p.add_argument("--ignore", default=None, help="comma-separated rule ids or categories to skip")
    p.add_argument("--catalog", default=None, metavar="FILE", help="extra overclaim entries (YAML)")
    p.add_argument(
        "--min-severity",
        choices=["info", "warning", "error"],
        default=None,
        help="lowest severity shown (default: warning; info shows hedged and debunked mentions)",
    )
    p.add_argument(
        "--input-format",
        choices=["auto", "text", "markdown"],
        default="auto",
        help="how to read the files (default: by suffix)",
    )
    p.add_argument("--stdin-filename", default=None, help="name to report for '-'")
    p.add_argument("--no-config", action="store_true", help="ignore pyproject.toml")
    p.add_argument(
        "--supported",
        action="store_true",
        help="also list sentences that match an established claim (cite instead of cut)",
    )
    p.add_argument("--quiet", "-q", action="store_true", help="text format: no evidence lines")
    p.set_defaults(handler=run)


def find_config(start: Path) -> tuple[dict[str, Any], Path | None]:
    """``[tool.claimaudit]`` of the nearest ``pyproject.toml`` at or above ``start``."""
    here = start.resolve()
    for d in (here, *here.parents):
        candidate = d / "pyproject.toml"
        if candidate.is_file():
            try:
                data = tomllib.loads(candidate.read_text(encoding="utf-8"))
            except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
                return {}, candidate
            section = data.get("tool", {}).get("claimaudit", {})
            return (section if isinstance(section, dict) else {}), candidate
    return {}, None


def _split(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [v.strip() for v in value.split(",") if v.strip()]
    return [str(v).strip() for v in value if str(v).strip()]


def _err(msg: str) -> None:
    print(f"claimaudit: error: {msg}", file=sys.stderr)


def run(args: argparse.Namespace) -> int:
    """Run ``claimaudit audit``; returns the exit code."""
    from claimaudit.auditing.engine import Auditor
    from claimaudit.auditing.report import github_annotations, json_document, sarif_document
    from claimaudit.corpus import LARGE_TEXT, audit_large
    from claimaudit.errors import ClaimAuditError

    cfg: dict[str, Any] = {}
    cfg_path: Path | None = None
    if not args.no_config:
        cfg, cfg_path = find_config(Path.cwd())
    fmt = args.format or cfg.get("format") or "text"
    fail_on = args.fail_on or cfg.get("fail-on") or cfg.get("fail_on") or "error"
    if fail_on not in (*_FAIL_RANK, "never"):
        _err(f"{cfg_path}: [tool.claimaudit] fail-on must be error, warning, info or never")
        return EXIT_USAGE
    select = _split(args.select) if args.select is not None else _split(cfg.get("select"))
    ignore = _split(args.ignore) if args.ignore is not None else _split(cfg.get("ignore"))
    catalog: str | None = args.catalog
    if catalog is None and cfg.get("catalog") and cfg_path is not None:
        catalog = str(cfg_path.parent / str(cfg["catalog"]))
    min_sev = args.min_severity or cfg.get("min-severity") or "warning"
    try:
        auditor = Auditor(extra_catalog=catalog, min_severity=min_sev)
    except ClaimAuditError as exc:
        for line in str(exc).splitlines() or ["invalid catalog"]:
            _err(line)
        return EXIT_USAGE
    for opt, values in (("--select", select), ("--ignore", ignore)):
        unknown = auditor.check_rule_ids(values)
        if unknown:
            known = ", ".join(
                sorted({r.id for r in auditor.rules} | {r.category for r in auditor.rules})
            )
            names = ", ".join(map(repr, unknown))
            _err(f"{opt}: unknown rule id or category {names} (known: {known})")
            return EXIT_USAGE

    reports = []
    input_error = False
    for raw in args.paths:
        name = (args.stdin_filename or "<stdin>") if raw == "-" else raw
        try:
            if raw == "-":
                data = sys.stdin.buffer.read() if hasattr(sys.stdin, "buffer") else sys.stdin.read()
            else:
                path = Path(raw)
                if path.is_dir():
                    raise IsADirectoryError(raw)
                data = path.read_bytes()
            text = data.decode("utf-8-sig") if isinstance(data, bytes) else data
        except FileNotFoundError:
            _err(f"{name}: no such file")
            input_error = True
            continue
        except IsADirectoryError:
            _err(f"{name}: is a directory, not a file")
            input_error = True
            continue
        except UnicodeDecodeError as exc:
            _err(f"{name}: not valid UTF-8 (byte {exc.start}: {exc.reason})")
            input_error = True
            continue
        except OSError as exc:
            _err(f"{name}: cannot read ({exc.strerror or exc})")
            input_error = True
            continue
        if len(text) > LARGE_TEXT and not args.supported:
            # a large file is audited chunk by chunk: same findings, bounded working memory
            report = audit_large(
                auditor,
                text,
                path=name,
                format=args.input_format,
                select=select or None,
                ignore=ignore or None,
            )
        else:
            report = auditor.audit(
                text,
                path=name,
                format=args.input_format,
                select=select or None,
                ignore=ignore or None,
                supported=args.supported,
            )
        reports.append(report)

    out = sys.stdout
    if fmt == "json":
        out.write(json.dumps(json_document(reports), indent=2, ensure_ascii=False) + "\n")
    elif fmt == "sarif":
        out.write(
            json.dumps(sarif_document(reports, auditor.rules), indent=2, ensure_ascii=False) + "\n"
        )
    elif fmt == "github":
        for r in reports:
            if r.findings:
                out.write(github_annotations(r) + "\n")
    else:
        total = {"error": 0, "warning": 0, "info": 0}
        for r in reports:
            body = r.to_text(verbose=not args.quiet)
            if body:
                out.write(body + "\n")
            for k, v in r.counts().items():
                total[k] += v
        files = f"{len(reports)} file{'s' if len(reports) != 1 else ''}"
        out.write(
            f"{files} audited: {total['error']} error(s), {total['warning']} warning(s)"
            + (f", {total['info']} info" if total["info"] else "")
            + "\n"
        )
    out.flush()

    if input_error:
        return EXIT_USAGE
    if fail_on == "never":
        return EXIT_OK
    floor = _FAIL_RANK[fail_on]
    worst = max((_FAIL_RANK[f.severity] for r in reports for f in r.findings), default=-1)
    return EXIT_FINDINGS if worst >= floor else EXIT_OK
