"""Who is an admin: from sign-in claims (e-mail or group) or the offline passphrase; everyone else is staff.

Pure: settings and claims in, a role out. The app reads the settings from ``.streamlit/secrets.toml``
(section ``[policy_admins]``) and the claims from ``st.user`` after ``st.login``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Literal

Role = Literal["admin", "staff"]


@dataclass(frozen=True, slots=True)
class AdminSettings:
    """Who counts as a policy admin when people sign in with the school's identity provider."""

    emails: frozenset[str] = frozenset()
    groups: frozenset[str] = frozenset()
    group_claim: str = "groups"

    @staticmethod
    def from_mapping(raw: Mapping[str, object]) -> AdminSettings:
        def strings(value: object) -> frozenset[str]:
            items = [value] if isinstance(value, str) else value if isinstance(value, Iterable) else []
            return frozenset(str(item).strip().lower() for item in items if str(item).strip())

        return AdminSettings(
            emails=strings(raw.get("emails", ())),
            groups=strings(raw.get("groups", ())),
            group_claim=str(raw.get("group_claim", "groups")),
        )


def role_for_claims(claims: Mapping[str, object], settings: AdminSettings) -> Role:
    """'admin' when the signed-in user's verified e-mail or one of their groups is listed, else 'staff'."""
    email = str(claims.get("email", "")).strip().lower()
    # An unverified address could be anyone's: only trust it when the provider says it is verified
    # or says nothing (Entra ID issues no email_verified claim for organisational accounts).
    verified = claims.get("email_verified", True) not in (False, "false", "False")
    if email and verified and email in settings.emails:
        return "admin"
    groups = claims.get(settings.group_claim, ())
    names = [groups] if isinstance(groups, str) else groups if isinstance(groups, Iterable) else []
    if settings.groups & {str(g).strip().lower() for g in names}:
        return "admin"
    return "staff"
