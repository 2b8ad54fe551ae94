"""Adding and removing policy files in the corpus folder (IO), with the checks an upload needs.

An upload is validated completely (type, size, readable text, not a copy of a document already
there) before anything is written, and is written atomically, so a bad upload never leaves a
half-written file that would break the next build.
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import tempfile
from pathlib import Path

from ..errors import DocumentReadError, UnknownDocumentError, UnsupportedFormatError
from .parsing import MAX_DOCUMENT_BYTES, SIDECAR_SUFFIX, content_hash, policy_files, supported_suffixes
from .readers import read_document_text

log = logging.getLogger(__name__)

_UNSAFE = re.compile(r"[^A-Za-z0-9._ -]+")


class DuplicateDocumentError(DocumentReadError):
    """The uploaded file is identical to a document already in the corpus."""


def safe_file_name(name: str) -> str:
    """A file name that cannot escape the corpus folder or hide ('../x.pdf' → 'x.pdf')."""
    base = Path(name.replace("\\", "/")).name.strip().lstrip(".")
    cleaned = _UNSAFE.sub("-", base).strip(" -")
    if not cleaned or not Path(cleaned).stem:
        raise UnsupportedFormatError(
            f"'{name}' is not a usable file name. Rename the file and upload it again."
        )
    return cleaned


def add_document(
    corpus_dir: Path | str, name: str, data: bytes, *, max_bytes: int = MAX_DOCUMENT_BYTES
) -> Path:
    """Check an uploaded policy and save it into the corpus folder; returns its path.

    Raises a DocumentReadError subclass naming the file when it is empty, too large, of an
    unsupported type, unreadable (corrupt, encrypted, scanned without text), or a copy of a
    document already in the folder. Nothing is written in that case.
    """
    folder = Path(corpus_dir)
    file_name = safe_file_name(name)
    suffix = Path(file_name).suffix.lower()
    if suffix not in supported_suffixes():
        raise UnsupportedFormatError(
            f"{file_name}: files of type '{suffix or 'none'}' are not supported. "
            f"Upload one of {', '.join(sorted(supported_suffixes()))}."
        )
    digest = content_hash(data)
    for existing in policy_files(folder):
        if content_hash(existing.read_bytes()) == digest:
            raise DuplicateDocumentError(
                f"{file_name} is identical to {existing.name}, which is already loaded."
            )
    folder.mkdir(parents=True, exist_ok=True)
    # Staged under its real name (so reader messages name it) in a private folder on the same disk.
    staging_dir = Path(tempfile.mkdtemp(dir=folder, prefix=".upload-"))
    staged = staging_dir / file_name
    try:
        staged.write_bytes(data)
        # The reader checks size, emptiness and readability on the real bytes, as a build would.
        text = read_document_text(staged, max_bytes=max_bytes)
        if not text.strip():
            raise DocumentReadError(f"{file_name} has no text. Check it is the right file.")
        target = _free_path(folder, file_name)
        os.replace(staged, target)
    finally:
        shutil.rmtree(staging_dir, ignore_errors=True)
    log.info("added %s to %s", target.name, folder)
    return target


def _free_path(folder: Path, file_name: str) -> Path:
    """The name itself, or 'name-2.ext' when a different document already has it."""
    target = folder / file_name
    counter = 2
    while target.exists():
        target = folder / f"{Path(file_name).stem}-{counter}{Path(file_name).suffix}"
        counter += 1
    return target


def remove_document(corpus_dir: Path | str, doc_id: str) -> Path:
    """Delete a document (and its metadata sidecar) from the corpus folder; returns the removed path."""
    folder = Path(corpus_dir)
    matches = [path for path in policy_files(folder) if path.stem == doc_id]
    if not matches:
        raise UnknownDocumentError(f"There is no document '{doc_id}' in {folder}.")
    for path in matches:
        path.unlink()
        path.with_name(path.stem + SIDECAR_SUFFIX).unlink(missing_ok=True)
    return matches[0]
