"""Assembling what the assistant says from ranked clauses: citations, or a plain 'not covered'."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from ..ingest.clause_text import clause_units
from ..types import Answer, Citation, Clause, DocumentMeta, Hit
from .lexical import tokenize


@dataclass(frozen=True, slots=True)
class ScoredClause:
    """A clause with the score and the route that found it, before citations are attached."""

    clause: Clause
    score: float
    matched_by: str = "semantic"


NOT_COVERED = "The policies do not cover this question."
_CONTACT_HEADING = ("contact", "further information", "who to ask")


def contact_clauses(clauses: Sequence[Clause]) -> tuple[Clause, ...]:
    """Clauses under a contacts heading ('Appendix 4 › Contact Details'), where a corpus has one."""
    return tuple(c for c in clauses if any(word in c.heading.lower() for word in _CONTACT_HEADING))


def not_covered_message(
    clauses: Sequence[Clause], metas: Mapping[str, DocumentMeta], *, subject: str = ""
) -> str:
    """'Not covered', naming the other subject it reads as (if any) and whom to ask (pure)."""
    lead = NOT_COVERED
    if subject:
        lead += f" It reads as a question about {subject}, which is normally dealt with in other policies."
    contacts = contact_clauses(clauses)
    if not contacts:
        return f"{lead} Ask your headteacher or HR adviser."
    first = contacts[0]
    citation = make_citation(first, metas[first.doc_id])
    return f"{lead} For advice, see the contacts in {citation.format()}:\n{first.full_text}"


def make_citation(clause: Clause, meta: DocumentMeta) -> Citation:
    """How a reader cites the clause: document, issuer, clause number, heading path, date."""
    return Citation(
        doc_id=clause.doc_id,
        doc_title=meta.title,
        issuer=meta.issuer,
        clause_number=clause.label,
        heading=clause.heading,
        date=meta.date,
        page=clause.page,
        version=meta.version,
    )


def best_sentence(clause: Clause, query_terms: frozenset[str]) -> str:
    """The sentence (or list item) of a clause sharing most stemmed words with the question (pure)."""
    text = clause.full_text
    best, best_overlap = "", 0
    for start, end in clause_units(clause):
        overlap = len(query_terms.intersection(tokenize(text[start:end])))
        if overlap > best_overlap:
            best, best_overlap = text[start:end], overlap
    return best


def assemble_answer(
    question: str,
    ranked: Sequence[ScoredClause],
    metas: Mapping[str, DocumentMeta],
    *,
    answered: bool,
    message: str = "",
    notices: Sequence[str] = (),
    query_terms: frozenset[str] = frozenset(),
) -> Answer:
    """Turn ranked clauses into an Answer with 1-based ranks and a citation on every hit (pure).

    Args:
        question: the question as the user asked it.
        ranked: clauses best first.
        metas: document metadata by doc_id, for the citations.
        answered: whether the clauses answer the question; if not, no clause is shown as an answer.
        message: what to say instead when not answered (defaults to a plain 'not covered').
        notices: extra remarks for the user (e.g. the question was shortened).
        query_terms: stemmed question words; the best-matching sentence of each clause is highlighted.

    Returns:
        The Answer.
    """
    if not answered:
        return Answer(question, False, (), message or NOT_COVERED, tuple(notices))
    hits = tuple(
        Hit(
            clause=item.clause,
            score=item.score,
            citation=make_citation(item.clause, metas[item.clause.doc_id]),
            rank=rank,
            matched_by=item.matched_by,
            highlight=best_sentence(item.clause, query_terms) if query_terms else "",
        )
        for rank, item in enumerate(ranked, start=1)
    )
    return Answer(question, True, hits, message, tuple(notices))


def answer_to_json(answer: Answer, *, question_id: str | None = None) -> dict[str, object]:
    """The stable machine-readable shape used by ``search --questions`` and ``ask --json``."""
    data: dict[str, object] = {}
    if question_id is not None:
        data["id"] = question_id
    data["answered"] = answer.answered
    data["results"] = [
        {
            "rank": hit.rank,
            "score": round(float(hit.score), 4),
            "doc_id": hit.clause.doc_id,
            "doc_title": hit.citation.doc_title,
            "clause": hit.clause.number,
            "reference": hit.clause.label,
            "page": hit.clause.page,
            "heading_path": hit.clause.heading,
            "text": hit.clause.full_text,
            "citation": hit.citation.format(),
        }
        for hit in answer.hits
    ]
    if answer.message:
        data["message"] = answer.message
    if answer.notices:
        data["notices"] = list(answer.notices)
    return data
