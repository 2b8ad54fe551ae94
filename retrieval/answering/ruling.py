"""The verdict line for a question: read from the sentence that addresses what was asked, or none at all.

Pure: the question and its answer in, a Verdict out. Three checks stand between a clause's modal
verb and the bold line a reader sees:

1. the question must ask for a rule (answering/intent.py): who/what/when questions, consequences
   and look-ups get no strength;
2. the deciding sentence must address the question: among the sentences of the best-ranked
   clauses, the one sharing the most (rarity-weighted) words with the question and its thesaurus
   wording, about the same party (the school's duties do not answer what staff may do; governors'
   do not answer staff) — and a sentence with no such words decides nothing;
3. an exception the question falls under wins: a question about a relative reads "unless they are
   family members" as "may".
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from ..types import Answer, Hit
from .intent import GOVERNOR_WORDS, QuestionIntent, Subject, classify_question
from .lexical import Thesaurus, default_thesaurus, expansion_terms, rarity_weights, tokenize
from .verdict import (
    LABELS,
    NOT_COVERED_VERDICT,
    Stance,
    Strength,
    Verdict,
    VerdictSource,
    doc_label,
    exception_in,
    mixes_do_and_do_not,
    rule_parts,
    sentence_strength,
    sentences,
    strength_of,
)

NO_RULE_VERDICT = "See the cited clauses"
NOT_ADDRESSED_VERDICT = "No clause states a rule on exactly this – read the cited clauses"
# Obligation questions ("do I have to …", "what should I do …") read better without "Yes"/"No".
OBLIGATION_LABELS: dict[Strength, str] = {
    **LABELS,
    "must_not": "Must not",
    "should_not": "Should not",
    "must": "Required – must",
    "may": "Allowed – may",
}
EXPANSION_WEIGHT = 0.5
MIN_ADDRESS = 1.0
RARITY_FLOOR = 20
# A fragment this short ending in a semicolon, with no rule of its own, is the next rule's condition.
CONDITION_WORDS = 10
# Sentences addressing the question at least this share as well as the best count as equally good.
LEAD_SHARE = 0.75
# Only clauses scoring at least this share of the best are read. Fitted on the training policies'
# labelled questions (0.80 / 0.85 / 0.90 / 0.95: 2,894 / 2,903 / 2,914 / 2,928 of 5,005 right); above
# 0.85 the own set's neighbouring-clause answers are lost (75 / 75 / 73 / 71 of 84).
CLOSE_SCORE_SHARE = 0.85
# Whose duty a sentence states is read from the words just before its first modal verb ("Schools
# should not …", "The education establishment will …"); a passive rule ("School email addresses
# must not be used …") has a thing there, not a party, and binds whoever reads it.
_MODAL = re.compile(r"\b(?:must|should|shall|will|may|can|cannot|are|is|ought)\b", re.IGNORECASE)
_INSTITUTION = re.compile(
    r"\b(?:schools?|settings?|establishments?|headteachers?|employers?|council|councils|panels?|pru|"
    r"academy|academies|college|trust|federation|management)$",
    re.IGNORECASE,
)
# Without a modal, an institution named first that acts ("Oakfield School monitors …").
_INSTITUTION_START = re.compile(
    r"^(?:the |our )?(?:[a-z'&-]+ ){0,3}?(?:schools?|pru|academy|college|trust|council|establishment)"
    r" (?:monitors|reserves|will|may|can|provides|expects|does|records|checks)\b",
    re.IGNORECASE,
)
_PARENT_SUBJECT = re.compile(r"^(?:the |all )?(?:parents?|carers?)\b", re.IGNORECASE)
# The people a question is about must be the people the rule is about: friending a parent is not
# contacting a pupil. A sentence naming none of these is about everyone.
_PEOPLE: dict[str, re.Pattern[str]] = {
    "parents": re.compile(
        r"\bparents?\b|\bcarers?\b|\bmums?\b|\bdads?\b|\bmothers?\b|\bfathers?\b|\bguardians?\b"
        r"|\bpupils' famil|\btheir famil|\bfamilies\b",
        re.I,
    ),
    "pupils": re.compile(
        r"\bpupils?\b(?!')|\bstudents?\b|\bchild(?:ren)?\b(?!'s)|\bkids?\b|\byoung people\b|\byear \d+s?\b",
        re.I,
    ),
    "colleagues": re.compile(r"\bcolleagues?\b|\bco-?workers?\b|\bother (?:teachers|staff)\b", re.I),
}
_FIRST_PERSON = re.compile(r"\b(?:i|i'm|im|me|my|we|us|our)\b")
_FAMILY_EXCEPTION = re.compile(r"\bfamily\b|\brelated\b|\brelatives?\b", re.IGNORECASE)
_ALTERNATIVE = re.compile(r"\b(?:rather than|instead of)\b", re.IGNORECASE)
# "Use X rather than Y": asked about Y, a rule to do X is a rule against Y.
_AGAINST_THE_ALTERNATIVE: dict[Strength, Strength] = {"must": "must_not", "advised": "should_not"}


@dataclass(frozen=True, slots=True)
class _Candidate:
    """A sentence of a cited clause, the rule it states (if any) and how well it addresses the question."""

    hit: Hit
    sentence: str
    strength: Strength | None
    address: float


@dataclass(frozen=True, slots=True)
class _Rule:
    """A candidate sentence that states a rule about the party the question asks about."""

    hit: Hit
    sentence: str
    strength: Strength
    address: float


def sentence_subject(sentence: str, hit: Hit) -> Subject:
    """Whose conduct a sentence governs, from its subject and, for governors, its headings."""
    start = re.sub(r"^(?:that |in addition,? |however,? |also,? )", "", sentence.strip().lower())
    modal = _MODAL.search(start)
    before = start[: modal.start()].strip() if modal else ""
    if (before and _INSTITUTION.search(before)) or (not modal and _INSTITUTION_START.match(start)):
        return "school"
    if _PARENT_SUBJECT.match(start):
        return "parents"
    heading = hit.clause.heading
    # A heading names governors alone ("Governing Body Document"), not "Staff, Management Committee …".
    governors_heading = GOVERNOR_WORDS.search(heading) and not re.search(r"\bstaff\b", heading, re.I)
    if governors_heading or GOVERNOR_WORDS.match(start):
        return "governors"
    return "staff"


def _answers_subject(asked: Subject, governs: Subject, *, first_person: bool = False) -> bool:
    if asked == governs:
        return True
    # Rules for staff bind governors and volunteers as well unless the policy has their own.
    if asked == "governors" and governs == "staff":
        return True
    # "Can I …" may be asked by a governor or a parent: their own rules answer it (staff rules are
    # preferred below when both do). The school's duties never answer what I may do.
    return first_person and asked == "staff" and governs in ("governors", "parents")


def _candidates(
    question: str, hits: Sequence[Hit], thesaurus: Thesaurus, *, split_mixed: bool = False
) -> list[_Candidate]:
    asked = tokenize(question)
    expanded = [t for t in tokenize(" ".join(expansion_terms(thesaurus.matches(question)))) if t not in asked]
    pieces = [
        (hit, lead, sentence, position == 0)
        for hit in hits
        for position, (lead, sentence) in enumerate(_sentences_with_lead(hit.clause.text))
    ]
    # At least RARITY_FLOOR sentences, so one short clause's words are not all "common".
    weights = rarity_weights([*asked, *expanded], [s for _, _, s, _ in pieces], floor=RARITY_FLOOR)

    def address_of(text: str) -> float:
        words = set(tokenize(text))
        return sum(weights[t] for t in set(asked) & words) + EXPANSION_WEIGHT * sum(
            weights[t] for t in set(expanded) & words
        )

    found = []
    condition = ""
    for hit, lead, sentence, first in pieces:
        # A rule after a condition cut off by a semicolon reads with it: "On leaving the service;
        # staff members must not contact pupils" answers "can pupils add me once I've gone".
        condition = "" if first else condition
        # A list item is read with its lead-in ("Staff should not: … give out their details").
        context = f"{hit.clause.stem} {lead} {condition}"
        stem_strength = strength_of(hit.clause.stem) if hit.clause.stem else _heading_strength(hit)
        strength = sentence_strength(sentence, stem_strength, continues_stem=first)
        if strength is None and lead:
            strength = sentence_strength(lead, stem_strength)
        if strength in _AGAINST_THE_ALTERNATIVE and _asks_the_alternative(set(asked), weights, sentence):
            strength = _AGAINST_THE_ALTERNATIVE[strength]
        parts = rule_parts(sentence) if split_mixed else []
        for part, force in parts:
            # Each part of a "must … and must not …" sentence is its own rule, still read as the
            # whole sentence's (its subject, its exception).
            found.append(_Candidate(hit, sentence, force, address_of(f"{context} {part}")))
        if not parts:
            found.append(_Candidate(hit, sentence, strength, address_of(f"{context} {sentence}")))
        short = len(sentence.split()) <= CONDITION_WORDS
        condition = sentence if strength is None and short and sentence.rstrip().endswith(";") else ""
    return found


_RECOMMENDATIONS = re.compile(r"\brecommendations?\b|\brecommended\b", re.IGNORECASE)


def _heading_strength(hit: Hit) -> Strength | None:
    """A list under "Recommendations" with no lead-in recommends each item ("That staff are …")."""
    clause = hit.clause
    that_item = clause.text.lstrip().lower().startswith("that ")
    return "advised" if that_item and _RECOMMENDATIONS.search(clause.heading) else None


def _asks_the_alternative(asked: set[str], weights: dict[str, float], sentence: str) -> bool:
    """Whether the question asks about what a sentence says to avoid ("… rather than Y")."""
    parts = _ALTERNATIVE.split(sentence, maxsplit=1)
    if len(parts) < 2:
        return False
    preferred, avoided = (sum(weights[t] for t in asked & set(tokenize(part))) for part in parts)
    return avoided > preferred


def _sentences_with_lead(text: str) -> list[tuple[str, str]]:
    """(lead-in, sentence) pairs: a bullet inside a clause takes the force of the line that introduces it.

    "That they do not conduct themselves in a manner which may:- • bring the school into disrepute"
    reads the bullet as a "do not" rule.
    """
    pairs: list[tuple[str, str]] = []
    lead = ""
    for line in text.split("\n"):
        bullet = line.startswith("• ")
        body = line[2:] if bullet else line
        for sentence in sentences(body):
            pairs.append((lead if bullet else "", sentence))
        if not bullet:
            lead = line.strip() if line.rstrip().endswith((":", ":-", "-")) else ""
    return pairs


def people_in(text: str) -> frozenset[str]:
    return frozenset(kind for kind, pattern in _PEOPLE.items() if pattern.search(text))


def _about_the_same_people(asked: frozenset[str], rule: _Rule) -> bool:
    named = people_in(f"{rule.hit.clause.stem} {rule.sentence}")
    return not asked or not named or bool(asked & named)


def _source(hit: Hit) -> VerdictSource:
    clause = hit.clause
    return VerdictSource(clause.doc_id, doc_label(hit), clause.clause_id, clause.number, hit.rank)


def _label(strength: Strength, intent: QuestionIntent) -> str:
    return (OBLIGATION_LABELS if intent.kind == "obligation" else LABELS)[strength]


def verdict_for(
    question: str,
    answer: Answer,
    *,
    depth: int = 3,
    min_ratio: float = CLOSE_SCORE_SHARE,
    thesaurus: Thesaurus | None = None,
) -> Verdict:
    """The verdict line for ``question`` from its answer's best clauses (see the module docstring).

    Args:
        question: the question as asked.
        answer: its answer, hits best first.
        depth: how many of the best hits are read.
        min_ratio: only hits scoring at least this share of the best are read.
        thesaurus: everyday → policy wording (default: the shipped one).
    """
    if depth < 1:
        raise ValueError(f"depth must be at least 1. Currently, depth is {depth!r}.")
    if not answer.answered or not answer.hits:
        return Verdict(NOT_COVERED_VERDICT, None, None, covered=False)
    intent = classify_question(question)
    if not intent.wants_verdict or all(h.matched_by == "reference" for h in answer.hits):
        return Verdict(NO_RULE_VERDICT, None, None)
    first_person = bool(_FIRST_PERSON.search(question.lower()))
    ranked = sorted(answer.hits, key=lambda h: h.rank)[:depth]
    best = ranked[0].score
    close = [h for h in ranked if best > 0 and h.score >= best * min_ratio] or ranked[:1]
    candidates = [
        _Rule(c.hit, c.sentence, c.strength, c.address)
        # "Do I have to log out?" is answered by the "must" half of "must log out and must not …";
        # "can I …?" by the sentence as a whole, whose prohibition is the answer.
        for c in _candidates(
            question, close, thesaurus or default_thesaurus(), split_mixed=intent.kind == "obligation"
        )
        if c.strength is not None
        and _answers_subject(intent.subject, sentence_subject(c.sentence, c.hit), first_person=first_person)
    ]
    if intent.family:
        allowing = [c for c in candidates if _FAMILY_EXCEPTION.search(exception_in(c.sentence) or "")]
        allowing += [
            c
            for c in candidates
            if c not in allowing and _FAMILY_EXCEPTION.search(c.sentence) and c.strength in ("may", "caution")
        ]
        if allowing:
            lead = max(allowing, key=lambda c: (c.address, -c.hit.rank))
            source = _source(lead.hit)
            exception = exception_in(lead.sentence)
            text = LABELS["may"] + (f" … if “{exception}”" if exception else "") + f" ({source.format()})"
            return Verdict(text, "may", source, (Stance("may", source, exception),))
    asked_people = people_in(question)
    addressing = [
        c for c in candidates if c.address >= MIN_ADDRESS and _about_the_same_people(asked_people, c)
    ]
    if not addressing:
        addressing = _sole_rule_of_best_clause(candidates, ranked[0], asked_people)
    if not addressing:
        return Verdict(NOT_ADDRESSED_VERDICT, None, None)
    # A question about the school's or the governors' own conduct is answered by their own rules
    # when the policies have any; staff rules stand in only when they have none.
    own = [c for c in addressing if sentence_subject(c.sentence, c.hit) == intent.subject]
    addressing = own or addressing
    # Best-ranked clause first among sentences that address the question about equally well.
    top = max(c.address for c in addressing)
    equally_good = (c for c in addressing if c.address >= LEAD_SHARE * top)
    lead = min(equally_good, key=lambda c: (c.hit.rank, -c.address))
    if intent.open_ended and mixes_do_and_do_not(lead.sentence):
        # "What should I do?" answered by "do not reply, and report it": no one label says that.
        return Verdict(NO_RULE_VERDICT, None, None)
    stances = _stances(lead, addressing)
    if len({s.strength for s in stances}) > 1:
        text = "The policies differ – " + "; ".join(s.format() for s in stances)
        return Verdict(text, lead.strength, stances[0].source, tuple(stances), disagreement=True)
    stance = stances[0]
    text = _label(lead.strength, intent)
    if stance.exception:
        text += f" … unless “{stance.exception}”"
    return Verdict(f"{text} ({stance.source.format()})", lead.strength, stance.source, tuple(stances))


def _sole_rule_of_best_clause(
    candidates: Sequence[_Rule], best: Hit, asked_people: frozenset[str]
) -> list[_Rule]:
    """The best clause's rule when that clause is one sentence, else nothing.

    Retrieval matched the question to that whole clause, so its only sentence is what matched, even
    when they share no word ("mark attendance" and "take a register"). With several sentences the
    words must say which one answers.
    """
    own = [c for c in candidates if c.hit.rank == best.rank]
    if len(own) != 1 or len(sentences(best.clause.text)) != 1:
        return []
    return own if _about_the_same_people(asked_people, own[0]) else []


def _stances(lead: _Rule, addressing: Sequence[_Rule]) -> list[Stance]:
    """The lead sentence's stance, then each other document's best-addressing one."""
    chosen = {lead.hit.clause.doc_id: lead}
    for candidate in sorted(addressing, key=lambda c: (-c.address, c.hit.rank)):
        chosen.setdefault(candidate.hit.clause.doc_id, candidate)
    stances = []
    for candidate in chosen.values():
        stances.append(Stance(candidate.strength, _source(candidate.hit), exception_in(candidate.sentence)))
    return stances


def verdict_to_json(verdict: Verdict) -> dict[str, object]:
    """The verdict as ``ask --json`` and ``search --questions`` print it."""
    sources = [verdict.source] if verdict.source else []
    sources += [s.source for s in verdict.stances if verdict.source is None or s.source != verdict.source]
    return {
        "label": verdict.text if verdict.strength is None else verdict.text.split(" (")[0],
        "strength": verdict.strength,
        "covered": verdict.covered,
        "sources": [{"doc_id": s.doc_id, "clause": s.clause_number} for s in sources],
    }
