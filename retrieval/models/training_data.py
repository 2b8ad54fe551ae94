"""Question–clause pairs for adapting the embedding model, from the team's own training policies.

Pure apart from the two readers at the top: questions and the train/validation split are read from
``training/``, and everything after that works on clauses and vectors already in memory.
"""

from __future__ import annotations

import json
import re
import tomllib
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..types import Clause

# Curly quotes and dashes compare as their plain forms.
_FOLDED = (
    ("\u2019", "'"),
    ("\u2018", "'"),
    ("\u201c", '"'),
    ("\u201d", '"'),
    ("\u2013", "-"),
    ("\u2014", "-"),
)

# Clause-number questions ("what does 4.2 say?") are answered by exact lookup, not by the model.
UNTRAINED_STYLES = frozenset({"clause_ref", "off_topic"})


@dataclass(frozen=True, slots=True)
class TrainingSplit:
    """Which training documents the model learns from and which are kept back to measure it."""

    train: tuple[str, ...]
    validation: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class LabelledQuestion:
    """A question as a member of staff would type it, with the quotes of the clauses that answer it."""

    question_id: str
    question: str
    answerable: bool
    doc_ids: tuple[str, ...]
    quotes: tuple[str, ...]
    style: str = ""


@dataclass(frozen=True, slots=True)
class TrainingExample:
    """One (question, answering clause, near-miss clause) triple, as texts the model reads."""

    question: str
    positive: str
    negative: str


def read_split(path: Path) -> TrainingSplit:
    """Read ``split.toml``: ``train = [...]`` and ``validation = [...]`` document ids, disjoint."""
    raw = tomllib.loads(path.read_text(encoding="utf-8"))
    train, validation = tuple(raw.get("train", ())), tuple(raw.get("validation", ()))
    overlap = set(train) & set(validation)
    if overlap:
        raise ValueError(f"split.toml puts {sorted(overlap)} in both train and validation.")
    if not train:
        raise ValueError(f"{path} lists no training documents.")
    return TrainingSplit(train, validation)


def read_labelled_questions(paths: Iterable[Path]) -> tuple[LabelledQuestion, ...]:
    """Questions from JSONL files in the evaluation format (id, question, answerable, expect, style)."""
    questions: list[LabelledQuestion] = []
    for path in paths:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if not line.strip():
                continue
            try:
                raw = json.loads(line)
            except json.JSONDecodeError as exc:
                raise ValueError(f"{path}, line {number}: not JSON ({exc.msg}).") from exc
            expect = raw.get("expect") or []
            questions.append(
                LabelledQuestion(
                    question_id=str(raw["id"]),
                    question=str(raw["question"]),
                    answerable=bool(raw.get("answerable", True)),
                    doc_ids=tuple(str(e["doc"]) for e in expect),
                    quotes=tuple(str(e["quote"]) for e in expect),
                    style=str(raw.get("style", "")),
                )
            )
    return tuple(questions)


def normalise(text: str) -> str:
    """Case, quote, dash, markup and whitespace folding, as the evaluation compares quotes."""
    text = unicodedata.normalize("NFKC", text).lower()
    for a, b in _FOLDED:
        text = text.replace(a, b)
    text = re.sub(r"[*_`#]|</?b>|•", "", text)
    return re.sub(r"\s+", " ", text).strip()


def answering_clauses(question: LabelledQuestion, clause_texts: Sequence[str]) -> tuple[int, ...]:
    """Indexes of the clauses whose normalised text contains one of the question's quotes."""
    quotes = [normalise(q) for q in question.quotes]
    return tuple(i for i, text in enumerate(clause_texts) if any(q and q in text for q in quotes))


def hardest_negatives(
    question_vectors: np.ndarray,
    clause_vectors: np.ndarray,
    positives: Sequence[Sequence[int]],
    candidates: Sequence[Sequence[int]],
    *,
    margin: float = 0.95,
) -> tuple[int, ...]:
    """For each question, the clause that scores highest without answering it (-1 when none).

    Only clauses scoring below ``margin`` times the best answering clause count: a near-tie is more
    often an unlabelled answer than a real near miss (the relative margin of sentence-transformers'
    own hard-negative miner).
    """
    scores = question_vectors @ clause_vectors.T
    chosen: list[int] = []
    for row, (good, pool) in enumerate(zip(positives, candidates, strict=True)):
        ceiling = margin * max(float(scores[row, i]) for i in good)
        others = [i for i in pool if i not in set(good) and scores[row, i] < ceiling]
        chosen.append(max(others, key=lambda i: float(scores[row, i])) if others else -1)
    return tuple(chosen)


def training_examples(
    questions: Sequence[LabelledQuestion],
    clauses: Sequence[Clause],
    clause_texts: Sequence[str],
    *,
    question_vectors: np.ndarray,
    clause_vectors: np.ndarray,
) -> tuple[TrainingExample, ...]:
    """Triples for every answerable question whose quote is found, with a hard negative from its document.

    ``clause_texts`` are what the index embeds for each clause (title and heading path included), so
    the model learns on the same text it will search.
    """
    normalised = [normalise(c.full_text) for c in clauses]
    by_doc: dict[str, list[int]] = {}
    for i, clause in enumerate(clauses):
        by_doc.setdefault(clause.doc_id, []).append(i)
    usable: list[int] = []
    positives: list[tuple[int, ...]] = []
    for row, question in enumerate(questions):
        found = answering_clauses(question, normalised)
        if question.answerable and question.style not in UNTRAINED_STYLES and found:
            usable.append(row)
            positives.append(found)
    pools = [by_doc[clauses[good[0]].doc_id] for good in positives]
    negatives = hardest_negatives(question_vectors[usable], clause_vectors, positives, pools)
    return tuple(
        TrainingExample(questions[row].question, clause_texts[good[0]], clause_texts[negative])
        for row, good, negative in zip(usable, positives, negatives, strict=True)
        if negative >= 0
    )


def bank_questions(questions: Sequence[LabelledQuestion]) -> list[str]:
    """The answerable questions, as staff typed them, that the lexical search borrows words from."""
    return [q.question for q in questions if q.answerable and q.style not in UNTRAINED_STYLES]


def batches_without_repeats(
    examples: Sequence[TrainingExample], *, batch_size: int, seed: int
) -> list[list[TrainingExample]]:
    """Shuffle, then fill each batch with examples whose clauses are not already in it.

    With in-batch negatives a clause that answers two questions of one batch would count as a wrong
    answer for one of them.
    """
    if batch_size < 2:
        raise ValueError(f"batch_size must be at least 2. Currently, batch_size is {batch_size}.")
    order = list(np.random.default_rng(seed).permutation(len(examples)))
    batches: list[list[TrainingExample]] = []
    while order:
        batch: list[TrainingExample] = []
        texts: set[str] = set()
        left: list[int] = []
        for i in order:
            example = examples[i]
            if len(batch) < batch_size and not ({example.positive, example.negative} & texts):
                batch.append(example)
                texts.update((example.positive, example.negative))
            else:
                left.append(i)
        batches.append(batch)
        order = left
    return batches
