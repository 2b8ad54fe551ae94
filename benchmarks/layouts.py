"""Parse table: the team's policies rendered to PDF and Word in six house styles, read back.

For every document and form (the Markdown original, PDF, DOCX, HTML): clauses found, references shared
with another clause, written sentences not whole in exactly one clause, references that differ from
the Markdown original, and PDF clauses without a page. Needs the development dependencies (reportlab).
Run: .venv/bin/python benchmarks/layouts.py [--out benchmarks/results/layouts.md]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "training"))

from make_data import render  # noqa: E402
from render import load_sources, style_for, write_docx, write_html, write_pdf  # noqa: E402

from retrieval import parse_clauses, read_document  # noqa: E402
from retrieval.views.layouts import ParseReport, lost_sentences, parse_report, parse_table, sentences  # noqa: E402


def written_passages(doc: dict) -> list[str]:
    """What the authors wrote as clause text; lead-ins are left out, as every item under them repeats them."""
    return [
        text for _heading, clauses in doc["sections"] for number, text, _s, _q in clauses if number != "LEAD"
    ]


def reports_for(doc: dict, folder: Path, ids: list[str]) -> list[ParseReport]:
    style = style_for(doc["id"], ids)
    md = folder / f"{doc['id']}.md"
    md.write_text(render(doc), encoding="utf-8")
    pdf = write_pdf(doc, style, folder / f"{doc['id']}.pdf")
    docx = write_docx(doc, style, folder / f"{doc['id']}.docx")
    html = write_html(doc, style, folder / f"{doc['id']}.html")
    written = written_passages(doc)
    original = parse_clauses(read_document(md))
    out = [parse_report(doc["id"], "md", written, original)]
    for form, path in (("pdf", pdf), ("docx", docx), ("html", html)):
        clauses = parse_clauses(read_document(path))
        out.append(
            parse_report(doc["id"], f"{form} ({style.name})", written, clauses, original, paged=form == "pdf")
        )
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, help="also write the table to this Markdown file")
    parser.add_argument("--verbose", action="store_true", help="list the sentences that were not whole")
    args = parser.parse_args()
    docs = load_sources()
    ids = [doc["id"] for doc in docs]
    reports: list[ParseReport] = []
    with tempfile.TemporaryDirectory() as tmp:
        for doc in docs:
            reports += reports_for(doc, Path(tmp), ids)
            if args.verbose:
                for suffix in ("md", "pdf", "docx", "html"):
                    clauses = parse_clauses(read_document(Path(tmp) / f"{doc['id']}.{suffix}"))
                    written = [s for p in written_passages(doc) for s in sentences(p)]
                    for sentence in lost_sentences(written, clauses):
                        print(f"  {doc['id']}.{suffix}: not whole: {sentence[:90]}")
    table = parse_table(reports)
    clauses = sum(r.clauses for r in reports)
    shared = sum(r.shared_references for r in reports)
    total_sentences = sum(r.sentences for r in reports)
    lost = sum(r.sentences_not_whole for r in reports)
    summary = (
        f"\n{len(docs)} documents x {len(reports) // len(docs)} forms: {clauses} clauses, "
        f"{shared} with a shared reference "
        f"({1 - shared / clauses:.3f} unique); {lost} of {total_sentences} written sentences not whole in "
        f"one clause ({1 - lost / total_sentences:.3f} whole); "
        f"{sum(r.references_differ for r in reports)} reference/text differences from the Markdown original."
    )
    print(table + summary)
    if args.out:
        args.out.write_text(
            f"# Parse table (benchmarks/layouts.py)\n\n{table}\n{summary}\n", encoding="utf-8"
        )


if __name__ == "__main__":
    main()
