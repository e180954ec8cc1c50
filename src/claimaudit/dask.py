"""Corpus audits on Dask: a DataFrame column, a Bag of texts, Markdown folders, Parquet.

An optional extra: ``pip install 'claimaudit[dask]'`` (``import claimaudit`` never imports
Dask). Every function returns findings as a lazy ``dask.dataframe.DataFrame`` with the
stable schema :data:`FINDINGS_META` — one row per finding::

    doc        string  the document's id (or path)
    start,end  int64   character offsets into that document: text[start:end] == flagged
    line,column int64  1-based position of start (column in characters)
    category   string  overclaim category (hormone-label, trust-effect, …)
    overclaim  string  catalog entry id (the rule)
    severity   string  error | warning | info
    stance     string  asserted | attributed | hedged | …
    message    string  what is wrong
    sentence   string  the sentence that holds the finding
    flagged    string  the flagged words

Shipping the knowledge base: the :class:`~claimaudit.auditing.engine.Auditor` is compiled
once on the client and shipped to each worker, not with every task. Following
Dask's advice ("Avoid repeatedly putting large inputs into delayed calls": wrap the large
object with ``dask.delayed`` once and pass that to every call,
https://docs.dask.org/en/stable/delayed-best-practices.html), the auditor is one key of the
graph that every partition task depends on; a worker fetches it the first time it needs it
and keeps it in memory for the rest (on a fresh cluster distributed occasionally
deserializes it twice on one worker). With a ``distributed.Client`` you may instead pass
``client=`` and the auditor is sent with ``client.scatter(handle, broadcast=True)`` (one copy
per worker, https://distributed.dask.org/en/stable/api.html#distributed.Client.scatter). The
shipped copy (:class:`~claimaudit.corpus.AuditorHandle`) leaves the knowledge base behind:
the compiled auditor already holds the evidence it reports.

Scaling out is a matter of the client: ``distributed.Client("tcp://scheduler:8786")`` makes
every function here run on that cluster (the workers need ``claimaudit`` installed).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import dask
import dask.bag as db
import dask.dataframe as dd
import pandas as pd

from claimaudit.corpus import (
    CORPUS_SUFFIXES,
    DEFAULT_CHUNK_BYTES,
    FINDING_COLUMNS,
    AuditorHandle,
    audit_records,
    iter_corpus,
    make_auditor,
)

if TYPE_CHECKING:
    from claimaudit.auditing.engine import Auditor
    from claimaudit.kb import KnowledgeBase

__all__ = [
    "FINDINGS_META",
    "audit_bag",
    "audit_dataframe",
    "audit_files",
    "audit_parquet",
    "findings_frame",
    "read_markdown",
    "read_parquet_texts",
    "ship_auditor",
]


def _dtype(name: str) -> Any:
    return pd.StringDtype("pyarrow") if name == "string" else name


def findings_frame(rows: Iterable[dict[str, Any]] = ()) -> pd.DataFrame:
    """A pandas DataFrame of finding rows with exactly the schema of :data:`FINDINGS_META`."""
    rows = list(rows)
    frame = pd.DataFrame(rows, columns=list(FINDING_COLUMNS))
    return frame.astype({k: _dtype(v) for k, v in FINDING_COLUMNS.items()})


FINDINGS_META: pd.DataFrame = findings_frame()
"""An empty frame with the findings schema: the ``meta`` of every frame returned here."""


def ship_auditor(
    auditor: Auditor | None = None,
    *,
    kb: KnowledgeBase | None = None,
    client: Any = None,
) -> Any:
    """The auditor as something to pass to many tasks, shipped to workers only once.

    With ``client`` (a ``distributed.Client``): a future from
    ``client.scatter(handle, broadcast=True)``, one copy on every worker. Otherwise a
    ``dask.delayed`` wrapping the handle: one key of the graph, fetched by each worker that
    needs it rather than sent with each task (distributed may deserialize it a second time on
    a worker of a fresh cluster; pass ``client`` for exactly one copy per worker).
    """
    handle = AuditorHandle(make_auditor(kb, auditor))
    if client is not None:
        # a Future passed as an argument: each task uses the copy already on its worker
        return client.scatter(handle, broadcast=True, hash=False)
    return dask.delayed(handle, name="claimaudit-auditor-" + dask.base.tokenize(id(handle)))  # type: ignore[attr-defined]


def _audit_partition(
    part: pd.DataFrame,
    handle: AuditorHandle,
    text_column: str,
    id_column: str | None,
    chunk_chars: int,
) -> pd.DataFrame:
    texts = part[text_column]
    ids = part.index if id_column is None else part[id_column]
    records = (
        (str(doc), text)
        for doc, text in zip(ids, texts, strict=True)
        if isinstance(text, str) and text
    )
    return findings_frame(audit_records(handle, records, chunk_chars=chunk_chars))


def audit_dataframe(
    frame: dd.DataFrame,
    *,
    text: str = "text",
    id: str | None = None,
    auditor: Auditor | None = None,
    kb: KnowledgeBase | None = None,
    client: Any = None,
    chunk_chars: int = DEFAULT_CHUNK_BYTES,
) -> dd.DataFrame:
    """Audit column ``text`` of a Dask DataFrame; findings as a Dask DataFrame.

    ``id`` names the column with each document's id (the index when not given). Missing
    and empty texts are skipped. The result has one partition per input partition.
    """
    if text not in frame.columns:
        raise KeyError(f"no column {text!r}; columns are {list(frame.columns)}")
    if id is not None and id not in frame.columns:
        raise KeyError(f"no column {id!r}; columns are {list(frame.columns)}")
    shipped = ship_auditor(auditor, kb=kb, client=client)
    return frame.map_partitions(  # type: ignore[no-any-return, no-untyped-call]
        _audit_partition,
        shipped,
        text,
        id,
        chunk_chars,
        meta=FINDINGS_META,
        enforce_metadata=False,
        align_dataframes=False,
    )


def _audit_bag_partition(
    items: Iterable[Any], handle: AuditorHandle, chunk_chars: int
) -> list[dict[str, Any]]:
    records = []
    for n, item in enumerate(items):
        if isinstance(item, str):
            records.append((str(n), item))
        else:
            doc, body = item
            records.append((str(doc), body))
    return audit_records(handle, records, chunk_chars=chunk_chars)


def audit_bag(
    bag: db.Bag,
    *,
    auditor: Auditor | None = None,
    kb: KnowledgeBase | None = None,
    client: Any = None,
    chunk_chars: int = DEFAULT_CHUNK_BYTES,
) -> dd.DataFrame:
    """Audit a Dask Bag of ``(doc_id, text)`` pairs (or of bare texts); findings as a frame.

    A bare text gets its position in its partition as id, so give ids when they matter
    (:func:`read_markdown` does: the path of each file).
    """
    shipped = ship_auditor(auditor, kb=kb, client=client)
    rows = bag.map_partitions(_audit_bag_partition, shipped, chunk_chars)  # type: ignore[no-untyped-call]
    return rows.to_dataframe(meta=FINDINGS_META)  # type: ignore[no-any-return]


def _read_text(path: str) -> tuple[str, str]:
    return path, Path(path).read_text(encoding="utf-8", errors="replace")


def read_markdown(
    paths: str | Path | Sequence[str | Path],
    *,
    suffixes: Sequence[str] = CORPUS_SUFFIXES,
    npartitions: int | None = None,
) -> db.Bag:
    """A Bag of ``(path, text)`` for Markdown and text files (folders are walked, sorted).

    Files are read on the workers, so they must see the same paths (a shared filesystem
    on a real cluster; ``claimaudit audit-corpus`` instead reads on the client and sends
    the text). Undecodable bytes are replaced, not fatal.
    """
    if isinstance(paths, str | Path):
        paths = [paths]
    files = [str(p) for p in iter_corpus(paths, suffixes)]
    if not files:
        return db.from_sequence([], npartitions=1)  # type: ignore[no-any-return, no-untyped-call]
    npartitions = npartitions or min(len(files), max(2, len(files) // 4), 256)
    return db.from_sequence(files, npartitions=npartitions).map(_read_text)  # type: ignore[no-any-return, no-untyped-call]


def audit_files(
    paths: str | Path | Sequence[str | Path],
    *,
    auditor: Auditor | None = None,
    kb: KnowledgeBase | None = None,
    client: Any = None,
    npartitions: int | None = None,
) -> dd.DataFrame:
    """Audit a folder (or list) of Markdown and text files; findings with ``doc`` = path."""
    return audit_bag(
        read_markdown(paths, npartitions=npartitions), auditor=auditor, kb=kb, client=client
    )


def read_parquet_texts(
    path: str | Path, *, text: str = "text", id: str | None = None, **kwargs: Any
) -> dd.DataFrame:
    """The ``text`` (and ``id``) column of a Parquet dataset, as a Dask DataFrame."""
    columns = [text] if id is None else [id, text]
    return dd.read_parquet(str(path), columns=columns, **kwargs)  # type: ignore[no-any-return]


def audit_parquet(
    path: str | Path,
    *,
    text: str = "text",
    id: str | None = None,
    auditor: Auditor | None = None,
    kb: KnowledgeBase | None = None,
    client: Any = None,
    **kwargs: Any,
) -> dd.DataFrame:
    """Audit column ``text`` of a Parquet dataset; findings as a Dask DataFrame."""
    frame = read_parquet_texts(path, text=text, id=id, **kwargs)
    return audit_dataframe(frame, text=text, id=id, auditor=auditor, kb=kb, client=client)
