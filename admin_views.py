"""Who is using the app, and the policy admin's panels: add, replace, retire, restore, rebuild, audit.

A visitor is an admin only through the school's sign-in (``st.login``, admins listed by e-mail or
group in ``[policy_admins]`` of ``.streamlit/secrets.toml``) or the offline passphrase set with
``python -m retrieval admin set-passphrase``. Admin panels are rendered only for admins, and every
change checks the role again before it touches the library, so a non-admin session has no widget
that could trigger one. Decisions live in the retrieval package; this module only draws.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import streamlit as st

from retrieval import PolicyIndex, RetrievalError
from retrieval.access.passphrase import check_passphrase, read_passphrase
from retrieval.access.roles import AdminSettings, Role, role_for_claims
from retrieval.ingest.audit import read_audit
from retrieval.ingest.history import HISTORY_DIR, histories
from retrieval.ingest.libraries import library_dir, split_id
from retrieval.ingest.library import add_document, remove_document, restore_document
from retrieval.views.export import escape_markdown

HOW_TO_ENABLE_ADMIN = (
    "Read-only: nobody can change the policies here. To let policy admins add, replace or retire "
    "policies, configure sign-in in .streamlit/secrets.toml or run "
    "`python -m retrieval admin set-passphrase` on this machine (see the README)."
)


@dataclass(frozen=True)
class Visitor:
    """Who is asking: their role, the name the audit log records, and how they proved it."""

    role: Role
    who: str
    how: str  # "sign-in" | "passphrase" | "anonymous"
    client: str = ""
    library: str | None = None
    """The school library the sign-in claims name (``[policy_libraries] claim``), if any."""

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"


def _secrets() -> Mapping[str, Any]:
    try:
        return dict(st.secrets)
    except Exception:  # no secrets file at all: Streamlit raises its own not-found error
        return {}


def _client_address() -> str:
    return str(getattr(st.context, "ip_address", "") or "")


def visitor_panel(corpus_dir: Path) -> Visitor:
    """Sign-in and passphrase controls in the sidebar; returns who this session is."""
    secrets = _secrets()
    client = _client_address()
    folder = corpus_dir / HISTORY_DIR
    if "auth" in secrets:
        if not st.user.is_logged_in:
            st.button(
                "Sign in",
                on_click=st.login,
                help="With the school's account (admins can then change policies).",
            )
        else:
            claims = st.user.to_dict()
            role = role_for_claims(claims, AdminSettings.from_mapping(secrets.get("policy_admins", {})))
            who = str(claims.get("email") or claims.get("sub") or "signed-in user")
            st.caption(
                escape_markdown(f"Signed in as {who} ({'policy admin' if role == 'admin' else 'staff'})")
            )
            st.button("Sign out", on_click=st.logout)
            claim = str(secrets.get("policy_libraries", {}).get("claim", ""))
            library = str(claims[claim]) if claim and claims.get(claim) else None
            return Visitor("admin" if role == "admin" else "staff", who, "sign-in", client, library)
    if read_passphrase(folder) is not None:
        if st.session_state.get("passphrase_admin"):
            st.caption("Policy admin (passphrase)")
            if st.button("Leave admin mode"):
                st.session_state.pop("passphrase_admin")
                st.rerun()
            return Visitor("admin", "admin (passphrase)", "passphrase", client)
        with st.expander("Policy admin"):
            attempt = st.text_input("Admin passphrase", type="password", key="passphrase")
            if st.button("Unlock admin") and attempt:
                if check_passphrase(folder, attempt):
                    st.session_state["passphrase_admin"] = True
                    st.session_state.pop("passphrase")
                    st.rerun()
                st.error("Wrong passphrase. Each wrong try makes the next one wait longer.")
    elif "auth" not in secrets:
        st.caption(HOW_TO_ENABLE_ADMIN)
    return Visitor("staff", "", "anonymous", client)


def _guarded(visitor: Visitor, action: Callable[[], object]) -> object | None:
    """Run a library change only for an admin: the panel is not drawn for others, and this checks again."""
    if not visitor.is_admin:
        st.error("Only a policy admin can change the policies.")
        return None
    try:
        return action()
    except RetrievalError as exc:
        st.error(str(exc))
        return None


def manage_panel(
    visitor: Visitor,
    index: PolicyIndex,
    corpus_root: Path,
    library: str | None,
    rebuild: Callable[[str], None],
) -> None:
    """Add or replace (a new version), retire with confirmation, restore any version, rebuild.

    The panel changes one folder: the chosen school's library, or the whole corpus without libraries.
    """
    if not visitor.is_admin:
        return
    corpus_dir = library_dir(corpus_root, library)
    who, client = visitor.who, visitor.client
    st.header("Manage policies")
    with st.expander("Add or replace a policy"):
        upload = st.file_uploader("A policy file (PDF, Word, HTML, Markdown or text)", key="upload")
        st.caption(
            "A file with the same name as a loaded policy becomes its new version; the old one is kept."
        )
        if upload is not None and st.button(f"Add {upload.name}"):
            name, data = upload.name, upload.getvalue()
            path = _guarded(visitor, lambda: add_document(corpus_dir, name, data, who=who, client=client))
            if path is not None:
                rebuild(f"Indexing {Path(str(path)).name}…")
    # Policies of this folder, by the file stems the folder's history uses.
    titles = {
        stem: doc.meta.title
        for doc in index.documents
        for doc_library, stem in [split_id(doc.doc_id)]
        if doc_library == (library or "")
    }
    with st.expander("Retire a policy"):
        doomed = st.selectbox(
            "Policy", [""] + list(titles), format_func=lambda d: titles.get(d, "—"), key="retire"
        )
        sure = st.checkbox("Take it out of search (every version stays in the history)", key="retire-sure")
        if (
            doomed
            and st.button("Retire it", disabled=not sure)
            and (
                _guarded(visitor, lambda: remove_document(corpus_dir, doomed, who=who, client=client))
                is not None
            )
        ):
            rebuild("Updating the index…")
    with st.expander("History and restore"):
        for history in histories(corpus_dir):
            state = f"version {history.live} live" if history.live else "retired"
            st.markdown(f"**{escape_markdown(history.doc_id)}** · {state}")
            for version in history.versions:
                st.caption(
                    escape_markdown(
                        f"v{version.number} · {version.source_name} · added "
                        f"{version.added_at or 'before history'} by {version.added_by} · "
                        f"{version.content_hash[:12]}"
                    )
                )
            numbers = [v.number for v in history.versions]
            chosen = st.selectbox(
                "Version", numbers, index=len(numbers) - 1, key=f"v-{history.doc_id}-{len(numbers)}"
            )
            if st.button(f"Restore v{chosen} of {history.doc_id}", key=f"restore-{history.doc_id}"):
                restored = _guarded(
                    visitor,
                    lambda h=history.doc_id, n=chosen: restore_document(
                        corpus_dir, h, version=n, who=who, client=client
                    ),
                )
                if restored is not None:
                    rebuild("Updating the index…")
    with st.expander("Audit log"):
        records = read_audit(corpus_dir)
        st.caption(f"{len(records)} admin actions recorded (newest first).")
        for record in reversed(records[-200:]):
            version = f" v{record.version}" if record.version is not None else ""
            st.text(
                f"{record.when}  {record.who}  {record.action} {record.doc_id}{version}  "
                f"{record.client}".rstrip()
            )
    if st.button("Rebuild index") and _guarded(visitor, lambda: True):
        rebuild("Embedding clauses…")
