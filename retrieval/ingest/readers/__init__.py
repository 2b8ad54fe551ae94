"""Turn a policy file of any supported type into text in the Markdown-like form the clause parser reads.

PDF, Word and HTML policies carry their structure as page layout, styles and tags. The readers here
rewrite it as ``#`` headings, ``- `` bullets (nested ones indented) and paragraphs that start with
their clause number, separated by blank lines, so a policy gets the same clause numbers whatever
format it arrived in. Plain text is returned exactly as decoded, so spans index into it.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from ...errors import (
    CorruptDocumentError,
    DocumentTooLargeError,
    EmptyDocumentError,
    EncryptedDocumentError,
    NoTextLayerError,
    UnsupportedFormatError,
)
from .common import ReadText, read_bytes
from .docx import read_docx
from .html import read_html
from .pdf import read_paged_pdf, read_pdf
from .text import read_text

__all__ = [
    "SUPPORTED_SUFFIXES",
    "CorruptDocumentError",
    "DocumentTooLargeError",
    "EmptyDocumentError",
    "EncryptedDocumentError",
    "NoTextLayerError",
    "UnsupportedFormatError",
    "ReadText",
    "read_document_text",
    "read_policy_text",
]

SUPPORTED_SUFFIXES: frozenset[str] = frozenset({".txt", ".md", ".pdf", ".docx", ".html", ".htm"})

_READERS: dict[str, Callable[[bytes, str], str]] = {
    ".txt": read_text,
    ".md": read_text,
    ".pdf": read_pdf,
    ".docx": read_docx,
    ".html": read_html,
    ".htm": read_html,
}


def read_document_text(path: Path, *, max_bytes: int = 20_000_000) -> str:
    """Read a policy file's text (see ``read_policy_text``, which also returns where pages start)."""
    return read_policy_text(path, max_bytes=max_bytes).text


def read_policy_text(path: Path, *, max_bytes: int = 20_000_000) -> ReadText:
    """Read a policy file and return its text in the parser's Markdown-like conventions.

    Args:
        path: The policy file; its suffix (case-insensitive) chooses the reader.
        max_bytes: Files larger than this are refused before any parsing.

    Returns:
        The text (for ``.txt``/``.md`` the decoded file, unchanged) and, for PDF, where each page
        starts in it.

    Raises:
        UnsupportedFormatError, DocumentTooLargeError, EmptyDocumentError, NoTextLayerError,
        EncryptedDocumentError, CorruptDocumentError, or DocumentReadError if the file cannot be opened.
    """
    if max_bytes <= 0:
        raise ValueError(f"max_bytes must be greater than 0. Currently, max_bytes is {max_bytes}.")
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise UnsupportedFormatError(
            f"{path.name}: '{suffix or 'no extension'}' files cannot be read. Save the policy as PDF, "
            "Word (.docx), HTML or plain text (.txt/.md), or remove it from the policy folder."
        )
    data = read_bytes(path, max_bytes)
    if not data.strip():
        raise EmptyDocumentError(
            f"{path.name} is empty. Replace it with the complete policy or remove it from the policy folder."
        )
    if suffix == ".pdf":
        read = read_paged_pdf(data, path.name)
    else:
        read = ReadText(_READERS[suffix](data, path.name))
    text = read.text
    if not text.strip():
        raise EmptyDocumentError(
            f"{path.name} contains no text. Check that it is the right file, "
            "or remove it from the policy folder."
        )
    return read
