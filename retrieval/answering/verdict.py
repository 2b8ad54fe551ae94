"""A one-line verdict derived from the obligation wording of the cited clauses (pure).

The verdict is a *label* ("No – must not", "Only with approval", "Yes, with caution") plus the
clause it was read from. It is never presented as policy text: the only corpus words it carries
are an exception ("unless …") quoted verbatim, in quotation marks, from the same clause.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from ..types import Answer, Hit

Strength = Literal[
    "must_not",
    "approval",
    "should_not",
    "discouraged",
    "not_advisable",
    "caution",
    "must",
    "advised",
    "may",
]

LABELS: dict[Strength, str] = {
    "must_not": "No – must not",
    "approval": "Only with approval",
    "should_not": "No – should not",
    "discouraged": "Strongly discouraged",
    "not_advisable": "Not advisable",
    "caution": "Yes, with caution",
    "must": "Required – must",
    "advised": "Advised – should",
    "may": "Yes – may",
}
# Short forms used when documents are listed side by side.
SHORT: dict[Strength, str] = {
    "must_not": "must not",
    "approval": "only with approval",
    "should_not": "should not",
    "discouraged": "strongly discouraged",
    "not_advisable": "not advisable",
    "caution": "caution",
    "must": "must",
    "advised": "should",
    "may": "may",
}
NOT_COVERED_VERDICT = "The policies do not cover this"
NO_OBLIGATION_VERDICT = "No rule wording found – read the cited clauses"

# Checked in this order within one sentence: the first pattern that matches decides, so
# "must not" wins over "must" and "caution is advised" is caution rather than advice.
_PATTERNS: tuple[tuple[Strength, re.Pattern[str]], ...] = tuple(
    (strength, re.compile(pattern))
    for strength, pattern in (
        (
            "approval",
            r"\bonly\b[^.;]{0,80}?\b(?:with|after|once|given)\b[^.;]{0,40}?"
            r"\b(?:approval|permission|consent|authori[sz]ation|agreement)\b"
            r"|\b(?:prior|written) (?:approval|permission|consent)\b|\bsubject to (?:\w+ ){0,3}approval\b"
            # "… and only where parents have agreed", "only if the head has approved it".
            r"|\bonly (?:where|if|when|once)\b[^.;]{0,60}?\b(?:agreed|consented|approved|authori[sz]ed)\b"
            r"|\bnot\b[^.;]{0,60}?\bwithout (?:the )?(?:\w+ ){0,2}"
            r"(?:approval|permission|consent|authori[sz]ation)\b"
            # "… must first get agreement from their line manager", "must seek the head's permission".
            r"|\bmust (?:first |always )?(?:get|obtain|seek|have|ask for) (?:the |their |prior |written )?"
            r"(?:[\w']+ ){0,2}?(?:agreement|permission|approval|consent|authori[sz]ation)\b"
            r"(?= (?:from|of|for|to|before|first)\b|[.;,)]|$)"  # not "must get the consent list"
            # "should not take a camera home unless the headteacher has agreed".
            r"|\b(?:must|should) not\b[^.;]{0,80}?\bunless\b[^.;]{0,50}?"
            r"\b(?:agreed|approved|authori[sz]ed|given (?:permission|consent))\b"
            # "Photos may be used on displays, provided the parent has agreed on the consent form."
            r"|\b(?:may|can)\b[^.;]{0,80}?\b(?:provided|as long as|so long as)\b[^.;]{0,40}?"
            r"\b(?:agreed|consented|approved|authori[sz]ed|given (?:permission|consent))\b",
        ),
        (
            "must_not",
            r"\b(?:must|shall|may|can) ?not\b|\bmustn't\b|\bmust never\b|\bshall never\b"
            r"|\b(?:is|are) not (?:permitted|allowed)\b|\bprohibited\b|\bforbidden\b|\bmust decline\b"
            # First-person undertakings of a signed agreement: "I will not …", "I will comply … and not …".
            r"|\bi (?:will|shall) not\b|\bi won't\b|\bi will never\b|\bi will [^.;]{0,60}? and not\b"
            r"|\bwill not be (?:used|taken|distributed|shared|published|posted|stored)\b"
            # "No personal phone may be carried …", "No one may start work until …"; "… are not acceptable".
            r"|\bno (?:one|[a-z-]+(?: [a-z-]+){0,5}?) (?:may|shall|must)\b"
            r"|\b(?:is|are) (?:not acceptable|unacceptable)\b"
            # A school's own voice: "We never publish a child's full name …", "we do not tag pupils".
            r"|\bwe (?:do not|don't|never|will not|won't) (?!expect|require|ask|need|mind|know|have\b)"
            # Present-tense rules: "Staff never take photos in toilets or changing areas".
            r"|^(?:the |all )?(?:staff|teachers|employees|volunteers|governors|adults|visitors)"
            r"(?: [a-z]+){0,3}? never\b",
        ),
        ("discouraged", r"\bdiscouraged\b"),
        (
            "not_advisable",
            r"\bnot advisable\b|\bnot advised\b|\b(?:in|un)advisable\b|\bshould be avoided\b"
            r"|\badvise (?:\w+ )?against\b",
        ),
        ("should_not", r"\bshould not\b|\bshouldn't\b|\bshould never\b|\bought not\b"),
        (
            "caution",
            r"\bcaution\b|\bcareful\b|\bbe aware\b|\bthink carefully\b"
            # Allowed with a care to take: "Staff may name the school on LinkedIn, but should recognise …".
            r"|\b(?:i|you|staff|staff members|employees|teachers|governors|volunteers|they|colleagues"
            r"|members|parents) (?:may|can)\b(?! (?:lead|result|be|face))[^.;]{0,150}?,? but "
            r"(?:should|must)\b(?! not)",
        ),
        ("must", r"\bmust\b|\bshall\b|\b(?:is|are) required to\b|\bi (?:will|agree to|accept|undertake)\b"),
        ("advised", r"\badvised\b|\bshould\b|\brecommended\b|\bexpected to\b"),
        (
            "may",
            # "Pupils can …" often says what they are able to do, and "parents and pupils may search
            # for me" what might happen; a rule for pupils opens its sentence: "Pupils in Year 6 may …".
            r"(?:\b(?:i|you|staff|staff members|employees|teachers|governors|volunteers|they|members)"
            r" (?:may|can)"
            r"|^(?:the |all )?(?:pupils|students|children|colleagues)\b[^,;]{0,60}? may)"
            # "… may bring the school into disrepute" is a risk, not a permission.
            r"\b(?! (?:lead|result|be|face|render|portray|also have|"
            r"bring (?:[a-z']+ ){0,3}?(?:into|disrepute|discredit)))"
            r"|\b(?:is|are) (?:permitted|allowed|free to|welcome to)\b"
            # Not required is allowed not to: "Teachers do not need to mark every submission" (but
            # "staff do not need to be sure a child is harmed" is about certainty, not an action).
            r"|\b(?:do not|does not|don't|doesn't) (?:need|have) to (?!be\b)|\bneed not (?!be\b)"
            r"|\b(?:is|are) not required to (?!be\b)",
        ),
    )
)
# A sub-item that is a bare prohibition ("That they do not form …") takes its force from its stem.
_BARE_NEGATION = re.compile(
    r"^(?:that )?(?:they |you |staff |employees )?(?:do not|don't|never|not to|not)\b"
)
_NEGATED_FROM_STEM: dict[Strength, Strength] = {
    "must": "must_not",
    "must_not": "must_not",
    "advised": "should_not",
    "should_not": "should_not",
    "not_advisable": "not_advisable",
}
_EXCEPTION = re.compile(
    r"\b(?:unless|except(?: where| when| if| for)?|other than)\b\s+([^.;:]+)", re.IGNORECASE
)
# A full stop ends a sentence, except in "e.g." and "i.e." ("(e.g. on school trips)" stays put).
_SENTENCE_END = re.compile(r"(?<!\be\.g\.)(?<!\bi\.e\.)(?<=[.!?;])\s+|\n+")
MAX_EXCEPTION_WORDS = 8
_ISSUER_SUFFIX = re.compile(
    r"\s+(?:metropolitan borough|borough|county|city|district)?\s*council\b.*$|\s+mbc\b.*$", re.IGNORECASE
)


@dataclass(frozen=True, slots=True)
class VerdictSource:
    """The clause a verdict was read from."""

    doc_id: str
    doc_label: str
    clause_id: str
    clause_number: str
    rank: int

    @property
    def clause_label(self) -> str:
        return clause_label(self.clause_number)

    def format(self) -> str:
        return f"{self.doc_label}, {self.clause_label} [{self.rank}]"


@dataclass(frozen=True, slots=True)
class Stance:
    """One document's position: the strength of its wording and any verbatim exception."""

    strength: Strength
    source: VerdictSource
    exception: str = ""

    def format(self) -> str:
        text = SHORT[self.strength]
        if self.exception:
            text += f" … unless “{self.exception}”"
        return f"{self.source.doc_label}: {text} ({self.source.clause_label} [{self.source.rank}])"


@dataclass(frozen=True, slots=True)
class Verdict:
    """What the answer amounts to, as a label with its source; never a quotation of policy.

    ``strength`` is None when the question is not covered or no obligation wording was found.
    ``stances`` holds one entry per document that had obligation wording, best-ranked first;
    ``disagreement`` is True when those documents use different strengths.
    """

    text: str
    strength: Strength | None
    source: VerdictSource | None
    stances: tuple[Stance, ...] = ()
    disagreement: bool = False
    covered: bool = True
    """False when the policies do not cover the question at all."""

    @property
    def label(self) -> str:
        return LABELS[self.strength] if self.strength else self.text


def clause_label(number: str) -> str:
    """'clause 6.3' for numbered clauses, 'Appendix 3' or 'preamble' as they are."""
    return number if number[:1].isalpha() else f"clause {number}"


def doc_label(hit: Hit) -> str:
    """A short name for a document: the issuer's place name, else the title up to a dash."""
    issuer = _ISSUER_SUFFIX.sub("", hit.citation.issuer).strip()
    if issuer:
        return issuer
    return re.split(r"\s+[–—-]\s+", hit.citation.doc_title, maxsplit=1)[0].strip() or hit.clause.doc_id


def sentences(text: str) -> list[str]:
    return [part.strip() for part in _SENTENCE_END.split(text) if part.strip()]


# A modal describing a thing's state, not anyone's duty: "any website that is blocked when it
# should not be", "open when it should be blocked".
_STATE_MODAL = re.compile(
    r"\b(?:when|where|if|that|which|than) (?:it|they|this|these|those|one) (?:should|must|would|could)"
    r"(?: not|n't)? be\b"
)


def strength_of(sentence: str) -> Strength | None:
    """The strongest obligation wording in one sentence, by the fixed precedence above."""
    lowered = _STATE_MODAL.sub(" ", sentence.lower().replace("’", "'"))
    for strength, pattern in _PATTERNS:
        if pattern.search(lowered):
            return strength
    return None


_NEGATIVE: frozenset[Strength] = frozenset({"must_not", "should_not", "discouraged", "not_advisable"})
_POSITIVE: frozenset[Strength] = frozenset({"must", "advised"})
_IMPERATIVE_NOT = re.compile(r"(?:do not|don't|never)\b")
_PART_BOUNDARY = re.compile(r";|,? and (?:then )?|,? but |, then ")


def _part_force(part: str) -> Strength | None:
    return "must_not" if _IMPERATIVE_NOT.match(part.lower()) else strength_of(part)


def _forced_parts(sentence: str) -> list[tuple[str, Strength | None]]:
    """A sentence cut at "and", "but" and semicolons, each part with its own force."""
    parts = [part.strip() for part in _PART_BOUNDARY.split(sentence)]
    return [(part, _part_force(part)) for part in parts if part]


def _both_forbid_and_require(parts: Sequence[tuple[str, Strength | None]]) -> bool:
    forces = {force for _, force in parts}
    return bool(forces & _NEGATIVE) and bool(forces & _POSITIVE)


def mixes_do_and_do_not(sentence: str) -> bool:
    """Whether one sentence both forbids and requires ("should not respond and must report it")."""
    return _both_forbid_and_require(_forced_parts(sentence))


def rule_parts(sentence: str) -> list[tuple[str, Strength | None]]:
    """A sentence that both requires and forbids, cut into its parts with their own force; else [].

    "Users must log out when they finish and must not leave a laptop signed in" answers "do I have
    to log out" with its first part and "can I leave it signed in" with its second.
    """
    parts = _forced_parts(sentence)
    return parts if _both_forbid_and_require(parts) else []


def exception_in(sentence: str) -> str:
    """The verbatim words after 'unless'/'except' in a sentence, shortened; '' if none."""
    match = _EXCEPTION.search(sentence)
    if not match:
        return ""
    words = match.group(1).split()
    shortened = " ".join(words[:MAX_EXCEPTION_WORDS])
    return shortened + (" …" if len(words) > MAX_EXCEPTION_WORDS else "")


def sentence_strength(
    sentence: str, stem_strength: Strength | None, *, continues_stem: bool = False
) -> Strength | None:
    """A sentence's force; ``continues_stem`` when it is the first sentence of an item under a lead-in."""
    strength = strength_of(sentence)
    if strength is None and stem_strength is None and _IMPERATIVE_NOT.match(sentence.lower()):
        # An instruction on its own: "Do not ask leading questions." (Under a lead-in the stem
        # decides its force instead: "Staff should:" … "not reply".)
        strength = "must_not"
    if strength is None and stem_strength and _BARE_NEGATION.match(sentence.lower()):
        strength = _NEGATED_FROM_STEM.get(stem_strength)
    if strength is None and stem_strength == "not_advisable":
        strength = stem_strength
    if strength is None and stem_strength is not None and continues_stem:
        # A list item with no modal of its own takes its lead-in's force: "Staff must:" … "lock
        # their screen" is a "must". Later sentences of the item explain; they decide nothing.
        strength = stem_strength
    return strength


def stance_of(hit: Hit) -> Stance | None:
    """Read a hit's obligation: the highlighted sentence first, then the clause body, then its stem.

    The exception ("unless …") is taken from the deciding sentence, else from another sentence
    of the same clause with the same strength (a clause often states the rule, then details).
    """
    clause = hit.clause
    body = sentences(clause.text)
    # A highlight inside the stem or note is not the clause's own rule; read the body then.
    candidates = [hit.highlight] if hit.highlight and hit.highlight in clause.text else []
    stem_strength = strength_of(clause.stem) if clause.stem else None
    for sentence in candidates + body:
        first = bool(body) and sentence == body[0]
        strength = sentence_strength(sentence, stem_strength, continues_stem=first)
        if strength is not None:
            same = [s for s in body if s != sentence and sentence_strength(s, stem_strength) == strength]
            exception = next((e for e in map(exception_in, [sentence, *same]) if e), "")
            source = VerdictSource(clause.doc_id, doc_label(hit), clause.clause_id, clause.number, hit.rank)
            return Stance(strength, source, exception)
    if stem_strength is not None:
        source = VerdictSource(clause.doc_id, doc_label(hit), clause.clause_id, clause.number, hit.rank)
        return Stance(stem_strength, source)
    return None


def derive_verdict(answer: Answer, *, depth: int = 3, min_ratio: float = 0.8) -> Verdict:
    """Derive the one-line verdict from the cited clauses' own obligation wording.

    Args:
        answer: the search answer, hits best first.
        depth: only the best ``depth`` hits are read.
        min_ratio: of those, only hits scoring at least this fraction of the best score, so a
            weakly related clause with strong wording does not decide the verdict.

    Returns:
        A Verdict naming the clause it comes from; when documents use different strengths,
        ``disagreement`` is set and the text lists each document's position.
    """
    if depth < 1:
        raise ValueError(f"depth must be at least 1. Currently, depth is {depth!r}.")
    if not answer.answered or not answer.hits:
        return Verdict(NOT_COVERED_VERDICT, None, None, covered=False)
    ranked = sorted(answer.hits, key=lambda h: h.rank)[:depth]
    best = ranked[0].score
    # Scores need not be on one scale across search versions; a ratio to the best one is robust.
    close = [hit for hit in ranked if best > 0 and hit.score >= best * min_ratio] or ranked[:1]
    stances = _first_stance_per_document(close)
    if not stances:
        return Verdict(NO_OBLIGATION_VERDICT, None, None)
    lead = stances[0]
    disagreement = len({stance.strength for stance in stances}) > 1
    if disagreement:
        text = "The policies differ – " + "; ".join(stance.format() for stance in stances)
    else:
        text = LABELS[lead.strength]
        if lead.exception:
            text += f" … unless “{lead.exception}”"
        text += f" ({lead.source.format()})"
    return Verdict(text, lead.strength, lead.source, tuple(stances), disagreement)


def _first_stance_per_document(hits: Sequence[Hit]) -> list[Stance]:
    stances: dict[str, Stance] = {}
    for hit in sorted(hits, key=lambda h: h.rank):
        if hit.clause.doc_id in stances:
            continue
        stance = stance_of(hit)
        if stance is not None:
            stances[hit.clause.doc_id] = stance
    return list(stances.values())
