"""How well a policy saved as PDF or Word parses, measured against the same policy's own text.

Given the sentences the authors wrote and the clauses the parser found in a rendering, report what a
reader would notice: clauses found, references shared by more than one clause, sentences not whole
in exactly one clause, and whether the references match those of another rendering (pure).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from ..types import Clause

_SENTENCE_END = re.compile(r"(?<=[.;:?!])\s+(?=[A-Z(])")
_NOT_WORD = re.compile(r"[^a-z0-9£%]+")


def fold(text: str) -> str:
    """Lower-case words only, so line wrapping, bullets, cell bars and dashes do not matter."""
    return " ".join(_NOT_WORD.sub(" ", text.lower()).split())


def sentences(text: str) -> list[str]:
    """The sentences of a written passage; table rows count as one sentence per row."""
    if "|" in text:
        return [row for row in text.splitlines() if row.strip() and not set(row) <= set("|-: ")]
    return [part for part in _SENTENCE_END.split(text) if len(fold(part)) > 0]


@dataclass(frozen=True, slots=True)
class ParseReport:
    """One rendering of one document, compared with what its authors wrote."""

    doc_id: str
    form: str
    clauses: int
    shared_references: int
    sentences: int
    sentences_not_whole: int
    references_differ: int
    pages_missing: int

    @property
    def unique_share(self) -> float:
        return 1 - self.shared_references / self.clauses if self.clauses else 0.0

    @property
    def whole_share(self) -> float:
        return 1 - self.sentences_not_whole / self.sentences if self.sentences else 0.0


# A sentence this short ("No.", "Yes, with care.") could be any clause's; it places nothing.
MIN_PLACED_WORDS = 3


def lost_sentences(written: Iterable[str], clauses: Sequence[Clause]) -> list[str]:
    """Written sentences that are not whole inside exactly one clause's own words.

    A clause's own words are its text and note; its stem is its lead-in's (an item "(b)(i)" shows
    "(b)" above it), so counting stems would find the lead-in's sentences in every sub-item.
    """
    bodies = [fold(f"{clause.text} {clause.note}") for clause in clauses]
    lost = []
    for sentence in written:
        folded = fold(sentence)
        if len(folded.split()) < MIN_PLACED_WORDS:
            continue
        if sum(folded in body for body in bodies) != 1:
            lost.append(sentence)
    return lost


def parse_report(
    doc_id: str,
    form: str,
    written: Sequence[str],
    clauses: Sequence[Clause],
    reference_clauses: Sequence[Clause] | None = None,
    *,
    paged: bool = False,
) -> ParseReport:
    counts = Counter(clause.label for clause in clauses)
    sentence_list = [sentence for passage in written for sentence in sentences(passage)]
    differ = 0
    if reference_clauses is not None:
        theirs = [(clause.label, fold(clause.text)) for clause in reference_clauses]
        ours = [(clause.label, fold(clause.text)) for clause in clauses]
        differ = len(set(theirs) ^ set(ours))
    return ParseReport(
        doc_id=doc_id,
        form=form,
        clauses=len(clauses),
        shared_references=sum(count for count in counts.values() if count > 1),
        sentences=len(sentence_list),
        sentences_not_whole=len(lost_sentences(sentence_list, clauses)),
        references_differ=differ,
        pages_missing=sum(clause.page is None for clause in clauses) if paged else 0,
    )


def parse_table(reports: Iterable[ParseReport]) -> str:
    """The per-document parse table as Markdown."""
    lines = [
        "| document | form | clauses | shared refs | sentences | not whole | differ from .md | no page |",
        "|---|---|---:|---:|---:|---:|---:|---:|",
    ]
    for r in reports:
        lines.append(
            f"| {r.doc_id} | {r.form} | {r.clauses} | {r.shared_references} | {r.sentences} | "
            f"{r.sentences_not_whole} | {r.references_differ} | {r.pages_missing} |"
        )
    return "\n".join(lines)
