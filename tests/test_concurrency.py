"""Concurrency: one loaded index shared by many threads, builds racing builds, readers racing builds.

The Streamlit app shares one PolicyIndex across every session, so ``search`` must give each thread
exactly what a lone caller would get. Timings are reported by ``benchmarks/load.py``, not asserted.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from retrieval import Answer, PolicyIndex, RetrievalError, build_index
from retrieval.index.stored import read_stored_index

from .conftest import DEV_QUESTIONS, ROOT
from .test_index import WordLengthEmbedder
from .test_reliability import THIRD_POLICY, add_third_policy, leftovers, paths

THREADS = 32
SECONDS = 8.0
OFF_TOPIC = ["How many weeks of maternity leave do I get?", "What time does the canteen open?", "🍕🍕🍕"]
REFERENCES = ["What does clause 6.11 say?", "4.1(iv)", "clause 99.9", "section 3 of the Doncaster guidance"]


def mixed_questions() -> list[str]:
    """Dev questions, off-topic questions and clause references, as the app sees them."""
    lines = DEV_QUESTIONS.read_text(encoding="utf-8").splitlines()
    return [json.loads(line)["question"] for line in lines if line.strip()] + OFF_TOPIC + REFERENCES


def summary(answer: Answer) -> tuple[object, ...]:
    return (
        answer.answered,
        answer.message,
        tuple((hit.clause.clause_id, hit.rank, hit.matched_by, hit.highlight) for hit in answer.hits),
    )


def test_32_threads_get_exactly_the_serial_answers(seed_index: PolicyIndex):
    questions = mixed_questions()
    serial = {q: seed_index.search(q) for q in questions}
    asked: Counter[str] = Counter()
    failures: list[str] = []
    lock = threading.Lock()
    deadline = time.monotonic() + SECONDS

    def user(number: int) -> None:
        turn = number
        while time.monotonic() < deadline:
            question = questions[turn % len(questions)]
            turn += 7  # each thread walks the questions in its own order
            try:
                answer = seed_index.search(question)
            except Exception as exc:  # any exception at all is a failure here
                with lock:
                    failures.append(f"{question!r}: {exc!r}")
                continue
            expected = serial[question]
            same = summary(answer) == summary(expected) and [h.score for h in answer.hits] == pytest.approx(
                [h.score for h in expected.hits], abs=1e-5
            )
            with lock:
                asked[question] += 1
                if not same:
                    failures.append(f"{question!r}: {summary(answer)} != {summary(expected)}")

    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        list(pool.map(user, range(THREADS)))
    assert failures == []
    assert sum(asked.values()) >= THREADS


def test_two_builds_started_at_once_leave_a_valid_index(
    tmp_path: Path, seed_corpus_copy: Path, seed_index_dir: Path, embedder
):
    shutil.copytree(seed_corpus_copy, tmp_path / "corpus")
    shutil.copytree(seed_index_dir, tmp_path / "index")
    add_third_policy(tmp_path / "corpus")
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "PYTHONPATH": str(ROOT)}
    command = [sys.executable, "-m", "retrieval", "build", *paths(tmp_path)]
    builds = [
        subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for _ in range(2)
    ]
    results = [(build.wait(timeout=300), *build.communicate()) for build in builds]
    for code, out, err in results:
        assert "Traceback" not in err
        if code != 0:
            assert code == 1 and err.strip().splitlines()[-1].startswith("error: Another build of")
        else:
            assert "Indexed 3 documents" in out
    assert any(code == 0 for code, _, _ in results)
    index = PolicyIndex.load(tmp_path / "index", embedder=embedder)
    assert THIRD_POLICY.removesuffix(".txt") in {d.doc_id for d in index.documents}
    assert index.search("Can I friend a parent on Facebook?").answered
    assert leftovers(tmp_path / "index") == []


def test_readers_never_see_a_half_swapped_index(tmp_path: Path, seed_corpus_copy: Path):
    """Loading while another build swaps the pointer and deletes the old build must still work."""
    shutil.copytree(seed_corpus_copy, tmp_path / "corpus")
    fake = WordLengthEmbedder()
    build_index(tmp_path / "corpus", tmp_path / "index", embedder=fake)
    stop = threading.Event()
    failures: list[str] = []
    loads = builds = 0

    def reader() -> None:
        nonlocal loads
        while not stop.is_set():
            try:
                read_stored_index(tmp_path / "index")
                loads += 1
            except RetrievalError as exc:
                failures.append(repr(exc))

    threads = [threading.Thread(target=reader) for _ in range(3)]
    for thread in threads:
        thread.start()
    try:
        deadline = time.monotonic() + 4.0
        while time.monotonic() < deadline:
            # A changed corpus each time, so every build swaps in a new folder and removes the old one.
            (tmp_path / "corpus" / "extra.txt").write_text(f"# 1 RULES\n\n1.1 Rule number {builds}.\n")
            build_index(tmp_path / "corpus", tmp_path / "index", embedder=fake)
            builds += 1
    finally:
        stop.set()
        for thread in threads:
            thread.join()
    assert builds > 3 and loads > 3
    assert failures == []
