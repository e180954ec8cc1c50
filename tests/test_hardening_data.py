"""Bad data files give one clear error naming file, line and problem; saves never lose data."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from claimaudit.errors import DataError
from claimaudit.kb import load
from claimaudit.storage import atomic_write_many, load_yaml

CLAIM = {
    "id": "d/s/1",
    "document": "oxytocin",
    "text": "A statement.",
    "section": "S",
    "paragraph": 0,
    "position": 1,
    "span": {"start": 0, "end": 12},
    "kind": "assertion",
}


def _claims_file(data: Path, lines: list[str], *, raw: bytes | None = None) -> Path:
    path = data / "claims.jsonl"
    path.write_bytes(raw if raw is not None else ("\n".join(lines) + "\n").encode("utf-8"))
    return path


def _problems(data: Path) -> list[str]:
    with pytest.raises(DataError) as info:
        load(data)
    return [str(p) for p in info.value.problems]


def _claim(**changes: object) -> str:
    return json.dumps({**CLAIM, **changes})


def test_malformed_json_lines_are_all_reported_with_their_line(data_copy: Path) -> None:
    path = _claims_file(data_copy, [_claim(id="d/s/1"), "{not json", _claim(id="d/s/3"), "[1, 2"])
    problems = _problems(data_copy)
    assert any(p.startswith(f"{path}:2: invalid JSON") for p in problems), problems
    assert any(p.startswith(f"{path}:4: invalid JSON") and "truncated" in p for p in problems)
    assert len(problems) == 2


def test_truncated_last_line(data_copy: Path) -> None:
    whole = _claim(id="d/s/2")
    path = _claims_file(data_copy, [_claim(), whole[: len(whole) // 2]])
    [problem] = _problems(data_copy)
    assert problem.startswith(f"{path}:2:") and "truncated line?" in problem


def test_wrong_enum_and_missing_field(data_copy: Path) -> None:
    path = _claims_file(
        data_copy,
        [_claim(maturity="proven"), json.dumps({k: v for k, v in CLAIM.items() if k != "text"})],
    )
    problems = _problems(data_copy)
    assert any(p.startswith(f"{path}:1:") and "proven" in p for p in problems), problems
    assert any(
        p.startswith(f"{path}:2:") and "text" in p and "Field required" in p for p in problems
    )


def test_unknown_kind_is_named(data_copy: Path) -> None:
    path = _claims_file(data_copy, [_claim(kind="rumour")])
    [problem] = _problems(data_copy)
    assert problem.startswith(f"{path}:1:") and "rumour" in problem


def test_duplicate_ids_and_unknown_sources(data_copy: Path) -> None:
    path = _claims_file(
        data_copy,
        [_claim(), _claim(), _claim(id="d/s/3", citations=["nobody-1999"])],
    )
    problems = _problems(data_copy)
    assert f"{path}:2: duplicate claim id 'd/s/1' (first on line 1)" in problems
    assert any(p.startswith(f"{path}:3:") and "nobody-1999" in p for p in problems)


def test_unknown_overclaim_link(data_copy: Path) -> None:
    (data_copy / "overclaims.yaml").write_text(
        "- id: x-label\n  title: T\n  category: hormone-label\n  proposition: P\n"
        "  status: refuted\n  what: W\n  why: Y\n  example: E\n  say_instead: S\n"
        "  refuted_by: [oxytocin/nowhere/1]\n",
        encoding="utf-8",
    )
    problems = _problems(data_copy)
    assert any("overclaims.yaml" in p and "oxytocin/nowhere/1" in p for p in problems), problems


def test_empty_file(data_copy: Path) -> None:
    path = _claims_file(data_copy, [], raw=b"")
    [problem] = _problems(data_copy)
    assert problem == f"{path}: file is empty; expected one claim a line"


def test_bom_and_crlf_are_accepted(data_copy: Path) -> None:
    path = data_copy / "claims.jsonl"
    text = path.read_text(encoding="utf-8")
    path.write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8"))
    assert len(load(data_copy).claims) == 89


def test_undecodable_bytes_name_the_line(data_copy: Path) -> None:
    path = data_copy / "claims.jsonl"
    lines = path.read_bytes().splitlines(keepends=True)
    lines[6] = lines[6].replace(b"statement", b"st\xffatement", 1).replace(b"The", b"Th\xfe", 1)
    path.write_bytes(b"".join(lines))
    [problem] = _problems(data_copy)
    assert problem.startswith(f"{path}:7: not valid UTF-8")


def test_yaml_python_tag_is_refused_not_executed(data_copy: Path, tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    path = data_copy / "sources.yaml"
    path.write_text(
        "- id: evil\n  title: !!python/object/apply:os.system ['touch " + str(marker) + "']\n",
        encoding="utf-8",
    )
    [problem] = _problems(data_copy)
    assert problem.startswith(f"{path}:2:") and "unsafe or unknown YAML tag" in problem
    assert not marker.exists()


def test_yaml_alias_bomb_is_refused(tmp_path: Path) -> None:
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n"
    for i, name in enumerate("bcdefghij"):
        prev = "abcdefghij"[i]
        bomb += f"{name}: &{name} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]\n"
    path = tmp_path / "bomb.yaml"
    path.write_text(bomb, encoding="utf-8")
    with pytest.raises(DataError) as info:
        load_yaml(path)
    [problem] = info.value.problems
    assert problem.line == 2 and "aliases" in problem.message


def test_every_problem_of_a_yaml_file_is_reported_together(data_copy: Path) -> None:
    path = data_copy / "sources.yaml"
    path.write_text(
        "- id: ok-source\n  title: Fine\n"
        "- id: Bad Id\n  title: Fine\n"
        "- id: no-title\n"
        "- id: bad-kind\n  title: T\n  kind: blog\n",
        encoding="utf-8",
    )
    problems = _problems(data_copy)
    assert [p.split(":")[1] for p in problems if p.startswith(str(path))] == ["3", "5", "6"]


def test_a_bad_file_loads_nothing_half_way(data_copy: Path) -> None:
    _claims_file(data_copy, [_claim(), "{broken"])
    with pytest.raises(DataError):
        load(data_copy)
    # the loader returns nothing and keeps no global state: the bundled data still loads
    assert len(load().claims) == 89


# --------------------------------------------------------------------- atomic saves


def test_failed_save_leaves_previous_files_intact(data_copy: Path, kb) -> None:  # type: ignore[no-untyped-def]
    before = {p.name: p.read_bytes() for p in data_copy.iterdir() if p.is_file()}
    calls: list[Path] = []

    def explode(target: Path) -> None:
        calls.append(target)
        raise OSError("disk full (injected)")

    edited = type(kb)(
        claims=kb.claims[:10], sources=kb.sources, overclaims=kb.overclaims, documents=kb.documents
    )
    with pytest.raises(OSError, match="injected"):
        edited.save(data_copy, _before_replace=explode)
    after = {p.name: p.read_bytes() for p in data_copy.iterdir() if p.is_file()}
    assert after == before  # same files, same bytes, no temporary files left
    assert calls


def test_failure_while_writing_a_temp_file_leaves_originals(tmp_path: Path) -> None:
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_text("old a", encoding="utf-8")
    b.write_text("old b", encoding="utf-8")

    # the second file's content is not text, so writing its temporary file fails
    with pytest.raises(TypeError):
        atomic_write_many({a: "new a", b: 12345})  # type: ignore[dict-item]
    assert a.read_text(encoding="utf-8") == "old a"
    assert b.read_text(encoding="utf-8") == "old b"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt", "b.txt"]


def test_successful_save_round_trips(data_copy: Path, kb) -> None:  # type: ignore[no-untyped-def]
    kb.save(data_copy)
    again = load(data_copy)
    assert [c.model_dump() for c in again.claims] == [c.model_dump() for c in kb.claims]
    assert again.sources == kb.sources
