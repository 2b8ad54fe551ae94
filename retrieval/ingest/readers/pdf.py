"""Read PDF policies with pdfplumber: lines and their fonts in; headings, lists, tables and pages out."""

from __future__ import annotations

import io
import math
import re
import zlib
from collections import Counter
from typing import Any

from ...errors import EncryptedDocumentError, NoTextLayerError
from .common import ReadText, corrupt_error, join_paged_blocks, squash
from .pdf_paragraphs import (
    BARE_NUMBER,
    BULLET_GLYPH,
    HEADING_RATIO,
    MARKED_NUMBER,
    PdfLine,
    body_size,
    pdf_blocks,
)

_PAGE_NUMBER = re.compile(r"^(?:page\s*)?\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?$|^[-–—]\s*\d{1,4}\s*[-–—]$", re.I)
_BOLD_FONT = re.compile(r"bold|black|heavy|semibold|demi", re.I)
_SYMBOL_FONT = re.compile(r"dingbat|wingding|symbol|webding", re.I)
_CID = re.compile(r"\(cid:\d+\)")
_CELL_GAP = 1.5  # a gap between words wider than this many ems separates table cells
_EDGE_LINES = 3  # header/footer candidates: this many lines at the top and bottom of each page


def read_pdf(data: bytes, name: str) -> str:
    return read_paged_pdf(data, name).text


def read_paged_pdf(data: bytes, name: str) -> ReadText:
    """The PDF's text with the offset where each page starts."""
    import pdfplumber
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
    from pdfminer.pdfparser import PDFSyntaxError
    from pdfminer.psparser import PSException
    from pdfplumber.utils.exceptions import PdfminerException

    try:
        with pdfplumber.open(io.BytesIO(data), password="") as pdf:
            pages = [_page_lines(page, index) for index, page in enumerate(pdf.pages)]
    except (PDFPasswordIncorrect, PDFEncryptionError) as exc:
        raise _encrypted(name) from exc
    except PdfminerException as exc:
        if isinstance(exc.args[0] if exc.args else None, (PDFPasswordIncorrect, PDFEncryptionError)):
            raise _encrypted(name) from exc
        raise corrupt_error(name, "PDF", exc) from exc
    except (
        PDFSyntaxError,
        PSException,
        ValueError,
        KeyError,
        TypeError,
        IndexError,
        AttributeError,
        zlib.error,
    ) as exc:
        raise corrupt_error(name, "PDF", exc) from exc
    if not any(line.text.strip() for page in pages for line in page):
        raise NoTextLayerError(
            f"{name}: this PDF has no text layer; OCR is not supported. It is probably a scan. Export the "
            "policy to PDF again from the original document, or add the Word (.docx) version instead."
        )
    lines = [line for page in drop_contents(drop_page_furniture(pages)) for line in page]
    return join_paged_blocks(pdf_blocks(lines))


def _encrypted(name: str) -> EncryptedDocumentError:
    return EncryptedDocumentError(
        f"{name} is password-protected. Save a copy without the password (or without encryption) "
        "in the program that made it, and put that copy in the policy folder."
    )


def _page_lines(page: Any, page_index: int) -> list[PdfLine]:
    """Visual lines of one page, top to bottom, from pdfplumber's words and their fonts."""
    words = page.extract_words(extra_attrs=["fontname", "size"], keep_blank_chars=False)
    words = [_unmapped_glyph(word) for word in words if word.get("upright", True)]
    words = [word for word in words if word["text"]]
    words.sort(key=lambda word: (round(word["bottom"]), word["x0"]))
    rows: list[list[dict]] = []
    for word in words:
        # Words whose baselines are within a third of their size share a visual line.
        if rows and abs(rows[-1][0]["bottom"] - word["bottom"]) <= 0.35 * max(word["size"], 1.0):
            rows[-1].append(word)
        else:
            rows.append([word])
    rows.sort(key=lambda row: row[0]["bottom"])
    return [
        _line_from_words(sorted(row, key=lambda word: word["x0"]), page.height, page_index) for row in rows
    ]


def _unmapped_glyph(word: dict) -> dict:
    """A glyph with no Unicode mapping comes out as "(cid:N)": alone it is a bullet symbol, else noise.

    A lone character in a symbol font (Wingdings, Symbol, ZapfDingbats) is a bullet whatever letter
    it decodes to ("n", "§", "l").
    """
    if len(word["text"]) <= 2 and _SYMBOL_FONT.search(word["fontname"]):
        return {**word, "text": "•"}
    if not _CID.search(word["text"]):
        return word
    text = _CID.sub("", word["text"])
    return {**word, "text": text or "•"}


def _line_from_words(words: list[dict], page_height: float, page_index: int) -> PdfLine:
    sizes: Counter[float] = Counter()
    bold_chars = 0
    parts: list[str] = []
    cells: list[float] = [float(words[0]["x0"])]
    for index, word in enumerate(words):
        size = round(float(word["size"]) * 2) / 2
        sizes[size] += len(word["text"])
        bold_chars += len(word["text"]) if _BOLD_FONT.search(word["fontname"]) else 0
        if index:
            gap = word["x0"] - words[index - 1]["x1"]
            # A wide gap inside a line separates table cells; after a clause number or bullet it is
            # only the hanging indent.
            opener = index == 1 and bool(
                MARKED_NUMBER.match(parts[0] + " x")
                or BARE_NUMBER.match(parts[0] + " x")
                or BULLET_GLYPH.match(parts[0])
            )
            cell_break = gap > _CELL_GAP * size and not opener
            parts.append(" | " if cell_break else " ")
            if cell_break:
                cells.append(float(word["x0"]))
        parts.append(word["text"])
    text = squash("".join(parts))
    total = sum(sizes.values())
    return PdfLine(
        text,
        sizes.most_common(1)[0][0],
        float(words[0]["x0"]),
        float(page_height - words[0]["bottom"]),
        page_index,
        bold=bold_chars >= 0.9 * total,
        cells=tuple(cells) if len(cells) > 1 else (),
        words=tuple((float(word["x0"]), word["text"]) for word in words),
    )


_CONTENTS_TITLE = re.compile(r"^(?:table of )?contents$|^index$", re.I)
_CONTENTS_ENTRY = re.compile(r"(?:\.{2,}|…+|\s)\s*(?:\|\s*)?\d{1,3}$")


def drop_contents(pages: list[list[PdfLine]]) -> list[list[PdfLine]]:
    """Remove a table of contents: a 'Contents' line and the entries ending in page numbers (pure)."""
    out: list[list[PdfLine]] = []
    in_contents = False
    for page in pages:
        kept: list[PdfLine] = []
        for line in page:
            if _CONTENTS_TITLE.match(line.text.strip(" :")):
                in_contents = True
                continue
            if in_contents and _CONTENTS_ENTRY.search(line.text):
                continue
            in_contents = False
            kept.append(line)
        out.append(kept)
    return out


def _furniture_key(text: str) -> str:
    return re.sub(r"\d+", "#", text.lower())


def drop_page_furniture(pages: list[list[PdfLine]]) -> list[list[PdfLine]]:
    """Remove running headers/footers (edge lines repeated on most pages) and bare page numbers (pure)."""

    def is_edge(index: int, page: list[PdfLine]) -> bool:
        return index < _EDGE_LINES or index >= len(page) - _EDGE_LINES

    body = body_size([line for page in pages for line in page])

    def key(line: PdfLine) -> tuple[str, bool]:
        # Type size is part of the key: a page-one title in large type is not the small running
        # header that repeats its words.
        return _furniture_key(line.text), line.size > body * HEADING_RATIO

    counts: Counter[tuple[str, bool]] = Counter()
    for page in pages:
        counts.update({key(line) for i, line in enumerate(page) if is_edge(i, page)})
    needed = max(2, math.ceil(0.6 * len(pages)))
    repeated = {key for key, count in counts.items() if count >= needed} if len(pages) > 1 else set()
    return [
        [
            line
            for i, line in enumerate(page)
            if not (is_edge(i, page) and (_PAGE_NUMBER.match(line.text) or key(line) in repeated))
        ]
        for page in pages
    ]
