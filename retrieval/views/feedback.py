"""An append-only JSONL log of thumbs up/down on answers, written so a crash loses at most one line.

Each record is one JSON line written by a single ``os.write`` on an ``O_APPEND`` descriptor and
then ``fsync``ed, so concurrent sessions never interleave inside a line and a completed ``append``
survives a power cut. A crash mid-write can leave a torn last line; the reader skips it and the
next append starts on a fresh line. No user names are stored: only the question, what was shown
and when.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import time
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Literal, Protocol

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

    def to_line(self) -> bytes:
        data = asdict(self)
        data["clause_ids"] = list(self.clause_ids)
        return (json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8")

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
        """Write one record durably: one ``os.write`` of one line, then ``fsync``."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        line = record.to_line()
        fd = os.open(self.path, os.O_RDWR | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            size = os.fstat(fd).st_size
            # A crash may have left a torn line without its newline; start ours on a line of its own
            # so the torn fragment cannot swallow this record.
            if size and os.pread(fd, 1, size - 1) != b"\n":
                line = b"\n" + line
            written = os.write(fd, line)
            if written != len(line):
                raise OSError(f"short write to {self.path}: {written} of {len(line)} bytes")
            os.fsync(fd)
        finally:
            os.close(fd)

    def read(self) -> tuple[FeedbackRecord, ...]:
        """Every complete record in order; torn or foreign lines are skipped with a warning."""
        try:
            raw = self.path.read_bytes()
        except FileNotFoundError:
            return ()
        records: list[FeedbackRecord] = []
        for number, line in enumerate(raw.split(b"\n"), start=1):
            if not line.strip():
                continue
            try:
                records.append(FeedbackRecord.from_json(json.loads(line.decode("utf-8"))))
            except (ValueError, UnicodeDecodeError, TypeError) as exc:
                log.warning("skipping unreadable feedback line %d in %s: %s", number, self.path, exc)
        return tuple(records)

    def latest(self) -> dict[str, FeedbackRecord]:
        """The current rating of each answer (later records supersede earlier ones)."""
        return {record.answer_id: record for record in self.read()}
