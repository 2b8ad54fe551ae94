"""Which questions get a verdict: rule questions do; who/what/when, consequences and look-ups do not."""

from __future__ import annotations

import pytest

from retrieval.answering.intent import classify_question


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("Can I friend a parent on Facebook?", "permission"),
        ("am i allowed to post pics from sports day", "permission"),
        ("Is it OK to follow colleagues on Instagram?", "permission"),
        ("Do I have to report a friend request from a pupil?", "obligation"),
        ("must I use the school email for parents?", "obligation"),
        ("What should I do if a pupil messages me?", "obligation"),
        ("How should I set my privacy settings?", "obligation"),
        ("What should governors avoid doing online?", "obligation"),
        ("Does the school allow staff to use their own phones?", "permission"),
        ("Who does the policy apply to?", "none"),
        ("Which laws cover defamation?", "none"),
        ("When is the policy reviewed?", "none"),
        ("What happens if I break the policy?", "none"),
        ("Can I be sacked for a tweet?", "none"),
        ("Could I get in trouble for an old post?", "none"),
        ("Could the school be held liable for my posts?", "none"),
        ("What does 6.11 say?", "none"),
        ("What counts as confidential information?", "none"),
        ("Does the school monitor my internet use?", "none"),
        ("A parent posted abuse about a teacher. What can the school do?", "none"),
    ],
)
def test_kind(question: str, kind: str) -> None:
    assert classify_question(question).kind == kind


@pytest.mark.parametrize(
    ("question", "subject"),
    [
        ("Can the school check candidates' Facebook?", "school"),
        ("Can governors post about school business?", "governors"),
        ("Can I post about school business?", "staff"),
    ],
)
def test_subject(question: str, subject: str) -> None:
    assert classify_question(question).subject == subject


@pytest.mark.parametrize(
    ("question", "family"),
    [
        ("My nephew is a pupil here. Can we stay friends online?", True),
        ("my own daughter is in year 3, can I follow her on tiktok", True),
        ("can we share info about a family in the staff whatsapp", False),
        ("Can I post photos of children on the school site?", False),
    ],
)
def test_family(question: str, family: bool) -> None:
    assert classify_question(question).family is family
