"""Adding, replacing, retiring and restoring policies (IO), with the checks an upload needs.

An upload is validated completely (type, size, readable text, not a copy of a document already
there) before anything is written. Nothing is ever deleted: every version is kept in the history
(ingest/history.py) and every change is a line in the audit log (ingest/audit.py).
"""

from __future__ import annotations

import logging
import re
import shutil
import tempfile
from pathlib import Path

from ..errors import DocumentReadError, UnknownDocumentError, UnsupportedFormatError
from .audit import record_action
from .history import PolicyVersion, add_version, restore, retire
from .parsing import MAX_DOCUMENT_BYTES, content_hash, policy_files, supported_suffixes
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


def check_upload(corpus_dir: Path, name: str, data: bytes, *, max_bytes: int = MAX_DOCUMENT_BYTES) -> str:
    """Validate an upload completely without changing the corpus; returns its safe file name.

    Raises a DocumentReadError subclass naming the file when it is empty, too large, of an
    unsupported type, unreadable (corrupt, encrypted, scanned without text), a copy of another
    document already in the folder, or identical to the live version of the same document.
    """
    file_name = safe_file_name(name)
    suffix = Path(file_name).suffix.lower()
    if suffix not in supported_suffixes():
        raise UnsupportedFormatError(
            f"{file_name}: files of type '{suffix or 'none'}' are not supported. "
            f"Upload one of {', '.join(sorted(supported_suffixes()))}."
        )
    digest = content_hash(data)
    folder = Path(corpus_dir)
    existing_files = policy_files(folder) if folder.is_dir() else []
    for existing in existing_files:
        if content_hash(existing.read_bytes()) == digest:
            same = existing.stem == Path(file_name).stem
            raise DuplicateDocumentError(
                f"{file_name} is identical to the live version of {existing.name}; nothing was changed."
                if same
                else f"{file_name} is identical to {existing.name}, which is already loaded."
            )
    folder.mkdir(parents=True, exist_ok=True)
    # Read under its real name (so reader messages name it) in a private folder on the same disk.
    staging_dir = Path(tempfile.mkdtemp(dir=folder, prefix=".upload-"))
    try:
        staged = staging_dir / file_name
        staged.write_bytes(data)
        # The reader checks size, emptiness and readability on the real bytes, as a build would.
        text = read_document_text(staged, max_bytes=max_bytes)
        if not text.strip():
            raise DocumentReadError(f"{file_name} has no text. Check it is the right file.")
    finally:
        shutil.rmtree(staging_dir, ignore_errors=True)
    return file_name


def add_document(
    corpus_dir: Path | str,
    name: str,
    data: bytes,
    *,
    who: str = "unknown",
    client: str = "",
    max_bytes: int = MAX_DOCUMENT_BYTES,
) -> Path:
    """Check an uploaded policy and make it live; returns the live file's path.

    A file whose document id (its name without extension) is already in the corpus becomes that
    document's next version; the previous one is kept in the history. Nothing is written when the
    upload fails its checks. The action is recorded in the audit log.
    """
    folder = Path(corpus_dir)
    file_name = check_upload(folder, name, data, max_bytes=max_bytes)
    doc_id = Path(file_name).stem
    replacing = any(p.stem == doc_id for p in policy_files(folder))
    version = add_version(folder, doc_id, file_name, data, by=who)
    record_action(
        folder,
        who=who,
        action="replace" if replacing else "add",
        doc_id=doc_id,
        version=version.number,
        content_hash=version.content_hash,
        client=client,
    )
    log.info("%s %s as version %d", "replaced" if replacing else "added", doc_id, version.number)
    return folder / f"{doc_id}{Path(file_name).suffix.lower()}"


def remove_document(corpus_dir: Path | str, doc_id: str, *, who: str = "unknown", client: str = "") -> Path:
    """Retire a document: out of search, every version kept; returns the path it was live at."""
    folder = Path(corpus_dir)
    matches = [path for path in policy_files(folder) if path.stem == doc_id]
    if not matches:
        raise UnknownDocumentError(f"There is no document '{doc_id}' in {folder}.")
    version = retire(folder, doc_id)
    record_action(
        folder,
        who=who,
        action="retire",
        doc_id=doc_id,
        version=version.number,
        content_hash=version.content_hash,
        client=client,
    )
    return matches[0]


def restore_document(
    corpus_dir: Path | str, doc_id: str, *, version: int | None = None, who: str = "unknown", client: str = ""
) -> PolicyVersion:
    """Make a stored version live again (default: the latest), recorded in the audit log."""
    folder = Path(corpus_dir)
    restored = restore(folder, doc_id, version=version)
    record_action(
        folder,
        who=who,
        action="restore",
        doc_id=doc_id,
        version=restored.number,
        content_hash=restored.content_hash,
        client=client,
    )
    return restored
