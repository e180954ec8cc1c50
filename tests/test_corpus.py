"""Corpus audits without Dask: chunked streaming, the JSON Lines output, interruption."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from claimaudit.cli import main
from claimaudit.corpus import (
    FINDING_COLUMNS,
    AuditorHandle,
    audit_document,
    audit_records,
    chunks,
    finding_row,
    iter_corpus,
)

ROOT = Path(__file__).resolve().parents[1]
REFERENCE = (ROOT / "data" / "documents" / "oxytocin-social-bonding.txt").read_text("utf-8")
HANDOUT = (ROOT / "examples" / "handout.md").read_text("utf-8")
EXTRA = (
    "Oxytocin is the love hormone. It makes people trust each other.\n\n"
    "```\nOxytocin is the trust hormone.\n\nstill inside the code block\n```\n\n"
    "The notion of oxytocin as a cuddle hormone is folklore rather than science."
)


@pytest.fixture(scope="module")
def auditor():  # type: ignore[no-untyped-def]
    from claimaudit.auditing.engine import default_auditor

    return default_auditor()


def _keyed(rows: list[dict[str, object]]) -> list[tuple[object, ...]]:
    return sorted(tuple(r[c] for c in FINDING_COLUMNS) for r in rows)


def test_chunked_audit_of_a_large_document_equals_the_whole(auditor) -> None:  # type: ignore[no-untyped-def]
    text = "\n\n".join([REFERENCE, HANDOUT, EXTRA] * 4)
    whole = [finding_row("big.md", f) for f in auditor.audit(text, path="big.md").findings]
    assert whole
    pieces = list(chunks(text, 4_000))
    assert len(pieces) > 5
    # every chunk starts at a paragraph, never inside the fenced block
    for ch in pieces:
        body = ch.text[ch.context :]
        assert text[ch.start : ch.start + len(body)] == body
        assert body.count("```") % 2 == 0
    parts = [
        r for batch in audit_document(auditor, "big.md", text, chunk_chars=4_000) for r in batch
    ]
    assert parts == whole
    lines = text.split("\n")
    for r in parts:
        assert text[r["start"] : r["end"]] == r["flagged"]
        assert lines[r["line"] - 1][r["column"] - 1 :].startswith(r["flagged"].split("\n")[0])


def test_small_documents_are_audited_whole(auditor) -> None:  # type: ignore[no-untyped-def]
    batches = list(audit_document(auditor, "h.md", HANDOUT))
    assert len(batches) == 1
    assert batches[0] == [
        finding_row("h.md", f) for f in auditor.audit(HANDOUT, path="h.md").findings
    ]


def test_auditor_handle_ships_without_the_knowledge_base(auditor) -> None:  # type: ignore[no-untyped-def]
    import pickle

    handle = AuditorHandle(auditor)
    assert handle.auditor.kb is None and auditor.kb is not None
    blob = pickle.dumps(handle)
    assert len(blob) < len(pickle.dumps(auditor))
    copy = pickle.loads(blob)
    records = [("a.md", HANDOUT), ("b.txt", EXTRA)]
    assert audit_records(copy, records) == audit_records(auditor, records)


def test_iter_corpus_walks_folders_in_order(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "x.md").write_text("x")
    (tmp_path / "a.txt").write_text("a")
    (tmp_path / ".hidden.md").write_text("h")
    (tmp_path / "image.png").write_bytes(b"\x89PNG")
    assert [p.relative_to(tmp_path).as_posix() for p in iter_corpus([tmp_path])] == [
        "a.txt",
        "b/x.md",
    ]


def _corpus(folder: Path, n: int, *, big: bool = False) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for i in range(n):
        p = folder / f"doc{i:04d}.md"
        text = HANDOUT if i % 2 else EXTRA
        # big: ~25 kB a file, so a faster engine still cannot finish before the signal
        p.write_text(f"{text}\n\n{REFERENCE}" if big else text, encoding="utf-8")
        out.append(p)
    return out


def test_audit_corpus_writes_json_lines(tmp_path: Path, auditor, capsys) -> None:  # type: ignore[no-untyped-def]
    files = _corpus(tmp_path / "corpus", 6)
    out = tmp_path / "findings.jsonl"
    code = main(["audit-corpus", str(tmp_path / "corpus"), "-o", str(out), "--no-progress"])
    assert code == 0
    rows = [json.loads(line) for line in out.read_text("utf-8").splitlines()]
    want = audit_records(auditor, [(str(p), p.read_text("utf-8")) for p in files])
    assert rows == want
    assert all(list(r) == list(FINDING_COLUMNS) for r in rows)
    assert "findings in 6 files" in capsys.readouterr().err


def test_audit_corpus_reports_bad_input_and_goes_on(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    _corpus(tmp_path / "c", 2)
    (tmp_path / "c" / "bad.md").write_bytes(b"Oxytocin \xff\xfe is the trust hormone.")
    out = tmp_path / "f.jsonl"
    code = main(
        ["audit-corpus", str(tmp_path / "c"), str(tmp_path / "missing.md"), "-o", str(out),
         "--no-progress", "--fail-on", "error"]
    )  # fmt: skip
    assert code == 2
    err = capsys.readouterr().err
    assert "missing.md" in err and "bad.md" in err
    docs = {json.loads(line)["doc"] for line in out.read_text("utf-8").splitlines()}
    assert docs == {str(tmp_path / "c" / "doc0000.md"), str(tmp_path / "c" / "doc0001.md")}


def test_fail_on(tmp_path: Path) -> None:
    _corpus(tmp_path / "c", 2)
    args = ["audit-corpus", str(tmp_path / "c"), "-o", str(tmp_path / "f.jsonl"), "--no-progress"]
    assert main(args) == 0
    assert main([*args, "--fail-on", "warning"]) == 1


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGKILL])
def test_an_interrupted_run_keeps_complete_lines(tmp_path: Path, sig: int, auditor) -> None:  # type: ignore[no-untyped-def]
    files = _corpus(tmp_path / "corpus", 400, big=True)
    out = tmp_path / "findings.jsonl"
    proc = subprocess.Popen(
        [sys.executable, "-m", "claimaudit", "audit-corpus", str(tmp_path / "corpus"),
         "-o", str(out), "--workers", "0"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )  # fmt: skip
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if out.exists() and out.stat().st_size > 2_000:
            break
        time.sleep(0.05)
    proc.send_signal(sig)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode != 0, "the run finished before it could be interrupted"
    if sig == signal.SIGINT:
        assert proc.returncode == 130
        assert b"interrupted" in err
    text = out.read_text("utf-8")
    assert text.endswith("\n")
    rows = [json.loads(line) for line in text.splitlines()]  # every line is complete
    assert rows
    done = sorted({r["doc"] for r in rows})
    # files are audited in order and each file's findings are written together
    assert done == [str(p) for p in files[: len(done)]]
    assert len(done) < len(files)
    want = audit_records(auditor, [(str(p), p.read_text("utf-8")) for p in files[: len(done)]])
    assert rows == want


def test_import_claimaudit_does_not_import_dask() -> None:
    code = (
        "import sys, claimaudit; claimaudit.audit('Oxytocin is the trust hormone.'); "
        "import claimaudit.corpus, claimaudit.corpus_cli, claimaudit.cli; "
        "claimaudit.cli.build_parser(); "
        "bad = [m for m in ('dask', 'distributed', 'pyarrow', 'tqdm') if m in sys.modules]; "
        "print(bad); sys.exit(1 if bad else 0)"
    )
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert res.returncode == 0, res.stdout + res.stderr


def test_a_worker_with_another_build_refuses_the_auditor(auditor) -> None:  # type: ignore[no-untyped-def]
    import pickle

    handle = AuditorHandle(auditor)
    state = handle.__getstate__()
    assert state["code"]
    clone = AuditorHandle.__new__(AuditorHandle)
    with pytest.raises(RuntimeError, match="different build"):
        clone.__setstate__({**state, "code": "0" * 12})
    assert pickle.loads(pickle.dumps(handle)).auditor is not None
