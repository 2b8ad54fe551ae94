"""Tables in a PDF: runs of lines split into cells at wide gaps, rebuilt as rows (pure).

A line of two or more cells opens a table. Following lines whose pieces start at the table's
column positions belong to it: close under the line above they continue its row (a wrapped cell),
after a wider gap they start the next row.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol, TypeVar

_COLUMN_TOLERANCE = 6.0  # points: cells in one column start within this of each other
_ROW_GAP = 1.15  # a gap this many line pitches or more starts a new row


class TableLine(Protocol):
    text: str
    x: float
    y: float | None
    page: int
    cells: tuple[float, ...]
    words: tuple[tuple[float, str], ...]
    size: float
    bold: bool


L = TypeVar("L", bound=TableLine)


@dataclass(frozen=True, slots=True)
class PdfTable:
    rows: tuple[tuple[str, ...], ...]
    page: int


def split_at_columns(line: TableLine, columns: Sequence[float]) -> dict[int, str] | None:
    """The line's text per column, or None when the line does not sit on the columns."""
    parts: dict[int, list[str]] = {}
    for x, text in line.words or ((line.x, line.text),):
        column = max((i for i, start in enumerate(columns) if start <= x + _COLUMN_TOLERANCE), default=None)
        if column is None:
            return None
        if column not in parts and abs(x - columns[column]) > _COLUMN_TOLERANCE:
            return None  # a line running across the column edges is prose, not a cell
        parts.setdefault(column, []).append(text)
    return {column: " ".join(texts) for column, texts in parts.items()}


def _same_row(above: TableLine, line: TableLine, pitch: float | None) -> bool:
    if pitch is None or above.page != line.page or above.y is None or line.y is None:
        return False
    return above.y - line.y < _ROW_GAP * pitch


def _heading_after(above: TableLine, line: TableLine) -> bool:
    """A larger or bold line after plain rows is the next heading, even when its words happen to
    start at the table's columns ("Part H – Your rights and what      happens if …")."""
    return line.size > above.size + 0.5 or (line.bold and not above.bold)


def with_tables(lines: Sequence[L], pitch: float | None) -> list[L | PdfTable]:
    """The lines with every table run replaced by one PdfTable."""
    out: list[L | PdfTable] = []
    index = 0
    while index < len(lines):
        line = lines[index]
        index += 1
        if len(line.cells) < 2:
            out.append(line)
            continue
        columns = line.cells
        rows: list[list[str]] = [[cell.strip() for cell in line.text.split(" | ")]]
        above = line
        while index < len(lines):
            following = lines[index]
            placed = split_at_columns(following, columns)
            same_row = _same_row(above, following, pitch)
            if placed is None or (len(placed) < 2 and not same_row) or _heading_after(above, following):
                break
            if not same_row:
                rows.append([""] * len(columns))
            for column, text in placed.items():
                rows[-1][column] = f"{rows[-1][column]} {text}".strip()
            above = following
            index += 1
        width = len(columns)
        out.append(PdfTable(tuple(tuple((row + [""] * width)[:width]) for row in rows), line.page))
    return out
