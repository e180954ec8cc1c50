"""Corpus audits on Dask (``claimaudit.dask``) on a two-worker LocalCluster on loopback.

The findings must equal the single-process ones, with the documented schema, and the
compiled auditor must reach each worker once, not once per task.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

distributed = pytest.importorskip("distributed")
dd = pytest.importorskip("dask.dataframe")
pd = pytest.importorskip("pandas")

import claimaudit.dask as cdask  # noqa: E402
from claimaudit.cli import main  # noqa: E402
from claimaudit.corpus import FINDING_COLUMNS, audit_records, unpickled_count  # noqa: E402

pytestmark = pytest.mark.dask

ROOT = Path(__file__).resolve().parents[1]
REFERENCE = (ROOT / "data" / "documents" / "oxytocin-social-bonding.txt").read_text("utf-8")
HANDOUT = (ROOT / "examples" / "handout.md").read_text("utf-8")
SENTENCES = [
    "Oxytocin is the trust hormone.",
    "Calling oxytocin a love hormone is folklore, not science.",
    "Some studies suggest oxytocin may increase trust.",
    "Daily oxytocin sniffs have cured dozens of autistic children.",
    "Dubbed the hug hormone by lifestyle magazines, oxytocin climbs at family reunions.",
    "Is oxytocin really a love hormone?",
]
TEXTS = [*SENTENCES, HANDOUT, REFERENCE, "", *SENTENCES[::-1], HANDOUT]


@pytest.fixture(scope="module")
def client():  # type: ignore[no-untyped-def]
    cluster = distributed.LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        processes=True,
        host="127.0.0.1",
        dashboard_address=None,
    )
    c = distributed.Client(cluster)
    try:
        yield c
    finally:
        c.close()
        cluster.close()


@pytest.fixture(scope="module")
def auditor():  # type: ignore[no-untyped-def]
    from claimaudit.auditing.engine import default_auditor

    return default_auditor()


def _frame() -> pd.DataFrame:
    return pd.DataFrame({"id": [f"doc-{i:02d}" for i in range(len(TEXTS))], "text": TEXTS})


def _reference(auditor, records) -> pd.DataFrame:  # type: ignore[no-untyped-def]
    """What a single process finds, in the same schema."""
    return cdask.findings_frame(audit_records(auditor, [(d, t) for d, t in records if t]))


def _sorted(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.sort_values(["doc", "start", "end", "overclaim"]).reset_index(drop=True)


def test_schema_is_documented_and_stable() -> None:
    meta = cdask.FINDINGS_META
    assert list(meta.columns) == list(FINDING_COLUMNS)
    assert list(meta.columns) == [
        "doc", "start", "end", "line", "column", "category", "overclaim",
        "severity", "stance", "message", "sentence", "flagged",
    ]  # fmt: skip
    for col, kind in FINDING_COLUMNS.items():
        assert (str(meta[col].dtype) == "int64") == (kind == "int64")
        if kind == "string":
            assert isinstance(meta[col].dtype, pd.StringDtype)


def test_dataframe_findings_equal_single_process(client, auditor) -> None:  # type: ignore[no-untyped-def]
    frame = dd.from_pandas(_frame(), npartitions=4)
    result = cdask.audit_dataframe(frame, text="text", id="id")
    assert list(result.columns) == list(FINDING_COLUMNS)
    got = result.compute()
    want = _reference(auditor, zip(_frame()["id"], TEXTS, strict=True))
    assert len(want) > 10
    pd.testing.assert_frame_equal(_sorted(got), _sorted(want))
    pd.testing.assert_series_equal(got.dtypes, cdask.FINDINGS_META.dtypes)
    # and the same as calling the auditor directly, text by text
    direct = sorted(
        (f"doc-{i:02d}", f.start, f.end, f.overclaim, f.severity)
        for i, t in enumerate(TEXTS)
        for f in auditor.audit(t, path=f"doc-{i:02d}", format="text").findings
    )
    assert (
        sorted(
            got[["doc", "start", "end", "overclaim", "severity"]].itertuples(index=False, name=None)
        )
        == direct
    )


def test_auditor_is_shipped_once_per_worker_not_per_task(client) -> None:  # type: ignore[no-untyped-def]
    before = client.run(unpickled_count)
    frame = dd.from_pandas(_frame(), npartitions=8)
    cdask.audit_dataframe(frame, id="id").compute()
    after = client.run(unpickled_count)
    # 8 partition tasks, 2 workers: the auditor is one key of the graph, fetched per worker,
    # not per task. (On a fresh cluster distributed sometimes deserializes that key twice on
    # one worker - seen in about one run in four - so exactly one copy each is promised only
    # with client=, below.)
    shipped = {w: after[w] - before.get(w, 0) for w in after}
    assert all(n <= 2 for n in shipped.values()), shipped
    assert 1 <= sum(shipped.values()) < 8, shipped
    # the same with an explicit scatter to every worker
    before = after
    cdask.audit_dataframe(frame, id="id", client=client).compute()
    after = client.run(unpickled_count)
    assert all(after[w] - before.get(w, 0) == 1 for w in after)


def test_bag_of_markdown_files_and_parquet(client, auditor, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path / "corpus"
    (folder / "sub").mkdir(parents=True)
    records = []
    for i, text in enumerate(TEXTS):
        if not text:
            continue
        p = folder / ("sub" if i % 3 == 0 else "") / f"t{i:02d}.md"
        p.write_text(text, encoding="utf-8")
        records.append((str(p), text))
    bag = cdask.read_markdown(folder, npartitions=3)
    assert sorted(d for d, _ in bag.compute()) == sorted(d for d, _ in records)
    got = cdask.audit_files(folder, npartitions=3).compute()
    pd.testing.assert_frame_equal(_sorted(got), _sorted(_reference(auditor, records)))

    # bare texts in a bag
    import dask.bag as db

    plain = cdask.audit_bag(db.from_sequence(SENTENCES, npartitions=1)).compute()
    want = _reference(auditor, [(str(i), t) for i, t in enumerate(SENTENCES)])
    pd.testing.assert_frame_equal(_sorted(plain), _sorted(want))

    # a column of a Parquet dataset
    pq = tmp_path / "texts.parquet"
    _frame().to_parquet(pq, index=False)
    got = cdask.audit_parquet(pq, text="text", id="id").compute()
    want = _reference(auditor, zip(_frame()["id"], TEXTS, strict=True))
    pd.testing.assert_frame_equal(_sorted(got), _sorted(want))


def test_audit_corpus_cli_on_the_cluster_equals_in_process(client, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path / "c"
    folder.mkdir()
    for i, text in enumerate(TEXTS):
        if text:
            (folder / f"f{i:02d}.md").write_text(text, encoding="utf-8")
    local, remote = tmp_path / "local.jsonl", tmp_path / "remote.jsonl"
    assert main(["audit-corpus", str(folder), "-o", str(local), "--no-progress"]) == 0
    address = client.scheduler.address
    assert main(["audit-corpus", str(folder), "-o", str(remote), "--scheduler", address]) == 0
    a = sorted(local.read_text("utf-8").splitlines())
    b = sorted(remote.read_text("utf-8").splitlines())
    assert a == b and a
    assert all(json.loads(line)["doc"].startswith(str(folder)) for line in a)


def test_audit_corpus_reads_a_parquet_column(client, auditor, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    pq = tmp_path / "answers.parquet"
    _frame().to_parquet(pq, index=False)
    out = tmp_path / "p.jsonl"
    args = ["audit-corpus", str(pq), "--id-column", "id", "-o", str(out), "--no-progress"]
    assert main(args) == 0
    rows = [json.loads(line) for line in out.read_text("utf-8").splitlines()]
    want = _reference(auditor, zip(_frame()["id"], TEXTS, strict=True))
    assert sorted(tuple(r.values()) for r in rows) == sorted(
        want.astype(object).itertuples(index=False, name=None)
    )
    remote = tmp_path / "r.jsonl"
    address = client.scheduler.address
    assert main([*args[:-3], "-o", str(remote), "--scheduler", address, "--no-progress"]) == 0
    assert sorted(remote.read_text("utf-8").splitlines()) == sorted(
        out.read_text("utf-8").splitlines()
    )
    assert main([*args, "--text-column", "nope"]) == 2
