"""Streamlit chat shell around the retrieval package: settings, one cached index, rendering."""

from __future__ import annotations

import os
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

import streamlit as st

from retrieval import Hit, PolicyIndex, RetrievalError, build_index, open_index
from retrieval.export import VERDICT_NOTE, Exchange, clause_markdown, conversation_markdown, escape_markdown
from retrieval.feedback import FeedbackLog, corpus_version, make_record
from retrieval.verdict import clause_label, derive_verdict

ROLES = {"Any role": None, "Staff": "staff", "HR": "hr", "Governor": "governor"}
HINTS = {
    "CorpusNotFoundError": "Put policy files in the corpus folder or set POLICY_CORPUS_DIR.",
    "EmptyCorpusError": "Add .txt, .md, .pdf, .docx or .html policies to the corpus folder.",
    "IndexLockedError": "Another build is running; wait a moment and reload the page.",
    "ModelNotAvailableError": "Install the requirements: `make run` (or pip install -r requirements.txt).",
    "EmptyQuestionError": "Type a question about the policies.",
}
HIGHLIGHT = (":orange-background[", "]")


@dataclass(frozen=True)
class Settings:
    index_dir: Path
    corpus_dir: Path
    feedback_dir: Path
    top_k: int = 5


def read_settings() -> Settings:
    env = os.environ
    return Settings(
        index_dir=Path(env.get("POLICY_INDEX_DIR", "index")),
        corpus_dir=Path(env.get("POLICY_CORPUS_DIR", "corpus")),
        feedback_dir=Path(env.get("POLICY_FEEDBACK_DIR", "feedback")),
    )


@st.cache_resource(show_spinner="Loading the policies and the language model (first visit only)…")
def load_index(index_dir: Path, corpus_dir: Path) -> PolicyIndex:
    index = open_index(index_dir, corpus_dir=corpus_dir)
    index.search("warm up")  # the model loads lazily; pay for it here, under the spinner, not on question one
    return index


def show_error(exc: RetrievalError) -> None:
    st.error(f"{exc}\n\n{HINTS.get(type(exc).__name__, 'Try “Rebuild index” in the sidebar.')}")


def sidebar(index: PolicyIndex, settings: Settings) -> tuple[list[str], str | None]:
    with st.sidebar:
        st.header("Policies loaded")
        for doc in index.documents:
            st.markdown(f"**{escape_markdown(doc.meta.title)}**")
            st.caption(escape_markdown(f"{doc.meta.issuer} · {doc.meta.date} · {doc.clause_count} clauses"))
        titles = {doc.doc_id: doc.meta.title for doc in index.documents}
        docs = st.multiselect("Only search these documents", list(titles), format_func=titles.get)
        role = ROLES[st.selectbox("Your role", list(ROLES), help="Favours clauses addressed to this role.")]
        manifest = index.manifest
        built = time.strftime("%d %b %Y %H:%M", time.localtime(manifest.built_at))
        st.caption(f"Index built {built} · {manifest.clause_count} clauses · model {manifest.model_id}")
        if st.button("Rebuild index"):
            bar = st.progress(0.0, text="Embedding clauses…")
            try:
                build_index(
                    settings.corpus_dir,
                    settings.index_dir,
                    embedder=index.embedder,
                    progress=lambda done, total: bar.progress(done / max(total, 1), text=f"{done}/{total}"),
                )
            except RetrievalError as exc:
                show_error(exc)
            else:
                load_index.clear()
                st.rerun()
    return docs, role


def record_feedback(exchange: Exchange, key: str, log: FeedbackLog, version: str) -> None:
    value = st.session_state.get(key)
    if value is None:
        return
    log.append(
        make_record(
            answer_id=exchange.answer_id,
            rating="up" if value == 1 else "down",
            question=exchange.question,
            clause_ids=[hit.clause.clause_id for hit in exchange.answer.hits],
            verdict=exchange.verdict.text,
            corpus_version=version,
        )
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


def show_exchange(exchange: Exchange, index: PolicyIndex, log: FeedbackLog) -> None:
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
        version = corpus_version(index.documents)
        st.feedback("thumbs", key=key, on_change=record_feedback, args=(exchange, key, log, version))


settings = read_settings()
st.set_page_config(page_title="Policy assistant", page_icon="📘")
st.title("Policy assistant")
try:
    index = load_index(settings.index_dir, settings.corpus_dir)
except RetrievalError as exc:
    show_error(exc)
    st.stop()

history: list[Exchange] = st.session_state.setdefault("history", [])
feedback_log = FeedbackLog(settings.feedback_dir)
docs, role = sidebar(index, settings)
for past in history:
    show_exchange(past, index, feedback_log)

if prompt := st.chat_input("Ask about the policies, e.g. “Can I friend a parent on Facebook?”"):
    try:
        answer = index.search(prompt, top_k=settings.top_k, docs=docs or None, role=role)
    except RetrievalError as exc:
        show_error(exc)
    else:
        exchange = Exchange(prompt, answer, derive_verdict(answer), uuid.uuid4().hex, time.time())
        history.append(exchange)
        show_exchange(exchange, index, feedback_log)

with st.sidebar:  # last, so the download includes the answer just given
    st.download_button(
        "Download conversation (Markdown)",
        conversation_markdown(history, corpus_version=corpus_version(index.documents)),
        file_name="policy-conversation.md",
        mime="text/markdown",
        disabled=not history,
    )
