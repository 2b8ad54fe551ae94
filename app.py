"""Streamlit chat shell around the retrieval package: settings, one cached index, the chat flow."""

from __future__ import annotations

import os
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

import streamlit as st

from admin_views import manage_panel, visitor_panel
from retrieval import (
    PolicyIndex,
    RetrievalError,
    build_index,
    comparison_for_question,
    library_stamp,
    open_engine_index,
    open_index,
    tag_clauses,
)
from retrieval.answering.obligations import ClauseObligation
from retrieval.answering.ruling import verdict_for
from retrieval.views.export import Exchange, conversation_markdown
from retrieval.views.feedback import FeedbackLog, corpus_version, make_record
from views import (
    as_of_panel,
    documents_panel,
    library_panel,
    obligations_panel,
    show_comparison,
    show_error,
    show_exchange,
)

ROLES = {"Any role": None, "Staff": "staff", "HR": "hr", "Governor": "governor"}


@dataclass(frozen=True)
class Settings:
    index_dir: Path
    corpus_dir: Path
    feedback_dir: Path
    engine_uri: str | None = None  # Milvus (Lite file or cluster) for the vectors; None: in-process FAISS
    top_k: int = 5


def read_settings() -> Settings:
    env = os.environ
    return Settings(
        index_dir=Path(env.get("POLICY_INDEX_DIR", "index")),
        corpus_dir=Path(env.get("POLICY_CORPUS_DIR", "corpus")),
        feedback_dir=Path(env.get("POLICY_FEEDBACK_DIR", "feedback")),
        engine_uri=env.get("POLICY_ENGINE_URI") or None,
    )


@st.cache_resource(show_spinner="Loading the policies and the language model…", max_entries=2)
def load_index(index_dir: Path, corpus_dir: Path, stamp: str, engine_uri: str | None = None) -> PolicyIndex:
    # ``stamp`` keys the cache: a change made by another app process (upload, retire, rebuild) gives
    # a new stamp, so the next run reopens the index instead of answering from the old one.
    if engine_uri:
        index = open_engine_index(index_dir, uri=engine_uri, corpus_dir=corpus_dir)
    else:
        index = open_index(index_dir, corpus_dir=corpus_dir)  # builds if missing or stale
    index.warm_up()  # the model loads lazily; pay for it here, under the spinner, not on question one
    return index


@st.cache_resource
def load_tags(_index: PolicyIndex, version: str) -> tuple[ClauseObligation, ...]:
    return tag_clauses(_index.clauses)  # version keys the cache: a rebuilt corpus is tagged again


def rebuild(label: str) -> None:
    bar = st.progress(0.0, text=label)
    try:
        build_index(
            settings.corpus_dir,
            settings.index_dir,
            embedder=index.embedder,
            progress=lambda done, total: bar.progress(done / max(total, 1), text=f"{label} {done}/{total}"),
        )
    except RetrievalError as exc:
        show_error(exc)
    else:
        load_index.clear()
        st.rerun()


def record_feedback(exchange: Exchange, key: str) -> None:
    value = st.session_state.get(key)
    if value is not None:
        FeedbackLog(settings.feedback_dir).append(
            make_record(
                answer_id=exchange.answer_id,
                rating="up" if value == 1 else "down",
                question=exchange.question,
                clause_ids=[hit.clause.clause_id for hit in exchange.answer.hits],
                verdict=exchange.verdict.text,
                corpus_version=corpus_version(index.documents),
            )
        )


settings = read_settings()
st.set_page_config(page_title="Policy assistant", page_icon="📘")
st.title("Policy assistant")
try:
    index = load_index(
        settings.index_dir,
        settings.corpus_dir,
        library_stamp(settings.index_dir, settings.corpus_dir),
        settings.engine_uri,
    )
except RetrievalError as exc:
    show_error(exc)
    st.stop()

with st.sidebar:
    visitor = visitor_panel(settings.corpus_dir)
    try:
        library = library_panel(index, visitor.library)
        visible = index.docs_for(library)  # None: a single-school corpus, every document
    except RetrievalError as exc:
        show_error(exc)
        st.stop()
    documents_panel(index, settings.corpus_dir, visible)
    titles = {
        doc.doc_id: doc.meta.title for doc in index.documents if visible is None or doc.doc_id in visible
    }
    docs = st.multiselect("Only search these documents", list(titles), format_func=titles.get) or visible
    role = ROLES[st.selectbox("Your role", list(ROLES), help="Favours clauses addressed to this role.")]
    if role == "hr" or visitor.is_admin:
        # HR checking last year's case asks the versions in force then; the answer names them.
        index = as_of_panel(index, settings.index_dir, settings.corpus_dir)
    manage_panel(visitor, index, settings.corpus_dir, library, rebuild)
    obligations_panel(index, load_tags(index, corpus_version(index.documents)), docs)

history: list[Exchange | tuple[str, object]] = st.session_state.setdefault("history", [])
for past in history:
    if isinstance(past, Exchange):
        show_exchange(past, index, record_feedback)
    else:
        show_comparison(*past)  # type: ignore[arg-type]

if prompt := st.chat_input("Ask about the policies, e.g. “Can I friend a parent on Facebook?”"):
    try:
        # "compare …", "difference between …", "do both policies …" get the side-by-side view.
        comparison = comparison_for_question(index, prompt, docs=docs or None)
        if comparison is not None:
            history.append((prompt, comparison))
            show_comparison(prompt, comparison)
        else:
            answer = index.search(prompt, top_k=settings.top_k, docs=docs or None, role=role)
            exchange = Exchange(prompt, answer, verdict_for(prompt, answer), uuid.uuid4().hex, time.time())
            history.append(exchange)
            show_exchange(exchange, index, record_feedback)
    except RetrievalError as exc:
        show_error(exc)

with st.sidebar:  # last, so the download includes the answer just given
    exchanges = [item for item in history if isinstance(item, Exchange)]
    st.download_button(
        "Download conversation (Markdown)",
        conversation_markdown(exchanges, corpus_version=corpus_version(index.documents)),
        file_name="policy-conversation.md",
        mime="text/markdown",
        disabled=not exchanges,
    )
