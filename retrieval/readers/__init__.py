"""Turn a policy file of any supported type into text in the Markdown-like form the clause parser reads.

PDF, Word and HTML policies carry their structure as page layout, styles and tags. The readers here
rewrite it as ``#`` headings, ``- `` bullets (nested ones indented) and paragraphs that start with
their clause number, separated by blank lines, so a policy gets the same clause numbers whatever
format it arrived in. Plain text is returned exactly as decoded, so spans index into it.
"""

from __future__ import annotations

import codecs
import io
import logging
import math
import re
import warnings
import zipfile
import zlib
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from .errors import (
    CorruptDocumentError,
    DocumentReadError,
    DocumentTooLargeError,
    EmptyDocumentError,
    EncryptedDocumentError,
    NoTextLayerError,
    UnsupportedFormatError,
)

__all__ = [
    "SUPPORTED_SUFFIXES",
    "CorruptDocumentError",
    "DocumentTooLargeError",
    "EmptyDocumentError",
    "EncryptedDocumentError",
    "NoTextLayerError",
    "UnsupportedFormatError",
    "read_document_text",
]

log = logging.getLogger(__name__)

SUPPORTED_SUFFIXES: frozenset[str] = frozenset({".txt", ".md", ".pdf", ".docx", ".html", ".htm"})

BlockKind = Literal["para", "item", "row"]


@dataclass(frozen=True, slots=True)
class Block:
    """One output paragraph, list item or table row, before blocks are joined into text."""

    kind: BlockKind
    text: str


def read_document_text(path: Path, *, max_bytes: int = 20_000_000) -> str:
    """Read a policy file and return its text in the parser's Markdown-like conventions.

    Args:
        path: The policy file; its suffix (case-insensitive) chooses the reader.
        max_bytes: Files larger than this are refused before any parsing.

    Returns:
        The text. For ``.txt``/``.md`` it is the decoded file, unchanged.

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
    data = _read_bytes(path, max_bytes)
    if not data.strip():
        raise EmptyDocumentError(
            f"{path.name} is empty. Replace it with the complete policy or remove it from the policy folder."
        )
    text = _READERS[suffix](data, path.name)
    if not text.strip():
        raise EmptyDocumentError(
            f"{path.name} contains no text. Check that it is the right file, "
            "or remove it from the policy folder."
        )
    return text


def _read_bytes(path: Path, max_bytes: int) -> bytes:
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
    parts: list[str] = []
    previous: BlockKind | None = None
    for block in blocks:
        if not block.text.strip():
            continue
        if parts:
            parts.append("\n" if block.kind == previous and block.kind != "para" else "\n\n")
        parts.append(block.text)
        previous = block.kind
    return "".join(parts) + "\n" if parts else ""


def _squash(text: str) -> str:
    return " ".join(text.split())


# --- plain text -------------------------------------------------------------------------------


def _read_text(data: bytes, name: str) -> str:
    """UTF-8 (BOM or not), UTF-16 with a BOM, else Windows-1252; NUL bytes otherwise mean binary."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise CorruptDocumentError(
                f"{name} starts like UTF-16 text but is damaged ({exc.reason}). Save it again as UTF-8 text."
            ) from exc
    if b"\x00" in data:
        raise CorruptDocumentError(
            f"{name} is not a text file (it contains binary data). Save the policy as plain text, "
            "or give the file the suffix of its real format (.pdf, .docx, .html)."
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        log.warning("%s is not UTF-8; reading it as Windows-1252", name)
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        log.warning("%s has bytes Windows-1252 does not define; they are replaced", name)
        return data.decode("cp1252", errors="replace")


# --- PDF --------------------------------------------------------------------------------------

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


def _read_pdf(data: bytes, name: str) -> str:
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
        raise _corrupt(name, "PDF", exc) from exc
    if not any(line.text.strip() for page in pages for line in page):
        raise NoTextLayerError(
            f"{name}: this PDF has no text layer; OCR is not supported. It is probably a scan. Export the "
            "policy to PDF again from the original document, or add the Word (.docx) version instead."
        )
    lines = [line for page in drop_page_furniture(pages) for line in page]
    return join_blocks(pdf_blocks(lines))


def _encrypted(name: str) -> EncryptedDocumentError:
    return EncryptedDocumentError(
        f"{name} is password-protected. Save a copy without the password (or without encryption) "
        "in the program that made it, and put that copy in the policy folder."
    )


def _corrupt(name: str, kind: str, exc: Exception) -> CorruptDocumentError:
    return CorruptDocumentError(
        f"{name} could not be read as {kind}: the file is damaged or is not really {kind} ({exc}). "
        "Open it in the program that made it and save a fresh copy, or ask its author for a new one."
    )


def _page_lines(page: Any, page_index: int) -> list[PdfLine]:
    """Visual lines of one page: text pieces on the same baseline are one line (pypdf splits them)."""
    lines: list[PdfLine] = []
    pieces: list[str] = []
    sizes: Counter[float] = Counter()
    where: tuple[float, float | None] = (0.0, None)
    open_line = False  # the last piece ended without a newline

    def flush() -> None:
        text = _squash(" ".join(pieces))
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
    # (heading level, bullet x or None, lines) per block; bullet depth needs every bullet's x first.
    groups: list[tuple[int, float | None, list[str]]] = []
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
            groups.append((0, line.x, [line.text[bullet.end() :]]))
        elif breaks or (level == 0 and _MARKED_NUMBER.match(line.text)):
            groups.append((level, None, [line.text]))
        else:
            groups[-1][2].append(line.text)
        previous = line
    bullet_xs = sorted({round(x / 6) for _, x, _ in groups if x is not None})
    return [
        Block("para", "#" * level + " " + _join_wrapped(texts))
        if level
        else Block("item", " " * min(bullet_xs.index(round(x / 6)), 3) + "- " + _join_wrapped(texts))
        if x is not None
        else Block("para", _join_wrapped(texts))
        for level, x, texts in groups
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


# --- Word (.docx) -----------------------------------------------------------------------------

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


def _int(value: str | None, default: int) -> int:
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default


def read_numbering(numbering: Any) -> Numbering:
    """Parse ``numbering.xml`` (an lxml ``w:numbering`` element) into plain values."""
    levels: dict[str, dict[int, NumberLevel]] = {}
    for abstract in numbering.iterfind(_W + "abstractNum"):
        levels[abstract.get(_W + "abstractNumId")] = {
            _int(lvl.get(_W + "ilvl"), 0): NumberLevel(
                start=_int(_val(lvl, "start"), 1),
                fmt=_val(lvl, "numFmt") or "decimal",
                text=_val(lvl, "lvlText") or "",
                restart=_int(_val(lvl, "lvlRestart"), 0) if _val(lvl, "lvlRestart") is not None else None,
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
            _int(override.get(_W + "ilvl"), 0): _int(_val(override, "startOverride"), 1)
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


def _read_docx(data: bytes, name: str) -> str:
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
        raise _corrupt(name, "a Word document", exc) from exc


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
            cells.append(_squash(cell.text))
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
    return num_id, _int(ilvl, 0)


def _heading_level(paragraph: Any) -> int:
    for style in _style_chain(paragraph):
        name = (style.name or "").lower()
        if name == "title":
            return 1
        if match := re.fullmatch(r"heading ([1-9])", name):
            return min(int(match.group(1)), 6)
    return 0


def _paragraph_block(paragraph: Any, counter: ListCounter) -> Block | None:
    text = _squash(paragraph.text)
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


# --- HTML -------------------------------------------------------------------------------------

_DROPPED_TAGS = ("script", "style", "nav", "header", "footer", "noscript", "template", "head")
_HEADINGS = {f"h{n}": n for n in range(1, 7)}
_BLOCK_TAGS = frozenset(
    {"address", "article", "aside", "blockquote", "body", "dd", "details", "div", "dl", "dt", "fieldset"}
    | {"figcaption", "figure", "form", "hr", "html", "main", "p", "pre", "section", "summary"}
)
_OL_FORMATS = {"1": "decimal", "a": "lowerLetter", "A": "upperLetter", "i": "lowerRoman", "I": "upperRoman"}


def _read_html(data: bytes, name: str) -> str:
    from bs4 import BeautifulSoup

    with warnings.catch_warnings():
        # bs4 warns (UserWarning) about markup that looks like a file name or like XML; it still parses.
        warnings.simplefilter("ignore", UserWarning)
        soup = BeautifulSoup(data, "html.parser")
    for tag in soup.find_all(_DROPPED_TAGS):
        tag.decompose()
    return join_blocks(html_blocks(soup))


def html_blocks(node: Any, depth: int = 0) -> Iterator[Block]:
    """Blocks for the children of a parsed HTML element, in document order."""
    from bs4 import NavigableString, Tag

    inline: list[str] = []

    def flush() -> Iterator[Block]:
        text = _squash("".join(inline))
        inline.clear()
        if text:
            yield Block("para", text)

    for child in node.children:
        if isinstance(child, NavigableString):
            # Comments, doctypes and CDATA are NavigableString subclasses: only plain text counts.
            if type(child) is NavigableString:
                inline.append(str(child))
            continue
        if not isinstance(child, Tag):
            continue
        if child.name in _HEADINGS:
            yield from flush()
            yield Block("para", "#" * _HEADINGS[child.name] + " " + _squash(child.get_text()))
        elif child.name in ("ul", "ol"):
            yield from flush()
            yield from _list_items(child, depth)
        elif child.name == "table":
            yield from flush()
            yield from _html_rows(child)
        elif child.name == "br":
            inline.append(" ")
        elif child.name in _BLOCK_TAGS or child.name == "li":
            yield from flush()
            yield from html_blocks(child, depth)
        else:
            inline.append(child.get_text())
    yield from flush()


def _list_items(list_tag: Any, depth: int) -> Iterator[Block]:
    ordered = list_tag.name == "ol"
    fmt = _OL_FORMATS.get(list_tag.get("type", "1"), "decimal")
    value = _int(list_tag.get("start"), 1)
    for item in list_tag.find_all("li", recursive=False):
        value = _int(item.get("value"), value)
        nested = [child for child in item.children if getattr(child, "name", None) in ("ul", "ol")]
        own = "".join(child.get_text() if hasattr(child, "get_text") else str(child)
                      for child in item.children if child not in nested)  # fmt: skip
        text = _squash(own)
        if ordered:
            text = f"{format_counter(value, fmt)}. {text}"
        yield Block("item", " " * depth + "- " + text)
        for sub in nested:
            yield from _list_items(sub, depth + 1)
        value += 1


def _html_rows(table: Any) -> Iterator[Block]:
    for row in table.find_all("tr"):
        if row.find_parent("table") is not table:
            continue
        cells = [_squash(cell.get_text(" ")) for cell in row.find_all(("td", "th"), recursive=False)]
        if any(cells):
            yield Block("row", " | ".join(cells))


_READERS: dict[str, Callable[[bytes, str], str]] = {
    ".txt": _read_text,
    ".md": _read_text,
    ".pdf": _read_pdf,
    ".docx": _read_docx,
    ".html": _read_html,
    ".htm": _read_html,
}
