"""Reading and writing the data folder: line-aware errors, safe YAML, atomic saves.

* YAML is read with PyYAML's ``SafeLoader`` only (no ``!!python/...`` tags) and aliases
  are refused outright, so an alias bomb cannot expand. Plain YAML is built straight from
  libyaml's events (:func:`parse_yaml`); a file loaded again unchanged comes from a cache of
  parsed data, plain JSON that is validated like a fresh parse (:func:`read_yaml_data`).
* JSON Lines are validated line by line straight from their bytes (:func:`read_jsonl`);
  only a file with a problem is read again, carefully, to name every bad line.
* The records of a data folder are built without the garbage collector rescanning them
  (:func:`long_lived_objects`).
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
import gc
import hashlib
import json
import math
import os
import tempfile
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, TypeAdapter, ValidationError

from claimaudit.errors import DataError, Problem

M = TypeVar("M", bound=BaseModel)


_GC_LOCK = threading.Lock()
_gc_holds = 0
_gc_was_enabled = True


@contextlib.contextmanager
def long_lived_objects() -> Iterator[None]:
    """Build long-lived records without CPython's cyclic collector rescanning them.

    Loading 100,000 claims creates about a million container objects (each claim, its two
    spans, their dicts and field sets), none in a reference cycle, all kept as long as the
    knowledge base. With the collector running as usual, young collections scan each of
    them once or twice and the oldest generation is rescanned each time it has grown by a
    quarter: some five full scans of the growing heap, 40 % of a load. Within this block the
    collector is off; on the way out (also on an error) every object it tracks is moved to
    the oldest generation without a scan (``gc.freeze()`` then ``gc.unfreeze()``), where
    the records will be looked at by the next full collection, as any long-lived data is,
    and the collector is switched back on. Besides the records this moves only what the
    young generations held (a few thousand objects at most) and what other threads allocated
    meanwhile; nothing is moved when the program has frozen objects of its own or had
    switched the collector off. Nested and concurrent blocks share one hold.
    """
    global _gc_holds, _gc_was_enabled
    with _GC_LOCK:
        if _gc_holds == 0:
            _gc_was_enabled = gc.isenabled()
            gc.disable()
        _gc_holds += 1
    try:
        yield
    finally:
        with _GC_LOCK:
            _gc_holds -= 1
            if _gc_holds == 0 and _gc_was_enabled:
                if gc.get_freeze_count() == 0:
                    gc.freeze()
                    gc.unfreeze()
                gc.enable()


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


def read_bytes(path: Path) -> bytes:
    """Read a data file's bytes, with errors that name the file."""
    try:
        return path.read_bytes()
    except FileNotFoundError as exc:
        raise DataError.single(path, None, "file not found") from exc
    except IsADirectoryError as exc:
        raise DataError.single(path, None, "is a directory, not a file") from exc
    except OSError as exc:
        raise DataError.single(path, None, f"cannot read: {exc.strerror or exc}") from exc


def read_text(path: Path) -> str:
    """Read a data file as text, with errors that name the file."""
    return decode(path, read_bytes(path))


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

_STR_TAG = "tag:yaml.org,2002:str"
_PLAIN_TAGS = frozenset(
    f"tag:yaml.org,2002:{name}" for name in ("null", "bool", "int", "float", "str")
)
_ScalarEvent = yaml.ScalarEvent
_AliasEvent = yaml.AliasEvent
_MappingStartEvent = yaml.MappingStartEvent
_MappingEndEvent = yaml.MappingEndEvent
_SequenceStartEvent = yaml.SequenceStartEvent
_SequenceEndEvent = yaml.SequenceEndEvent


class _Unsupported(Exception):
    """The quick YAML reader met something it leaves to PyYAML's own constructor."""


def _alias_error(path: Path, mark: Any) -> DataError:
    line = mark.line + 1 if mark else None
    return DataError.single(path, line, "YAML aliases (*name) are not allowed in data files")


def _quick_yaml(path: Path, text: str) -> tuple[Any, list[int | None]]:
    """Build the data straight from libyaml's events: the common, plain subset of YAML.

    Scalars are resolved with the safe loader's own implicit resolvers (so ``yes``, ``1e3``,
    ``0x1F`` and ``~`` read exactly as ``yaml.safe_load`` reads them) and built with its own
    constructors, each distinct plain scalar once. Anything else (an explicit tag, an anchor,
    a merge key, a timestamp, a non-scalar key, several documents) raises
    :class:`_Unsupported` so that the caller reads the text with PyYAML's full safe
    constructor; an alias is refused at once. Returns the data and the line of each item of
    a top-level list. (PyYAML builds the same data from a tree of nodes, each resolved and
    constructed in Python: about three times the cost of the events themselves.)
    """
    loader = _SafeLoader(text)
    try:
        resolvers = loader.yaml_implicit_resolvers
        if None in resolvers:  # a wildcard resolver: leave it to PyYAML
            raise _Unsupported
        first_chars = frozenset(resolvers)
        resolve = loader.resolve
        constructors = loader.yaml_constructors
        built: dict[str, Any] = {}  # each distinct plain scalar that needs resolving, once
        get_event = loader.get_event

        def scalar(event: Any) -> Any:
            if event.tag is not None or event.anchor is not None:
                raise _Unsupported
            value = event.value
            if not event.implicit[0] or (value and value[0] not in first_chars):
                return value  # quoted, or plain and no resolver starts with its first character
            try:
                return built[value]
            except KeyError:
                pass
            tag = resolve(yaml.ScalarNode, value, (True, False))
            if tag not in _PLAIN_TAGS:
                raise _Unsupported
            out = (
                value if tag == _STR_TAG else constructors[tag](loader, yaml.ScalarNode(tag, value))
            )
            built[value] = out
            return out

        def node(event: Any) -> Any:
            kind = type(event)
            if kind is _ScalarEvent:
                return scalar(event)
            if kind is _AliasEvent:
                raise _alias_error(path, event.start_mark)
            if event.tag is not None or event.anchor is not None:
                raise _Unsupported
            if kind is _MappingStartEvent:
                mapping: dict[Any, Any] = {}
                while True:
                    event = get_event()
                    if type(event) is not _ScalarEvent:
                        if type(event) is _MappingEndEvent:
                            return mapping
                        if type(event) is _AliasEvent:
                            raise _alias_error(path, event.start_mark)
                        raise _Unsupported  # a list or a mapping as a key
                    key = scalar(event)
                    event = get_event()
                    mapping[key] = scalar(event) if type(event) is _ScalarEvent else node(event)
            if kind is _SequenceStartEvent:
                items: list[Any] = []
                while True:
                    event = get_event()
                    if type(event) is _ScalarEvent:
                        items.append(scalar(event))
                    elif type(event) is _SequenceEndEvent:
                        return items
                    else:
                        items.append(node(event))
            raise _Unsupported

        get_event()  # StreamStartEvent
        event = get_event()
        if type(event) is yaml.StreamEndEvent:
            return None, []
        if type(event) is not yaml.DocumentStartEvent or event.tags:
            raise _Unsupported
        event = get_event()
        lines: list[int | None] = []
        if type(event) is _SequenceStartEvent and event.tag is None and event.anchor is None:
            root: Any = []  # a list of records: note where each starts
            while type(event := get_event()) is not _SequenceEndEvent:
                lines.append(event.start_mark.line + 1 if event.start_mark else None)
                root.append(node(event))
        else:
            root = node(event)
        if type(get_event()) is not yaml.DocumentEndEvent:
            raise _Unsupported
        if type(get_event()) is not yaml.StreamEndEvent:
            raise _Unsupported  # several documents: PyYAML names the problem
        return root, lines
    finally:
        loader.dispose()


def _full_yaml(path: Path, text: str) -> tuple[Any, list[int | None]]:
    """PyYAML's own safe loader, after refusing aliases before anything is expanded."""
    # An alias is written ``*name``: a text without ``*`` has none, so skip the scan.
    for event in yaml.parse(text, Loader=_SafeLoader) if "*" in text else ():
        if isinstance(event, yaml.AliasEvent):
            raise _alias_error(path, event.start_mark)
    loader = _SafeLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None, []
        lines: list[int | None] = []
        if isinstance(node, yaml.SequenceNode):
            lines = [item.start_mark.line + 1 for item in node.value]
        return loader.construct_document(node), lines
    finally:
        loader.dispose()


def parse_yaml(path: Path, text: str | None = None) -> tuple[Any, list[int | None]]:
    """Parse YAML safely: no Python tags, no aliases; errors name the line.

    Returns the data and, when it is a list, the line where each item starts. The plain
    YAML of data files is built straight from libyaml's events; anything beyond it goes
    through PyYAML's safe constructor, with the same result.
    """
    if text is None:
        text = read_text(path)
    try:
        try:
            return _quick_yaml(path, text)
        except _Unsupported:
            return _full_yaml(path, text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        problem = exc.problem or str(exc)
        if "could not determine a constructor" in str(exc):
            problem = f"unsafe or unknown YAML tag: {problem}"
        raise DataError.single(path, line, f"invalid YAML: {problem}") from exc
    except yaml.YAMLError as exc:
        raise DataError.single(path, None, f"invalid YAML: {exc}") from exc


def load_yaml(path: Path, text: str | None = None) -> Any:
    """Parse YAML safely (see :func:`parse_yaml`) and return the data."""
    return parse_yaml(path, text)[0]


CACHE_DIR_ENV = "CLAIMAUDIT_CACHE_DIR"
"""Environment variable naming the cache folder; set it empty to turn the cache off."""

_YAML_CACHE_FORMAT = "claimaudit parsed YAML 1"
_YAML_CACHE_ENTRIES = 64


def yaml_cache_dir() -> Path | None:
    """The folder of the parsed-YAML cache, or None when it is off or not safe to use."""
    return cache_dir("yaml")


def cache_dir(name: str) -> Path | None:
    """The cache folder ``name`` (``yaml``, ``gates``), or None when off or not safe to use.

    ``$CLAIMAUDIT_CACHE_DIR`` (empty: no cache), else ``$XDG_CACHE_HOME/claimaudit``, else
    ``~/.cache/claimaudit``; the folder is used only when it belongs to this user and nobody
    else may write to it.
    """
    setting = os.environ.get(CACHE_DIR_ENV)
    try:
        if setting is not None:
            if not setting.strip():
                return None
            base = Path(setting)
        elif os.environ.get("XDG_CACHE_HOME"):
            base = Path(os.environ["XDG_CACHE_HOME"]) / "claimaudit"
        else:
            base = Path.home() / ".cache" / "claimaudit"
        folder = base / name
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        info = folder.stat()
    except (OSError, RuntimeError):  # RuntimeError: no home folder
        return None
    if hasattr(os, "getuid") and (info.st_uid != os.getuid() or info.st_mode & 0o022):
        return None
    return folder


def _yaml_cache_key(data: bytes) -> str:
    """A digest of the file's bytes and of everything that decides how they parse."""
    loader = _SafeLoader
    how = (
        _YAML_CACHE_FORMAT,
        yaml.__version__,
        loader.__name__,
        sorted(
            (str(first), [(tag, rx.pattern) for tag, rx in entries])
            for first, entries in loader.yaml_implicit_resolvers.items()
        ),
        sorted(
            (str(tag), getattr(f, "__qualname__", repr(f)))
            for tag, f in loader.yaml_constructors.items()
        ),
    )
    digest = hashlib.blake2b(repr(how).encode("utf-8"), digest_size=20)
    digest.update(data)
    return digest.hexdigest()


def _plain_json(value: Any) -> bool:
    """Whether JSON gives ``value`` back exactly (string keys, finite floats, no dates)."""
    kind = type(value)
    if kind is str or kind is int or kind is bool or value is None:
        return True
    if kind is float:
        return math.isfinite(value)
    if kind is list:
        return all(_plain_json(v) for v in value)
    if kind is dict:
        return all(type(k) is str and _plain_json(v) for k, v in value.items())
    return False


def read_yaml_data(path: Path) -> tuple[Any, list[int | None], bool]:
    """:func:`parse_yaml` of a file through the parsed-YAML cache: data, lines, from cache.

    A data folder is loaded far more often than it is edited, and parsing its YAML is most
    of the cost of its small files. The cache keeps the parsed data of a file as JSON, under
    a digest of the file's bytes and of the parser's version and settings, so any change to
    the file (or to how it would parse) misses it. It holds plain data only, never code, and
    whatever it gives is validated by the same models as a fresh parse; a broken entry is
    ignored. The folder must be this user's and writable by nobody else (see
    :func:`yaml_cache_dir`); writing to it is best effort. Only plain data is kept: a file
    with dates or non-string keys is parsed every time.
    """
    raw = read_bytes(path)
    folder = yaml_cache_dir()
    if folder is None:
        return (*parse_yaml(path, decode(path, raw)), False)
    entry = folder / f"{_yaml_cache_key(raw)}.json"
    with contextlib.suppress(OSError, ValueError):
        cached = json.loads(entry.read_bytes())
        if type(cached) is list and len(cached) == 2 and type(cached[1]) is list:
            with contextlib.suppress(OSError):
                os.utime(entry)  # recently used: pruned last
            return cached[0], cached[1], True
    data, lines = parse_yaml(path, decode(path, raw))
    if _plain_json(data):
        write_cache_entry(folder, entry, json.dumps([data, lines], ensure_ascii=False))
    return data, lines, False


def write_cache_entry(folder: Path, entry: Path, text: str) -> None:
    """Write one cache entry atomically and keep the newest entries only; never raises."""
    with contextlib.suppress(OSError):
        fd, tmp = tempfile.mkstemp(prefix=".entry.", suffix=".tmp", dir=folder)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                fh.write(text)
            os.replace(tmp, entry)
        finally:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp)
        entries = sorted(folder.glob("*.json"), key=lambda p: p.stat().st_mtime, reverse=True)
        for old in entries[_YAML_CACHE_ENTRIES:]:
            old.unlink(missing_ok=True)


def read_yaml_records(path: Path, model: type[M], *, required: bool = True) -> list[M]:
    """A YAML list of records, each validated as ``model``; all problems reported together.

    The file is read through the parsed-YAML cache (:func:`read_yaml_data`); when cached data
    does not validate, the file itself is parsed again, so that problems are the file's.
    """
    if not path.exists() and not required:
        return []
    raw, lines, cached = read_yaml_data(path)
    if cached:
        valid = _validate_records(raw, model)
        if valid is not None:
            return valid
        raw, lines = parse_yaml(path)
    if raw is None:
        raise DataError.single(path, None, "file is empty; expected a list of records")
    if not isinstance(raw, list):
        raise DataError.single(path, 1, f"expected a list of records, found {type(raw).__name__}")
    valid = _validate_records(raw, model)
    if valid is not None:
        return valid
    records: list[M] = []
    problems: list[Problem] = []
    for i, (item, line) in enumerate(zip(raw, lines, strict=True), 1):
        if not isinstance(item, dict):
            problems.append(Problem(str(path), line, f"record {i} is not a mapping"))
            continue
        try:
            records.append(model.model_validate(item))
        except ValidationError as exc:
            for msg in describe_validation(exc):
                problems.append(Problem(str(path), line, f"record {i}: {msg}"))
    if problems:
        raise DataError(problems)
    return records


def _validate_records(raw: Any, model: type[M]) -> list[M] | None:
    """The records of a list of mappings validated in one call, or None if any fails."""
    if type(raw) is not list or not all(type(item) is dict for item in raw):
        return None
    try:
        records: list[M] = _adapters(model)[1].validate_python(raw)
    except ValidationError:
        return None
    return records


_BOM = b"\xef\xbb\xbf"


def read_jsonl(path: Path, item_type: Any, *, what: str = "record") -> list[Any]:
    """JSON Lines, one record a line, validated as ``item_type``; every bad line reported.

    Each line is validated straight from its bytes by pydantic-core's JSON parser (no
    intermediate dicts; faster than one array of all lines, which it must hold whole). Only
    when a line fails is the file read again, decoded and line by line, to name every
    problem with its line.
    """
    data = read_bytes(path)
    validate = _adapters(item_type)[0].validator.validate_json
    try:
        records = [validate(line) for line in data.removeprefix(_BOM).splitlines() if line]
    except (ValidationError, ValueError):
        pass
    else:
        if records:
            return records
    return _read_jsonl_lines(path, data, item_type, what)


def _read_jsonl_lines(path: Path, data: bytes, item_type: Any, what: str) -> list[Any]:
    """The careful reading of :func:`read_jsonl`: every problem with its line."""
    decode(path, data)  # undecodable bytes: one error naming their line
    adapter = _adapters(item_type)[0]
    # bytes.splitlines breaks at \n, \r\n and \r only: U+2028 inside a JSON string stays put
    numbered = [
        (n, line.decode("utf-8"))
        for n, line in enumerate(data.removeprefix(_BOM).splitlines(), 1)
        if line.strip()
    ]
    if not numbered:
        raise DataError.single(path, None, f"file is empty; expected one {what} a line")
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
