"""Opening an index the way every caller wants it: built if missing, rebuilt if stale."""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import shutil
from pathlib import Path

from .answering.search import PolicyIndex
from .errors import IndexLockedError, IndexMismatchError, IndexNotBuiltError
from .index.building import BuildReport
from .index.building import build_index as build_with
from .index.stored import POINTER_NAME, IndexStatus, ProgressCallback, corpus_status, read_manifest
from .ingest.history import PolicyVersion, corpus_as_of
from .ingest.libraries import library_folders
from .ingest.parsing import read_corpus
from .models import Embedder, default_embedder, lexical_expander

log = logging.getLogger(__name__)

DEFAULT_CORPUS = Path("corpus")
DEFAULT_INDEX = Path("index")

__all__ = [
    "BuildReport",
    "PolicyIndex",
    "build_index",
    "index_status",
    "library_stamp",
    "open_index",
    "open_engine_index",
    "open_index_as_of",
    "resolve_corpus",
]


def resolve_corpus(index_dir: Path | str, corpus_dir: Path | str | None) -> Path:
    """The corpus folder to use: the one given, else the one the index was built from, else corpus/."""
    if corpus_dir is not None:
        return Path(corpus_dir)
    manifest = read_manifest(index_dir)
    if manifest is not None and Path(manifest.corpus_dir).is_dir():
        return Path(manifest.corpus_dir)
    return DEFAULT_CORPUS


def build_index(
    corpus_dir: Path | str,
    index_dir: Path | str,
    *,
    embedder: Embedder | None = None,
    progress: ProgressCallback | None = None,
) -> BuildReport:
    """Build (or refresh) the index for a corpus folder; only new or changed clauses are embedded.

    Args:
        corpus_dir: folder of policy files.
        index_dir: folder the index lives in; created if missing.
        embedder: the embedding model (default: the packaged model, see ``default_embedder``).
        progress: called as ``progress(done, total)`` while clauses are embedded.

    Returns:
        A BuildReport with counts and timing.
    """
    embedder = embedder or default_embedder()
    return build_with(
        corpus_dir, index_dir, embedder=embedder, progress=progress, expander=lexical_expander(embedder)
    )


def index_status(
    corpus_dir: Path | str, index_dir: Path | str, *, embedder: Embedder | None = None
) -> IndexStatus:
    """Whether the index is missing, stale or fresh for the corpus as it is now."""
    model_id = (embedder or default_embedder()).model_id
    return corpus_status(read_manifest(index_dir), read_corpus(corpus_dir), model_id=model_id)


def open_index(
    index_dir: Path | str = DEFAULT_INDEX,
    *,
    corpus_dir: Path | str | None = None,
    embedder: Embedder | None = None,
    rebuild: bool = True,
    progress: ProgressCallback | None = None,
) -> PolicyIndex:
    """Load the index, building or refreshing it first when the corpus has changed.

    Args:
        index_dir: the index folder.
        corpus_dir: the policy folder (default: the one the index was built from, else corpus/).
        embedder: the embedding model (default: the packaged all-MiniLM-L6-v2).
        rebuild: when False, a missing or stale index raises instead of being rebuilt.
        progress: build progress callback ``progress(done, total)``.

    Returns:
        The loaded PolicyIndex.
    """
    embedder = embedder or default_embedder()
    corpus = resolve_corpus(index_dir, corpus_dir)
    status = corpus_status(read_manifest(index_dir), read_corpus(corpus), model_id=embedder.model_id)
    if status.state != "fresh":
        if not rebuild:
            raise IndexMismatchError(
                f"The index in '{index_dir}' is out of date ({'; '.join(status.reasons)}). "
                "Run 'python -m retrieval build' to refresh it."
            )
        log.info("rebuilding index: %s", "; ".join(status.reasons))
        try:
            build_index(corpus, index_dir, embedder=embedder, progress=progress)
        except IndexLockedError:
            # Another process (a second app, an upload elsewhere) is building this index right now:
            # keep answering from the live index; its swap changes library_stamp, so the next
            # question reopens the new one. With no live index yet there is nothing to serve.
            if status.state == "missing":
                raise
            log.info("another process is rebuilding %s; serving the live index meanwhile", index_dir)
    try:
        return PolicyIndex.load(index_dir, embedder=embedder)
    except IndexMismatchError:
        if not rebuild:
            raise
        log.warning("index in %s is damaged; rebuilding it", index_dir)
        build_index(corpus, index_dir, embedder=embedder, progress=progress)
        return PolicyIndex.load(index_dir, embedder=embedder)


def open_index_as_of(
    moment: str,
    index_dir: Path | str = DEFAULT_INDEX,
    *,
    corpus_dir: Path | str | None = None,
    embedder: Embedder | None = None,
) -> tuple[PolicyIndex, dict[str, PolicyVersion]]:
    """An index of the policy versions in force at ``moment`` (an ISO date or time), and which they are.

    The versions are copied out of the history into ``<index>.as-of/<moment>/corpus`` and indexed
    beside it; a second question about the same date reuses that index.
    """
    try:
        day = dt.date.fromisoformat(moment[:10])
    except ValueError as exc:
        raise ValueError(f"as_of must be a date like 2025-03-01. Currently, as_of is {moment!r}.") from exc
    # The end of the day: a version added on that date was in force on it.
    cutoff = moment if len(moment) > 10 else f"{day.isoformat()}T23:59:59+00:00"
    corpus = resolve_corpus(index_dir, corpus_dir)
    folder = Path(f"{Path(index_dir)}.as-of") / cutoff.replace(":", "-")
    shutil.rmtree(folder / "corpus", ignore_errors=True)
    used = corpus_as_of(corpus, cutoff, folder / "corpus")
    if not used:
        raise IndexNotBuiltError(f"No policy in {corpus} was in force on {day.isoformat()}.")
    return open_index(folder / "index", corpus_dir=folder / "corpus", embedder=embedder), used


def library_stamp(index_dir: Path | str, corpus_dir: Path | str) -> str:
    """A cheap fingerprint of what another process may have changed: the live build and the policy files.

    An app process compares it on every run and reopens its index when it differs, so an upload,
    retirement or rebuild made by another process (a second staff-room machine, a restart) is
    seen at the next question. Only names, sizes and modification times are read, never contents.
    """
    parts: list[str] = []
    pointer = Path(index_dir) / POINTER_NAME
    try:
        parts.append(pointer.read_text(encoding="utf-8").strip())
    except OSError:
        parts.append("no index")
    folders = [Path(corpus_dir), *library_folders(Path(corpus_dir))]
    entries = []
    for folder in folders:
        try:
            entries += sorted(folder.iterdir())
        except OSError:
            continue
    for entry in entries:
        try:
            if entry.is_file():
                info = entry.stat()
                parts.append(f"{entry.parent.name}/{entry.name}:{info.st_size}:{info.st_mtime_ns}")
        except OSError:
            continue  # removed while listing: the next stamp will differ anyway
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:16]


def open_engine_index(
    index_dir: Path | str = DEFAULT_INDEX,
    *,
    uri: str,
    corpus_dir: Path | str | None = None,
    embedder: Embedder | None = None,
    progress: ProgressCallback | None = None,
) -> PolicyIndex:
    """The index with its vectors served by Milvus at ``uri`` (a Milvus Lite file or a cluster address).

    Clauses, BM25 and metadata stay in process; the vectors live in the engine's collection for this
    build (loaded once, then shared by every process that opens the same build), each row tagged
    with its library so a school's search is filtered inside the engine.
    """
    from .index.milvus_store import MilvusStore

    local = open_index(index_dir, corpus_dir=corpus_dir, embedder=embedder, progress=progress)
    return local.with_store(lambda vectors, libraries: MilvusStore.open_or_create(uri, vectors, libraries))
