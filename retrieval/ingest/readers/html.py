"""Read HTML policies with BeautifulSoup: headings, nested lists and tables become blocks of text."""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from typing import Any

from .common import Block, join_blocks, squash, to_int
from .docx import format_counter

_DROPPED_TAGS = ("script", "style", "nav", "header", "footer", "noscript", "template", "head")
_HEADINGS = {f"h{n}": n for n in range(1, 7)}
_BLOCK_TAGS = frozenset(
    {"address", "article", "aside", "blockquote", "body", "dd", "details", "div", "dl", "dt", "fieldset"}
    | {"figcaption", "figure", "form", "hr", "html", "main", "p", "pre", "section", "summary"}
)
_OL_FORMATS = {"1": "decimal", "a": "lowerLetter", "A": "upperLetter", "i": "lowerRoman", "I": "upperRoman"}


def read_html(data: bytes, name: str) -> str:
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
        text = squash("".join(inline))
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
            yield Block("para", "#" * _HEADINGS[child.name] + " " + squash(child.get_text()))
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
    value = to_int(list_tag.get("start"), 1)
    for item in list_tag.find_all("li", recursive=False):
        value = to_int(item.get("value"), value)
        nested = [child for child in item.children if getattr(child, "name", None) in ("ul", "ol")]
        own = "".join(child.get_text() if hasattr(child, "get_text") else str(child)
                      for child in item.children if child not in nested)  # fmt: skip
        text = squash(own)
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
        cells = [squash(cell.get_text(" ")) for cell in row.find_all(("td", "th"), recursive=False)]
        if any(cells):
            yield Block("row", " | ".join(cells))
