"""The command line, run as a user runs it: a real subprocess, real model, real files."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import DEV_QUESTIONS, DONCASTER, ROOT


def run_cli(*args: str, cwd: Path = ROOT, timeout: int = 180) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-m", "retrieval", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


@pytest.fixture(scope="module")
def cli_index(tmp_path_factory, seed_corpus_copy: Path) -> Path:
    index_dir = tmp_path_factory.mktemp("cli") / "index"
    result = run_cli("build", "--corpus", str(seed_corpus_copy), "--index", str(index_dir))
    assert result.returncode == 0, result.stderr
    assert "Indexed 2 documents" in result.stdout
    return index_dir


def test_build_if_stale_does_nothing_on_a_fresh_index(cli_index: Path, seed_corpus_copy: Path):
    result = run_cli("build", "--if-stale", "--corpus", str(seed_corpus_copy), "--index", str(cli_index))
    assert result.returncode == 0 and "up to date" in result.stdout


def test_ask_prints_cited_clauses(cli_index: Path):
    result = run_cli("ask", "What does clause 6.11 of the Doncaster guidance say?", "--index", str(cli_index))
    assert result.returncode == 0, result.stderr
    assert "[1] " in result.stdout and "Doncaster MBC" in result.stdout
    assert "Traceback" not in result.stderr


def test_ask_json_uses_the_remembered_corpus(cli_index: Path):
    result = run_cli(
        "ask", "Can I edit Wikipedia at work?", "--json", "--top-k", "2", "--index", str(cli_index)
    )
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["answered"] and len(data["results"]) == 2
    keys = {"rank", "score", "doc_id", "doc_title", "clause", "reference", "page", "heading_path", "text"}
    assert keys | {"citation"} == set(data["results"][0])


def test_search_batch_writes_one_json_line_per_question(cli_index: Path, tmp_path: Path):
    questions = tmp_path / "q.jsonl"
    lines = [
        {"id": "a", "question": "Can I friend a parent on Facebook?"},
        {"id": "b", "question": "Who is the LADO contact?", "docs": [DONCASTER]},
        {"id": "c", "question": "What time does the canteen open?"},
    ]
    questions.write_text("\n".join(json.dumps(line) for line in lines) + "\n")
    result = run_cli("search", "--questions", str(questions), "--top-k", "3", "--index", str(cli_index))
    assert result.returncode == 0, result.stderr
    out = [json.loads(line) for line in result.stdout.splitlines()]
    assert [o["id"] for o in out] == ["a", "b", "c"]
    assert all(r["doc_id"] == DONCASTER for r in out[1]["results"])
    assert out[0]["answered"] and [r["rank"] for r in out[0]["results"]] == [1, 2, 3]


def test_eval_prints_the_metrics(cli_index: Path):
    result = run_cli("eval", str(DEV_QUESTIONS), "--index", str(cli_index))
    assert result.returncode == 0, result.stderr
    for metric in ("hit@1", "hit@3", "hit@5", "all-gold@5", "MRR@10", "off-topic declined"):
        assert metric in result.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("ask", "   "), "question is empty"),
        (("ask", "photos", "--doc", "nope"), "Unknown document nope"),
        (("ask", "photos", "--top-k", "0"), "top_k must be"),
    ],
)
def test_bad_questions_get_a_message_and_non_zero_exit(cli_index: Path, args, message):
    result = run_cli(*args, "--index", str(cli_index))
    assert result.returncode != 0
    assert message in result.stderr and "Traceback" not in result.stderr


def test_missing_and_empty_corpus_folders(tmp_path: Path):
    missing = run_cli("build", "--corpus", str(tmp_path / "nowhere"), "--index", str(tmp_path / "i"))
    assert (
        missing.returncode != 0 and "does not exist" in missing.stderr and "Traceback" not in missing.stderr
    )
    (tmp_path / "empty").mkdir()
    empty = run_cli("build", "--corpus", str(tmp_path / "empty"), "--index", str(tmp_path / "i"))
    assert empty.returncode != 0 and "has no readable policy documents" in empty.stderr


def test_unreadable_file_is_named(tmp_path: Path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "blank.txt").write_text("")
    result = run_cli("build", "--corpus", str(corpus), "--index", str(tmp_path / "i"))
    assert result.returncode != 0 and "blank.txt" in result.stderr and "Traceback" not in result.stderr


def test_json_output_carries_the_verdict(cli_index: Path, tmp_path: Path):
    asked = run_cli("ask", "Can I edit Wikipedia while I am at work?", "--json", "--index", str(cli_index))
    verdict = json.loads(asked.stdout)["verdict"]
    assert verdict["strength"] == "must_not" and verdict["covered"] is True
    assert verdict["sources"][0] == {"doc_id": DONCASTER, "clause": "6.11"}
    questions = tmp_path / "q.jsonl"
    questions.write_text(
        '{"id": "a", "question": "Who does the Doncaster guidance apply to?"}\n'
        '{"id": "b", "question": "How many days of annual leave am I entitled to?"}\n',
        encoding="utf-8",
    )
    lines = run_cli("search", "--questions", str(questions), "--index", str(cli_index)).stdout.splitlines()
    verdicts = [json.loads(line)["verdict"] for line in lines]
    assert verdicts[0]["strength"] is None and verdicts[0]["covered"] is True
    assert verdicts[1] == {"label": verdicts[1]["label"], "strength": None, "covered": False, "sources": []}
