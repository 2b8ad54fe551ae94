"""Every version of every policy, kept: add a version, retire, restore, and what was in force on a date.

Versions live beside the live corpus, in ``<corpus>/.history/<doc_id>/`` (hidden, so a build never
reads them): ``v1.pdf``, ``v2.pdf`` … byte for byte as uploaded, and ``versions.json`` saying when
each was added and by whom, and when the document was retired or restored. Nothing is ever
deleted. Every write goes to a temporary file that is fsynced and renamed into place, and the
order of the steps (version file, then record, then live file) means a kill at any moment loses
no version: at worst the live corpus is one step behind the record, which ``restore`` repairs.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import tempfile
from dataclasses import asdict, dataclass, replace
from pathlib import Path

from ..errors import RetrievalError, UnknownDocumentError
from .parsing import SIDECAR_SUFFIX, content_hash, policy_files

HISTORY_DIR = ".history"
RECORD_FILE = "versions.json"


class HistoryError(RetrievalError):
    """The version history of a policy cannot be read or does not have what was asked for."""


@dataclass(frozen=True, slots=True)
class PolicyVersion:
    """One stored version of a policy file."""

    number: int
    file_name: str
    source_name: str
    content_hash: str
    added_at: str | None
    """ISO time it was added; None for a file that was in the corpus before history was kept."""
    added_by: str


@dataclass(frozen=True, slots=True)
class DocumentHistory:
    """A policy's versions, which one is live (None when retired) and its state changes over time."""

    doc_id: str
    versions: tuple[PolicyVersion, ...]
    live: int | None
    events: tuple[tuple[str, str, int | None], ...] = ()
    """(ISO time, 'live' or 'retired', version) in order: what was in force from when."""

    def version(self, number: int | None = None) -> PolicyVersion:
        wanted = number if number is not None else (self.live or self.versions[-1].number)
        for version in self.versions:
            if version.number == wanted:
                return version
        known = ", ".join(str(v.number) for v in self.versions)
        raise HistoryError(f"'{self.doc_id}' has no version {wanted}. Its versions are {known}.")

    def in_force(self, moment: str) -> PolicyVersion | None:
        """The version live at an ISO time; a version kept from before history counts from the start."""
        state: tuple[str, int | None] = ("retired", None)
        for version in self.versions:
            if version.added_at is None:
                state = ("live", version.number)
        for when, kind, number in self.events:
            if when <= moment:
                state = (kind, number)
        return self.version(state[1]) if state[0] == "live" and state[1] is not None else None


def now_iso() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def history_dir(corpus_dir: Path, doc_id: str) -> Path:
    return corpus_dir / HISTORY_DIR / doc_id


def _write_atomic(path: Path, data: bytes) -> None:
    """Temp file in the same folder, fsync, rename: the path holds the old bytes or the new, never half."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def read_history(corpus_dir: Path, doc_id: str) -> DocumentHistory | None:
    path = history_dir(corpus_dir, doc_id) / RECORD_FILE
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        return DocumentHistory(
            doc_id=doc_id,
            versions=tuple(PolicyVersion(**v) for v in raw["versions"]),
            live=raw["live"],
            events=tuple((str(w), str(k), n) for w, k, n in raw.get("events", [])),
        )
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise HistoryError(
            f"The version record {path} cannot be read ({exc}). Restore it from a backup."
        ) from exc


def _save(corpus_dir: Path, history: DocumentHistory) -> None:
    data = {
        "versions": [asdict(v) for v in history.versions],
        "live": history.live,
        "events": [list(e) for e in history.events],
    }
    record = history_dir(corpus_dir, history.doc_id) / RECORD_FILE
    _write_atomic(record, json.dumps(data, indent=2).encode())


def _live_file(corpus_dir: Path, doc_id: str) -> Path | None:
    return next((p for p in policy_files(corpus_dir) if p.stem == doc_id), None)


def _store_version(
    corpus_dir: Path,
    history: DocumentHistory,
    data: bytes,
    source_name: str,
    *,
    added_at: str | None,
    by: str,
) -> tuple[DocumentHistory, PolicyVersion]:
    number = max((v.number for v in history.versions), default=0) + 1
    file_name = f"v{number}{Path(source_name).suffix.lower()}"
    _write_atomic(history_dir(corpus_dir, history.doc_id) / file_name, data)
    version = PolicyVersion(number, file_name, source_name, content_hash(data), added_at, by)
    return replace(history, versions=(*history.versions, version)), version


def _with_adopted_live(corpus_dir: Path, doc_id: str) -> DocumentHistory:
    """The document's history, first keeping its live file as version 1 if it predates history."""
    history = read_history(corpus_dir, doc_id) or DocumentHistory(doc_id, (), None)
    live = _live_file(corpus_dir, doc_id)
    if live is not None and not history.versions:
        history, version = _store_version(
            corpus_dir, history, live.read_bytes(), live.name, added_at=None, by="(before history)"
        )
        history = replace(history, live=version.number)
        _save(corpus_dir, history)
    return history


def add_version(corpus_dir: Path, doc_id: str, source_name: str, data: bytes, *, by: str) -> PolicyVersion:
    """Keep ``data`` as the document's next version and make it the live file (replacing any other)."""
    history = _with_adopted_live(corpus_dir, doc_id)
    when = now_iso()
    history, version = _store_version(corpus_dir, history, data, source_name, added_at=when, by=by)
    events = (*history.events, (when, "live", version.number))
    history = replace(history, live=version.number, events=events)
    _save(corpus_dir, history)
    _make_live(corpus_dir, doc_id, data, Path(source_name).suffix.lower())
    return version


def _make_live(corpus_dir: Path, doc_id: str, data: bytes, suffix: str) -> None:
    target = corpus_dir / f"{doc_id}{suffix}"
    _write_atomic(target, data)
    for other in policy_files(corpus_dir):
        if other.stem == doc_id and other != target:
            other.unlink()  # the same document saved in another format: the older version is kept


def retire(corpus_dir: Path, doc_id: str) -> PolicyVersion:
    """Take a document out of search; every version stays in its history. Returns the retired version."""
    history = _with_adopted_live(corpus_dir, doc_id)
    live = _live_file(corpus_dir, doc_id)
    if live is None or history.live is None:
        raise UnknownDocumentError(f"There is no live document '{doc_id}' in {corpus_dir} to retire.")
    version = history.version(history.live)
    events = (*history.events, (now_iso(), "retired", version.number))
    history = replace(history, live=None, events=events)
    _save(corpus_dir, history)
    # The metadata sidecar stays: it is ignored without its document and serves a later restore.
    live.unlink()
    return version


def restore(corpus_dir: Path, doc_id: str, *, version: int | None = None) -> PolicyVersion:
    """Make a stored version live again, byte for byte (default: the latest)."""
    history = read_history(corpus_dir, doc_id)
    if history is None or not history.versions:
        raise UnknownDocumentError(f"There is no history for '{doc_id}' in {corpus_dir}.")
    chosen = history.version(version if version is not None else history.versions[-1].number)
    data = (history_dir(corpus_dir, doc_id) / chosen.file_name).read_bytes()
    if content_hash(data) != chosen.content_hash:
        raise HistoryError(f"Version {chosen.number} of '{doc_id}' does not match its recorded hash.")
    events = (*history.events, (now_iso(), "live", chosen.number))
    history = replace(history, live=chosen.number, events=events)
    _save(corpus_dir, history)
    _make_live(corpus_dir, doc_id, data, Path(chosen.file_name).suffix)
    return chosen


def histories(corpus_dir: Path) -> tuple[DocumentHistory, ...]:
    """The history of every document that has one, plus live documents that predate history."""
    root = corpus_dir / HISTORY_DIR
    ids = {p.name for p in root.iterdir() if p.is_dir()} if root.is_dir() else set()
    ids |= {p.stem for p in policy_files(corpus_dir)}
    found = []
    for doc_id in sorted(ids):
        history = read_history(corpus_dir, doc_id)
        live = _live_file(corpus_dir, doc_id) if history is None else None
        if live is not None:
            data = live.read_bytes()
            kept = PolicyVersion(1, live.name, live.name, content_hash(data), None, "(before history)")
            history = DocumentHistory(doc_id, (kept,), 1)
        if history is not None:
            found.append(history)
    return tuple(found)


def corpus_as_of(corpus_dir: Path, moment: str, target: Path) -> dict[str, PolicyVersion]:
    """Fill ``target`` with each document's version in force at ``moment``; returns what was used."""
    target.mkdir(parents=True, exist_ok=True)
    used: dict[str, PolicyVersion] = {}
    for history in histories(corpus_dir):
        version = history.in_force(moment)
        if version is None:
            continue
        stored = history_dir(corpus_dir, history.doc_id) / version.file_name
        source = stored if stored.is_file() else corpus_dir / version.file_name
        suffix = Path(version.file_name).suffix
        _write_atomic(target / f"{history.doc_id}{suffix}", source.read_bytes())
        sidecar = corpus_dir / f"{history.doc_id}{SIDECAR_SUFFIX}"
        if sidecar.is_file():
            _write_atomic(target / sidecar.name, sidecar.read_bytes())
        used[history.doc_id] = version
    return used


def version_label(corpus_dir: Path, doc_id: str) -> str:
    """How citations name the live version ("version 2, added 2026-11-30"); "" if never versioned."""
    history = read_history(corpus_dir, doc_id)
    if history is None or history.live is None:
        return ""
    live = next((v for v in history.versions if v.number == history.live), None)
    if live is None:
        return ""
    return f"version {live.number}, added {live.added_at[:10]}" if live.added_at else f"version {live.number}"
