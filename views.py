"""Streamlit rendering for app.py: answers, comparisons and sidebar panels.

Display only: every decision is made in the retrieval package. Corpus text and questions are
always escaped or shown with st.text; nothing here uses unsafe_allow_html.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from pathlib import Path

import streamlit as st

from retrieval import (
    Comparison,
    Hit,
    PolicyIndex,
    RetrievalError,
    make_citation,
    obligations_for,
    open_index_as_of,
    render_obligations,
)
from retrieval.answering.obligations import ROLE_NAMES, ClauseObligation
from retrieval.answering.obligations import ROLES as BINDING_ROLES
from retrieval.answering.verdict import SHORT, clause_label
from retrieval.ingest.audit import read_audit
from retrieval.views.export import VERDICT_NOTE, Exchange, clause_markdown, escape_markdown

HIGHLIGHT = (":orange-background[", "]")
HINTS = {
    "CorpusNotFoundError": "Put policy files in the corpus folder or set POLICY_CORPUS_DIR.",
    "EmptyCorpusError": "Add .txt, .md, .pdf, .docx or .html policies to the corpus folder.",
    "IndexLockedError": "Another build is running; wait a moment and reload the page.",
    "ModelNotAvailableError": "Install the requirements: `make run` (or pip install -r requirements.txt).",
    "EmptyQuestionError": "Type a question about the policies.",
    "DuplicateDocumentError": "That policy is already loaded; nothing was changed.",
}


def show_error(exc: RetrievalError) -> None:
    st.error(f"{exc}\n\n{HINTS.get(type(exc).__name__, 'Try “Rebuild index” in the sidebar.')}")


def _when(epoch: float) -> str:
    return time.strftime("%d %b %Y %H:%M", time.localtime(epoch)) if epoch else "unknown"


def library_panel(index: PolicyIndex, claimed: str | None) -> str | None:
    """The school whose policies this session sees: from the sign-in claims, else chosen here."""
    if not index.libraries:
        return None
    if claimed is not None:
        st.caption(escape_markdown(f"School: {claimed} (from your sign-in)"))
        return claimed
    return st.selectbox("Your school", index.libraries, key="library")


def documents_panel(index: PolicyIndex, corpus_dir: Path, visible: Sequence[str] | None = None) -> None:
    st.header("Policies loaded")
    for doc in index.documents:
        if visible is not None and doc.doc_id not in visible:
            continue  # another school's policies are not even listed
        st.markdown(f"**{escape_markdown(doc.meta.title)}**")
        details = (
            doc.meta.issuer,
            doc.meta.date,
            f"{doc.clause_count} clauses",
            f"updated {_when(doc.modified)}",
        )
        st.caption(escape_markdown(" · ".join(part for part in details if part)))
        source = corpus_dir / doc.source_name
        if source.is_file():
            label, data = f"Download {doc.source_name}", source.read_bytes()
            st.download_button(label, data, file_name=doc.source_name, key=f"dl-{doc.doc_id}")
        with st.expander("Read the whole policy"):
            whole_policy(index, doc.doc_id)
    for skipped in index.manifest.skipped:
        st.warning(f"Left out: {skipped.reason}")
    manifest = index.manifest
    st.caption(
        f"Index built {_when(manifest.built_at)} · {manifest.clause_count} clauses · "
        f"model {manifest.model_id}"
    )


def whole_policy(index: PolicyIndex, doc_id: str) -> None:
    """Every clause in document order under its reference; the text is shown as text, never as markup."""
    for clause in index.clauses:
        if clause.doc_id != doc_id:
            continue
        page = f" · p. {clause.page}" if clause.page is not None else ""
        st.caption(escape_markdown(f"{clause.label}{page} · {clause.heading}".rstrip(" ·")))
        st.text(clause.full_text)


@st.cache_resource(show_spinner="Indexing the versions in force on that date…")
def _index_as_of(day: str, index_dir: Path, corpus_dir: Path, changes: int, _index: PolicyIndex):
    # ``changes`` (admin actions so far) keys the cache: a new version or a retirement re-reads the history.
    return open_index_as_of(day, index_dir, corpus_dir=corpus_dir, embedder=_index.embedder)


def as_of_panel(index: PolicyIndex, index_dir: Path, corpus_dir: Path) -> PolicyIndex:
    """A date picker: answer from the policy versions in force on that day (default: today's)."""
    day = st.date_input(
        "Policies in force on", value=None, key="as-of", help="Leave empty for today's policies."
    )
    if day is None:
        return index
    try:
        as_of, used = _index_as_of(day.isoformat(), index_dir, corpus_dir, len(read_audit(corpus_dir)), index)
    except RetrievalError as exc:
        show_error(exc)
        return index
    lines = [
        f"{doc_id}: version {v.number} ({v.source_name}, added {v.added_at or 'before history'})"
        for doc_id, v in sorted(used.items())
    ]
    st.info(
        escape_markdown(
            f"Answering from the versions in force on {day.isoformat()}:\n\n" + "\n\n".join(lines)
        )
    )
    return as_of


def obligations_panel(index: PolicyIndex, tags: Sequence[ClauseObligation], docs: list[str]) -> None:
    st.header("Obligations for my role")
    role = st.selectbox("Role", BINDING_ROLES, format_func=ROLE_NAMES.get, key="obligations-role")
    items = obligations_for(tags, role, docs=docs or None)
    st.caption(f"{len(items)} clauses bind {ROLE_NAMES[role]}. {VERDICT_NOTE}")
    with st.expander("Show them"):
        for item in items:
            cite = make_citation(item.clause, index.metas[item.clause.doc_id])
            st.markdown(f"**{escape_markdown(item.label)}** · {escape_markdown(cite.format())}")
            st.markdown(clause_markdown(item.clause))
    for fmt, mime, ext in (("markdown", "text/markdown", "md"), ("csv", "text/csv", "csv")):
        st.download_button(
            f"Download for an induction pack ({ext})",
            render_obligations(items, index.metas, role, fmt=fmt),
            file_name=f"obligations-{role}.{ext}",
            mime=mime,
            disabled=not items,
        )


def show_hit(hit: Hit, index: PolicyIndex) -> None:
    cite = hit.citation
    with st.container(border=True):
        st.markdown(f"**[{hit.rank}] {escape_markdown(cite.doc_title)}**, {clause_label(cite.clause_number)}")
        st.caption(
            escape_markdown(" · ".join(part for part in (cite.issuer, cite.heading, cite.date) if part))
        )
        st.markdown(clause_markdown(hit.clause, hit.highlight, mark=HIGHLIGHT))
        with st.expander("Context: neighbouring clauses"):
            for clause in index.neighbours(hit.clause.clause_id):
                if clause.clause_id != hit.clause.clause_id:
                    st.caption(escape_markdown(f"{clause_label(clause.number)} · {clause.heading}"))
                    st.text(clause.full_text)


def show_exchange(exchange: Exchange, index: PolicyIndex, feedback: Callable[[Exchange, str], None]) -> None:
    with st.chat_message("user"):
        st.text(exchange.question)
    with st.chat_message("assistant"):
        answer, verdict = exchange.answer, exchange.verdict
        st.markdown(f"**Verdict: {escape_markdown(verdict.text)}**")
        st.caption(VERDICT_NOTE if answer.answered else escape_markdown(answer.message))
        for notice in answer.notices:
            st.info(notice)
        for hit in answer.hits:
            show_hit(hit, index)
        key = f"feedback-{exchange.answer_id}"
        st.feedback("thumbs", key=key, on_change=feedback, args=(exchange, key))


def show_comparison(question: str, comparison: Comparison) -> None:
    with st.chat_message("user"):
        st.text(question)
    with st.chat_message("assistant"):
        st.markdown(f"**Comparing: {escape_markdown(comparison.topic)}**")
        for position in comparison.positions:
            st.markdown(f"- {escape_markdown(position.format())}")
        st.caption(VERDICT_NOTE)
        for row in comparison.rows:
            st.markdown(f"**Sub-topic:** {escape_markdown(row.subtopic)}")
            columns = st.columns(len(comparison.doc_ids))
            for column, label, cell in zip(columns, comparison.doc_labels, row.cells, strict=True):
                with column, st.container(border=True):
                    if cell is None:
                        st.caption(f"{escape_markdown(label)}: not addressed")
                        continue
                    strength = f" · {SHORT[cell.strength]}" if cell.strength else ""
                    number = clause_label(cell.hit.clause.number)
                    st.markdown(f"**{escape_markdown(label)}**, {number}{escape_markdown(strength)}")
                    st.caption(escape_markdown(cell.hit.citation.format()))
                    st.markdown(clause_markdown(cell.hit.clause))
