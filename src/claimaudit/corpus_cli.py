"""``claimaudit audit-corpus PATH…``: audit a corpus, streaming JSON Lines findings.

Files and folders (walked for Markdown and text files) are audited one by one; each file's
findings are written as JSON Lines (schema :data:`claimaudit.corpus.FINDING_COLUMNS`) and
flushed as soon as the file (or, for a large file, each batch of paragraphs) is done, so an
interrupted run keeps every complete line it wrote. A progress bar (tqdm) on stderr counts
the bytes audited.

* ``--workers 0`` (the default): in this process.
* ``--workers N``: on a ``distributed.LocalCluster`` of N single-threaded worker processes.
* ``--scheduler tcp://host:8786``: on an existing Dask cluster (workers need claimaudit).

With Dask, files are read here and sent to the workers in batches (a few in flight per
worker), and the compiled auditor is scattered once to every worker
(``client.scatter(..., broadcast=True)``); results are written as batches complete.

Exit codes: 0 done, 1 findings at or above ``--fail-on``, 2 usage or input error (the
other files are still audited), 130 interrupted.
"""

from __future__ import annotations

import argparse
import contextlib
import itertools
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from claimaudit.corpus import (
    DEFAULT_CHUNK_BYTES,
    AuditorHandle,
    audit_document,
    audit_records,
    audit_stream,
)

__all__ = ["register", "run"]

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130
_RANK = {"info": 0, "warning": 1, "error": 2}
BATCH_BYTES = 256_000


def register(subparsers: Any) -> None:
    """Add the ``audit-corpus`` subcommand to the ``claimaudit`` argument parser."""
    p = subparsers.add_parser(
        "audit-corpus",
        help="audit a corpus of files (in-process or on Dask), streaming JSON Lines findings",
        description="Audit files and folders of Markdown and text for overclaims, writing "
        "JSON Lines findings as it goes. Runs in this process, on a local Dask cluster "
        "(--workers N) or on a remote one (--scheduler tcp://host:8786).",
    )
    p.add_argument(
        "paths",
        nargs="+",
        metavar="PATH",
        help="files, folders (walked for .md/.txt files) or Parquet datasets (.parquet)",
    )
    p.add_argument(
        "--workers",
        type=int,
        default=0,
        metavar="N",
        help="0: audit in this process (default); N: start a local Dask cluster of N workers",
    )
    p.add_argument(
        "--scheduler",
        default=None,
        metavar="ADDRESS",
        help="address of a running Dask scheduler, e.g. tcp://host:8786",
    )
    p.add_argument(
        "--output", "-o", default="-", metavar="FILE", help="JSON Lines findings (default: stdout)"
    )
    p.add_argument("--data", default=None, metavar="DIR", help="knowledge base folder to use")
    p.add_argument(
        "--min-severity",
        choices=["info", "warning", "error"],
        default=None,
        help="lowest severity written (default: warning)",
    )
    p.add_argument(
        "--fail-on",
        choices=["error", "warning", "info", "never"],
        default="never",
        help="exit 1 when a finding is at least this severe (default: never)",
    )
    p.add_argument(
        "--chunk-bytes",
        type=int,
        default=DEFAULT_CHUNK_BYTES,
        metavar="N",
        help="audit files larger than this paragraph batch by paragraph batch",
    )
    p.add_argument(
        "--text-column",
        default="text",
        metavar="NAME",
        help="Parquet inputs (PATH ending in .parquet): the column of texts (default: text)",
    )
    p.add_argument(
        "--id-column",
        default=None,
        metavar="NAME",
        help="Parquet inputs: the column of document ids (default: PATH#row)",
    )
    p.add_argument("--no-progress", action="store_true", help="no progress bar")
    p.set_defaults(handler=run)


class _Sink:
    """JSON Lines output: every batch written whole, then flushed (and fsynced for files)."""

    def __init__(self, target: str) -> None:
        self.path = None if target == "-" else Path(target)
        self.fh: IO[str] = (
            sys.stdout
            if self.path is None
            else open(self.path, "w", encoding="utf-8", newline="\n")  # noqa: SIM115
        )
        self.count = 0
        self.worst = -1

    def write(self, rows: list[dict[str, Any]]) -> None:
        if not rows:
            return
        self.fh.write("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows))
        self.fh.flush()
        self.count += len(rows)
        self.worst = max(self.worst, *(_RANK.get(r["severity"], 0) for r in rows))

    def close(self) -> None:
        if self.path is not None:
            self.fh.close()


class _NoBar:
    def update(self, n: int) -> None:
        pass

    def close(self) -> None:
        pass


def _progress(total: int | None, disable: bool) -> Any:
    if disable:
        return _NoBar()
    try:
        from tqdm import tqdm
    except ImportError:
        print(
            "claimaudit audit-corpus: no progress bar (pip install 'claimaudit[progress]')",
            file=sys.stderr,
        )
        return _NoBar()
    return tqdm(
        total=total,
        unit="B",
        unit_scale=True,
        unit_divisor=1024,
        desc="auditing",
        disable=disable,
        file=sys.stderr,
        dynamic_ncols=True,
    )


def _files(paths: list[str]) -> tuple[list[Path], list[str]]:
    from claimaudit.corpus import iter_corpus

    files: list[Path] = []
    errors: list[str] = []
    for p in iter_corpus(paths):
        if not p.exists():
            errors.append(f"{p}: no such file or folder")
        elif not p.is_file():
            errors.append(f"{p}: not a regular file")
        else:
            files.append(p)
    return files, errors


def _is_table(path: str) -> bool:
    return path.lower().rstrip("/").endswith((".parquet", ".pq"))


def _table_units(
    path: str, text: str, id_column: str | None, rows: int = 256
) -> Iterator[tuple[list[tuple[str, str]], int]]:
    """``(doc, text)`` batches of ``rows`` rows of a Parquet dataset (file or folder)."""
    import pyarrow.dataset as ds  # type: ignore[import-untyped]

    data = ds.dataset(path, format="parquet")
    columns = [text] if id_column is None else [id_column, text]
    n = 0
    for batch in data.to_batches(columns=columns, batch_size=rows):
        texts = batch.column(text).to_pylist()
        ids = (
            batch.column(id_column).to_pylist()
            if id_column is not None
            else [f"{path}#{i}" for i in range(n, n + len(texts))]
        )
        n += len(texts)
        records = [(str(d), t) for d, t in zip(ids, texts, strict=True) if isinstance(t, str) and t]
        yield records, sum(len(t.encode("utf-8")) for _, t in records)


def _units(args: Any, errors: list[str]) -> Iterator[tuple[list[tuple[str, str]], int]]:
    """Every Parquet input as record batches; a bad table is reported and skipped."""
    for path in args.tables:
        try:
            yield from _table_units(path, args.text_column, args.id_column)
        except Exception as exc:  # pyarrow's errors: missing file or column, bad data
            if isinstance(exc, ImportError):
                raise
            errors.append(_report(Path(path), exc))


def _read(path: Path) -> str:
    return path.read_bytes().decode("utf-8").removeprefix("\ufeff")


def run(args: argparse.Namespace) -> int:
    """Run ``audit-corpus``; returns the exit code."""
    from claimaudit.auditing.engine import Auditor
    from claimaudit.errors import ClaimAuditError

    if args.workers < 0:
        print("claimaudit audit-corpus: --workers must be 0 or more", file=sys.stderr)
        return EXIT_USAGE
    args.tables = [p for p in args.paths if _is_table(p)]
    files, errors = _files([p for p in args.paths if not _is_table(p)])
    for e in errors:
        print(f"claimaudit audit-corpus: {e}", file=sys.stderr)
    try:
        kb = None
        if args.data:
            from claimaudit.kb import load

            kb = load(args.data)
        auditor = Auditor(kb, min_severity=args.min_severity or "warning")
    except ClaimAuditError as exc:
        print(f"claimaudit audit-corpus: {exc}", file=sys.stderr)
        return EXIT_USAGE
    try:
        sink = _Sink(args.output)
    except OSError as exc:
        print(f"claimaudit audit-corpus: cannot write {args.output}: {exc}", file=sys.stderr)
        return EXIT_USAGE
    # Parquet inputs: the text's size is known only once read, so no percentage then
    total = None if args.tables else sum(f.stat().st_size for f in files)
    bar = _progress(total, args.no_progress)
    interrupted = False
    try:
        if args.workers == 0 and not args.scheduler:
            errors += _run_local(files, auditor, sink, bar, args.chunk_bytes)
            table_errors: list[str] = []
            for records, size in _units(args, table_errors):
                sink.write(audit_records(auditor, records, chunk_chars=args.chunk_bytes))
                bar.update(size)
            errors += table_errors
        else:
            errors += _run_dask(files, auditor, sink, bar, args)
    except KeyboardInterrupt:
        interrupted = True
    except ImportError as exc:
        print(
            f"claimaudit audit-corpus: Dask is not installed ({exc.name}); "
            "pip install 'claimaudit[dask]', or use --workers 0",
            file=sys.stderr,
        )
        return EXIT_USAGE
    finally:
        bar.close()
        sink.close()
    where = "stdout" if args.output == "-" else args.output
    print(
        f"claimaudit audit-corpus: {sink.count} findings in {len(files)} files"
        + (f" and {len(args.tables)} Parquet inputs" if args.tables else "")
        + f" -> {where}"
        + (" (interrupted: the lines written are complete)" if interrupted else ""),
        file=sys.stderr,
    )
    if interrupted:
        return EXIT_INTERRUPTED
    if errors:
        return EXIT_USAGE
    if args.fail_on != "never" and sink.worst >= _RANK[args.fail_on]:
        return EXIT_FINDINGS
    return EXIT_OK


def _run_local(files: list[Path], auditor: Any, sink: _Sink, bar: Any, chunk: int) -> list[str]:
    errors: list[str] = []
    for path in files:
        size = path.stat().st_size
        if size > chunk:
            errors += _stream_file(path, auditor, sink, bar, chunk, size)
            continue
        try:
            text = _read(path)
        except (OSError, UnicodeDecodeError) as exc:
            errors.append(_report(path, exc))
            bar.update(size)
            continue
        done = 0
        doc = str(path)
        for rows in audit_document(auditor, doc, text, path=doc, chunk_chars=chunk):
            sink.write(rows)
            # progress by the bytes of the batch just audited
            step = size if len(text) <= chunk else min(size - done, size * chunk // len(text))
            done += step
            bar.update(step)
        bar.update(size - done)
    return errors


def _stream_file(
    path: Path, auditor: Any, sink: _Sink, bar: Any, chunk: int, size: int
) -> list[str]:
    """Audit a large file batch by batch as it is read: memory does not grow with the file."""
    doc = str(path)
    done = 0
    try:
        with open(path, encoding="utf-8-sig", newline="") as fh:
            for rows, chars in audit_stream(auditor, doc, fh, path=doc, chunk_chars=chunk):
                sink.write(rows)
                step = min(size - done, chars)  # characters ~ bytes for progress
                done += step
                bar.update(step)
    except (OSError, UnicodeDecodeError) as exc:
        bar.update(size - done)
        return [_report(path, exc)]
    bar.update(size - done)
    return []


def _report(path: Path, exc: Exception) -> str:
    first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
    msg = f"{path}: cannot read: {first}"
    print(f"claimaudit audit-corpus: {msg}", file=sys.stderr)
    return msg


def _batches(
    files: list[Path], errors: list[str], target: int = BATCH_BYTES
) -> Iterator[tuple[list[tuple[str, str]], int]]:
    """``(doc, text)`` batches of about ``target`` bytes, with their size in bytes."""
    batch: list[tuple[str, str]] = []
    size = 0
    for path in files:
        n = path.stat().st_size
        try:
            text = _read(path)
        except (OSError, UnicodeDecodeError) as exc:
            errors.append(_report(path, exc))
            continue
        batch.append((str(path), text))
        size += n
        if size >= target:
            yield batch, size
            batch, size = [], 0
    if batch:
        yield batch, size


def _run_dask(files: list[Path], auditor: Any, sink: _Sink, bar: Any, args: Any) -> list[str]:
    from distributed import Client, LocalCluster, as_completed

    errors: list[str] = []
    with contextlib.ExitStack() as stack:
        if args.scheduler:
            client = stack.enter_context(Client(args.scheduler))  # type: ignore[no-untyped-call]
        else:
            cluster = stack.enter_context(
                LocalCluster(  # type: ignore[no-untyped-call]
                    n_workers=args.workers,
                    threads_per_worker=1,
                    processes=True,
                    dashboard_address=None,
                )
            )
            client = stack.enter_context(Client(cluster))  # type: ignore[no-untyped-call]
        # the compiled auditor, once per worker (not with every task)
        handle = client.scatter(AuditorHandle(auditor), broadcast=True, hash=False)
        n_workers = max(1, len(client.scheduler_info().get("workers", {})))
        window = 2 * n_workers  # batches in flight: bounded memory, workers kept busy
        # batches small enough that every worker gets several (progress, balance)
        total = sum(f.stat().st_size for f in files)
        target = max(16_000, min(BATCH_BYTES, total // (8 * n_workers) or 1))
        batches = itertools.chain(_batches(files, errors, target), _units(args, errors))
        sizes: dict[str, int] = {}
        pending = as_completed()  # type: ignore[no-untyped-call]
        for _ in range(window):
            nxt = next(batches, None)
            if nxt is None:
                break
            fut = client.submit(
                audit_records, handle, nxt[0], chunk_chars=args.chunk_bytes, pure=False
            )
            sizes[fut.key] = nxt[1]
            pending.add(fut)  # type: ignore[no-untyped-call]
        for fut in pending:
            sink.write(fut.result())
            bar.update(sizes.pop(fut.key, 0))
            nxt = next(batches, None)
            if nxt is not None:
                new = client.submit(
                    audit_records, handle, nxt[0], chunk_chars=args.chunk_bytes, pure=False
                )
                sizes[new.key] = nxt[1]
                pending.add(new)  # type: ignore[no-untyped-call]
    return errors
