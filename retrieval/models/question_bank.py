"""Everyday wording for the lexical search: each clause's nearest training questions.

A policy says "must not identify themselves as employees in personal webpages"; staff type "can I
put where I work on my insta". The adapted model bridges that gap for dense search, but BM25 only
sees the clause's own words. So each clause is indexed for BM25 with the few questions from the
model's training data (our own policies' questions, never the seeds') closest to it in meaning:
their words ("insta", "where I work") become the clause's words for lexical matching. Measured on
the validation documents, which none of these questions is about (benchmarks/quality.py): hybrid
hit@1 0.595 → 0.619 with three questions per clause.

The bank (question texts and their vectors from the adapted model) is saved beside the model by
``train-model``; the stock model has none, and then clauses are indexed with their own words only.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..types import Embedder, LexicalExpander
from .packaged import adapted_model_dir, adapted_model_id

log = logging.getLogger(__name__)

BANK_TEXTS = "question_bank.json"
BANK_VECTORS = "question_bank.npy"
# Questions added per clause: 2 to 4 rank alike on validation; more start to add other clauses' words.
QUESTIONS_PER_CLAUSE = 3
_BLOCK = 4096  # clauses scored at once, so a large index needs no clauses x bank matrix in memory


@dataclass(frozen=True, slots=True)
class QuestionBank:
    """Training questions and their unit vectors from the model that indexes the clauses."""

    model_id: str
    questions: tuple[str, ...]
    vectors: np.ndarray

    def nearest(self, clause_vectors: np.ndarray, *, per_clause: int = QUESTIONS_PER_CLAUSE) -> list[str]:
        """For each clause vector, its ``per_clause`` closest questions joined into one text (pure)."""
        if not self.questions or per_clause < 1 or len(clause_vectors) == 0:
            return [""] * len(clause_vectors)
        take = min(per_clause, len(self.questions))
        texts: list[str] = []
        for start in range(0, len(clause_vectors), _BLOCK):
            scores = clause_vectors[start : start + _BLOCK] @ self.vectors.T
            best = np.argpartition(-scores, take - 1, axis=1)[:, :take]
            for row, columns in enumerate(best):
                ordered = sorted(columns, key=lambda c: -scores[row, c])
                texts.append(" ".join(self.questions[c] for c in ordered))
        return texts


def save_question_bank(folder: Path, questions: Sequence[str], vectors: np.ndarray) -> None:
    """Write the bank into a model folder (texts as JSON, vectors as .npy)."""
    if len(questions) != len(vectors):
        raise ValueError(f"{len(questions)} questions but {len(vectors)} vectors.")
    np.save(folder / BANK_VECTORS, np.asarray(vectors, dtype=np.float32))
    (folder / BANK_TEXTS).write_text(json.dumps(list(questions), ensure_ascii=False), encoding="utf-8")


def question_bank_for(model_id: str, folder: Path | None = None) -> QuestionBank | None:
    """The bank saved with the adapted model when ``model_id`` is that model's; else None."""
    folder = folder or adapted_model_dir()
    if adapted_model_id(folder) != model_id:
        return None
    try:
        questions = tuple(json.loads((folder / BANK_TEXTS).read_text(encoding="utf-8")))
        vectors = np.load(folder / BANK_VECTORS)
    except (OSError, ValueError) as exc:
        log.warning("no question bank beside %s (%s): clauses are indexed with their own words", folder, exc)
        return None
    if len(questions) != len(vectors):
        log.warning("the question bank in %s is inconsistent; not used", folder)
        return None
    return QuestionBank(model_id, questions, vectors)


def lexical_expander(embedder: Embedder) -> LexicalExpander | None:
    """What ``build_index`` adds to each clause for BM25 with this model: its bank's nearest questions."""
    bank = question_bank_for(embedder.model_id)
    return bank.nearest if bank is not None else None
