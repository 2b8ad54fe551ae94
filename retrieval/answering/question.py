"""A question as typed, cleaned for search: control characters dropped, spaces folded, length capped."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from ..errors import EmptyQuestionError

MAX_QUESTION_CHARS = 1000
DEFAULT_TOP_K = 5


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
