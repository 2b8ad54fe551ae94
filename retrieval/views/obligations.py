"""An induction pack: the obligations binding one role as text, Markdown or CSV (pure).

Clause text is always quoted verbatim with its citation; the strength is a label read from the
wording ("must not"), never a paraphrase of the rule. Markdown escapes corpus text, so a policy
containing ``<script>`` or ``*`` renders as those characters.
"""

from __future__ import annotations

import csv
import io
import textwrap
from collections.abc import Mapping, Sequence
from itertools import groupby
from typing import Literal

from ..answering.answer import make_citation
from ..answering.obligations import ROLE_NAMES, ClauseObligation, Role
from ..answering.verdict import LABELS
from ..types import DocumentMeta
from .export import clause_markdown, escape_markdown

Format = Literal["text", "markdown", "csv"]
FORMATS: tuple[Format, ...] = ("text", "markdown", "csv")
CSV_COLUMNS = (
    "role",
    "doc_id",
    "document",
    "strength",
    "strength_label",
    "clause",
    "heading",
    "binds",
    "text",
    "citation",
)
NOTE = "Strengths are labels read from each clause's wording; the clause text is the policy."


def _title(role: Role) -> str:
    return f"Obligations for {ROLE_NAMES[role]}"


def _grouped(items: Sequence[ClauseObligation]):  # type: ignore[no-untyped-def]
    for doc_id, in_doc in groupby(items, key=lambda t: t.clause.doc_id):
        yield (
            doc_id,
            [(strength, list(group)) for strength, group in groupby(in_doc, key=lambda t: t.strength)],
        )


def obligations_text(items: Sequence[ClauseObligation], metas: Mapping[str, DocumentMeta], role: Role) -> str:
    """Plain text, grouped by document and strength, each clause with its full citation."""
    lines = [_title(role), NOTE]
    if not items:
        lines += ["", "No clause in the selected policies binds this role."]
    for doc_id, groups in _grouped(items):
        lines += ["", metas[doc_id].title, "=" * min(len(metas[doc_id].title), 100)]
        for strength, group in groups:
            lines += ["", f"{LABELS[strength] if strength else ''} ({len(group)})"]
            for item in group:
                lines.append(f"  - {make_citation(item.clause, metas[doc_id]).format()}")
                for paragraph in item.clause.full_text.splitlines():
                    lines.append(
                        textwrap.fill(paragraph, 100, initial_indent=" " * 6, subsequent_indent=" " * 6)
                    )
    return "\n".join(lines) + "\n"


def obligations_markdown(
    items: Sequence[ClauseObligation], metas: Mapping[str, DocumentMeta], role: Role
) -> str:
    """Markdown for an induction pack; every piece of corpus text is escaped."""
    out = [f"# {escape_markdown(_title(role))}", "", f"_{escape_markdown(NOTE)}_", ""]
    if not items:
        out += ["No clause in the selected policies binds this role.", ""]
    for doc_id, groups in _grouped(items):
        out += [f"## {escape_markdown(metas[doc_id].title)}", ""]
        for strength, group in groups:
            out += [f"### {escape_markdown(LABELS[strength] if strength else '')}", ""]
            for item in group:
                citation = make_citation(item.clause, metas[doc_id]).format()
                quoted = "\n".join(f"> {line}".rstrip() for line in clause_markdown(item.clause).split("\n"))
                out += [f"**{escape_markdown(citation)}**", "", quoted, ""]
    return "\n".join(out).rstrip("\n") + "\n"


def obligations_csv(items: Sequence[ClauseObligation], metas: Mapping[str, DocumentMeta], role: Role) -> str:
    """CSV with one row per clause (``CSV_COLUMNS``), written by the csv module."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for item in items:
        meta = metas[item.clause.doc_id]
        writer.writerow(
            [
                role,
                item.clause.doc_id,
                meta.title,
                item.strength or "",
                LABELS[item.strength] if item.strength else "",
                item.clause.number,
                item.clause.heading,
                " ".join(item.binds),
                item.clause.full_text,
                make_citation(item.clause, meta).format(),
            ]
        )
    return buffer.getvalue()


def render_obligations(
    items: Sequence[ClauseObligation],
    metas: Mapping[str, DocumentMeta],
    role: Role,
    *,
    fmt: Format = "text",
) -> str:
    """The obligations for ``role`` in one of ``FORMATS`` ('text', 'markdown', 'csv')."""
    renderers = {"text": obligations_text, "markdown": obligations_markdown, "csv": obligations_csv}
    if fmt not in renderers:
        raise ValueError(f"fmt must be one of {', '.join(FORMATS)}. Currently, fmt is {fmt!r}.")
    return renderers[fmt](items, metas, role)
