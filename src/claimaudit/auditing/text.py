"""Text preparation for the audit: normalization with an offset map, Markdown masking, sentences.

Every later stage works on a *normalized* copy of the caller's text (NFKC, straight quotes,
ASCII dashes, no zero-width characters or soft hyphens, line-wrapped hyphenation joined, HTML
entities decoded, spoken fillers dropped, note symbols read as words). :class:`OffsetMap` maps
any offset of that copy back to the caller's text, so a finding's ``text[start:end]`` is
exactly the flagged words of the original.

Markdown is *masked* rather than rewritten: code, front matter, HTML comments, link targets
and markup characters become spaces (newlines are kept), so offsets do not move at all.
"""

from __future__ import annotations

import bisect
import html
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

__all__ = [
    "OffsetMap",
    "Sentence",
    "looks_like_markdown",
    "mask_markdown",
    "normalize",
    "split_blocks",
    "split_sentences",
]

# One-to-one replacements (length-preserving): quotes, dashes, exotic spaces, and the
# Cyrillic/Greek letters that look like Latin ones ("оxytocin" with a Cyrillic о).
_ONE_TO_ONE = {
    **dict.fromkeys("‘’‚‛′`´", "'"),
    **dict.fromkeys("“”„‟″«»", '"'),
    **dict.fromkeys("‐‑‒–—―−﹘﹣－", "-"),
    **dict.fromkeys(
        "\u00a0\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000",
        " ",
    ),
    "\u2028": "\n",
    "\u2029": "\n",
    # confusables: Cyrillic and Greek letters that look like Latin ones
    **dict(zip("аеорсухіјѕԁոɡАВЕКМНОРСТХІ", "aeopcyxijsdngABEKMHOPCTXI", strict=True)),
    **dict(zip("οαντικρΟΑΒΕΚΜΝΤΧ", "oavtikpOABEKMNTX", strict=True)),
}
# Symbols that stand for words in notes and slides ("OT → ↑ trust"): read as the words.
_SYMBOL_WORDS = {
    **dict.fromkeys("→⟶⇒⟹➔➜➝➞", " leads to "),
    **dict.fromkeys("↑⬆⇑", " more "),
    **dict.fromkeys("↓⬇⇓", " less "),
}
_DELETE = frozenset("\u200b\u200c\u200d\u2060\ufeff\u00ad\u180e\u2061\u2062\u2063\u2064")

# what normalization rewrites in ASCII text: HTML entities, and hyphenation at a line break
_ASCII_BASE = (
    r"&(?:[A-Za-z][A-Za-z0-9]{1,31}|#[0-9]{1,7}|#[xX][0-9A-Fa-f]{1,6});"
    r"|(?<=[A-Za-z])-[ \t]*\r?\n[ \t]*(?=[a-z])"
)


_HYPHEN_BREAK = re.compile(r"-[ \t]*\r?\n")
# spoken fillers ("is, uh, basically ...") and an equals sign between words ("more
# oxytocin = more kindness"), in transcripts and notes
_SPOKEN = (
    r"|(?i:(?<![\w'])(?:uh|uhm|um|umm|erm|er|ah)\b,?[ \t]*|,[ \t]*you know[ \t]*(?=,))"
    r"|(?<=[A-Za-z]) = (?=[A-Za-z])"
)
_SPOKEN_HINTS = (
    *(
        f"{sep}{word}"
        for word in ("uh", "Uh", "um", "Um", "erm", "Erm", "er,", "Er,", "ah,", "Ah,")
        for sep in (" ", "\n", "(")
    ),
    "you know,",
    "You know,",
    " = ",
)
_SPOKEN_OPENINGS = frozenset({"uh ", "uh,", "um ", "um,", "erm", "er,", "ah,"})
# (ASCII only, with spoken fillers) -> the scanner of what to rewrite; other characters are
# rewritten one by one (NFKC, quotes, dashes, symbols)
_SPECIAL = {
    (True, False): re.compile(_ASCII_BASE),
    (True, True): re.compile(_ASCII_BASE + _SPOKEN),
    (False, False): re.compile(r"[^\x00-\x7f]|" + _ASCII_BASE),
    (False, True): re.compile(r"[^\x00-\x7f]|" + _ASCII_BASE + _SPOKEN),
}


@lru_cache(maxsize=4096)
def _char(ch: str) -> str:
    """The normalized form of one character (may be empty or longer)."""
    if ch in _DELETE:
        return ""
    mapped = _ONE_TO_ONE.get(ch) or _SYMBOL_WORDS.get(ch)
    if mapped is not None:
        return mapped
    out = unicodedata.normalize("NFKC", ch)
    if out != ch:
        return "".join(_ONE_TO_ONE.get(c, c) for c in out if c not in _DELETE)
    return ch


@lru_cache(maxsize=1)
def _spoken_automaton() -> Any:
    import ahocorasick

    automaton = ahocorasick.Automaton()
    for hint in _SPOKEN_HINTS:
        automaton.add_word(hint, hint)
    automaton.make_automaton()
    return automaton


def _has_spoken_hint(text: str) -> bool:
    """Whether ``text`` may hold a filler or an equals sign (one pass, in C, for all hints)."""
    for _ in _spoken_automaton().iter(text):
        return True
    return False


def _entity(raw: str) -> str:
    decoded = html.unescape(raw)
    if decoded == raw:
        return raw
    return "".join(_char(c) if ord(c) > 127 else c for c in decoded)


@dataclass(frozen=True, slots=True)
class OffsetMap:
    """Maps offsets of the normalized text back to the caller's text.

    ``edits`` lists the replaced segments as ``(norm_start, norm_end, orig_start, orig_end)``;
    everything between them was copied unchanged. An empty map is the identity.
    """

    edits: tuple[tuple[int, int, int, int], ...] = ()
    _keys: tuple[int, ...] = ()

    @classmethod
    def from_edits(cls, edits: list[tuple[int, int, int, int]]) -> OffsetMap:
        """Build a map from sorted, non-overlapping edits."""
        return cls(tuple(edits), tuple(e[0] for e in edits))

    def start(self, pos: int) -> int:
        """Original offset of the character at normalized ``pos`` (a span's start)."""
        if not self.edits:
            return pos
        i = bisect.bisect_right(self._keys, pos) - 1
        if i < 0:
            return pos
        _, ne, os_, oe = self.edits[i]
        if pos < ne:
            return os_
        return oe + (pos - ne)

    def end(self, pos: int) -> int:
        """Original offset just after normalized ``pos - 1`` (a span's exclusive end)."""
        if not self.edits:
            return pos
        i = bisect.bisect_left(self._keys, pos) - 1
        if i < 0:
            return pos
        _, ne, _, oe = self.edits[i]
        if pos <= ne:
            return oe
        return oe + (pos - ne)


def normalize(text: str) -> tuple[str, OffsetMap]:
    """Normalize ``text`` for matching; returns the new text and the map back.

    NFKC per character, curly to straight quotes, dashes to ``-``, exotic spaces to `` ``,
    look-alike Cyrillic/Greek letters to Latin, zero-width characters and soft hyphens
    removed, HTML entities decoded, and ``oxy-\\ntocin`` (hyphenation at a line break) joined;
    spoken fillers (``uh``, ``um``, ``, you know,``) dropped and note symbols read as words
    (``→`` "leads to", ``↑`` "more", ``↓`` "less", `` = `` between words "means"). Plain ASCII
    text with none of these is returned as is, at no cost but one scan for filler hints.
    """
    ascii_only = text.isascii()
    spoken = text[:3].lower() in _SPOKEN_OPENINGS or _has_spoken_hint(text)
    if ascii_only and not spoken and "&" not in text and _HYPHEN_BREAK.search(text) is None:
        return text, OffsetMap()
    parts: list[str] = []
    edits: list[tuple[int, int, int, int]] = []
    last = 0
    npos = 0
    for m in _SPECIAL[ascii_only, spoken].finditer(text):
        raw = m.group()
        if raw[0] == "&":
            rep = _entity(raw)
        elif raw[0] == "-":
            rep = ""
        elif raw == " = ":
            rep = " means "
        elif raw.isascii() and (raw[0] == "," or raw[0].isalpha()):
            rep = ""  # a filler, or ", you know" before a comma
        else:
            rep = _char(raw)
        if rep == raw:
            continue
        s, e = m.span()
        if s > last:
            parts.append(text[last:s])
            npos += s - last
        parts.append(rep)
        edits.append((npos, npos + len(rep), s, e))
        npos += len(rep)
        last = e
    if not edits:
        return text, OffsetMap()
    parts.append(text[last:])
    return "".join(parts), OffsetMap.from_edits(edits)


# ---------------------------------------------------------------------------------------
# Markdown

_MD_HINT = re.compile(
    r"^(?:#{1,6}\s|```|~~~|---\s*$|>\s|\s*[-*+]\s+\[[ xX]\]|\[[^\]\n]+\]:\s)|<!--|\]\(|`[^`\n]+`",
    re.MULTILINE,
)


def looks_like_markdown(text: str) -> bool:
    """A cheap guess: does ``text`` use Markdown syntax (headings, fences, links, comments)?"""
    return _MD_HINT.search(text, 0, 200_000) is not None


_FRONT_MATTER = re.compile(
    r"\A(?:---|\+\+\+)[ \t]*\r?\n.*?^(?:---|\+\+\+|\.\.\.)[ \t]*$", re.S | re.M
)
# Every alternative is bounded or anchored so that the pass stays linear in the text's
# length: unclosed comments and code spans are found by the scans below, not by ``.*?``
# (which would rescan to the end of the text from every opener), and link targets are
# at most 2,000 characters.
_INLINE_MASKS = re.compile(
    r"\]\([^)\s]{0,2000}(?:\s+\"[^\"\n]{0,500}\")?\)"  # link targets ](url "title")
    r"|\]\[[^\]\n]{0,500}\]"  # reference links ][id]
    r"|^[ \t]{0,3}\[[^\]\n]+\]:[^\n]*$"  # link reference definitions
    r"|<[A-Za-z/!][^>\n]{0,1000}>"  # inline HTML and autolinks
    r"|https?://[^\s)>\]]+"  # bare URLs
    r"|^[ \t]{0,3}#{1,6}(?=\s)"  # ATX heading markers
    r"|^[ \t]{0,3}(?:>[ \t]?)+"  # blockquote markers
    r"|!?\[(?=[^\]\n]{0,500}\]\()"  # the [ of a link or image
    r"|\*+|~~+|(?<!\w)_+|_+(?!\w)",  # emphasis markers
    re.M,
)
_BACKTICKS = re.compile(r"`+")


def _comment_spans(text: str) -> Iterator[tuple[int, int]]:
    """``<!-- ... -->`` spans, in one left-to-right pass (an unclosed one ends the scan)."""
    pos = 0
    while True:
        a = text.find("<!--", pos)
        if a == -1:
            return
        b = text.find("-->", a + 4)
        if b == -1:
            return
        yield a, b + 3
        pos = b + 3


def _code_spans(text: str) -> Iterator[tuple[int, int]]:
    """Inline code spans: a run of N backticks up to the next run of exactly N (CommonMark)."""
    runs = [(m.start(), m.end() - m.start()) for m in _BACKTICKS.finditer(text)]
    by_len: dict[int, list[int]] = {}
    for i, (_, n) in enumerate(runs):
        by_len.setdefault(n, []).append(i)
    i = 0
    while i < len(runs):
        start, n = runs[i]
        same = by_len[n]
        k = bisect.bisect_right(same, i)
        if k == len(same):
            i += 1  # no closer: the run is literal text
            continue
        j = same[k]
        yield start, runs[j][0] + n
        i = j + 1


def _blank(chars: list[str], start: int, end: int) -> None:
    for i in range(start, end):
        if chars[i] not in "\r\n":
            chars[i] = " "


_LINE_BREAK = re.compile(r"\r\n?|\n")


def mask_markdown(text: str) -> str:
    """``text`` with everything that is not prose replaced by spaces (same length).

    Code blocks (fenced and indented), HTML blocks and comments, front matter, inline code,
    link targets, URLs and markup characters are blanked; newlines stay, so line numbers
    and offsets are unchanged. Uses markdown-it-py for the block structure.
    """
    from markdown_it import MarkdownIt

    chars = list(text)
    fm = _FRONT_MATTER.match(text)
    if fm:
        _blank(chars, 0, fm.end())
    # line start offsets, for the block token line maps (markdown-it breaks lines at "\r\n",
    # a lone "\r" and "\n", so the same breaks count here)
    starts = [0]
    starts.extend(m.end() for m in _LINE_BREAK.finditer(text))
    starts.append(len(text))
    src = "".join(chars) if fm else text
    # block structure only: inline parsing is not needed here, and markdown-it's link
    # parser is slow (quadratic) on long runs of unclosed "[text](" brackets
    md = MarkdownIt("commonmark").enable("table").disable("inline")
    for tok in md.parse(src):
        if tok.map is None:
            continue
        if tok.type in ("fence", "code_block", "html_block", "hr"):
            a, b = tok.map
            _blank(chars, starts[a], starts[min(b, len(starts) - 1)])
        elif tok.type == "heading_open" and tok.markup in ("=", "-"):
            # setext heading: blank the underline
            a, b = tok.map
            _blank(chars, starts[b - 1], starts[min(b, len(starts) - 1)])
    masked = "".join(chars)
    for a, b in _comment_spans(masked):
        _blank(chars, a, b)
    masked = "".join(chars)
    for a, b in _code_spans(masked):
        _blank(chars, a, b)
    masked = "".join(chars)
    for m in _INLINE_MASKS.finditer(masked):
        _blank(chars, m.start(), m.end())
    return "".join(chars)


# ---------------------------------------------------------------------------------------
# Blocks and sentences

_BLANK_LINE = re.compile(r"\n[ \t\r]*\n")


def split_blocks(text: str) -> Iterator[tuple[int, int]]:
    """Blank-line separated blocks of ``text`` as ``(start, end)`` spans."""
    pos = 0
    for m in _BLANK_LINE.finditer(text):
        if m.start() > pos:
            yield pos, m.start()
        pos = m.end()
    if pos < len(text):
        yield pos, len(text)


@dataclass(frozen=True, slots=True)
class Sentence:
    """A sentence of the normalized text: its span and the paragraph it belongs to."""

    start: int
    end: int
    paragraph: int


# "." ends a sentence before a capital or a digit; "?" and "!" before any word (informal text
# goes on in lower case: "does a 20 sec hug release oxytocin? genuinely asking")
_BOUNDARY = re.compile(
    r"[.!?]+[\"')\]]*(?=\s+[\"'(\[]?[A-Z0-9])|[!?]+[\"')\]]*(?=\s+\S)|[.!?]+[\"')\]]*(?=\s*$)|\n"
)
_ABBREV = re.compile(
    r"(?:\b(?:e\.g|i\.e|al|Dr|Mr|Mrs|Ms|Prof|St|vs|Fig|No|approx|ca|cf|Jr|Sr|Inc|Ltd|etc|Vol|pp|Eq|Ref|Refs|U\.S|Gen|Col|Rev)|\b[A-Z])\.$"
)
_LIST_START = re.compile(r"[ \t]*(?:[-*+\u2022\u25b6|>]|\d{1,3}[.)])[ \t]")
_TERMINAL = re.compile(r"[.!?:;][\"')\]]*[ \t\r]*$")


def split_sentences(
    text: str, start: int, end: int, paragraph: int = 0, *, limit: int | None = None
) -> list[Sentence]:
    """Sentences of ``text[start:end]`` (one block), with paragraph numbers.

    A sentence ends at ``.`` before an upper-case start or a digit (not after "e.g.",
    "et al." or an initial such as "C."), at ``!``/``?`` before any word, and at a line
    break that is not a wrapped line: after terminal punctuation, before a list item or
    table row, or after a short heading-like line. Each such line break also starts a new
    paragraph. With ``limit``, only the first ``limit`` sentences are returned (and the rest
    is not scanned).
    """
    out: list[Sentence] = []
    s = start
    para = paragraph
    for m in _BOUNDARY.finditer(text, start, end):
        if limit is not None and len(out) >= limit:
            return out
        if m.group() == "\n":
            nl = m.start()
            line_start = text.rfind("\n", start, nl) + 1
            line = text[max(line_start, start) : nl]
            nxt = text[nl + 1 : min(end, nl + 120)]
            hard = (
                _TERMINAL.search(line) is not None
                or _LIST_START.match(nxt) is not None
                or (len(line.strip()) <= 60 and nxt[:1].isupper())
                or not line.strip()
            )
            if not hard:
                continue
            e = nl
            if text[s:e].strip():
                out.append(_trim(text, s, e, para))
            para += 1
            s = nl + 1
            continue
        e = m.end()
        if m.group()[0] == "." and _ABBREV.search(text, max(start, m.start() - 6), m.start() + 1):
            continue
        if text[s:e].strip():
            out.append(_trim(text, s, e, para))
        s = e
    if s < end and text[s:end].strip():
        out.append(_trim(text, s, end, para))
    return out


def _trim(text: str, s: int, e: int, para: int) -> Sentence:
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    return Sentence(s, e, para)
