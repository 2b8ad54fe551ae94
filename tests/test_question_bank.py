"""Each clause is also matched by BM25 through its nearest training questions (models/question_bank.py)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np

from retrieval import PolicyIndex, build_index
from retrieval.answering.lexical import LexicalIndex, tokenize
from retrieval.index.stored import read_stored_index
from retrieval.models.question_bank import QuestionBank, lexical_expander, question_bank_for
from retrieval.models.training_data import bank_questions, read_labelled_questions, read_split

from .conftest import ROOT


def unit(rows: list[list[float]]) -> np.ndarray:
    matrix = np.array(rows, dtype=np.float32)
    return matrix / np.linalg.norm(matrix, axis=1, keepdims=True)


def test_nearest_gives_each_clause_its_closest_questions_best_first() -> None:
    bank = QuestionBank(
        "m", ("about cats", "about dogs", "about fish"), unit([[1, 0, 0], [0, 1, 0], [0, 0, 1]])
    )
    clauses = unit([[0.1, 0.9, 0.3], [0.8, 0.1, 0.0]])
    assert bank.nearest(clauses, per_clause=2) == ["about dogs about fish", "about cats about dogs"]
    assert bank.nearest(clauses, per_clause=0) == ["", ""]
    assert bank.nearest(np.zeros((0, 3), dtype=np.float32)) == []


def test_extra_words_are_matched_but_are_not_the_corpus_own_wording() -> None:
    index = LexicalIndex(
        ["Staff must not identify themselves as employees on personal webpages.", "Lock your screen."],
        extras=["can i put where i work on my insta bio", ""],
    )
    scores = index.scores(tokenize("insta bio"))
    assert scores[0] > 0 and scores[1] == 0
    # The "not covered" check asks which words the policies use: borrowed words do not count.
    assert not index.knows("insta") and index.knows(tokenize("employees")[0])
    assert "insta" not in index.vocabulary


def test_the_shipped_bank_is_the_training_questions_and_never_the_seeds(embedder) -> None:
    bank = question_bank_for(embedder.model_id)
    assert bank is not None, "run 'make' (train-model) first: it saves the bank beside the model"
    assert len(bank.questions) == len(bank.vectors) > 1000
    assert np.allclose(np.linalg.norm(bank.vectors, axis=1), 1.0, atol=1e-3)
    split = read_split(ROOT / "training" / "split.toml")
    trained = [ROOT / "training" / "questions" / f"{doc_id}.jsonl" for doc_id in split.train]
    assert set(bank.questions) == set(bank_questions(read_labelled_questions(trained)))
    seed_questions = {
        json.loads(line)["question"]
        for name in (
            "dev-questions.jsonl",
            "holdout-questions.jsonl",
            "verdict-questions.jsonl",
            "outsider-a-questions.jsonl",
            "outsider-b-questions.jsonl",
        )
        for line in (ROOT / "tests" / "data" / name).read_text(encoding="utf-8").splitlines()
        if line.strip()
    }
    # Only a bare clause look-up ("what does 6.3 say") may be worded the same by chance.
    shared = seed_questions & set(bank.questions)
    assert all(re.fullmatch(r"what does [\d.()a-z]+ say", q) for q in shared), shared


def test_an_index_built_with_the_adapted_model_stores_each_clause_nearest_questions(
    seed_index_dir: Path, embedder
) -> None:
    stored = read_stored_index(seed_index_dir)
    bank = question_bank_for(embedder.model_id)
    assert bank is not None
    assert len(stored.lexical_extras) == len(stored.clauses)
    assert all(extra for extra in stored.lexical_extras)
    # Row 0's extra is its three nearest bank questions, recomputed from its stored vector.
    vector = stored.vectors.reconstruct(0).reshape(1, -1)
    assert stored.lexical_extras[0] == bank.nearest(vector)[0]


class OtherModel:
    """A fake embedder: this test is about which model gets a bank, not about embeddings."""

    model_id = "some/other-model"
    dimension = 4

    def embed(self, texts):
        return (
            unit([[1.0, 0.5 * (i % 3), 0.2, 0.1] for i in range(len(texts))]) if texts else np.zeros((0, 4))
        )


def test_a_model_without_a_bank_indexes_clauses_with_their_own_words(tmp_path: Path) -> None:
    assert lexical_expander(OtherModel()) is None
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "policy.md").write_text("# Policy\n\n## 1. Phones\n\n1.1 Staff must lock phones away.\n")
    build_index(corpus, tmp_path / "index", embedder=OtherModel())
    stored = read_stored_index(tmp_path / "index")
    assert stored.lexical_extras == ("",) * len(stored.clauses)
    assert PolicyIndex.load(tmp_path / "index", embedder=OtherModel()).search("phones").hits
