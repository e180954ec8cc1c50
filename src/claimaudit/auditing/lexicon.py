"""The stance lexicon: vocabulary macros and ConText-style triggers, read from YAML data.

``data/lexicon.yaml`` holds named regex fragments (``vocab``) that catalog patterns use as
``{name}``, the clause terminators, and the stance triggers, each with a kind, a direction and
a scope. :class:`Lexicon` compiles all triggers into ONE alternation (one named group per
trigger set), so finding every trigger of a paragraph is a single regex scan.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import yaml

from claimaudit.auditing.gates import GateScanner, literal_gate
from claimaudit.errors import DataError

__all__ = ["Lexicon", "TriggerSpec", "default_lexicon_path"]

Direction = Literal["forward", "backward", "both"]
Scope = Literal["clause", "sentence", "near", "paragraph"]
KINDS = frozenset(
    {
        "pseudo",
        "booster",
        "counterfactual",
        "example",
        "example_frame",
        "debunk",
        "distance",
        "negate",
        "hedge",
        "scope",
        "method",
        "attribute",
    }
)
_MACRO = re.compile(r"\{([a-z_][a-z0-9_]*)\}")
_GAP = re.compile(r"gap(\d{1,2})")
FLAGS = re.IGNORECASE


@dataclass(frozen=True, slots=True)
class TriggerSpec:
    """One set of trigger patterns sharing a kind, a direction and a scope."""

    kind: str
    direction: Direction
    scope: Scope
    window: int


def default_lexicon_path() -> Path:
    """``lexicon.yaml`` of the bundled data folder."""
    try:
        from claimaudit.kb import bundled_data_dir

        return bundled_data_dir() / "lexicon.yaml"
    except Exception:
        return Path(__file__).resolve().parents[3] / "data" / "lexicon.yaml"


class Lexicon:
    """Vocabulary macros, terminators and compiled stance triggers.

    Immutable once built, so one instance can be shared between threads.
    """

    def __init__(self, data: dict[str, Any], *, source: str = "<lexicon>") -> None:
        self.source = source
        vocab = data.get("vocab") or {}
        if not isinstance(vocab, dict):
            raise DataError.single(source, None, "'vocab' must be a mapping of name to regex")
        self._vocab: dict[str, str] = {str(k): " ".join(str(v).split()) for k, v in vocab.items()}
        self._expanded: dict[str, str] = {}
        terms = data.get("terminators") or {}
        # triggers and terminators run case-sensitively on lower-cased text (much faster)
        self.terminator_rx = re.compile(
            "(?P<plain>{})|(?P<contrast>{})".format(
                "|".join(self.expand(t) for t in terms.get("plain", [])) or "(?!)",
                "|".join(self.expand(t) for t in terms.get("contrast", [])) or "(?!)",
            )
        )
        specs: list[TriggerSpec] = []
        groups: list[str] = []
        para_groups: list[str] = []
        trig: list[tuple[int, re.Pattern[str], frozenset[str] | None]] = []
        for i, raw in enumerate(data.get("triggers") or []):
            kind = raw.get("kind")
            if kind not in KINDS:
                raise DataError.single(source, None, f"trigger set {i + 1}: unknown kind {kind!r}")
            direction = raw.get("direction", "both")
            scope = raw.get("scope", "sentence")
            if direction not in ("forward", "backward", "both"):
                raise DataError.single(source, None, f"trigger set {i + 1}: bad direction")
            if scope not in ("clause", "sentence", "near", "paragraph"):
                raise DataError.single(source, None, f"trigger set {i + 1}: bad scope")
            pats = [self.expand(str(p)) for p in raw.get("patterns") or []]
            if not pats:
                continue
            specs.append(TriggerSpec(kind, direction, scope, int(raw.get("window", 200))))
            group = f"(?P<t{len(specs) - 1}>{'|'.join(pats)})"
            (para_groups if scope == "paragraph" else groups).append(group)
            if scope != "paragraph":
                for pat in pats:
                    try:
                        rx = re.compile(f"(?:{pat})(?!\\w)")
                    except re.error as exc:
                        raise DataError.single(source, None, f"bad trigger {pat!r}: {exc}") from exc
                    trig.append((len(specs) - 1, rx, literal_gate(pat)))
        self.specs: tuple[TriggerSpec, ...] = tuple(specs)
        self._triggers = tuple(trig)
        self._trigger_scanner = GateScanner(g for _, _, gate in trig for g in gate or ())
        self._trigger_by_gate, self._trigger_always = GateScanner.index([t[2] for t in trig])
        try:
            self.trigger_rx = re.compile(r"(?<!\w)(?=\w)(?:" + "|".join(groups) + r")(?!\w)")
            self.paragraph_trigger_rx = re.compile(
                r"(?<!\w)(?:" + ("|".join(para_groups) or "(?!)") + r")(?!\w)"
            )
            self.topic_rx = re.compile(
                r"(?<!\w)(?:" + self.expand("{topic}|{label_self}") + r")(?!\w)", FLAGS
            )
        except re.error as exc:
            raise DataError.single(source, None, f"invalid regex in lexicon: {exc}") from exc

    def find_triggers(self, text: str, start: int, end: int) -> list[tuple[int, int, int]]:
        """Triggers in lower-cased ``text[start:end]`` as ``(start, end, spec index)``.

        Same result as scanning with one alternation of all triggers in lexicon order
        (at a position the first listed trigger wins; scanning resumes after it), but each
        trigger regex runs only when its literal gate occurs in the span.
        """
        found: list[tuple[int, int, int, int]] = []
        triggers = self._triggers
        for order in self._trigger_scanner.select(
            self._trigger_by_gate, self._trigger_always, text, start, end
        ):
            spec, rx, _gate = triggers[order]
            for m in rx.finditer(text, start, end):
                s = m.start()
                if s > 0 and (text[s - 1].isalnum() or text[s - 1] == "_"):
                    continue
                found.append((s, order, m.end(), spec))
        found.sort()
        out: list[tuple[int, int, int]] = []
        last = -1
        for s, _order, e, spec in found:
            if s < last:
                continue
            out.append((s, e, spec))
            last = e
        return out

    @classmethod
    def load(cls, path: str | Path | None = None) -> Lexicon:
        """Read a lexicon YAML file (the bundled one by default) with a safe loader."""
        p = Path(path) if path is not None else default_lexicon_path()
        try:
            data = yaml.safe_load(p.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
            raise DataError.single(p, None, f"cannot read lexicon: {exc}") from exc
        if not isinstance(data, dict):
            raise DataError.single(p, 1, "expected a mapping with vocab, terminators, triggers")
        return cls(data, source=str(p))

    def expand(self, pattern: str) -> str:
        """``pattern`` with every ``{macro}`` replaced by its (expanded) regex."""

        def sub(m: re.Match[str]) -> str:
            name = m.group(1)
            g = _GAP.fullmatch(name)
            if g:
                n = int(g.group(1))
                # words (hyphenated compounds included) inside one clause: the gap does not
                # cross sentence ends, semicolons or a spaced dash ("X - an aside - Y")
                return rf"(?:[^\w.!?;-]+\w+(?:-\w+)*){{0,{n}}}?[^\w.!?;-]+"
            return f"(?:{self.macro(name)})"

        return _MACRO.sub(sub, pattern)

    def macro(self, name: str) -> str:
        """The expanded regex of vocabulary entry ``name``."""
        done = self._expanded.get(name)
        if done is not None:
            return done
        if name not in self._vocab:
            raise DataError.single(self.source, None, f"unknown macro {{{name}}}")
        self._expanded[name] = "(?!)"  # guards against a macro that uses itself
        value = self.expand(self._vocab[name])
        self._expanded[name] = value
        return value
