"""Large files are audited as they are read: same findings as a whole-file audit."""

from __future__ import annotations

import io
import json
import random
from pathlib import Path

from claimaudit.auditing.engine import default_auditor
from claimaudit.corpus import audit_document, audit_stream, stream_chunks

SENTENCES = [
    "Oxytocin is the trust hormone.",
    "Some studies suggest oxytocin may increase trust.",
    "Calling oxytocin the cuddle hormone is folklore, not science.",
    "Oxytocin is made in the hypothalamus.",
    "It makes people fall in love.",
    "The weather was fine and nobody mentioned hormones.",
]
BLOCKS = [
    "```\noxytocin is the love hormone\n\nstill code\n```",
    "<!-- a comment\n\nthat spans a blank line: oxytocin is the cuddle hormone -->",
]


def _text(n: int, seed: int = 3, newline: str = "\n") -> str:
    rng = random.Random(seed)
    paras = [
        rng.choice(BLOCKS)
        if rng.random() < 0.1
        else " ".join(rng.choice(SENTENCES) for _ in range(rng.randint(1, 3)))
        for _ in range(n)
    ]
    return (newline * 2).join(p.replace("\n", newline) for p in paras) + newline


def test_streamed_findings_equal_whole_text_findings() -> None:
    auditor = default_auditor()
    for newline in ("\n", "\r\n"):
        text = _text(1500, newline=newline)
        whole = [
            r
            for rows in audit_document(auditor, "d", text, path="d.md", chunk_chars=10**9)
            for r in rows
        ]
        streamed = [
            r
            for rows, _ in audit_stream(
                auditor, "d", io.StringIO(text, newline=""), path="d.md", chunk_chars=8_000
            )
            for r in rows
        ]
        assert whole and streamed == whole
        for r in streamed:
            assert text[r["start"] : r["end"]] == r["flagged"]


def test_stream_chunks_cover_the_text_and_never_cut_code_or_comments() -> None:
    text = _text(800)
    chunks = list(stream_chunks(io.StringIO(text, newline=""), 3_000))
    assert len(chunks) > 5
    assert "".join(c.text[c.context :] for c in chunks) == text
    for c in chunks:
        body = c.text[c.context :]
        assert body.count("```") % 2 == 0
        assert body.count("<!--") == body.count("-->")
        # the context is the text right before the batch
        assert text[c.start - c.context : c.start] == c.text[: c.context]


def test_audit_corpus_streams_a_large_file(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    from claimaudit.cli import main

    big = tmp_path / "big.md"
    text = _text(4000)
    big.write_text(text, encoding="utf-8")
    out = tmp_path / "findings.jsonl"
    code = main(
        [
            "audit-corpus",
            str(big),
            "--workers",
            "0",
            "-o",
            str(out),
            "--no-progress",
            "--chunk-bytes",
            "20000",
        ]
    )
    assert code in (0, 1)
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    whole = [
        r
        for rows in audit_document(
            default_auditor(), str(big), text, path=str(big), chunk_chars=10**9
        )
        for r in rows
    ]
    assert [(r["start"], r["overclaim"]) for r in rows] == [
        (r["start"], r["overclaim"]) for r in whole
    ]


def test_large_text_audit_equals_one_piece_audit(tmp_path: Path) -> None:
    from claimaudit.corpus import audit_large

    auditor = default_auditor()
    text = "<!-- claimaudit: disable=trust-hormone-label -->\n\n" + _text(1500)
    one = auditor.audit(text, path="d.md")
    chunked = audit_large(auditor, text, path="d.md", chunk_chars=5_000)
    assert [f.to_dict() for f in chunked.findings] == [f.to_dict() for f in one.findings]
    assert chunked.suppressed == one.suppressed > 0
    for f in chunked.findings:
        assert text[f.start : f.end] == f.flagged
        assert text[f.sentence_start : f.sentence_end] == f.sentence or f.sentence
