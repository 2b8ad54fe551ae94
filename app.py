"""Streamlit chat shell around the retrieval package (minimal; see issue 4 for the full UI)."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from retrieval import PolicyIndex, RetrievalError, open_index


@st.cache_resource(show_spinner="Loading the policies and the language model…")
def load_index(index_dir: str, corpus_dir: str) -> PolicyIndex:
    return open_index(Path(index_dir), corpus_dir=Path(corpus_dir))


st.set_page_config(page_title="Policy assistant", page_icon="📘")
st.title("Policy assistant")
try:
    index = load_index("index", "corpus")
except RetrievalError as exc:
    st.error(f"{exc}")
    st.stop()

if "messages" not in st.session_state:
    st.session_state.messages = []
for message in st.session_state.messages:
    with st.chat_message(message["role"]):
        st.text(message["content"])

if prompt := st.chat_input("Ask about the policies"):
    st.session_state.messages.append({"role": "user", "content": prompt})
    with st.chat_message("user"):
        st.text(prompt)
    try:
        answer = index.search(prompt)
        lines = [answer.message] if not answer.answered else []
        for hit in answer.hits:
            lines.append(f"[{hit.rank}] {hit.citation.format()}\n{hit.clause.full_text}\n")
        reply = "\n".join(lines)
    except RetrievalError as exc:
        reply = str(exc)
    st.session_state.messages.append({"role": "assistant", "content": reply})
    with st.chat_message("assistant"):
        st.text(reply)
