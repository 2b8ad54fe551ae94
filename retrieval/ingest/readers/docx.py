"""Read Word (.docx) policies with python-docx, rendering Word's automatic list numbering as text."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Literal

from ...errors import EncryptedDocumentError
from .common import Block, corrupt_error, join_blocks, squash, to_int

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


@dataclass(frozen=True, slots=True)
class NumberLevel:
    """One level of a Word list definition (``w:abstractNum/w:lvl``)."""

    start: int = 1
    fmt: str = "decimal"
    text: str = "%1."
    restart: int | None = None  # w:lvlRestart: restart after this 1-based level; 0 never; None default
    legal: bool = False


@dataclass(frozen=True, slots=True)
class Numbering:
    """The list definitions of one document: numId → abstract list, its levels and start overrides."""

    abstract_of: dict[str, str]
    levels: dict[str, dict[int, NumberLevel]]
    overrides: dict[str, dict[int, int]]


def _val(element: Any, tag: str) -> str | None:
    child = element.find(_W + tag) if element is not None else None
    return child.get(_W + "val") if child is not None else None


def read_numbering(numbering: Any) -> Numbering:
    """Parse ``numbering.xml`` (an lxml ``w:numbering`` element) into plain values."""
    levels: dict[str, dict[int, NumberLevel]] = {}
    for abstract in numbering.iterfind(_W + "abstractNum"):
        levels[abstract.get(_W + "abstractNumId")] = {
            to_int(lvl.get(_W + "ilvl"), 0): NumberLevel(
                start=to_int(_val(lvl, "start"), 1),
                fmt=_val(lvl, "numFmt") or "decimal",
                text=_val(lvl, "lvlText") or "",
                restart=to_int(_val(lvl, "lvlRestart"), 0) if _val(lvl, "lvlRestart") is not None else None,
                legal=lvl.find(_W + "isLgl") is not None and _val(lvl, "isLgl") not in ("0", "false"),
            )
            for lvl in abstract.iterfind(_W + "lvl")
        }
    abstract_of: dict[str, str] = {}
    overrides: dict[str, dict[int, int]] = {}
    for num in numbering.iterfind(_W + "num"):
        num_id = num.get(_W + "numId")
        abstract_of[num_id] = _val(num, "abstractNumId") or ""
        overrides[num_id] = {
            to_int(override.get(_W + "ilvl"), 0): to_int(_val(override, "startOverride"), 1)
            for override in num.iterfind(_W + "lvlOverride")
            if _val(override, "startOverride") is not None
        }
    return Numbering(abstract_of, levels, overrides)


def format_counter(value: int, fmt: str) -> str:
    """Render a list counter the way Word displays it in ``fmt`` (pure)."""
    if fmt in ("lowerRoman", "upperRoman"):
        roman = _to_roman(value)
        return roman if fmt == "upperRoman" else roman.lower()
    if fmt in ("lowerLetter", "upperLetter"):
        # Word repeats the letter past z: a..z, aa..zz.
        letter = chr(ord("a") + (value - 1) % 26) * ((value - 1) // 26 + 1) if value > 0 else ""
        return letter.upper() if fmt == "upperLetter" else letter
    if fmt == "decimalZero":
        return f"{value:02d}"
    return str(value)


def _to_roman(value: int) -> str:
    numerals = [(1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"),
                (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")]  # fmt: skip
    out = []
    for amount, numeral in numerals:
        count, value = divmod(value, amount)
        out.append(numeral * count)
    return "".join(out)


class ListCounter:
    """Word's list counters while walking a document in order: one counter per level of each list."""

    def __init__(self, numbering: Numbering) -> None:
        self._numbering = numbering
        self._counts: dict[str, dict[int, int]] = {}
        self._started: set[str] = set()

    def mark(self, num_id: str, ilvl: int) -> tuple[Literal["number", "bullet", "none"], str]:
        """Advance the counter for a paragraph in list ``num_id`` at level ``ilvl``; return its marker."""
        abstract = self._numbering.abstract_of.get(num_id)
        levels = self._numbering.levels.get(abstract or "", {})
        level = levels.get(ilvl)
        if abstract is None or level is None:
            return "none", ""
        if level.fmt == "bullet":
            return "bullet", ""
        counts = self._counts.setdefault(abstract, {})
        if num_id not in self._started:
            # A list instance with start overrides restarts those levels the first time it is used.
            self._started.add(num_id)
            for override_level, start in self._numbering.overrides.get(num_id, {}).items():
                counts[override_level] = start - 1
        counts[ilvl] = counts.get(ilvl, level.start - 1) + 1
        for deeper, deeper_level in levels.items():
            restart = deeper if deeper_level.restart is None else deeper_level.restart
            if deeper > ilvl and ilvl < restart:
                counts.pop(deeper, None)
        if level.fmt == "none" or not level.text:
            return "none", ""

        def render(match: re.Match[str]) -> str:
            referenced = int(match.group(1)) - 1
            ref_level = levels.get(referenced, NumberLevel())
            value = counts.get(referenced, ref_level.start)
            return format_counter(value, "decimal" if level.legal else ref_level.fmt)

        return "number", re.sub(r"%([1-9])", render, level.text)


def read_docx(data: bytes, name: str) -> str:
    import docx
    from docx.opc.exceptions import OpcError

    if data.startswith(_OLE_MAGIC):
        raise EncryptedDocumentError(
            f"{name} is password-protected or is an old Word 97-2003 file renamed to .docx. Open it in Word, "
            "remove any password, and save it as a Word Document (.docx) before adding it again."
        )
    try:
        document = docx.Document(io.BytesIO(data))
        counter = ListCounter(read_numbering(document.part.numbering_part.element))
        return join_blocks(_docx_blocks(document, counter))
    except (OpcError, zipfile.BadZipFile, KeyError, ValueError, SyntaxError) as exc:
        # lxml's XMLSyntaxError subclasses SyntaxError.
        raise corrupt_error(name, "a Word document", exc) from exc


def _docx_blocks(document: Any, counter: ListCounter) -> Iterator[Block]:
    from docx.table import Table

    for item in document.iter_inner_content():
        if isinstance(item, Table):
            yield from _table_blocks(item)
        else:
            block = _paragraph_block(item, counter)
            if block is not None:
                yield block


def _table_blocks(table: Any) -> Iterator[Block]:
    for row in table.rows:
        cells: list[str] = []
        seen: list[Any] = []
        for cell in row.cells:
            # A merged cell is returned once per grid column it spans.
            if any(cell._tc is other for other in seen):
                continue
            seen.append(cell._tc)
            cells.append(squash(cell.text))
        if any(cells):
            yield Block("row", " | ".join(cells))


def _style_chain(paragraph: Any) -> Iterator[Any]:
    style = paragraph.style
    while style is not None:
        yield style
        style = style.base_style


def _num_pr(paragraph: Any) -> tuple[str, int] | None:
    """The paragraph's (numId, ilvl), set directly or inherited from its style; None if not in a list."""
    elements = [paragraph._p.pPr] + [style.element.pPr for style in _style_chain(paragraph)]
    num_id: str | None = None
    ilvl: str | None = None
    for ppr in elements:
        num_pr = ppr.find(_W + "numPr") if ppr is not None else None
        if num_pr is None:
            continue
        num_id = num_id or _val(num_pr, "numId")
        ilvl = ilvl or _val(num_pr, "ilvl")
        if num_id is not None:
            break
    if num_id is None or num_id == "0":  # numId 0 switches inherited numbering off
        return None
    return num_id, to_int(ilvl, 0)


def _heading_level(paragraph: Any) -> int:
    for style in _style_chain(paragraph):
        name = (style.name or "").lower()
        if name == "title":
            return 1
        if match := re.fullmatch(r"heading ([1-9])", name):
            return min(int(match.group(1)), 6)
    return 0


def _paragraph_block(paragraph: Any, counter: ListCounter) -> Block | None:
    text = squash(paragraph.text)
    num_pr = _num_pr(paragraph)
    kind, label = counter.mark(*num_pr) if num_pr else ("none", "")
    if not text:
        return None
    style_name = (paragraph.style.name or "") if paragraph.style is not None else ""
    if level := _heading_level(paragraph):
        return Block("para", "#" * level + " " + (f"{label} {text}" if label else text))
    if kind == "number":
        return Block("para", f"{label} {text}")
    if kind == "bullet" or style_name.startswith("List"):
        depth = num_pr[1] if num_pr else 0
        if not depth and (match := re.search(r" ([2-9])$", style_name)):
            depth = int(match.group(1)) - 1  # "List Bullet 2" is a second-level bullet
        return Block("item", " " * depth + "- " + text)
    return Block("para", text)
