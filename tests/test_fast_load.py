"""The quick paths of loading (issue 6) read exactly what the careful ones read.

``storage.parse_yaml`` builds plain YAML straight from libyaml's events and leaves anything
else to PyYAML's safe constructor; ``storage.read_jsonl`` validates each line from its bytes
and reads the file again, line by line, only to name problems. Both must give the same data
and the same errors (file, line, problem) as the careful path.
"""

from __future__ import annotations

import gc
import json
import math
import os
from pathlib import Path
from typing import Any

import pytest
import yaml

from claimaudit import storage
from claimaudit.errors import DataError
from claimaudit.kb import load
from claimaudit.models import Claim, Source, Span
from claimaudit.storage import (
    long_lived_objects,
    parse_yaml,
    read_jsonl,
    read_yaml_data,
    read_yaml_records,
)

DATA = Path(__file__).resolve().parents[1] / "data"

YAML_CASES = [
    "",
    "# only a comment\n",
    "---\n",
    "just a string\n",
    "- 1\n- two\n- 3.5\n- ~\n- null\n- ''\n-\n",
    "- yes\n- No\n- on\n- OFF\n- true\n- 'yes'\n",
    "- 0x1F\n- 0o17\n- 1_000\n- 1:30\n- +12\n- -0\n- 1e3\n- .inf\n- -.INF\n- 12.5e-1\n",
    "a: 1\nb: [x, 'y', \"z\"]\nc: {d: e, f: [1, {g: h}]}\n",
    "- id: x\n  title: |\n    a literal\n    block\n  note: >\n    folded\n    text\n",
    "1: one\n2.5: two\ntrue: three\n~: four\n",
    "key: value\nkey: again\n",  # a repeated key: the last one wins, as in PyYAML
    "- when: 2024-05-01\n",  # a timestamp: left to PyYAML
    "- &first {a: 1}\n- b\n",  # an anchor without an alias: left to PyYAML
    "- !!str 12\n- !!int '7'\n",  # explicit standard tags: left to PyYAML
    "base: {a: 1}\nmerged: {<<: {b: 2}, c: 3}\n",  # a merge key: left to PyYAML
    "=: equals\n",
    "- [nested, [deeper, [deepest]]]\n- {}\n- []\n",
    "- 'ü and “quotes”'\n- plain ü\n",
]


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a):
        return math.isnan(b)
    if isinstance(a, dict) and isinstance(b, dict):
        return list(a) == list(b) and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    return type(a) is type(b) and a == b


@pytest.mark.parametrize("text", [*YAML_CASES, "- .nan\n- .NaN\n"])
def test_quick_yaml_reads_what_safe_load_reads(text: str, tmp_path: Path) -> None:
    data, _ = parse_yaml(tmp_path / "x.yaml", text)
    assert _same(data, yaml.safe_load(text))


@pytest.mark.parametrize("name", ["sources.yaml", "overclaims.yaml", "documents.yaml"])
def test_quick_yaml_reads_the_bundled_files_as_safe_load(name: str) -> None:
    text = (DATA / name).read_text(encoding="utf-8")
    data, lines = parse_yaml(DATA / name, text)
    assert _same(data, yaml.safe_load(text))
    # the line of each record is where its mapping starts, as PyYAML's nodes say
    node = yaml.compose(text, Loader=yaml.SafeLoader)
    assert lines == [item.start_mark.line + 1 for item in node.value]


def test_record_lines_are_the_same_on_both_paths(tmp_path: Path) -> None:
    plain = "# header\n- id: a\n  title: A\n\n- id: b\n  title: B\n- id: c\n  title: C\n"
    tagged = plain.replace("title: B", "title: !!str B")  # the careful path reads this one
    for text in (plain, tagged):
        data, lines = parse_yaml(tmp_path / "x.yaml", text)
        assert [r["id"] for r in data] == ["a", "b", "c"]
        assert lines == [2, 5, 7]


def test_an_alias_is_refused_on_the_quick_path_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / "sources.yaml"
    path.write_text("- id: a\n  title: T\n- id: b\n  title: *t\n", encoding="utf-8")
    with pytest.raises(DataError) as info:
        parse_yaml(path)
    [problem] = info.value.problems
    assert problem.line == 4 and "aliases" in problem.message


def test_a_python_tag_deep_in_a_record_is_refused_with_its_line(
    tmp_path: Path, data_copy: Path
) -> None:
    marker = tmp_path / "pwned"
    path = data_copy / "sources.yaml"
    text = path.read_text(encoding="utf-8")
    evil = f"!!python/object/apply:os.system ['touch {marker}']"
    text += f"- id: evil\n  title: T\n  authors:\n  - {evil}\n"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DataError) as info:
        load(data_copy)
    [problem] = info.value.problems
    assert problem.path == str(path) and problem.line == text.count("\n")
    assert "unsafe or unknown YAML tag" in problem.message
    assert not marker.exists()


def test_invalid_yaml_names_its_line(tmp_path: Path) -> None:
    path = tmp_path / "sources.yaml"
    path.write_text("- id: a\n  title: T\n- id: [b\n", encoding="utf-8")
    with pytest.raises(DataError) as info:
        parse_yaml(path)
    [problem] = info.value.problems
    assert problem.line is not None and problem.message.startswith("invalid YAML")


def test_a_record_that_is_not_a_mapping_names_its_line(tmp_path: Path) -> None:
    path = tmp_path / "sources.yaml"
    path.write_text("- id: a\n  title: T\n- just text\n- id: c\n", encoding="utf-8")
    with pytest.raises(DataError) as info:
        read_yaml_records(path, Source)
    assert [(p.line, p.message.split(":")[0]) for p in info.value.problems] == [
        (3, "record 2 is not a mapping"),
        (4, "record 3"),
    ]


# ------------------------------------------------------------------------ claims.jsonl


def _lines(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def _write(path: Path, rows: list[dict[str, Any]]) -> None:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), "utf-8")


def test_a_span_that_ends_before_it_starts_names_file_and_line(data_copy: Path) -> None:
    path = data_copy / "claims.jsonl"
    rows = _lines(path)
    rows[4]["span"] = {"start": 50, "end": 10}
    rows[9]["marker_span"] = {"start": 7, "end": 3}
    _write(path, rows)
    with pytest.raises(DataError) as info:
        load(data_copy)
    found = sorted((p.line, p.message) for p in info.value.problems)
    assert [line for line, _ in found] == [5, 10]
    assert all(str(path) == p.path for p in info.value.problems)
    assert "end 10 is before start 50" in found[0][1] and "span" in found[0][1]
    assert "end 3 is before start 7" in found[1][1] and "marker_span" in found[1][1]
    with pytest.raises(ValueError, match="before start"):
        Span(start=5, end=2)


def test_line_separators_inside_a_claim_keep_line_numbers(data_copy: Path) -> None:
    """U+2028 and U+0085 are line breaks to ``str.splitlines``, but plain text in JSON."""
    path = data_copy / "claims.jsonl"
    rows = _lines(path)
    rows[2]["text"] += "\u2028and a second\u0085line"
    _write(path, rows)
    kb = load(data_copy)
    assert kb.claims[2].text.endswith("\u2028and a second\u0085line")
    rows[6]["maturity"] = "proven"
    _write(path, rows)
    with pytest.raises(DataError) as info:
        load(data_copy)
    [problem] = info.value.problems
    assert problem.line == 7 and "proven" in problem.message


def test_blank_lines_bom_and_crlf_read_as_before(tmp_path: Path) -> None:
    rows = _lines(DATA / "claims.jsonl")[:3]
    body = "\r\n\r\n".join(json.dumps(r) for r in rows) + "\r\n  \r\n"
    path = tmp_path / "claims.jsonl"
    path.write_bytes(b"\xef\xbb\xbf" + body.encode("utf-8"))
    claims = read_jsonl(path, Claim, what="claim")
    assert [c.id for c in claims] == [r["id"] for r in rows]


# ------------------------------------------------------------------------ the collector


def test_long_lived_objects_restores_the_collector() -> None:
    assert gc.isenabled()
    thresholds = gc.get_threshold()
    with long_lived_objects():
        assert not gc.isenabled()
        kept = [[i] for i in range(5000)]
        with long_lived_objects():  # nested: the outer block switches it back on
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled() and gc.get_threshold() == thresholds
    assert gc.get_freeze_count() == 0
    assert all(gc.is_tracked(x) for x in kept[:10])  # moved, not untracked
    with pytest.raises(RuntimeError), long_lived_objects():
        raise RuntimeError("boom")
    assert gc.isenabled() and gc.get_freeze_count() == 0
    gc.disable()
    try:
        with long_lived_objects():
            pass
        assert not gc.isenabled()  # a collector the program switched off stays off
    finally:
        gc.enable()


def test_a_programs_own_frozen_objects_stay_frozen() -> None:
    gc.freeze()
    try:
        frozen = gc.get_freeze_count()
        assert frozen > 0
        with long_lived_objects():
            [[i] for i in range(1000)]
        assert gc.get_freeze_count() == frozen and gc.isenabled()
    finally:
        gc.unfreeze()


def test_garbage_cycles_are_still_collected_after_a_load() -> None:
    import weakref

    class Node:
        pass

    with long_lived_objects():
        a, b = Node(), Node()
        a.other, b.other = b, a  # type: ignore[attr-defined]
        probe = weakref.ref(a)
        del a, b
    gc.collect()
    assert probe() is None


def test_long_lived_objects_from_several_threads() -> None:
    import threading

    inside = threading.Barrier(4)

    def work() -> None:
        with long_lived_objects():
            inside.wait()

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert gc.isenabled() and gc.get_freeze_count() == 0


def test_load_leaves_the_collector_on_after_an_error(data_copy: Path) -> None:
    (data_copy / "claims.jsonl").write_text("{broken\n", encoding="utf-8")
    with pytest.raises(DataError):
        load(data_copy)
    assert gc.isenabled() and gc.get_freeze_count() == 0


def test_a_missing_document_file_is_named(data_copy: Path) -> None:
    (data_copy / "documents" / "oxytocin-social-bonding.txt").unlink()
    with pytest.raises(DataError) as info:
        load(data_copy)
    [problem] = info.value.problems
    assert problem.path == str(data_copy / "documents.yaml")
    assert "file 'documents/oxytocin-social-bonding.txt' not found" in problem.message


# ------------------------------------------------------------------------ parsed-YAML cache


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv(storage.CACHE_DIR_ENV, str(folder))
    return folder / "yaml"


def _entries(cache: Path) -> list[Path]:
    return sorted(cache.glob("*.json"))


def test_a_second_read_comes_from_the_cache(
    cache: Path, data_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = data_copy / "sources.yaml"
    first = read_yaml_records(path, Source)
    assert len(_entries(cache)) == 1
    assert read_yaml_data(path)[2] is True

    def no_parsing(*args: object) -> None:
        raise AssertionError("parsed although cached")

    monkeypatch.setattr(storage, "parse_yaml", no_parsing)
    assert read_yaml_records(path, Source) == first


def test_any_change_to_the_file_misses_the_cache(cache: Path, data_copy: Path) -> None:
    path = data_copy / "sources.yaml"
    before = read_yaml_records(path, Source)
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("Social bonding", "Social bondage", 1), encoding="utf-8")
    after = read_yaml_records(path, Source)
    assert read_yaml_data(path)[2] is True and len(_entries(cache)) == 2
    assert before[0].title.startswith("Social bonding")
    assert after[0].title.startswith("Social bondage")


def test_a_broken_or_tampered_entry_is_not_trusted(cache: Path, data_copy: Path) -> None:
    path = data_copy / "sources.yaml"
    good = read_yaml_records(path, Source)
    [entry] = _entries(cache)
    entry.write_text("{not json", encoding="utf-8")
    assert read_yaml_records(path, Source) == good
    # an entry whose records do not validate: the file itself is read instead
    data, lines = json.loads(entry.read_text(encoding="utf-8"))
    data[0]["title"] = ""
    entry.write_text(json.dumps([data, lines]), encoding="utf-8")
    assert read_yaml_records(path, Source) == good


def test_problems_are_still_the_files_own(cache: Path, data_copy: Path) -> None:
    path = data_copy / "sources.yaml"
    path.write_text("- id: ok\n  title: Fine\n- id: Bad Id\n  title: T\n", encoding="utf-8")
    for _ in range(2):  # parsed, then from the cache
        with pytest.raises(DataError) as info:
            read_yaml_records(path, Source)
        [problem] = info.value.problems
        assert problem.path == str(path) and problem.line == 3


def test_the_cache_can_be_turned_off(data_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(storage.CACHE_DIR_ENV, "")
    assert storage.yaml_cache_dir() is None
    assert read_yaml_data(data_copy / "sources.yaml")[2] is False
    assert read_yaml_data(data_copy / "sources.yaml")[2] is False


@pytest.mark.skipif(not hasattr(os, "getuid"), reason="POSIX permissions")
def test_a_folder_others_may_write_to_is_not_used(cache: Path, data_copy: Path) -> None:
    cache.mkdir(parents=True)
    cache.chmod(0o777)
    assert storage.yaml_cache_dir() is None
    assert read_yaml_data(data_copy / "sources.yaml")[2] is False
    assert not _entries(cache)


def test_data_json_cannot_carry_exactly_is_not_cached(cache: Path, tmp_path: Path) -> None:
    path = tmp_path / "x.yaml"
    path.write_text("- when: 2024-05-01\n- 1: one\n", encoding="utf-8")
    for _ in range(2):
        data, _, cached = read_yaml_data(path)
        assert not cached and data == yaml.safe_load(path.read_text(encoding="utf-8"))
    assert not _entries(cache)


def test_the_cache_keeps_the_newest_entries(
    cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(storage, "_YAML_CACHE_ENTRIES", 3)
    for i in range(5):
        path = tmp_path / f"f{i}.yaml"
        path.write_text(f"- id: s{i}\n  title: T\n", encoding="utf-8")
        read_yaml_data(path)
    assert len(_entries(cache)) == 3
