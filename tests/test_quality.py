"""Quality floors slightly below what the shipped (adapted) model reaches, so a regression fails CI.

Measured with benchmarks/quality.py (README): dev hit@1 0.903, hit@3 1.0, all-gold@5 0.968, MRR@10 0.952,
off-topic declined 1.0, answerable refused 0.0; held-out hit@1 0.567, off-topic declined 14/16; own verdict
set verdicts 0.833. The held-out set has looser floors: it measures how well the system generalises.
"""

from __future__ import annotations

import statistics

import pytest

from retrieval import evaluate, read_questions
from retrieval.answering.ruling import verdict_for
from retrieval.views.evaluation import verdict_report

from .conftest import DATA, DEV_QUESTIONS


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


HOLDOUT_FLOORS = [("hit@1", 0.55), ("hit@5", 0.65), ("off-topic declined", 0.85)]


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
    # 32/34 measured: dev-16 is labelled 'none' although it asks "What should I do?" (a rule question
    # by the issue's own definition) and dev-17's answer sits in a clause about what the school provides.
    report = _verdicts(seed_index, DEV_QUESTIONS)
    assert report.scored == 34 and report.accuracy >= 0.94


def test_own_verdict_set_floor_and_no_strength_on_questions_that_want_none(seed_index):
    # tests/data/verdict-questions.jsonl: 84 questions written after the verdict rules, never tuned on
    # one by one; most misses are retrieval misses (the gold clause is not among the best three).
    report = _verdicts(seed_index, DATA / "verdict-questions.jsonl")
    assert report.scored == 84 and report.accuracy >= 0.8
    none_questions = [q for q in read_questions(DATA / "verdict-questions.jsonl") if q.verdict == ("none",)]
    shown = [q.qid for q in none_questions if verdict_for(q.question, seed_index.search(q.question)).strength]
    assert shown == []
