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


def one_policy_index(tmp_path, embedder, text: str):
    """An index over one short policy written by the test (real model, real FAISS)."""
    from retrieval import PolicyIndex, build_index

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "policy.md").write_text(text, encoding="utf-8")
    build_index(corpus, tmp_path / "index", embedder=embedder)
    return PolicyIndex.load(tmp_path / "index", embedder=embedder)


def asked(index, question: str):
    return verdict_for(question, index.search(question, top_k=5))


def test_a_rule_to_use_one_thing_rather_than_another_is_a_rule_against_the_other(tmp_path, embedder):
    index = one_policy_index(
        tmp_path,
        embedder,
        "# Educational Visits Policy\n\nIssued by: Example Primary School\n\n## 4. On the visit\n\n"
        "4.1 Staff should use the school's cameras rather than their own mobile phones to photograph "
        "pupils on visits.\n\n4.2 Staff must carry a first aid kit and the pupils' medical details.\n",
    )
    against = asked(index, "Can I take pictures of the children on my own phone during the trip?")
    assert (against.strength, against.source.clause_number) == ("should_not", "4.1")
    assert (
        asked(index, "Should I use a school camera to photograph pupils on the visit?").strength == "advised"
    )


def test_what_should_i_do_gets_no_single_label_when_the_rule_is_do_not_and_do(tmp_path, embedder):
    index = one_policy_index(
        tmp_path,
        embedder,
        "# Staff Contact With Pupils\n\nIssued by: Example High School\n\n## 3. Personal phones\n\n"
        "3.1 If a pupil contacts a member of staff on their personal phone, the member of staff should "
        "not reply and must report the contact to the designated safeguarding lead.\n\n"
        "3.2 Staff must keep their personal phones locked away during lessons.\n",
    )
    neutral = asked(index, "A pupil got hold of my personal number and messaged me. What should I do?")
    assert neutral.covered and neutral.strength is None and neutral.text == NO_RULE_VERDICT
    assert asked(index, "A pupil messaged my personal phone. Can I reply to her?").strength == "should_not"


def test_a_rule_question_is_answered_by_the_half_of_a_do_and_do_not_sentence_it_asks_about(
    tmp_path, embedder
):
    index = one_policy_index(
        tmp_path,
        embedder,
        "# Computer Use Agreement\n\nIssued by: Example Academy\n\n## 2. Shared computers\n\n"
        "2.1 Staff must log out of a shared laptop when they finish with it and must not install "
        "software on it.\n\n2.2 Staff must report a lost laptop to the IT office the same day.\n",
    )
    log_out = asked(index, "Do I have to log out of the shared laptop when I'm done?")
    assert (log_out.strength, log_out.source.clause_number) == ("must", "2.1")
    # A permission question reads the sentence whole: its prohibition answers "can I …".
    assert asked(index, "Can I install my own software on the shared laptop?").strength == "must_not"


def test_a_one_sentence_best_clause_answers_in_other_words_but_a_longer_one_needs_shared_words():
    from .test_verdict import answer_of, make_hit

    register = make_hit("Teachers must take a register within ten minutes of each live lesson.", number="5.1")
    recordings = make_hit(
        "Teachers should keep recordings of live lessons for four weeks. The head of year may view them.",
        number="5.2",
        rank=2,
        score=0.5,
    )
    question = "Do I need to mark attendance for online classes?"  # no word in common with 5.1
    # Retrieval matched the question to 5.1 as a whole, and it is one sentence: its rule answers.
    verdict = verdict_for(question, answer_of(register, recordings))
    assert (verdict.strength, verdict.source.clause_number) == ("must", "5.1")
    # With two sentences sharing no word with the question, nothing says which one answers.
    first = make_hit(recordings.clause.text, number="5.2")
    assert verdict_for("Am I allowed to delete old videos of my teaching?", answer_of(first)).strength is None
    # Nor does a one-sentence clause ranked below the best one decide.
    second = make_hit(register.clause.text, number="5.1", rank=2, score=0.5)
    assert verdict_for(question, answer_of(first, second)).strength is None


def test_a_list_under_a_recommendations_heading_with_no_lead_in_recommends_each_item():
    from dataclasses import replace

    from retrieval.types import Hit

    from .test_verdict import answer_of, make_hit

    item = make_hit("That the staff handbook links this policy to the acceptable use policy.", number="6(ii)")
    under_recommendations = replace(item.clause, heading_path=("6. RECOMMENDATIONS",))
    recommended = Hit(under_recommendations, item.score, item.citation, item.rank)
    question = "Should our acceptable use policy link to this policy?"
    verdict = verdict_for(question, answer_of(recommended))
    assert (verdict.strength, verdict.source.clause_number) == ("advised", "6(ii)")
    # The same item under any other heading states no rule, nor does a statement under this one.
    assert verdict_for(question, answer_of(item)).strength is None
    statement = replace(
        under_recommendations, text="The staff handbook links this policy to the acceptable use policy."
    )
    assert verdict_for(question, answer_of(Hit(statement, 0.6, item.citation, 1))).strength is None
