"""Typed records of the knowledge base: claims, sources, documents and overclaims.

Every record is a frozen pydantic v2 model, so a record read from ``data/`` cannot be
changed by accident and round-trips to JSON exactly. ``Claim`` is a discriminated union
on ``kind`` (:class:`Assertion`, :class:`Definition`, :class:`Objective`,
:class:`Example`, :class:`Question`).
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, model_validator


class Maturity(StrEnum):
    """How mature the evidence behind a claim is (DESIGN.md §4)."""

    ESTABLISHED = "established"
    CONTESTED = "contested"
    LLM_AUTHORED = "llm_authored"


class ClaimKind(StrEnum):
    """What kind of statement a claim is."""

    ASSERTION = "assertion"
    DEFINITION = "definition"
    OBJECTIVE = "objective"
    EXAMPLE = "example"
    QUESTION = "question"


class Severity(StrEnum):
    """How loudly the audit reports a finding."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


class OverclaimStatus(StrEnum):
    """What the reference document says of an overclaim's proposition."""

    REFUTED = "refuted"
    UNPROVEN = "unproven"
    CONTESTED = "contested"


class SourceKind(StrEnum):
    """What sort of publication a source is."""

    REVIEW = "review"
    PRIMARY_STUDY = "primary_study"
    CRITICAL_REVIEW = "critical_review"
    POPULAR_HEALTH = "popular_health"
    ENCYCLOPEDIA = "encyclopedia"
    VIDEO = "video"
    OTHER = "other"


CATEGORIES: tuple[str, ...] = (
    "hormone-label",
    "trust-effect",
    "love-bonding-effect",
    "always-prosocial",
    "intranasal-treatment",
    "single-molecule",
    "unsafe-product",
    "animal-to-human",
    "causal-inflation",
    "universal-touch",
)
"""The overclaim categories of DESIGN.md §6 (a contract: reports and scores use these ids)."""


class _Record(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", use_enum_values=False)


class Span(_Record):
    """Half-open character offsets ``[start, end)`` into a document."""

    start: int = Field(ge=0)
    end: int = Field(ge=0)

    @model_validator(mode="after")
    def _ordered(self) -> Span:
        # One Python call per span, on the built record: cheaper than a field validator
        # with its ValidationInfo (two spans a claim, 200,000 spans in a large data folder).
        if self.end < self.start:
            raise ValueError(f"end {self.end} is before start {self.start}")
        return self


class Override(_Record):
    """A curated maturity rating that replaces the computed one, with its own reason."""

    maturity: Maturity
    rationale: str = Field(min_length=1)


class _ClaimBase(_Record):
    id: str = Field(min_length=1, description="Stable id such as 'oxytocin/evidence-base/3'.")
    document: str = Field(min_length=1, description="Id of the document the claim comes from.")
    text: str = Field(min_length=1, description="The statement verbatim, without its marker.")
    section: str = Field(min_length=1)
    paragraph: int = Field(ge=0, description="Paragraph number within the document (0-based).")
    position: int = Field(ge=1, description="1-based position of the claim in its section.")
    span: Span = Field(description="Offsets of the whole statement, marker included.")
    marker: str | None = Field(default=None, description="Raw citation marker: '23', 'LLM'.")
    marker_span: Span | None = None
    citations: tuple[str, ...] = Field(default=(), description="Source ids the marker cites.")
    maturity: Maturity = Maturity.LLM_AUTHORED
    rationale: str = ""
    override: Override | None = None
    refutes: tuple[str, ...] = Field(default=(), description="Overclaim ids the claim refutes.")
    mentions: tuple[str, ...] = Field(default=(), description="Overclaim ids it names.")
    terms: tuple[str, ...] = Field(default=(), description="Key terms the statement uses.")

    @property
    def is_overridden(self) -> bool:
        """True when the maturity comes from a curated override."""
        return self.override is not None

    def _repr_html_(self) -> str:  # pragma: no cover - exercised through render tests
        from claimaudit.render import claim_html

        return str(claim_html(self))


class Assertion(_ClaimBase):
    """A prose sentence of the document."""

    kind: Literal["assertion"] = "assertion"


class Example(_ClaimBase):
    """A sentence of an 'LLM-generated illustrative example' paragraph."""

    kind: Literal["example"] = "example"


class Question(_ClaimBase):
    """A reflective or supervision question."""

    kind: Literal["question"] = "question"


class Definition(_ClaimBase):
    """A key term and its definition (``- Term: definition``)."""

    kind: Literal["definition"] = "definition"
    term: str = Field(min_length=1)
    definition: str = Field(min_length=1)


class Objective(_ClaimBase):
    """A row of the SMART-objectives table."""

    kind: Literal["objective"] = "objective"
    goal: str = Field(min_length=1)
    objective: str = Field(min_length=1)
    mechanism: str = Field(min_length=1)


Claim = Annotated[
    Assertion | Definition | Objective | Example | Question,
    Field(discriminator="kind"),
]
"""One statement of a document; the concrete class is chosen by ``kind``."""

claim_adapter: TypeAdapter[Claim] = TypeAdapter(Claim)


class Source(_Record):
    """A work a document cites. Unverified bibliographic fields stay empty."""

    id: str = Field(min_length=1, pattern=r"^[a-z0-9][a-z0-9._-]*$")
    number: int | None = Field(default=None, ge=1, description="Position in the document's list.")
    title: str = Field(min_length=1)
    listed_as: tuple[str, ...] = Field(
        default=(), description="The exact Resources-list lines that name this source."
    )
    authors: tuple[str, ...] = ()
    year: int | None = None
    venue: str | None = None
    volume: str | None = None
    pages: str | None = None
    doi: str | None = None
    pmid: str | None = None
    pmcid: str | None = None
    url: str | None = None
    kind: SourceKind = SourceKind.OTHER
    peer_reviewed: bool | None = None
    critiques: tuple[str, ...] = Field(default=(), description="Ids of sources it critiques.")
    note: str | None = None

    @property
    def link(self) -> str | None:
        """The best link to the source: its DOI resolver address, else its URL."""
        if self.doi:
            return f"https://doi.org/{self.doi}"
        return self.url

    @property
    def citation(self) -> str:
        """A short human-readable citation such as 'Kosfeld et al. 2005'."""
        if self.authors:
            first = self.authors[0].split()[0].rstrip(",")
            who = first if len(self.authors) == 1 else f"{first} et al."
            return f"{who} {self.year}" if self.year else who
        return self.venue or self.title

    def _repr_html_(self) -> str:  # pragma: no cover - exercised through render tests
        from claimaudit.render import source_html

        return str(source_html(self))


class Document(_Record):
    """A source document of the knowledge base and how its citation numbers resolve."""

    id: str = Field(min_length=1, pattern=r"^[a-z0-9][a-z0-9._-]*$")
    title: str = Field(min_length=1)
    path: str = Field(min_length=1, description="Path relative to the data folder.")
    sources: tuple[str, ...] = Field(
        default=(), description="Source ids in the order of the document's Resources list."
    )


class CatalogExamples(_Record):
    """Sentences an overclaim entry must flag and must leave alone; each one is a test."""

    flag: tuple[str, ...] = ()
    ok: tuple[str, ...] = ()


class OverclaimPattern(_Record):
    """One detection pattern of an overclaim entry (the audit engine's pattern language).

    ``regex`` is a Python regular expression (matched case-insensitively) that may use the
    ``{macro}`` names of ``data/lexicon.yaml`` (``{subj}``, ``{up}``, ``{trust}``, ``{gap4}`` …).
    A named group ``hit`` narrows the flagged words; otherwise the whole match is flagged.
    """

    regex: str = Field(min_length=1)
    topic: Literal["required", "self", "none"] = Field(
        default="required",
        description="'required': oxytocin must be the topic of the sentence or of the few "
        "sentences before it; 'self': the match names it; 'none': no topic needed.",
    )
    hedge_proof: bool = Field(
        default=False, description="A hedge ('may', 'suggests') does not rescue this pattern."
    )
    label: bool = Field(
        default=False,
        description="A label: a debunk in the next sentence of the paragraph rescues it.",
    )
    requires: str | None = Field(
        default=None, description="Another regex (with macros) the sentence must also match."
    )
    category: str | None = Field(default=None, description="Overrides the entry's category.")
    severity: Severity | None = Field(default=None, description="Overrides the entry's severity.")
    note: str | None = None


class Overclaim(_Record):
    """A proposition the reference document marks as false, unproven or misleading.

    Like a Ruff rule it explains itself: ``what`` it flags, ``why`` that is an
    overclaim, an ``example``, and what to ``say_instead``.
    """

    id: str = Field(min_length=1, pattern=r"^[a-z0-9][a-z0-9-]*$")
    title: str = Field(min_length=1)
    category: str = Field(min_length=1)
    proposition: str = Field(min_length=1)
    status: OverclaimStatus
    severity: Severity = Severity.ERROR
    what: str = Field(min_length=1, description="What the entry flags.")
    why: str = Field(min_length=1, description="Why it is an overclaim.")
    example: str = Field(min_length=1, description="A sentence that asserts it.")
    say_instead: str = Field(min_length=1, description="A safer wording.")
    refuted_by: tuple[str, ...] = Field(default=(), description="Claim ids that refute it.")
    mentioned_by: tuple[str, ...] = Field(
        default=(), description="Claim ids that name it without refuting or asserting it."
    )
    asserted_by: tuple[str, ...] = Field(
        default=(), description="Claim ids that assert it (graded contested)."
    )
    sources: tuple[str, ...] = Field(default=(), description="Source ids that refute it.")
    patterns: tuple[OverclaimPattern, ...] = Field(
        default=(), description="Detection patterns, in the audit engine's pattern language."
    )
    examples: CatalogExamples = CatalogExamples()

    def _repr_html_(self) -> str:  # pragma: no cover - exercised through render tests
        from claimaudit.render import overclaim_html

        return str(overclaim_html(self))
