"""Pure ranking steps on score vectors: fusion, diversification across documents, the 'answered' call."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from ..models.packaged import SearchTuning
from .intent import GOVERNOR_WORDS


def min_max(scores: np.ndarray, mask: np.ndarray | None = None) -> np.ndarray:
    """Scale scores to [0, 1] over the candidates in ``mask`` (all when None)."""
    values = scores if mask is None else scores[mask]
    if values.size == 0:
        return np.zeros_like(scores)
    low, high = float(values.min()), float(values.max())
    if high - low < 1e-9:
        return np.zeros_like(scores)
    return (scores - low) / (high - low)


def fuse(
    dense: np.ndarray,
    lexical: np.ndarray,
    *,
    dense_weight: float,
    mask: np.ndarray | None = None,
    lexical_full_score: float = 0.0,
) -> np.ndarray:
    """Weighted sum of min-max normalised dense and lexical scores.

    Chosen over reciprocal-rank fusion by measurement (README, "How answers are found"): RRF
    throws away how far ahead the best clause is, which matters when one ranker is sure.
    Min-max scaling makes the best lexical match 1.0 even when it shares one common word with the
    question; with ``lexical_full_score`` > 0 the lexical side counts in full only when the best
    clause's BM25 score reaches it, and in proportion below.
    """
    if not 0.0 <= dense_weight <= 1.0:
        raise ValueError(f"dense_weight must be between 0 and 1. Currently, dense_weight is {dense_weight}.")
    lexical_part = min_max(lexical, mask)
    if lexical_full_score > 0:
        values = lexical if mask is None else lexical[mask]
        best = float(values.max()) if values.size else 0.0
        lexical_part = lexical_part * min(1.0, best / lexical_full_score)
    return dense_weight * min_max(dense, mask) + (1.0 - dense_weight) * lexical_part


ROLE_BOOST = 0.25  # a clause that binds the asker's chosen role rises by this much
# With no role chosen the asker is taken to be a member of staff, the usual user: a clause that binds
# only governors sinks this much unless the question is about governors. 0.10 rather than 0.05 since
# BM25 also matches clauses by borrowed everyday words (models/question_bank.py), which lifts short
# governors' agreement items on staff questions; no benchmark set moves between 0.05 and 0.15.
OTHER_AUDIENCE_PENALTY = 0.10


def for_the_asker(
    fused: np.ndarray, binds: Mapping[str, np.ndarray], role: str | None, question: str
) -> np.ndarray:
    """Fused scores adjusted for who is asking (pure); ``binds`` maps each role to its clauses' mask."""
    if role is not None:
        return fused + ROLE_BOOST * binds[role] if binds[role].any() else fused
    if GOVERNOR_WORDS.search(question):
        return fused
    return fused - OTHER_AUDIENCE_PENALTY * (binds["governor"] & ~binds["staff"])


def diversify(
    order: Sequence[int],
    doc_of: Sequence[str],
    fused: np.ndarray,
    *,
    top_k: int,
    slots: int = 3,
    min_relative: float = 0.55,
) -> list[int]:
    """Make sure each document's best clause is among the first ``slots`` results when it is relevant.

    The best clause overall stays first; another document's best clause is lifted into the
    first slots only if its fused score is at least ``min_relative`` of the best score.
    """
    ranked = list(order[: max(top_k * 4, top_k)])
    if not ranked:
        return []
    window = min(slots, top_k)
    if window < 2:
        return ranked[:top_k]  # one slot holds only the best clause
    best = float(fused[ranked[0]])
    seen_docs = {doc_of[i] for i in ranked[:window]}
    for candidate in ranked[window:]:
        doc = doc_of[candidate]
        if doc in seen_docs:
            continue
        seen_docs.add(doc)
        if best > 0 and float(fused[candidate]) >= min_relative * best:
            ranked.remove(candidate)
            ranked.insert(window - 1, candidate)
    return ranked[:top_k]


@dataclass(frozen=True, slots=True)
class RelevanceThresholds:
    """When the best clause is judged to answer a question (calibrated in benchmarks/quality.py).

    relevance = best dense cosine - foreign_weight * foreign share; answered when relevance is at
    least ``min_relevance``. Defaults chosen on the dev and held-out question sets together.
    """

    min_relevance: float = 0.28
    foreign_weight: float = 0.3
    other_topic_margin: float = float("inf")
    """Not answered when another subject (answering/coverage.py) is closer than the best clause by more."""
    information_topic_margin: float | None = None
    """The same margin for a question that asks for facts rather than a rule (None: as above).

    "When do I get paid?" or "who do I ask about maternity pay?" asks for a fact that lives in
    another document, whereas "can I post about a colleague being off sick?" asks a conduct rule
    these policies give, however HR-like its words; so a fact question needs less of a margin.
    """

    @classmethod
    def of(cls, tuning: SearchTuning) -> RelevanceThresholds:
        """The thresholds fitted for a model (models/packaged.py)."""
        return cls(
            tuning.min_relevance,
            tuning.foreign_weight,
            tuning.other_topic_margin,
            tuning.information_topic_margin,
        )

    def topic_margin(self, *, asks_rule: bool) -> float:
        if asks_rule or self.information_topic_margin is None:
            return self.other_topic_margin
        return self.information_topic_margin


def relevance(best_dense: float, foreign: float, thresholds: RelevanceThresholds) -> float:
    return best_dense - thresholds.foreign_weight * foreign


def belongs_elsewhere(
    best_dense: float, other_topic: float, thresholds: RelevanceThresholds, *, asks_rule: bool = True
) -> bool:
    """Whether a subject the policies leave to other documents is clearly closer than the best clause."""
    return other_topic - best_dense > thresholds.topic_margin(asks_rule=asks_rule)


def is_answered(
    best_dense: float,
    foreign: float,
    thresholds: RelevanceThresholds,
    *,
    other_topic: float = -1.0,
    asks_rule: bool = True,
) -> bool:
    """A question is answered when its best clause is close in meaning and its words are the corpus's.

    ``foreign`` is the rarity-weighted share of the question's words that the corpus never uses
    (see ``lexical.foreign_share``): questions about other HR topics ('sick pay', 'maternity
    leave') lean on words the policies never use, even when the embedding finds a vaguely
    similar clause. ``other_topic`` is the question's cosine with the closest subject the
    policies leave to other documents; clearly closer to it than to any clause, it is not answered
    (``asks_rule``: whether the question asks for a rule, which decides how clearly).
    """
    if belongs_elsewhere(best_dense, other_topic, thresholds, asks_rule=asks_rule):
        return False
    return relevance(best_dense, foreign, thresholds) >= thresholds.min_relevance
