"""Knowledge-base subcommands: ``ingest``, ``claims``, ``graph``, ``validate``, ``explain``."""

from __future__ import annotations

import argparse
import csv
import json
import sys
from pathlib import Path
from typing import Any

from claimaudit.errors import DataError

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2


def _err(message: str) -> None:
    print(f"claimaudit: {message}", file=sys.stderr)


def _data_arg(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--data",
        metavar="DIR",
        help="data folder to use (default: the bundled knowledge base)",
    )


def register(sub: Any) -> None:
    """Add the knowledge-base subcommands to an argparse subparsers object."""
    p = sub.add_parser(
        "ingest",
        help="read a document into claims and save them to a data folder",
        description="Read a document of the reference format, grade its claims, keep curated "
        "fields, and save the data folder atomically. Changed claim text is reported "
        "and nothing is written unless --accept-changes is given.",
    )
    p.add_argument("document", help="the document to ingest")
    p.add_argument("--data", metavar="DIR", help="data folder to update (default: ./data)")
    p.add_argument(
        "--id", dest="doc_id", help="document id (default: from documents.yaml or the file name)"
    )
    p.add_argument("--title", help="document title")
    p.add_argument("--accept-changes", action="store_true", help="save even if claim text changed")
    p.add_argument("--dry-run", action="store_true", help="report what would change; write nothing")
    p.add_argument(
        "--jsonl",
        action="store_true",
        help="print the document's graded claims as JSON Lines and write nothing",
    )
    p.set_defaults(handler=cmd_ingest)

    p = sub.add_parser(
        "claims", help="list and filter claims", description="List claims, filtered."
    )
    _data_arg(p)
    p.add_argument(
        "--maturity", action="append", choices=["established", "contested", "llm_authored"]
    )
    p.add_argument("--section", action="append", help="section name (case-insensitive)")
    p.add_argument(
        "--kind",
        action="append",
        choices=["assertion", "definition", "objective", "example", "question"],
    )
    p.add_argument("--cites", action="append", help="source id or number")
    p.add_argument("--refutes", action="append", help="overclaim id")
    p.add_argument("--text", help="case-insensitive substring of the claim text")
    p.add_argument(
        "--reusable", action="store_true", help="only established assertions and definitions"
    )
    p.add_argument("--format", choices=["table", "jsonl", "csv"], default="table")
    p.set_defaults(handler=cmd_claims)

    p = sub.add_parser("explain", help="explain a claim's rating from the graph")
    _data_arg(p)
    p.add_argument("claim_id")
    p.set_defaults(handler=cmd_explain)

    p = sub.add_parser("graph", help="export the claim graph")
    _data_arg(p)
    p.add_argument(
        "--format", choices=["node-link", "graphml", "cytoscape", "html"], default="node-link"
    )
    p.add_argument(
        "-o", "--output", help="file to write (default: standard output; required for graphml/html)"
    )
    p.set_defaults(handler=cmd_graph)

    p = sub.add_parser(
        "validate",
        help="check a data folder",
        description="Check a data folder: "
        "ids, citations, overclaim links, enums, and stale ratings.",
    )
    p.add_argument("dir", nargs="?", help="data folder (default: the bundled one)")
    p.set_defaults(handler=cmd_validate)


def _load(args: argparse.Namespace) -> Any:
    """The knowledge base of ``--data`` (or the bundled one); None after reporting problems."""
    from claimaudit.kb import load

    try:
        return load(getattr(args, "data", None))
    except DataError as exc:
        for problem in exc.problems:
            _err(str(problem))
        return None


def cmd_ingest(args: argparse.Namespace) -> int:
    from claimaudit.build import rebuild
    from claimaudit.kb import dump_claims

    data = Path(args.data or "data")
    try:
        kb, report = rebuild(
            data,
            args.document,
            doc_id=args.doc_id,
            title=args.title,
            accept_changes=args.accept_changes,
            dry_run=args.dry_run or args.jsonl,
        )
    except DataError as exc:
        for problem in exc.problems:
            _err(str(problem))
        return EXIT_USAGE
    if args.jsonl:
        sys.stdout.write(dump_claims(kb.filter(document=report.document)))
        return EXIT_OK
    for line in report.lines():
        print(line, file=sys.stderr)
    if report.written:
        print(f"wrote {len(kb.filter(document=report.document))} claims to {data}", file=sys.stderr)
        return EXIT_OK
    if report.needs_confirmation and not args.dry_run:
        _err(
            "nothing written: claim text changed or a curated field would be lost; "
            "review the report and re-run with --accept-changes"
        )
        return EXIT_PROBLEMS
    return EXIT_OK


def cmd_claims(args: argparse.Namespace) -> int:
    kb = _load(args)
    if kb is None:
        return EXIT_USAGE
    claims = kb.filter(
        maturity=args.maturity,
        section=args.section,
        kind=args.kind,
        cites=args.cites,
        refutes=args.refutes,
        text=args.text,
    )
    if args.reusable:
        keep = {c.id for c in kb.reusable()}
        claims = [c for c in claims if c.id in keep]
    out = sys.stdout
    if args.format == "jsonl":
        for c in claims:
            out.write(c.model_dump_json(exclude_none=True) + "\n")
    elif args.format == "csv":
        writer = csv.writer(out)
        writer.writerow(["id", "section", "kind", "maturity", "citations", "text", "rationale"])
        for c in claims:
            writer.writerow(
                [
                    c.id,
                    c.section,
                    c.kind,
                    c.maturity.value,
                    " ".join(c.citations),
                    c.text,
                    c.rationale,
                ]
            )
    else:
        width = max((len(c.id) for c in claims), default=2)
        for c in claims:
            text = c.text if len(c.text) <= 72 else c.text[:71] + "…"
            out.write(f"{c.id:<{width}}  {c.maturity.value:<12}  {text}\n")
        print(f"{len(claims)} claim{'s' if len(claims) != 1 else ''}", file=sys.stderr)
    return EXIT_OK


def cmd_explain(args: argparse.Namespace) -> int:
    kb = _load(args)
    if kb is None:
        return EXIT_USAGE
    try:
        print(kb.explain(args.claim_id))
    except KeyError as exc:
        _err(str(exc.args[0]))
        return EXIT_USAGE
    return EXIT_OK


def cmd_graph(args: argparse.Namespace) -> int:
    kb = _load(args)
    if kb is None:
        return EXIT_USAGE
    if args.format in ("graphml", "html") and not args.output:
        _err(f"--format {args.format} needs -o FILE")
        return EXIT_USAGE
    if args.format == "graphml":
        kb.to_graphml(args.output)
    elif args.format == "html":
        try:
            from claimaudit.drawing import graph_html
        except ImportError as exc:  # pragma: no cover - depends on the notebook extra
            _err(f"{exc}; install claimaudit[notebook]")
            return EXIT_USAGE
        graph_html(kb.graph, args.output)
    else:
        data = kb.to_node_link() if args.format == "node-link" else kb.to_cytoscape()
        text = json.dumps(data, ensure_ascii=False, indent=1)
        if args.output:
            Path(args.output).write_text(text, encoding="utf-8")
        else:
            sys.stdout.write(text + "\n")
    return EXIT_OK


def cmd_validate(args: argparse.Namespace) -> int:
    from claimaudit.kb import validate

    target = args.dir
    problems = validate(target)
    for problem in problems:
        print(str(problem), file=sys.stderr)
    if problems:
        print(f"{len(problems)} problem{'s' if len(problems) != 1 else ''} found", file=sys.stderr)
        return EXIT_PROBLEMS
    print(f"{target or 'bundled data'}: valid", file=sys.stderr)
    return EXIT_OK
