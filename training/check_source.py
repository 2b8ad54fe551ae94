"""Check one training source before it joins the corpus.

Run: .venv/bin/python training/check_source.py training/source/team_x.py

Renders the policy into a temporary folder, reads it back with the product's parser and cuts the
gold quotes, so a writer sees clause counts and any quote that is not unique without touching the
committed files.
"""

from __future__ import annotations

import sys
import tempfile
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

from make_data import load, questions_for, render  # noqa: E402

from retrieval import parse_clauses, read_document  # noqa: E402

STRENGTHS = {
    "must_not",
    "should_not",
    "discouraged",
    "not_advisable",
    "approval",
    "caution",
    "must",
    "advised",
    "may",
}


def check(source: Path) -> list[str]:
    doc = load(source)
    problems: list[str] = []
    for _heading, items in doc["sections"]:
        for number, text, strength, questions in items:
            if strength is not None and strength not in STRENGTHS:
                problems.append(f"{number}: unknown strength {strength!r}")
            if number not in ("LEAD", "TABLE", "") and len(questions) < 3:
                problems.append(f"{number}: {len(questions)} questions, want 3 to 5 ({text[:40]}...)")
            for question in questions:
                if question[:2] not in ("p:", "n:"):
                    problems.append(f"{number}: question without p:/n: prefix: {question!r}")
    with tempfile.TemporaryDirectory() as folder:
        policy = Path(folder) / f"{doc['id']}.md"
        policy.write_text(render(doc), encoding="utf-8")
        clauses = parse_clauses(read_document(policy))
        try:
            asked = questions_for(doc, policy)
        except SystemExit as error:
            problems.append(str(error))
            asked = []
    refs = Counter(c.reference for c in clauses)
    problems += [f"citation {n!r} is shared by {k} clauses" for n, k in refs.items() if k > 1]
    answerable = [q for q in asked if q["answerable"]]
    print(f"{doc['id']}: {len(clauses)} clauses parsed, {len(answerable)} questions")
    return problems


if __name__ == "__main__":
    found = check(Path(sys.argv[1]))
    print("\n".join(found) if found else "OK")
    sys.exit(1 if found else 0)
