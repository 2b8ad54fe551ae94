"""Answering questions from a loaded index."""

from __future__ import annotations

import logging
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .answer import ScoredClause, assemble_answer
from .embedding import Embedder, default_embedder
from .errors import EmptyQuestionError, IndexMismatchError, UnknownDocumentError
from .index import DocumentRecord, Manifest, StoredIndex, read_stored_index, stored_vectors
from .types import Answer, Clause, DocumentMeta

log = logging.getLogger(__name__)

MAX_QUESTION_CHARS = 1000
DEFAULT_TOP_K = 5
# Cosine similarity below which the best clause is judged not to answer the question.
DEFAULT_MIN_SCORE = 0.30


@dataclass(frozen=True, slots=True)
class PreparedQuestion:
    """The question as searched, and what the user should be told about changes made to it."""

    text: str
    notices: tuple[str, ...]


def prepare_question(question: str, *, max_chars: int = MAX_QUESTION_CHARS) -> PreparedQuestion:
    """Clean a question: drop control characters, fold whitespace, shorten if over-long (pure)."""
    if not isinstance(question, str):
        raise TypeError(f"question must be a string. Currently, question is {type(question).__name__}.")
    cleaned = "".join(ch if unicodedata.category(ch)[0] != "C" else " " for ch in question)
    cleaned = " ".join(cleaned.split())
    if not cleaned:
        raise EmptyQuestionError("The question is empty. Type a question about the policies.")
    notices: list[str] = []
    if len(cleaned) > max_chars:
        cleaned = cleaned[:max_chars].rsplit(" ", 1)[0] or cleaned[:max_chars]
        notices.append(f"Your question was longer than {max_chars} characters; only the start was used.")
    return PreparedQuestion(cleaned, tuple(notices))


def check_top_k(top_k: int) -> None:
    if not isinstance(top_k, int) or isinstance(top_k, bool) or top_k < 1:
        raise ValueError(f"top_k must be a whole number greater than 0. Currently, top_k is {top_k!r}.")


class PolicyIndex:
    """A loaded index: clauses, their vectors and the model that embeds questions.

    Read-only after construction, so one instance can serve many threads (the Streamlit app
    shares it across sessions).
    """

    def __init__(
        self, stored: StoredIndex, embedder: Embedder, *, min_score: float = DEFAULT_MIN_SCORE
    ) -> None:
        if embedder.model_id != stored.manifest.model_id or embedder.dimension != stored.manifest.dimension:
            raise IndexMismatchError(
                f"The index was built with {stored.manifest.model_id} "
                f"({stored.manifest.dimension} dimensions) "
                f"but the model loaded is {embedder.model_id} ({embedder.dimension}). "
                "Run 'python -m retrieval build' to rebuild the index."
            )
        self._stored = stored
        self._embedder = embedder
        self._min_score = min_score
        self._vectors = stored_vectors(stored)
        self._metas = {record.doc_id: record.meta for record in stored.manifest.documents}

    @classmethod
    def load(cls, index_dir: Path | str, *, embedder: Embedder | None = None) -> PolicyIndex:
        """Load the live index from a folder, checking its files and the model agree."""
        return cls(read_stored_index(index_dir), embedder or default_embedder())

    @property
    def manifest(self) -> Manifest:
        return self._stored.manifest

    @property
    def documents(self) -> tuple[DocumentRecord, ...]:
        return self._stored.manifest.documents

    @property
    def clauses(self) -> tuple[Clause, ...]:
        return self._stored.clauses

    @property
    def metas(self) -> dict[str, DocumentMeta]:
        return dict(self._metas)

    @property
    def embedder(self) -> Embedder:
        return self._embedder

    def check_docs(self, docs: Iterable[str] | None) -> frozenset[str] | None:
        """Validate a document filter; None means every document."""
        if docs is None:
            return None
        wanted = frozenset(docs)
        unknown = sorted(wanted - set(self._metas))
        if unknown:
            raise UnknownDocumentError(
                f"Unknown document {', '.join(unknown)}. Known documents: {', '.join(sorted(self._metas))}."
            )
        return wanted

    def dense_scores(self, question: str) -> np.ndarray:
        """Cosine similarity of the question to every clause, in clause order."""
        query = self._embedder.embed([question])[0]
        return self._vectors @ query

    def search(
        self, question: str, *, top_k: int = DEFAULT_TOP_K, docs: Sequence[str] | None = None
    ) -> Answer:
        """Find the clauses that answer a question.

        Args:
            question: the question in the user's words.
            top_k: how many clauses to return at most.
            docs: restrict to these document ids (None: all documents).

        Returns:
            An Answer; ``answered`` is False when nothing relevant was found.
        """
        check_top_k(top_k)
        allowed = self.check_docs(docs)
        prepared = prepare_question(question)
        scores = self.dense_scores(prepared.text)
        order = np.argsort(-scores, kind="stable")
        ranked = [
            ScoredClause(self.clauses[i], float(scores[i]))
            for i in order
            if allowed is None or self.clauses[i].doc_id in allowed
        ][:top_k]
        answered = bool(ranked) and ranked[0].score >= self._min_score
        return assemble_answer(
            prepared.text, ranked, self._metas, answered=answered, notices=prepared.notices
        )
