"""Who each clause binds and how strongly: tiny literal clauses, then the tags pinned on the seeds."""

from __future__ import annotations

import csv
import io

import pytest

from retrieval import Clause, DocumentMeta, chunk_documents
from retrieval.answering.obligations import (
    ClauseObligation,
    DocumentScope,
    document_scope,
    obligations_for,
    parse_role,
    role_counts,
    strictest,
    subject_roles,
    tag_clause,
    tag_clauses,
)
from retrieval.cli import main
from retrieval.views.obligations import CSV_COLUMNS, render_obligations

from .conftest import DONCASTER, LANCASHIRE

STAFF_WIDE = ("all_staff", "teaching_staff", "contractors", "volunteers", "trainees")


def make(
    text: str, *, number: str = "3.1", heading: tuple[str, ...] = ("3 RULES",), stem: str = ""
) -> Clause:
    return Clause(f"doc-{number}-{text[:8]}", "doc", number, heading, 0, len(text), text, stem=stem)


SCOPE = DocumentScope("doc", STAFF_WIDE, "staff members", "2.1")


@pytest.mark.parametrize(
    ("text", "stem", "heading", "binds", "strength"),
    [
        ("Staff members must not post photographs of pupils.", "", ("3 RULES",), STAFF_WIDE, "must_not"),
        ("Schools should not search for candidates online.", "", ("3 RULES",), ("school",), "should_not"),
        ("Contractors must report breaches at once.", "", ("3 RULES",), ("contractors",), "must"),
        ("You must not share passwords.", "", ("3 RULES",), STAFF_WIDE, "must_not"),
        (
            "You should contact the Headteacher.",
            "",
            ("Appendix", "Letters to Parents"),
            ("parents",),
            "advised",
        ),
        (
            "To post comments about pupils.",
            "IT IS NOT ADVISABLE:-",
            ("Governors' Agreement",),
            ("governors",),
            "not_advisable",
        ),  # fmt: skip
        (
            "not give out their personal details",
            "This means that adults should:",
            ("3 RULES",),
            STAFF_WIDE,
            "should_not",
        ),  # fmt: skip
        (
            "provide devices for trips",
            "This means that education settings should:",
            ("3",),
            ("school",),
            "advised",
        ),
        (
            "I will not install software.",
            "",
            ("Staff and Governor Agreement",),
            (*STAFF_WIDE, "governors"),
            "must_not",
        ),  # fmt: skip
        ("That staff handbooks include this policy", "", ("6. RECOMMENDATIONS",), ("school",), "advised"),
        (
            "It would not be reasonable to ban these sites, used with caution.",
            "",
            ("3. BACKGROUND",),
            STAFF_WIDE,
            None,
        ),  # fmt: skip
    ],
)
def test_tag_clause_literal(text, stem, heading, binds, strength) -> None:
    tag = tag_clause(make(text, heading=heading, stem=stem), SCOPE)
    assert (tag.binds, tag.strength) == (binds, strength)


def test_email_addresses_are_not_a_school_subject() -> None:
    # The head of the subject is "email addresses", so the clause falls back to the audience.
    assert subject_roles("Education establishment email addresses must not be used.", ("all_staff",)) is None
    assert subject_roles("On leaving; staff members must not contact pupils.", ("all_staff",)) == [
        "all_staff"
    ]
    assert subject_roles("You must not.", ("all_staff",)) == []


def test_document_scope_reads_the_defined_term() -> None:
    clauses = [
        make("This policy applies to personal webspace such as blogs.", number="2.3"),
        make(
            "This policy applies to all staff, external contractors, volunteers and trainees. These "
            "individuals are collectively referred to as 'staff members' in this policy.",
            number="2.9",
        ),
    ]
    scope = document_scope(clauses)
    assert scope.staff == ("all_staff", "contractors", "volunteers", "trainees")
    assert (scope.term, scope.source_number) == ("staff members", "2.9")
    assert document_scope([make("No scope here.")]).staff == ("all_staff",)


@pytest.mark.parametrize(
    ("text", "role"),
    [
        ("governor", "governors"),
        ("Teaching staff", "teaching_staff"),
        ("parents", "parents"),
        ("staff", "all_staff"),
    ],
)
def test_parse_role(text, role) -> None:
    assert parse_role(text) == role


def test_parse_role_rejects_unknown() -> None:
    with pytest.raises(ValueError, match="role must be one of"):
        parse_role("janitor")


@pytest.fixture(scope="module")
def seed_tags(seed_documents) -> tuple[ClauseObligation, ...]:
    return tag_clauses(chunk_documents(seed_documents))


def find(tags, doc: str, number: str, starts: str = "") -> ClauseObligation:
    found = [t for t in tags if t.clause.doc_id == doc and t.clause.number == number]
    found = [t for t in found if t.clause.text.startswith(starts)]
    assert found, f"no clause {number} starting {starts!r} in {doc}"
    return found[0]


@pytest.mark.parametrize(
    ("doc", "number", "starts", "binds", "strength"),
    [
        (DONCASTER, "6.3", "", STAFF_WIDE, "must_not"),
        (DONCASTER, "6.7", "", STAFF_WIDE, "must_not"),
        (DONCASTER, "5.2", "", STAFF_WIDE, "must_not"),
        (DONCASTER, "6.6", "", STAFF_WIDE, "approval"),
        (DONCASTER, "8.3", "", ("contractors",), "must"),
        (DONCASTER, "Appendix 3", "To refer", ("governors",), "not_advisable"),
        (DONCASTER, "Appendix 3", "To become an on-line", ("governors",), "not_advisable"),
        (DONCASTER, "Appendix 3", "To upload any", ("governors",), "not_advisable"),
        (DONCASTER, "Appendix 2", "If you do have concerns", ("parents",), "advised"),
        # "I will not install … without permission" only forbids doing it without approval.
        (DONCASTER, "Appendix 1", "I will not install", (*STAFF_WIDE, "governors"), "approval"),
        (DONCASTER, "2.1", "", STAFF_WIDE, None),
        (DONCASTER, "4.1", "", STAFF_WIDE, None),
        (LANCASHIRE, "4.1(i)", "", ("all_staff", "teaching_staff"), "should_not"),
        (LANCASHIRE, "4.1(iv)", "", ("all_staff", "teaching_staff"), "should_not"),
        (LANCASHIRE, "4.1(v)", "", ("all_staff", "teaching_staff"), "discouraged"),
        (LANCASHIRE, "4.2", "", ("school",), "should_not"),
        (LANCASHIRE, "5", "not seek", ("all_staff", "teaching_staff"), "should_not"),
        (LANCASHIRE, "5", "wherever possible", ("school",), "advised"),
        (LANCASHIRE, "6(iii)", "", ("school",), "advised"),
        (LANCASHIRE, "3.2", "", ("all_staff", "teaching_staff"), None),
    ],
)
def test_seed_tags(seed_tags, doc, number, starts, binds, strength) -> None:
    tag = find(seed_tags, doc, number, starts)
    assert (tag.binds, tag.strength) == (binds, strength)


def test_seed_basis_names_the_scope_clause(seed_tags) -> None:
    assert "'staff members' defined in 2.1" in find(seed_tags, DONCASTER, "6.3").basis
    assert "lead-in" in find(seed_tags, LANCASHIRE, "4.1(v)").basis


def test_every_appendix_2_obligation_binds_parents(seed_tags) -> None:
    letters = [t for t in seed_tags if t.clause.number == "Appendix 2" and t.strength is not None]
    assert letters and all(t.binds == ("parents",) for t in letters)


def test_obligations_for_governors(seed_tags) -> None:
    items = obligations_for(seed_tags, "governors")
    assert {t.clause.doc_id for t in items} == {DONCASTER}
    assert sum(t.strength == "not_advisable" for t in items) >= 4
    # Grouped by document, strictest first within it.
    ranks = [t.strength for t in items]
    assert ranks.index("must_not") < ranks.index("must") < ranks.index("not_advisable")
    assert obligations_for(seed_tags, "governors", docs=[LANCASHIRE]) == ()


def test_teaching_staff_inherit_all_staff_and_counts(seed_tags) -> None:
    teaching = {t.clause.clause_id for t in obligations_for(seed_tags, "teaching_staff")}
    staff = {t.clause.clause_id for t in obligations_for(seed_tags, "all_staff")}
    assert staff <= teaching
    counts = role_counts(seed_tags)
    assert counts["school"] >= 6 and counts["parents"] >= 3 and counts["contractors"] > counts["school"]


def test_strictest(seed_tags) -> None:
    lancashire_41 = [t for t in seed_tags if t.clause.parent_number == "4.1"]
    assert strictest(lancashire_41).strength == "should_not"  # type: ignore[union-attr]
    assert strictest([]) is None


def test_render_formats(seed_tags) -> None:
    metas = {DONCASTER: DocumentMeta("Doncaster <guidance>"), LANCASHIRE: DocumentMeta("Lancashire")}
    items = obligations_for(seed_tags, "governors")
    text = render_obligations(items, metas, "governors")
    assert text.startswith("Obligations for governors") and "Not advisable" in text
    markdown = render_obligations(items, metas, "governors", fmt="markdown")
    assert "&lt;guidance&gt;" in markdown and "<guidance>" not in markdown
    rows = list(csv.reader(io.StringIO(render_obligations(items, metas, "governors", fmt="csv"))))
    assert tuple(rows[0]) == CSV_COLUMNS and len(rows) == len(items) + 1
    assert any(row[8].startswith("IT IS NOT ADVISABLE") for row in rows[1:])
    with pytest.raises(ValueError, match="fmt must be one of"):
        render_obligations(items, metas, "governors", fmt="pdf")  # type: ignore[arg-type]
    assert "No clause" in render_obligations((), metas, "parents")


def test_cli_obligations_csv_and_bad_role(seed_index_dir, capsys) -> None:
    args = ["obligations", "--role", "governor", "--format", "csv", "--index", str(seed_index_dir)]
    assert main(args) == 0
    rows = list(csv.reader(io.StringIO(capsys.readouterr().out)))
    assert tuple(rows[0]) == CSV_COLUMNS and {row[1] for row in rows[1:]} == {DONCASTER}
    assert main(["obligations", "--role", "janitor", "--index", str(seed_index_dir)]) == 2
    assert "role must be one of" in capsys.readouterr().err
