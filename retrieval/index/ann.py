"""Pick and build the FAISS index for a corpus size: exact search while it is fast enough, HNSW beyond.

Vectors are L2-normalised, so every index searches by inner product (= cosine similarity).
The thresholds come from benchmarks/scale.py on two CPU cores (see benchmarks/results/scale.md).
"""

from __future__ import annotations

import logging
import math
from typing import Any, Literal, get_args

import numpy as np

log = logging.getLogger(__name__)

IndexKind = Literal["flat", "hnsw", "ivf"]

# Exact search scans every vector: measured p50 12-22 ms at 100k and 123 ms at 1M (two cores), so it is
# exact and fast enough up to a few hundred thousand clauses, and needs no build time.
FLAT_MAX_VECTORS = 200_000
# HNSW at 1M: recall@10 0.994, p50 0.4 ms, 1.8 GB served, 284 s to build. IVF (nlist 4096, nprobe 128)
# was similar (0.998, 3.6 ms, 1.5 GB, 193 s); HNSW wins on latency and needs no training step.
HNSW_M = 32
HNSW_EF_CONSTRUCTION = 80
HNSW_EF_SEARCH = 96
# k-means wants at least 39 training vectors per list (faiss warns below that) and gains little past 64.
IVF_MIN_TRAIN_PER_LIST = 39
IVF_TRAIN_PER_LIST = 64
IVF_NPROBE_FRACTION = 1 / 32
IVF_MIN_NPROBE = 16


def choose_index_kind(n_vectors: int) -> IndexKind:
    """Exact search up to FLAT_MAX_VECTORS, HNSW above (recall@10 >= 0.95 at 1M within 4 GB)."""
    if n_vectors < 0:
        raise ValueError(f"n_vectors must not be negative. Currently, n_vectors is {n_vectors}.")
    return "flat" if n_vectors <= FLAT_MAX_VECTORS else "hnsw"


def ivf_list_count(n_vectors: int) -> int:
    """About 4·sqrt(n) inverted lists (the usual FAISS guideline) as a power of two, capped so that
    every list has enough vectors to train on."""
    if n_vectors < 1:
        raise ValueError(f"n_vectors must be at least 1. Currently, n_vectors is {n_vectors}.")
    guideline = round(math.log2(4 * math.sqrt(n_vectors)))
    trainable = math.floor(math.log2(max(1, n_vectors // IVF_MIN_TRAIN_PER_LIST)))
    return 2 ** min(guideline, trainable)


def make_faiss_index(vectors: np.ndarray, *, kind: IndexKind | None = None) -> Any:
    """Build an inner-product FAISS index holding `vectors`, with search parameters already set.

    Args:
        vectors: (n, d) matrix of L2-normalised rows; converted to contiguous float32.
        kind: "flat" (exact), "hnsw" or "ivf"; None picks by size with `choose_index_kind`.

    Returns:
        A `faiss.Index` whose ids are the row numbers of `vectors`.
    """
    import faiss

    matrix = np.ascontiguousarray(vectors, dtype=np.float32)
    if matrix.ndim != 2 or matrix.shape[1] == 0:
        raise ValueError(
            f"vectors must be a non-empty (n, d) matrix. Currently, its shape is {matrix.shape}."
        )
    if kind is not None and kind not in get_args(IndexKind):
        raise ValueError(f"kind must be one of {get_args(IndexKind)} or None. Currently, kind is {kind!r}.")
    n, dim = matrix.shape
    chosen = kind or choose_index_kind(n)
    log.info("building %s index over %d vectors of dimension %d", chosen, n, dim)
    if chosen == "flat":
        index = faiss.IndexFlatIP(dim)
    elif chosen == "hnsw":
        index = faiss.IndexHNSWFlat(dim, HNSW_M, faiss.METRIC_INNER_PRODUCT)
        index.hnsw.efConstruction = HNSW_EF_CONSTRUCTION
        index.hnsw.efSearch = HNSW_EF_SEARCH
    else:
        index = _trained_ivf(matrix)
    index.add(matrix)
    return index


def _trained_ivf(matrix: np.ndarray) -> Any:
    import faiss

    n, dim = matrix.shape
    if n == 0:
        raise ValueError("ivf needs vectors to train its lists. Currently, vectors has 0 rows.")
    nlist = ivf_list_count(n)
    quantizer = faiss.IndexFlatIP(dim)
    index = faiss.IndexIVFFlat(quantizer, dim, nlist, faiss.METRIC_INNER_PRODUCT)
    # An evenly strided sample keeps training deterministic (k-means is seeded) and bounded in time.
    step = max(1, n // (nlist * IVF_TRAIN_PER_LIST))
    index.train(matrix[::step])
    index.nprobe = min(nlist, max(IVF_MIN_NPROBE, round(nlist * IVF_NPROBE_FRACTION)))
    return index
