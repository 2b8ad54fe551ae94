"""PDF, Word and text parse alike; sync re-embeds only what changed; bad files never break the index."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from retrieval import build_index, open_index, parse_clauses, read_document
from retrieval.index.stored import read_stored_index
from retrieval.views.evaluation import normalise_for_match

from .conftest import DONCASTER, LANCASHIRE, SEED_CORPUS
from .test_readers import (
    PDF_STYLES,
    layout,
    seed_blocks,
    write_docx_autonumbered,
    write_docx_literal,
    write_pdf,
)

SEEDS = {doc_id: SEED_CORPUS / f"{doc_id}.txt" for doc_id in (DONCASTER, LANCASHIRE)}


def _numbered(path: Path) -> list[tuple[str, str]]:
    """(number, normalised text) of every clause whose number starts with a digit, in order."""
    clauses = parse_clauses(read_document(path))
    return [(c.number, normalise_for_match(c.full_text)) for c in clauses if c.number[0].isdigit()]


def _write(kind: str, seed: Path, target: Path) -> Path:
    blocks = seed_blocks(seed)
    if kind == "pdf":
        drawn, _ = layout(blocks)
        return write_pdf(target.with_suffix(".pdf"), drawn, **PDF_STYLES[seed])
    writer = write_docx_autonumbered if kind == "docx-autonumbered" else write_docx_literal
    return writer(target.with_suffix(".docx"), blocks)


@pytest.mark.parametrize("kind", ["pdf", "docx-literal", "docx-autonumbered"])
@pytest.mark.parametrize("doc_id", [DONCASTER, LANCASHIRE])
def test_generated_files_parse_to_the_same_numbered_clauses(tmp_path: Path, kind: str, doc_id: str):
    expected = _numbered(SEEDS[doc_id])
    got = _numbered(_write(kind, SEEDS[doc_id], tmp_path / doc_id))
    assert [number for number, _ in got] == [number for number, _ in expected]
    differing = [e[0] for e, g in zip(expected, got, strict=True) if e != g]
    assert differing == []


@pytest.fixture()
def corpus(tmp_path: Path) -> Path:
    target = tmp_path / "corpus"
    shutil.copytree(SEED_CORPUS, target)
    return target


def test_sync_reembeds_only_the_changed_document(corpus: Path, tmp_path: Path, embedder):
    index_dir = tmp_path / "index"
    first = build_index(corpus, index_dir, embedder=embedder)
    assert first.embedded == first.clauses
    # Add a document: only its clauses are embedded.
    (corpus / "phones.md").write_text("# 1 PHONES\n\n1.1 Staff must not use personal phones in lessons.\n")
    added = build_index(corpus, index_dir, embedder=embedder)
    assert added.embedded == 1 and added.reused == first.clauses
    # Change one clause of one document: one clause is embedded again.
    lancashire = corpus / f"{LANCASHIRE}.txt"
    lancashire.write_text(lancashire.read_text().replace("during working hours", "during the working day"))
    changed = build_index(corpus, index_dir, embedder=embedder)
    assert changed.embedded == 1
    assert (
        "during the working day"
        in open_index(index_dir, embedder=embedder)
        .search("Can I use Facebook during the working day?", docs=[LANCASHIRE])
        .hits[0]
        .clause.text
    )
    # Remove a document: nothing is embedded and its clauses are gone.
    (corpus / "phones.md").unlink()
    removed = build_index(corpus, index_dir, embedder=embedder)
    assert removed.embedded == 0
    assert "phones" not in {r.doc_id for r in read_stored_index(index_dir).manifest.documents}
    # Clauses carry the version of the document they were read from.
    stored = read_stored_index(index_dir)
    version = next(r.version for r in stored.manifest.documents if r.doc_id == LANCASHIRE)
    assert {c.doc_version for c in stored.clauses if c.doc_id == LANCASHIRE} == {version}


def _encrypted_pdf() -> bytes:
    from io import BytesIO

    from reportlab.lib.pagesizes import A4
    from reportlab.lib.pdfencrypt import StandardEncryption
    from reportlab.pdfgen import canvas

    buffer = BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4, encrypt=StandardEncryption("secret", ownerPassword="owner"))
    pdf.drawString(72, 720, "1.1 Staff must not share passwords.")
    pdf.save()
    return buffer.getvalue()


def _scanned_pdf() -> bytes:
    from io import BytesIO

    from PIL import Image
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    buffer = BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4)
    pdf.drawImage(ImageReader(Image.new("L", (300, 100), color=255)), 72, 400, width=300, height=100)
    pdf.save()
    return buffer.getvalue()


BAD_FILES = {
    "empty.txt": (b"", "empty"),
    "locked.pdf": (_encrypted_pdf, "password"),
    "scan.pdf": (_scanned_pdf, "this PDF has no text layer; OCR is not supported"),
    "huge.txt": (lambda: b"# 1 RULES\n\n1.1 x\n" + b"x" * 21_000_000, "limit"),
    "notes.exe": (b"MZ not a policy", "not supported"),
    "broken.pdf": (b"%PDF-1.4\n garbage", "damaged"),
    "notes.docx": (b"PK\x03\x04 not a real word file", "damaged"),
    "latin.txt": (b"# 1 RULES\n\n1.1 Staff must not post caf\xe9 photos.\n", None),
}


@pytest.mark.parametrize("name", sorted(BAD_FILES))
def test_bad_file_is_named_and_the_rest_stay_searchable(corpus: Path, tmp_path: Path, embedder, name: str):
    index_dir = tmp_path / "index"
    build_index(corpus, index_dir, embedder=embedder)
    data, expected_word = BAD_FILES[name]
    (corpus / name).write_bytes(data() if callable(data) else data)
    report = build_index(corpus, index_dir, embedder=embedder)
    if expected_word is None:  # an unexpected encoding is read, not refused
        assert not report.skipped
        assert "café" in open_index(index_dir, embedder=embedder).search("café photos").hits[0].clause.text
        return
    (skipped,) = report.skipped
    assert skipped.name == name and expected_word in skipped.reason
    index = open_index(index_dir, corpus_dir=corpus, embedder=embedder)
    assert index.search("Can I edit Wikipedia at work?").hits[0].clause.number == "6.11"
    # The unchanged bad file does not make the index stale again.
    assert build_index(corpus, index_dir, embedder=embedder).embedded == 0


def test_duplicate_upload_is_left_out(corpus: Path, tmp_path: Path, embedder):
    shutil.copy(corpus / f"{DONCASTER}.txt", corpus / "doncaster-copy.txt")
    report = build_index(corpus, tmp_path / "index", embedder=embedder)
    assert [s.name for s in report.skipped] == ["doncaster-copy.txt"]
    assert "is a copy of" in report.skipped[0].reason and report.documents == 2
