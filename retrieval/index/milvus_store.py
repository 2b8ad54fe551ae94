"""Clause vectors in Milvus, the engine for many schools past one machine (VectorStore protocol).

Tests and a single machine use Milvus Lite (a local file, installed from PyPI); a trust or local
authority points ``uri`` at a Milvus cluster and nothing else changes. Each clause row carries its
library, so a school's question is filtered inside the engine (``library in [school, trust, '']``)
rather than after the search, and one school's clauses are replaced without touching the others.
Search is exact inner product (a FLAT index) so that answers equal the in-process FAISS store's;
a cluster would use HNSW with the same calls.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Sequence
from typing import Any

import numpy as np

COLLECTION = "clauses"
INSERT_BATCH = 5_000
# Collections of earlier builds kept besides the current one: an app process still answering from
# the previous build (its cache holds two) must not lose its collection under it.
KEEP_EARLIER_BUILDS = 1


class MilvusStore:
    """The VectorStore protocol over one Milvus collection; row ids are clause positions."""

    def __init__(self, client: Any, collection: str, size: int, dimension: int) -> None:
        self._client = client
        self._collection = collection
        self._size = size
        self._dimension = dimension

    @classmethod
    def create(
        cls, uri: str, vectors: np.ndarray, libraries: Sequence[str], *, collection: str = COLLECTION
    ) -> MilvusStore:
        """A new collection at ``uri`` (a ``.db`` file for Milvus Lite) holding these clause vectors."""
        from pymilvus import DataType, MilvusClient

        if len(libraries) != len(vectors):
            raise ValueError(f"one library per vector: {len(libraries)} libraries for {len(vectors)} vectors")
        client = MilvusClient(uri)
        if client.has_collection(collection):
            client.drop_collection(collection)
        schema = client.create_schema(auto_id=False)
        schema.add_field("id", DataType.INT64, is_primary=True)
        schema.add_field("library", DataType.VARCHAR, max_length=64)
        schema.add_field("vector", DataType.FLOAT_VECTOR, dim=int(vectors.shape[1]))
        index = client.prepare_index_params()
        index.add_index("vector", index_type="FLAT", metric_type="IP")
        client.create_collection(collection, schema=schema, index_params=index)
        store = cls(client, collection, 0, int(vectors.shape[1]))
        store.insert(np.arange(len(vectors)), vectors, libraries)
        return store

    @classmethod
    def open_or_create(cls, uri: str, vectors: np.ndarray, libraries: Sequence[str]) -> MilvusStore:
        """The collection holding exactly these vectors and libraries, created only if none does yet.

        Collections are named by a hash of their contents, so several app processes (or one process
        reopening after a restart) share one collection per build instead of each loading its own,
        and a rebuilt index gets a new collection while the old one still answers.
        """
        from pymilvus import MilvusClient

        prefix = collection_prefix(vectors, libraries)
        client = MilvusClient(uri)
        builds = _builds(client)
        for name in builds:
            if name.startswith(prefix):
                if _row_count(client, name) == len(vectors):
                    return cls(client, name, len(vectors), int(vectors.shape[1]))
                client.drop_collection(name)  # a load cut short: load it again
        # The name ends with its creation time so earlier builds can be told apart without the engine.
        store = cls.create(uri, vectors, libraries, collection=f"{prefix}{time.time_ns()}")
        earlier = [name for name in builds if not name.startswith(prefix)]
        for name in sorted(earlier, key=_created)[: max(len(earlier) - KEEP_EARLIER_BUILDS, 0)]:
            client.drop_collection(name)
        return store

    @property
    def collection(self) -> str:
        return self._collection

    @property
    def size(self) -> int:
        return self._size

    @property
    def dimension(self) -> int:
        return self._dimension

    def insert(self, ids: np.ndarray, vectors: np.ndarray, libraries: Sequence[str]) -> None:
        for start in range(0, len(ids), INSERT_BATCH):
            rows = [
                {"id": int(ids[i]), "library": libraries[i], "vector": vectors[i].tolist()}
                for i in range(start, min(start + INSERT_BATCH, len(ids)))
            ]
            self._client.insert(self._collection, rows)
        # Sealing the segments makes them searchable through the index; growing ones are scanned
        # row by row (30x slower filtered queries at 10k clauses on Milvus Lite).
        self._client.flush(self._collection)
        self._size += len(ids)

    def replace_library(self, library: str, ids: np.ndarray, vectors: np.ndarray) -> None:
        """Swap one library's clauses for new ones; other libraries are untouched."""
        self._client.delete(self._collection, filter=f"library == {_quoted(library)}")
        self.insert(ids, vectors, [library] * len(ids))
        # Milvus Lite does not report how many rows a delete removed: count what is there now.
        self._size = _row_count(self._client, self._collection)

    def nearest(
        self, queries: np.ndarray, k: int, *, libraries: Sequence[str] | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        """(scores, ids) best first, padded with -1; only rows of ``libraries`` when given."""
        k = min(k, self._size)
        scores = np.full((len(queries), max(k, 0)), -np.inf, dtype=np.float32)
        ids = np.full((len(queries), max(k, 0)), -1, dtype=np.int64)
        if k <= 0:
            return scores, ids
        where = "" if libraries is None else f"library in [{', '.join(map(_quoted, libraries))}]"
        found = self._client.search(
            self._collection,
            data=[q.tolist() for q in np.asarray(queries, dtype=np.float32)],
            limit=k,
            filter=where,
            search_params={"metric_type": "IP"},
        )
        for row, hits in enumerate(found):
            for column, hit in enumerate(hits):
                scores[row, column] = hit["distance"]
                ids[row, column] = hit["id"]
        return scores, ids

    def similarity(self, queries: np.ndarray, ids: np.ndarray) -> np.ndarray:
        if len(ids) == 0:
            return np.zeros((len(queries), 0), dtype=np.float32)
        wanted = [int(i) for i in ids]
        rows = self._client.get(self._collection, ids=wanted, output_fields=["vector"])
        by_id = {int(row["id"]): row["vector"] for row in rows}
        vectors = np.asarray([by_id[i] for i in wanted], dtype=np.float32)
        return np.asarray(queries, dtype=np.float32) @ vectors.T

    def close(self) -> None:
        self._client.close()


def collection_prefix(vectors: np.ndarray, libraries: Sequence[str]) -> str:
    """The start of a build's collection name: it changes whenever a vector or its library does (pure)."""
    digest = hashlib.sha256(np.ascontiguousarray(vectors, dtype=np.float32).tobytes())
    digest.update("\n".join(libraries).encode("utf-8"))
    return f"{COLLECTION}_{digest.hexdigest()[:16]}_"


def _row_count(client: Any, collection: str) -> int:
    counted = client.query(collection, filter="", output_fields=["count(*)"])
    return int(counted[0]["count(*)"])


def _builds(client: Any) -> list[str]:
    return [name for name in client.list_collections() if name.startswith(f"{COLLECTION}_")]


def _created(name: str) -> int:
    stamp = name.rsplit("_", 1)[-1]
    return int(stamp) if stamp.isdigit() else 0


def _quoted(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
