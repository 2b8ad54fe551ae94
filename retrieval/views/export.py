"""Markdown for the chat: escaping corpus text, highlighting a sentence, exporting a conversation (pure).

Policy text and questions are untrusted: a policy may contain ``<script>`` or Markdown that would
change how it reads. Everything from the corpus or the user goes through ``escape_markdown``, which
turns HTML into entities and backslash-escapes Markdown syntax, so it renders as the characters
that are in the file.
"""

from __future__ import annotations

import re
import time
from collections.abc import Sequence
from dataclasses import dataclass

from ..answering.verdict import Verdict
from ..types import Answer, Clause

VERDICT_NOTE = "Verdicts are labels derived from the wording of the cited clauses, not policy text."
# Markdown syntax anywhere in a line; "$" and ":x" because Streamlit renders LaTeX and
# ":emoji:"/":red[...]" directives.
_INLINE_SPECIAL = re.compile(r"([\\`*_\[\]{}#|~$])")
_DIRECTIVE_COLON = re.compile(r":(?=[A-Za-z])")
# Syntax that only matters at the start of a line: list bullets, ordered lists, setext underlines.
_LINE_START = re.compile(r"^([-+=]|\d+[.)])", re.MULTILINE)


@dataclass(frozen=True, slots=True)
class Exchange:
    """One question and what the assistant answered, as kept in the chat history."""

    question: str
    answer: Answer
    verdict: Verdict
    answer_id: str
    asked_at: float


def _dedent(text: str) -> str:
    # Leading spaces would start an indented code block; they carry no policy meaning.
    return "\n".join(line.lstrip() for line in text.split("\n"))


def _escape(text: str) -> str:
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = _INLINE_SPECIAL.sub(r"\\\1", text)
    text = _DIRECTIVE_COLON.sub(r"\\:", text)
    return _LINE_START.sub(lambda m: m.group(1)[:-1] + "\\" + m.group(1)[-1], text)


def escape_markdown(text: str) -> str:
    """Make untrusted text render as its own characters in Markdown (and never as HTML)."""
    return _escape(_dedent(text))


def _lines(escaped: str) -> str:
    # A backslash before the newline is a hard line break, so the clause keeps its lines.
    return escaped.replace("\n", "\\\n")


def highlighted_markdown(text: str, highlight: str, *, mark: tuple[str, str] = ("**", "**")) -> str:
    """Escaped text, line breaks kept, with the first occurrence of ``highlight`` wrapped in ``mark``.

    Args:
        text: verbatim corpus text.
        highlight: a sentence of ``text`` to emphasise; ignored when empty or not found.
        mark: the Markdown put before and after the highlighted sentence.

    Returns:
        Markdown in which every character of ``text`` renders literally.
    """
    text, highlight = _dedent(text), highlight.strip()
    start = text.find(highlight) if highlight else -1
    if start < 0:
        return _lines(_escape(text))
    end = start + len(highlight)
    before, middle, after = (_lines(_escape(part)) for part in (text[:start], highlight, text[end:]))
    return f"{before}{mark[0]}{middle}{mark[1]}{after}"


def clause_markdown(clause: Clause, highlight: str = "", *, mark: tuple[str, str] = ("**", "**")) -> str:
    """A clause's stem, body and note as separate paragraphs, escaped, with one sentence highlighted."""
    parts = [part for part in (clause.stem, clause.text, clause.note) if part]
    done = False
    rendered = []
    for part in parts:
        if not done and highlight and highlight in part:
            rendered.append(highlighted_markdown(part, highlight, mark=mark))
            done = True
        else:
            rendered.append(highlighted_markdown(part, ""))
    return "\n\n".join(rendered)


def _quote(markdown: str) -> str:
    return "\n".join(f"> {line}".rstrip() if line else ">" for line in markdown.split("\n"))


def exchange_markdown(number: int, exchange: Exchange) -> str:
    """One question, its verdict and its cited clauses with full citations."""
    answer = exchange.answer
    out = [f"## Question {number}", "", _quote(highlighted_markdown(exchange.question, "")), ""]
    out += [f"**Verdict:** {escape_markdown(exchange.verdict.text)}", ""]
    if not answer.answered:
        out += [escape_markdown(answer.message), ""]
    for notice in answer.notices:
        out += [f"_{escape_markdown(notice)}_", ""]
    for hit in answer.hits:
        out += [f"### [{hit.rank}] {escape_markdown(hit.citation.format())}", ""]
        out += [_quote(clause_markdown(hit.clause, hit.highlight)), ""]
    return "\n".join(out)


def conversation_markdown(
    exchanges: Sequence[Exchange], *, corpus_version: str = "", exported_at: float | None = None
) -> str:
    """The whole conversation as a Markdown document: questions, verdicts, cited clauses."""
    when = time.strftime(
        "%Y-%m-%d %H:%M", time.localtime(time.time() if exported_at is None else exported_at)
    )
    header = ["# Policy assistant – conversation", "", f"Exported {when}"]
    if corpus_version:
        header[-1] += f" · corpus version {escape_markdown(corpus_version)}"
    header += ["", f"_{VERDICT_NOTE}_", ""]
    body = [exchange_markdown(number, exchange) for number, exchange in enumerate(exchanges, start=1)]
    if not body:
        body = ["_No questions yet._", ""]
    return "\n".join(header + body).rstrip("\n") + "\n"
