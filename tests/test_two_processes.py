"""Two processes on one corpus and index: a change made by one is answered from in the other.

A second Python process (standing in for a second app) keeps the index open and checks
``library_stamp`` as every app run does; this process uploads a new version and rebuilds, then
retires the policy. The other process must answer from the new clause, then stop citing the
retired policy, and the index must stay loadable throughout.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

from retrieval import IndexLockedError, build_index, library_stamp, open_index
from retrieval.ingest.library import add_document, remove_document

from .conftest import LANCASHIRE, ROOT, SEED_CORPUS

READER = r"""
import sys, time
from pathlib import Path
from retrieval import library_stamp, open_index
index_dir, corpus, question, retired = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3], sys.argv[4]
index = open_index(index_dir, corpus_dir=corpus)
stamp = library_stamp(index_dir, corpus)
print("ready", flush=True)
for expected in ("new", "retired"):
    deadline = time.time() + 120
    while time.time() < deadline:
        if library_stamp(index_dir, corpus) != stamp:
            stamp = library_stamp(index_dir, corpus)
            index = open_index(index_dir, corpus_dir=corpus)
            top = index.search(question, top_k=3).hits
            if expected == "new" and top and "quizbowl" in top[0].clause.text:
                print("new", top[0].clause.doc_id, flush=True)
                break
            if expected == "retired" and all(h.clause.doc_id != retired for h in top):
                print("retired", flush=True)
                break
        time.sleep(0.05)
    else:
        print("timeout", expected, flush=True)
        sys.exit(1)
"""


def rebuild(corpus: Path, index_dir: Path, embedder) -> None:
    """Rebuild as the app's upload does; the other process may be rebuilding the same change: wait."""
    for _ in range(600):
        try:
            build_index(corpus, index_dir, embedder=embedder)
            return
        except IndexLockedError:
            time.sleep(0.1)
    raise AssertionError("the index stayed locked for a minute")


def test_an_upload_and_a_retirement_in_one_process_reach_the_other(tmp_path: Path, embedder) -> None:
    corpus, index_dir = tmp_path / "corpus", tmp_path / "index"
    shutil.copytree(SEED_CORPUS, corpus)
    build_index(corpus, index_dir, embedder=embedder)
    before = library_stamp(index_dir, corpus)
    question = "Do staff have to record quizbowl fixtures in the trips diary?"
    env = {**os.environ, "PYTHONPATH": str(ROOT), "HF_HUB_OFFLINE": "1"}
    reader = subprocess.Popen(
        [sys.executable, "-c", READER, str(index_dir), str(corpus), question, LANCASHIRE],
        env=env,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert reader.stdout is not None
        assert reader.stdout.readline().strip() == "ready"
        live = corpus / f"{LANCASHIRE}.txt"
        text = (
            live.read_text(encoding="utf-8")
            + "\n9. FIXTURES\n\n9.1 Staff must record every quizbowl fixture in the trips diary.\n"
        )
        add_document(corpus, live.name, text.encode(), who="test")
        rebuild(corpus, index_dir, embedder)
        assert library_stamp(index_dir, corpus) != before
        assert reader.stdout.readline().split() == ["new", LANCASHIRE]
        remove_document(corpus, LANCASHIRE, who="test")
        rebuild(corpus, index_dir, embedder)
        assert reader.stdout.readline().strip() == "retired"
        assert reader.wait(timeout=60) == 0
    finally:
        reader.kill()
        reader.wait()
        if reader.stdout is not None:
            reader.stdout.close()
    # Both processes wrote nothing the other could not read: the index opens and answers.
    assert open_index(index_dir, corpus_dir=corpus, embedder=embedder).search("friend a parent").hits


HOLDER = r"""
import sys, time
from pathlib import Path
from retrieval.index.stored import acquire_build_lock
lock = acquire_build_lock(Path(sys.argv[1]))
print("locked", flush=True)
time.sleep(60)
"""


def test_while_another_process_builds_the_live_index_is_still_served(tmp_path: Path, embedder) -> None:
    corpus, index_dir = tmp_path / "corpus", tmp_path / "index"
    shutil.copytree(SEED_CORPUS, corpus)
    build_index(corpus, index_dir, embedder=embedder)
    (corpus / "new-policy.md").write_text("# New policy\n\n1. Staff must sign the visitors' book.\n")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(index_dir)], env=env, stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        # The corpus changed, but the other process holds the build: answer from the live index.
        served = open_index(index_dir, corpus_dir=corpus, embedder=embedder)
        assert "new-policy" not in {d.doc_id for d in served.documents}
        assert served.search("Can I friend a parent on Facebook?").hits
    finally:
        holder.kill()
        holder.wait()
        if holder.stdout is not None:
            holder.stdout.close()
    # Once it is free the change is built.
    assert "new-policy" in {
        d.doc_id for d in open_index(index_dir, corpus_dir=corpus, embedder=embedder).documents
    }
