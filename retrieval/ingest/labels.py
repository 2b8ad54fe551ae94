"""A unique reference for every clause of a document, readable aloud ("6.11", "Appendix 1, item 6").

Pure: one document's clauses in reading order in, the same clauses with ``reference`` set out.
The document's own number is the reference when no other clause shares it. Clauses that share a
number (the bullets of an unnumbered section 5, the items of an appendix, the paragraphs under one
heading of an unnumbered policy) are told apart by their position under it, counting list items
(clauses with a lead-in) and paragraphs separately: "5, item 3", "Appendix 2, paragraph 4".
Positions count clauses, not lines or pages, so the same policy saved as text, PDF or Word gets
the same references, and a rebuild gives the same ones again.
"""

from __future__ import annotations

import dataclasses
import re
from collections import Counter
from collections.abc import Sequence

from ..types import Clause

PREAMBLE_LABEL = "Preamble"


def anchor_of(clause: Clause) -> str:
    """What a clause is numbered or headed by: its number, or 'Preamble' before any heading."""
    return PREAMBLE_LABEL if clause.number.lower() == "preamble" else clause.number


def _part_kind(clause: Clause) -> str:
    # A clause with a lead-in is one item of a list ("This means that adults should: …").
    return "item" if clause.stem else "paragraph"


def _top_heading(clause: Clause) -> str:
    return clause.heading_path[0] if clause.heading_path else ""


def label_clauses(clauses: Sequence[Clause]) -> tuple[Clause, ...]:
    """Give each clause of one document a reference no other clause of that document has."""
    anchors = [anchor_of(c) for c in clauses]
    shared = Counter(a.lower() for a in anchors)
    # A number repeated under different top-level headings (numbering restarts in an appendix)
    # is told apart by that heading first: "Appendix 2, 1".
    tops: dict[str, set[str]] = {}
    for clause, anchor in zip(clauses, anchors, strict=True):
        tops.setdefault(anchor.lower(), set()).add(_top_heading(clause))
    qualified: list[str] = []
    for clause, anchor in zip(clauses, anchors, strict=True):
        top = _top_heading(clause)
        restarts = shared[anchor.lower()] > 1 and len(tops[anchor.lower()]) > 1
        if restarts and top and not top.lower().startswith(anchor.lower()):
            qualified.append(f"{top}, {anchor}")
        else:
            qualified.append(anchor)
    counts = Counter(q.lower() for q in qualified)
    positions: Counter[tuple[str, str]] = Counter()
    labelled: list[Clause] = []
    for clause, base in zip(clauses, qualified, strict=True):
        if counts[base.lower()] == 1:
            reference = base
        else:
            kind = _part_kind(clause)
            positions[(base.lower(), kind)] += 1
            reference = f"{base}, {kind} {positions[(base.lower(), kind)]}"
        labelled.append(dataclasses.replace(clause, reference=reference))
    return tuple(labelled)


def reference_tokens(text: str) -> tuple[str, ...]:
    """Lower-case words and numbers of a reference or question, punctuation dropped: '4.1(iv)' → 4 1 iv."""
    return tuple(re.findall(r"[a-z0-9]+", text.lower()))
