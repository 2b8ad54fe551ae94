"""Clause references and document names in questions are answered by exact lookup."""

from __future__ import annotations

import pytest

from retrieval import PolicyIndex, build_index
from retrieval.answering.references import canonical_number, find_bare_reference, find_references

from .conftest import DONCASTER, LANCASHIRE
from .test_parsing import LETTERED_PARAGRAPHS


@pytest.mark.parametrize(
    ("question", "key"),
    [
        ("6.11", "6.11"),
        ("what does 6.11 say?", "6.11"),
        ("clause 4.1 (iv)", "4.1(iv)"),
        ("4.1(iv)", "4.1(iv)"),
        ("4.1 ( IV )", "4.1(iv)"),
        ("para 5.6", "5.6"),
        ("section 3", "3"),
        ("Section 2(b) of the code", "2(b)"),
        ("Appendix 3", "appendix 3"),
        ("see annex B please", "appendix b"),
        ("what does 6(ii) of the Lancashire policy say", "6(ii)"),
        ("what does 5.3(b)(i) say", "5.3(b)(i)"),
        ("clause 5.3 (b) (ii)", "5.3(b)(ii)"),
        ("section 2(b)(iii)", "2(b)(iii)"),
    ],
)
def test_references_are_found_in_many_spellings(question, key):
    assert [r.key for r in find_references(question)] == [key.replace("appendix b", "appendix b")]


@pytest.mark.parametrize(
    "question", ["I'm in Year 9", "Human Rights Act 1998", "call 01302 737279", "my 2 kids"]
)
def test_numbers_that_are_not_clause_references_are_ignored(question):
    assert find_references(question) == ()


def test_lettered_paragraph_numbers_are_references_only_where_a_policy_has_them():
    known = frozenset({"a4", "b3", "c3.2"})
    assert [r.key for r in find_references("what does B3 say?", lettered=known)] == ["b3"]
    assert [r.key for r in find_references("see paragraph B3.", lettered=known)] == ["b3"]
    assert [r.key for r in find_references("para c3.2(a)", lettered=known)] == ["c3.2(a)"]
    # Without a keyword a capitalised label counts only when some policy numbers a paragraph so.
    assert find_references("what does B3 say?") == ()
    assert find_references("can I print it on A4 paper", lettered=frozenset()) == ()
    assert find_references("is the b3 form needed", lettered=known) == ()


def test_bare_number_counts_only_when_it_is_the_whole_question():
    assert find_bare_reference("Lancashire 5", without=["lancashire"]).key == "5"
    assert find_bare_reference("I have 5 pupils", without=[]) is None


def test_canonical_number():
    assert canonical_number("4.1 (IV)") == "4.1(iv)"
    assert canonical_number("Appendix  3") == "appendix 3"


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("What does section 6.11 of the Doncaster guidance say?", [(DONCASTER, "6.11")]),
        ("What does clause 4.1 (iv) of the Lancashire policy say?", [(LANCASHIRE, "4.1(iv)")]),
        ("Lancashire 4.1(4)", [(LANCASHIRE, "4.1(iv)")]),
        ("lancashire 4.2", [(LANCASHIRE, "4.2")]),
        ("what does 6.3 of the Doncaster guidance say", [(DONCASTER, "6.3")]),
    ],
)
def test_reference_questions_return_exactly_that_clause(seed_index, question, expected):
    answer = seed_index.search(question)
    assert answer.answered
    assert [(h.clause.doc_id, h.clause.number) for h in answer.hits] == expected
    assert all(h.matched_by == "reference" for h in answer.hits)


def test_number_in_both_documents_shows_each_documents_clause(seed_index):
    answer = seed_index.search("what does 3.2 say?")
    assert {(h.clause.doc_id, h.clause.number) for h in answer.hits} == {
        (DONCASTER, "3.2"),
        (LANCASHIRE, "3.2"),
    }


def test_section_reference_returns_the_section_in_order(seed_index):
    answer = seed_index.search("Doncaster section 3")
    assert [h.clause.number for h in answer.hits] == ["3.1", "3.2", "3.3", "3.4"]


def test_stem_reference_includes_its_sub_items(seed_index):
    numbers = [h.clause.number for h in seed_index.search("Lancashire 4.1").hits]
    assert numbers[:2] == ["4.1", "4.1(i)"] and "4.1(vi)" in numbers


def test_missing_clause_is_said_plainly(seed_index):
    answer = seed_index.search("What does clause 9.9 say?")
    assert not answer.answered and not answer.hits
    assert "There is no clause 9.9" in answer.message


def test_document_name_restricts_ordinary_questions(seed_index):
    answer = seed_index.search("Who does the Lancashire policy apply to?")
    assert answer.hits and all(h.clause.doc_id == LANCASHIRE for h in answer.hits)


def test_lettered_paragraph_is_looked_up_by_its_number(tmp_path, embedder):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "online-content.md").write_text(LETTERED_PARAGRAPHS, encoding="utf-8")
    build_index(corpus, tmp_path / "index", embedder=embedder)
    index = PolicyIndex.load(tmp_path / "index", embedder=embedder)
    answer = index.search("What does B1 say?")
    assert [(h.clause.number, h.matched_by) for h in answer.hits] == [("B1", "reference")]
    assert [h.clause.number for h in index.search("paragraph a2").hits] == ["A2"]
    # A paper size is a word here, not a missing clause.
    assert "There is no clause" not in index.search("Can I print the form on A4 paper?").message
