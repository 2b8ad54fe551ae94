"""The audit log: one fsynced JSON line per change to the policy library (who, when, what, which version).

Kept in ``<corpus>/.history/audit.jsonl`` beside the versions it describes, appended through
ingest/journal.py (a kill mid-write tears at most the last line, which readers skip). Questions
asked by staff are never written here.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Literal

from .history import HISTORY_DIR
from .journal import append_line, read_lines

AUDIT_FILE = "audit.jsonl"
Action = Literal["add", "replace", "retire", "restore", "rebuild"]
ACTIONS: tuple[Action, ...] = ("add", "replace", "retire", "restore", "rebuild")


@dataclass(frozen=True, slots=True)
class AuditRecord:
    """One administrative action on the library."""

    when: str
    who: str
    action: Action
    doc_id: str = ""
    version: int | None = None
    content_hash: str = ""
    client: str = ""


def audit_path(corpus_dir: Path) -> Path:
    return corpus_dir / HISTORY_DIR / AUDIT_FILE


def record_action(
    corpus_dir: Path,
    *,
    who: str,
    action: Action,
    doc_id: str = "",
    version: int | None = None,
    content_hash: str = "",
    client: str = "",
) -> AuditRecord:
    """Append one line to the corpus's audit log and return it."""
    if action not in ACTIONS:
        raise ValueError(f"action must be one of {', '.join(ACTIONS)}. Currently, action is {action!r}.")
    when = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    record = AuditRecord(when, who, action, doc_id, version, content_hash, client)
    append_line(audit_path(corpus_dir), asdict(record))
    return record


def read_audit(corpus_dir: Path) -> tuple[AuditRecord, ...]:
    """Every complete audit line, oldest first (a torn last line is skipped)."""
    records = []
    for data in read_lines(audit_path(corpus_dir)):
        try:
            records.append(AuditRecord(**data))
        except TypeError:
            continue
    return tuple(records)
