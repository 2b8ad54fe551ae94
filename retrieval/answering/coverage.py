"""Questions on another subject (pay, leave, the school office): topics these policies leave to others.

An embedding finds *some* clause for any question, and an off-topic question whose words the
policies happen to use ("where do I park if the staff car park is full" against a CCTV clause
about the car park) is not caught by the unknown-word share. So the question is also compared
with short descriptions of the subjects staff ask about that live elsewhere
(retrieval/data/other_topics.txt): when it is clearly closer to one of them than to every clause,
the policies do not cover it. The comparison is with the loaded clauses, so a corpus that has a
clause on pay answers pay questions.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources

import numpy as np

from ..models import Embedder


def other_topics() -> tuple[str, ...]:
    """The shipped topic descriptions, one per non-comment line."""
    text = resources.files("retrieval").joinpath("data/other_topics.txt").read_text("utf-8")
    return tuple(line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#"))


@dataclass(frozen=True, slots=True)
class OtherTopics:
    """The topic descriptions and their unit vectors from the search model."""

    names: tuple[str, ...]
    vectors: np.ndarray

    @classmethod
    def embedded(cls, embedder: Embedder, names: tuple[str, ...] | None = None) -> OtherTopics:
        names = other_topics() if names is None else names
        return cls(names, embedder.embed(list(names)) if names else np.zeros((0, embedder.dimension)))

    def closest(self, question_vector: np.ndarray) -> tuple[float, str]:
        """The cosine of the closest topic to a (unit) question vector, and its description."""
        if not self.names:
            return -1.0, ""
        similarities = self.vectors @ question_vector
        best = int(np.argmax(similarities))
        return float(similarities[best]), self.names[best]
