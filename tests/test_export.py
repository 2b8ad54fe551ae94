"""Markdown escaping, highlighting and the conversation export."""

from __future__ import annotations

import re

import pytest

from retrieval import Answer, Citation, Clause, Hit
from retrieval.answering.verdict import derive_verdict
from retrieval.views.export import (
    VERDICT_NOTE,
    Exchange,
    clause_markdown,
    conversation_markdown,
    escape_markdown,
    highlighted_markdown,
)

XSS = "<img src=x onerror=alert(1)> and <script>alert(1)</script>"


def unescape(markdown: str) -> str:
    """What a Markdown renderer shows for our escaped text (backslash escapes, entities, hard breaks)."""
    text = markdown.replace("\\\n", "\n")
    text = re.sub(r"\\(.)", r"\1", text)
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


@pytest.mark.parametrize(
    "text",
    [
        XSS,
        "*bold* _it_ `code` [link](http://x) ![img](y) # heading | table | ~~strike~~ $x^2$ :smile: :red[x]",
        "1. ordered\n- bullet\n+ plus\n=====\n    indented code",
        "back\\slash & &amp; entity",
    ],
)
def test_escape_hides_markup_and_keeps_the_characters(text):
    escaped = escape_markdown(text)
    assert "<" not in escaped and ">" not in escaped
    assert not re.search(r"(?<!\\)[*_`\[\]#|~$]", escaped.replace("\\\\", ""))
    expected = "\n".join(line.lstrip() for line in text.split("\n"))
    assert unescape(escaped) == expected


def test_line_starts_are_escaped():
    assert escape_markdown("1. one\n- two\n= three") == "1\\. one\n\\- two\n\\= three"


def test_highlight_wraps_the_sentence_and_escapes_each_part():
    text = "First <one>. The *best* match. Last."
    out = highlighted_markdown(text, "The *best* match.")
    assert out == "First &lt;one&gt;. **The \\*best\\* match.** Last."


def test_missing_highlight_leaves_text_plain():
    assert highlighted_markdown("Line one\nline two", "absent") == "Line one\\\nline two"
    assert highlighted_markdown("text", "") == "text"


def make_exchange(question: str, text: str, *, answered: bool = True) -> Exchange:
    clause = Clause("cid", "doc", "6.3", ("6 USE <b>",), 0, len(text), text, stem="Staff:", note="(*note)")
    citation = Citation("doc", "Policy <T>", "Testshire County Council", "6.3", "6 USE <b>", "March 2021")
    hits = (Hit(clause, 0.6, citation, 1),) if answered else ()
    answer = Answer(question, answered, hits, "" if answered else "The policies do not cover this question.")
    return Exchange(question, answer, derive_verdict(answer), "id1", 0.0)


def test_clause_markdown_shows_stem_body_and_note_as_paragraphs():
    clause = make_exchange("q", "Must not. Other.").answer.hits[0].clause
    assert clause_markdown(clause, "Must not.") == "Staff:\n\n**Must not.** Other.\n\n(\\*note)"


def test_conversation_has_questions_verdicts_and_cited_clauses():
    md = conversation_markdown(
        [
            make_exchange("Can I <script>alert(1)</script>?", "You must not " + XSS),
            make_exchange("Annual leave?", "", answered=False),
        ],
        corpus_version="abc",
        exported_at=0,
    )
    assert md.startswith("# Policy assistant – conversation\n")
    assert "corpus version abc" in md and VERDICT_NOTE in md
    assert "## Question 1" in md and "## Question 2" in md
    assert "> Can I &lt;script&gt;alert(1)&lt;/script&gt;?" in md
    assert "**Verdict:** No – must not (Testshire, clause 6.3 \\[1\\])" in md
    assert "### [1] Policy &lt;T&gt;, Testshire County Council, clause 6.3, 6 USE &lt;b&gt;, March 2021" in md
    assert "&lt;img src=x onerror=alert(1)&gt;" in md
    assert "**Verdict:** The policies do not cover this" in md and "do not cover this question." in md
    assert "<script" not in md and "<img" not in md


def test_empty_conversation():
    assert "_No questions yet._" in conversation_markdown([], exported_at=0)
