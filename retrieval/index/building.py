"""Building the index from the corpus: read, parse, embed what changed, write atomically."""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from ..errors import IndexMismatchError, IndexNotBuiltError, RetrievalError
from ..ingest.chunking import PARSER_VERSION, chunk_documents
from ..ingest.clause_text import embedding_text
from ..ingest.history import version_label
from ..ingest.libraries import library_dir, split_id
from ..ingest.parsing import read_corpus
from ..types import Clause, Document, Embedder, LexicalExpander
from .stored import (
    DocumentRecord,
    IndexStatus,
    Manifest,
    ProgressCallback,
    SkippedRecord,
    StoredIndex,
    acquire_build_lock,
    corpus_status,
    read_manifest,
    read_stored_index,
    stored_vectors,
    write_index,
)

log = logging.getLogger(__name__)

# Best raw encode throughput on 2 cores was at batch 16 (benchmarks/results/speed.md).
EMBED_BATCH = 16


@dataclass(frozen=True, slots=True)
class BuildReport:
    """What a build did, for the summary line and the benchmarks."""

    documents: int
    clauses: int
    embedded: int
    reused: int
    seconds: float
    index_path: Path
    skipped: tuple[SkippedRecord, ...] = ()


def embed_key(model_id: str, text: str) -> str:
    """Identity of an embedding: same model and same text give the same vector."""
    return hashlib.sha256(f"{model_id}\x1f{text}".encode()).hexdigest()[:24]


def _previous_vectors(index_dir: Path, model_id: str) -> dict[str, np.ndarray]:
    """Vectors of the live build keyed by embed key, so unchanged clauses are not embedded again."""
    try:
        stored: StoredIndex = read_stored_index(index_dir)
    except (IndexNotBuiltError, IndexMismatchError):
        return {}
    if stored.manifest.model_id != model_id:
        return {}
    return dict(zip(stored.embed_keys, stored_vectors(stored), strict=True))


def embed_in_batches(
    embedder: Embedder, texts: Sequence[str], *, progress: ProgressCallback | None = None
) -> np.ndarray:
    """Embed texts batch by batch, reporting progress after each batch; rows stay in input order.

    Texts are batched longest first, so each batch pads to similar lengths (as
    SentenceTransformer.encode does internally); in document order, padding cost 40% of throughput.
    """
    if not texts:
        return np.zeros((0, embedder.dimension), dtype=np.float32)
    order = sorted(range(len(texts)), key=lambda i: -len(texts[i]))
    vectors = np.zeros((len(texts), embedder.dimension), dtype=np.float32)
    for start in range(0, len(order), EMBED_BATCH):
        rows = order[start : start + EMBED_BATCH]
        vectors[rows] = embedder.embed([texts[i] for i in rows])
        if progress is not None:
            progress(min(start + EMBED_BATCH, len(texts)), len(texts))
    return vectors


def _document_records(documents: Sequence[Document], clauses: Sequence[Clause]) -> tuple[DocumentRecord, ...]:
    counts: dict[str, int] = {}
    for clause in clauses:
        counts[clause.doc_id] = counts.get(clause.doc_id, 0) + 1
    return tuple(
        DocumentRecord(d.doc_id, d.source_name, d.content_hash, counts.get(d.doc_id, 0), d.meta, d.modified)
        for d in documents
    )


def _with_version(corpus: Path, document: Document) -> Document:
    """Citations name the live version of a policy with a history (kept in its library's folder)."""
    library, stem = split_id(document.doc_id)
    label = version_label(library_dir(corpus, library), stem)
    return replace(document, meta=replace(document.meta, version=label)) if label else document


def build_index(
    corpus_dir: Path | str,
    index_dir: Path | str,
    *,
    embedder: Embedder,
    progress: ProgressCallback | None = None,
    expander: LexicalExpander | None = None,
) -> BuildReport:
    """Build (or refresh) the index for a corpus folder; only new or changed clauses are embedded.

    Args:
        corpus_dir: folder of policy files.
        index_dir: folder the index lives in; created if missing.
        embedder: the embedding model that turns clause texts into vectors.
        progress: called as ``progress(done, total)`` while clauses are embedded.
        expander: gives each clause, from its vector, extra words for BM25 (stored with the clause).

    Returns:
        A BuildReport with counts and timing.
    """
    started = time.perf_counter()
    corpus, folder = Path(corpus_dir), Path(index_dir)
    corpus_read = read_corpus(corpus)
    documents = tuple(_with_version(corpus, d) for d in corpus_read.documents)
    skipped = tuple(SkippedRecord(f.name, f.reason, f.content_hash) for f in corpus_read.skipped)
    clauses = chunk_documents(documents)
    titles = {document.doc_id: document.meta.title for document in documents}
    texts = [embedding_text(clause, titles[clause.doc_id]) for clause in clauses]
    keys = [embed_key(embedder.model_id, text) for text in texts]
    try:
        folder.mkdir(parents=True, exist_ok=True)
        lock = acquire_build_lock(folder)
    except OSError as exc:
        raise _cannot_write(folder, exc) from exc
    try:
        previous = _previous_vectors(folder, embedder.model_id)
        missing = [i for i, key in enumerate(keys) if key not in previous]
        fresh = embed_in_batches(embedder, [texts[i] for i in missing], progress=progress)
        vectors = np.zeros((len(clauses), embedder.dimension), dtype=np.float32)
        for row, i in enumerate(missing):
            vectors[i] = fresh[row]
        for i, key in enumerate(keys):
            if key in previous:
                vectors[i] = previous[key]
        seconds = time.perf_counter() - started
        manifest = Manifest(
            format_version=1,
            model_id=embedder.model_id,
            dimension=embedder.dimension,
            clause_count=len(clauses),
            parser_version=PARSER_VERSION,
            corpus_dir=str(corpus.resolve()),
            built_at=time.time(),
            build_seconds=round(seconds, 3),
            documents=_document_records(documents, clauses),
            skipped=skipped,
        )
        try:
            path = write_index(
                folder,
                manifest=manifest,
                clauses=clauses,
                embed_keys=keys,
                vectors=vectors,
                lexical_extras=expander(vectors) if expander is not None else (),
            )
        except OSError as exc:
            raise _cannot_write(folder, exc) from exc
    finally:
        lock.release()
    log.info("built index: %d documents, %d clauses, %d embedded", len(documents), len(clauses), len(missing))
    return BuildReport(
        documents=len(documents),
        clauses=len(clauses),
        embedded=len(missing),
        reused=len(clauses) - len(missing),
        seconds=time.perf_counter() - started,
        index_path=path,
        skipped=skipped,
    )


def _cannot_write(folder: Path, exc: OSError) -> RetrievalError:
    return RetrievalError(
        f"Cannot write the index in '{folder}': {exc.strerror or exc}. "
        "Make the folder writable, or pass --index with a folder that is."
    )


def index_status(corpus_dir: Path | str, index_dir: Path | str, *, model_id: str) -> IndexStatus:
    """Whether the index folder is missing, stale or fresh for the corpus folder as it is now."""
    return corpus_status(read_manifest(index_dir), read_corpus(corpus_dir), model_id=model_id)
