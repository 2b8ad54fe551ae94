"""Line-level reading of policy text: markup removal and recognising numbers, bullets and headings.

Policies arrive as Markdown, as text with stray ``<b>`` tags, or as plain numbered paragraphs.
Everything here is pure and works one line at a time; ``chunking`` assembles lines into clauses.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

# Only formatting tags that exports leave in text ("<b>Approved:</b>"); anything else that looks
# like a tag ("<script>", "a<b and c>d") is the policy's own text and is kept as characters.
_FORMATTING_TAGS = "b|strong|i|em|u|s|strike|del|ins|mark|small|sup|sub|span|font|br|p|div|a|hr"
_ATTRIBUTE = r"""\s+[\w:-]+\s*=\s*(?:"[^"]*"|'[^']*'|[^\s<>"']+)"""
_TAG = re.compile(rf"</?(?:{_FORMATTING_TAGS})(?:{_ATTRIBUTE})*\s*/?>", re.IGNORECASE)
_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_BOLD = re.compile(r"(\*\*|__)(.+?)\1")
_ITALIC = re.compile(r"(?<![\w*])\*(?!\s)([^*]+?)(?<!\s)\*(?![\w*])")
_STRAY_STAR = re.compile(r"\*+")
_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|])")
_SPACES = re.compile(r"[ \t\u00a0]+")


def strip_markup(text: str) -> str:
    """Remove Markdown/HTML emphasis, links and escapes, keeping the words verbatim."""
    text = _TAG.sub("", text)
    text = _LINK.sub(r"\1", text)
    text = _BOLD.sub(r"\2", text)
    text = _ITALIC.sub(r"\1", text)
    # A lone asterisk left now is a footnote marker or broken emphasis, not a word.
    text = _STRAY_STAR.sub("", text)
    text = _ESCAPE.sub(r"\1", text)
    return _SPACES.sub(" ", text).strip()


_HEADING_HASHES = re.compile(r"^(#{1,6})\s+")
_BULLET = re.compile(r"^(\s*)([-*+•●▪◦–]|\d+\))?\s+(?=\S)")
_BULLET_MARK = re.compile(r"^(\s*)([-*+•●▪◦–])\s+")

ROMAN = "ivxlcdm"
_ROMAN_VALUES = {"i": 1, "v": 5, "x": 10, "l": 50, "c": 100, "d": 500, "m": 1000}

# Number patterns, tried in order on a line with bullets and markup already removed.
_APPENDIX = re.compile(
    r"^(appendix|annex|annexe|schedule|attachment)\s+([A-Z0-9]{1,4})\b[.:]?\s*(.*)$", re.IGNORECASE
)
_WORD_SECTION = re.compile(
    r"^(section|article|part|clause|paragraph)\s+(\d{1,3})\b[.:]?\s*(.*)$", re.IGNORECASE
)
_DOTTED = re.compile(r"^(\d{1,3}(?:\.\d{1,3})+)\.?(?:\s+(.*))?$")
_NUMBER_ITEM = re.compile(r"^(\d{1,3})\s?\(([a-z]{1,2}|[ivxlc]{1,6}|\d{1,2})\)\s*(.*)$", re.IGNORECASE)
_PAREN_ITEM = re.compile(r"^\(([a-z]{1,2}|[ivxlc]{1,6}|\d{1,2})\)\s*(.*)$", re.IGNORECASE)
_LETTER_ITEM = re.compile(r"^([a-z]|[ivx]{1,5})[.)]\s+(.*)$")
_TOP_NUMBER = re.compile(r"^(\d{1,3})(?:\.|\s)\s*(.*)$")
# Paragraphs numbered within lettered parts ("A1", "B12", "C3.2"), as some trusts and councils do;
# the PDF reader and clause references read the same shape.
LETTERED_NUMBER = r"[A-Z]\d{1,2}(?:\.\d{1,2})?"
# A capitalised word must follow, so "A4 paper" or "M6 toll" in running text is not read as a number.
_LETTERED = re.compile(r"^(" + LETTERED_NUMBER + r")\.?\s+(?=[A-Z\"“‘'(])(.*)$")

NumberKind = Literal["appendix", "section", "dotted", "item", "top"]


@dataclass(frozen=True, slots=True)
class NumberToken:
    """A clause number found at the start of a line."""

    kind: NumberKind
    label: str
    rest: str
    parent: str = ""


def roman_to_int(value: str) -> int | None:
    """Value of a lower-case roman numeral, or None if it is not one."""
    value = value.lower()
    if not value or any(ch not in _ROMAN_VALUES for ch in value):
        return None
    total = 0
    for index, ch in enumerate(value):
        current = _ROMAN_VALUES[ch]
        following = _ROMAN_VALUES[value[index + 1]] if index + 1 < len(value) else 0
        total += -current if current < following else current
    return total if total > 0 else None


def read_number(text: str) -> NumberToken | None:
    """Recognise a clause number at the start of ``text`` (markup and bullets already removed)."""
    if match := _APPENDIX.match(text):
        word = match.group(1).capitalize()
        return NumberToken("appendix", f"{word} {match.group(2).upper()}", match.group(3))
    if match := _WORD_SECTION.match(text):
        return NumberToken("section", f"{match.group(1).capitalize()} {match.group(2)}", match.group(3))
    if match := _DOTTED.match(text):
        return NumberToken("dotted", match.group(1), match.group(2) or "")
    if match := _NUMBER_ITEM.match(text):
        item = match.group(2).lower()
        return NumberToken("item", f"{match.group(1)}({item})", match.group(3), parent=match.group(1))
    if match := _PAREN_ITEM.match(text):
        return NumberToken("item", f"({match.group(1).lower()})", match.group(2))
    if match := _LETTER_ITEM.match(text):
        return NumberToken("item", f"({match.group(1).lower()})", match.group(2))
    if match := _TOP_NUMBER.match(text):
        return NumberToken("top", match.group(1), match.group(2))
    if match := _LETTERED.match(text):
        return NumberToken("dotted", match.group(1), match.group(2))
    return None


@dataclass(frozen=True, slots=True)
class Line:
    """One non-blank source line, classified."""

    start: int
    end: int
    raw: str
    text: str
    indent: int
    bullet: bool
    heading_level: int
    bold_line: bool
    gap_before: bool

    @property
    def is_heading_markup(self) -> bool:
        return self.heading_level > 0 or self.bold_line


def _is_bold_line(body: str) -> bool:
    """Whole line wrapped in bold markup (``**X**`` or ``<b>X</b>``): a heading in many exports."""
    stripped = body.strip()
    if stripped.startswith("**") and stripped.endswith("**") and len(stripped) > 4:
        return "**" not in stripped[2:-2]
    lowered = stripped.lower()
    return lowered.startswith("<b>") and lowered.endswith("</b>") and lowered.count("<b>") == 1


def split_lines(source: str) -> list[Line]:
    """Split source text into classified non-blank lines with their character offsets."""
    lines: list[Line] = []
    offset = 0
    gap_before = True
    for raw_with_end in source.splitlines(keepends=True):
        raw = raw_with_end.rstrip("\r\n")
        start, offset = offset, offset + len(raw_with_end)
        if not strip_markup(raw):
            gap_before = True
            continue
        body = raw
        heading_level = 0
        if match := _HEADING_HASHES.match(body.lstrip()):
            heading_level = len(match.group(1))
            body = body.lstrip()[match.end() :]
        bullet = False
        indent = len(body) - len(body.lstrip(" \t"))
        if heading_level == 0 and (match := _BULLET_MARK.match(body)):
            bullet = True
            body = body[match.end() :]
        bold_line = heading_level == 0 and not bullet and _is_bold_line(body)
        lines.append(
            Line(
                start=start,
                end=start + len(raw),
                raw=raw,
                text=strip_markup(body),
                indent=indent,
                bullet=bullet,
                heading_level=heading_level,
                bold_line=bold_line,
                gap_before=gap_before,
            )
        )
        gap_before = False
    return lines


_TERMINAL = (".", ";", ",", "?", "!", ":", ":-", "-")


def ends_sentence(text: str) -> bool:
    """Whether text ends like a finished sentence or lead-in (so a following line starts anew)."""
    return text.rstrip().rstrip(")\"'’”").endswith((".", "?", "!", ":", ";", ":-")) or text.rstrip().endswith(
        (".)", ".'", ".’")
    )


def is_stem(text: str) -> bool:
    """A lead-in that introduces a list: ends with a colon (``:`` or ``:-``)."""
    return text.rstrip().endswith((":", ":-", "—", "–"))


def looks_like_title(text: str, *, max_length: int = 90) -> bool:
    """Short line with no sentence punctuation at its end: reads as a heading, not a sentence."""
    stripped = text.strip()
    if not stripped or len(stripped) > max_length:
        return False
    if stripped.endswith((".", ",", ";", "?", "!")):
        return False
    letters = [ch for ch in stripped if ch.isalpha()]
    return bool(letters)


def is_upper_title(text: str) -> bool:
    letters = [ch for ch in text if ch.isalpha()]
    return len(letters) >= 3 and all(ch.isupper() for ch in letters)


def is_label_heading(line: Line, following: Line | None) -> bool:
    """A heading that names an entry whose value is one short line, as in a contact list.

    "#### LADO – Jim Foy" followed by "01302 737748 / lado@..." is content, not structure.
    """
    if following is None or not line.is_heading_markup or following.is_heading_markup or following.bullet:
        return False
    if read_number(line.text) is not None:
        return False
    value = following.text
    contact_like = any(ch.isdigit() for ch in value) or "@" in value or "www." in value
    return contact_like and len(value) <= 80 and not ends_sentence(value)
