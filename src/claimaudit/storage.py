"""Reading and writing the data folder: line-aware errors, safe YAML, atomic saves.

* YAML is read with PyYAML's ``SafeLoader`` only (no ``!!python/...`` tags) and aliases
  are refused outright, so an alias bomb cannot expand.
* Every problem names the file and the line; all problems of a file are reported
  together (as one :class:`~claimaudit.errors.DataError`).
* Bytes are decoded as UTF-8 with a clear error; a UTF-8 byte-order mark and CRLF line
  ends are accepted.
* :func:`atomic_write_many` writes every file to a temporary file beside it, flushes it to
  disk, and only then replaces the originals, so a failure while writing leaves the previous
  files intact.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, TypeAdapter, ValidationError

from claimaudit.errors import DataError, Problem

M = TypeVar("M", bound=BaseModel)


def decode(path: Path, data: bytes) -> str:
    """UTF-8 text of ``data``; undecodable bytes are a :class:`DataError` naming the line."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise DataError.single(
            path, line, f"not valid UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start})"
        ) from exc
    return text.removeprefix("\ufeff")


def read_text(path: Path) -> str:
    """Read a data file as text, with errors that name the file."""
    try:
        data = path.read_bytes()
    except FileNotFoundError as exc:
        raise DataError.single(path, None, "file not found") from exc
    except IsADirectoryError as exc:
        raise DataError.single(path, None, "is a directory, not a file") from exc
    except OSError as exc:
        raise DataError.single(path, None, f"cannot read: {exc.strerror or exc}") from exc
    return decode(path, data)


def describe_validation(exc: ValidationError) -> list[str]:
    """Short ``field: message`` strings for a pydantic error."""
    out = []
    for err in exc.errors(include_url=False):
        loc = ".".join(str(p) for p in err["loc"])
        msg = err["msg"]
        if err["type"] == "literal_error" or err["type"] == "enum":
            got = err.get("input")
            msg = f"{msg} (got {got!r})"
        out.append(f"{loc}: {msg}" if loc else msg)
    return out


_SafeLoader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
"""libyaml's safe loader when PyYAML was built with it (about 10x faster), else the pure one."""


class _LineLoader(_SafeLoader):  # type: ignore[misc]
    """A SafeLoader that records the line of each mapping as ``__line__``."""


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> dict[Any, Any]:
    mapping: dict[Any, Any] = loader.construct_mapping(node, deep=True)
    mapping["__line__"] = node.start_mark.line + 1
    return mapping


_LineLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG,
    _construct_mapping,
)


def load_yaml(path: Path, text: str | None = None) -> Any:
    """Parse YAML safely: no Python tags, no aliases; errors name the line."""
    if text is None:
        text = read_text(path)
    try:
        # An alias is written ``*name``: a text without ``*`` has none, so skip the scan.
        for event in yaml.parse(text, Loader=_SafeLoader) if "*" in text else ():
            if isinstance(event, yaml.AliasEvent):
                line = event.start_mark.line + 1 if event.start_mark else None
                raise DataError.single(
                    path, line, "YAML aliases (*name) are not allowed in data files"
                )
        return yaml.load(text, Loader=_LineLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        problem = exc.problem or str(exc)
        if "could not determine a constructor" in str(exc):
            problem = f"unsafe or unknown YAML tag: {problem}"
        raise DataError.single(path, line, f"invalid YAML: {problem}") from exc
    except yaml.YAMLError as exc:
        raise DataError.single(path, None, f"invalid YAML: {exc}") from exc


def read_yaml_records(path: Path, model: type[M], *, required: bool = True) -> list[M]:
    """A YAML list of records, each validated as ``model``; all problems reported together."""
    if not path.exists() and not required:
        return []
    raw = load_yaml(path)
    if raw is None:
        raise DataError.single(path, None, "file is empty; expected a list of records")
    if not isinstance(raw, list):
        raise DataError.single(path, 1, f"expected a list of records, found {type(raw).__name__}")
    records: list[M] = []
    problems: list[Problem] = []
    for i, item in enumerate(raw, 1):
        if not isinstance(item, dict):
            problems.append(Problem(str(path), None, f"record {i} is not a mapping"))
            continue
        line = item.pop("__line__", None)
        _strip_lines(item)
        try:
            records.append(model.model_validate(item))
        except ValidationError as exc:
            for msg in describe_validation(exc):
                problems.append(Problem(str(path), line, f"record {i}: {msg}"))
    if problems:
        raise DataError(problems)
    return records


def _strip_lines(value: Any) -> None:
    if isinstance(value, dict):
        value.pop("__line__", None)
        for v in value.values():
            _strip_lines(v)
    elif isinstance(value, list):
        for v in value:
            _strip_lines(v)


def read_jsonl(path: Path, item_type: Any, *, what: str = "record") -> list[Any]:
    """JSON Lines, one record a line, validated with ``adapter``; every bad line reported.

    The whole file is validated in one pass first (fast); only when that fails is it read
    line by line to name each bad line.
    """
    text = read_text(path)
    adapter, bulk = _adapters(item_type)
    body = text.strip()
    if body and "\r" not in body and "\n\n" not in body:
        # Fast path for a clean file (LF line ends, no blank lines): one replace, one pass.
        try:
            return bulk.validate_json("[" + body.replace("\n", ",") + "]")
        except (ValidationError, ValueError):
            pass
    lines = text.splitlines()
    numbered = [(n, line) for n, line in enumerate(lines, 1) if line.strip()]
    if not numbered:
        raise DataError.single(path, None, f"file is empty; expected one {what} a line")
    try:
        return bulk.validate_json("[" + ",".join(line for _, line in numbered) + "]")
    except (ValidationError, ValueError):
        pass
    records: list[Any] = []
    problems: list[Problem] = []
    for n, line in numbered:
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            tail = " (truncated line?)" if n == numbered[-1][0] else ""
            problems.append(Problem(str(path), n, f"invalid JSON: {exc.msg}{tail}"))
            continue
        try:
            records.append(adapter.validate_python(obj))
        except ValidationError as exc:
            for msg in describe_validation(exc):
                problems.append(Problem(str(path), n, msg))
    if problems:
        raise DataError(problems)
    return records


_ADAPTERS: dict[int, tuple[TypeAdapter[Any], TypeAdapter[list[Any]]]] = {}


def _adapters(item_type: Any) -> tuple[TypeAdapter[Any], TypeAdapter[list[Any]]]:
    """Cached adapters for one item and for a list of items of ``item_type``."""
    key = id(item_type)
    if key not in _ADAPTERS:
        _ADAPTERS[key] = (TypeAdapter(item_type), TypeAdapter(list[item_type]))
    return _ADAPTERS[key]


def atomic_write_many(
    contents: Mapping[Path, str],
    *,
    _before_replace: Callable[[Path], None] | None = None,
) -> None:
    """Write several files so that a failure leaves every previous file intact.

    Each file goes to a temporary file in the same folder, is flushed and fsynced; only when
    every temporary file is complete are they moved over the originals (``os.replace``,
    atomic on POSIX and Windows). ``_before_replace`` is a test hook called before each
    replace.
    """
    temps: list[tuple[Path, Path]] = []
    try:
        for target, text in contents.items():
            target.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp_name = tempfile.mkstemp(
                prefix=f".{target.name}.", suffix=".tmp", dir=target.parent
            )
            temps.append((Path(tmp_name), target))
            os.chmod(tmp_name, _mode_for(target))
            with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
                fh.write(text)
                fh.flush()
                os.fsync(fh.fileno())
        for tmp, target in temps:
            if _before_replace is not None:
                _before_replace(target)
            os.replace(tmp, target)
    finally:
        for tmp, _ in temps:
            with contextlib.suppress(FileNotFoundError):
                tmp.unlink()


def _mode_for(target: Path) -> int:
    """Keep an existing file's permissions; new files get the usual 0o666 less the umask."""
    try:
        return target.stat().st_mode & 0o7777
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def dump_yaml_records(records: Iterable[BaseModel], header: str = "") -> str:
    """YAML text for a list of records (None and empty values left out)."""
    items = [r.model_dump(mode="json", exclude_none=True, exclude_defaults=True) for r in records]
    body = yaml.safe_dump(items, sort_keys=False, allow_unicode=True, width=100)
    return header + body
