"""Reading policy files from the corpus folder, with their citation metadata.

This is the IO edge for documents: it finds files, decodes them, reads optional
``NAME.meta.toml`` sidecars and hands frozen ``Document`` values to the pure stages.
"""

from __future__ import annotations

import hashlib
import logging
import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from ..errors import CorpusNotFoundError, DocumentReadError, EmptyCorpusError, RetrievalError
from ..types import Document, DocumentMeta
from .libraries import library_folders, library_of, qualified_id
from .markup import is_upper_title, split_lines, strip_markup
from .readers import SUPPORTED_SUFFIXES, read_policy_text

log = logging.getLogger(__name__)

MAX_DOCUMENT_BYTES = 20_000_000
SIDECAR_SUFFIX = ".meta.toml"
_META_FIELDS = ("title", "issuer", "issued", "approved", "reviewed", "review_due")

_ISSUER_WORDS = re.compile(
    r"\b(council|borough|county|authority|trust|academy|academies|school|college|department|"
    r"diocese|federation|government|ministry|agency|service)\b",
    re.IGNORECASE,
)
_TITLE_WORDS = re.compile(r"\b(policy|guidance|guidelines|procedure|code of conduct|agreement)\b", re.I)
_DATE = (
    r"((?:\d{1,2}(?:st|nd|rd|th)?\s+)?(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d{4}"
    r"|\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}|\d{4})"
)
_LABELLED_DATES = {
    # "Approved: March 2021", "Adopted on 3 May 2022", "Approved by: Trust Board   Date: Sept 2023"
    "approved": re.compile(r"\b(?:approved|adopted|ratified)\b[^\n]{0,60}?" + _DATE, re.I),
    "review_due": re.compile(
        r"\b(?:to be reviewed|review(?:\s+due)?(?:\s+date)?|next review(?:\s+date)?|will be reviewed)"
        r"\s*(?:on|by|in)?\s*:?\s*" + _DATE,
        re.I,
    ),
    "reviewed": re.compile(r"\b(?:last reviewed|reviewed on|date reviewed)\s*:?\s*" + _DATE, re.I),
}
_PAREN_DATE = re.compile(r"\((" + _DATE[1:-1] + r")\)", re.I)
_ANNUAL = re.compile(r"\breviewed\s+(?:on\s+an?\s+)?(annual|yearly|biennial|termly)", re.I)
_SMALL_WORDS = {"a", "an", "and", "as", "at", "by", "for", "in", "of", "on", "or", "the", "to", "with"}


def content_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def title_case(text: str) -> str:
    """Turn an ALL-CAPS heading into a readable title, leaving mixed-case text alone."""
    if not is_upper_title(text):
        return text
    words = text.lower().split()
    return " ".join(
        word
        if (index and word in _SMALL_WORDS)
        else re.sub(r"[a-z]", lambda m: m.group(0).upper(), word, count=1)
        for index, word in enumerate(words)
    )


def _head_lines(text: str, limit: int = 12) -> list[str]:
    """The first lines of the document, before its first numbered section."""
    head: list[str] = []
    for line in split_lines(text)[:limit]:
        if re.match(r"^\d+(\.\d+)*\.?\s", line.text) and head:
            break
        head.append(line.text)
    return head


def extract_metadata(text: str, doc_id: str) -> DocumentMeta:
    """Title, issuer and dates as the document states them near its top (pure)."""
    head = _head_lines(text)
    issuer = ""
    title = ""
    for index, line in enumerate(head):
        if not issuer and _ISSUER_WORDS.search(line) and len(line) <= 80 and not _TITLE_WORDS.search(line):
            issuer = line
            # "Doncaster" on one line and "Metropolitan Borough Council" on the next form one name.
            if index > 0 and len(head[index - 1].split()) <= 2 and not _TITLE_WORDS.search(head[index - 1]):
                issuer = f"{head[index - 1]} {line}"
        if not title and _TITLE_WORDS.search(line) and len(line) <= 160 and ":" not in line:
            title = line
    head_text = "\n".join(head)
    full = strip_markup(head_text)
    dates = {
        name: (m.group(1) if (m := pattern.search(full)) else "") for name, pattern in _LABELLED_DATES.items()
    }
    if not dates["review_due"] and (m := _ANNUAL.search(full)):
        dates["review_due"] = f"{m.group(1).lower()} review"
    issued = m.group(1) if (m := _PAREN_DATE.search(title)) else ""
    readable_title = title_case(title) if title else doc_id.replace("-", " ").replace("_", " ").capitalize()
    readable_issuer = title_case(issuer)
    return DocumentMeta(
        title=f"{readable_issuer} – {readable_title}" if readable_issuer else readable_title,
        issuer=readable_issuer,
        issued=title_case(issued),
        approved=dates["approved"],
        reviewed=dates["reviewed"],
        review_due=dates["review_due"],
    )


def read_sidecar(path: Path) -> dict[str, str]:
    """Metadata overrides from ``NAME.meta.toml`` beside the policy file, if present."""
    sidecar = path.with_name(path.stem + SIDECAR_SUFFIX)
    if not sidecar.exists():
        return {}
    try:
        data = tomllib.loads(sidecar.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise DocumentReadError(
            f"Cannot read metadata file {sidecar.name}: {exc}. Fix or delete it."
        ) from exc
    unknown = sorted(set(data) - set(_META_FIELDS))
    if unknown:
        raise DocumentReadError(
            f"Metadata file {sidecar.name} has unknown fields {unknown}; allowed: {', '.join(_META_FIELDS)}."
        )
    return {key: str(value) for key, value in data.items()}


def merge_metadata(extracted: DocumentMeta, overrides: dict[str, str]) -> DocumentMeta:
    values = {name: getattr(extracted, name) for name in _META_FIELDS}
    values.update(overrides)
    return DocumentMeta(**values)


def supported_suffixes() -> frozenset[str]:
    """File types the corpus can hold."""
    return frozenset(SUPPORTED_SUFFIXES)


def policy_files(corpus_dir: Path) -> list[Path]:
    """Policy files in the corpus folder, in a stable order (sidecars and hidden files skipped)."""
    if not corpus_dir.is_dir():
        raise CorpusNotFoundError(
            f"The policy folder '{corpus_dir}' does not exist. Create it and put policy files in it, "
            "or pass --corpus with the right folder."
        )
    suffixes = supported_suffixes()
    try:
        return sorted(
            path
            for path in corpus_dir.iterdir()
            if path.is_file()
            and not path.name.startswith(".")
            and not path.name.endswith(SIDECAR_SUFFIX)
            and path.suffix.lower() in suffixes
        )
    except OSError as exc:
        raise RetrievalError(
            f"Cannot read the policy folder '{corpus_dir}': {exc.strerror or exc}. Check its permissions."
        ) from exc


def read_document(path: Path, *, max_bytes: int = MAX_DOCUMENT_BYTES, library: str = "") -> Document:
    """Read one policy file into a Document (IO). Raises a DocumentReadError naming the file.

    A file in a library folder (``corpus/<library>/``) gets an id and source name that carry it.
    """
    try:
        data = path.read_bytes()
        modified = path.stat().st_mtime
    except OSError as exc:
        raise DocumentReadError(
            f"Cannot read {path.name}: {exc.strerror or exc}. Check the file's permissions."
        ) from exc
    read = read_policy_text(path, max_bytes=max_bytes)
    text = read.text
    if not text.strip():
        raise DocumentReadError(f"{path.name} is empty. Remove it from the policy folder or add its text.")
    meta = merge_metadata(extract_metadata(text, path.stem), read_sidecar(path))
    return Document(
        doc_id=qualified_id(library, path.stem),
        source_name=f"{library}/{path.name}" if library else path.name,
        text=text,
        content_hash=content_hash(data),
        meta=meta,
        modified=modified,
        page_marks=read.page_marks,
    )


@dataclass(frozen=True, slots=True)
class SkippedFile:
    """A file in the policy folder that could not be used, and why, in words an administrator can act on."""

    name: str
    reason: str
    content_hash: str


@dataclass(frozen=True, slots=True)
class Corpus:
    """The readable documents of a policy folder, and the files that were left out."""

    documents: tuple[Document, ...]
    skipped: tuple[SkippedFile, ...]


def _file_hash(path: Path) -> str:
    try:
        return content_hash(path.read_bytes())
    except OSError:
        return ""


def _unsupported_files(folder: Path) -> list[Path]:
    """Visible files in the policy folder that no reader handles (named to the user, not ignored)."""
    suffixes = supported_suffixes()
    return sorted(
        path
        for path in folder.iterdir()
        if path.is_file()
        and not path.name.startswith(".")
        and not path.name.endswith(SIDECAR_SUFFIX)
        and path.suffix.lower() not in suffixes
    )


def read_corpus(corpus_dir: Path | str, *, max_bytes: int = MAX_DOCUMENT_BYTES) -> Corpus:
    """Read every policy in the folder; a bad file is skipped with its reason, never fatal to the rest.

    Raises CorpusNotFoundError when the folder is missing and EmptyCorpusError when no file in it
    is a readable policy (the message lists why each file was left out).
    """
    folder = Path(corpus_dir)
    readable: list[Document] = []
    skipped: list[SkippedFile] = []
    # The top-level files, then each library folder (corpus/trust/, corpus/<school>/).
    places = [("", folder), *((sub.name, sub) for sub in library_folders(folder))]
    for library, place in places:
        shown = f"{library}/" if library else ""
        for path in policy_files(place):
            try:
                readable.append(read_document(path, max_bytes=max_bytes, library=library))
            except DocumentReadError as exc:
                log.warning("skipping %s%s: %s", shown, path.name, exc)
                skipped.append(SkippedFile(f"{shown}{path.name}", str(exc), _file_hash(path)))
        for path in _unsupported_files(place):
            reason = (
                f"{shown}{path.name}: files of type '{path.suffix or 'none'}' are not supported. "
                f"Save it as one of {', '.join(sorted(supported_suffixes()))}, "
                "or move it out of the policy folder."
            )
            skipped.append(SkippedFile(f"{shown}{path.name}", reason, _file_hash(path)))
    # Of identical files in one library the oldest is the original; later copies (a second upload)
    # are left out. Two schools may each hold the same file: each keeps its own.
    originals: dict[tuple[str, str], Document] = {}
    for document in sorted(readable, key=lambda d: (d.modified, d.source_name)):
        key = (library_of(document.doc_id), document.content_hash)
        if key in originals:
            first = originals[key].source_name
            reason = f"{document.source_name} is a copy of {first}; only {first} is used. Delete the copy."
            skipped.append(SkippedFile(document.source_name, reason, document.content_hash))
        else:
            originals[key] = document
    documents = [d for d in readable if originals.get((library_of(d.doc_id), d.content_hash)) is d]
    if not documents:
        problems = "".join(f" {s.reason}" for s in skipped)
        raise EmptyCorpusError(
            f"The policy folder '{folder}' has no readable policy documents.{problems} "
            f"Add policy files ({', '.join(sorted(SUPPORTED_SUFFIXES))}) to it."
        )
    return Corpus(tuple(documents), tuple(skipped))


def load_corpus(corpus_dir: Path | str) -> tuple[Document, ...]:
    """The readable documents of a policy folder (bad files are skipped; see ``read_corpus``)."""
    return read_corpus(corpus_dir).documents


def documents_by_id(documents: Iterable[Document]) -> dict[str, Document]:
    return {document.doc_id: document for document in documents}
