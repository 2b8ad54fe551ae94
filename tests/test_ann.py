"""make_faiss_index against brute-force numpy on seeded random vectors."""

from __future__ import annotations

import numpy as np
import pytest

from retrieval.index.ann import FLAT_MAX_VECTORS, choose_index_kind, ivf_list_count, make_faiss_index

K = 10


def clustered_unit_vectors(n: int, dim: int, seed: int) -> np.ndarray:
    """Unit vectors around 50 centres: structured like sentence embeddings, unlike uniform noise."""
    rng = np.random.default_rng(seed)
    centres = rng.standard_normal((50, dim)).astype(np.float32)
    points = centres[rng.integers(0, 50, size=n)] + 0.6 * rng.standard_normal((n, dim)).astype(np.float32)
    return points / np.linalg.norm(points, axis=1, keepdims=True)


def brute_force_top_k(vectors: np.ndarray, queries: np.ndarray, k: int) -> np.ndarray:
    scores = queries @ vectors.T
    return np.argsort(-scores, axis=1, kind="stable")[:, :k]


def recall_at_k(found: np.ndarray, truth: np.ndarray) -> float:
    return float(np.mean([len(set(f) & set(t)) / truth.shape[1] for f, t in zip(found, truth, strict=True)]))


@pytest.fixture(scope="module")
def data() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    # Queries come from the same clusters as the data (as questions do) but are not in the index.
    points = clustered_unit_vectors(5_100, 64, seed=1338)
    vectors, queries = points[:5_000], points[5_000:]
    return vectors, queries, brute_force_top_k(vectors, queries, K)


@pytest.mark.parametrize(("kind", "min_recall"), [("flat", 1.0), ("hnsw", 0.95), ("ivf", 0.9)])
def test_recall_against_brute_force(
    data: tuple[np.ndarray, np.ndarray, np.ndarray], kind: str, min_recall: float
) -> None:
    vectors, queries, truth = data
    index = make_faiss_index(vectors, kind=kind)  # type: ignore[arg-type]
    assert index.ntotal == len(vectors)
    scores, ids = index.search(queries, K)
    assert recall_at_k(ids, truth) >= min_recall
    # Inner product of unit vectors: the scores are the cosines numpy computes.
    expected = np.take_along_axis(queries @ vectors.T, ids, axis=1)
    assert scores == pytest.approx(expected, abs=1e-4)


@pytest.mark.parametrize(
    ("n_vectors", "kind"),
    [(0, "flat"), (1, "flat"), (FLAT_MAX_VECTORS, "flat"), (FLAT_MAX_VECTORS + 1, "hnsw"), (10**7, "hnsw")],
)
def test_choose_index_kind(n_vectors: int, kind: str) -> None:
    assert choose_index_kind(n_vectors) == kind


def test_default_kind_follows_size() -> None:
    import faiss

    index = make_faiss_index(clustered_unit_vectors(100, 8, seed=1))
    assert isinstance(index, faiss.IndexFlatIP)


@pytest.mark.parametrize(("n_vectors", "nlist"), [(1, 1), (5_000, 128), (10_000, 256), (1_000_000, 4096)])
def test_ivf_list_count(n_vectors: int, nlist: int) -> None:
    assert ivf_list_count(n_vectors) == nlist


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: choose_index_kind(-1), "n_vectors must not be negative"),
        (lambda: make_faiss_index(np.zeros((3,), dtype=np.float32)), "vectors must be a non-empty"),
        (lambda: make_faiss_index(np.ones((3, 4)), kind="lsh"), "kind must be one of"),  # type: ignore[arg-type]
        (lambda: make_faiss_index(np.ones((0, 4)), kind="ivf"), "ivf needs vectors"),
    ],
)
def test_rejects_bad_arguments(call, message: str) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValueError, match=message):
        call()
