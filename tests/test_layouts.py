"""The team's policies rendered to PDF and Word in six house styles parse like their originals.

Each training policy is rendered the way schools publish it (training/render.py: contents pages,
running headers, "Page n of m" footers, bold headings at body size, hanging-indent numbering,
bullets under lead-ins, lettered items, tables) and read back through the product's own readers.
The clauses must be the ones the Markdown original gives: same references, same text, every
written sentence whole in exactly one clause, a page on every PDF clause, and every reference,
typed back, must find its clause first.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

import pytest

from retrieval import PolicyIndex, build_index, parse_clauses, read_document
from retrieval.views.layouts import fold, lost_sentences, sentences

from .conftest import ROOT

sys.path.insert(0, str(ROOT / "training"))
from make_data import render  # noqa: E402
from render import HOUSE_STYLES, load_sources, style_for, write_docx, write_html, write_pdf  # noqa: E402

SOURCES = {doc["id"]: doc for doc in load_sources()}
FORMS = ("pdf", "docx", "html")


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("rendered")
    ids = list(SOURCES)
    for doc_id, doc in SOURCES.items():
        style = style_for(doc_id, ids)
        (folder / "md").mkdir(exist_ok=True)
        (folder / "md" / f"{doc_id}.md").write_text(render(doc), encoding="utf-8")
        for form, write in (("pdf", write_pdf), ("docx", write_docx), ("html", write_html)):
            (folder / form).mkdir(exist_ok=True)
            write(doc, style, folder / form / f"{doc_id}.{form}")
    return folder


def written_sentences(doc: dict) -> list[str]:
    # Lead-ins are left out: every item under a lead-in repeats it, by design.
    passages = [
        text for _h, clauses in doc["sections"] for number, text, _s, _q in clauses if number != "LEAD"
    ]
    return [sentence for passage in passages for sentence in sentences(passage)]


def test_every_house_style_is_used() -> None:
    assert {style_for(doc_id, list(SOURCES)).name for doc_id in SOURCES} == {s.name for s in HOUSE_STYLES}


@pytest.mark.parametrize("doc_id", sorted(SOURCES))
@pytest.mark.parametrize("form", FORMS)
def test_rendered_policy_parses_like_its_original(rendered: Path, doc_id: str, form: str) -> None:
    original = parse_clauses(read_document(rendered / "md" / f"{doc_id}.md"))
    clauses = parse_clauses(read_document(rendered / form / f"{doc_id}.{form}"))
    references = Counter(clause.reference for clause in clauses)
    assert {ref: n for ref, n in references.items() if n > 1} == {}
    assert lost_sentences(written_sentences(SOURCES[doc_id]), clauses) == []
    ours = [(clause.reference, fold(clause.text)) for clause in clauses if clause.number != "Preamble"]
    theirs = [(clause.reference, fold(clause.text)) for clause in original if clause.number != "Preamble"]
    assert ours == theirs


@pytest.mark.parametrize("doc_id", sorted(SOURCES))
def test_every_pdf_clause_has_the_page_it_starts_on(rendered: Path, doc_id: str) -> None:
    clauses = parse_clauses(read_document(rendered / "pdf" / f"{doc_id}.pdf"))
    pages = [clause.page for clause in clauses]
    assert None not in pages
    assert pages == sorted(pages), "pages go backwards"
    # A contents page comes first where the style has one: no clause is on it.
    if style_for(doc_id, list(SOURCES)).contents:
        assert min(pages) >= 2


@pytest.fixture(scope="module")
def pdf_index(rendered: Path, tmp_path_factory: pytest.TempPathFactory, embedder) -> PolicyIndex:
    index_dir = tmp_path_factory.mktemp("pdf-index") / "index"
    build_index(rendered / "pdf", index_dir, embedder=embedder)
    return PolicyIndex.load(index_dir, embedder=embedder)


def test_every_pdf_reference_typed_back_finds_its_clause_first(pdf_index: PolicyIndex) -> None:
    failures = []
    for clause in pdf_index.clauses:
        name = clause.doc_id.split("-")[0].title()  # "Oakfield", as staff name the school's policy
        for question in (f"{name} {clause.label}", f"what does {clause.label} of the {name} policy say?"):
            hits = pdf_index.search(question, top_k=3).hits
            if not hits or hits[0].clause.clause_id != clause.clause_id:
                failures.append((question, hits[0].clause.label if hits else None))
    assert failures == []


def test_show_lists_every_format_with_the_same_references_and_pdf_pages(
    rendered: Path, tmp_path: Path
) -> None:
    from .test_cli import run_cli

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    doc_id = sorted(SOURCES)[0]
    (corpus / f"{doc_id}.pdf").write_bytes((rendered / "pdf" / f"{doc_id}.pdf").read_bytes())
    (corpus / "word-copy.docx").write_bytes((rendered / "docx" / f"{doc_id}.docx").read_bytes())
    (corpus / "web-copy.html").write_bytes((rendered / "html" / f"{doc_id}.html").read_bytes())
    (corpus / "text-copy.md").write_bytes((rendered / "md" / f"{doc_id}.md").read_bytes())
    folders = ("--corpus", str(corpus), "--index", str(tmp_path / "index"))
    shown = {}
    for shown_id in (doc_id, "word-copy", "web-copy", "text-copy"):
        result = run_cli("show", shown_id, "--json", *folders)
        assert result.returncode == 0, result.stderr
        shown[shown_id] = json.loads(result.stdout)["clauses"]
    pdf_refs = [c["reference"] for c in shown[doc_id]]
    for copy in ("word-copy", "web-copy", "text-copy"):
        assert [c["reference"] for c in shown[copy] if c["reference"] != "Preamble"] == [
            r for r in pdf_refs if r != "Preamble"
        ], copy
    assert len(pdf_refs) == len(set(pdf_refs)) > 10
    assert all(isinstance(c["page"], int) for c in shown[doc_id])
    assert all(c["page"] is None for c in shown["word-copy"])
