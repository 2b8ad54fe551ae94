"""Comparing policies on a topic: pure alignment and question detection, then the real seed index."""

from __future__ import annotations

import json

import numpy as np
import pytest

from retrieval import Citation, Clause, DocumentMeta, Hit
from retrieval.cli import main
from retrieval.views.compare import (
    Cell,
    Comparison,
    align,
    build_comparison,
    compare,
    comparison_for_question,
    comparison_text,
    comparison_to_json,
    facet_bonus,
    is_comparison_question,
    position_of,
)

from .conftest import DONCASTER, LANCASHIRE


@pytest.mark.parametrize(
    ("question", "topic"),
    [
        ("How do the two policies differ on contact with former pupils?", "contact with former pupils"),
        ("compare Lancashire and Doncaster on personal devices", "personal devices"),
        ("What is the difference between the policies on vetting candidates?", "vetting candidates"),
        ("Do both policies ban friend requests from pupils?", "ban friend requests from pupils"),
        ("Compare the rules about photographs of pupils", "photographs of pupils"),
        ("compare privacy settings across the two policies", "privacy settings"),
        ("How does Lancashire differ from Doncaster on monitoring?", "monitoring"),
        ("Can I friend a parent on Facebook?", None),
        ("Can I compare notes with a colleague on Facebook?", None),
        ("compare the policies", None),
        ("What is the difference between the two policies?", None),
    ],
)
def test_is_comparison_question(question, topic) -> None:
    assert is_comparison_question(question) == topic


def cell(doc: str, number: str, text: str, rank: int, score: float, strength=None) -> Cell:
    clause = Clause(f"{doc}-{number}", doc, number, (), 0, len(text), text)
    return Cell(Hit(clause, score, Citation(doc, doc, "", number, "", ""), rank), strength)


def test_align_pairs_most_similar_and_never_two_of_one_document() -> None:
    a1, a2 = cell("a", "1", "x", 1, 1.0), cell("a", "2", "y", 2, 0.9)
    b1, b2 = cell("b", "1", "x", 1, 1.0), cell("b", "2", "y", 2, 0.8)
    vectors = np.eye(4, dtype=np.float32)[[0, 1, 1, 0]]  # a1~b2, a2~b1
    rows = align([[a1, a2], [b1, b2]], vectors)
    assert rows == [[a2, b1], [a1, b2]] or rows == [[a1, b2], [a2, b1]]
    assert all(sum(c is not None for c in row) <= 2 for row in rows)
    lonely = align([[a1], [b1]], np.eye(2, dtype=np.float32))
    assert lonely == [[a1, None], [None, b1]]
    with pytest.raises(ValueError, match="vectors must have one row per cell"):
        align([[a1], [b1]], np.eye(3, dtype=np.float32))


def test_facet_bonus_counts_only_distinctive_topic_words() -> None:
    bonus = facet_bonus(
        ["former pupils contact", "former pupils", "pupils only"], "contact with former pupils"
    )
    assert bonus[0, 1] == pytest.approx(0.15)  # 'former' is distinctive; 'pupils' is in every text
    assert bonus[0, 2] == pytest.approx(0.0)


def test_position_prefers_best_match_and_names_a_stricter_one() -> None:
    cells = [cell("a", "4.1(v)", "t", 1, 1.0, "discouraged"), cell("a", "5", "t", 2, 0.9, "should_not")]
    position = position_of("a", "Lancs", cells)
    assert (
        position.format() == "Lancs: strongly discouraged (4.1(v)); elsewhere on this topic: should not (5)"
    )
    assert position_of("b", "Donc", []).format() == "Donc: does not address this topic"
    assert "no rule wording" in position_of("c", "C", [cell("c", "1", "t", 1, 1.0)]).format()


def test_build_comparison_without_clauses_says_not_addressed() -> None:
    metas = {"a": DocumentMeta("A policy", issuer="Alpha Council"), "b": DocumentMeta("B policy")}
    only = cell("a", "1", "Staff must not vet.", 1, 1.0)
    comparison = build_comparison(
        "vetting", {"a": [only.hit], "b": []}, metas, np.ones((1, 4), np.float32) / 2
    )
    assert [p.format() for p in comparison.positions] == [
        "Alpha: must not (1)",
        "B policy: does not address this topic",
    ]
    assert comparison.rows[0].cells == (Cell(only.hit, "must_not"), None)
    assert comparison.differ


@pytest.fixture(scope="module")
def former_pupils(seed_index) -> Comparison:
    topic = is_comparison_question("How do the two policies differ on contact with former pupils?")
    return compare(seed_index, topic or "")


def row_with(comparison: Comparison, doc: str, number: str):
    column = comparison.doc_ids.index(doc)
    return next(
        row for row in comparison.rows if row.cells[column] and row.cells[column].hit.clause.number == number
    )


def test_former_pupils_aligns_and_states_strengths(former_pupils) -> None:
    row = row_with(former_pupils, LANCASHIRE, "4.1(v)")
    doncaster = row.cells[former_pupils.doc_ids.index(DONCASTER)]
    assert doncaster is not None and doncaster.hit.clause.number == "6.7"
    assert "former" in row.subtopic
    summaries = {p.doc_id: p.format() for p in former_pupils.positions}
    assert summaries[DONCASTER].startswith("Doncaster: must not (6.7)")
    assert summaries[LANCASHIRE].startswith("Lancashire: strongly discouraged (4.1(v))")
    assert former_pupils.differ


def test_former_pupils_quotes_clauses_verbatim(former_pupils, seed_index) -> None:
    for row in former_pupils.rows:
        for found in filter(None, row.cells):
            assert found.hit.clause == seed_index.clause(found.hit.clause.clause_id)
    text = " ".join(comparison_text(former_pupils).split())
    assert (
        "Similarly, staff members must not contact pupils from their former education establishments" in text
    )


def test_personal_devices_names_lancashire_clause_5(seed_index) -> None:
    # Doncaster has no rule on staff's own devices, but its ICT agreement on taking school laptops
    # home is as close in meaning to "personal devices" (cosine 0.37) as Lancashire's real answer on
    # former pupils is to its topic (0.33), so the adapted model cannot say Doncaster is silent here:
    # a known limit (README). What must hold: Lancashire's position is its clause on personal devices.
    comparison = comparison_for_question(seed_index, "compare Lancashire and Doncaster on personal devices")
    assert comparison is not None and comparison.topic == "personal devices"
    positions = {p.doc_id: p for p in comparison.positions}
    assert positions[LANCASHIRE].addressed and positions[LANCASHIRE].clause_number == "5"
    assert any("school devices" in c.hit.clause.text for row in comparison.rows for c in row.cells if c)


def test_vetting_only_lancashire_and_json(seed_index) -> None:
    comparison = compare(seed_index, "vetting prospective employees", docs=[LANCASHIRE, DONCASTER])
    data = json.loads(json.dumps(comparison_to_json(comparison)))
    assert data["documents"] == [LANCASHIRE, DONCASTER]
    by_doc = {p["doc_id"]: p for p in data["positions"]}
    assert by_doc[LANCASHIRE]["strength"] == "should_not" and by_doc[LANCASHIRE]["clause"] == "4.2"
    assert by_doc[DONCASTER]["addressed"] is False
    assert data["rows"][0]["cells"][DONCASTER] is None


def test_not_a_comparison_and_unknown_doc(seed_index) -> None:
    assert comparison_for_question(seed_index, "Can I friend a parent on Facebook?") is None
    with pytest.raises(Exception, match="Unknown document"):
        compare(seed_index, "photos", docs=["nowhere"])


def test_cli_compare_json_and_errors(seed_index_dir, capsys) -> None:
    question = "How do the two policies differ on contact with former pupils?"
    assert main(["compare", question, "--json", "--index", str(seed_index_dir)]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["topic"] == "contact with former pupils" and data["differ"] is True
    assert main(["compare", "photos", "--doc", "nowhere", "--index", str(seed_index_dir)]) == 1
    assert "Unknown document nowhere" in capsys.readouterr().err
