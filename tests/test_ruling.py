"""The verdict is read from the sentence that addresses the question, for the party asked about, or none."""

from __future__ import annotations

import pytest

from retrieval.answering.ruling import NO_RULE_VERDICT, verdict_for, verdict_to_json

from .conftest import DONCASTER, LANCASHIRE


def ask(seed_index, question: str):
    return verdict_for(question, seed_index.search(question, top_k=10))


@pytest.mark.parametrize(
    ("question", "strength", "doc", "clause"),
    [
        ("Can the school look up candidates online before interviews?", "should_not", LANCASHIRE, "4.2"),
        ("can governors be facebook friends with pupils?", "not_advisable", DONCASTER, "Appendix 3"),
        ("My nephew is a pupil at my school. Can we stay friends online?", "may", DONCASTER, "6.3"),
        ("Can I edit Wikipedia while I am at work?", "must_not", DONCASTER, "6.11"),
        ("Is it OK to be Facebook friends with colleagues?", "caution", DONCASTER, "6.14"),
        ("can i tell a supply teacher my login password", "must_not", DONCASTER, "Appendix 1"),
    ],
)
def test_strength_comes_from_the_clause_that_addresses_it(seed_index, question, strength, doc, clause):
    verdict = ask(seed_index, question)
    assert verdict.strength == strength
    assert verdict.source is not None
    assert (verdict.source.doc_id, verdict.source.clause_number) == (doc, clause)


@pytest.mark.parametrize(
    "question",
    [
        "Who does the Doncaster guidance apply to?",
        "What happens if I break the social media policy?",
        "Can I be sued for what I post online?",
        "What does clause 4.1 (iv) of the Lancashire policy say?",
        "Lancashire 5, item 3",
    ],
)
def test_no_strength_on_questions_that_do_not_ask_for_a_rule(seed_index, question):
    verdict = ask(seed_index, question)
    assert verdict.covered and verdict.strength is None and verdict.text == NO_RULE_VERDICT


def test_not_covered_questions_say_so(seed_index):
    verdict = ask(seed_index, "How many days of annual leave am I entitled to?")
    assert not verdict.covered and verdict.strength is None


def test_json_shape(seed_index):
    data = verdict_to_json(ask(seed_index, "Can I friend a parent on Facebook?"))
    assert set(data) == {"label", "strength", "covered", "sources"}
    assert data["covered"] is True and data["strength"] in {"must_not", "should_not"}
    assert data["sources"] and set(data["sources"][0]) == {"doc_id", "clause"}
    assert "(" not in data["label"]  # the label, not the source that follows it in the app
