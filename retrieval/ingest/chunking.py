"""Split policy documents into citable clauses that follow each document's own numbering.

Pure: documents in, clauses out. The parser walks the classified lines once, keeping the current
section, sub-headings and open clause, and decides for each line whether it starts a section, a
numbered clause, a sub-item of a lead-in sentence, a note that qualifies an earlier item, or
continues what came before. Documents with no numbering fall back to heading/paragraph clauses.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable

from ..types import Clause, Document
from .clause_builder import PREAMBLE, ClauseBuilder, ParseState, join_pieces
from .labels import label_clauses
from .markup import (
    Line,
    NumberToken,
    ends_sentence,
    is_label_heading,
    is_stem,
    is_upper_title,
    looks_like_title,
    read_number,
    split_lines,
)
from .readers.common import page_at

# Bump when the parse or the text embedded for a clause changes: old indexes then count as stale.
PARSER_VERSION = "15"

_NOTE_START = re.compile(r"^\s*\*?\(?\*(?!\*)|^\s*\(?(note|nb|n\.b\.)\s*[:.\-]", re.IGNORECASE)


def _section_candidate(line: Line, token: NumberToken | None) -> NumberToken | None:
    """A top-level numbered heading such as '# 1 INTRODUCTION', '1. PURPOSE' or 'Section 2 Scope'."""
    if token is None or token.kind not in ("top", "section"):
        return None
    if line.bullet:
        return None
    if line.is_heading_markup:
        return token
    title_like = looks_like_title(token.rest) and (is_upper_title(token.rest) or len(token.rest) <= 90)
    return token if title_like else None


def _is_heading(line: Line) -> bool:
    if line.bullet:
        return False
    if line.is_heading_markup:
        return looks_like_title(line.text, max_length=120) or line.heading_level > 0
    return is_upper_title(line.text) and looks_like_title(line.text)


def _is_note(line: Line) -> bool:
    return bool(_NOTE_START.match(line.raw))


def _has_numbered_structure(lines: Iterable[Line]) -> bool:
    for line in lines:
        token = read_number(line.text)
        if token is None:
            continue
        if token.kind in ("dotted", "appendix") or _section_candidate(line, token) is not None:
            return True
        if token.kind == "top" and not line.bullet:
            return True
    return False


def _has_running_numbers(lines: Iterable[Line]) -> bool:
    """Plain clause numbers that never restart ("1." … "13." across sections) are the document's own."""
    values = [
        token.label
        for line in lines
        if (token := read_number(line.text)) is not None
        and token.kind == "top"
        and not line.bullet
        and not _is_heading(line)
    ]
    return len(values) >= 2 and len(set(values)) == len(values)


def _section_value(token: NumberToken) -> int:
    return int(token.label.split()[-1])


def _accept_section(state: ParseState, token: NumberToken) -> bool:
    """Top-level numbers must run in sequence; an out-of-sequence '12.' inside a quote is a sub-heading."""
    if state.in_appendix:
        return False
    value = _section_value(token)
    if not state.section_label:
        return value <= 3
    return state.section_value < value <= state.section_value + 2


def _enter_section(state: ParseState, line: Line, token: NumberToken, *, appendix: bool) -> None:
    """Close what is open and start a numbered section or an appendix, with nothing carried over."""
    state.close()
    state.section_label = token.label
    if not appendix:
        state.section_value = _section_value(token)
    state.section_heading = line.text
    state.in_appendix = appendix
    state.subheadings = []
    state.item_parent = None
    state.item_group = []
    state.list_stem = ""


def _push_subheading(state: ParseState, line: Line) -> None:
    state.close()
    level = line.heading_level or 7
    # A heading replaces one at its level that already has content under it; a run of
    # same-level headings with nothing between them reads as nested titles and is kept.
    while state.subheadings and (
        state.subheadings[-1][0] > level or (state.subheadings[-1][0] == level and state.subheadings[-1][2])
    ):
        state.subheadings.pop()
    state.subheadings.append((level, line.text, False))
    state.item_parent = None
    state.item_group = []
    state.list_stem = line.text if is_stem(line.text) else ""


def _start_clause(state: ParseState, line: Line, token: NumberToken) -> None:
    number = f"{state.section_label} {token.label}" if state.in_appendix else token.label
    builder = state.open(ClauseBuilder("clause", number, state.base_path(), line.indent))
    builder.add(line, token.rest)
    builder.may_be_titled = looks_like_title(token.rest, max_length=70) and not is_stem(token.rest)
    state.item_parent = builder
    state.item_group = []
    state.list_stem = ""


def _start_item(state: ParseState, line: Line, token: NumberToken) -> bool:
    """Open a sub-item such as 4.1(iv) or 6(ii); False when there is nothing to hang it on."""
    current = state.current
    if current is not None and current.kind == "item" and line.indent > current.indent:
        return False  # deeper-indented items belong to the item above them
    # Items straight after a lead-in paragraph ("Staff leading a live lesson must:") depend on it.
    after_lead_in = current is not None and current.kind == "block" and is_stem(current.text)
    lead_in = current.text if current is not None and after_lead_in else ""
    if token.parent:
        number, stem, parent, path = token.label, "", token.parent, state.base_path()
    elif (letter := state.lettered_item_above(token)) is not None:
        # "(b) … particularly where:" then "(i)", "(ii)": 5.3(b)(i), read with (b) as its stem.
        parent, number, stem = letter.number, f"{letter.number}{token.label}", letter.lead_in
        path = (*letter.heading_path, parent)
    elif state.item_parent is not None:
        parent = state.item_parent.number
        number = f"{parent}{token.label}"
        stem = state.item_parent.lead_in
        path = (*state.base_path(), parent)
    elif state.section_label:
        parent = state.section_label
        state.list_stem = state.list_stem or lead_in
        number, stem, path = f"{parent}{token.label}", state.list_stem, state.base_path()
    elif state.subheadings and (state.list_stem or after_lead_in):
        # "(a)", "(b)" under an unnumbered heading, after its lead-in: "For staff and volunteers (a)".
        state.list_stem = state.list_stem or lead_in
        parent = state.block_number()
        number, stem, path = f"{parent} {token.label}", state.list_stem, state.base_path()
    else:
        return False
    builder = state.open(ClauseBuilder("item", number, path, line.indent, stem=stem, parent_number=parent))
    builder.add(line, token.rest)
    state.item_group.append(builder)
    return True


def _attach_note(state: ParseState, line: Line) -> bool:
    """A footnote after a list belongs to the item that carries its marker, else to the clause before."""
    candidates = state.item_group or ([state.current] if state.current else [])
    if not candidates:
        return False
    target = next((b for b in reversed(candidates) if b.footnote_marker), candidates[-1])
    if target.kind == "block":
        return False
    from .markup import strip_markup

    text = strip_markup(line.raw)
    target.note = f"{target.note}\n{text}" if target.note else text
    start = line.start + len(line.raw) - len(line.raw.lstrip())
    target.note_span = (target.note_span[0] if target.note_span else start, line.end)
    state.close()
    state.item_group = []
    return True


def _add_text(state: ParseState, line: Line) -> None:
    current = state.current
    if current is not None and line.gap_before and not line.bullet and current.has_run_on():
        # Each further paragraph is a block of its own, cited by its position.
        _open_block(state, line)
        return
    if current is None:
        if not state.section_label and state.numbered and not state.subheadings:
            current = state.open(ClauseBuilder("preamble", PREAMBLE, (), line.indent))
            current.add(line, line.text)
            return
        _open_block(state, line)
        return
    if current.kind in ("clause", "item", "preamble"):
        current.add(line, line.text)
        return
    last = current.pieces[-1]
    nested_bullet = line.bullet and last.bullet and line.indent > current.indent
    hard_wrapped = not line.gap_before and not line.bullet
    # A sentence broken by a page or line break: the last piece stops mid-sentence.
    broken_sentence = (
        not line.bullet
        and not ends_sentence(last.text)
        and (line.text[:1].islower() or not last.bullet)
        and (line.text[:1].islower() or (not is_upper_title(last.text) and len(last.text) > 20))
    )
    if nested_bullet or hard_wrapped or broken_sentence:
        current.add(line, line.text)
        return
    if line.bullet and not current.pieces[0].bullet and is_stem(current.text):
        # A lead-in paragraph ("This means that adults should:") becomes the stem of each bullet.
        state.list_stem = current.text
        state.current = None
    elif not line.bullet:
        state.list_stem = ""
    _open_block(state, line)


def _open_block(state: ParseState, line: Line) -> None:
    stem = state.list_stem if line.bullet else ""
    block = ClauseBuilder("block", state.block_number(), state.base_path(), line.indent, stem=stem)
    builder = state.open(block)
    builder.add(line, line.text)


def _add_label(state: ParseState, line: Line) -> None:
    current = state.current
    if current is None or current.kind != "block":
        _open_block(state, line)
        state.current.pieces[-1].line_break = True  # type: ignore[union-attr]
    else:
        current.add(line, line.text, line_break=True)
    state.expect_value = True


def _feed(state: ParseState, line: Line, following: Line | None = None) -> None:
    if state.expect_value:
        state.expect_value = False
        if state.current is not None:
            state.current.add(line, line.text, line_break=True)
            return
    if is_label_heading(line, following):
        _add_label(state, line)
        return
    token = read_number(line.text)
    if (
        token is not None
        and token.kind == "appendix"
        and (line.is_heading_markup or looks_like_title(line.text))
    ):
        _enter_section(state, line, token, appendix=True)
        return
    if state.numbered and (candidate := _section_candidate(line, token)) is not None:
        if _accept_section(state, candidate):
            _enter_section(state, line, candidate, appendix=False)
            return
        _push_subheading(state, line)
        return
    if state.current is not None and state.current.kind == "preamble" and _is_heading(line):
        if not (line.is_heading_markup and state.current.has_body()):
            state.current.add(line, line.text, line_break=True)
            return
        # A marked-up heading after the opening paragraphs starts the policy's own parts, even
        # before its first number: a web page's "## For pupils" with its bullets is not front matter.
        _push_subheading(state, line)
        return
    if _is_heading(line) and not (token is not None and token.kind == "dotted"):
        if state.numbered and not state.section_label and not state.subheadings and state.current is None:
            builder = state.open(ClauseBuilder("preamble", PREAMBLE, (), line.indent))
            builder.add(line, line.text, line_break=True)
            return
        _push_subheading(state, line)
        return
    if token is not None and token.kind == "dotted" and state.numbered:
        _start_clause(state, line, token)
        return
    if _is_note(line) and _attach_note(state, line):
        return
    if token is not None and token.kind == "item" and _start_item(state, line, token):
        return
    if token is not None and token.kind == "top" and state.numbered and not line.bullet:
        if state.section_label and not state.in_appendix and not state.running_numbers:
            item = NumberToken("item", f"({token.label})", token.rest)
            if _start_item(state, line, item):
                return
        else:
            _start_clause(state, line, token)
            return
    _add_text(state, line)


_TINY_BLOCK = 25
_TABLE_RULES = re.compile(r"[|:\-\s]+")


def _merge_tiny_blocks(builders: list[ClauseBuilder]) -> list[ClauseBuilder]:
    """Fold fragments such as a salutation ("Dear") or a form field into a neighbouring block."""
    merged: list[ClauseBuilder] = []
    pending: ClauseBuilder | None = None
    for builder in builders:
        if pending is not None:
            if builder.kind == "block":
                builder.pieces[:0] = pending.pieces
            else:
                merged.append(pending)
            pending = None
        # Measured without table rules, so "| Name | Signature | Date |" in Markdown is as tiny as
        # the "Name | Signature | Date" row a PDF or Word file gives.
        words = _TABLE_RULES.sub(" ", builder.text).strip()
        tiny = builder.kind == "block" and not builder.stem and len(words) < _TINY_BLOCK
        if not tiny:
            merged.append(builder)
            continue
        previous = merged[-1] if merged else None
        if previous is not None and (previous.kind, previous.number, previous.heading_path) == (
            "block",
            builder.number,
            builder.heading_path,
        ):
            previous.pieces.extend(builder.pieces)
        else:
            pending = builder
    if pending is not None:
        merged.append(pending)
    return merged


def _clause_id(doc_id: str, number: str, text: str, occurrence: int) -> str:
    digest = hashlib.sha256(f"{doc_id}\x1f{number}\x1f{text}\x1f{occurrence}".encode()).hexdigest()
    return digest[:16]


def parse_clauses(document: Document) -> tuple[Clause, ...]:
    """Parse one document's text into its clauses, in reading order."""
    lines = split_lines(document.text)
    state = ParseState(
        doc_id=document.doc_id,
        numbered=_has_numbered_structure(lines),
        running_numbers=_has_running_numbers(lines),
    )
    for index, line in enumerate(lines):
        _feed(state, line, lines[index + 1] if index + 1 < len(lines) else None)
    state.close()
    clauses: list[Clause] = []
    seen: dict[tuple[str, str], int] = {}
    for position, builder in enumerate(_merge_tiny_blocks(state.done)):
        body = builder.body_pieces()
        if body is not builder.pieces:  # a numbered sub-heading: its title joins the heading path
            builder.heading_path = (*builder.heading_path, f"{builder.number} {builder.pieces[0].text}")
        text = join_pieces(body)
        key = (builder.number, text)
        occurrence = seen.get(key, 0)
        seen[key] = occurrence + 1
        clauses.append(
            Clause(
                clause_id=_clause_id(document.doc_id, builder.number, text, occurrence),
                doc_id=document.doc_id,
                number=builder.number,
                heading_path=builder.heading_path,
                char_start=builder.pieces[0].start,
                char_end=builder.pieces[-1].end,
                text=text,
                stem=builder.stem,
                note=builder.note,
                note_span=builder.note_span,
                parent_number=builder.parent_number,
                position=position,
                doc_version=document.version,
                page=page_at(document.page_marks, builder.pieces[0].start),
            )
        )
    return label_clauses(clauses)


def chunk_documents(documents: Iterable[Document]) -> tuple[Clause, ...]:
    """Clauses of every document, document by document in the order given."""
    return tuple(clause for document in documents for clause in parse_clauses(document))
