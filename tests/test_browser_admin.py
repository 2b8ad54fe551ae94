"""Admin access end to end in a real browser.

The app signs people in through a real OpenID Connect provider on loopback (oidc-provider-mock):
a teacher gets no admin controls; the head, in the admins' group, uploads a new version of a policy,
retires it and restores it, and the audit log has exactly those lines, in that order, under their
e-mail. A second app with no sign-in configured is unlocked with the offline passphrase.
"""

from __future__ import annotations

import re
import secrets
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from retrieval.access.passphrase import set_passphrase
from retrieval.ingest.audit import read_audit
from retrieval.ingest.history import HISTORY_DIR, read_history

from .conftest import LANCASHIRE
from .test_app import ADMIN_PASSPHRASE
from .test_browser import (
    ANSWER_MS,
    CHROMIUM,
    Server,
    ask,
    free_port,
    open_app,
    run_streamlit,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="system Chromium not found at /usr/bin/chromium"),
]

HEAD = "head@school.example"
TEACHER = "teacher@school.example"
BIRCHFIELD_TEACHER = "teacher@birchfield.example"
ADMINS_GROUP = "policy-admins"


@pytest.fixture(scope="module")
def oidc_provider() -> Iterator[str]:
    import oidc_provider_mock
    from oidc_provider_mock._storage import User

    users = [
        User(sub=HEAD, claims={"email": HEAD, "email_verified": True, "groups": [ADMINS_GROUP]}),
        User(sub=TEACHER, claims={"email": TEACHER, "email_verified": True, "groups": ["staff"]}),
        User(sub=BIRCHFIELD_TEACHER, claims={"email": BIRCHFIELD_TEACHER, "school": "birchfield"}),
    ]
    with oidc_provider_mock.run_server_in_thread(user_claims=users) as server:
        yield f"http://localhost:{server.server_port}"


def sign_in_settings(work: Path, port: int, oidc_provider: str, extra: str = "") -> Path:
    settings = work / "secrets.toml"
    settings.write_text(
        "[auth]\n"
        f'redirect_uri = "http://localhost:{port}/oauth2callback"\n'
        f'cookie_secret = "{secrets.token_hex(16)}"\n'
        'client_id = "policy-assistant"\n'
        'client_secret = "test-secret"\n'
        f'server_metadata_url = "{oidc_provider}/.well-known/openid-configuration"\n'
        'client_kwargs = { scope = "openid profile email" }\n\n'
        "[policy_admins]\n"
        f'groups = ["{ADMINS_GROUP}"]\n' + extra,
        encoding="utf-8",
    )
    return settings


@pytest.fixture(scope="module")
def signed_in_app(tmp_path_factory, oidc_provider: str, seed_index_dir: Path, seed_corpus_copy: Path):
    work = tmp_path_factory.mktemp("signin-app")
    shutil.copytree(seed_index_dir, work / "index")
    shutil.copytree(seed_corpus_copy, work / "corpus")
    port = free_port()
    settings = sign_in_settings(work, port, oidc_provider)
    for server in run_streamlit(work, work / "index", work / "corpus", secrets=settings, port=port):
        yield server, work / "corpus"


@pytest.mark.parametrize("store", ["faiss", "milvus"])
def test_the_school_comes_from_the_sign_in_claims(
    browser, oidc_provider: str, tmp_path_factory, store: str
) -> None:
    """A trust with two schools end to end, on the in-process store and on the engine."""
    from playwright.sync_api import expect

    from .test_libraries import SCHOOL_A, SCHOOL_B, TRUST

    work = tmp_path_factory.mktemp("library-app")
    for folder, name, text in (
        ("ashgrove", "phones.md", SCHOOL_A),
        ("birchfield", "phones.md", SCHOOL_B),
        ("trust", "code.md", TRUST),
    ):
        (work / "corpus" / folder).mkdir(parents=True)
        (work / "corpus" / folder / name).write_text(text, encoding="utf-8")
    port = free_port()
    settings = sign_in_settings(work, port, oidc_provider, '\n[policy_libraries]\nclaim = "school"\n')
    engine = {"POLICY_ENGINE_URI": str(work / "engine.db")} if store == "milvus" else {}
    for server in run_streamlit(
        work, work / "index", work / "corpus", secrets=settings, port=port, extra_env=engine
    ):
        page = open_app(browser, server.url, [])
        try:
            sign_in(page, BIRCHFIELD_TEACHER)
            sidebar = page.get_by_test_id("stSidebar")
            expect(sidebar.get_by_text("School: birchfield (from your sign-in)").first).to_be_visible()
            expect(sidebar.get_by_text("Birchfield Primary School").first).to_be_visible()
            expect(sidebar.get_by_text("Ashgrove")).to_have_count(0)
            expect(sidebar.get_by_text("Your school")).to_have_count(0)  # no way to pick another school
            ask(page, "Can I use my phone in lessons to take photos of work?", 0)
            answer = page.get_by_test_id("stChatMessage").nth(1)
            expect(answer.get_by_text("must not use personal phones").first).to_be_visible()
            expect(answer.get_by_text("Ashgrove")).to_have_count(0)
            assert (work / "engine.db").exists() == (store == "milvus")
        finally:
            page.close()


# While a run redraws the page, its old and new copies of an element coexist for a moment: visible
# checks take the first match rather than failing on two.
def sign_in(page, who: str) -> None:
    from playwright.sync_api import expect

    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(r".*/oauth2/authorize.*"), timeout=ANSWER_MS)
    page.get_by_role("button", name=who).click()  # the provider's one-click button for a known user
    expect(page.get_by_text(f"Signed in as {who}").first).to_be_visible(timeout=ANSWER_MS)


def expand(page, label: str) -> None:
    wait_idle(page)  # while a run is redrawing the sidebar, old and new copies of a label coexist
    page.get_by_test_id("stSidebar").get_by_text(label, exact=True).first.click()


def click_in_section(page, label: str, button_name: str) -> None:
    """Open a sidebar section and click a button in it.

    A rerun the previous action started late (after wait_idle saw no running icon) redraws the
    sidebar with the section folded, hiding the button; the section is opened again, a few times
    at most.
    """
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    button = page.get_by_role("button", name=button_name)
    for _ in range(3):
        wait_idle(page)
        if not button.is_visible():
            expand(page, label)
        try:
            button.click(timeout=10_000)
            return
        except PlaywrightTimeout:
            continue
    button.click()


def choose(page, label: str, typed: str) -> None:
    """Pick an option of a Streamlit select box in the sidebar: type to filter, click the first match.

    A rerun still in flight (the status icon shows only after a moment) can redraw the box under
    the cursor, so a detached list is opened again, a few times at most.
    """
    from playwright.sync_api import Error as PlaywrightError

    # A tall window: the list opens below the box, and a box at the bottom edge opens none.
    page.set_viewport_size({"width": 1400, "height": 2600})
    for _ in range(5):
        wait_idle(page)
        box = (
            page.get_by_test_id("stSidebar")
            .get_by_test_id("stSelectbox")
            .filter(has=page.get_by_text(label, exact=True))
        )
        try:
            box.scroll_into_view_if_needed()
            box.locator("input").click()
            page.keyboard.type(typed)
            page.get_by_role("option").filter(has_text=typed).first.click(timeout=5_000)
            return
        except PlaywrightError:
            page.keyboard.press("Escape")
            page.wait_for_timeout(500)
    pytest.fail(f"could not choose {typed!r} in {label!r}")


def eventually(page, condition, what: str) -> None:
    """Wait for the app's change to reach the files (the click only starts a server-side run)."""
    for _ in range(ANSWER_MS // 250):
        if condition():
            return
        page.wait_for_timeout(250)
    pytest.fail(f"timed out waiting for: {what}")


def wait_idle(page) -> None:
    from playwright.sync_api import expect

    expect(page.get_by_test_id("stStatusWidgetRunningIcon")).to_have_count(0, timeout=ANSWER_MS)


def test_a_signed_in_teacher_sees_no_admin_controls(browser, signed_in_app: tuple[Server, Path]) -> None:
    from playwright.sync_api import expect

    server, corpus = signed_in_app
    page = open_app(browser, server.url, [])
    try:
        expect(page.get_by_role("button", name="Sign in")).to_be_visible(timeout=ANSWER_MS)
        sign_in(page, TEACHER)
        expect(page.get_by_text(f"Signed in as {TEACHER} (staff)")).to_be_visible()
        sidebar = page.get_by_test_id("stSidebar")
        for label in ("Manage policies", "Rebuild index", "Retire a policy", "Audit log"):
            expect(sidebar.get_by_text(label)).to_have_count(0)
        expect(page.get_by_test_id("stFileUploader")).to_have_count(0)
    finally:
        page.close()
    assert read_audit(corpus) == ()


def test_the_head_signs_in_uploads_retires_restores_and_the_audit_log_says_so(
    browser, signed_in_app: tuple[Server, Path], tmp_path: Path
) -> None:
    from playwright.sync_api import expect

    server, corpus = signed_in_app
    live = corpus / f"{LANCASHIRE}.txt"
    new_version = tmp_path / live.name
    new_version.write_text(live.read_text(encoding="utf-8") + "\n7. REVIEW\n\n7.1 Reviewed every year.\n")
    page = open_app(browser, server.url, [])
    try:
        sign_in(page, HEAD)
        expect(page.get_by_text(f"Signed in as {HEAD} (policy admin)")).to_be_visible()
        expect(page.get_by_text("Manage policies").first).to_be_visible()

        expand(page, "Add or replace a policy")
        uploader = page.get_by_test_id("stFileUploaderDropzoneInput")
        uploader.set_input_files(str(new_version))
        page.get_by_role("button", name=f"Add {live.name}").click()
        second_is_live = lambda: getattr(read_history(corpus, LANCASHIRE), "live", None) == 2  # noqa: E731
        eventually(page, second_is_live, "version 2 live")
        wait_idle(page)
        expect(page.get_by_text("Manage policies").first).to_be_visible(timeout=ANSWER_MS)

        expand(page, "Retire a policy")
        choose(page, "Policy", "Lancashire")
        page.get_by_text("Take it out of search").click()
        page.get_by_role("button", name="Retire it").click()
        eventually(page, lambda: not live.exists(), "the policy retired")
        wait_idle(page)
        expect(page.get_by_text("Manage policies").first).to_be_visible(timeout=ANSWER_MS)

        click_in_section(page, "History and restore", f"Restore v2 of {LANCASHIRE}")
        eventually(page, live.exists, "the policy restored")
        wait_idle(page)
        assert live.read_bytes() == new_version.read_bytes()
    finally:
        page.close()
    lines = [(r.who, r.action, r.doc_id, r.version) for r in read_audit(corpus)]
    assert lines == [
        (HEAD, "replace", LANCASHIRE, 2),
        (HEAD, "retire", LANCASHIRE, 2),
        (HEAD, "restore", LANCASHIRE, 2),
    ]


@pytest.fixture(scope="module")
def passphrase_app(tmp_path_factory, seed_index_dir: Path, seed_corpus_copy: Path):
    work = tmp_path_factory.mktemp("passphrase-app")
    shutil.copytree(seed_index_dir, work / "index")
    shutil.copytree(seed_corpus_copy, work / "corpus")
    set_passphrase(work / "corpus" / HISTORY_DIR, ADMIN_PASSPHRASE)
    for server in run_streamlit(work, work / "index", work / "corpus"):
        yield server, work / "corpus"


def test_the_passphrase_unlocks_admin_on_a_machine_without_sign_in(
    browser, passphrase_app: tuple[Server, Path]
) -> None:
    from playwright.sync_api import expect

    server, corpus = passphrase_app
    page = open_app(browser, server.url, [])
    try:
        expect(page.get_by_text("Policy admin", exact=True).first).to_be_visible(timeout=ANSWER_MS)
        expect(page.get_by_text("Manage policies")).to_have_count(0)
        expand(page, "Policy admin")
        page.get_by_label("Admin passphrase").fill(ADMIN_PASSPHRASE)
        page.get_by_role("button", name="Unlock admin").click()
        expect(page.get_by_text("Manage policies").first).to_be_visible(timeout=ANSWER_MS)
        expand(page, "Retire a policy")
        choose(page, "Policy", "Lancashire")
        page.get_by_text("Take it out of search").click()
        page.get_by_role("button", name="Retire it").click()
        eventually(page, lambda: len(read_audit(corpus)) == 1, "the retirement audited")
        wait_idle(page)
    finally:
        page.close()
    assert [(r.who, r.action, r.doc_id) for r in read_audit(corpus)] == [
        ("admin (passphrase)", "retire", LANCASHIRE)
    ]
