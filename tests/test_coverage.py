"""Questions on subjects the policies leave to other documents are declined — unless the corpus covers them.

Real model, real index: the comparison is with the loaded clauses, so the same question is
answered once a policy on its subject is added.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest

from retrieval import PolicyIndex, build_index
from retrieval.answering.coverage import OtherTopics, other_topics
from retrieval.answering.ranking import RelevanceThresholds, is_answered

PAY_POLICY = """STAFF PAY POLICY
Issued by: Testshire Council  Date: September 2025

1. Pay dates
1.1 Teachers and support staff are paid on the 20th of each month; when the 20th falls at a
weekend, salaries are paid on the Friday before.
1.2 Pension contributions for support staff go to the Local Government Pension Scheme, and
teachers join the Teachers' Pension Scheme.

2. Leave
2.1 Support staff are entitled to 27 days' annual leave a year plus bank holidays, rising to 32
days after five years' continuous service.
"""

OFF_SUBJECT = [
    "Which pension scheme do teaching assistants join?",
    "How much annual leave do support staff get?",
    "when do teachers get paid?",
]


def test_the_topic_list_is_shipped_and_excludes_subjects_the_policies_cover():
    topics = other_topics()
    assert len(topics) >= 15 and all(not t.startswith("#") for t in topics)
    assert not any("grievance" in t or "recruitment" in t or "dress code" in t for t in topics)


def test_a_clearly_closer_other_subject_declines_whatever_the_cosine():
    limits = RelevanceThresholds(min_relevance=0.22, foreign_weight=0.2, other_topic_margin=0.15)
    assert is_answered(0.45, 0.0, limits, other_topic=0.55)
    assert not is_answered(0.45, 0.0, limits, other_topic=0.61)
    assert is_answered(0.45, 0.0, RelevanceThresholds(0.22, 0.2), other_topic=0.99)  # margin off


def test_a_fact_question_needs_less_of_a_margin_than_a_rule_question():
    limits = RelevanceThresholds(0.22, 0.2, other_topic_margin=0.15, information_topic_margin=0.05)
    # "Can I post about a colleague off sick?" asks a rule: declined only when clearly elsewhere.
    assert is_answered(0.45, 0.0, limits, other_topic=0.55, asks_rule=True)
    # "When do I get paid?" asks a fact: a smaller lead for the other subject declines it.
    assert not is_answered(0.45, 0.0, limits, other_topic=0.55, asks_rule=False)
    assert is_answered(0.45, 0.0, limits, other_topic=0.49, asks_rule=False)
    # Unset, fact questions take the rule questions' margin.
    assert is_answered(0.45, 0.0, RelevanceThresholds(0.22, 0.2, 0.15), other_topic=0.55, asks_rule=False)


def test_closest_topic_is_read_with_the_real_model(embedder):
    topics = OtherTopics.embedded(embedder)
    cosine, name = topics.closest(embedder.embed(["how much sick pay will I get when I am off ill"])[0])
    assert "sick pay" in name and 0.3 < cosine <= 1.0
    assert OtherTopics.embedded(embedder, ()).closest(np.ones(embedder.dimension))[0] == -1.0


@pytest.mark.parametrize("question", OFF_SUBJECT)
def test_pay_and_leave_questions_are_not_covered_by_social_media_policies(seed_index: PolicyIndex, question):
    answer = seed_index.search(question)
    assert not answer.answered and not answer.hits
    # The reader is told which subject it reads as, so they know where else to look.
    assert "It reads as a question about" in answer.message


def test_medicine_questions_are_left_to_a_medical_conditions_policy(seed_index: PolicyIndex):
    answer = seed_index.search("can I give a child in my class their medicine")
    assert not answer.answered and "medicine" in answer.message


def test_a_plain_off_topic_question_names_no_subject(seed_index: PolicyIndex):
    answer = seed_index.search("Can I bring my dog into the classroom?")
    assert not answer.answered and "reads as a question about" not in answer.message


def test_in_scope_questions_mentioning_such_words_are_still_answered(seed_index: PolicyIndex):
    in_scope = ("Can I post about a colleague being off sick?", "Can I accept a parent's friend request?")
    for question in in_scope:
        assert seed_index.search(question).answered, question


def test_the_same_questions_are_answered_once_a_pay_policy_is_loaded(
    tmp_path: Path, seed_corpus_copy: Path, embedder
):
    shutil.copytree(seed_corpus_copy, tmp_path / "corpus")
    (tmp_path / "corpus" / "testshire-staff-pay-policy.txt").write_text(PAY_POLICY, encoding="utf-8")
    build_index(tmp_path / "corpus", tmp_path / "index", embedder=embedder)
    index = PolicyIndex.load(tmp_path / "index", embedder=embedder)
    for question in OFF_SUBJECT:
        answer = index.search(question)
        assert answer.answered, question
        assert answer.hits[0].clause.doc_id == "testshire-staff-pay-policy", question
