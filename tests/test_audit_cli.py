"""The `claimaudit audit` command: formats, exit codes, config, bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from claimaudit.cli import main

BAD = "Oxytocin is the trust hormone.\n"
WARN = 'Oxytocin gets the nickname "cuddle hormone" from radio hosts.\n'
CLEAN = "Oxytocin is made in the hypothalamus.\n"


@pytest.fixture
def files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "bad.md").write_text(BAD, encoding="utf-8")
    (tmp_path / "warn.txt").write_text(WARN, encoding="utf-8")
    (tmp_path / "clean.txt").write_text(CLEAN, encoding="utf-8")
    (tmp_path / "latin1.txt").write_bytes("caf\xe9 oxytocin\n".encode("latin-1"))
    (tmp_path / "sub").mkdir()
    return tmp_path


def test_exit_codes(files: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["audit", "clean.txt"]) == 0
    assert main(["audit", "bad.md"]) == 1
    assert main(["audit", "warn.txt"]) == 0
    assert main(["audit", "warn.txt", "--fail-on", "warning"]) == 1
    assert main(["audit", "bad.md", "--fail-on", "never"]) == 0
    out = capsys.readouterr().out
    assert "bad.md:1:17: error [trust-hormone-label]" in out


@pytest.mark.parametrize(
    ("path", "problem"),
    [("missing.txt", "no such file"), ("sub", "is a directory"), ("latin1.txt", "not valid UTF-8")],
)
def test_bad_input_is_reported_and_others_still_audited(
    files: Path, capsys: pytest.CaptureFixture[str], path: str, problem: str
) -> None:
    assert main(["audit", path, "bad.md"]) == 2
    cap = capsys.readouterr()
    errors = cap.err.strip().splitlines()
    assert len(errors) == 1 and path in errors[0] and problem in errors[0]
    assert "bad.md:1:17" in cap.out


def test_unknown_rule_id_is_a_usage_error(files: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["audit", "bad.md", "--select", "nope"]) == 2
    assert "nope" in capsys.readouterr().err


def test_select_ignore(files: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["audit", "bad.md", "--ignore", "hormone-label"]) == 0
    assert main(["audit", "bad.md", "--select", "trust-hormone-label"]) == 1
    capsys.readouterr()


def test_json_and_sarif(files: Path, capsys: pytest.CaptureFixture[str]) -> None:
    main(["audit", "bad.md", "clean.txt", "--format", "json"])
    data = json.loads(capsys.readouterr().out)
    assert data["schema"] == "claimaudit.report/1"
    assert [f["path"] for f in data["files"]] == ["bad.md", "clean.txt"]
    main(["audit", "bad.md", "--format", "sarif"])
    log = json.loads(capsys.readouterr().out)
    assert log["runs"][0]["results"][0]["ruleId"] == "trust-hormone-label"


def test_github_format(files: Path, capsys: pytest.CaptureFixture[str]) -> None:
    main(["audit", "bad.md", "--format", "github"])
    assert capsys.readouterr().out.startswith("::error file=bad.md,line=1,col=17,")


def test_stdin(
    files: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import io

    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(BAD.encode())))
    assert main(["audit", "-", "--stdin-filename", "pasted.txt"]) == 1
    assert "pasted.txt:1:17" in capsys.readouterr().out


def test_pyproject_config(files: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (files / "pyproject.toml").write_text(
        '[tool.claimaudit]\nfail-on = "warning"\nignore = ["trust-hormone-label"]\n',
        encoding="utf-8",
    )
    assert main(["audit", "bad.md"]) == 0  # ignored by config
    assert main(["audit", "warn.txt"]) == 1  # fail-on warning from config
    assert main(["audit", "warn.txt", "--no-config"]) == 0
    capsys.readouterr()


def test_catalog_option(files: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (files / "broken.yaml").write_text("- id: X\n", encoding="utf-8")
    assert main(["audit", "bad.md", "--catalog", "broken.yaml"]) == 2
    assert "broken.yaml" in capsys.readouterr().err
