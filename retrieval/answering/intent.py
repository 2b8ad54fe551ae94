"""What kind of answer a question wants: a rule (may I? must I?) or only the clauses (who? what happens?).

Pure: a question in, a frozen QuestionIntent out. Only permission and obligation questions get a
verdict line; questions about who, what, which, when, where or how long, about consequences
("can I be sacked for …", "what happens if …"), about what a clause says, or about facts ("does
the school monitor …") get the cited clauses and no strength. The rules are ordered: the first
that matches decides, so "what should I do if …" is a rule question although it starts with
"what", and "can I be sued …" is a consequence although it starts with "can I".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

IntentKind = Literal["permission", "obligation", "none"]
Subject = Literal["staff", "school", "governors", "parents", "pupils"]

# "Can I be sued / told off / struck off" is a consequence; "can I be friends with …" asks permission.
_DONE_TO = r"be (?:[a-z]+ed|told|sent|kept|taken|struck|made|given|seen|shown|caught|held|sued|fired)"
_CONSEQUENCE = re.compile(
    r"\b(?:can|could|will|would|might|may) (?:i|we|staff|they|you|the school|schools) "
    r"(?:(?:actually|really|ever|still|even|possibly|seriously|potentially|legally) )?"
    rf"(?:{_DONE_TO}|face|lose|end up|get (?:sacked|fired|disciplined|suspended|dismissed|struck|told off|"
    r"a warning|in trouble|into trouble|reported|referred|done))\b"
    r"|\bwhat (?:happens|will happen|would happen|are the consequences)\b"
    r"|\bin (?:\w+ )?trouble\b|\bconsequences?\b|\bsacked\b|\bfired\b|\bliable\b|\bsued\b"
    r"|\b(?:can|could|will|would|might) [a-z' ]{0,40}?\b(?:get (?:me|you|them|us|staff|involved)|"
    r"be (?:banned|reported|referred|dismissed|disciplined|suspended|removed|prosecuted))\b",
)
# Rule questions phrased with a question word: "what should I do if …", "how should I …",
# "what should governors avoid …", "what must I …".
# "When do we …", "where do I log …", "how do I get …" ask for facts or a procedure: no verdict.
_RULE_WH = re.compile(
    r"\b(?:what|how|when|where)\b[^?]{0,30}?\b(?:should|must|ought to)\b"
    r"(?: (?:i|we|staff|governors|teachers|employees|you|the school|schools|members of staff))\b"
    r"(?!.*\b(?:say|says|mean|means|cover|covers)\b)"
)
# "What am I meant to do?", "is there anything else I'm supposed to do about it?": what to do.
_MEANT_TO_DO = (
    r"\bwhat (?:am i|are we) (?:supposed|meant|expected) to do\b"
    r"|\banything (?:else )?(?:i'm|im|i am|we're|we are) (?:supposed|meant|expected|required) to do\b"
)
# "Do I have to …" is matched by _OBLIGATION_ELSEWHERE, after the who/what/when check: "when do I
# have to do the register" asks when.
_OBLIGATION = re.compile(
    r"\bwhat do (?:i|we) (?:have|need) to do\b"
    r"|\b(?:must|should|shall) (?:i|we|staff|you|governors|teachers|the school|schools)\b"
    r"|\b(?:am i|are we|are staff|is the school|are governors) (?:required|expected|obliged|supposed)\b"
    r"|\bhave i got to\b|\bis it (?:compulsory|mandatory|required)\b"
    r"|\bwhat should i do\b|\bwhat do i do\b|\bwhat must i\b|\bhow should i\b|\bwhat now\b"
    r"|" + _MEANT_TO_DO,
)
_WHAT_TO_DO = re.compile(
    r"\bwhat (?:should|must|do|shall) (?:i|we) do\b|\bwhat now\b"
    r"|\bhow (?:should|do|must) (?:i|we) (?:respond|react|handle|deal)\b"
    r"|" + _MEANT_TO_DO
)
# Checked only when the question does not open with who/what/when/how long: someone or something
# else's duty ("does a visitor have to …", "do I really need a DBS", "should my profile be private").
_OBLIGATION_ELSEWHERE = re.compile(
    r"\b(?:do|does) (?:[a-z']+ ){1,4}?(?:really |still |actually )?(?:have|need|needs|got) to\b"
    r"|\bdo (?:i|we) (?:really |still |actually )?need (?:a|an|my|any|to)\b"
    r"|^(?:is|are) (?:[a-z']+ ){1,6}?(?:compulsory|mandatory|required|obligatory)\b"
    r"|\bshould (?:my|our|the|a|an) (?:[a-z']+ ){0,3}?be\b"
    r"|^(?:should|must|shall) (?!(?:i|we|you) (?:be (?:worried|concerned|scared)|worry)\b)[a-z']+ ",
)
# Governors, trustees and management committees: whose rules and whose questions are theirs.
GOVERNOR_WORDS = re.compile(r"\bgovern(?:or|ors|ing)\b|\bmanagement committee\b|\btrustees?\b", re.I)
# People on site and the things the rules are about, for "can a visitor …", "can my phone …".
_ON_SITE = (
    r"(?:visitors?|contractors?|volunteers?|builders?|plumbers?|workmen|supply|students?|pupils?|"
    r"child|children|kids?|year \d+s?|staff|tas?|nursery|phones?|mobiles?|laptops?|devices?|watch|"
    r"fitbit|son|daughter|partner|husband|wife|friends?)"
)
_PERMISSION = re.compile(
    r"\b(?:can|may|could|might) "
    r"(?:i|we|staff|you|teachers|governors|the school|schools|parents|they|she|he)\b"
    r"|\b(?:am i|are we|are staff|is the school|are governors|are teachers|are parents) "
    r"(?:allowed|permitted|able|ok|okay|free)\b"
    r"|\bis it (?:ok|okay|alright|all right|acceptable|appropriate|allowed|permitted|fine|wrong|legal)\b"
    r"|\b(?:would|will) (?:it|that|this) be (?:ok|okay|alright|all right|acceptable|allowed|fine|a problem)\b"
    r"|\bis (?:it|that|this) a problem\b|\ballowed to\b|\bpermitted to\b|\bany problem\b"
    r"|\b(?:allow|allows|permit|permits|let|lets) (?:\w+ ){1,2}(?:to\b|use\b|have\b|post\b|take\b)"
    # Permission for someone or something else: "can a visitor wear …", "can my phone stay …",
    # "are smart glasses allowed", "is a vpn ok to …".
    r"|^(?:can|may|could) (?:my |a |an |the |our )?(?:[a-z']+ ){0,2}?" + _ON_SITE + r"\b"
    r"|^(?:is|are) (?:[a-z']+ ){1,8}?(?:ok|okay|alright|allowed|permitted|acceptable|a problem)\b",
)
# "Can pupils add me …", "can parents message me …": whether I may accept the contact.
_CONTACTS_ME = re.compile(
    r"\b(?:can|may|could) (?:pupils?|students?|kids|children|parents?|carers?|ex pupils|former pupils|they) "
    r"(?:still )?(?:add|follow|friend|message|contact|text|email|tag|dm|call|ring|phone|snap) (?:me|us)\b"
)
# A question opening with who, which, when or where asks for a person, a thing, a time or a place.
_WH_OPENING = r"^\s*(?:who|whom|whose|which|when|where)\b"
_NO_VERDICT_START = re.compile(
    _WH_OPENING + r"|^\s*(?:why|how (?:long|many|much|often|soon|do i know))\b"
    r"|^\s*what (?:is|are|was|were|does|do|did|counts|kind|sort|type|types|happens)\b"
    r"|^\s*what (?:can|could|will|would)\b"
    r"|^\s*(?:does|do|is|are|has|have) "
    r"(?:the school|schools|the policy|the policies|this policy|the council)\b"
)
_ASKS_WHO_OR_WHERE = re.compile(_WH_OPENING + r"|^\s*why\b")
# How long, how soon, what time: a duration or a moment is the answer, even with "have to" or "should".
_AMOUNT_OR_TIME = re.compile(r"^\s*(?:how (?:long|soon|quickly|often|many|much)|what time|by when)\b")
# "How can I see …" asks for a way to do it; "might I have to give evidence" asks what may happen.
_WAY_OR_LIKELIHOOD = re.compile(
    r"^\s*how (?:can|could) (?:i|we|you|parents|staff)\b"
    r"|\b(?:might|could|will|would) (?:i|we|you) (?:have|need) to\b"
)
# "Can they go through my drive", "can they take my login off me": "they" is someone acting on the
# asker (the school, the board, the police), not a rule for the asker; no verdict.
_THEY_ON_ME = re.compile(r"\b(?:can|could|may|will|would) they\b(?=.*\b(?:me|my|mine)\b)")
# Who, which, when and where ask for a person, a thing, a time or a place, even with "should" or
# "am I supposed to": "where am I supposed to save work files", "when should I tell the head".
# "What" followed by a noun or a state ("what details do I need", "what am I allowed to post", "what
# if …") asks for a thing; only "what should/must/do I …" asks what to do.
_PLACE_TIME_OR_CHOICE = re.compile(
    _WH_OPENING + r"|^\s*what (?!(?:should|must|do|shall|ought|now)\b"
    r"|(?:am i|are we) (?:supposed|meant|expected) to do\b)"
    # "What should my out-of-office say", "what should I think about before …": a thing, not a duty.
    r"|^\s*what (?:should|must) (?:my|our|the|a|an|his|her|their) "
    r"|^\s*what (?:should|must) (?:i|we) (?:think|consider|weigh|bear in mind|know|call|name)\b"
)
# "Does the peripatetic teacher have to follow this?", "does this apply to supply staff": scope.
_SCOPE = re.compile(
    r"\b(?:have|need|has|needs|got) to (?:follow|comply with|stick to|abide by|sign up to) "
    r"(?:this|these|the|our|that)\b(?: [a-z]+)?$"
    r"|\b(?:does|do) (?:this|these|the|that) (?:policy|policies|rules?|guidance|code|agreement) apply\b"
    # "Can volunteers use the whistleblowing procedure?" asks whom it covers, not what they may do.
    r"|\b(?:use|follow|go through) (?:this|the|that|our) (?:[a-z-]+ ){0,2}?(?:procedure|process|policy)\b"
)
# "Does the school allow staff to …" and "is the school allowed to …" ask for a rule although they
# start like a question of fact.
_ALLOWS = re.compile(r"\b(?:allow|allows|permit|permits|let|lets)\b")
_ALLOWED_OR_REQUIRED = re.compile(r"\b(?:allowed|permitted|required|obliged) to\b")
_WORDS = re.compile(r"[a-z']+")
_SCHOOL = r"(?:school|schools|academy|trust|head|headteacher|employer|council|selection panel|governing body)"
_SUBJECTS: tuple[tuple[Subject, re.Pattern[str]], ...] = (
    ("school", re.compile(rf"\b(?:can|may|should|must|does|do|is|could) (?:the )?{_SCHOOL}\b")),
    ("governors", re.compile(r"\b(?:governors?|trustees?|management committee)\b")),
    ("parents", re.compile(r"\b(?:can|may|should|must) (?:parents?|carers?)\b")),
    ("pupils", re.compile(r"\b(?:can|may|should|must) (?:pupils?|students?|children|kids)\b")),
)
_FAMILY = re.compile(
    r"\b(?:nephew|niece|cousin|grandson|granddaughter|grandchild|stepson|stepdaughter|godson|goddaughter)\b"
    r"|\b(?:my|our|his|her) (?:own )?(?:son|daughter|child|children|kid|kids|sister|brother|aunt|uncle|"
    r"family|relative|relatives)\b|\brelated to (?:me|him|her|them)\b|\bfamily members? of mine\b"
)


@dataclass(frozen=True, slots=True)
class QuestionIntent:
    """What a question asks for: its kind, whose conduct it is about, and whether family is involved."""

    kind: IntentKind
    subject: Subject = "staff"
    family: bool = False
    # "What should I do?" asks for a course of action, not for a yes or no.
    open_ended: bool = False

    @property
    def wants_verdict(self) -> bool:
        return self.kind != "none"


def _subject(text: str) -> Subject:
    # "Does the school allow staff to …" and "can pupils add me" ask what staff may do.
    if _CONTACTS_ME.search(text):
        return "staff"
    if _ALLOWS.search(text) and re.search(r"\b(?:staff|teachers|me|us|employees)\b", text):
        return "staff"
    for subject, pattern in _SUBJECTS:
        if pattern.search(text):
            return subject
    return "staff"


def classify_question(question: str) -> QuestionIntent:
    """The intent of a question as typed (reference look-ups are decided before this, by search)."""
    lowered = question.lower().replace("’", "'")
    family = bool(_FAMILY.search(lowered))
    # The asking sentence decides: "A parent posted abuse about a teacher. What can the school do?"
    sentences = [s for s in re.split(r"(?<=[.?!])\s+", lowered.strip()) if s.strip()]
    last = sentences[-1] if sentences else ""
    asked = next((s for s in reversed(sentences) if s.rstrip().endswith("?")), last)
    text = " ".join(_WORDS.findall(asked))
    subject = _subject(text)
    # The part after the last comma may be the question: "I'm struggling at work, who can I talk to".
    after_comma = " ".join(_WORDS.findall(asked.rsplit(",", 1)[-1]))
    if (
        _ASKS_WHO_OR_WHERE.match(after_comma)
        or _CONSEQUENCE.search(text)
        or _AMOUNT_OR_TIME.search(text)
        or _WAY_OR_LIKELIHOOD.search(text)
        or _THEY_ON_ME.search(text)
        or _PLACE_TIME_OR_CHOICE.search(text)
        or _SCOPE.search(text)
    ):
        return QuestionIntent("none", subject, family)
    if _RULE_WH.search(text) or _OBLIGATION.search(text):
        return QuestionIntent("obligation", subject, family, open_ended=bool(_WHAT_TO_DO.search(text)))
    # Each check reads the whole question and the part after its last comma, since either may be
    # the asking part: "my sister keeps posting me, what can I do", "a mum offered me tickets, is that ok".
    asking_parts = (text, after_comma) if after_comma != text else (text,)
    asks_a_rule = _ALLOWS.search(text) or _ALLOWED_OR_REQUIRED.search(text)
    if any(_NO_VERDICT_START.search(part) for part in asking_parts) and not asks_a_rule:
        return QuestionIntent("none", subject, family)
    if any(_OBLIGATION_ELSEWHERE.search(part) for part in asking_parts):
        return QuestionIntent("obligation", subject, family)
    if any(_PERMISSION.search(part) for part in asking_parts) or _CONTACTS_ME.search(text):
        return QuestionIntent("permission", subject, family)
    return QuestionIntent("none", subject, family)
