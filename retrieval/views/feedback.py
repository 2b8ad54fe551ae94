"""An append-only JSONL log of thumbs up/down on answers, written so a crash loses at most one line.

Written through ingest/journal.py: one ``os.write`` per line, then ``fsync``; a torn last line is
skipped by the reader. No user names are stored: only the question, what was shown and when.
"""

from __future__ import annotations

import hashlib
import json
import logging
import time
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Literal, Protocol

from ..ingest.journal import append_line, read_lines

log = logging.getLogger(__name__)

FEEDBACK_FILE = "feedback.jsonl"
Rating = Literal["up", "down"]
_FIELDS = ("time", "answer_id", "rating", "question", "clause_ids", "verdict", "corpus_version")


class HashedDocument(Protocol):
    doc_id: str
    content_hash: str


@dataclass(frozen=True, slots=True)
class FeedbackRecord:
    """One rating of one answer; a later record with the same ``answer_id`` supersedes it."""

    time: float
    answer_id: str
    rating: Rating
    question: str
    clause_ids: tuple[str, ...]
    verdict: str
    corpus_version: str

    def to_json(self) -> dict[str, object]:
        data = asdict(self)
        data["clause_ids"] = list(self.clause_ids)
        return data

    def to_line(self) -> bytes:
        return (json.dumps(self.to_json(), ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8")

    @staticmethod
    def from_json(data: object) -> FeedbackRecord:
        if not isinstance(data, dict) or set(_FIELDS) - set(data):
            raise ValueError("not a feedback record")
        if data["rating"] not in ("up", "down"):
            raise ValueError(f"rating must be 'up' or 'down'. Currently, rating is {data['rating']!r}.")
        return FeedbackRecord(
            time=float(data["time"]),
            answer_id=str(data["answer_id"]),
            rating=data["rating"],
            question=str(data["question"]),
            clause_ids=tuple(str(c) for c in data["clause_ids"]),
            verdict=str(data["verdict"]),
            corpus_version=str(data["corpus_version"]),
        )


def corpus_version(documents: Iterable[HashedDocument]) -> str:
    """A short hash of the documents' content hashes: which policies an answer came from."""
    digest = hashlib.sha256()
    for doc_id, content_hash in sorted((d.doc_id, d.content_hash) for d in documents):
        digest.update(f"{doc_id}\x1f{content_hash}\x1e".encode())
    return digest.hexdigest()[:16]


def make_record(
    *,
    answer_id: str,
    rating: Rating,
    question: str,
    clause_ids: Iterable[str],
    verdict: str,
    corpus_version: str,
    now: float | None = None,
) -> FeedbackRecord:
    """Build a record, checking the rating."""
    if rating not in ("up", "down"):
        raise ValueError(f"rating must be 'up' or 'down'. Currently, rating is {rating!r}.")
    return FeedbackRecord(
        time=time.time() if now is None else now,
        answer_id=answer_id,
        rating=rating,
        question=question,
        clause_ids=tuple(clause_ids),
        verdict=verdict,
        corpus_version=corpus_version,
    )


class FeedbackLog:
    """The feedback file in a folder; safe to share between threads and processes."""

    def __init__(self, folder: Path | str) -> None:
        self.path = Path(folder) / FEEDBACK_FILE

    def append(self, record: FeedbackRecord) -> None:
        """Write one record durably (see ingest/journal.py)."""
        append_line(self.path, record.to_json())

    def read(self) -> tuple[FeedbackRecord, ...]:
        """Every complete record in order; torn or foreign lines are skipped with a warning."""
        records: list[FeedbackRecord] = []
        for data in read_lines(self.path):
            try:
                records.append(FeedbackRecord.from_json(data))
            except (ValueError, TypeError) as exc:
                log.warning("skipping a feedback record in %s: %s", self.path, exc)
        return tuple(records)

    def latest(self) -> dict[str, FeedbackRecord]:
        """The current rating of each answer (later records supersede earlier ones)."""
        return {record.answer_id: record for record in self.read()}
