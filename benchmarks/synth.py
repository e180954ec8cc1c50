"""Seeded synthetic documents in the reference format, and data folders of N documents.

Every document follows the format of ``data/documents/oxytocin-social-bonding.txt``
(DESIGN.md §2): section headings, prose sentences closed by citation markers (``23`` =
sources 2 and 3, ``LLM``, or none), an "LLM-generated illustrative example" paragraph, the
SMART-objectives table, ``- Term: definition`` key terms, a Resources list (item N is
source N, at most nine items so run-together markers stay unambiguous, plus a ``▶ Watch``
line) and reflective questions. Each document is about its own made-up neuropeptide, so the
catalog can grow with the documents; its Resources list is drawn from one shared pool of
sources, so the same paper cited by two documents is one source of the knowledge base.

The generator records what it wrote (:class:`Statement`: section, kind, text without its
marker, marker and the source ids it cites), so a test can check that ingest recovers it.

Usage::

    python benchmarks/synth.py OUT_DIR --documents 100 [--seed 0] [--no-reference]

``build_data_folder`` writes ``documents.yaml``, ``sources.yaml``, ``claims.jsonl`` and
``overclaims.yaml`` (the bundled catalog, plus with ``catalog_per_document`` one entry per
synthetic document) beside ``documents/*.txt``. With ``include_reference`` (the default),
document 1 is the bundled reference document with the bundled claims and catalog, so a
one-document folder is exactly the bundled knowledge base.
"""

from __future__ import annotations

import argparse
import random
import shutil
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from claimaudit.models import Overclaim, Source

MAX_SOURCES = 9

SECTIONS_PROSE = (
    "Type & Discipline",
    "Creators & Lineage",
    "Core Principles",
    "Interventions & Techniques",
    "Evidence Base",
    "Populations & Indications",
    "Problems-for-Work",
    "Contraindications, Cautions & Cultural Humility",
)
SECTION_TABLE = "Treatment-Plan Suggestions & SMART Objectives"
SECTION_MISCONCEPTIONS = "Common Misconceptions"
SECTION_TRAINING = "Training & Certification"
SECTION_TERMS = "Key Terms"
SECTION_RESOURCES = "Resources & Further Reading"
SECTION_QUESTIONS = "Reflective / Supervision Questions"

_SYLLABLES = (
    "va", "lo", "ne", "ri", "to", "sa", "mi", "ko", "de", "lu", "pa", "zo", "fe", "ga",
    "ti", "mo", "ru", "xe", "bi", "ca", "dro", "phe", "qui", "sten",
)  # fmt: skip
_ENDINGS = ("nin", "rin", "tocin", "pressin", "lin", "morphin", "tide", "sin")
_SURNAMES = (
    "Abara", "Bergstrom", "Castellanos", "Dufresne", "Eriksen", "Fujimoto", "Gallagher",
    "Halvorsen", "Ibrahim", "Jankowski", "Kovacs", "Lindqvist", "Moreau", "Nakamura",
    "Okafor", "Petrov", "Quintero", "Rasmussen", "Sandoval", "Tanaka", "Ueda", "Varga",
    "Whitfield", "Xu", "Yilmaz", "Zeller",
)  # fmt: skip
_VENUES = (
    "Journal of Social Neuroscience", "Hormones and Behavior", "Psychoneuroendocrinology",
    "Frontiers in Behavioral Neuroscience", "Biological Psychiatry", "Clinical Psychology Review",
    "Neuroscience & Biobehavioral Reviews", "Developmental Psychobiology",
)  # fmt: skip
_TITLE_WORDS = (
    "neuropeptide", "regulation", "affiliation", "bonding", "stress", "recovery", "receptor",
    "signalling", "behaviour", "attachment", "caregiving", "trust", "reward", "vigilance",
    "context", "plasticity", "development", "cooperation", "social", "memory",
)  # fmt: skip
_SUBJECTS = (
    "{M}", "{M} signalling", "The {m} system", "Receptor density for {m}",
    "Research on {m}", "Release of {m}", "Central {m} activity",
)  # fmt: skip
_VERBS = (
    "is associated with", "modulates", "contributes to", "is studied in relation to",
    "varies with", "interacts with", "is thought to shape", "tracks",
)  # fmt: skip
_OBJECTS = (
    "affiliative behaviour in small groups", "stress recovery after social contact",
    "parental care in several mammals", "the salience of familiar faces",
    "vigilance toward unfamiliar partners", "reward signalling during cooperation",
    "the calming effect of predictable warmth", "pair formation in monogamous rodents",
    "social memory in laboratory animals", "the physiology of labor and lactation",
    "approach behaviour when the setting feels safe", "the regulation of threat responses",
)  # fmt: skip
_TAILS = (
    "", "", "", " in controlled laboratory settings", " across several species",
    " — though findings differ between studies", " in the “calm and connection” sense",
    ", with effects that depend on context", " when relationships feel predictable",
)  # fmt: skip
_LABELS = ("love", "trust", "cuddle", "bonding", "calm", "kindness")
_GOALS = (
    ("Increase felt relational safety", "Affiliative contact associated with stress recovery"),
    ("Build co-regulation skills", "Bidirectional affiliation and calming feedback loop"),
    ("Reduce social withdrawal", "Restoring affiliative inputs that support calm states"),
    ("Strengthen caregiver attunement", "Caregiving circuitry the neuropeptide system supports"),
    ("Reframe trust difficulty without shame", "Context-dependent neurochemistry of bonding"),
    ("Lower stress reactivity in relationships", "Safe connection as a regulator of threat"),
    ("Correct hormone-label misconceptions", "Accurate, evidence-honest psychoeducation"),
)


@dataclass(frozen=True)
class Statement:
    """One statement the generator wrote, as ingest should read it back."""

    section: str
    kind: str  # assertion | example | objective | definition | question
    text: str  # the statement without its marker (what ``Claim.text`` should be)
    marker: str | None
    citations: tuple[str, ...]
    extra: tuple[tuple[str, str], ...] = ()  # term/definition or goal/objective/mechanism


@dataclass
class SynthDocument:
    """A generated document: its text, the sources it lists, and what it states."""

    id: str
    title: str
    molecule: str
    text: str
    sources: list[Source]
    statements: list[Statement] = field(default_factory=list)
    overclaims: list[Overclaim] = field(default_factory=list)

    @property
    def filename(self) -> str:
        return f"{self.id}.txt"


def source_pool(size: int, seed: int = 0) -> list[Source]:
    """``size`` made-up sources shared by every document; every tenth critiques the one before."""
    rng = random.Random(f"pool-{seed}")
    pool: list[Source] = []
    for i in range(size):
        surname = rng.choice(_SURNAMES)
        year = rng.randint(1990, 2024)
        words = rng.sample(_TITLE_WORDS, 4)
        title = f"{words[0].capitalize()} and {words[1]}: {words[2]} in {words[3]}"
        venue = rng.choice(_VENUES)
        sid = f"synth-{surname.lower()}-{year}-{i:04d}"
        critiques: tuple[str, ...] = ()
        kind = "review"
        if i % 10 == 9:
            critiques = (pool[i - 1].id,)
            kind = "critical_review"
            title = f"A critical review of {words[0]} and {words[1]} claims"
        pool.append(
            Source(
                id=sid,
                title=title,
                listed_as=(f"{surname} et al. ({year}) — {title} ({venue})",),
                authors=(f"{surname} A", f"{rng.choice(_SURNAMES)} B"),
                year=year,
                venue=venue,
                kind=kind,  # type: ignore[arg-type]
                peer_reviewed=True,
                critiques=critiques,
                note="Synthetic source generated by benchmarks/synth.py.",
            )
        )
    return pool


def _molecule(index: int, seed: int) -> str:
    rng = random.Random(f"molecule-{seed}-{index}")
    # The document index in base 24 keeps every name unique; the rest is decoration.
    digits = []
    n = index
    while True:
        digits.append(_SYLLABLES[n % len(_SYLLABLES)])
        n //= len(_SYLLABLES)
        if n == 0:
            break
    return "".join([rng.choice(_SYLLABLES), *digits, rng.choice(_ENDINGS)])


def _marker(rng: random.Random, n_sources: int, *, cited: float = 0.7) -> str | None:
    roll = rng.random()
    if roll < cited:
        k = rng.choice((1, 1, 1, 2, 2, 3))
        nums = sorted(rng.sample(range(1, n_sources + 1), min(k, n_sources)))
        return "".join(str(n) for n in nums)
    if roll < 0.95:
        return "LLM"
    return None


def make_document(index: int, pool: list[Source], seed: int = 0) -> SynthDocument:
    """Document number ``index`` (deterministic for ``index`` and ``seed``).

    Its Resources list holds 5–9 sources from ``pool``; ``pool[0]`` is in every list, at a
    position that varies, and the document's first sentence cites it, so that source is
    shared by every document.
    """
    rng = random.Random(f"doc-{seed}-{index}")
    mol = _molecule(index, seed)
    M, m = mol.capitalize(), mol
    doc_id = f"synth-{index:04d}-{mol}"
    n_src = rng.randint(5, MAX_SOURCES)
    others = rng.sample(range(1, len(pool)), n_src - 1)
    # Keep a critiqued source next to its critique sometimes, so grading sees both.
    picks = [0, *others]
    rng.shuffle(picks)
    sources = [pool[i] for i in picks]
    ids = [s.id for s in sources]
    shared_pos = picks.index(0) + 1

    lines: list[str] = []
    statements: list[Statement] = []

    def cites(marker: str | None) -> tuple[str, ...]:
        if marker is None or marker == "LLM":
            return ()
        return tuple(ids[int(d) - 1] for d in marker)

    def sentence(kind: str = "assertion") -> str:
        roll = rng.random()
        if roll < 0.1:
            body = (
                f"{rng.choice(_SURNAMES)} et al. reported that {m} {rng.choice(_VERBS)} "
                f"{rng.choice(_OBJECTS)}"
            )
        elif roll < 0.15:
            body = (
                f"{rng.choice('ABCDEFGHJKLMNPRST')}. {rng.choice(_SURNAMES)} argued that "
                f"{m} {rng.choice(_VERBS)} {rng.choice(_OBJECTS)}"
            )
        else:
            subject = rng.choice(_SUBJECTS).format(M=M, m=m)
            body = f"{subject} {rng.choice(_VERBS)} {rng.choice(_OBJECTS)}{rng.choice(_TAILS)}"
        return body[0].upper() + body[1:]

    def prose(section: str, n_paragraphs: int, first_marker: str | None = None) -> None:
        lines.append(section)
        for _ in range(n_paragraphs):
            parts: list[str] = []
            for _ in range(rng.randint(3, 4)):
                body = sentence()
                marker = first_marker if first_marker is not None else _marker(rng, n_src)
                first_marker = None
                parts.append(f"{body} {marker}." if marker else f"{body}.")
                statements.append(
                    Statement(section, "assertion", f"{body}.", marker, cites(marker))
                )
            lines.append(" ".join(parts))

    def example(section: str) -> None:
        parts = []
        for i in range(2):
            body = sentence()
            marker = "LLM" if i == 1 else None
            parts.append(f"{body} {marker}." if marker else f"{body}.")
            statements.append(Statement(section, "example", f"{body}.", marker, ()))
        lines.append("LLM-generated illustrative example (not a guideline): " + " ".join(parts))

    prose(SECTIONS_PROSE[0], 3, first_marker=str(shared_pos))
    prose(SECTIONS_PROSE[1], 2)
    prose(SECTIONS_PROSE[2], 3)
    prose(SECTIONS_PROSE[3], 2)
    example(SECTIONS_PROSE[3])
    prose(SECTIONS_PROSE[4], 3)
    prose(SECTIONS_PROSE[5], 2)
    prose(SECTIONS_PROSE[6], 2)
    example(SECTIONS_PROSE[6])
    prose(SECTIONS_PROSE[7], 2)

    lines.append(SECTION_TABLE)
    lines.append("| Goal | SMART objective (example) | Mechanism |")
    lines.append("|---|---|---|")
    for goal, mechanism in _GOALS:
        weeks = rng.randint(4, 16)
        objective = (
            f"Within {weeks} weeks, client practises one {m}-informed skill "
            f"in {rng.randint(2, 4)} of 5 sessions"
        )
        marker = _marker(rng, n_src, cited=0.9)
        cell = f"{mechanism} {marker}" if marker else mechanism
        lines.append(f"| {goal} | {objective} | {cell} |")
        statements.append(
            Statement(
                SECTION_TABLE,
                "objective",
                f"{goal} | {objective} | {mechanism}",
                marker,
                cites(marker),
                (("goal", goal), ("objective", objective), ("mechanism", mechanism)),
            )
        )

    label = rng.choice(_LABELS)
    lines.append(SECTION_MISCONCEPTIONS)
    critique = _marker(rng, n_src, cited=1.0)
    myth = (
        f"The most pervasive misconception is that {m} is “the {label} hormone” — "
        f"a single molecule that reliably produces {label}"
    )
    more = sentence()
    mk2 = _marker(rng, n_src)
    lines.append(f"{myth} {critique}. {more} {mk2}." if mk2 else f"{myth} {critique}. {more}.")
    statements.append(
        Statement(SECTION_MISCONCEPTIONS, "assertion", f"{myth}.", critique, cites(critique))
    )
    statements.append(Statement(SECTION_MISCONCEPTIONS, "assertion", f"{more}.", mk2, cites(mk2)))
    prose_start = len(lines)
    prose(SECTION_MISCONCEPTIONS, 1)
    del lines[prose_start]  # the heading is already written
    prose(SECTION_TRAINING, 2)

    lines.append(SECTION_TERMS)
    terms = [
        (M, "A made-up neuropeptide studied as part of social-bonding circuitry"),
        (f"{M} receptor", f"The receptor through which {m} acts, whose density varies"),
        ("Context-dependence", f"The principle that the effects of {m} vary with the setting"),
        ("Co-regulation", "Mutual calming between people in a safe relationship"),
        (f"Intranasal {m}", f"Administration of {m} by nasal spray, with contested evidence"),
        ("Calm and connection", "A restorative state associated with safe social contact"),
    ]
    for term, definition in terms:
        marker = _marker(rng, n_src, cited=0.8)
        lines.append(f"- {term}: {definition} {marker}." if marker else f"- {term}: {definition}.")
        statements.append(
            Statement(
                SECTION_TERMS,
                "definition",
                f"{term}: {definition}.",
                marker,
                cites(marker),
                (("term", term), ("definition", f"{definition}.")),
            )
        )

    lines.append(SECTION_RESOURCES)
    lines.append("▶ Watch — a video introduction to this concept:")
    for s in sources:
        lines.append(f"- {s.listed_as[0]}")

    lines.append(SECTION_QUESTIONS)
    for _ in range(6):
        q = (
            f"How do I explain {rng.choice(_OBJECTS)} without calling {m} "
            f"the {rng.choice(_LABELS)} hormone?"
        )
        marker = _marker(rng, n_src, cited=0.4)
        lines.append(f"- {q} {marker}" if marker else f"- {q}")
        statements.append(Statement(SECTION_QUESTIONS, "question", q, marker, cites(marker)))

    text = "\n".join(lines)  # no final newline, like the reference document
    doc = SynthDocument(
        id=doc_id,
        title=f"{M} and social-bonding neurochemistry (synthetic)",
        molecule=mol,
        text=text,
        sources=sources,
        statements=statements,
    )
    doc.overclaims = [_overclaim(doc, label)]
    return doc


def _overclaim(doc: SynthDocument, label: str) -> Overclaim:
    """A catalog entry for the document's own hormone-label myth, refuted by its first claim."""
    m = doc.molecule
    myth_id = f"{doc.id}/common-misconceptions/1"
    return Overclaim(
        id=f"{doc.id}-label",
        title=f"{m.capitalize()} as “the {label} hormone”",
        category="hormone-label",
        proposition=f"{m} is the {label} hormone",
        status="refuted",  # type: ignore[arg-type]
        what=f"Calling {m} the {label} hormone, as if one molecule produced {label}.",
        why=f"The synthetic document {doc.id} says the label is a misconception.",
        example=f"{m.capitalize()} is the {label} hormone.",
        say_instead=f"{m.capitalize()} is one part of the neurobiology of social bonding.",
        refuted_by=(myth_id,),
        patterns=(
            {
                "regex": rf"\b{m}\b[^.?!]{{0,40}}?\b(?:is|as)\b[^.?!]{{0,20}}?"
                rf"\b(?P<hit>{label} (?:hormone|molecule|chemical))\b",
                "topic": "none",
                "label": True,
            },
        ),
        examples={  # type: ignore[arg-type]
            "flag": (f"{m.capitalize()} is the {label} hormone.",),
            "ok": (f"Calling {m} the {label} hormone is a myth.",),
        },
    )


# --------------------------------------------------------------------------- data folders
def _bundled() -> Path:
    from claimaudit.kb import bundled_data_dir

    return bundled_data_dir()


def build_data_folder(
    out: str | Path,
    n_documents: int,
    *,
    seed: int = 0,
    include_reference: bool = True,
    catalog_per_document: bool = True,
    method: str = "fast",
) -> Path:
    """Write a data folder of ``n_documents`` documents to ``out`` (replaced if present).

    With ``include_reference`` document 1 is the bundled reference document (its curated
    claims, sources and catalog, copied as they are) and the other ``n_documents - 1`` are
    synthetic. ``method="rebuild"`` adds each synthetic document with
    :func:`claimaudit.build.rebuild`, the real code path (slow for many documents: it
    rereads the folder each time); ``"fast"`` ingests and grades every document with the
    same functions and saves once.
    """
    from claimaudit.grading import grade
    from claimaudit.ingest import ingest
    from claimaudit.kb import KnowledgeBase, link_overclaims
    from claimaudit.models import Document
    from claimaudit.storage import atomic_write_many, dump_yaml_records

    out = Path(out)
    if out.exists():
        shutil.rmtree(out)
    (out / "documents").mkdir(parents=True)
    n_synth = n_documents - 1 if include_reference else n_documents
    pool = source_pool(max(30, 3 * n_synth), seed)
    docs = [make_document(i + 1, pool, seed) for i in range(n_synth)]

    claims: list[Any] = []
    sources: dict[str, Source] = {}
    documents: dict[str, Document] = {}
    overclaims: dict[str, Overclaim] = {}
    if include_reference:
        import claimaudit

        ref = claimaudit.load()
        bundled = _bundled()
        for d in ref.documents.values():
            target = out / d.path
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(bundled / d.path, target)
        claims.extend(ref.claims)
        sources.update(ref.sources)
        documents.update(ref.documents)
        overclaims.update(ref.overclaims)
    else:
        overclaims.update({o.id: o for o in minimal_catalog()})
    if catalog_per_document:
        for d in docs:
            overclaims.update({o.id: o for o in d.overclaims})
    for d in docs:
        (out / "documents" / d.filename).write_text(d.text, encoding="utf-8")

    if method == "rebuild":
        from claimaudit.build import rebuild

        kb = KnowledgeBase(
            claims=claims,
            sources=sources,
            overclaims={},
            documents=documents,
            data_dir=out,
        )
        kb.save(out)
        known = {s.id: s for s in pool}
        # The pool's verified facts go in first, as an editor would add them.
        atomic_write_many(
            {out / "sources.yaml": dump_yaml_records([*sources.values(), *known.values()])}
        )
        for d in docs:
            rebuild(out, out / "documents" / d.filename, doc_id=d.id, title=d.title)
        atomic_write_many({out / "overclaims.yaml": dump_yaml_records(overclaims.values())})
        return out

    known = list(pool)
    by_pool_id = {s.id: s for s in pool}
    for d in docs:
        result = ingest(
            out / "documents" / d.filename,
            doc_id=d.id,
            title=d.title,
            known_sources=known,
            text=d.text,
        )
        doc = result.document.model_copy(update={"path": f"documents/{d.filename}"})
        documents[doc.id] = doc
        for s in result.sources:
            # A shared source has no single position: keep the pool's record (no number),
            # as rebuild() does for a source already in sources.yaml.
            sources.setdefault(s.id, by_pool_id.get(s.id, s))
        claims.extend(result.claims)
    # The whole pool is the library of sources the editors keep (as with rebuild()),
    # so a critique is in the graph even when no document lists it.
    for src in pool if docs else ():
        sources.setdefault(src.id, src)
    synth = [c for c in claims if not c.document.startswith("oxytocin")]
    base = [c for c in claims if c.document.startswith("oxytocin")]
    graded = grade(synth, sources, overclaims)
    kb = KnowledgeBase(
        claims=link_overclaims([*base, *graded], overclaims.values()),
        sources=sources,
        overclaims=overclaims,
        documents=documents,
        data_dir=out,
    )
    kb.save(out)
    return out


def minimal_catalog() -> list[Overclaim]:
    """A one-entry catalog with no links, for folders without the reference document."""
    return [
        Overclaim(
            id="hormone-label",
            title="A hormone as “the love hormone”",
            category="hormone-label",
            proposition="a neuropeptide is the love / trust hormone",
            status="refuted",  # type: ignore[arg-type]
            what="Calling a neuropeptide the love or trust hormone.",
            why="One molecule does not produce love or trust.",
            example="Oxytocin is the love hormone.",
            say_instead="Oxytocin is one part of the neurobiology of social bonding.",
        )
    ]


def cached_data_folder(root: str | Path, n_documents: int, *, seed: int = 0) -> Path:
    """``root/docs-N`` built once and reused (benchmarks keep it under ``benchmarks/out/``)."""
    folder = Path(root) / f"docs-{n_documents}-seed{seed}"
    stamp = folder / ".complete"
    mark = _fingerprint()
    if not stamp.exists() or stamp.read_text(encoding="utf-8").strip() != mark:
        build_data_folder(folder, n_documents, seed=seed)
        stamp.write_text(mark + "\n", encoding="utf-8")
    return folder


def _fingerprint() -> str:
    """A hash of this generator and the bundled data: a cached folder is stale when it changes."""
    import hashlib

    h = hashlib.blake2b(Path(__file__).read_bytes(), digest_size=16)
    bundled = _bundled()
    for name in ("documents.yaml", "sources.yaml", "claims.jsonl", "overclaims.yaml"):
        f = bundled / name
        h.update(f.read_bytes() if f.is_file() else b"-")
    return h.hexdigest()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--documents", "-n", type=int, default=10)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--no-reference", action="store_true")
    parser.add_argument("--method", choices=("fast", "rebuild"), default="fast")
    args = parser.parse_args(argv)
    t0 = time.perf_counter()
    out = build_data_folder(
        args.out,
        args.documents,
        seed=args.seed,
        include_reference=not args.no_reference,
        method=args.method,
    )
    print(f"wrote {out} ({args.documents} documents) in {time.perf_counter() - t0:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
