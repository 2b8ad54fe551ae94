"""Read PDF policies with pypdf: visual lines, page furniture removed, paragraphs and headings rejoined."""

from __future__ import annotations

import io
import math
import re
import zlib
from collections import Counter
from dataclasses import dataclass
from typing import Any

from ...errors import EncryptedDocumentError, NoTextLayerError
from .common import Block, ReadText, corrupt_error, join_paged_blocks, squash

_PAGE_NUMBER = re.compile(r"^(?:page\s*)?\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?$|^[-–—]\s*\d{1,4}\s*[-–—]$", re.I)
_BULLET_GLYPH = re.compile(r"^[•●▪■◦○‣∙·\uf0b7\uf0a7]\s*")
# A dash opening a line is a bullet only where the line starts a block anyway: wrapped prose can
# also begin with a dash ("... emerging media\n- the principles ...").
_DASH_BULLET = re.compile(r"^[–—*-]\s+")
# A line opening with a dotted or bracketed number starts a clause; a bare "12 Word" only does
# after a line that ended its paragraph, since "1998 and ..." continues a wrapped sentence.
_MARKED_NUMBER = re.compile(r"^(?:\d{1,3}(?:\.\d{1,3})+\.?|\d{1,3}\.|\(?(?:[ivxlc]{1,6}|[a-z])\))\s+\S", re.I)
_BARE_NUMBER = re.compile(r"^\d{1,3}\s+\S")
_EDGE_LINES = 3  # header/footer candidates: this many lines at the top and bottom of each page
_HEADING_RATIO = 1.15  # a line this much larger than body text is a heading
_PARAGRAPH_GAP = 1.4  # a vertical gap this much larger than the usual line pitch ends a paragraph


@dataclass(frozen=True, slots=True)
class PdfLine:
    """One visual line of a PDF page with the layout facts paragraph rebuilding needs."""

    text: str
    size: float
    x: float
    y: float | None
    page: int


def read_pdf(data: bytes, name: str) -> str:
    return read_paged_pdf(data, name).text


def read_paged_pdf(data: bytes, name: str) -> ReadText:
    """The PDF's text with the offset where each page starts."""
    from pypdf import PdfReader
    from pypdf.errors import DependencyError, FileNotDecryptedError, PyPdfError

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise _encrypted(name)
        pages = [_page_lines(page, index) for index, page in enumerate(reader.pages)]
    except (FileNotDecryptedError, DependencyError) as exc:
        raise _encrypted(name) from exc
    except (PyPdfError, ValueError, KeyError, TypeError, IndexError, AttributeError, zlib.error) as exc:
        raise corrupt_error(name, "PDF", exc) from exc
    if not any(line.text.strip() for page in pages for line in page):
        raise NoTextLayerError(
            f"{name}: this PDF has no text layer; OCR is not supported. It is probably a scan. Export the "
            "policy to PDF again from the original document, or add the Word (.docx) version instead."
        )
    lines = [line for page in drop_page_furniture(pages) for line in page]
    return join_paged_blocks(pdf_blocks(lines))


def _encrypted(name: str) -> EncryptedDocumentError:
    return EncryptedDocumentError(
        f"{name} is password-protected. Save a copy without the password (or without encryption) "
        "in the program that made it, and put that copy in the policy folder."
    )


def _page_lines(page: Any, page_index: int) -> list[PdfLine]:
    """Visual lines of one page: text pieces on the same baseline are one line (pypdf splits them)."""
    lines: list[PdfLine] = []
    pieces: list[str] = []
    sizes: Counter[float] = Counter()
    where: tuple[float, float | None] = (0.0, None)
    open_line = False  # the last piece ended without a newline

    def flush() -> None:
        text = squash(" ".join(pieces))
        if text:
            size = sizes.most_common(1)[0][0] if sizes else 0.0
            lines.append(PdfLine(text, size, where[0], where[1], page_index))
        pieces.clear()
        sizes.clear()

    def visit(text: str, cm: list[float], tm: list[float], _font: Any, font_size: float) -> None:
        nonlocal where, open_line
        if not text:
            return
        scale = math.hypot(tm[2], tm[3]) * math.hypot(cm[2], cm[3]) or 1.0
        x, y = tm[4] * cm[0] + cm[4], tm[5] * cm[3] + cm[5]
        for index, segment in enumerate(text.split("\n")):
            if index > 0:
                open_line = False
            if not segment.strip():
                continue
            same_line = where[1] is not None and abs(where[1] - y) <= 0.3 * max(font_size * scale, 1.0)
            if pieces and not (open_line or (index == 0 and same_line)):
                flush()
            if not pieces:
                where = (x, y if index == 0 else None)
            pieces.append(segment)
            sizes[round(font_size * scale * 2) / 2] += len(segment.strip())
            open_line = True
        if text.endswith("\n"):
            open_line = False

    page.extract_text(visitor_text=visit)
    flush()
    return lines


def _furniture_key(text: str) -> str:
    return re.sub(r"\d+", "#", text.lower())


def drop_page_furniture(pages: list[list[PdfLine]]) -> list[list[PdfLine]]:
    """Remove running headers/footers (edge lines repeated on most pages) and bare page numbers (pure)."""

    def is_edge(index: int, page: list[PdfLine]) -> bool:
        return index < _EDGE_LINES or index >= len(page) - _EDGE_LINES

    counts: Counter[str] = Counter()
    for page in pages:
        counts.update({_furniture_key(line.text) for i, line in enumerate(page) if is_edge(i, page)})
    needed = max(2, math.ceil(0.6 * len(pages)))
    repeated = {key for key, count in counts.items() if count >= needed} if len(pages) > 1 else set()
    return [
        [
            line
            for i, line in enumerate(page)
            if not (
                is_edge(i, page) and (_PAGE_NUMBER.match(line.text) or _furniture_key(line.text) in repeated)
            )
        ]
        for page in pages
    ]


def _body_size(lines: list[PdfLine]) -> float:
    weights: Counter[float] = Counter()
    for line in lines:
        weights[line.size] += len(line.text)
    return weights.most_common(1)[0][0] if weights else 0.0


def _line_pitch(lines: list[PdfLine], body: float) -> float | None:
    gaps = Counter(
        round(above.y - below.y)
        for above, below in zip(lines, lines[1:], strict=False)
        if above.page == below.page
        and above.y is not None
        and below.y is not None
        and above.size == below.size == body
        and 0 < above.y - below.y < 3 * body
    )
    return float(gaps.most_common(1)[0][0]) if gaps else None


def _heading_levels(lines: list[PdfLine], body: float) -> dict[float, int]:
    sizes = sorted({line.size for line in lines if line.size >= body * _HEADING_RATIO}, reverse=True)
    return {size: min(rank + 1, 6) for rank, size in enumerate(sizes)}


def pdf_blocks(lines: list[PdfLine]) -> list[Block]:
    """Rebuild paragraphs, headings and bullets from visual lines (pure).

    A line starts a new block when it is a heading, a bullet, a numbered clause, follows a vertical
    gap wider than the line pitch, or follows a line too short to have been wrapped.
    """
    body = _body_size(lines)
    pitch = _line_pitch(lines, body)
    levels = _heading_levels(lines, body)
    width = _typical_width([line.text for line in lines if line.size == body])
    # (heading level, bullet x or None, lines, page) per block; bullet depth needs every bullet's x first.
    groups: list[tuple[int, float | None, list[str], int]] = []
    previous: PdfLine | None = None
    for line in lines:
        level = levels.get(line.size, 0)
        breaks = (
            previous is None
            or level != levels.get(previous.size, 0)
            or _vertical_gap(previous, line, pitch, body)
            or (level == 0 and _ended_short(previous.text, line.text, width))
        )
        bullet = (
            None
            if level
            else _BULLET_GLYPH.match(line.text) or (_DASH_BULLET.match(line.text) if breaks else None)
        )
        if bullet:
            groups.append((0, line.x, [line.text[bullet.end() :]], line.page))
        elif breaks or (level == 0 and _MARKED_NUMBER.match(line.text)):
            groups.append((level, None, [line.text], line.page))
        else:
            groups[-1][2].append(line.text)
        previous = line
    bullet_xs = sorted({round(x / 6) for _, x, _, _ in groups if x is not None})
    return [
        Block("para", "#" * level + " " + _join_wrapped(texts), page + 1)
        if level
        else Block("item", " " * min(bullet_xs.index(round(x / 6)), 3) + "- " + _join_wrapped(texts), page + 1)  # noqa: E501
        if x is not None
        else Block("para", _join_wrapped(texts), page + 1)
        for level, x, texts, page in groups
    ]


def _visual_length(text: str) -> float:
    """Line length in lower-case character widths: capitals are about a third wider."""
    return len(text) + 0.35 * sum(ch.isupper() for ch in text)


def _typical_width(texts: list[str]) -> float:
    lengths = sorted(_visual_length(text) for text in texts)
    return lengths[int(0.9 * (len(lengths) - 1))] if lengths else 0.0


def _vertical_gap(previous: PdfLine, line: PdfLine, pitch: float | None, body: float) -> bool:
    if pitch is None or not body or previous.page != line.page or previous.y is None or line.y is None:
        return False
    # Larger type has a larger pitch: scale so a wrapped heading is not split at each line.
    return previous.y - line.y > _PARAGRAPH_GAP * pitch * max(line.size, previous.size) / body


def _ended_short(previous: str, text: str, width: float) -> bool:
    """The previous line stopped although the next line's first word would have fitted on it."""
    if _BARE_NUMBER.match(text) and not previous.rstrip().endswith((",", "and", "or", "of", "the")):
        return _visual_length(previous) < 0.8 * width
    first_word = text.split(" ", 1)[0]
    return _visual_length(previous) + 1 + _visual_length(first_word) < 0.9 * width


def _join_wrapped(lines: list[str]) -> str:
    joined = lines[0]
    for line in lines[1:]:
        # A line ending in a hyphen after a letter is a wrapped compound ("e-" + "mail"): no space.
        glue = "" if re.search(r"[A-Za-z]-$", joined) else " "
        joined += glue + line
    return joined
