"""Clause references and document names inside a question ("Lancashire 4.1(iv)", "para 5.6").

Pure functions: a question in, the references and document mentions it contains out, and the
clauses a reference names. HR staff cite clauses; those questions are answered by exact lookup.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from ..ingest.labels import reference_tokens
from ..ingest.markup import LETTERED_NUMBER, roman_to_int
from ..types import Clause, DocumentMeta

# An item, and a roman or numbered item under a lettered one: "5.3(b)", "5.3(b)(ii)".
_ITEM = r"(?:\s*\(\s*([ivxlc]{1,6}|[a-z]|\d{1,2})\s*\)(?:\s*\(\s*([ivxlc]{1,6}|\d{1,2})\s*\))?)?"
_KEYWORD = r"(?:clause|section|sect\.?|s\.|para(?:graph)?|par\.|§|article|art\.|part|item|point|no\.?|number)"
_APPENDIX_REF = re.compile(
    r"\b(appendix|annex|annexe|schedule|attachment)\s+([a-z]|\d{1,2}|[ivx]{1,4})\b", re.I
)
_DOTTED_REF = re.compile(r"(?<![\d.])(\d{1,2}(?:\.\d{1,3}){1,3})(?![\d])" + _ITEM, re.I)
_ITEM_REF = re.compile(r"(?<![\d.])(\d{1,2})" + _ITEM.removesuffix("?"), re.I)
_KEYWORD_REF = re.compile(r"\b" + _KEYWORD + r"\s*(\d{1,3})(?![\d.])" + _ITEM, re.I)
_BARE_NUMBER = re.compile(r"^\s*(\d{1,2})" + _ITEM + r"\s*[?.!]*\s*$", re.I)
# Lettered paragraph numbers ("B3", "C3.2"): after a keyword in any case; on their own only in
# capitals and only when a policy has such a paragraph, since "A4 paper" is not a clause reference.
_LETTERED = "(" + LETTERED_NUMBER + r")(?!\w|\.\d)"
_KEYWORD_LETTERED_REF = re.compile(r"\b" + _KEYWORD + r"\s*" + _LETTERED + _ITEM, re.I)
_LETTERED_REF = re.compile(r"(?<![\w.])" + _LETTERED + _ITEM)
_TRAILING_ITEM = re.compile(r"^\s*\(\s*([ivxlc]{1,6}|[a-z]|\d{1,2})\s*\)")

# Words that name a kind of document, not a particular one: never a document alias.
_GENERIC_NAME_WORDS = frozenset(
    [
        "policy",
        "policies",
        "guidance",
        "guide",
        "guidelines",
        "procedure",
        "procedures",
        "model",
        "code",
        "document",
        "documents",
        "agreement",
        "social",
        "media",
        "networking",
        "sites",
        "site",
        "use",
        "using",
        "the",
        "of",
        "on",
        "and",
        "for",
        "in",
        "to",
        "a",
        "an",
        "other",
        "forms",
        "council",
        "county",
        "borough",
        "metropolitan",
        "city",
        "district",
        "authority",
        "local",
        "education",
        "establishments",
        "establishment",
        "school",
        "schools",
        "staff",
        "mbc",
        "lcc",
    ]
)


@dataclass(frozen=True, slots=True)
class ClauseReference:
    """A clause a question cites, as a canonical key (``4.1(iv)``, ``5``, ``appendix 3``)."""

    key: str
    text: str
    section_level: bool


def canonical_number(number: str) -> str:
    """Lower-case, no space around brackets, single spaces: '4.1 (IV)' → '4.1(iv)'."""
    text = re.sub(r"\s*\(\s*", "(", number.lower().strip())
    text = re.sub(r"\s*\)", ")", text)
    return re.sub(r"\s+", " ", text)


def _item_variants(item: str) -> tuple[str, ...]:
    """A sub-item written as (4) or (iv) means the same item; letters stay letters."""
    item = item.lower()
    if item.isdigit():
        value = int(item)
        numerals = ["i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x", "xi", "xii"]
        return (item, numerals[value - 1]) if 1 <= value <= len(numerals) else (item,)
    value = roman_to_int(item)
    if value is not None and len(item) > 1:
        return (item, str(value))
    return (item,) if value is None else (item, str(value))


def _items(match: re.Match[str]) -> str:
    """The bracketed items after a matched number, canonical: "(b)(ii)", or ""."""
    return "".join(f"({item.lower()})" for item in match.groups()[1:3] if item)


def find_references(question: str, *, lettered: frozenset[str] = frozenset()) -> tuple[ClauseReference, ...]:
    """Clause references in a question, in the order they appear, without repeats.

    ``lettered`` holds the lettered paragraph numbers the policies have ("b3"), canonical.
    """
    found: list[tuple[int, ClauseReference]] = []
    taken: list[tuple[int, int]] = []

    def add(start: int, end: int, key: str, section_level: bool) -> None:
        if any(s < end and start < e for s, e in taken):
            return
        taken.append((start, end))
        found.append((start, ClauseReference(key, question[start:end], section_level)))

    for match in _APPENDIX_REF.finditer(question):
        add(match.start(), match.end(), f"appendix {match.group(2).lower()}", True)
    for match in _KEYWORD_LETTERED_REF.finditer(question):
        add(match.start(), match.end(), match.group(1).lower() + _items(match), not _items(match))
    for match in _LETTERED_REF.finditer(question):
        if match.group(1).lower() in lettered:
            add(match.start(), match.end(), match.group(1).lower() + _items(match), not _items(match))
    for match in _DOTTED_REF.finditer(question):
        items = _items(match)
        add(match.start(), match.end(), match.group(1) + items, not items)
    for match in _ITEM_REF.finditer(question):
        add(match.start(), match.end(), match.group(1) + _items(match), False)
    for match in _KEYWORD_REF.finditer(question):
        items = _items(match)
        if not items and (following := _TRAILING_ITEM.match(question[match.end() :])):
            items = f"({following.group(1).lower()})"
        add(match.start(), match.end(), match.group(1) + items, not items)
    return tuple(reference for _, reference in sorted(found, key=lambda pair: pair[0]))


def find_bare_reference(question: str, *, without: Iterable[str] = ()) -> ClauseReference | None:
    """A question that is only a number once document names are removed ('Lancashire 5', '4(ii)')."""
    text = question
    for word in without:
        text = re.sub(rf"\b{re.escape(word)}\b", " ", text, flags=re.I)
    if match := _BARE_NUMBER.match(text):
        items = _items(match)
        return ClauseReference(match.group(1) + items, question.strip(), not items)
    return None


def _key_variants(key: str) -> set[str]:
    match = re.match(r"^(.*?)\(([^)]+)\)$", key)
    if not match:
        return {key}
    return {f"{match.group(1)}({variant})" for variant in _item_variants(match.group(2))}


def lookup(reference: ClauseReference, clauses: Sequence[Clause]) -> tuple[Clause, ...]:
    """Clauses a reference names, in document order.

    A section-level reference ('section 3', '4.1', 'Appendix 3') returns the clause or block
    with that number and everything numbered beneath it (3.1, 3.2 …; 4.1(i) …).
    """
    keys = _key_variants(reference.key)
    # An item's own sub-items come with it: "5.3(b)" with 5.3(b)(i) and (ii), read with it.
    separators = (".", "(") if reference.section_level else ("(",)
    prefixes = tuple(f"{key}{sep}" for key in keys for sep in separators)
    return tuple(
        c
        for c in clauses
        if canonical_number(c.number) in keys or canonical_number(c.number).startswith(prefixes)
    )


def lettered_numbers(clauses: Iterable[Clause]) -> frozenset[str]:
    """The lettered paragraph numbers among the clauses ("a1", "c3.2"), canonical."""
    numbers = (canonical_number(clause.number) for clause in clauses)
    return frozenset(number for number in numbers if re.fullmatch(LETTERED_NUMBER, number, re.I))


def document_aliases(metas: Mapping[str, DocumentMeta]) -> dict[str, frozenset[str]]:
    """Words that name exactly one document (place or body names from its id, title and issuer)."""
    candidates: dict[str, set[str]] = {}
    for doc_id, meta in metas.items():
        words = re.findall(r"[a-z]+", f"{doc_id} {meta.title} {meta.issuer}".lower().replace("-", " "))
        candidates[doc_id] = {w for w in words if len(w) > 2 and w not in _GENERIC_NAME_WORDS}
    counts: dict[str, int] = {}
    for words in candidates.values():
        for word in words:
            counts[word] = counts.get(word, 0) + 1
    # A word in several titles ("pupils", "safeguarding") names none of them.
    return {doc_id: frozenset(w for w in words if counts[w] == 1) for doc_id, words in candidates.items()}


def find_document_mentions(
    question: str, aliases: Mapping[str, frozenset[str]]
) -> tuple[tuple[str, str], ...]:
    """(doc_id, word) for each document the question names by a proper name ('Doncaster')."""
    words = set(re.findall(r"[a-z]+", question.lower()))
    proper = {w.lower() for w in re.findall(r"\b[A-Z][a-z]+", question)} | {
        w.lower() for w in re.findall(r"\b[A-Z]{2,}\b", question)
    }
    mentions = []
    for doc_id, names in aliases.items():
        for name in sorted(names & words):
            # Lower-case matches count only for words that are not ordinary English ('model').
            if name in proper or name in doc_id.split("-")[:1]:
                mentions.append((doc_id, name))
    return tuple(mentions)


# Words a reference question wraps around the reference itself ("what does … say?").
_REFERENCE_FILLER = frozenset(
    [
        "what",
        "whats",
        "does",
        "do",
        "did",
        "say",
        "says",
        "said",
        "show",
        "me",
        "tell",
        "read",
        "the",
        "a",
        "an",
        "of",
        "in",
        "under",
        "from",
        "is",
        "see",
        "please",
        "text",
        "wording",
        "words",
        "full",
        "quote",
        "clause",
        "section",
        "sect",
        "para",
        "paragraph",
        "item",
        "bullet",
        "part",
        "reference",
        "ref",
        "number",
        "no",
        "about",
        "at",
        "s",
    ]
)
# Longest question still treated as a typed-back reference: more words than this is a question.
_MAX_REFERENCE_TOKENS = 24


def label_table(clauses: Sequence[Clause]) -> dict[tuple[str, ...], tuple[int, ...]]:
    """Reference words → positions of the clauses cited by that reference (one per document)."""
    table: dict[tuple[str, ...], list[int]] = {}
    for position, clause in enumerate(clauses):
        tokens = reference_tokens(clause.label)
        if tokens:
            table.setdefault(tokens, []).append(position)
    return {tokens: tuple(positions) for tokens, positions in table.items()}


def find_labelled(
    question: str, table: Mapping[tuple[str, ...], Sequence[int]], *, ignore: Iterable[str] = ()
) -> tuple[int, ...]:
    """Clauses whose full reference the question is, give or take filler and document names.

    "Appendix 1, item 6", "doncaster appendix 1 item 6" and "what does 5, bullet 3 say?" name one
    clause; "can I post photos under appendix 1?" is a question, because "can", "post" and
    "photos" are neither filler nor a document's name. The longest matching reference wins.
    """
    tokens = reference_tokens(question)
    if not tokens or len(tokens) > _MAX_REFERENCE_TOKENS:
        return ()
    spare = _REFERENCE_FILLER | {word.lower() for word in ignore} | _GENERIC_NAME_WORDS
    for length in range(len(tokens), 0, -1):
        for start in range(len(tokens) - length + 1):
            positions = table.get(tokens[start : start + length])
            if positions is None:
                continue
            leftover = tokens[:start] + tokens[start + length :]
            if all(word in spare for word in leftover):
                return tuple(positions)
    return ()
