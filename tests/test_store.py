"""The vector store seam: FAISS flat, HNSW and IVF answer the same two questions as brute-force numpy."""

from __future__ import annotations

import numpy as np
import pytest

import retrieval.answering.search as search_module
from retrieval import evaluate, read_questions
from retrieval.index.ann import make_faiss_index
from retrieval.index.vector_store import FaissStore
from retrieval.models import normalise_rows

from .conftest import DEV_QUESTIONS


@pytest.mark.parametrize("kind", ["flat", "hnsw", "ivf"])
def test_store_nearest_and_similarity_match_numpy(kind: str):
    rng = np.random.default_rng(1338)
    base = normalise_rows(rng.standard_normal((3000, 32)).astype(np.float32))
    queries = normalise_rows(rng.standard_normal((5, 32)).astype(np.float32))
    store = FaissStore(make_faiss_index(base, kind=kind))
    assert store.size == 3000 and store.dimension == 32
    exact = queries @ base.T
    scores, ids = store.nearest(queries, 10)
    expected = np.argsort(-exact, axis=1)[:, :10]
    recall = np.mean([len(set(ids[i]) & set(expected[i])) / 10 for i in range(len(queries))])
    assert recall >= (1.0 if kind == "flat" else 0.6)
    chosen = np.array([7, 42, 2999])
    np.testing.assert_allclose(store.similarity(queries, chosen), exact[:, chosen], rtol=1e-4, atol=1e-5)


def test_nearest_never_asks_for_more_than_there_is():
    base = normalise_rows(np.eye(4, 8, dtype=np.float32))
    scores, ids = FaissStore(make_faiss_index(base, kind="flat")).nearest(base[:1], 50)
    assert ids.shape == (1, 4) and ids[0, 0] == 0


def test_candidate_fusion_on_a_large_corpus_keeps_the_same_answers(seed_index, monkeypatch):
    """With few candidates (as on a million clauses), the top answers stay those of full scoring."""
    questions = [q for q in read_questions(DEV_QUESTIONS) if q.answerable]
    full = {q.qid: seed_index.search(q.question, top_k=3).hits[0].clause.clause_id for q in questions}
    monkeypatch.setattr(search_module, "CANDIDATES", 15)
    narrow = {q.qid: seed_index.search(q.question, top_k=3).hits[0].clause.clause_id for q in questions}
    same = sum(full[qid] == narrow[qid] for qid in full) / len(full)
    assert same >= 0.9
    report = evaluate(questions, lambda q: seed_index.search(q, top_k=10))
    assert report.hit_at(3) >= 0.9
