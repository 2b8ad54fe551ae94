"""Rebuild paragraphs, headings and bullets from a PDF's visual lines (pure: no PDF library here)."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from ..markup import LETTERED_NUMBER
from .common import Block
from .pdf_tables import PdfTable, with_tables

BULLET_GLYPH = re.compile(r"^[•●▪■◦○‣∙·\uf0b7\uf0a7]\s*")
# A dash opening a line is a bullet only where the line starts a block anyway: wrapped prose can
# also begin with a dash ("... emerging media\n- the principles ...").
_DASH_BULLET = re.compile(r"^[–—*-]\s+")
# A line opening with a dotted or bracketed number starts a clause; a bare "12 Word" only does
# after a line that ended its paragraph, since "1998 and ..." continues a wrapped sentence.
MARKED_NUMBER = re.compile(r"^(?:\d{1,3}(?:\.\d{1,3})+\.?|\d{1,3}\.|\(?(?:[ivxlc]{1,6}|[a-z])\))\s+\S", re.I)
BARE_NUMBER = re.compile(r"^\d{1,3}\s+\S")
# "A2 Everyone …" starts a paragraph numbered within lettered parts, but only after a finished
# sentence: "… on the\nA1 Road" is wrapped prose.
_LETTERED_NUMBER = re.compile(r"^" + LETTERED_NUMBER + r"\.?\s+[A-Z\"“‘'(]")
HEADING_RATIO = 1.15  # a line this much larger than body text is a heading
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


def body_size(lines: list[PdfLine]) -> float:
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
    sizes = sorted({line.size for line in lines if line.size >= body * HEADING_RATIO}, reverse=True)
    return {size: min(rank + 1, 6) for rank, size in enumerate(sizes)}


def pdf_blocks(lines: list[PdfLine]) -> list[Block]:
    """Rebuild paragraphs, headings and bullets from visual lines (pure).

    A line starts a new block when it is a heading, a bullet, a numbered clause, follows a vertical
    gap wider than the line pitch, or follows a line too short to have been wrapped.
    """
    body = body_size(lines)
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
            or (
                level == 0
                and _LETTERED_NUMBER.match(line.text)
                and previous.text.rstrip().endswith((".", "?", "!", ":"))
            )
            # A dash where the open bullet's dash stands is the next bullet, even after a full line:
            # a bullet's own text wraps to the hanging indent, not back under its dash.
            or (level == 0 and _dash_under_open_bullet(line, groups, body))
        )
        bullet = (
            None
            if level
            else BULLET_GLYPH.match(line.text) or (_DASH_BULLET.match(line.text) if breaks else None)
        )
        if bullet:
            groups.append((0, line.x, [line.text[bullet.end() :]], line.page))
            hanging_x = block_x = line.x
        elif breaks or (level == 0 and MARKED_NUMBER.match(line.text)):
            groups.append((level, None, [line.text], line.page))
            hanging_x = line.x if level == 0 and MARKED_NUMBER.match(line.text) else None
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
        BARE_NUMBER.match(line.text) or MARKED_NUMBER.match(line.text) or _DASH_BULLET.match(line.text)
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
    if BARE_NUMBER.match(text) and not previous.rstrip().endswith((",", "and", "or", "of", "the")):
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
