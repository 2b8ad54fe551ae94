"""Where clause vectors live at query time, behind a small protocol.

``PolicyIndex`` asks a VectorStore for the nearest clauses and for the similarity of a few
chosen clauses; it never touches FAISS itself. Another backend (a vector database with hybrid
search and a cluster mode, see docs/scaling.md) can implement the same two methods without any
change to search, the CLI or the app.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol, runtime_checkable

import faiss
import numpy as np


class VectorStore(Protocol):
    """Inner-product search over unit vectors, one per clause, in clause order."""

    @property
    def size(self) -> int: ...

    @property
    def dimension(self) -> int: ...

    def nearest(self, queries: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        """(scores, ids), each of shape (len(queries), k'), best first; k' = min(k, size)."""
        ...

    def similarity(self, queries: np.ndarray, ids: np.ndarray) -> np.ndarray:
        """Exact inner products of each query with the clauses ``ids``: shape (len(queries), len(ids))."""
        ...


@runtime_checkable
class LibraryFilteredStore(Protocol):
    """A store that can restrict a nearest-neighbour search to some libraries inside the engine."""

    def nearest(
        self, queries: np.ndarray, k: int, *, libraries: Sequence[str] | None = None
    ) -> tuple[np.ndarray, np.ndarray]: ...

    def replace_library(self, library: str, ids: np.ndarray, vectors: np.ndarray) -> None: ...


class FaissStore:
    """A FAISS index read from disk: exact (IndexFlatIP) for a school's corpus, HNSW/IVF when large."""

    def __init__(self, index: faiss.Index) -> None:
        self._index = index
        if hasattr(faiss, "extract_index_ivf") and isinstance(index, faiss.IndexIVF):
            index.make_direct_map()  # IVF can only reconstruct vectors by id with a direct map

    @property
    def size(self) -> int:
        return int(self._index.ntotal)

    @property
    def dimension(self) -> int:
        return int(self._index.d)

    def nearest(self, queries: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        k = min(k, self.size)
        if k <= 0:
            empty = np.zeros((len(queries), 0))
            return empty.astype(np.float32), empty.astype(np.int64)
        scores, ids = self._index.search(np.ascontiguousarray(queries, dtype=np.float32), k)
        return scores, ids

    def similarity(self, queries: np.ndarray, ids: np.ndarray) -> np.ndarray:
        if len(ids) == 0:
            return np.zeros((len(queries), 0), dtype=np.float32)
        vectors = self._index.reconstruct_batch(np.asarray(ids, dtype=np.int64))
        return np.asarray(queries, dtype=np.float32) @ vectors.T

    def all_vectors(self) -> np.ndarray:
        """Every vector, for rebuilding; only sensible for a small or flat index."""
        if self.size == 0:
            return np.zeros((0, self.dimension), dtype=np.float32)
        return np.asarray(self._index.reconstruct_n(0, self.size), dtype=np.float32)
