"""Reliability: hostile questions, damaged or half-written indexes, killed builds, unwritable folders.

Property tests (hypothesis) run the real model over the seed index; tests about files and
bookkeeping use the obviously fake ``WordLengthEmbedder`` so each rebuild takes a fraction of a second.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import random
import shutil
import signal
import string
import subprocess
import sys
import time
import unicodedata
from collections.abc import Iterator
from pathlib import Path

import faiss
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import retrieval.models.default
from retrieval import (
    Answer,
    EmptyQuestionError,
    IndexMismatchError,
    IndexNotBuiltError,
    PolicyIndex,
    RetrievalError,
    build_index,
    open_index,
)
from retrieval.answering.question import MAX_QUESTION_CHARS
from retrieval.cli import main
from retrieval.index.stored import POINTER_NAME, read_stored_index

from .conftest import DONCASTER, LANCASHIRE, ROOT
from .test_cli import run_cli
from .test_index import WordLengthEmbedder

PROPERTY = settings(
    max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
)
FIX = "python -m retrieval build"

# ---------------------------------------------------------------------------------------------
# Hostile questions
# ---------------------------------------------------------------------------------------------

INJECTIONS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "[click me](javascript:alert(1)) **bold** # heading\n```\ncode\n```",
    "'; DROP TABLE clauses; --",
    "1' OR '1'='1",
    '" UNION SELECT password FROM users --',
    "{{7*7}} ${7*7} %s %n %x",
    "../../../../etc/passwd",
    "\\x00\\n\\u202e",
]
RIGHT_TO_LEFT = [
    "هل يمكنني إضافة أحد الوالدين على فيسبوك؟",
    "האם מותר לי לצלם תלמידים?",
    "\u202eCan I friend a parent?\u202c",
    "\u200f?\u200f \u061c",
]
EMOJI = ["📱🤳👩‍🏫", "🏳️‍🌈" * 20, "Can I post 📸 of pupils? 🤔", "👍🏽" * 300]
MISSING_CLAUSES = st.one_of(
    st.builds("clause {}.{}".format, st.integers(30, 9999), st.integers(0, 99)),
    st.builds("section {}".format, st.integers(30, 10**9)),
    st.builds("What does clause {}.{}(xiv) say?".format, st.integers(30, 999), st.integers(1, 99)),
    st.builds("Appendix {}".format, st.integers(50, 999)),
)
CONTROL_AND_SPACE = st.text(
    alphabet=st.characters(categories=["Cc", "Cf", "Cs", "Co", "Zs", "Zl", "Zp"]), max_size=60
)
PUNCTUATION = st.text(alphabet=string.punctuation + "¿¡…—–«»·•§¶†‡", min_size=1, max_size=80)
FRAGMENTS = st.one_of(
    st.text(max_size=200),
    st.sampled_from(INJECTIONS + RIGHT_TO_LEFT + EMOJI),
    st.sampled_from(["Can I friend a parent on Facebook?", "photos of pupils", "6.11", "4.1(iv)"]),
    MISSING_CLAUSES,
    CONTROL_AND_SPACE,
    PUNCTUATION,
)
HUGE = st.builds(
    lambda seed: (seed * (100_000 // max(1, len(seed)) + 1))[:100_000], st.text(min_size=1, max_size=30)
)
QUESTIONS = st.one_of(
    st.lists(FRAGMENTS, min_size=1, max_size=4).map(" ".join),
    CONTROL_AND_SPACE,
    PUNCTUATION,
    MISSING_CLAUSES,
    HUGE,
)


def cleaned_length(question: str) -> int:
    """Length of the question once control characters are dropped and whitespace folded."""
    kept = "".join(" " if unicodedata.category(ch)[0] == "C" else ch for ch in question)
    return len(" ".join(kept.split()))


def check_answer(question: str, answer: Answer, index: PolicyIndex) -> None:
    """What every answer must satisfy, whatever was asked."""
    assert isinstance(answer, Answer)
    assert len(answer.question) <= MAX_QUESTION_CHARS
    # What is echoed back holds no control characters (nothing for a terminal to interpret).
    assert not any(unicodedata.category(ch)[0] == "C" for ch in answer.question)
    truncated = any("longer than" in notice for notice in answer.notices)
    assert truncated == (cleaned_length(question) > MAX_QUESTION_CHARS)
    if answer.answered:
        assert answer.hits and all(hit.clause in index.clauses for hit in answer.hits)
        assert [hit.rank for hit in answer.hits] == list(range(1, len(answer.hits) + 1))
    else:
        assert not answer.hits and answer.message


@PROPERTY
@given(question=QUESTIONS)
def test_search_answers_any_question_or_says_it_is_empty(seed_index: PolicyIndex, question: str):
    try:
        answer = seed_index.search(question, top_k=3)
    except EmptyQuestionError:
        assert cleaned_length(question) == 0
        return
    check_answer(question, answer, seed_index)


def test_a_100000_character_question_is_truncated_with_a_notice(seed_index: PolicyIndex):
    question = ("Can I friend a parent on Facebook? " * 3000)[:100_000]
    answer = seed_index.search(question)
    assert len(answer.question) <= MAX_QUESTION_CHARS
    assert answer.notices == (
        f"Your question was longer than {MAX_QUESTION_CHARS} characters; only the start was used.",
    )
    assert answer.answered


@pytest.mark.parametrize("question", ["clause 97.3", "What does section 412 say?", "4.1(xcix)"])
def test_a_clause_number_that_does_not_exist_is_named_in_the_reply(seed_index: PolicyIndex, question: str):
    answer = seed_index.search(question)
    assert not answer.answered and not answer.hits
    assert "There is no clause" in answer.message or "do not cover" in answer.message


# --- the CLI, in-process ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def shared_model(embedder) -> Iterator[None]:
    """Let the CLI's default embedder be the session's model, so the model is loaded once."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(retrieval.models.default, "_default_embedder", embedder)
        yield


@pytest.fixture(scope="module")
def cli_index(tmp_path_factory, seed_corpus_copy: Path, seed_index_dir: Path, shared_model) -> Path:
    """A private copy of the seed index, so nothing here can disturb the session's index."""
    root = tmp_path_factory.mktemp("reliability-cli")
    shutil.copytree(seed_corpus_copy, root / "corpus")
    shutil.copytree(seed_index_dir, root / "index")
    return root


def run_main(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(list(argv))
        except SystemExit as exc:  # argparse usage errors
            code = exc.code if isinstance(exc.code, int) else 1
    return code, out.getvalue(), err.getvalue()


def assert_one_line_error(code: int, err: str) -> None:
    assert code != 0
    assert "Traceback" not in err
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: "), err


def paths(root: Path) -> list[str]:
    return ["--corpus", str(root / "corpus"), "--index", str(root / "index")]


@PROPERTY
@given(question=QUESTIONS, as_json=st.booleans())
def test_cli_ask_prints_an_answer_or_one_line_error(cli_index: Path, question: str, as_json: bool):
    code, out, err = run_main("ask", *paths(cli_index), *(["--json"] if as_json else []), "--", question)
    if cleaned_length(question) == 0:
        assert_one_line_error(code, err)
        assert "question is empty" in err
        return
    assert code == 0, err
    assert "Traceback" not in err
    if as_json:
        data = json.loads(out)
        assert set(data) >= {"answered", "results"}
        assert ("notices" in data) == (cleaned_length(question) > MAX_QUESTION_CHARS)
    else:
        assert out.startswith("Q: ")
        assert ("Note: Your question was longer" in out) == (cleaned_length(question) > MAX_QUESTION_CHARS)


RECORDS = st.lists(
    st.fixed_dictionaries(
        {"id": st.one_of(st.text(max_size=20), st.integers()), "question": QUESTIONS},
        optional={"docs": st.lists(st.sampled_from([DONCASTER, LANCASHIRE, "no-such-doc"]), max_size=2)},
    ),
    min_size=1,
    max_size=4,
)


@settings(PROPERTY, max_examples=10)
@given(records=RECORDS)
def test_cli_search_writes_one_json_line_per_question(cli_index: Path, records: list[dict[str, object]]):
    questions = cli_index / "questions.jsonl"
    questions.write_text("\n".join(json.dumps(record) for record in records) + "\n", encoding="utf-8")
    code, out, err = run_main("search", *paths(cli_index), "--questions", str(questions))
    assert code == 0, err
    lines = out.split("\n")[:-1]  # JSONL is split on "\n" only
    results = [json.loads(line) for line in lines]
    assert [r["id"] for r in results] == [str(record["id"]) for record in records]
    for record, result in zip(records, results, strict=True):
        bad = cleaned_length(str(record["question"])) == 0 or "no-such-doc" in record.get("docs", [])
        assert ("error" in result) == bad
        assert result["answered"] == bool(result["results"])


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"not json\n", "Line 1"),
        (b'{"id": 1, "question": "ok"}\n[1, 2]\n', "Line 2"),
        (b'{"id": 1}\n', "needs a 'question' field"),
        (b'{"question": "caf\xe9"}\n', "can't decode"),
    ],
)
def test_cli_search_rejects_a_bad_questions_file_in_one_line(cli_index: Path, content: bytes, message: str):
    questions = cli_index / "bad.jsonl"
    questions.write_bytes(content)
    code, out, err = run_main("search", *paths(cli_index), "--questions", str(questions))
    assert_one_line_error(code, err)
    assert message in err and out == ""


def test_cli_search_names_a_missing_or_unreadable_questions_file(cli_index: Path):
    for path in (cli_index / "nowhere.jsonl", cli_index):
        code, _, err = run_main("search", *paths(cli_index), "--questions", str(path))
        assert_one_line_error(code, err)
        assert "Cannot read the questions file" in err


def test_a_question_that_looks_like_an_option_is_a_usage_error_not_a_traceback(cli_index: Path):
    code, _, err = run_main("ask", *paths(cli_index), "-leave")
    assert code == 2 and "Traceback" not in err and "error:" in err
    code, out, err = run_main("ask", *paths(cli_index), "--", "-leave")
    assert code == 0 and out.startswith("Q: -leave"), err


# --- the CLI, as a real process ---------------------------------------------------------------


def test_cli_process_survives_a_huge_hostile_question(cli_index: Path):
    # Linux caps one argument at 128 KiB, so the 100,000 characters are mostly ASCII.
    ascii_hostile = " ".join(INJECTIONS) + " \x1b[31m\x07 "
    head = " ".join(RIGHT_TO_LEFT + EMOJI[:3]) + " "
    question = (head + ascii_hostile * (100_000 // len(ascii_hostile) + 1))[:100_000]
    assert len(question.encode()) < 128 * 1024
    result = run_cli("ask", *paths(cli_index), "--json", "--", question)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    data = json.loads(result.stdout)
    assert data["notices"] == [
        f"Your question was longer than {MAX_QUESTION_CHARS} characters; only the start was used."
    ]
    assert "\x1b" not in result.stdout and "\x07" not in result.stdout


def test_cli_process_batch_of_hostile_questions(cli_index: Path, tmp_path: Path):
    questions = tmp_path / "hostile.jsonl"
    hostile = INJECTIONS[:4] + RIGHT_TO_LEFT[:2] + EMOJI[:2]
    records = [{"id": str(n), "question": q} for n, q in enumerate(hostile)]
    records += [{"id": "empty", "question": " \t\u200b "}, {"id": "gone", "question": "clause 77.7"}]
    questions.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in records), encoding="utf-8")
    result = run_cli("search", *paths(cli_index), "--questions", str(questions))
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
    out = [json.loads(line) for line in result.stdout.split("\n") if line]
    assert [o["id"] for o in out] == [r["id"] for r in records]
    assert "question is empty" in out[-2]["error"]
    assert not out[-1]["answered"] and "no clause 77.7" in out[-1]["message"]


# --- output safety: corpus text printed as-is, JSON escaped -----------------------------------

# What survives parsing (tags and emphasis are stripped when policies are read) must reach the
# terminal unchanged, and JSON must escape it.
HOSTILE_POLICY = """Hostile Test Policy

1. MARKUP

1.1 Never paste &lt;script&gt;alert(1)&lt;/script&gt;, javascript:alert(1), {{7*7}} or %s where a < b > c.
1.2 Quotes "double" and 'single', a path C:\\temp\\new and &amp; must print unchanged.
"""


def test_cli_prints_corpus_text_as_is_and_json_escapes_it(tmp_path: Path, embedder, shared_model):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "hostile.txt").write_text(HOSTILE_POLICY, encoding="utf-8")
    build_index(corpus, tmp_path / "index", embedder=embedder)
    stored = {c.number: c.full_text for c in read_stored_index(tmp_path / "index").clauses}
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in stored["1.1"] and "a < b > c" in stored["1.1"]
    code, out, err = run_main("ask", *paths(tmp_path), "--", "What does clause 1.1 say?")
    assert code == 0, err
    assert " ".join(stored["1.1"].split()) in " ".join(out.split())
    code, out, err = run_main("ask", *paths(tmp_path), "--json", "--", "What does clause 1.2 say?")
    assert code == 0, err
    assert json.loads(out)["results"][0]["text"] == stored["1.2"]
    assert '\\"double\\"' in out and "C:\\\\temp" in out


# ---------------------------------------------------------------------------------------------
# Damaged indexes
# ---------------------------------------------------------------------------------------------


@pytest.fixture()
def fake_model() -> Iterator[WordLengthEmbedder]:
    """The CLI's default embedder replaced by the fake, for tests about files only."""
    fake = WordLengthEmbedder()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(retrieval.models.default, "_default_embedder", fake)
        yield fake


@pytest.fixture()
def workspace(tmp_path: Path, seed_corpus_copy: Path) -> Path:
    shutil.copytree(seed_corpus_copy, tmp_path / "corpus")
    return tmp_path


def other_model_vectors(build: Path) -> None:
    """Replace the vectors with ones from a model of another dimension (same count)."""
    count = faiss.read_index(str(build / "vectors.faiss")).ntotal
    other = faiss.IndexFlatIP(8)
    other.add(np.ones((count, 8), dtype=np.float32))
    faiss.write_index(other, str(build / "vectors.faiss"))


def truncate(path: Path, size: int) -> None:
    path.write_bytes(path.read_bytes()[:size])


def edit_manifest(build: Path, **changes: object) -> None:
    manifest = json.loads((build / "manifest.json").read_text())
    (build / "manifest.json").write_text(json.dumps({**manifest, **changes}))


DAMAGE = {
    "vectors-truncated": lambda b: (b / "vectors.faiss").write_bytes(
        (b / "vectors.faiss").read_bytes()[:200]
    ),
    "vectors-empty": lambda b: (b / "vectors.faiss").write_bytes(b""),
    "vectors-deleted": lambda b: (b / "vectors.faiss").unlink(),
    "vectors-other-model": other_model_vectors,
    "clauses-truncated": lambda b: (b / "clauses.jsonl").write_bytes(
        (b / "clauses.jsonl").read_bytes()[:999]
    ),
    "clauses-deleted": lambda b: (b / "clauses.jsonl").unlink(),
    "manifest-deleted": lambda b: (b / "manifest.json").unlink(),
    "manifest-truncated": lambda b: (b / "manifest.json").write_text((b / "manifest.json").read_text()[:50]),
    "manifest-dimension": lambda b: edit_manifest(b, dimension=384),
    "manifest-count": lambda b: edit_manifest(b, clause_count=3),
    "manifest-format": lambda b: edit_manifest(b, format_version=99),
    "manifest-not-an-object": lambda b: (b / "manifest.json").write_text("[1, 2, 3]"),
    "manifest-model": lambda b: edit_manifest(b, model_id="someone/else"),
    "pointer-empty": lambda b: (b.parent / POINTER_NAME).write_text(""),
    "pointer-deleted": lambda b: (b.parent / POINTER_NAME).unlink(),
    "build-deleted": lambda b: shutil.rmtree(b),
}


@pytest.mark.parametrize("damage", sorted(DAMAGE))
def test_damaged_index_says_what_to_run_and_the_cli_recovers(workspace: Path, fake_model, damage: str):
    report = build_index(workspace / "corpus", workspace / "index", embedder=fake_model)
    DAMAGE[damage](report.index_path)
    with pytest.raises((IndexMismatchError, IndexNotBuiltError), match=FIX):
        PolicyIndex.load(workspace / "index", embedder=fake_model)
    with pytest.raises((IndexMismatchError, IndexNotBuiltError), match=FIX):
        open_index(workspace / "index", corpus_dir=workspace / "corpus", embedder=fake_model, rebuild=False)
    code, out, err = run_main("ask", *paths(workspace), "--", "What does clause 6.11 say?")
    assert code == 0, err
    assert "Traceback" not in err and out.startswith("Q: ")
    assert len(read_stored_index(workspace / "index").clauses) == report.clauses


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=10),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
    max_leaves=6,
)
MANIFEST_FIELDS = [
    "format_version",
    "model_id",
    "dimension",
    "clause_count",
    "parser_version",
    "corpus_dir",
    "built_at",
    "build_seconds",
    "documents",
    "skipped",
]


@pytest.fixture(scope="module")
def fake_index_template(tmp_path_factory, seed_corpus_copy: Path) -> Path:
    root = tmp_path_factory.mktemp("fake-template")
    shutil.copytree(seed_corpus_copy, root / "corpus")
    build_index(root / "corpus", root / "index", embedder=WordLengthEmbedder())
    return root


@settings(PROPERTY, max_examples=30)
@given(edits=st.dictionaries(st.sampled_from(MANIFEST_FIELDS + ["surprise"]), JSON_VALUES, min_size=1))
def test_any_manifest_edit_is_refused_cleanly_or_harmless(
    fake_index_template: Path, tmp_path_factory, edits: dict[str, object]
):
    root = tmp_path_factory.mktemp("manifest-edit")
    shutil.copytree(fake_index_template / "index", root / "index")
    fake = WordLengthEmbedder()
    edit_manifest(read_stored_index(root / "index").path, **edits)
    try:
        PolicyIndex.load(root / "index", embedder=fake)
    except (IndexMismatchError, IndexNotBuiltError) as exc:
        assert FIX in str(exc)
    # Whatever was written, opening the index either repairs it or explains why not.
    index = open_index(root / "index", corpus_dir=fake_index_template / "corpus", embedder=fake)
    assert index.search("What does clause 6.11 say?").answered


# ---------------------------------------------------------------------------------------------
# Killed builds
# ---------------------------------------------------------------------------------------------

THIRD_POLICY = "testshire-social-media-policy.txt"


def add_third_policy(corpus: Path) -> None:
    """A new policy (a reworded copy of Lancashire's) so the next build has real embedding to do."""
    text = (corpus / f"{LANCASHIRE}.txt").read_text(encoding="utf-8")
    (corpus / THIRD_POLICY).write_text(text.replace("LANCASHIRE", "TESTSHIRE"), encoding="utf-8")


def live_build(index_dir: Path) -> str:
    return (index_dir / POINTER_NAME).read_text().strip()


def leftovers(index_dir: Path) -> list[str]:
    """Anything in the index folder besides the live build, its pointer and the lock file."""
    keep = {live_build(index_dir), POINTER_NAME, ".lock"}
    return sorted(p.name for p in index_dir.iterdir() if p.name not in keep)


def test_a_build_killed_at_random_points_never_replaces_the_good_index(
    tmp_path: Path, seed_corpus_copy: Path, seed_index_dir: Path, embedder
):
    shutil.copytree(seed_corpus_copy, tmp_path / "corpus")
    shutil.copytree(seed_index_dir, tmp_path / "index")
    add_third_policy(tmp_path / "corpus")
    index_dir, good = tmp_path / "index", live_build(tmp_path / "index")
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "PYTHONPATH": str(ROOT)}
    command = [sys.executable, "-m", "retrieval", "build"]
    # Kill points are fractions of how long the same build takes on this machine, so that a fast
    # machine is not let off by a build that finishes before a fixed delay.
    shutil.copytree(tmp_path / "corpus", tmp_path / "timing" / "corpus")
    shutil.copytree(seed_index_dir, tmp_path / "timing" / "index")
    started = time.perf_counter()
    subprocess.run([*command, *paths(tmp_path / "timing")], env=env, capture_output=True, check=True)
    build_seconds = time.perf_counter() - started
    rng = random.Random()
    fractions = [rng.uniform(low, high) for low, high in ((0.1, 0.4), (0.4, 0.7), (0.7, 0.95))]
    delays = [round(build_seconds * fraction, 2) for fraction in fractions]
    killed = 0
    for delay in delays:
        process = subprocess.Popen(
            [*command, *paths(tmp_path)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        time.sleep(delay)
        if process.poll() is not None:
            # It finished before the kill; it must have succeeded, and the final build still has to work.
            _, err = process.communicate()  # always read and close the pipe, or it leaks
            assert process.returncode == 0, err
            break
        process.send_signal(signal.SIGKILL)
        process.communicate()
        killed += 1
        live = PolicyIndex.load(index_dir, embedder=embedder)
        if live_build(index_dir) != good:
            # The kill landed after the swap, while the process was exiting: the new build is whole.
            assert "testshire-social-media-policy" in {d.doc_id for d in live.documents}, f"after {delay} s"
        answer = live.search("Can I friend a parent on Facebook?")
        assert answer.answered, f"killed after {delay} s"
    assert killed, f"no build was killed (delays {delays}, whole build {build_seconds:.2f} s)"
    result = run_cli("build", *paths(tmp_path))
    assert result.returncode == 0, result.stderr
    assert "Indexed 3 documents" in result.stdout
    assert leftovers(index_dir) == [], "a killed build's folders were not cleaned up"
    index = PolicyIndex.load(index_dir, embedder=embedder)
    assert "testshire-social-media-policy" in {d.doc_id for d in index.documents}


# Runs build_index with the fake model and SIGKILLs itself at the n-th file-system step of the write
# (fsync, rename, unlink, rmdir), so every step of the atomic swap is interrupted once.
KILL_DRIVER = """
import os, signal, sys
from retrieval import build_index
from tests.test_index import WordLengthEmbedder

kill_at, calls = int(sys.argv[3]), [0]

def tripwire(real):
    def step(*args, **kwargs):
        calls[0] += 1
        if calls[0] == kill_at:
            os.kill(os.getpid(), signal.SIGKILL)
        return real(*args, **kwargs)
    return step

for name in ("fsync", "replace", "rename", "unlink", "rmdir"):
    setattr(os, name, tripwire(getattr(os, name)))
build_index(sys.argv[1], sys.argv[2], embedder=WordLengthEmbedder())
print(calls[0])
"""


def test_a_build_killed_at_every_step_of_the_swap_leaves_a_loadable_index(
    tmp_path: Path, fake_index_template: Path
):
    template = tmp_path / "template"
    shutil.copytree(fake_index_template, template)
    add_third_policy(template / "corpus")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}

    def start(root: Path, kill_at: int) -> subprocess.Popen[str]:
        shutil.copytree(template, root)
        command = [sys.executable, "-c", KILL_DRIVER, str(root / "corpus"), str(root / "index"), str(kill_at)]
        return subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)

    whole = start(tmp_path / "whole", 0)
    out, err = whole.communicate(timeout=120)
    assert whole.returncode == 0, err
    steps = int(out.strip())
    assert steps >= 7  # 3 file fsyncs, the folder rename, the pointer's fsync and rename, old-build removal
    good = live_build(template / "index")
    fake = WordLengthEmbedder()
    for first in range(1, steps + 1, 4):
        runs = {n: start(tmp_path / f"kill-{n}", n) for n in range(first, min(first + 4, steps + 1))}
        outputs = {n: process.communicate(timeout=120) for n, process in runs.items()}
        for n, process in runs.items():
            assert process.returncode == -signal.SIGKILL, f"step {n} did not kill the build: {outputs[n]}"
            index_dir = tmp_path / f"kill-{n}" / "index"
            # Either the old build is still live, or the new one is, complete.
            documents = {d.doc_id for d in PolicyIndex.load(index_dir, embedder=fake).documents}
            old = live_build(index_dir) == good
            expected = {DONCASTER, LANCASHIRE} | (set() if old else {"testshire-social-media-policy"})
            assert documents == expected, f"killed at step {n}"
            build_index(tmp_path / f"kill-{n}" / "corpus", index_dir, embedder=fake)
            assert leftovers(index_dir) == [], f"killed at step {n}: leftovers not cleaned"


# ---------------------------------------------------------------------------------------------
# Folders that cannot be written or read
# ---------------------------------------------------------------------------------------------

# Root ignores file permissions, so chmod cannot make a folder unwritable for root. There the
# same failure is produced another way: the index path is an ordinary file, so mkdir fails.
IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0


@pytest.mark.parametrize("command", ["build", "ask"])
def test_an_index_path_that_cannot_be_created_gives_a_clear_message(workspace: Path, fake_model, command):
    (workspace / "index").write_text("not a folder")
    question = ["--", "photos of pupils"] if command == "ask" else []
    code, _, err = run_main(command, *paths(workspace), *question)
    assert_one_line_error(code, err)
    assert "Cannot write the index" in err and str(workspace / "index") in err


@pytest.mark.skipif(IS_ROOT, reason="root ignores file permissions; see the index-path-is-a-file test")
def test_a_read_only_index_folder_gives_a_clear_message(workspace: Path, fake_model):
    build_index(workspace / "corpus", workspace / "index", embedder=fake_model)
    add_third_policy(workspace / "corpus")  # stale, so opening it must write
    os.chmod(workspace / "index", 0o555)
    try:
        code, _, err = run_main("ask", *paths(workspace), "--", "photos of pupils")
    finally:
        os.chmod(workspace / "index", 0o755)
    assert_one_line_error(code, err)
    assert "Cannot write the index" in err


def test_a_fresh_index_is_opened_without_writing_anything(workspace: Path, fake_model):
    """So a read-only index folder serves questions as long as it is up to date."""
    build_index(workspace / "corpus", workspace / "index", embedder=fake_model)

    def snapshot() -> dict[str, float]:
        return {str(p): p.stat().st_mtime_ns for p in sorted((workspace / "index").rglob("*"))}

    before = snapshot()
    code, out, err = run_main("ask", *paths(workspace), "--", "photos of pupils")
    assert code == 0, err
    assert snapshot() == before


def test_an_unreadable_policy_folder_gives_a_clear_message(workspace: Path, fake_model, monkeypatch):
    if IS_ROOT:
        # Root can read anything; make listing the folder fail the way it does for other users.
        real_iterdir = Path.iterdir

        def refuse(self: Path) -> Iterator[Path]:
            if self == workspace / "corpus":
                raise PermissionError(13, "Permission denied", str(self))
            return real_iterdir(self)

        monkeypatch.setattr(Path, "iterdir", refuse)
    else:
        os.chmod(workspace / "corpus", 0o000)
    try:
        code, _, err = run_main("build", *paths(workspace))
    finally:
        os.chmod(workspace / "corpus", 0o755)
    assert_one_line_error(code, err)
    assert "Cannot read the policy folder" in err and "Permission denied" in err


def test_a_read_only_policy_folder_is_never_written(workspace: Path, fake_model):
    corpus = workspace / "corpus"
    for path in [*corpus.iterdir(), corpus]:
        os.chmod(path, 0o555 if path.is_dir() else 0o444)
    try:
        before = {p.name: p.stat().st_mtime_ns for p in corpus.iterdir()}
        code, _, err = run_main("build", *paths(workspace))
        assert code == 0, err
        assert {p.name: p.stat().st_mtime_ns for p in corpus.iterdir()} == before
    finally:
        os.chmod(corpus, 0o755)


# ---------------------------------------------------------------------------------------------
# A policy file disappears while the index is in use
# ---------------------------------------------------------------------------------------------


def test_a_policy_deleted_while_loaded_still_answers_and_the_next_open_rebuilds(
    tmp_path: Path, seed_corpus_copy: Path, seed_index_dir: Path, embedder
):
    shutil.copytree(seed_corpus_copy, tmp_path / "corpus")
    shutil.copytree(seed_index_dir, tmp_path / "index")
    loaded = open_index(tmp_path / "index", corpus_dir=tmp_path / "corpus", embedder=embedder)
    (tmp_path / "corpus" / f"{LANCASHIRE}.txt").unlink()
    answer = loaded.search("Can I edit Wikipedia at work?", docs=[LANCASHIRE])
    assert answer.answered and answer.hits[0].clause.doc_id == LANCASHIRE
    reopened = open_index(tmp_path / "index", corpus_dir=tmp_path / "corpus", embedder=embedder)
    assert {d.doc_id for d in reopened.documents} == {DONCASTER}
    assert reopened.search("Who is the LADO contact?").answered
    for path in (tmp_path / "corpus").iterdir():
        path.unlink()
    with pytest.raises(RetrievalError, match="no readable policy documents"):
        open_index(tmp_path / "index", corpus_dir=tmp_path / "corpus", embedder=embedder)
