"""The real app in a real browser: `streamlit run app.py` driven by Playwright with the system Chromium."""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from .conftest import ROOT

CHROMIUM = Path("/usr/bin/chromium")
OUTPUT = ROOT / "test-output"
SCREENSHOT_FOR_README = ROOT / "docs" / "screenshot.png"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
STARTUP_SECONDS = 60
# Generous: the first answer includes loading the model, and CI machines are slow.
ANSWER_MS = 120_000
XSS_IMG = "<img src=x onerror=alert(1)>"
XSS_SCRIPT = "<script>alert(1)</script>"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not CHROMIUM.exists(),
        reason="system Chromium not found at /usr/bin/chromium (apt-get install chromium; .ci/run does this)",
    ),
]


@dataclass(frozen=True)
class Server:
    url: str
    log: Path


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_healthy(url: str, proc: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"streamlit exited with {proc.returncode}:\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.read().strip() == b"ok":
                    return
        except OSError:
            pass
        time.sleep(0.25)
    pytest.fail(f"streamlit did not become healthy in {STARTUP_SECONDS}s:\n{log.read_text()[-3000:]}")


def run_streamlit(
    work: Path,
    index_dir: Path,
    corpus_dir: Path,
    *,
    secrets: Path | None = None,
    port: int | None = None,
    extra_env: dict[str, str] | None = None,
) -> Iterator[Server]:
    """Start the app on a free port with its own index, corpus and feedback folders; always stop it."""
    port = port or free_port()
    url = f"http://localhost:{port}" if secrets else f"http://127.0.0.1:{port}"
    env = {
        **os.environ,
        "POLICY_INDEX_DIR": str(index_dir),
        "POLICY_CORPUS_DIR": str(corpus_dir),
        "POLICY_FEEDBACK_DIR": str(work / "feedback"),
        "HF_HUB_OFFLINE": "1",
        "TRANSFORMERS_OFFLINE": "1",
        **(extra_env or {}),
    }
    command = [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port)]
    command += ["--server.address", "127.0.0.1", "--server.headless", "true"]
    if secrets is not None:  # sign-in settings of the test's own, never the repository's
        command += ["--secrets.files", str(secrets)]
    log = work / "streamlit.log"
    with open(log, "wb") as out:
        proc = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
        try:
            wait_healthy(url, proc, log)
            yield Server(url, log)
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


@pytest.fixture(scope="module")
def seed_server(tmp_path_factory, seed_index_dir: Path, seed_corpus_copy: Path) -> Iterator[Server]:
    yield from run_streamlit(tmp_path_factory.mktemp("seed-app"), seed_index_dir, seed_corpus_copy)


@pytest.fixture(scope="module")
def xss_server(tmp_path_factory) -> Iterator[Server]:
    """A corpus whose citation details and text carry HTML; the app builds its index on first load."""
    work = tmp_path_factory.mktemp("xss-app")
    corpus = work / "corpus"
    corpus.mkdir()
    (corpus / "car-parking.txt").write_text(
        "TESTSHIRE COUNCIL\n\nCAR PARKING POLICY (MAY 2025)\n\n1. PARKING ON SCHOOL GROUNDS\n\n"
        "1.1 Staff must not park in the bays reserved for disabled visitors at any time.\n\n"
        "1.2 Visitors should report to reception before parking; "
        "see &lt;script&gt; and *stars* and [a](b).\n",
        encoding="utf-8",
    )
    (corpus / "car-parking.meta.toml").write_text(
        f'title = "Car parking {XSS_IMG} policy"\n'
        f'issuer = "Testshire {XSS_SCRIPT} Council"\nissued = "May 2025"\n',
        encoding="utf-8",
    )
    yield from run_streamlit(work, work / "index", corpus)


def open_app(browser, url: str, dialogs: list[str]):
    page = browser.new_page(viewport={"width": 1400, "height": 1500})
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(url)
    return page


def ask(page, question: str, answers_before: int) -> float:
    """Type a question, wait for its verdict to appear, and return the seconds it took."""
    from playwright.sync_api import expect

    box = page.get_by_test_id("stChatInputTextArea")
    box.fill(question)
    started = time.perf_counter()
    box.press("Enter")
    expect(page.get_by_text("Verdict:")).to_have_count(answers_before + 1, timeout=ANSWER_MS)
    seconds = time.perf_counter() - started
    # The thumbs are drawn last in an answer, and the download button after it: wait for the whole run.
    answer = page.get_by_test_id("stChatMessage").nth(2 * answers_before + 1)
    expect(answer.get_by_test_id("stFeedbackButton").first).to_be_visible(timeout=ANSWER_MS)
    expect(page.get_by_test_id("stStatusWidgetRunningIcon")).to_have_count(0, timeout=ANSWER_MS)
    return seconds


def scroll_to_question(page) -> None:
    """Bring the first question to the top; Streamlit may still auto-scroll the chat to the bottom."""
    question = page.get_by_test_id("stChatMessage").nth(0)
    for _ in range(10):
        question.evaluate("el => el.scrollIntoView({block: 'start'})")
        page.wait_for_timeout(300)
        box = question.bounding_box()
        if box is not None and 0 <= box["y"] < 100:
            return


def test_question_is_answered_with_cited_clause_in_the_browser(browser, seed_server: Server):
    from playwright.sync_api import expect

    dialogs: list[str] = []
    started = time.perf_counter()
    page = open_app(browser, seed_server.url, dialogs)
    try:
        expect(page.get_by_test_id("stChatInputTextArea")).to_be_visible(timeout=ANSWER_MS)
        page_ready = time.perf_counter() - started
        first = ask(page, "Can I friend a parent on Facebook?", 0)
        answer = page.get_by_test_id("stChatMessage").nth(1)
        expect(answer).to_contain_text("Verdict:")
        # Lancashire's "should not" on friendships with parents decides or leads the verdict.
        expect(answer).to_contain_text(
            re.compile(r"Lancashire(, clause 4\.1\(iv\) \[|: should not \(clause 4\.1\(iv\) \[)")
        )
        expect(answer).to_contain_text("That they do not form on-line 'friendships'")
        expect(answer).to_contain_text("clause 4.1(iv)")
        expect(answer).to_contain_text("June 2024")
        expect(answer).to_contain_text(
            "Doncaster Metropolitan Borough Council · 6 PERSONAL USE OF SOCIAL MEDIA · March 2021"
        )
        # Doncaster 6.3 is about pupils, not parents: it must not decide this verdict.
        expect(answer).not_to_contain_text("clause 6.3 [")
        expect(page.get_by_role("button", name="Download conversation (Markdown)")).to_be_enabled()
        scroll_to_question(page)
        OUTPUT.mkdir(exist_ok=True)
        page.screenshot(path=str(OUTPUT / "browser-answer.png"))
        # Refresh the README's screenshot only on request, so a test run leaves the tree clean.
        if os.environ.get("UPDATE_SCREENSHOT") == "1" or not SCREENSHOT_FOR_README.exists():
            SCREENSHOT_FOR_README.parent.mkdir(exist_ok=True)
            shutil.copyfile(OUTPUT / "browser-answer.png", SCREENSHOT_FOR_README)

        later = [
            ask(page, "Can I use my school email address to sign up for Twitter?", 1),
            ask(page, "How many days of annual leave am I entitled to?", 2),
            ask(page, "Who does the Doncaster guidance apply to?", 3),
        ]
        expect(page.get_by_test_id("stChatMessage").nth(5)).to_contain_text("do not cover this")
        # A who-question gets the clauses and a neutral line, never a strength.
        who = page.get_by_test_id("stChatMessage").nth(7)
        expect(who).to_contain_text("Verdict: See the cited clauses")
        expect(who).to_contain_text("This policy applies to all teaching and other staff")
        for label in ("must not", "should not", "Yes –", "No –", "Required", "Advised"):
            expect(who.get_by_text(f"Verdict: {label}", exact=False)).to_have_count(0)
    finally:
        page.close()
    timings = {
        "page_ready_seconds": round(page_ready, 2),
        "first_answer_seconds": round(first, 2),
        "later_answer_seconds": [round(t, 2) for t in later],
    }
    (OUTPUT / "browser-timings.json").write_text(json.dumps(timings, indent=2) + "\n", encoding="utf-8")
    print(f"browser timings: {timings}")
    assert not dialogs


def test_html_in_policies_and_questions_shows_as_characters(browser, xss_server: Server):
    from playwright.sync_api import expect

    dialogs: list[str] = []
    page = open_app(browser, xss_server.url, dialogs)
    try:
        expect(page.get_by_test_id("stChatInputTextArea")).to_be_visible(timeout=ANSWER_MS)
        sidebar = page.get_by_test_id("stSidebar")
        expect(sidebar).to_contain_text(f"Car parking {XSS_IMG} policy")
        expect(sidebar).to_contain_text(f"Testshire {XSS_SCRIPT} Council")
        ask(page, f"Where can staff park? {XSS_SCRIPT}", 0)
        messages = page.get_by_test_id("stChatMessage")
        expect(messages.nth(0)).to_contain_text(f"Where can staff park? {XSS_SCRIPT}")
        answer = messages.nth(1)
        expect(answer).to_contain_text(f"Car parking {XSS_IMG} policy")
        expect(answer).to_contain_text(f"Testshire {XSS_SCRIPT} Council")
        expect(answer).to_contain_text("Staff must not park in the bays reserved for disabled visitors")
        # The parser drops Markdown emphasis and links; the entity text stays as typed.
        expect(answer).to_contain_text("see &lt;script&gt; and stars and a.")
        page.wait_for_timeout(500)  # give any injected handler a chance to fire
        assert page.locator("img[src='x']").count() == 0
        assert page.locator("section script, [data-testid='stChatMessage'] script").count() == 0
        OUTPUT.mkdir(exist_ok=True)
        page.screenshot(path=str(OUTPUT / "browser-xss.png"), full_page=True)
    finally:
        page.close()
    assert dialogs == []


def test_comparison_question_shows_documents_side_by_side(browser, seed_server: Server):
    from playwright.sync_api import expect

    dialogs: list[str] = []
    page = open_app(browser, seed_server.url, dialogs)
    try:
        expect(page.get_by_test_id("stChatInputTextArea")).to_be_visible(timeout=ANSWER_MS)
        box = page.get_by_test_id("stChatInputTextArea")
        box.fill("How do the two policies differ on contact with former pupils?")
        box.press("Enter")
        answer = page.get_by_test_id("stChatMessage").nth(1)
        expect(answer).to_contain_text("Comparing:", timeout=ANSWER_MS)
        expect(page.get_by_test_id("stStatusWidgetRunningIcon")).to_have_count(0, timeout=ANSWER_MS)
        expect(answer).to_contain_text("Doncaster: must not (6.7)")
        expect(answer).to_contain_text("Lancashire: strongly discouraged (4.1(v))")
        # The two documents' clauses stand in columns next to each other.
        columns = answer.get_by_test_id("stColumn")
        expect(columns.first).to_be_visible()
        assert columns.count() >= 2
        expect(answer).to_contain_text("must not contact pupils from their former education establishments")
        OUTPUT.mkdir(exist_ok=True)
        page.screenshot(path=str(OUTPUT / "browser-compare.png"), full_page=True)
    finally:
        page.close()
    assert not dialogs
