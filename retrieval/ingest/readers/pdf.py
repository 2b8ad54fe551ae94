"""Read PDF policies with pdfplumber: lines and their fonts in; headings, lists, tables and pages out."""

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
from .pdf_tables import PdfTable, with_tables

_PAGE_NUMBER = re.compile(r"^(?:page\s*)?\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?$|^[-–—]\s*\d{1,4}\s*[-–—]$", re.I)
_BULLET_GLYPH = re.compile(r"^[•●▪■◦○‣∙·\uf0b7\uf0a7]\s*")
# A dash opening a line is a bullet only where the line starts a block anyway: wrapped prose can
# also begin with a dash ("... emerging media\n- the principles ...").
_DASH_BULLET = re.compile(r"^[–—*-]\s+")
# A line opening with a dotted or bracketed number starts a clause; a bare "12 Word" only does
# after a line that ended its paragraph, since "1998 and ..." continues a wrapped sentence.
_MARKED_NUMBER = re.compile(r"^(?:\d{1,3}(?:\.\d{1,3})+\.?|\d{1,3}\.|\(?(?:[ivxlc]{1,6}|[a-z])\))\s+\S", re.I)
_BARE_NUMBER = re.compile(r"^\d{1,3}\s+\S")
_BOLD_FONT = re.compile(r"bold|black|heavy|semibold|demi", re.I)
_SYMBOL_FONT = re.compile(r"dingbat|wingding|symbol|webding", re.I)
_CID = re.compile(r"\(cid:\d+\)")
_CELL_GAP = 1.5  # a gap between words wider than this many ems separates table cells
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
    bold: bool = False
    cells: tuple[float, ...] = ()
    """Where each table cell of the line starts, when wide gaps split it into cells."""
    words: tuple[tuple[float, str], ...] = ()
    """Each word's left edge and text, to split the lines of a table at its columns."""


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
                _MARKED_NUMBER.match(parts[0] + " x")
                or _BARE_NUMBER.match(parts[0] + " x")
                or _BULLET_GLYPH.match(parts[0])
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

    body = _body_size([line for page in pages for line in page])

    def key(line: PdfLine) -> tuple[str, bool]:
        # Type size is part of the key: a page-one title in large type is not the small running
        # header that repeats its words.
        return _furniture_key(line.text), line.size > body * _HEADING_RATIO

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
    lowest_y = min((line.y for line in lines if line.size == body and line.y is not None), default=None)
    # (heading level, bullet x or None, lines, page) per block; bullet depth needs every bullet's x first.
    groups: list[tuple[int, float | None, list[str], int]] = []
    previous: PdfLine | None = None
    hanging_x: float | None = (
        None  # where the open bullet or numbered clause starts; a line left of it ends it
    )
    block_x: float | None = None  # where the open block's first line starts
    bold_level = min(len(set(levels.values())) + 1, 6)

    def level_of(line: PdfLine) -> int:
        return levels.get(line.size, 0) or (bold_level if _is_bold_heading(line) else 0)

    tables: list[tuple[int, PdfTable]] = []  # (position among groups, table)
    for line in with_tables(lines, pitch):
        if isinstance(line, PdfTable):
            tables.append((len(groups), line))
            previous, hanging_x = None, None
            continue
        level = level_of(line)
        breaks = (
            previous is None
            or level != level_of(previous)
            or _vertical_gap(previous, line, pitch, body)
            or (level == 0 and _ended_short(previous.text, line.text, width))
            or (hanging_x is not None and line.x < hanging_x - 0.5 * body)
            or (level == 0 and _back_from_hanging_indent(previous, line, block_x, body))
            or (level == 0 and _ended_before_page_bottom(previous, line, lowest_y, pitch))
            # A dash where the open bullet's dash stands is the next bullet, even after a full line:
            # a bullet's own text wraps to the hanging indent, not back under its dash.
            or (level == 0 and _dash_under_open_bullet(line, groups, body))
        )
        bullet = (
            None
            if level
            else _BULLET_GLYPH.match(line.text) or (_DASH_BULLET.match(line.text) if breaks else None)
        )
        if bullet:
            groups.append((0, line.x, [line.text[bullet.end() :]], line.page))
            hanging_x = block_x = line.x
        elif breaks or (level == 0 and _MARKED_NUMBER.match(line.text)):
            groups.append((level, None, [line.text], line.page))
            hanging_x = line.x if level == 0 and _MARKED_NUMBER.match(line.text) else None
            block_x = line.x
        else:
            groups[-1][2].append(line.text)
        previous = line
    bullet_xs = sorted({round(x / 6) for _, x, _, _ in groups if x is not None})
    blocks = [
        Block("para", "#" * level + " " + _join_wrapped(texts), page + 1)
        if level
        else Block(
            "item", " " * min(bullet_xs.index(round(x / 6)), 3) + "- " + _join_wrapped(texts), page + 1
        )  # noqa: E501
        if x is not None
        else Block("para", _join_wrapped(texts), page + 1)
        for level, x, texts, page in groups
    ]
    # Tables go back where they were, last first so earlier positions stay valid; a row per block,
    # as the Word reader gives them.
    for position, table in reversed(tables):
        blocks[position:position] = [Block("row", " | ".join(row), table.page + 1) for row in table.rows]
    return blocks


def _dash_under_open_bullet(
    line: PdfLine, groups: list[tuple[int, float | None, list[str], int]], body: float
) -> bool:
    bullet_x = groups[-1][1] if groups else None
    return (
        bullet_x is not None and bool(_DASH_BULLET.match(line.text)) and abs(line.x - bullet_x) < 0.5 * body
    )


def _back_from_hanging_indent(previous: PdfLine, line: PdfLine, block_x: float | None, body: float) -> bool:
    """A numbered or dash-bulleted line back at the block start after indented lines is a new clause.

    "9 Teachers should …" / "    short activities …" / "10 A teacher …": with a narrow paragraph
    gap only the outdent shows where clause 10 begins; likewise "– hand out …" / "    carer, …" /
    "– use WhatsApp …" under a lead-in.
    """
    if block_x is None or previous.page != line.page or not body:
        return False
    indented = previous.x > block_x + 0.5 * body
    numbered = bool(
        _BARE_NUMBER.match(line.text) or _MARKED_NUMBER.match(line.text) or _DASH_BULLET.match(line.text)
    )
    return indented and numbered and abs(line.x - block_x) < 0.5 * body


def _is_bold_heading(line: PdfLine) -> bool:
    """A whole line in bold at body size that does not read as a sentence or a lead-in is a heading."""
    text = line.text.strip()
    return line.bold and 0 < len(text) <= 120 and not text.endswith((".", ":", ";", ",")) and "|" not in text


def _visual_length(text: str) -> float:
    """Line length in lower-case character widths: capitals are about a third wider."""
    return len(text) + 0.35 * sum(ch.isupper() for ch in text)


def _typical_width(texts: list[str]) -> float:
    lengths = sorted(_visual_length(text) for text in texts)
    return lengths[int(0.9 * (len(lengths) - 1))] if lengths else 0.0


def _ended_before_page_bottom(
    previous: PdfLine, line: PdfLine, lowest_y: float | None, pitch: float | None
) -> bool:
    """A sentence ending a page's text half a line or more above where full pages end closes its paragraph.

    A paragraph running on to the next page fills its page to the bottom; one that ends there
    leaves the room its paragraph gap would have taken.
    """
    if previous.page == line.page or lowest_y is None or pitch is None or previous.y is None:
        return False
    return previous.text.rstrip().endswith((".", "?", "!")) and previous.y - lowest_y >= 0.5 * pitch


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
