"""Comparing documents on one topic: each document's clauses side by side, aligned by sub-topic.

``compare`` is a thin wrapper: it searches each document on its own (so each keeps its own
'not covered' judgement) and embeds the clauses found. Everything else is pure: aligning clauses
across documents by embedding similarity (``align``), reading each document's position on the
topic from its clauses' wording (``position_of``) and detecting comparison questions.
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from ..answering.lexical import shared_words, tokenize
from ..answering.obligations import STRICTNESS, clause_strength
from ..answering.search import PolicyIndex
from ..answering.verdict import SHORT, Strength, doc_label
from ..models.packaged import tuning_for
from ..types import Citation, Clause, DocumentMeta, Hit

DEFAULT_TOP_K = 5
# A document's clauses on the topic: those scoring at least this share of its best clause.
RELATED_RATIO = 0.75
# Two clauses from different documents share a row when their cosine similarity reaches this.
MIN_ALIGN_SIMILARITY = 0.45
FACET_BONUS = 0.15
NOT_ADDRESSED = "not addressed"

_TOPIC_AFTER = r"(?:on|about|regarding|over|concerning|re|in terms of|when it comes to|with regard to)\s+"
_QUESTION_PATTERNS = tuple(
    re.compile(pattern, re.IGNORECASE)
    for pattern in (
        r"^(?:please\s+|can you\s+|could you\s+)?compare\b.*?\b" + _TOPIC_AFTER + r"(?P<topic>.+)$",
        r"\bdifferences?\s+between\b.*?\b" + _TOPIC_AFTER + r"(?P<topic>.+)$",
        r"\b(?:differ|vary|compare|disagree)\b(?:\s+from\s+[\w' ]+?)?\s+" + _TOPIC_AFTER + r"(?P<topic>.+)$",
        r"\b(?:differ|vary|disagree)\s+in\s+(?:how they treat|their treatment of|what they say about)\s+"
        r"(?P<topic>.+)$",
        r"^(?:do|does|did)\s+(?:both|all|the two|each of the)\s+(?:of the\s+)?(?:policies|documents|councils)"
        r"\s+(?P<topic>.+)$",
        r"^(?:please\s+|can you\s+)?compare\s+(?P<topic>.+?)(?:\s+(?:across|between|in)\s+(?:the\s+)?"
        r"(?:two|both)?\s*(?:policies|documents))?$",
        r"\bdifferences?\s+between\s+(?:the\s+)?(?:two\s+|both\s+)?(?:policies|documents)\s+(?P<topic>.+)$",
    )
)
_TRAILING_SCOPE = re.compile(
    r"\s+(?:in|across|between)\s+(?:the\s+)?(?:two|both)\s+(?:policies|documents)$", re.I
)
_GENERIC_TOPIC = re.compile(
    r"^(?:the\s+)?(?:two\s+|both\s+)?(?:policies|documents|them|these|this|it|that)$", re.IGNORECASE
)
_STOPWORDS = frozenset(
    re.findall(
        r"\w+",
        """the and for with that this from their they them have will your when
    what which about into other such any are was were been being there these
    those than then also only must should shall could would may might can not
    does doing each more most some very through whether""",
    )
)


@dataclass(frozen=True, slots=True)
class Cell:
    """One document's clause in a row, with the strength of its wording."""

    hit: Hit
    strength: Strength | None


@dataclass(frozen=True, slots=True)
class Row:
    """A sub-topic: key words shared by its clauses, and one cell per document (None: no clause)."""

    subtopic: str
    cells: tuple[Cell | None, ...]


@dataclass(frozen=True, slots=True)
class Position:
    """A document's stance on the topic, as a strength label with the clause it comes from.

    ``strength`` is the strictest wording among the clauses closest to the topic; ``strictest``
    is set only when a less central clause on the topic is stricter still.
    """

    doc_id: str
    doc_label: str
    addressed: bool
    strength: Strength | None = None
    clause_number: str = ""
    strictest: Strength | None = None
    strictest_number: str = ""

    def format(self) -> str:
        if not self.addressed:
            return f"{self.doc_label}: does not address this topic"
        if self.strength is None:
            return f"{self.doc_label}: addressed, with no rule wording (read the clauses)"
        text = f"{self.doc_label}: {SHORT[self.strength]} ({self.clause_number})"
        if self.strictest is not None:
            text += f"; elsewhere on this topic: {SHORT[self.strictest]} ({self.strictest_number})"
        return text


@dataclass(frozen=True, slots=True)
class Comparison:
    """Documents side by side on one topic: positions first, then aligned rows of clauses."""

    topic: str
    doc_ids: tuple[str, ...]
    positions: tuple[Position, ...]
    rows: tuple[Row, ...]

    @property
    def doc_labels(self) -> tuple[str, ...]:
        return tuple(position.doc_label for position in self.positions)

    @property
    def differ(self) -> bool:
        """True when the documents addressing the topic use different strengths (or only some address it)."""
        return len({(p.addressed, p.strength) for p in self.positions}) > 1


def is_comparison_question(question: str) -> str | None:
    """The topic of a comparison question ('How do the two policies differ on X?' → 'X'), else None."""
    text = " ".join(question.split()).rstrip(" ?.!")
    for pattern in _QUESTION_PATTERNS:
        if match := pattern.search(text):
            topic = match.group("topic").strip(" ,;:-")
            topic = re.sub(r"^(?:the\s+)?(?:topic|subject|question|issue)\s+of\s+", "", topic, flags=re.I)
            topic = _TRAILING_SCOPE.sub("", topic)
            if topic and not _GENERIC_TOPIC.match(topic):
                return topic
    return None


def _words(text: str) -> list[str]:
    return [w for w in re.findall(r"[a-z][a-z'-]{3,}", text.lower()) if w not in _STOPWORDS]


def subtopic_label(texts: Sequence[str], topic: str, *, limit: int = 3) -> str:
    """Key words shared by the clauses of a row, topic words first (a label, not policy text)."""
    sets = [set(_words(text)) for text in texts]
    shared = set.intersection(*sets) if len(sets) > 1 else sets[0] if sets else set()
    if not shared and sets:
        shared = sets[0] & set(_words(topic)) or sets[0]
    topic_words = _words(topic)
    order = {word: i for i, word in enumerate(_words(texts[0]))} if texts else {}
    ranked = sorted(shared, key=lambda w: (w not in topic_words, order.get(w, len(order))))
    return ", ".join(ranked[:limit])


def facet_bonus(texts: Sequence[str], topic: str, *, bonus: float = FACET_BONUS) -> np.ndarray:
    """Extra similarity for pairs of clauses sharing a topic word that not every clause has (pure).

    'Former' in "contact with former pupils" marks a sub-topic that 'pupils' (in every clause)
    does not; embeddings of long clauses blur such a word, so it is counted directly.
    """
    topic_terms = set(tokenize(topic))
    terms = [set(tokenize(text)) & topic_terms for text in texts]
    distinctive = {t for t in topic_terms if 0 < sum(t in found for found in terms) < len(terms)}
    shared = [[len(a & b & distinctive) for b in terms] for a in terms]
    return np.minimum(np.array(shared, dtype=np.float32).reshape(len(texts), len(texts)), 2) * bonus


def align(
    groups: Sequence[Sequence[Cell]],
    vectors: np.ndarray,
    *,
    topic: str = "",
    min_similarity: float = MIN_ALIGN_SIMILARITY,
) -> list[list[Cell | None]]:
    """Group cells of different documents into rows by similarity (pure).

    ``vectors`` holds one unit vector per cell, in the order of ``groups`` flattened; cosine
    similarity plus ``facet_bonus`` for distinctive topic words decides. The most similar pair
    of cells from different documents is joined first; a row never holds two cells of one
    document. Rows come out in order of their best-ranked cell.
    """
    cells = [(g, cell) for g, group in enumerate(groups) for cell in group]
    if len(vectors) != len(cells):
        raise ValueError(f"vectors must have one row per cell ({len(cells)}). Currently, {len(vectors)}.")
    row_of = list(range(len(cells)))
    docs_in = [{g} for g, _ in cells]
    members = [[i] for i in range(len(cells))]
    similarity = vectors @ vectors.T if len(cells) else np.zeros((0, 0))
    if topic and cells:
        similarity = similarity + facet_bonus([_own_words(c.hit.clause) for _, c in cells], topic)
    pairs = sorted(
        ((float(similarity[i, j]), i, j) for i in range(len(cells)) for j in range(i + 1, len(cells))),
        reverse=True,
    )
    for score, i, j in pairs:
        a, b = row_of[i], row_of[j]
        if score < min_similarity:
            break
        if a == b or docs_in[a] & docs_in[b]:
            continue
        for k in members[b]:
            row_of[k] = a
        members[a] += members[b]
        docs_in[a] |= docs_in[b]
        members[b], docs_in[b] = [], set()
    rows: list[list[Cell | None]] = []
    for row_members in sorted((m for m in members if m), key=lambda m: min(cells[k][1].hit.rank for k in m)):
        row: list[Cell | None] = [None] * len(groups)
        for k in sorted(row_members, key=lambda k: cells[k][1].hit.rank):
            row[cells[k][0]] = cells[k][1]
        rows.append(row)
    return rows


def position_of(doc_id: str, label: str, cells: Sequence[Cell], topic: str = "") -> Position:
    """A document's position: the clause with rule wording that says most of the topic, plus any stricter one.

    The clause sharing the topic's words best (rarer words count more; ties go to the better-ranked)
    speaks for the document ("former pupils: strongly discouraged"); a stricter clause further down
    the list is named beside it, not instead.
    """
    if not cells:
        return Position(doc_id, label, addressed=False)
    worded = sorted((c for c in cells if c.strength is not None), key=lambda c: c.hit.rank)
    if not worded:
        return Position(doc_id, label, addressed=True)
    said = shared_words(topic, [c.hit.clause.full_text for c in worded])
    lead = worded[max(range(len(worded)), key=lambda i: (round(said[i], 6), -i))]
    overall = _strictest(worded)
    stricter = overall if overall is not None and _rank(overall) < _rank(lead) else None
    return Position(
        doc_id,
        label,
        True,
        lead.strength,
        lead.hit.clause.number,
        stricter.strength if stricter else None,
        stricter.hit.clause.number if stricter else "",
    )


def _own_words(clause: Clause) -> str:
    # A shared lead-in ("This means that adults should:") says nothing about the sub-topic.
    return f"{clause.text} {clause.note}"


def _rank(cell: Cell) -> int:
    return STRICTNESS.index(cell.strength) if cell.strength else len(STRICTNESS)


def _strictest(cells: Sequence[Cell]) -> Cell | None:
    worded = [c for c in cells if c.strength is not None]
    return min(worded, key=lambda c: (_rank(c), c.hit.rank), default=None)


def document_label(doc_id: str, meta: DocumentMeta) -> str:
    """The short name the verdict uses for a document ('Doncaster'), without needing a hit (adapter)."""
    probe = Clause("", doc_id, "", (), 0, 0, "")
    return doc_label(Hit(probe, 0.0, Citation(doc_id, meta.title, meta.issuer, "", "", "")))


def build_comparison(
    topic: str,
    hits_by_doc: Mapping[str, Sequence[Hit]],
    metas: Mapping[str, DocumentMeta],
    vectors: np.ndarray,
    *,
    min_similarity: float = MIN_ALIGN_SIMILARITY,
) -> Comparison:
    """Assemble a Comparison from each document's topic clauses and their vectors (pure)."""
    doc_ids = tuple(hits_by_doc)
    groups = [[Cell(hit, clause_strength(hit.clause)) for hit in hits_by_doc[d]] for d in doc_ids]
    aligned = align(groups, vectors, topic=topic, min_similarity=min_similarity)
    rows = tuple(
        Row(subtopic_label([_own_words(c.hit.clause) for c in row if c], topic), tuple(row))
        for row in aligned
    )
    positions = tuple(
        position_of(doc_id, document_label(doc_id, metas[doc_id]), group, topic)
        for doc_id, group in zip(doc_ids, groups, strict=True)
    )
    return Comparison(topic, doc_ids, positions, rows)


def compare(
    index: PolicyIndex, topic: str, *, docs: Sequence[str] | None = None, top_k: int = DEFAULT_TOP_K
) -> Comparison:
    """Compare documents on a topic.

    Args:
        index: the loaded index.
        topic: what to compare ('contact with former pupils').
        docs: document ids to compare (None: those the topic names, if two or more; else all).
        top_k: at most this many clauses per document.

    Returns:
        A Comparison; a document whose search is not answered has no clauses and 'does not
        address this topic'.
    """
    if docs is None:
        named = index.plan(topic).mentioned_docs
        docs = sorted(named) if len(named) > 1 else [record.doc_id for record in index.documents]
    index.check_docs(docs)
    hits_by_doc: dict[str, list[Hit]] = {}
    closest = tuning_for(index.embedder.model_id).topic_min_cosine
    for doc_id in dict.fromkeys(docs):
        answer = index.search(topic, docs=[doc_id], top_k=top_k)
        # "Answered" is judged for a whole corpus; a document only addresses a compared topic when
        # its own closest clause is near enough in meaning as well.
        nearest = index.search(topic, docs=[doc_id], top_k=1, ranker="dense").hits
        addresses = answer.answered and bool(nearest) and nearest[0].score >= closest
        hits = [h for h in answer.hits if addresses and h.matched_by != "reference"]
        best = max((h.score for h in hits), default=0.0)
        hits_by_doc[doc_id] = [h for h in hits if h.score >= best * RELATED_RATIO]
    texts = [hit.clause.full_text for hits in hits_by_doc.values() for hit in hits]
    vectors = index.embedder.embed(texts) if texts else np.zeros((0, index.embedder.dimension), np.float32)
    return build_comparison(topic, hits_by_doc, index.metas, vectors)


def comparison_for_question(
    index: PolicyIndex, question: str, *, docs: Sequence[str] | None = None
) -> Comparison | None:
    """Compare when the question asks for a comparison (on the documents it names, if any), else None."""
    topic = is_comparison_question(question)
    if topic is None:
        return None
    named = index.plan(question).mentioned_docs
    return compare(index, topic, docs=sorted(named) if len(named) > 1 else docs)


def comparison_text(comparison: Comparison, *, width: int = 100) -> str:
    """Plain text for the terminal: positions, then each sub-topic with every document's clause."""
    lines = [f"Compare: {comparison.topic}", ""]
    lines += [position.format() for position in comparison.positions]
    for number, row in enumerate(comparison.rows, start=1):
        lines += ["", f"Sub-topic {number}: {row.subtopic}"]
        for label, cell in zip(comparison.doc_labels, row.cells, strict=True):
            if cell is None:
                lines.append(f"  {label}: {NOT_ADDRESSED}")
                continue
            strength = f" [{SHORT[cell.strength]}]" if cell.strength else ""
            lines.append(f"  {label}{strength}: {cell.hit.citation.format()}")
            for paragraph in cell.hit.clause.full_text.splitlines():
                lines.append(
                    textwrap.fill(paragraph, width, initial_indent=" " * 6, subsequent_indent=" " * 6)
                )
    return "\n".join(lines) + "\n"


def comparison_to_json(comparison: Comparison) -> dict[str, object]:
    """The stable machine-readable shape printed by ``compare --json``."""

    def cell_json(cell: Cell | None) -> dict[str, object] | None:
        if cell is None:
            return None
        clause = cell.hit.clause
        return {
            "clause": clause.number,
            "strength": cell.strength,
            "heading_path": clause.heading,
            "text": clause.full_text,
            "citation": cell.hit.citation.format(),
            "score": round(float(cell.hit.score), 4),
        }

    return {
        "topic": comparison.topic,
        "documents": list(comparison.doc_ids),
        "differ": comparison.differ,
        "positions": [
            {
                "doc_id": p.doc_id,
                "label": p.doc_label,
                "addressed": p.addressed,
                "strength": p.strength,
                "clause": p.clause_number,
                "stricter_elsewhere": p.strictest,
                "stricter_clause": p.strictest_number,
                "summary": p.format(),
            }
            for p in comparison.positions
        ],
        "rows": [
            {
                "subtopic": row.subtopic,
                "cells": {
                    doc: cell_json(cell) for doc, cell in zip(comparison.doc_ids, row.cells, strict=True)
                },
            }
            for row in comparison.rows
        ],
    }
