"""The on-disk index: FAISS vectors, clause metadata and a manifest, written atomically.

Only this module touches the index folder. Layout::

    index/CURRENT                 name of the live build folder (replaced atomically)
    index/build-<id>/vectors.faiss
    index/build-<id>/clauses.jsonl
    index/build-<id>/manifest.json
    index/.lock                   held while a build writes

A build writes a new ``build-<id>`` folder completely, then swaps ``CURRENT``; a crash at
any point leaves the previous build live. ``load`` checks the three files against each other.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import tempfile
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Literal, TypeVar

import faiss
import numpy as np

from ..errors import IndexLockedError, IndexMismatchError, IndexNotBuiltError
from ..ingest.chunking import PARSER_VERSION
from ..ingest.parsing import Corpus
from ..types import Clause, DocumentMeta
from .ann import make_faiss_index

log = logging.getLogger(__name__)

FORMAT_VERSION = 1
POINTER_NAME = "CURRENT"
LOCK_NAME = ".lock"
VECTORS_NAME = "vectors.faiss"
CLAUSES_NAME = "clauses.jsonl"
MANIFEST_NAME = "manifest.json"

ProgressCallback = Callable[[int, int], None]
_T = TypeVar("_T")


@dataclass(frozen=True, slots=True)
class DocumentRecord:
    """What the index remembers about each document it was built from."""

    doc_id: str
    source_name: str
    content_hash: str
    clause_count: int
    meta: DocumentMeta
    modified: float = 0.0

    @property
    def version(self) -> str:
        return self.content_hash[:12]


@dataclass(frozen=True, slots=True)
class SkippedRecord:
    """A file the build left out, remembered so an unchanged bad file does not trigger rebuilds."""

    name: str
    reason: str
    content_hash: str


@dataclass(frozen=True, slots=True)
class Manifest:
    """Describes one build; checked against the files, the model and the corpus on load."""

    format_version: int
    model_id: str
    dimension: int
    clause_count: int
    parser_version: str
    corpus_dir: str
    built_at: float
    build_seconds: float
    documents: tuple[DocumentRecord, ...]
    skipped: tuple[SkippedRecord, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @staticmethod
    def from_json(data: dict[str, Any]) -> Manifest:
        documents = tuple(
            _typed(DocumentRecord(**{**record, "meta": _typed(DocumentMeta(**record["meta"]))}))
            for record in data["documents"]
        )
        skipped = tuple(_typed(SkippedRecord(**record)) for record in data.get("skipped", []))
        return _typed(Manifest(**{**data, "documents": documents, "skipped": skipped}))


# A hand-edited manifest can hold any JSON; wrong types must fail on load (TypeError), not later.
_SCALARS: dict[str, type | tuple[type, ...]] = {
    "str": str,
    "int": int,
    "float": (int, float),
}


def _typed(record: Any) -> Any:
    """Check a record's scalar fields have their declared types; raise TypeError if not."""
    for name, declared in record.__annotations__.items():
        wanted = _SCALARS.get(declared)
        value = getattr(record, name)
        if wanted is not None and (not isinstance(value, wanted) or isinstance(value, bool)):
            raise TypeError(f"{type(record).__name__}.{name} should be {declared}, not {value!r}")
    return record


@dataclass(frozen=True, slots=True)
class StoredIndex:
    """Everything read back from one build folder."""

    manifest: Manifest
    clauses: tuple[Clause, ...]
    embed_keys: tuple[str, ...]
    vectors: faiss.Index
    path: Path
    lexical_extras: tuple[str, ...] = ()
    """Per clause, words BM25 also matches it by (its nearest training questions); '' when none."""


IndexState = Literal["missing", "fresh", "stale"]


@dataclass(frozen=True, slots=True)
class IndexStatus:
    """Whether the index in a folder matches the corpus it should describe."""

    state: IndexState
    reasons: tuple[str, ...] = ()


def make_vector_index(vectors: np.ndarray) -> faiss.Index:
    """Inner-product search over unit vectors (cosine): exact for a school's corpus, HNSW when very large."""
    if len(vectors) == 0:
        return faiss.IndexFlatIP(vectors.shape[1])
    return make_faiss_index(vectors)


def _clause_to_json(clause: Clause, embed_key: str, lexical_extra: str = "") -> dict[str, Any]:
    data = asdict(clause)
    data["heading_path"] = list(clause.heading_path)
    data["note_span"] = list(clause.note_span) if clause.note_span else None
    data["embed_key"] = embed_key
    if lexical_extra:
        data["lexical_extra"] = lexical_extra
    return data


def _clause_from_json(data: dict[str, Any]) -> tuple[Clause, str, str]:
    embed_key = data.pop("embed_key")
    lexical_extra = data.pop("lexical_extra", "")
    data["heading_path"] = tuple(data["heading_path"])
    data["note_span"] = tuple(data["note_span"]) if data["note_span"] else None
    return Clause(**data), embed_key, lexical_extra


def _live_build(index_dir: Path) -> Path:
    pointer = index_dir / POINTER_NAME
    if not pointer.exists():
        raise IndexNotBuiltError(
            f"No index has been built in '{index_dir}'. Run 'python -m retrieval build' (or 'make run')."
        )
    name = pointer.read_text(encoding="utf-8").strip()
    build = index_dir / name
    if not name or not build.is_dir():
        raise IndexMismatchError(
            f"The index in '{index_dir}' points at a missing build '{name}'. "
            "Run 'python -m retrieval build' to rebuild it."
        )
    return build


def _pointer(folder: Path) -> str:
    try:
        return (folder / POINTER_NAME).read_text(encoding="utf-8")
    except OSError:
        return ""


def _reread_if_swapped(folder: Path, read: Callable[[], _T]) -> _T:
    """Run a read of the live build again if a concurrent build swapped CURRENT during it.

    A finished build removes the previous build folder, so a reader that read the old pointer
    can find its files gone; that is not damage, and must not trigger a rebuild.
    """
    for _ in range(2):
        before = _pointer(folder)
        try:
            return read()
        except (IndexMismatchError, OSError, ValueError, KeyError, TypeError):
            if _pointer(folder) == before:
                raise
    return read()


def read_stored_index(index_dir: Path | str) -> StoredIndex:
    """Read the live build and check its files agree with each other."""
    folder = Path(index_dir)
    return _reread_if_swapped(folder, lambda: _read_build(folder))


def _read_build(folder: Path) -> StoredIndex:
    build = _live_build(folder)
    fix = "Run 'python -m retrieval build' to rebuild the index."
    try:
        manifest = Manifest.from_json(json.loads((build / MANIFEST_NAME).read_text(encoding="utf-8")))
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise IndexMismatchError(
            f"The index manifest in '{build}' is missing or damaged ({exc}). {fix}"
        ) from exc
    if manifest.format_version != FORMAT_VERSION:
        raise IndexMismatchError(
            f"The index in '{folder}' was written by another version of this tool. {fix}"
        )
    try:
        lines = (build / CLAUSES_NAME).read_text(encoding="utf-8").splitlines()
        pairs = [_clause_from_json(json.loads(line)) for line in lines if line.strip()]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise IndexMismatchError(
            f"The clause file in '{build}' is missing or damaged ({exc}). {fix}"
        ) from exc
    try:
        vectors = faiss.read_index(str(build / VECTORS_NAME))
    except (RuntimeError, OSError) as exc:
        raise IndexMismatchError(f"The vector file in '{build}' is missing or damaged. {fix}") from exc
    counts = {"manifest": manifest.clause_count, "clause file": len(pairs), "vector file": vectors.ntotal}
    if len(set(counts.values())) != 1:
        raise IndexMismatchError(f"The index files disagree on the number of clauses ({counts}). {fix}")
    if vectors.d != manifest.dimension:
        raise IndexMismatchError(
            f"The vector file has dimension {vectors.d} but the manifest says {manifest.dimension}. {fix}"
        )
    return StoredIndex(
        manifest=manifest,
        clauses=tuple(clause for clause, _, _ in pairs),
        embed_keys=tuple(key for _, key, _ in pairs),
        vectors=vectors,
        path=build,
        lexical_extras=tuple(extra for _, _, extra in pairs),
    )


def stored_vectors(stored: StoredIndex) -> np.ndarray:
    """All vectors of a stored flat index, row i for clause i."""
    if stored.vectors.ntotal == 0:
        return np.zeros((0, stored.manifest.dimension), dtype=np.float32)
    return np.asarray(stored.vectors.reconstruct_n(0, stored.vectors.ntotal), dtype=np.float32)


def corpus_status(manifest: Manifest | None, corpus: Corpus, *, model_id: str) -> IndexStatus:
    """Compare what an index was built from with the policy folder as it is now (pure)."""
    if manifest is None:
        return IndexStatus("missing", ("no index has been built yet",))
    reasons: list[str] = []
    if manifest.model_id != model_id:
        reasons.append(f"it was built with model {manifest.model_id}, not {model_id}")
    if manifest.parser_version != PARSER_VERSION:
        reasons.append("the clause parser has changed since it was built")
    built = {record.doc_id: record.content_hash for record in manifest.documents}
    now = {document.doc_id: document.content_hash for document in corpus.documents}
    reasons += [f"{doc_id} is new" for doc_id in sorted(set(now) - set(built))]
    reasons += [f"{doc_id} was removed" for doc_id in sorted(set(built) - set(now))]
    reasons += [
        f"{doc_id} has changed" for doc_id in sorted(set(now) & set(built)) if now[doc_id] != built[doc_id]
    ]
    skipped_then = {(s.name, s.content_hash) for s in manifest.skipped}
    skipped_now = {(s.name, s.content_hash) for s in corpus.skipped}
    if skipped_then != skipped_now:
        reasons.append("the set of unreadable files has changed")
    return IndexStatus("stale" if reasons else "fresh", tuple(reasons))


def read_manifest(index_dir: Path | str) -> Manifest | None:
    """The live manifest, or None when nothing readable is there."""
    folder = Path(index_dir)

    def read() -> Manifest:
        build = _live_build(folder)
        return Manifest.from_json(json.loads((build / MANIFEST_NAME).read_text(encoding="utf-8")))

    try:
        return _reread_if_swapped(folder, read)
    except (IndexNotBuiltError, IndexMismatchError, OSError, ValueError, KeyError, TypeError):
        return None


def _write_atomically(path: Path, text: str) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def acquire_build_lock(index_dir: Path, *, timeout: float = 0.0) -> Any:
    """A lock so two builds never write the same index folder at once."""
    from filelock import FileLock, Timeout

    lock = FileLock(str(index_dir / LOCK_NAME), timeout=timeout)
    try:
        lock.acquire()
    except Timeout as exc:
        raise IndexLockedError(
            f"Another build of '{index_dir}' is running. Wait for it to finish, then try again."
        ) from exc
    return lock


def write_index(
    index_dir: Path | str,
    *,
    manifest: Manifest,
    clauses: Sequence[Clause],
    embed_keys: Sequence[str],
    vectors: np.ndarray,
    lexical_extras: Sequence[str] = (),
) -> Path:
    """Write a complete new build, then make it live. The caller holds the build lock."""
    folder = Path(index_dir)
    folder.mkdir(parents=True, exist_ok=True)
    build = folder / f"build-{time.strftime('%Y%m%d-%H%M%S')}-{uuid.uuid4().hex[:8]}"
    staging = folder / f".staging-{build.name}"
    staging.mkdir()
    try:
        faiss.write_index(make_vector_index(vectors), str(staging / VECTORS_NAME))
        extras = list(lexical_extras) or [""] * len(clauses)
        lines = (
            json.dumps(_clause_to_json(c, k, x), ensure_ascii=False)
            for c, k, x in zip(clauses, embed_keys, extras, strict=True)
        )
        (staging / CLAUSES_NAME).write_text("\n".join(lines) + "\n", encoding="utf-8")
        (staging / MANIFEST_NAME).write_text(json.dumps(manifest.to_json(), indent=2), encoding="utf-8")
        for name in (VECTORS_NAME, CLAUSES_NAME, MANIFEST_NAME):
            with open(staging / name, "rb") as handle:
                os.fsync(handle.fileno())
        os.replace(staging, build)
        _write_atomically(folder / POINTER_NAME, build.name + "\n")
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    _remove_old_builds(folder, keep=build.name)
    return build


def _remove_old_builds(folder: Path, *, keep: str) -> None:
    for path in folder.iterdir():
        if path.is_dir() and path.name != keep and (path.name.startswith(("build-", ".staging-"))):
            shutil.rmtree(path, ignore_errors=True)
        elif path.is_file() and path.name.startswith(f".{POINTER_NAME}."):
            # The temporary pointer of a build killed before its rename.
            path.unlink(missing_ok=True)
