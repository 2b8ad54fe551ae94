"""The engine-backed store (Milvus Lite, same API as a Milvus cluster) gives the answers FAISS gives.

Every question of the dev, held-out and own verdict sets gets the same top five clauses from the
index served by Milvus as from the in-process FAISS index, and the two stores' nearest neighbours
agree; in the engine a school's search is filtered by library, and one library's clauses are
replaced without touching another's.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest

from retrieval import PolicyIndex, build_index, open_engine_index, read_questions
from retrieval.index.milvus_store import MilvusStore

from .conftest import DATA
from .test_libraries import libraries  # noqa: F401  (the two-school corpus fixture)

QUESTION_SETS = ["dev-questions.jsonl", "holdout-questions.jsonl", "verdict-questions.jsonl"]


@pytest.fixture(scope="module")
def engine_index(seed_index_dir: Path, seed_corpus_copy: Path, tmp_path_factory, embedder) -> PolicyIndex:
    uri = str(tmp_path_factory.mktemp("milvus") / "clauses.db")
    return open_engine_index(seed_index_dir, uri=uri, corpus_dir=seed_corpus_copy, embedder=embedder)


def test_engine_and_faiss_give_identical_top_five(seed_index: PolicyIndex, engine_index: PolicyIndex) -> None:
    asked = 0
    for name in QUESTION_SETS:
        for question in read_questions(DATA / name):
            ours = [h.clause.clause_id for h in seed_index.search(question.question, top_k=5).hits]
            theirs = [h.clause.clause_id for h in engine_index.search(question.question, top_k=5).hits]
            assert ours == theirs, question.question
            asked += 1
    assert asked > 150


def test_engine_nearest_neighbours_equal_faiss(
    seed_index: PolicyIndex, engine_index: PolicyIndex, embedder
) -> None:
    queries = embedder.embed(["Can I friend a parent on Facebook?", "Who do I tell about a data breach?"])
    faiss_scores, faiss_ids = seed_index._store.nearest(queries, 10)
    engine_scores, engine_ids = engine_index._store.nearest(queries, 10)
    assert (faiss_ids == engine_ids).all()
    assert np.allclose(faiss_scores, engine_scores, atol=1e-5)


def test_engine_filters_by_library_and_replaces_one_library(
    libraries: Path,  # noqa: F811
    tmp_path: Path,
    embedder,
) -> None:
    build_index(libraries, tmp_path / "index", embedder=embedder)
    index = open_engine_index(
        tmp_path / "index", uri=str(tmp_path / "e.db"), corpus_dir=libraries, embedder=embedder
    )
    store = index._store
    assert isinstance(store, MilvusStore)
    query = embedder.embed(["Can I use my phone in lessons?"])
    library_of_row = {i: c.doc_id.split("--")[0] for i, c in enumerate(index.clauses)}
    _, ids = store.nearest(query, 20, libraries=["ashgrove", "trust"])
    assert {library_of_row[int(i)] for i in ids[0] if i >= 0} <= {"ashgrove", "trust"}
    before = store.size
    birchfield = np.array([i for i, lib in library_of_row.items() if lib == "birchfield"])
    store.replace_library(
        "birchfield", birchfield[:1], np.ones((1, store.dimension), np.float32) / np.sqrt(store.dimension)
    )
    _, ids = store.nearest(query, 50, libraries=["birchfield"])
    assert [int(i) for i in ids[0] if i >= 0] == [int(birchfield[0])]
    _, ids = store.nearest(query, 50, libraries=["ashgrove"])
    assert len([i for i in ids[0] if i >= 0]) == sum(lib == "ashgrove" for lib in library_of_row.values())
    assert store.size == before - len(birchfield) + 1


def test_a_build_keeps_one_collection_that_a_reopening_process_shares(
    libraries: Path,  # noqa: F811
    tmp_path: Path,
    embedder,
) -> None:
    from pymilvus import MilvusClient

    corpus = tmp_path / "corpus"
    shutil.copytree(libraries, corpus)
    uri = str(tmp_path / "e.db")

    def reopen() -> PolicyIndex:
        return open_engine_index(tmp_path / "index", uri=uri, corpus_dir=corpus, embedder=embedder)

    first = reopen()
    assert reopen()._store.collection == first._store.collection  # same build: shared, not reloaded
    (corpus / "ashgrove" / "visitors.md").write_text(
        "# Visitors Policy\n\nIssued by: Ashgrove Primary School\n\n1. Visitors must sign in at reception.\n"
    )
    second = reopen()
    assert second._store.collection != first._store.collection
    hits = second.search("Do visitors have to sign in?", top_k=3, docs=second.docs_for("ashgrove")).hits
    assert hits[0].clause.doc_id == "ashgrove--visitors"
    (corpus / "ashgrove" / "visitors.md").write_text(
        "# Visitors Policy\n\nIssued by: Ashgrove Primary School\n\n1. Visitors must wear a lanyard.\n"
    )
    third = reopen()
    # The newest build and the one before it stay (a process may still answer from it); older go.
    kept = {name for name in MilvusClient(uri).list_collections() if name.startswith("clauses_")}
    assert kept == {second._store.collection, third._store.collection}
