"""Frozen data types that flow between the pipeline stages."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Protocol, runtime_checkable

import numpy as np

HEADING_SEPARATOR = " › "


@dataclass(frozen=True, slots=True)
class DocumentMeta:
    """What a reader needs to cite a document: its human title, issuer and dates."""

    title: str
    issuer: str = ""
    issued: str = ""
    approved: str = ""
    reviewed: str = ""
    review_due: str = ""
    version: str = ""
    """The live version from the document's history ("version 2, added 2026-11-30"); "" without one."""

    @property
    def date(self) -> str:
        """The most useful single date to show beside a citation."""
        return self.approved or self.issued or self.reviewed


@dataclass(frozen=True, slots=True)
class Document:
    """One policy file as read from disk (text already decoded to str)."""

    doc_id: str
    source_name: str
    text: str
    content_hash: str
    meta: DocumentMeta
    modified: float = 0.0
    page_marks: tuple[tuple[int, int], ...] = ()
    """(offset in ``text``, page number) where each page starts, for paged formats (PDF)."""

    @property
    def version(self) -> str:
        """Short content hash: changes whenever the file's content does."""
        return self.content_hash[:12]


@dataclass(frozen=True, slots=True)
class Clause:
    """The unit the assistant returns: one citable clause with its provenance.

    ``text`` is the clause's own words with markup removed; ``stem`` is the lead-in
    sentence a sub-item only makes sense with ("... in a manner which may:-");
    ``note`` is a footnote that qualifies it. ``char_start``/``char_end`` slice the
    clause body out of the source text; ``note_span`` does the same for the note.
    """

    clause_id: str
    doc_id: str
    number: str
    heading_path: tuple[str, ...]
    char_start: int
    char_end: int
    text: str
    stem: str = ""
    note: str = ""
    note_span: tuple[int, int] | None = None
    parent_number: str = ""
    position: int = 0
    doc_version: str = ""
    """Short content hash of the document version this clause was read from."""
    reference: str = ""
    """The clause's unique reference within its document ("6.11", "5, item 3"); see ingest/labels.py."""
    page: int | None = None
    """The page the clause starts on, for formats that have pages (PDF); None otherwise."""

    @property
    def full_text(self) -> str:
        """Stem, body and note together: everything a reader must see with the clause."""
        return "\n".join(part for part in (self.stem, self.text, self.note) if part)

    @property
    def heading(self) -> str:
        return HEADING_SEPARATOR.join(self.heading_path)

    @property
    def label(self) -> str:
        """How the clause is cited: its unique reference, or its number before references existed."""
        return self.reference or self.number


@dataclass(frozen=True, slots=True)
class Citation:
    """Where a clause comes from, in the words a reader would use."""

    doc_id: str
    doc_title: str
    issuer: str
    clause_number: str
    heading: str
    date: str
    page: int | None = None
    version: str = ""

    def format(self) -> str:
        parts = [self.doc_title]
        if self.issuer and self.issuer.lower() not in self.doc_title.lower():
            parts.append(self.issuer)
        label = self.clause_number if self.clause_number[:1].isalpha() else f"clause {self.clause_number}"
        parts.append(label if self.page is None else f"{label} (p. {self.page})")
        if self.heading:
            parts.append(self.heading)
        if self.date:
            parts.append(self.date)
        if self.version:
            parts.append(self.version)
        return ", ".join(parts)


@dataclass(frozen=True, slots=True)
class Hit:
    """A clause returned for a question, with its score and citation.

    ``score`` orders hits within one answer only: it is the fused relevance, 1.0 for the best
    clause of a ranked search (plus a role boost), and 1.0 for every clause found by reference.
    It is not a cosine similarity and not comparable across questions.
    """

    clause: Clause
    score: float
    citation: Citation
    rank: int = 0
    matched_by: str = "semantic"
    highlight: str = ""
    """The sentence of ``clause.full_text`` that best matches the question ("" when none stands out)."""


@dataclass(frozen=True, slots=True)
class Answer:
    """What the assistant says: ranked, cited clauses, or a plain 'not covered'."""

    question: str
    answered: bool
    hits: tuple[Hit, ...]
    message: str = ""
    notices: tuple[str, ...] = field(default_factory=tuple)

    @property
    def citations(self) -> tuple[Citation, ...]:
        return tuple(hit.citation for hit in self.hits)


@runtime_checkable
class Embedder(Protocol):
    """Turns texts into L2-normalised float32 vectors, one row per text."""

    model_id: str
    dimension: int

    def embed(self, texts: Sequence[str]) -> np.ndarray: ...


# Given the clause vectors of an index, the extra words BM25 should match each clause by ('' for
# none): the adapted model's nearest training questions (models/question_bank.py).
LexicalExpander = Callable[[np.ndarray], list[str]]
