"""Adapting the model: pairs from labelled questions, near-miss mining, batching, and a real short run."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from retrieval import SentenceTransformerEmbedder
from retrieval.models.adaptation import adapt_model, clause_texts, load_training_set
from retrieval.models.packaged import adapted_model_id
from retrieval.models.training import TrainingConfig
from retrieval.models.training_data import (
    LabelledQuestion,
    TrainingExample,
    answering_clauses,
    batches_without_repeats,
    hardest_negatives,
    normalise,
    read_split,
)

MINI = Path(__file__).resolve().parent / "data" / "training-mini"
TRAINING = Path(__file__).resolve().parent.parent / "training"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Staff  MUST\nnot", "staff must not"),
        ("‘friend’ requests – now", "'friend' requests - now"),
        ("**bold** and • bullet", "bold and bullet"),
    ],
)
def test_normalise(raw: str, expected: str) -> None:
    assert normalise(raw) == expected


def test_answering_clauses_finds_every_clause_holding_a_quote() -> None:
    question = LabelledQuestion("q", "?", True, ("d", "d"), ("Must Not", "lock the screen"))
    texts = [normalise(t) for t in ("Staff must not post.", "Nothing here.", "Always lock the  screen.")]
    assert answering_clauses(question, texts) == (0, 2)


def test_hardest_negative_is_the_best_non_answer_below_the_margin() -> None:
    questions = np.array([[1.0, 0.0]], dtype=np.float32)
    clauses = np.array([[1.0, 0.0], [0.99, 0.14], [0.8, 0.6], [0.0, 1.0]], dtype=np.float32)
    # Clause 1 nearly ties with the answer (likely an unlabelled answer), so clause 2 is chosen.
    assert hardest_negatives(questions, clauses, [[0]], [[0, 1, 2, 3]], margin=0.95) == (2,)
    assert hardest_negatives(questions, clauses, [[0]], [[0, 1, 2, 3]], margin=1.0) == (1,)
    assert hardest_negatives(questions, clauses, [[0]], [[0]]) == (-1,)


def test_batches_never_repeat_a_clause_and_use_every_example_once() -> None:
    examples = [TrainingExample(f"q{i}", f"clause {i % 5}", f"clause {(i + 1) % 5}") for i in range(20)]
    batches = batches_without_repeats(examples, batch_size=4, seed=1)
    assert sorted(e.question for b in batches for e in b) == sorted(e.question for e in examples)
    for batch in batches:
        texts = [t for e in batch for t in (e.positive, e.negative)]
        assert len(texts) == len(set(texts))
        assert len(batch) <= 4
    assert batches == batches_without_repeats(examples, batch_size=4, seed=1)


def test_split_must_not_share_documents(tmp_path: Path) -> None:
    path = tmp_path / "split.toml"
    path.write_text('train = ["a", "b"]\nvalidation = ["b"]\n', encoding="utf-8")
    with pytest.raises(ValueError, match="both train and validation"):
        read_split(path)


def test_a_short_real_run_moves_questions_towards_their_clauses(tmp_path: Path) -> None:
    output = tmp_path / "adapted"
    config = TrainingConfig(epochs=3, batch_size=2, learning_rate=1e-4)
    report = adapt_model(MINI, output_dir=output, config=config)
    assert report is not None and report.steps > 0
    assert report.last_loss < report.first_loss
    record = json.loads((output / "training.json").read_text(encoding="utf-8"))
    assert record["train"] == ["mini"] and len(record["fingerprint"]) == 64
    assert adapted_model_id(output) is not None
    # Unchanged data and config: nothing to do.
    assert adapt_model(MINI, output_dir=output, config=config) is None

    training_set = load_training_set(MINI, ("mini",))
    texts = clause_texts(training_set)
    stock = SentenceTransformerEmbedder.stock()
    adapted = SentenceTransformerEmbedder(model_path=str(output), model_id="adapted-test")
    questions = [q.question for q in training_set.questions]
    gold = [
        answering_clauses(q, [normalise(c.full_text) for c in training_set.clauses])[0]
        for q in training_set.questions
    ]

    def gold_margin(embedder: SentenceTransformerEmbedder) -> float:
        scores = embedder.embed(questions) @ embedder.embed(texts).T
        rows = np.arange(len(questions))
        best_other = np.where(np.eye(len(texts), dtype=bool)[gold], -np.inf, scores).max(axis=1)
        return float(np.mean(scores[rows, gold] - best_other))

    assert gold_margin(adapted) > gold_margin(stock)


def test_training_split_names_every_training_document_once() -> None:
    split = read_split(TRAINING / "split.toml")
    policies = {p.stem for p in (TRAINING / "policies").glob("*.md")}
    assert set(split.train) | set(split.validation) == policies
    assert split.train and split.validation


def test_every_training_quote_is_in_exactly_one_clause_of_its_policy() -> None:
    split = read_split(TRAINING / "split.toml")
    training_set = load_training_set(TRAINING, split.train + split.validation)
    # A clause's own words: a sub-item also shows its lead-in ("(b) … where:" above "(b)(i)"), so
    # the lead-in's quote is in its sub-items' full text too, and training takes the first holder.
    texts = [normalise(f"{c.text} {c.note}") for c in training_set.clauses]
    by_doc = [c.doc_id for c in training_set.clauses]
    for question in training_set.questions:
        for doc, quote in zip(question.doc_ids, question.quotes, strict=True):
            holders = [i for i, text in enumerate(texts) if normalise(quote) in text and by_doc[i] == doc]
            assert len(holders) == 1, (question.question_id, quote)


def test_the_fingerprint_changes_with_the_question_bank_size(monkeypatch: pytest.MonkeyPatch) -> None:
    # An index built with another bank size (or none) must be rebuilt: the model id carries this hash.
    from retrieval.models import adaptation

    split = read_split(MINI / "split.toml")
    config = TrainingConfig(epochs=1)
    before = adaptation.fingerprint(MINI, split, config)
    assert adaptation.fingerprint(MINI, split, config) == before
    monkeypatch.setattr(adaptation, "QUESTIONS_PER_CLAUSE", adaptation.QUESTIONS_PER_CLAUSE + 1)
    assert adaptation.fingerprint(MINI, split, config) != before


# The training policies' clause texts as the shipped model learned them (parser 14).
TRAINED_CLAUSES_SHA256 = "4067a2917c9d6a7143135406149c4751239eb512ef6ca93aceb6e2632728ac0a"


def test_the_shipped_model_was_trained_on_the_clause_texts_the_parser_makes_now() -> None:
    from retrieval.models.adaptation import training_clauses_digest

    split = read_split(TRAINING / "split.toml")
    digest = training_clauses_digest(load_training_set(TRAINING, split.train))
    assert digest == TRAINED_CLAUSES_SHA256, (
        "The training policies' clauses have changed. If the parser changed them, bump "
        "TRAINED_PARSER_VERSION in retrieval/models/adaptation.py; either way retrain with "
        "'python -m retrieval train-model --force --save-compact' and record the new hash here."
    )
