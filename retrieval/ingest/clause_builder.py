"""The mutable scaffolding the chunker fills while it walks one document's lines."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .clause_text import SENTENCE_END
from .markup import Line, NumberToken, ends_sentence, is_stem, is_upper_title, roman_to_int

PREAMBLE = "preamble"
# A clause or the front matter holding this many paragraphs and characters has run on past its own
# text: a web page with one short numbered list ("2. We may disclose …") would otherwise put every
# paragraph before the list in the preamble and every one after it in the last item. Our own
# policies' longest clause is 1,572 characters in two paragraphs.
RUN_ON_PARAGRAPHS = 3
RUN_ON_CHARACTERS = 1500
# A line of at least this many words ending a sentence is body text, not a title or cover detail.
BODY_WORDS = 8

_UNPAIRED_STAR = re.compile(r"(?<![*\w])\*(?=\w)")
_LABEL_VALUE = re.compile(r"^[^:.]{1,40}:\s+\S")


@dataclass
class Piece:
    """One line's contribution to a clause, with its span in the source text."""

    start: int
    end: int
    text: str
    bullet: bool
    gap_before: bool
    line_break: bool = False


@dataclass
class ClauseBuilder:
    """A clause being assembled (mutable; lives only while one document is parsed)."""

    kind: str  # "clause", "item", "block" or "preamble"
    number: str
    heading_path: tuple[str, ...]
    indent: int
    stem: str = ""
    parent_number: str = ""
    pieces: list[Piece] = field(default_factory=list)
    note: str = ""
    note_span: tuple[int, int] | None = None
    footnote_marker: bool = False
    # "3.1 The governing board" may be a numbered sub-heading rather than a one-line clause.
    may_be_titled: bool = False

    def body_pieces(self) -> list[Piece]:
        """The pieces after a numbered sub-heading's title line, or all pieces when there is none."""
        pieces = self.pieces
        if self.may_be_titled and len(pieces) > 1 and pieces[1].gap_before and not pieces[1].bullet:
            return pieces[1:]
        return self.pieces

    def has_run_on(self) -> bool:
        """Whether it already holds more paragraphs and text than any clause of a real policy."""
        paragraphs = sum(1 for piece in self.pieces if piece.gap_before and not piece.bullet)
        return paragraphs >= RUN_ON_PARAGRAPHS and len(self.text) >= RUN_ON_CHARACTERS

    def has_body(self) -> bool:
        """Whether it holds a list item or a full sentence, not only titles and cover details."""
        return any(
            piece.bullet or (ends_sentence(piece.text) and len(piece.text.split()) >= BODY_WORDS)
            for piece in self.pieces
        )

    @property
    def lead_in(self) -> str:
        """What a sub-item depends on: the clause's closing lead-in ("All governors will:"), else its text."""
        text = join_pieces(self.body_pieces())
        sentences = [part for line in text.split("\n") for part in SENTENCE_END.split(line) if part.strip()]
        if len(sentences) > 1 and is_stem(sentences[-1]):
            return sentences[-1].strip()
        return text

    def add(self, line: Line, text: str, *, line_break: bool = False) -> None:
        start = line.start + len(line.raw) - len(line.raw.lstrip())
        self.pieces.append(Piece(start, line.end, text, line.bullet, line.gap_before, line_break))
        if _UNPAIRED_STAR.search(line.raw) and line.raw.count("*") % 2 == 1:
            self.footnote_marker = True

    @property
    def text(self) -> str:
        return join_pieces(self.pieces)


def join_pieces(pieces: list[Piece]) -> str:
    parts: list[str] = []
    for index, piece in enumerate(pieces):
        text = f"• {piece.text}" if piece.bullet and index > 0 else piece.text
        if index == 0:
            parts.append(text)
            continue
        previous = pieces[index - 1].text
        continues = (
            not piece.bullet
            and not piece.line_break
            and not pieces[index - 1].line_break
            and not _LABEL_VALUE.match(piece.text)
            and (
                piece.text[:1].islower()
                # A clause's own first line may carry a bullet marker; only later bullets are list items.
                or (
                    not ends_sentence(previous)
                    and not is_upper_title(previous)
                    and not (pieces[index - 1].bullet and index > 1)
                )
            )
        )
        parts.append(" " if continues else "\n")
        parts.append(text)
    return "".join(parts)


@dataclass
class ParseState:
    """Where the parser is in one document: section, sub-headings, the open clause, finished ones."""

    doc_id: str
    numbered: bool
    running_numbers: bool = False
    section_label: str = ""
    section_heading: str = ""
    section_value: int = 0
    in_appendix: bool = False
    # (level, text, has content below it yet)
    subheadings: list[tuple[int, str, bool]] = field(default_factory=list)
    current: ClauseBuilder | None = None
    item_parent: ClauseBuilder | None = None
    item_group: list[ClauseBuilder] = field(default_factory=list)
    list_stem: str = ""
    expect_value: bool = False
    done: list[ClauseBuilder] = field(default_factory=list)

    def base_path(self) -> tuple[str, ...]:
        path = [self.section_heading] if self.section_heading else []
        return tuple(path + [text for _, text, _ in self.subheadings])

    def block_number(self) -> str:
        if self.section_label:
            return self.section_label
        if self.subheadings:
            # Under a heading of its own (in a numbered policy too): named after the heading.
            return self.subheadings[-1][1]
        return PREAMBLE

    def close(self) -> None:
        if self.current is not None and self.current.pieces:
            self.done.append(self.current)
        self.current = None

    def open(self, builder: ClauseBuilder) -> ClauseBuilder:
        self.close()
        self.current = builder
        if self.subheadings and not self.subheadings[-1][2]:
            level, text, _ = self.subheadings[-1]
            self.subheadings[-1] = (level, text, True)
        return builder

    def lettered_item_above(self, token: NumberToken) -> ClauseBuilder | None:
        """The lettered item a roman sub-item such as "(i)" belongs to, or None when it is not one.

        Only in a list that began at "(a)": a nested list starts at "(i)" (unless "(h)" came
        before, when it is the next letter) and goes on one numeral at a time, so "(c)" after
        "(b)(ii)" is the next letter again; a list that began at "(i)" is roman itself (4.1(iv)).
        """
        value = roman_to_int(token.label.strip("()"))
        if token.parent or value is None or not self.item_group:
            return None
        last = self.item_group[-1]
        previous = last.number[len(last.parent_number) :].strip().strip("()")
        letter = next((b for b in self.item_group if b.number == last.parent_number), None)
        if letter is not None:  # among a letter's roman items: "(ii)" after "(b)(i)"
            return letter if value == (roman_to_int(previous) or 0) + 1 else None
        lettered = self.item_group[0].number.endswith("(a)")
        if not lettered or value != 1 or previous == "h" or len(previous) != 1:
            return None
        return last
