"""Admin access: sign-in claims to roles, and the offline passphrase (salted scrypt, slowed wrong tries)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from retrieval.access.passphrase import (
    PASSPHRASE_FILE,
    PassphraseError,
    TooManyAttemptsError,
    check_passphrase,
    set_passphrase,
    wait_needed,
)
from retrieval.access.roles import AdminSettings, role_for_claims

SETTINGS = AdminSettings.from_mapping({"emails": ["HR@School.org"], "groups": ["policy-admins"]})


@pytest.mark.parametrize(
    ("claims", "role"),
    [
        ({"email": "hr@school.org"}, "admin"),
        ({"email": "HR@school.org", "email_verified": True}, "admin"),
        ({"email": "hr@school.org", "email_verified": False}, "staff"),
        ({"email": "teacher@school.org", "groups": ["Policy-Admins", "staff"]}, "admin"),
        ({"email": "teacher@school.org", "groups": "staff"}, "staff"),
        ({}, "staff"),
    ],
)
def test_role_for_claims(claims: dict[str, object], role: str) -> None:
    assert role_for_claims(claims, SETTINGS) == role


def test_passphrase_is_stored_only_as_a_salted_hash(tmp_path: Path) -> None:
    secret = "correct horse battery staple"
    path = set_passphrase(tmp_path, secret)
    stored = path.read_text(encoding="utf-8")
    assert secret not in stored and set(json.loads(stored)) == {"salt", "key", "n", "r", "p"}
    other = set_passphrase(tmp_path / "other", secret)
    assert json.loads(other.read_text())["key"] != json.loads(stored)["key"]  # a fresh salt each time
    assert check_passphrase(tmp_path, secret, now=0.0)
    assert not check_passphrase(tmp_path, "wrong guess!", now=1.0)


def test_short_passphrase_is_refused(tmp_path: Path) -> None:
    with pytest.raises(PassphraseError, match="at least"):
        set_passphrase(tmp_path, "short")
    assert not (tmp_path / PASSPHRASE_FILE).exists()


def test_wrong_tries_are_slowed_down_and_a_right_one_clears_them(tmp_path: Path) -> None:
    set_passphrase(tmp_path, "the right passphrase")
    for moment in range(3):
        assert not check_passphrase(tmp_path, "nope nope nope", now=float(moment))
    with pytest.raises(TooManyAttemptsError, match="Try again in"):
        check_passphrase(tmp_path, "the right passphrase", now=2.5)
    assert check_passphrase(tmp_path, "the right passphrase", now=2.0 + wait_needed(3) + 0.1)
    assert check_passphrase(tmp_path, "the right passphrase", now=5.0)  # the count was cleared


def test_no_passphrase_set_says_how_to_set_one(tmp_path: Path) -> None:
    with pytest.raises(PassphraseError, match="set-passphrase"):
        check_passphrase(tmp_path, "anything at all")
