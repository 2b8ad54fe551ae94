"""Write training/policies/*.md and training/questions/*.jsonl from the team's sources in training/source/.

Each source module defines DOC: the policy's sections and clauses, each clause with the questions
staff ask about it ("p:" a permission or obligation question, which takes the clause's strength as
its verdict; "n:" any other question, whose verdict is "none"). Quotes are cut from the clause text
and the clause numbers are read back with the product's own parser, so the gold labels cannot drift
from the policies. Run: .venv/bin/python training/make_data.py
"""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from retrieval import parse_clauses, read_document  # noqa: E402
from retrieval.models.training_data import normalise  # noqa: E402

QUOTE_WORDS = 8
OFF_TOPIC = [
    "how much is the teachers' pay award this year",
    "when do i get paid in december",
    "how many days annual leave do support staff get",
    "can I join the local government pension scheme",
    "where do I park if the staff car park is full",
    "what is the uniform supplier for pupils",
    "how do I claim mileage for a course",
    "when are the inset days this year",
    "who do I ask about maternity pay",
    "what time does the breakfast club open",
    "how do i book a room for parents evening",
    "is there a staff discount at the gym",
]


def render(doc: dict) -> str:
    lines = [f"# {doc['title']}", "", *doc["front"], ""]
    for heading, clauses in doc["sections"]:
        lines += [heading, ""]
        previous_bullet = False
        for number, text, _strength, _questions in clauses:
            if number == "-":
                lines.append(f"- {text}")
                previous_bullet = True
                continue
            if previous_bullet:
                lines.append("")
            previous_bullet = False
            if number in ("LEAD", "TABLE", ""):
                lines += [text, ""] if number != "LEAD" else [text]
            else:
                lines += [f"{number} {text}", ""]
        if previous_bullet:
            lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def quote_for(text: str, document_text: str) -> str:
    """The first run of QUOTE_WORDS words of the clause that occurs only once in the document."""
    words = text.split()
    folded = normalise(document_text)
    for start in range(0, max(len(words) - QUOTE_WORDS, 0) + 1):
        quote = " ".join(words[start : start + QUOTE_WORDS])
        if folded.count(normalise(quote)) == 1:
            return quote
    return text


def questions_for(doc: dict, policy: Path) -> list[dict]:
    document = read_document(policy)
    clauses = parse_clauses(document)
    out: list[dict] = []
    count = 0
    for _heading, items in doc["sections"]:
        for _number, text, strength, questions in items:
            if not questions:
                continue
            quote = quote_for(text, document.text)
            # The clause's own words: a sub-item also shows its lead-in ("(b) … where:" above
            # "(b)(i)"), so the lead-in's quote is in its sub-items' full text as well.
            holders = [c for c in clauses if normalise(quote) in normalise(c.text)]
            if len(holders) != 1:
                raise SystemExit(f"{doc['id']}: quote {quote!r} is in {len(holders)} clauses")
            for question in questions:
                kind, _, asked = question.partition(":")
                count += 1
                verdict = [strength] if kind == "p" and strength else ["none"]
                out.append(
                    {
                        "id": f"{doc['id']}-q{count:03d}",
                        "question": asked.strip(),
                        "answerable": True,
                        "expect": [{"doc": doc["id"], "clause": holders[0].number, "quote": quote}],
                        "verdict": verdict,
                        "style": "obligation" if kind == "p" else "plain",
                    }
                )
    for number, question in enumerate(OFF_TOPIC[:6] if len(out) % 2 else OFF_TOPIC[6:], start=1):
        out.append(
            {
                "id": f"{doc['id']}-off{number:02d}",
                "question": question,
                "answerable": False,
                "expect": [],
                "verdict": ["not_covered"],
                "style": "off_topic",
            }
        )
    return out


def load(path: Path) -> dict:
    spec = importlib.util.spec_from_file_location(path.stem, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.DOC


def main() -> None:
    for source in sorted((HERE / "source").glob("team_*.py")):
        doc = load(source)
        policy = HERE / "policies" / f"{doc['id']}.md"
        policy.parent.mkdir(exist_ok=True)
        policy.write_text(render(doc), encoding="utf-8")
        questions = questions_for(doc, policy)
        target = HERE / "questions" / f"{doc['id']}.jsonl"
        target.parent.mkdir(exist_ok=True)
        lines = "".join(json.dumps(q, ensure_ascii=False) + "\n" for q in questions)
        target.write_text(lines, encoding="utf-8")
        clauses = len(parse_clauses(read_document(policy)))
        print(f"{doc['id']}: {clauses} clauses, {len(questions)} questions")


if __name__ == "__main__":
    main()
