"""Which questions get a verdict: rule questions do; who/what/when, consequences and look-ups do not."""

from __future__ import annotations

import pytest

from retrieval.answering.intent import classify_question


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("Can I friend a parent on Facebook?", "permission"),
        ("I'm leaving next month, can pupils add me once I've gone", "permission"),
        ("can they go through my drive if they think something's wrong", "none"),
        ("can they take my login off me", "none"),
        ("where am i supposed to save work stuff", "none"),
        ("does the peri guitar teacher have to follow this", "none"),
        ("I'm a governor, do I have to follow this policy?", "none"),
        ("does this policy apply to supply staff", "none"),
        ("do I have to follow up a parent's email the same day?", "obligation"),
        ("which camera am i supposed to use for website photos", "none"),
        ("when should i tell the head about a complaint", "none"),
        ("who should i copy in when answering a stroppy email", "none"),
        ("i'm really struggling at work, who can i talk to", "none"),
        ("my laptop was stolen from my car, who do i need to tell", "none"),
        ("my laptop was stolen from my car, what should i do", "obligation"),
        ("could i get in legal trouble for keeping a screenshot as evidence", "none"),
        ("what details do i need to capture from the nasty posts", "none"),
        ("what am i allowed to have behind me on screen", "none"),
        ("what if a parent sends me a friend request", "none"),
        ("what do i do if a parent texts me", "obligation"),
        ("what must i do before a home visit", "obligation"),
        ("what should my out of office message say", "none"),
        ("what should i think about before accepting an ex pupil", "none"),
        ("what should i use to photograph the class assembly", "obligation"),
        ("can they see my screen from the office?", "none"),
        ("If I tell them, can they keep it confidential?", "permission"),
        ("can parents message me on whatsapp", "permission"),
        ("can pupils bring phones on the trip", "permission"),
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
        # Someone or something else's permission or duty is still a rule question.
        ("can a visitor wear smart glasses in reception", "permission"),
        ("are smart glasses allowed", "permission"),
        ("is a vpn ok to watch a blocked clip", "permission"),
        ("can my phone stay in my pocket during lessons", "permission"),
        ("can i get teams on my own iphone", "permission"),
        ("does a visitor have to put their phone away", "obligation"),
        ("is the 2fa code compulsory", "obligation"),
        ("should my instagram be private", "obligation"),
        ("should contractors tell someone if they spot a breach?", "obligation"),
        ("the dsl is out and a child just disclosed, what now", "obligation"),
        # Time questions and consequences stay without a verdict.
        ("how long does the head have to reply", "none"),
        ("how soon does the safeguarding lead need to hear about a disclosure", "none"),
        ("can breaking the code get me reported to the TRA", "none"),
        ("could the police get involved over a facebook post", "none"),
        ("can a parent be banned from ringing school", "none"),
        # The asking part may follow the last comma.
        ("a parent offered me match tickets while her son's grades are decided, is that ok", "permission"),
        ("a random account messaged my son in a game, should he answer", "obligation"),
        ("my sister keeps posting photos of me on facebook, what can i do", "none"),
        ("my recording was shown in a staff meeting without my agreement, what can i do", "none"),
        # Whom a procedure covers is a question of scope.
        ("can supply teachers use the grievance procedure", "none"),
        ("can i use the complaints process if my child has left", "none"),
        ("can i use the school minibus for a trip", "permission"),
        # Asked in the third person or as "would that be …", and "be" before a noun, not a penalty.
        ("my colleague wants to post about the strike on her own page, can she do that?", "permission"),
        ("a year 10 asked me to play online with him tonight. would that be ok?", "permission"),
        ("can we be friends on facebook now her son is in my class", "permission"),
        ("could I really be struck off for a facebook post", "none"),
        ("would I seriously lose my job over one comment", "none"),
        ("is the school allowed to set up an instagram page for sports results?", "permission"),
        ("a pupil keeps texting my mobile. what am i meant to do?", "obligation"),
        ("I've blocked him already. Is there anything else I'm supposed to do about it?", "obligation"),
    ],
)
def test_kind(question: str, kind: str) -> None:
    assert classify_question(question).kind == kind


@pytest.mark.parametrize(
    ("question", "subject"),
    [
        ("Can the school check candidates' Facebook?", "school"),
        ("I'm leaving next month, can pupils add me once I've gone", "staff"),
        ("Can governors post about school business?", "governors"),
        ("Can I post about school business?", "staff"),
        ("is the school allowed to run a page for parents", "school"),
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


@pytest.mark.parametrize(
    ("question", "open_ended"),
    [
        ("A parent emailed me at home. What should I do?", True),
        ("what do i do now a year 9 has found my tiktok", True),
        ("How should I respond to a nasty post about me?", True),
        ("Should I report a friend request from a pupil?", False),
        ("Do I have to decline it?", False),
        ("Can I reply to her?", False),
        ("A pupil found my number and keeps texting me. What am I meant to do?", True),
    ],
)
def test_what_to_do_questions_are_open_ended(question: str, open_ended: bool) -> None:
    intent = classify_question(question)
    assert intent.wants_verdict and intent.open_ended == open_ended


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("when do we ask for references", "none"),
        ("where do i log a welfare call to a family", "none"),
        ("how do i get outlook working on my mobile", "none"),
        ("when do i have to do the register in a teams lesson", "none"),
        ("a girl from year 10 messaged me, what am i supposed to do", "obligation"),
        ("what should I do with a phishing email?", "obligation"),
        ("how should I reply to an angry parent?", "obligation"),
    ],
)
def test_how_when_where_questions_ask_for_a_rule_only_with_should_or_must(question: str, kind: str) -> None:
    assert classify_question(question).kind == kind


@pytest.mark.parametrize(
    "question",
    [
        "how long have i got to report a missing phone",
        "how quickly does my phone need to auto lock",
        "what time do i need to phone by if she's off sick",
        "How long should I keep the messages?",
    ],
)
def test_questions_answered_by_a_duration_or_a_time_get_no_verdict(question: str) -> None:
    assert classify_question(question).kind == "none"


@pytest.mark.parametrize(
    "question",
    [
        "how can i see what my child has been doing in class",
        "might I have to give evidence",
        "will I have to go to court",
    ],
)
def test_questions_asking_for_a_way_or_what_may_happen_get_no_verdict(question: str) -> None:
    assert classify_question(question).kind == "none"
