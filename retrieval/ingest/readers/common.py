"""Helpers every reader shares: the size-checked file read, output blocks and joining them into text."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from ...errors import CorruptDocumentError, DocumentReadError, DocumentTooLargeError

BlockKind = Literal["para", "item", "row"]


@dataclass(frozen=True, slots=True)
class Block:
    """One output paragraph, list item or table row, before blocks are joined into text."""

    kind: BlockKind
    text: str
    page: int | None = None
    """The page the block starts on (1-based), for formats with pages."""


@dataclass(frozen=True, slots=True)
class ReadText:
    """A reader's output: the text, and where each page starts in it (offset, page), for paged formats."""

    text: str
    page_marks: tuple[tuple[int, int], ...] = ()


def read_bytes(path: Path, max_bytes: int) -> bytes:
    """The file's bytes, refused before reading if it is larger than ``max_bytes``."""
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise DocumentTooLargeError(
                f"{path.name} is {size:,} bytes, over the {max_bytes:,}-byte limit. Split it into smaller "
                "policy files or save it without embedded images, then add it again."
            )
        return path.read_bytes()
    except OSError as exc:
        raise DocumentReadError(
            f"Cannot read {path.name}: {exc.strerror or exc}. Check that the file exists and can be read."
        ) from exc


def join_blocks(blocks: Iterable[Block]) -> str:
    """Blank line between paragraphs; list items and table rows of one run stay on adjacent lines (pure)."""
    return join_paged_blocks(blocks).text


def join_paged_blocks(blocks: Iterable[Block]) -> ReadText:
    """``join_blocks``, also noting the offset where each new page's first block starts (pure)."""
    parts: list[str] = []
    marks: list[tuple[int, int]] = []
    offset = 0
    previous: BlockKind | None = None
    for block in blocks:
        if not block.text.strip():
            continue
        if parts:
            separator = "\n" if block.kind == previous and block.kind != "para" else "\n\n"
            parts.append(separator)
            offset += len(separator)
        if block.page is not None and (not marks or marks[-1][1] != block.page):
            marks.append((offset, block.page))
        parts.append(block.text)
        offset += len(block.text)
        previous = block.kind
    return ReadText("".join(parts) + "\n" if parts else "", tuple(marks))


def page_at(marks: tuple[tuple[int, int], ...], offset: int) -> int | None:
    """The page holding a character offset, from a reader's page marks; None for unpaged text."""
    page = None
    for start, number in marks:
        if start > offset:
            break
        page = number
    return page


def squash(text: str) -> str:
    """Collapse every run of whitespace to one space and trim the ends."""
    return " ".join(text.split())


def to_int(value: str | None, default: int) -> int:
    """``value`` as an integer; ``default`` if it is missing or not a number."""
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default


def corrupt_error(name: str, kind: str, exc: Exception) -> CorruptDocumentError:
    """The error for a file that claims to be ``kind`` but cannot be parsed as one."""
    return CorruptDocumentError(
        f"{name} could not be read as {kind}: the file is damaged or is not really {kind} ({exc}). "
        "Open it in the program that made it and save a fresh copy, or ask its author for a new one."
    )
