"""The ``claimaudit`` command line.

Exit codes (DESIGN.md §7): 0 clean, 1 findings at or above ``--fail-on`` (or a data
folder that does not validate), 2 usage or input error.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_USAGE = 2


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every subcommand registered."""
    from claimaudit import __version__, kb_cli

    parser = argparse.ArgumentParser(
        prog="claimaudit",
        description="Grade the evidence behind health statements and audit text for overclaims.",
    )
    parser.add_argument("--version", action="version", version=f"claimaudit {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    kb_cli.register(sub)
    try:
        from claimaudit.auditing import cli as audit_cli
    except ImportError:  # the audit engine is not installed in this build
        pass
    else:
        audit_cli.register(sub)
    try:
        from claimaudit import corpus_cli
    except ImportError:
        pass
    else:
        corpus_cli.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    handler = args.handler
    try:
        code: int = handler(args)
    except BrokenPipeError:  # e.g. `claimaudit claims | head`
        sys.stderr.close()
        return EXIT_OK
    except KeyboardInterrupt:
        return 130
    return code


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
