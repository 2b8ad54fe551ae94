"""Verdicts derived from clause wording: tiny literal clauses, then the real seed index."""

from __future__ import annotations

import pytest

from retrieval import Answer, Citation, Clause, Hit
from retrieval.answering.verdict import (
    NO_OBLIGATION_VERDICT,
    NOT_COVERED_VERDICT,
    derive_verdict,
    exception_in,
    mixes_do_and_do_not,
    sentence_strength,
    stance_of,
    strength_of,
)

from .conftest import DONCASTER, LANCASHIRE

ISSUERS = {DONCASTER: "Doncaster Metropolitan Borough Council", LANCASHIRE: "Lancashire County Council"}


def make_hit(text: str, *, doc: str = DONCASTER, number: str = "6.3", rank: int = 1, score: float = 0.6,
             stem: str = "") -> Hit:  # fmt: skip
    clause = Clause(f"{doc}-{number}", doc, number, ("6 PERSONAL USE",), 0, len(text), text, stem=stem)
    citation = Citation(
        doc, f"{ISSUERS[doc].split()[0]} policy", ISSUERS[doc], number, "6 PERSONAL USE", "2021"
    )
    return Hit(clause, score, citation, rank)


def answer_of(*hits: Hit) -> Answer:
    return Answer("question?", True, hits)


@pytest.mark.parametrize(
    ("sentence", "strength"),
    [
        ("Staff members must not have contact with any pupil.", "must_not"),
        ("Official addresses may not be used for personal accounts.", "must_not"),
        ("Staff must decline 'friend requests' from pupils.", "must_not"),
        ("They can only do so with the approval of the education establishment.", "approval"),
        ("Friendships with former pupils should be strongly discouraged.", "discouraged"),
        ("It is not advisable to become an on-line friend.", "not_advisable"),
        ("Schools should not access social networking sites to vet candidates.", "should_not"),
        ("Caution is advised when inviting work colleagues to be 'friends'.", "caution"),
        ("Any use of social media must be in a professional manner.", "must"),
        ("Staff are strongly advised to set strict privacy levels.", "advised"),
        ("Staff may use the official school account for announcements.", "may"),
        ("Any breach of this policy may lead to disciplinary action.", None),
        ("Staff may bring a trade union representative to any meeting.", "may"),
        ("Careless posts by staff may bring the school into disrepute.", None),
        ("Pupils in Years 5 and 6 who walk home alone may bring a mobile phone.", "may"),
        ("Remember that parents and pupils may search for you online.", None),
        ("Children can be very persuasive online.", None),
        ("Report any site that is blocked when it should not be, or open when it should be blocked.", None),
        ("Staff must report any site that is open when it should be blocked.", "must"),
        ("This policy applies to personal webspace.", None),
        ("Teachers may use recorded lessons from a national library.", "may"),
        ("We never publish a child's full name next to their photograph.", "must_not"),
        ("We do not tag pupils or their families.", "must_not"),
        ("We do not expect staff to answer emails at the weekend.", None),
        ("We may give first names only, and only where parents have agreed.", "approval"),
        ("Replies are sent only when the head has approved them.", "approval"),
        ("We may refuse permission to film at future events.", None),
        ("Teachers do not need to mark every submission individually.", "may"),
        ("Staff do not need to be sure that a child is being harmed.", None),
        ("In the nursery no personal mobile phone may be carried by any adult.", "must_not"),
        ("Staff may make calls where no pupils can see them.", "may"),
        ("Posts that name another pupil are not acceptable on any platform.", "must_not"),
        ("Staff are free to use their phones at break.", "may"),
        ("I may connect my own tablet to the guest wifi.", "may"),
        ("Think carefully before liking posts about local campaigns.", "caution"),
        ("A teacher with no other phone must first get agreement from their line manager.", "approval"),
        ("Staff must seek the headteacher's permission before filming.", "approval"),
        ("Staff should not take a school camera home unless the headteacher has agreed.", "approval"),
        ("Staff must not take a camera home unless it is charged.", "must_not"),
        ("Staff must get the consent list from the office.", "must"),
        ("Staff never take photos in toilets or changing areas.", "must_not"),
        ("Parents who have never used the app are shown how.", None),
        ("Photos may be used on displays, provided the parent has agreed on the form.", "approval"),
        ("Staff may use the hall at lunch, provided it is booked.", "may"),
        ("We would advise against naming the school on a course blog.", "not_advisable"),
        ("Parents are welcome to film their own child at the nativity.", "may"),
        ("Parents are welcome at the summer fair.", None),
        ("Staff may name the school on LinkedIn, but should recognise that it is public.", "caution"),
        ("Staff may keep in touch with a suspended colleague but must not discuss the case.", "must_not"),
        ("Posts may be seen by parents, but staff should report abuse.", "advised"),
        ("Staff may run a class account only where a member of the senior team has agreed it.", "approval"),
    ],
)
def test_strength_of_a_sentence(sentence, strength):
    assert strength_of(sentence) == strength


@pytest.mark.parametrize(
    ("sentence", "exception"),
    [
        (
            "Must not contact any pupil, unless the pupils are family members.",
            "the pupils are family members",
        ),
        ("No pupil contact except where the head has agreed; otherwise never.", "the head has agreed"),
        ("Staff must not contact pupils.", ""),
        ("must not unless a b c d e f g h i j k.", "a b c d e f g h …"),
    ],
)
def test_exception_is_quoted_verbatim_and_shortened(sentence, exception):
    assert exception_in(sentence) == exception


def test_bare_prohibition_takes_its_force_from_the_stem():
    hit = make_hit(
        "That they do not form on-line 'friendships' with parents.",
        doc=LANCASHIRE,
        number="4.1(iv)",
        stem="Employees should be advised as follows:-",
    )
    stance = stance_of(hit)
    assert stance is not None and stance.strength == "should_not"
    assert (stance.source.doc_id, stance.source.clause_number) == (LANCASHIRE, "4.1(iv)")


def test_an_instruction_on_its_own_forbids_but_under_a_lead_in_takes_its_force():
    assert sentence_strength("Do not ask leading questions.", None) == "must_not"
    assert sentence_strength("Do not reply to the message.", "advised") == "should_not"


def test_heading_stem_gives_the_strength_of_a_plain_item():
    hit = make_hit(
        "To become an on-line 'friend' with any pupil.", number="Appendix 3", stem="IT IS NOT ADVISABLE:-"
    )
    assert stance_of(hit).strength == "not_advisable"


def test_single_document_verdict_is_a_label_with_its_source():
    verdict = derive_verdict(answer_of(make_hit("Official email must not be used for personal accounts.")))
    assert verdict.strength == "must_not" and not verdict.disagreement
    assert verdict.text == "No – must not (Doncaster, clause 6.3 [1])"
    assert verdict.label == "No – must not"
    assert (verdict.source.doc_id, verdict.source.clause_number, verdict.source.rank) == (DONCASTER, "6.3", 1)


def test_disagreeing_documents_are_listed_side_by_side():
    verdict = derive_verdict(
        answer_of(
            make_hit(
                "That they do not form friendships.",
                doc=LANCASHIRE,
                number="4.1(iv)",
                stem="should be advised",
            ),
            make_hit(
                "Staff must not have contact with any pupil, unless the pupils are family members.", rank=2
            ),
        )
    )
    assert verdict.disagreement and verdict.strength == "should_not"
    assert verdict.text == (
        "The policies differ – Lancashire: should not (clause 4.1(iv) [1]); "
        "Doncaster: must not … unless “the pupils are family members” (clause 6.3 [2])"
    )
    assert [s.source.doc_id for s in verdict.stances] == [LANCASHIRE, DONCASTER]


def test_agreeing_documents_are_not_a_disagreement():
    verdict = derive_verdict(
        answer_of(make_hit("You must not do it."), make_hit("Staff must not do it.", doc=LANCASHIRE, rank=2))
    )
    assert not verdict.disagreement and verdict.text.startswith("No – must not (Doncaster")


def test_weakly_related_strong_wording_does_not_decide():
    verdict = derive_verdict(
        answer_of(
            make_hit("Caution is advised when inviting colleagues.", score=0.6),
            make_hit("Staff must not do something else.", doc=LANCASHIRE, rank=2, score=0.3),
        )
    )
    assert verdict.strength == "caution" and not verdict.disagreement


def test_not_answered_and_wordless_answers():
    assert derive_verdict(Answer("q", False, (), "The policies do not cover this question.")).text == (
        NOT_COVERED_VERDICT
    )
    verdict = derive_verdict(answer_of(make_hit("This policy applies to personal webspace.")))
    assert verdict.text == NO_OBLIGATION_VERDICT and verdict.strength is None and verdict.source is None


def test_verdict_never_carries_clause_text_other_than_a_quoted_exception():
    text = "Staff members must not have contact with any pupil, unless the pupils are family members."
    verdict = derive_verdict(answer_of(make_hit(text)))
    unquoted = verdict.text.replace("“the pupils are family members”", "")
    assert "contact" not in unquoted and "pupil" not in unquoted


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("Can I friend a parent on Facebook?", "Lancashire: should not"),
        (
            "Can I use my school email address to sign up for Twitter?",
            "No – must not (Doncaster, clause 6.10",
        ),
        ("How many days of annual leave am I entitled to?", NOT_COVERED_VERDICT),
    ],
)
def test_verdicts_on_the_seed_policies(seed_index, question, expected):
    verdict = derive_verdict(seed_index.search(question))
    assert expected in verdict.text


@pytest.mark.parametrize(
    ("stem", "item", "strength"),
    [
        ("Staff must:", "lock their screen whenever they leave the room.", "must"),
        ("Staff must:", "never share their password with anyone.", "must_not"),
        ("Staff should:", "keep personal phones out of sight in class.", "advised"),
    ],
)
def test_a_list_item_takes_the_force_of_its_lead_in(stem: str, item: str, strength: str) -> None:
    stance = stance_of(make_hit(item, stem=stem))
    assert stance is not None and stance.strength == strength


def test_only_the_first_sentence_of_an_item_continues_its_lead_in() -> None:
    hit = make_hit("keep a log of the call. This helps the office follow it up.", stem="Staff must:")
    from retrieval.answering.verdict import sentence_strength, sentences

    first, second = sentences(hit.clause.text)
    assert sentence_strength(first, "must", continues_stem=True) == "must"
    assert sentence_strength(second, "must", continues_stem=False) is None


@pytest.mark.parametrize(
    ("sentence", "mixed"),
    [
        ("Staff should not reply and must report the message to the headteacher.", True),
        ("Do not delete the images; you must tell the DSL straight away.", True),
        ("Staff must decline friend requests from pupils.", False),
        ("Staff must lock their screens and must change their passwords each term.", False),
        ("Staff should not post photographs of pupils.", False),
    ],
)
def test_a_sentence_that_both_forbids_and_requires_is_recognised(sentence: str, mixed: bool) -> None:
    assert mixes_do_and_do_not(sentence) == mixed


def test_a_rule_reads_with_the_condition_cut_off_by_its_semicolon():
    from retrieval.answering.ruling import verdict_for

    question = "I'm leaving next month, can pupils add me once I've gone"
    friend_requests = make_hit(
        "Staff members must decline requests from pupils.",
        number="6.3",
        rank=1,
        score=0.62,
    )
    on_leaving = make_hit(
        "On leaving the service; staff members must not contact pupils.",
        number="6.7",
        rank=2,
        score=0.6,
    )
    verdict = verdict_for(question, answer_of(friend_requests, on_leaving))
    assert verdict.strength == "must_not"
    assert verdict.source is not None and verdict.source.clause_number == "6.7"
