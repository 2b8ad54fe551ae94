"""Who each clause binds and how strongly (pure): clauses in, tagged obligations out.

The addressee comes, in order, from the grammatical subject of the clause's rule ("Staff members
must not …", "Schools should not …"), the subject of its lead-in stem ("Employees who … should be
advised as follows"), the headings above it ("Letters to Parents", "Governing Body Document") and
finally the document's own audience. A scope statement ("This policy applies to … external
contractors … volunteers …; collectively referred to as 'staff members'") widens every clause
addressed to staff to the people it names. The strength is read by ``verdict.stance_of``, the
same classifier the one-line verdict uses; this module only adds first-person undertakings
("I will not …") and recommendation headings, which the verdict never meets.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from ..types import Citation, Clause, Hit
from .verdict import LABELS, SHORT, Strength, sentences, stance_of, strength_of

Role = Literal[
    "all_staff", "teaching_staff", "contractors", "volunteers", "trainees", "governors", "school", "parents"
]
ROLES: tuple[Role, ...] = (
    "all_staff",
    "teaching_staff",
    "contractors",
    "volunteers",
    "trainees",
    "governors",
    "school",
    "parents",
)
ROLE_NAMES: dict[Role, str] = {
    "all_staff": "all staff",
    "teaching_staff": "teaching staff",
    "contractors": "contractors",
    "volunteers": "volunteers",
    "trainees": "trainees",
    "governors": "governors / management committee members",
    "school": "the school",
    "parents": "parents and carers",
}
_ROLE_ALIASES: dict[str, Role] = {
    "staff": "all_staff",
    "all-staff": "all_staff",
    "teacher": "teaching_staff",
    "teachers": "teaching_staff",
    "teaching": "teaching_staff",
    "teaching-staff": "teaching_staff",
    "contractor": "contractors",
    "volunteer": "volunteers",
    "trainee": "trainees",
    "governor": "governors",
    "management-committee": "governors",
    "schools": "school",
    "parent": "parents",
    "carers": "parents",
}
# Strictest first: the order in which a comparison picks a document's strongest wording.
STRICTNESS: tuple[Strength, ...] = (
    "must_not",
    "must",
    "approval",
    "should_not",
    "discouraged",
    "not_advisable",
    "advised",
    "caution",
    "may",
)

_STAFF = "staff"  # placeholder for "whoever this document calls staff"
_WORDS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (role, re.compile(pattern, re.IGNORECASE))
    for role, pattern in (
        ("contractors", r"\b(?:contractors?|contracted providers?|service providers?)\b"),
        ("volunteers", r"\bvolunteers?\b"),
        ("trainees", r"\b(?:teacher )?trainees?\b"),
        ("governors", r"\bgovernors?\b|\bgoverning bod(?:y|ies)\b|\bmanagement committee\b|\bmc members?\b"),
        ("parents", r"\bparents?\b|\bcarers?\b"),
        ("teaching_staff", r"\bteach(?:ers?|ing staff)\b"),
        ("school", r"\b(?:schools?|education settings?|education establishments?|establishments?)\b"),
        (_STAFF, r"\bstaff(?: members?)?\b|\bemployees?\b|\badults?\b|\busers\b|\bwork(?:ers|force)\b"),
    )
)
# A rule's subject: the words before its modal verb, read after a leading connective.
_MODAL = re.compile(
    r"\b(?:must|shall|should|may|can|will|need to|are (?:expected|required|strongly advised|advised|"
    r"encouraged)|is (?:expected|required)|do not|ought)\b",
    re.IGNORECASE,
)
_CONNECTIVE = re.compile(
    r"^(?:this means that|that|however,?|similarly,?|also,?|in (?:these|such) cases,?|[^;]{0,80};)\s*",
    re.IGNORECASE,
)
_SECOND_PERSON = re.compile(r"^(?:you|i|we)\b", re.IGNORECASE)
# Sections that describe rather than direct: only an explicit "Staff must …" there is a rule.
_DESCRIPTIVE_HEADING = re.compile(
    r"\b(?:introduction|purpose|background|scope|application|legal|related|contact|definitions?)\b", re.I
)
_CONDITIONAL = re.compile(r"^\s*should\s+(?:there|any|you|this|the)\b", re.IGNORECASE)
_BARE_NOT = re.compile(r"^\s*(?:not|never)\s+\w", re.IGNORECASE)
_NEGATED: dict[Strength | None, Strength] = {"advised": "should_not", "must": "must_not"}
_RECOMMENDATION_HEADING = re.compile(r"\brecommendations?\b", re.IGNORECASE)
_UNDERTAKING_NOT = re.compile(r"\bI (?:will|shall) (?:not|never)\b|\bI won't\b", re.IGNORECASE)
_UNDERTAKING = re.compile(r"\bI (?:will|shall|must|agree to)\b", re.IGNORECASE)
# Scope statements: who the policy applies to, and the name it gives them.
_SCOPE = re.compile(r"\b(?:applies|apply) to\b|\bcollectively referred to\b|\bthis policy covers\b", re.I)
_DEFINED_TERM = re.compile(r"referred to as ['‘\"“]([^'’\"”]+)['’\"”]", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class DocumentScope:
    """Whom a document's word for staff covers, read from its scope statement."""

    doc_id: str
    staff: tuple[Role, ...] = ("all_staff",)
    term: str = ""
    source_number: str = ""


@dataclass(frozen=True, slots=True)
class ClauseObligation:
    """One clause tagged with the people it binds and the strength of its wording.

    ``strength`` is None for clauses that describe rather than direct (background, legal notes).
    ``basis`` says in plain words where the addressee was read from.
    """

    clause: Clause
    binds: tuple[Role, ...]
    strength: Strength | None
    basis: str = ""

    @property
    def is_obligation(self) -> bool:
        return self.strength is not None and bool(self.binds)

    @property
    def label(self) -> str:
        return SHORT[self.strength] if self.strength else ""

    def applies_to(self, role: Role) -> bool:
        """True when the clause binds ``role``; teachers are bound by what binds all staff."""
        return role in self.binds or (role == "teaching_staff" and "all_staff" in self.binds)


def parse_role(text: str) -> Role:
    """A role from user input ('governor', 'teaching-staff', 'parents'); ValueError if unknown."""
    key = text.strip().lower().replace("_", "-").replace(" ", "-")
    role = _ROLE_ALIASES.get(key, key.replace("-", "_"))
    if role not in ROLES:
        raise ValueError(f"role must be one of {', '.join(ROLES)}. Currently, role is {text!r}.")
    return role  # type: ignore[return-value]


def strength_label(strength: Strength) -> str:
    return LABELS[strength]


def _roles_in(text: str, staff: Sequence[Role]) -> list[Role]:
    found: list[Role] = []
    for role, pattern in _WORDS:
        if pattern.search(text):
            found.extend(staff if role == _STAFF else [role])  # type: ignore[list-item]
    return _ordered(found)


def _ordered(roles: Iterable[Role]) -> list[Role]:
    wanted = set(roles)
    return [role for role in ROLES if role in wanted]


def document_scope(clauses: Sequence[Clause]) -> DocumentScope:
    """Read a document's scope statement: the people 'staff' means in this document (pure)."""
    doc_id = clauses[0].doc_id if clauses else ""
    for clause in clauses:
        if not _SCOPE.search(clause.text):
            continue
        people = [r for r in _roles_in(clause.text, ("all_staff",)) if r not in ("school", "parents")]
        if "all_staff" not in people:
            continue
        term = match.group(1).strip() if (match := _DEFINED_TERM.search(clause.text)) else ""
        return DocumentScope(doc_id, tuple(people), term, clause.number)
    return DocumentScope(doc_id)


def subject_roles(sentence: str, staff: Sequence[Role]) -> list[Role] | None:
    """Roles named as the subject of a rule sentence; [] for 'you'/'I'; None when no subject is named."""
    text = sentence.strip().lstrip("•-–* ").strip()
    text = _CONNECTIVE.sub("", text, count=1)
    modal = _MODAL.search(text)
    prefix = text[: modal.start()] if modal else ""
    if _SECOND_PERSON.match(text):
        return []
    if not prefix.strip():
        return None
    head = re.split(r"\b(?:who|which|that|whose|of|to|with|from|in)\b|,", prefix, maxsplit=1)[0]
    # The head noun phrase must be a role; "Education establishment email addresses" is not one.
    # The head noun ends the phrase: "Staff members", not "Education establishment email addresses".
    head = head.strip(" '’")
    if any(m.end() == len(head) for _, pattern in _WORDS for m in pattern.finditer(head)):
        return _roles_in(head, staff)
    return None


def clause_strength(clause: Clause) -> Strength | None:
    """The strength of a clause's wording, read by the verdict's classifier (adapter)."""
    return _strength_and_source(clause)[0]


def _strength_and_source(clause: Clause) -> tuple[Strength | None, str]:
    probe = Hit(clause, 0.0, Citation(clause.doc_id, "", "", clause.number, "", ""))
    stance = stance_of(probe)
    worded = [s for s in sentences(clause.text) if strength_of(s) and not _CONDITIONAL.match(s)]
    if stance is not None and (worded or clause.stem):
        stem_strength = strength_of(clause.stem) if clause.stem else None
        # "adults should: • not seek to …" is a prohibition the verdict's bare-negation rule misses.
        if stem_strength in _NEGATED and stance.strength == stem_strength and _BARE_NOT.match(clause.text):
            return _NEGATED[stem_strength], "wording"
        return stance.strength, "wording"
    for sentence in sentences(clause.text):
        if _UNDERTAKING_NOT.search(sentence):
            return "must_not", "undertaking"
        if _UNDERTAKING.search(sentence):
            return "must", "undertaking"
    if any(_RECOMMENDATION_HEADING.search(h) for h in clause.heading_path):
        return "advised", "recommendation"
    return None, ""


def _rule_sentence(clause: Clause) -> str:
    for sentence in re.split(r"(?<=[.;!?])\s+|\n+", clause.text):
        if strength_of(sentence) or _UNDERTAKING.search(sentence):
            return sentence
    return clause.text


def tag_clause(clause: Clause, scope: DocumentScope) -> ClauseObligation:
    """Tag one clause with the roles it binds and its strength, given its document's scope."""
    strength, source = _strength_and_source(clause)
    staff = scope.staff
    if source == "recommendation":
        return ClauseObligation(clause, ("school",), strength, "recommendation to the adopting school")
    rule = _rule_sentence(clause)
    roles = subject_roles(rule, staff)
    descriptive = any(_DESCRIPTIVE_HEADING.search(h) for h in clause.heading_path[:1])
    if strength is not None and descriptive and roles is None:
        strength = None
    defined = f"; '{scope.term}' defined in {scope.source_number}" if scope.term else ""
    if roles:
        return ClauseObligation(clause, tuple(roles), strength, f"subject of the rule{_note(roles, defined)}")
    if clause.stem and (stem_roles := subject_roles(clause.stem, staff)):
        return ClauseObligation(clause, tuple(stem_roles), strength, f"lead-in{_note(stem_roles, defined)}")
    for heading in reversed(clause.heading_path):
        if _DESCRIPTIVE_HEADING.search(heading) or _RECOMMENDATION_HEADING.search(heading):
            continue
        # A heading names its readers ("Letters to Parents"), never "School Equipment" as one.
        if heading_roles := [r for r in _roles_in(heading, staff) if r != "school"]:
            return ClauseObligation(
                clause, tuple(heading_roles), strength, f"heading '{heading}'{_note(heading_roles, defined)}"
            )
    return ClauseObligation(clause, tuple(staff), strength, f"the policy's audience{defined}")


def _note(roles: Sequence[Role], defined: str) -> str:
    return defined if "contractors" in roles or "volunteers" in roles else ""


def tag_clauses(clauses: Sequence[Clause]) -> tuple[ClauseObligation, ...]:
    """Tag every clause, reading each document's scope statement first (pure, order kept)."""
    by_doc: dict[str, list[Clause]] = {}
    for clause in clauses:
        by_doc.setdefault(clause.doc_id, []).append(clause)
    scopes = {doc_id: document_scope(doc_clauses) for doc_id, doc_clauses in by_doc.items()}
    return tuple(tag_clause(clause, scopes[clause.doc_id]) for clause in clauses)


def obligations_for(
    tags: Iterable[ClauseObligation], role: Role, *, docs: Iterable[str] | None = None
) -> tuple[ClauseObligation, ...]:
    """Obligations binding ``role``, grouped by document (in given order) then strictest first.

    Args:
        tags: tagged clauses, e.g. from ``tag_clauses``.
        role: one of ``ROLES``.
        docs: only these document ids (None: all).

    Returns:
        The matching obligations; clauses without obligation wording are left out.
    """
    if role not in ROLES:
        raise ValueError(f"role must be one of {', '.join(ROLES)}. Currently, role is {role!r}.")
    wanted = None if docs is None else set(docs)
    chosen = [t for t in tags if t.is_obligation and t.applies_to(role)]
    chosen = [t for t in chosen if wanted is None or t.clause.doc_id in wanted]
    doc_order = {doc: i for i, doc in enumerate(dict.fromkeys(t.clause.doc_id for t in chosen))}
    return tuple(
        sorted(chosen, key=lambda t: (doc_order[t.clause.doc_id], STRICTNESS.index(t.strength or "may")))
    )


def strictest(tags: Iterable[ClauseObligation]) -> ClauseObligation | None:
    """The tag with the strongest wording (earliest in ``STRICTNESS``); ties keep the first."""
    ranked = [t for t in tags if t.strength is not None]
    return min(ranked, key=lambda t: STRICTNESS.index(t.strength or "may"), default=None)


def role_counts(tags: Iterable[ClauseObligation]) -> Mapping[Role, int]:
    """How many obligations bind each role (for a sidebar summary)."""
    tags = list(tags)
    return {role: sum(1 for t in tags if t.is_obligation and t.applies_to(role)) for role in ROLES}
