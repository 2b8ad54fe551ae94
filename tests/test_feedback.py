"""The append-only feedback log: one fsynced line per record, torn lines skipped."""

from __future__ import annotations

import json
import os
import threading
from pathlib import Path
from types import SimpleNamespace

import pytest

from retrieval.views.feedback import FEEDBACK_FILE, FeedbackLog, FeedbackRecord, corpus_version, make_record


def record(
    answer_id: str = "a1", rating: str = "up", question: str = "Can I friend a parent?"
) -> FeedbackRecord:
    return make_record(
        answer_id=answer_id,
        rating=rating,
        question=question,
        clause_ids=["c1", "c2"],
        verdict="No – must not (Doncaster, clause 6.3 [1])",
        corpus_version="abc123",
        now=1_700_000_000.0,
    )


def test_round_trip(tmp_path: Path):
    log = FeedbackLog(tmp_path / "feedback")
    log.append(record())
    log.append(record("a2", "down", "Ünïcode “quotes” \n and a newline"))
    assert log.read() == (record(), record("a2", "down", "Ünïcode “quotes” \n and a newline"))
    lines = log.path.read_bytes().split(b"\n")
    assert len(lines) == 3 and lines[-1] == b""
    assert set(json.loads(lines[0])) == {
        "time", "answer_id", "rating", "question", "clause_ids", "verdict", "corpus_version",
    }  # fmt: skip


def test_each_record_is_one_write_and_one_fsync(tmp_path: Path, monkeypatch):
    calls: list[str] = []
    real_write, real_fsync = os.write, os.fsync
    monkeypatch.setattr(os, "write", lambda fd, data: calls.append("write") or real_write(fd, data))
    monkeypatch.setattr(os, "fsync", lambda fd: calls.append("fsync") or real_fsync(fd))
    FeedbackLog(tmp_path).append(record())
    assert calls == ["write", "fsync"]


def test_torn_last_line_is_skipped_and_the_next_record_survives(tmp_path: Path):
    log = FeedbackLog(tmp_path)
    log.append(record("a1"))
    full = record("a2").to_line()
    with open(log.path, "ab") as f:  # a crash half-way through a write
        f.write(full[: len(full) // 2])
    assert [r.answer_id for r in log.read()] == ["a1"]
    log.append(record("a3"))
    assert [r.answer_id for r in log.read()] == ["a1", "a3"]


def test_foreign_lines_are_skipped(tmp_path: Path):
    log = FeedbackLog(tmp_path)
    log.path.write_bytes(b'{"not": "a record"}\n\xff\xfe\n[1, 2]\n' + record().to_line())
    assert log.read() == (record(),)


def test_missing_file_reads_as_empty(tmp_path: Path):
    assert FeedbackLog(tmp_path / "nowhere").read() == ()


def test_later_rating_supersedes(tmp_path: Path):
    log = FeedbackLog(tmp_path)
    log.append(record("a1", "up"))
    log.append(record("a1", "down"))
    assert log.latest()["a1"].rating == "down" and len(log.read()) == 2


def test_concurrent_appends_never_interleave(tmp_path: Path):
    log = FeedbackLog(tmp_path)
    long_question = "x" * 5000

    def worker(n: int) -> None:
        for i in range(20):
            log.append(record(f"{n}-{i}", question=long_question))

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(log.read()) == 80


@pytest.mark.parametrize("rating", ["meh", "", 1])
def test_bad_rating_is_a_value_error(rating):
    with pytest.raises(ValueError, match="rating"):
        record(rating=rating)


def test_corpus_version_depends_on_content_not_order():
    a = SimpleNamespace(doc_id="a", content_hash="1")
    b = SimpleNamespace(doc_id="b", content_hash="2")
    assert corpus_version([a, b]) == corpus_version([b, a])
    assert corpus_version([a, b]) != corpus_version([a, SimpleNamespace(doc_id="b", content_hash="3")])
    assert len(corpus_version([a])) == 16


def test_file_lives_in_the_configured_folder(tmp_path: Path):
    log = FeedbackLog(tmp_path / "fb")
    log.append(record())
    assert (tmp_path / "fb" / FEEDBACK_FILE).is_file()
