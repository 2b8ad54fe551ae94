"""Admin access in the app under AppTest: read-only by default, the passphrase unlocks the panels,
every change is audited, retired policies come back byte for byte, and HR can ask as of a date."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from retrieval.ingest.audit import read_audit
from retrieval.ingest.history import read_history

from .conftest import DONCASTER, LANCASHIRE
from .test_app import APP, TIMEOUT, admin_workspace, button, unlock_admin


@pytest.fixture
def admin_app(
    monkeypatch, tmp_path: Path, seed_index_dir: Path, seed_corpus_copy: Path
) -> tuple[AppTest, Path]:
    _, corpus_dir = admin_workspace(monkeypatch, tmp_path, seed_index_dir, seed_corpus_copy)
    at = AppTest.from_file(APP, default_timeout=TIMEOUT).run()
    assert not at.exception
    return at, corpus_dir


def headers(at: AppTest) -> list[str]:
    return [h.value for h in at.sidebar.header]


def test_a_wrong_passphrase_gives_no_admin_controls(admin_app) -> None:
    at, corpus_dir = admin_app
    assert "Manage policies" not in headers(at)
    unlock_admin(at, "not the passphrase at all")
    assert "Manage policies" not in headers(at)
    assert any("Wrong passphrase" in e.value for e in at.sidebar.error)
    assert read_audit(corpus_dir) == ()


def test_admin_retires_and_restores_and_the_audit_log_has_exactly_that(admin_app) -> None:
    at, corpus_dir = admin_app
    original = (corpus_dir / f"{LANCASHIRE}.txt").read_bytes()
    unlock_admin(at)
    assert "Manage policies" in headers(at)
    next(s for s in at.sidebar.selectbox if s.key == "retire").set_value(LANCASHIRE).run()
    next(c for c in at.sidebar.checkbox if c.key == "retire-sure").check().run()
    button(at, "Retire it").click().run()
    assert not at.exception
    assert not (corpus_dir / f"{LANCASHIRE}.txt").exists()
    titles = " ".join(m.value for m in at.sidebar.markdown)
    assert "Lancashire" not in titles.split("Manage policies")[0]  # out of the loaded list
    next(b for b in at.sidebar.button if b.key == f"restore-{LANCASHIRE}").click().run()
    assert not at.exception
    assert (corpus_dir / f"{LANCASHIRE}.txt").read_bytes() == original
    actions = [(r.action, r.doc_id, r.who) for r in read_audit(corpus_dir)]
    assert actions == [
        ("retire", LANCASHIRE, "admin (passphrase)"),
        ("restore", LANCASHIRE, "admin (passphrase)"),
    ]
    assert read_history(corpus_dir, LANCASHIRE).live == 1


def test_hr_asks_as_of_a_date_and_is_told_which_versions(admin_app) -> None:
    at, corpus_dir = admin_app
    next(s for s in at.sidebar.selectbox if s.label == "Your role").set_value("HR").run()
    picker = next(d for d in at.sidebar.date_input if d.label == "Policies in force on")
    picker.set_value(dt.date.today()).run()
    assert not at.exception
    shown = " ".join(i.value for i in at.sidebar.info)
    assert f"versions in force on {dt.date.today().isoformat()}" in shown
    assert DONCASTER in shown and LANCASHIRE in shown
