"""Nothing is ever lost: versions, retire and restore, asking as of a date, the audit log, kills."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from retrieval.ingest.audit import audit_path, read_audit, record_action
from retrieval.ingest.history import histories, history_dir, read_history
from retrieval.ingest.library import add_document
from retrieval.ingest.parsing import content_hash

from .conftest import LANCASHIRE, ROOT
from .test_cli import run_cli

OLD_RULE = b"should not access these sites for personal use during working hours"
NEW_RULE = b"must not access these sites at any time during working hours"


def lancashire_v2(corpus: Path) -> bytes:
    return (corpus / f"{LANCASHIRE}.txt").read_bytes().replace(OLD_RULE, NEW_RULE)


@pytest.fixture
def corpus(tmp_path: Path, seed_corpus_copy: Path) -> Path:
    folder = tmp_path / "corpus"
    subprocess.run(["cp", "-r", str(seed_corpus_copy), str(folder)], check=True)
    return folder


def every_version_is_intact(corpus: Path) -> None:
    for history in histories(corpus):
        for version in history.versions:
            stored = history_dir(corpus, history.doc_id) / version.file_name
            data = stored.read_bytes() if stored.is_file() else (corpus / version.file_name).read_bytes()
            assert content_hash(data) == version.content_hash, (history.doc_id, version.number)


def test_retire_history_restore_gives_back_the_identical_file(corpus: Path, tmp_path: Path) -> None:
    live = corpus / f"{LANCASHIRE}.txt"
    before = live.read_bytes()
    folders = ("--corpus", str(corpus), "--index", str(tmp_path / "index"))
    retired = run_cli("retire", LANCASHIRE, *folders)
    assert retired.returncode == 0, retired.stderr
    assert not live.exists()
    listing = json.loads(run_cli("history", LANCASHIRE, "--json", *folders).stdout)
    assert listing[0]["live"] is None and len(listing[0]["versions"]) == 1
    asked = run_cli("ask", "Can I use Facebook at work?", "--json", *folders)
    assert all(r["doc_id"] != LANCASHIRE for r in json.loads(asked.stdout)["results"])
    restored = run_cli("restore", LANCASHIRE, *folders)
    assert restored.returncode == 0, restored.stderr
    assert live.read_bytes() == before
    assert [(r.action, r.doc_id, r.version, r.client) for r in read_audit(corpus)] == [
        ("retire", LANCASHIRE, 1, "cli"),
        ("restore", LANCASHIRE, 1, "cli"),
    ]


def test_ask_as_of_answers_from_the_version_in_force_then(corpus: Path, tmp_path: Path) -> None:
    add_document(corpus, f"{LANCASHIRE}.txt", lancashire_v2(corpus), who="hr@example.org")
    folders = ("--corpus", str(corpus), "--index", str(tmp_path / "index"))
    question = ("ask", "Can I use Facebook during working hours?", "--top-k", "1", "--json")
    now = json.loads(run_cli(*question, *folders).stdout)
    then = json.loads(run_cli(*question, "--as-of", "2025-03-01", *folders).stdout)
    assert NEW_RULE.decode() in now["results"][0]["text"]
    assert OLD_RULE.decode() in then["results"][0]["text"]
    assert "version 1" in then["as_of"]["versions"][LANCASHIRE]
    history = read_history(corpus, LANCASHIRE)
    assert history is not None
    assert [v.added_by for v in history.versions] == ["(before history)", "hr@example.org"]


def test_bad_as_of_date_is_a_clear_error(corpus: Path, tmp_path: Path) -> None:
    folders = ("--corpus", str(corpus), "--index", str(tmp_path / "i"))
    result = run_cli("ask", "anything", "--as-of", "last tuesday", *folders)
    assert result.returncode != 0 and "2025-03-01" in result.stderr


def test_restore_of_a_missing_version_names_the_versions(corpus: Path, tmp_path: Path) -> None:
    add_document(corpus, f"{LANCASHIRE}.txt", lancashire_v2(corpus))
    folders = ("--corpus", str(corpus), "--index", str(tmp_path / "i"))
    result = run_cli("restore", LANCASHIRE, "--version", "7", *folders)
    assert result.returncode != 0 and "versions are 1, 2" in result.stderr


def test_torn_audit_line_is_skipped_and_later_lines_survive(corpus: Path) -> None:
    record_action(corpus, who="a", action="retire", doc_id="x", version=1)
    with audit_path(corpus).open("ab") as handle:
        handle.write(b'{"when": "2026-01-01", "who": "b", "act')  # killed mid-write
    record_action(corpus, who="c", action="restore", doc_id="x", version=1)
    assert [r.who for r in read_audit(corpus)] == ["a", "c"]


WRITER = """
import sys
from pathlib import Path
from retrieval.ingest.library import add_document, remove_document, restore_document
corpus, doc, mode = Path(sys.argv[1]), sys.argv[2], sys.argv[3]
base = (corpus / '.seed').read_bytes()
for n in range(1000):
    if mode == 'upload':
        add_document(corpus, doc + '.txt', base + f'\\nRevision {n}.\\n'.encode(), who='loop')
    else:
        remove_document(corpus, doc, who='loop')
        restore_document(corpus, doc, who='loop')
    print(n, flush=True)
"""


@pytest.mark.parametrize("mode", ["upload", "retire"])
def test_kill_mid_change_loses_no_version(corpus: Path, tmp_path: Path, mode: str, embedder) -> None:
    (corpus / ".seed").write_bytes((corpus / f"{LANCASHIRE}.txt").read_bytes())
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    for delay in (0.35, 0.6, 0.85, 1.1):
        process = subprocess.Popen(
            [sys.executable, "-c", WRITER, str(corpus), LANCASHIRE, mode], env=env, stdout=subprocess.PIPE
        )
        time.sleep(delay)
        process.send_signal(signal.SIGKILL)
        process.wait()
        assert process.stdout is not None
        process.stdout.close()
        every_version_is_intact(corpus)
        read_audit(corpus)  # readable whatever was torn
    if not (corpus / f"{LANCASHIRE}.txt").exists():  # killed between retire and restore
        run_cli("restore", LANCASHIRE, "--corpus", str(corpus), "--index", str(tmp_path / "index"))
    from retrieval import open_index

    index = open_index(tmp_path / "index", corpus_dir=corpus, embedder=embedder)
    assert index.search("Can I friend a parent on Facebook?").hits
    history = read_history(corpus, LANCASHIRE)
    assert history is not None and len(history.versions) >= 1


def test_citations_name_the_live_version_and_its_date(corpus: Path, tmp_path: Path, embedder) -> None:
    import datetime as dt

    from retrieval import build_index, open_index

    build_index(corpus, tmp_path / "index", embedder=embedder)
    before = open_index(tmp_path / "index", corpus_dir=corpus, embedder=embedder)
    hit = next(
        h
        for h in before.search("access these sites during working hours").hits
        if h.clause.doc_id == LANCASHIRE
    )
    assert "version" not in hit.citation.format()  # never versioned: the document's own date only
    add_document(corpus, f"{LANCASHIRE}.txt", lancashire_v2(corpus), who="hr@school.example")
    after = open_index(tmp_path / "index", corpus_dir=corpus, embedder=embedder)
    hit = next(
        h
        for h in after.search("access these sites during working hours").hits
        if h.clause.doc_id == LANCASHIRE
    )
    assert hit.citation.format().endswith(
        f"June 2024, version 2, added {dt.datetime.now(dt.UTC).date().isoformat()}"
    )
