"""Libraries: a trust-wide library and one per school, as folders of one corpus (pure).

``corpus/*.pdf`` is one library (a single school, the layout before libraries). With libraries,
``corpus/trust/`` holds trust-wide policies and ``corpus/<school>/`` each school's own; files left
directly in ``corpus/`` are shared like the trust's. A document's id carries its library
(``brookfield--online-safety``), so two schools may both have an "online-safety.pdf". A member of
staff sees their school's library, the trust's and the shared files, never another school's.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

from ..errors import RetrievalError

TRUST_LIBRARY = "trust"
SEPARATOR = "--"
_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")


class UnknownLibraryError(RetrievalError):
    """A library name that is not a folder of the corpus."""


def qualified_id(library: str, stem: str) -> str:
    """The document id of ``stem`` in ``library`` ('' for the shared top-level files)."""
    return f"{library}{SEPARATOR}{stem}" if library else stem


def library_of(doc_id: str) -> str:
    """The library a document id belongs to ('' for a top-level file)."""
    library, separator, _ = doc_id.partition(SEPARATOR)
    return library if separator else ""


def split_id(doc_id: str) -> tuple[str, str]:
    """(library, file stem) of a document id: the inverse of ``qualified_id``."""
    library = library_of(doc_id)
    return library, doc_id.removeprefix(f"{library}{SEPARATOR}") if library else doc_id


def library_dir(corpus_dir: Path, library: str | None) -> Path:
    """The folder a library's files, history and audit log live in ('' or None: the corpus itself)."""
    return corpus_dir / library if library else corpus_dir


def library_folders(corpus_dir: Path) -> list[Path]:
    """Sub-folders of the corpus that are libraries: visible, with a usable name, in name order."""
    try:
        entries = sorted(corpus_dir.iterdir())
    except OSError:
        return []
    return [entry for entry in entries if entry.is_dir() and _NAME.match(entry.name)]


def school_libraries(doc_ids: Iterable[str]) -> tuple[str, ...]:
    """The schools' libraries among these documents (not the trust's, not the shared files)."""
    return tuple(sorted({library_of(d) for d in doc_ids} - {"", TRUST_LIBRARY}))


def visible_docs(doc_ids: Iterable[str], library: str | None) -> tuple[str, ...]:
    """The documents a member of ``library`` may see: their school's, the trust's and shared files.

    ``None`` means no library was chosen: every document (a single-school corpus).
    """
    ids = tuple(doc_ids)
    if library is None:
        return ids
    known = {library_of(d) for d in ids}
    if library not in known:
        schools = ", ".join(school_libraries(ids)) or "none (this corpus has no school folders)"
        raise UnknownLibraryError(f"There is no library '{library}'. Libraries: {schools}.")
    return tuple(d for d in ids if library_of(d) in (library, TRUST_LIBRARY, ""))
