"""Every clause gets a unique reference, readable aloud, that finds it again when typed back."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from retrieval import Clause, load_corpus, parse_clauses
from retrieval.answering.references import find_labelled, label_table
from retrieval.ingest.labels import label_clauses

from .conftest import DONCASTER, LANCASHIRE, SEED_CORPUS
from .test_cli import run_cli

TRAINING_POLICIES = sorted((Path(__file__).resolve().parent.parent / "training" / "policies").glob("*.md"))


def clause(number: str, heading: tuple[str, ...] = (), stem: str = "") -> Clause:
    return Clause(f"id-{number}-{heading}-{stem}", "doc", number, heading, 0, 1, "text", stem=stem)


def test_unique_numbers_are_their_own_reference() -> None:
    labelled = label_clauses([clause("1.1", ("1 Intro",)), clause("1.2", ("1 Intro",)), clause("preamble")])
    assert [c.reference for c in labelled] == ["1.1", "1.2", "Preamble"]


def test_shared_numbers_count_paragraphs_and_items_apart() -> None:
    labelled = label_clauses(
        [
            clause("5", ("5. Safeguarding",)),
            clause("5", ("5. Safeguarding",)),
            clause("5", ("5. Safeguarding",), stem="Adults should:"),
            clause("5", ("5. Safeguarding",), stem="Adults should:"),
            clause("Appendix 1", ("Appendix 1",)),
        ]
    )
    assert [c.reference for c in labelled] == [
        "5, paragraph 1",
        "5, paragraph 2",
        "5, item 1",
        "5, item 2",
        "Appendix 1",
    ]


def test_numbering_that_restarts_under_another_heading_is_qualified_by_it() -> None:
    labelled = label_clauses([clause("1", ("1 Purpose",)), clause("1", ("Appendix 2: Form",))])
    assert [c.reference for c in labelled] == ["1", "Appendix 2: Form, 1"]


def test_unnumbered_paragraphs_are_counted_under_their_heading() -> None:
    heading = "Use of digital and video images"
    labelled = label_clauses([clause(heading, (heading,)), clause(heading, (heading,))])
    assert [c.reference for c in labelled] == [f"{heading}, paragraph 1", f"{heading}, paragraph 2"]


REAL_DOCUMENTS = [*sorted(SEED_CORPUS.glob("*.txt")), *TRAINING_POLICIES]


@pytest.mark.parametrize("path", REAL_DOCUMENTS, ids=lambda p: p.stem)
def test_every_clause_of_a_real_document_has_a_unique_reference(path: Path) -> None:
    document = next(d for d in load_corpus(path.parent) if d.doc_id == path.stem)
    references = Counter(c.reference for c in parse_clauses(document))
    assert references and all(references.values()), "no clauses"
    assert {r: n for r, n in references.items() if n > 1} == {}


def test_references_are_stable_across_parses(seed_documents) -> None:
    first = [c.reference for d in seed_documents for c in parse_clauses(d)]
    again = [c.reference for d in load_corpus(SEED_CORPUS) for c in parse_clauses(d)]
    assert first == again


def test_every_reference_typed_back_returns_its_clause_first(seed_index) -> None:
    names = {DONCASTER: "Doncaster", LANCASHIRE: "Lancashire"}
    per_corpus = Counter(c.label.lower() for c in seed_index.clauses)
    failures = []
    for c in seed_index.clauses:
        asked = [f"{names[c.doc_id]} {c.label}", f"What does {c.label} of the {names[c.doc_id]} policy say?"]
        # Without a document name only a reference that names nothing else in the corpus can: a bare
        # section number ("1") names that section in every document (1, 1.1, 1.2 …).
        beneath = any(o.label.startswith((f"{c.label}.", f"{c.label}(")) for o in seed_index.clauses)
        if per_corpus[c.label.lower()] == 1 and not beneath:
            asked.append(c.label)
        for question in asked:
            hits = seed_index.search(question, top_k=3).hits
            if not hits or hits[0].clause.clause_id != c.clause_id:
                failures.append((question, hits[0].clause.label if hits else None))
    assert failures == []


def test_a_question_around_a_reference_is_not_a_reference(seed_index) -> None:
    table = label_table(seed_index.clauses)
    assert find_labelled("what does 5, item 3 say?", table)
    assert find_labelled("can I post photos of pupils like 5, item 3 says", table) == ()


def test_show_prints_every_clause_in_order(seed_corpus_copy: Path, tmp_path: Path) -> None:
    index_dir = tmp_path / "index"
    folders = ("--corpus", str(seed_corpus_copy), "--index", str(index_dir))
    result = run_cli("show", LANCASHIRE, "--json", *folders)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    references = [c["reference"] for c in data["clauses"]]
    assert data["doc_id"] == LANCASHIRE and len(references) == len(set(references)) > 20
    assert references[:2] == ["Preamble", "1"] and "4.1(iv)" in references
    text = run_cli("show", LANCASHIRE, *folders)
    assert text.returncode == 0 and "[5, item 3]" in text.stdout
    missing = run_cli("show", "no-such-policy", *folders)
    assert missing.returncode != 0 and "Known documents" in missing.stderr
