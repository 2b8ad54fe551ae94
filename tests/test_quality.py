"""Quality floors slightly below what the shipped (adapted) model reaches, so a regression fails CI.

Measured with benchmarks/quality.py (README): dev hit@1 0.935, hit@3 1.0, off-topic declined 1.0,
answerable refused 0.0; held-out hit@1 0.733, off-topic declined 15/16; verdicts: dev 34/34, own set
75/84, outsider sets 41/60 and 39/60; validation documents (never trained on) hybrid hit@1 0.639,
hit@3 0.789, off-topic declined 24/24; coverage set 58/70 declined, 1/70 refused. The held-out and
validation sets have looser floors: they measure how well the system generalises, and move by a few
questions with the seed.
"""

from __future__ import annotations

import statistics

import pytest

from retrieval import evaluate, read_questions
from retrieval.answering.ruling import verdict_for
from retrieval.views.evaluation import verdict_report

from .conftest import DATA, DEV_QUESTIONS, ROOT


@pytest.fixture(scope="module")
def dev_report(seed_index):
    return evaluate(read_questions(DEV_QUESTIONS), lambda q: seed_index.search(q, top_k=10))


@pytest.fixture(scope="module")
def holdout_report(seed_index):
    return evaluate(
        read_questions(DATA / "holdout-questions.jsonl"), lambda q: seed_index.search(q, top_k=10)
    )


@pytest.mark.parametrize(
    ("metric", "floor"),
    [("hit@1", 0.9), ("hit@3", 0.95), ("all-gold@5", 0.93), ("MRR@10", 0.93), ("off-topic declined", 1.0)],
)
def test_dev_quality_floor(dev_report, metric, floor):
    assert dev_report.summary()[metric] >= floor


def test_dev_answerable_questions_are_rarely_refused(dev_report):
    assert dev_report.summary()["answerable refused"] <= 0.05


# Measured with the 24-document model: hit@1 0.667, hit@5 0.933, off-topic declined 13/16 (0.81).
HOLDOUT_FLOORS = [("hit@1", 0.6), ("hit@5", 0.85), ("off-topic declined", 0.8)]


@pytest.mark.parametrize(("metric", "floor"), HOLDOUT_FLOORS)
def test_holdout_quality_floor(holdout_report, metric, floor):
    assert holdout_report.summary()[metric] >= floor


def test_results_are_clause_sized(seed_index):
    lengths = [
        len(hit.clause.full_text)
        for q in read_questions(DEV_QUESTIONS)
        for hit in seed_index.search(q.question, top_k=5).hits
    ]
    assert statistics.median(lengths) < 600


def _verdicts(seed_index, path):
    questions = read_questions(path)
    return verdict_report(questions, lambda q: verdict_for(q, seed_index.search(q, top_k=10)))


def test_dev_verdicts_floor(seed_index):
    report = _verdicts(seed_index, DEV_QUESTIONS)  # 34/34 measured
    assert report.scored == 34 and report.accuracy >= 0.97


def test_own_verdict_set_floor_and_no_strength_on_questions_that_want_none(seed_index):
    # tests/data/verdict-questions.jsonl: 84 questions written after the verdict rules, never tuned on
    # one by one; most misses are retrieval misses (the gold clause is not among the best three).
    report = _verdicts(seed_index, DATA / "verdict-questions.jsonl")
    assert report.scored == 84 and report.accuracy >= 0.85  # 75/84 measured
    none_questions = [q for q in read_questions(DATA / "verdict-questions.jsonl") if q.verdict == ("none",)]
    shown = [q.qid for q in none_questions if verdict_for(q.question, seed_index.search(q.question)).strength]
    assert shown == []


@pytest.mark.parametrize("name", ["outsider-a-questions.jsonl", "outsider-b-questions.jsonl"])
def test_questions_written_without_seeing_the_system(seed_index, name):
    """60 questions each, written by a helper session that read only the two seed policies' text.

    Measured: A hit@1 0.673, verdicts 41/60; B hit@1 0.654, verdicts 39/60; no strength on a question
    that wants none in either. A was read to find failures; B is only measured.
    """
    questions = read_questions(DATA / name)
    report = evaluate(questions, lambda q: seed_index.search(q, top_k=10))
    assert len(report.answerable) == 52 and report.hit_at(1) >= 0.6 and report.hit_at(3) >= 0.78
    verdicts = _verdicts(seed_index, DATA / name)
    assert verdicts.scored == 60 and verdicts.accuracy >= 0.6 and verdicts.spurious == 0


def test_validation_documents_floor(tmp_path_factory, embedder):
    """The four policies kept out of training (training/split.toml): unseen wording and layouts."""
    from retrieval import PolicyIndex, build_index
    from retrieval.models.training_data import read_split

    training = ROOT / "training"
    validation = read_split(training / "split.toml").validation
    corpus = tmp_path_factory.mktemp("validation") / "corpus"
    corpus.mkdir()
    lines = []
    for doc_id in validation:
        (corpus / f"{doc_id}.md").write_bytes((training / "policies" / f"{doc_id}.md").read_bytes())
        lines.append((training / "questions" / f"{doc_id}.jsonl").read_text(encoding="utf-8"))
    questions = corpus.parent / "questions.jsonl"
    questions.write_text("".join(lines), encoding="utf-8")
    build_index(corpus, corpus.parent / "index", embedder=embedder)
    index = PolicyIndex.load(corpus.parent / "index", embedder=embedder)
    report = evaluate(read_questions(questions), lambda q: index.search(q, top_k=10))
    assert len(report.answerable) > 400
    assert report.hit_at(1) >= 0.53 and report.hit_at(3) >= 0.68
    assert report.wrongly_refused <= 0.03
    assert report.off_topic_declined >= 0.9  # 24/24 measured


def test_coverage_set_declines_other_subjects_and_answers_hr_sounding_conduct_questions(seed_index):
    """The set the "not covered" thresholds were fitted on (benchmarks/fit_tuning.py): 58/70 and 1/70."""
    report = evaluate(
        read_questions(DATA / "coverage-questions.jsonl"), lambda q: seed_index.search(q, top_k=10)
    )
    assert len(report.answerable) == 70 and len(report.off_topic) == 70
    assert report.off_topic_declined >= 0.78
    assert report.wrongly_refused <= 0.03
