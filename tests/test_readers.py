"""Readers turn PDF, Word and HTML policies into the text conventions the clause parser reads.

Every PDF and DOCX here is a real file, generated under ``tmp_path`` from the seed policies in
``corpus/`` with reportlab and python-docx, then read back.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

import docx
import pytest
import reportlab
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls
from PIL import Image, ImageDraw
from reportlab.lib.pagesizes import A4
from reportlab.lib.pdfencrypt import StandardEncryption
from reportlab.lib.utils import ImageReader, simpleSplit
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

from retrieval.errors import DocumentReadError
from retrieval.ingest.readers import (
    SUPPORTED_SUFFIXES,
    CorruptDocumentError,
    DocumentTooLargeError,
    EmptyDocumentError,
    EncryptedDocumentError,
    NoTextLayerError,
    UnsupportedFormatError,
    read_document_text,
)
from retrieval.ingest.readers.pdf_paragraphs import PdfLine, pdf_blocks

ROOT = Path(__file__).resolve().parent.parent
DONCASTER = ROOT / "corpus" / "doncaster-social-media-guidance-2021.txt"
LANCASHIRE = ROOT / "corpus" / "lancashire-social-media-model-policy-2024.txt"
HTML_FIXTURE = ROOT / "tests" / "data" / "readers_policy.html"
_NUMBER = re.compile(r"^(\d{1,2}(?:\.\d{1,2})+|\d{1,2}\.?|\([ivx]+\))\s+(.*)$")


def plain(text: str) -> str:
    """Seed markup removed: the words a PDF or Word author sees on the page."""
    text = re.sub(r"</?b>", "", text)
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
    text = text.replace("\\_", "_").replace("**", "")
    # Emphasis pairs go; a footnote asterisk ("with *parents", "(*In some cases") is text and stays.
    text = re.sub(r"^\*\(\*(.*)\)\*$", r"(*\1)", text.strip())
    text = re.sub(r"(?<![\w*(])\*([A-Za-z][^*]*?[A-Za-z.)])\*(?![\w*])", r"\1", text)
    return " ".join(text.split())


@dataclass(frozen=True)
class SeedBlock:
    """One non-blank seed line: a heading, bullet item or paragraph, with its clause number if any."""

    kind: str
    text: str
    level: int = 0  # heading level, or bullet depth
    number: str = ""
    rest: str = ""


def seed_blocks(path: Path) -> list[SeedBlock]:
    blocks = []
    for raw in path.read_text(encoding="utf-8").splitlines():
        if not raw.strip():
            continue
        if match := re.match(r"^(#+) (.*)$", raw):
            kind, level, body = "heading", len(match.group(1)), match.group(2)
        elif match := re.match(r"^(\s*)- (.*)$", raw):
            kind, level, body = "item", len(match.group(1)), match.group(2)
        else:
            kind, level, body = "para", 0, raw
        text = plain(body)
        number = _NUMBER.match(text)
        # A bare "12 Word" is a number only in a heading ("# 1 INTRODUCTION"); elsewhere it is prose.
        if number and (kind == "heading" or not number.group(1).isdigit()):
            blocks.append(SeedBlock(kind, text, level, number.group(1), number.group(2)))
        else:
            blocks.append(SeedBlock(kind, text, level))
    return blocks


def expected_clauses(path: Path) -> list[SeedBlock]:
    return [block for block in seed_blocks(path) if block.number]


def recovered(text: str, clauses: list[SeedBlock]) -> list[SeedBlock]:
    """Clauses whose number starts a line (after heading hashes or a bullet) with their wording intact."""
    lines = [plain(re.sub(r"^(?:#+ |\s*- )", "", line)) for line in text.splitlines()]
    return [
        clause
        for clause in clauses
        if any(line.startswith(f"{clause.number} {clause.rest}") for line in lines)
    ]


# --- PDF from the seeds ---------------------------------------------------------------------------

FONT_DIR = Path(reportlab.__file__).parent / "fonts"
pdfmetrics.registerFont(TTFont("Vera", os.fspath(FONT_DIR / "Vera.ttf")))
pdfmetrics.registerFont(TTFont("VeraBd", os.fspath(FONT_DIR / "VeraBd.ttf")))
WIDTH, HEIGHT = A4
MARGIN = 72.0
BODY = 10.0
HEADING_SIZES = {1: 16.0, 2: 14.0, 3: 13.0, 4: 12.0}


@dataclass(frozen=True)
class Drawn:
    page: int
    x: float
    y: float
    font: str
    size: float
    text: str


def layout(blocks: list[SeedBlock], *, top: float = HEIGHT - MARGIN) -> tuple[list[Drawn], list[set[int]]]:
    """Lay the seed out like a word processor; also return the pages each block landed on."""
    drawn: list[Drawn] = []
    pages: list[set[int]] = []
    page, y = 0, top
    for block in blocks:
        if block.kind == "heading":
            font, size, x, bullet = "VeraBd", HEADING_SIZES.get(block.level, 12.0), MARGIN, ""
        elif block.kind == "item":
            font, size, x, bullet = "Vera", BODY, MARGIN + 18 + 18 * block.level, "–" if block.level else "•"
        else:
            font, size, x, bullet = "Vera", BODY, MARGIN, ""
        y -= size * 0.7  # space before each paragraph
        on: set[int] = set()
        for index, line in enumerate(simpleSplit(block.text, font, size, WIDTH - MARGIN - x)):
            if y < MARGIN:
                page, y = page + 1, HEIGHT - MARGIN
            if index == 0 and bullet:
                drawn.append(Drawn(page, x - 12, y, font, size, bullet))
            drawn.append(Drawn(page, x, y, font, size, line))
            on.add(page)
            y -= size * 1.25
        pages.append(on)
    return drawn, pages


def write_pdf(
    path: Path,
    drawn: list[Drawn],
    *,
    header: str = "",
    footer: str = "",
    page_label: str = "Page {n} of {total}",
    encrypt: StandardEncryption | None = None,
) -> Path:
    total = max((item.page for item in drawn), default=0) + 1
    pdf = canvas.Canvas(os.fspath(path), pagesize=A4, encrypt=encrypt)
    for page in range(total):
        pdf.setFont("Vera", 8)
        if header:
            pdf.drawString(MARGIN, HEIGHT - 40, header)
        if footer:
            pdf.drawString(MARGIN, 30, footer)
        if page_label:
            pdf.drawCentredString(WIDTH / 2, 18, page_label.format(n=page + 1, total=total))
        for item in (item for item in drawn if item.page == page):
            pdf.setFont(item.font, item.size)
            pdf.drawString(item.x, item.y, item.text)
        pdf.showPage()
    pdf.save()
    return path


PDF_STYLES = {
    DONCASTER: {
        "header": "Doncaster MBC Guidance on Social Media Use",
        "footer": "Maple Medical PRU – staff",
    },
    LANCASHIRE: {"header": "Lancashire County Council", "footer": "Model policy", "page_label": "{n}"},
}


@pytest.fixture(params=[DONCASTER, LANCASHIRE], ids=["doncaster", "lancashire"])
def seed(request: pytest.FixtureRequest) -> Path:
    return request.param


@pytest.fixture
def seed_pdf(seed: Path, tmp_path: Path) -> tuple[Path, list[SeedBlock], list[set[int]]]:
    blocks = seed_blocks(seed)
    drawn, pages = layout(blocks)
    return write_pdf(tmp_path / f"{seed.stem}.pdf", drawn, **PDF_STYLES[seed]), blocks, pages


def test_pdf_recovers_every_numbered_clause(seed: Path, seed_pdf: tuple) -> None:
    path, _, _ = seed_pdf
    text = read_document_text(path)
    clauses = expected_clauses(seed)
    missing = [clause.text[:60] for clause in clauses if clause not in recovered(text, clauses)]
    assert missing == []


def test_pdf_drops_running_header_footer_and_page_numbers(seed: Path, seed_pdf: tuple) -> None:
    path, _, _ = seed_pdf
    text = read_document_text(path)
    style = PDF_STYLES[seed]
    assert style["header"] not in text
    assert style["footer"] not in text
    assert not re.search(r"^Page \d+ of \d+$", text, re.M)
    assert not re.search(r"^\d+$", text, re.M)


def test_pdf_rejoins_paragraphs_broken_across_pages(seed: Path, seed_pdf: tuple) -> None:
    path, blocks, pages = seed_pdf
    text = read_document_text(path)
    split = [block for block, on in zip(blocks, pages, strict=True) if len(on) > 1]
    assert split, "the layout should break at least one paragraph across a page"
    lines = [plain(re.sub(r"^(?:#+ |\s*- )", "", line)) for line in text.splitlines()]
    for block in split:
        assert block.text in lines


def test_pdf_keeps_headings_and_bullets(tmp_path: Path) -> None:
    drawn, _ = layout(seed_blocks(DONCASTER))
    path = write_pdf(tmp_path / "shape.pdf", drawn, header="Doncaster MBC", footer="Staff guidance")
    text = read_document_text(path)
    assert "# 1 INTRODUCTION" in text.splitlines()
    assert "## 4 RELATED POLICIES" in text.splitlines()
    assert "- Staff Code of Conduct\n- Governors Code of Conduct" in text
    assert "- 6.11 Staff members must not edit open access online material" in text


def test_pdf_clause_broken_across_a_page_break_is_one_paragraph(tmp_path: Path) -> None:
    clause = next(block for block in seed_blocks(DONCASTER) if block.number == "6.11")
    # Start the text so low on the page that clause 6.11 must continue on page 2.
    drawn, pages = layout([clause], top=MARGIN + 2 * BODY * 1.25)
    assert pages == [{0, 1}]
    path = write_pdf(tmp_path / "split.pdf", drawn, header="Staff guidance", footer="Confidential")
    assert read_document_text(path) == "- " + clause.text + "\n"


# --- DOCX from the seeds --------------------------------------------------------------------------


def write_docx_literal(path: Path, blocks: list[SeedBlock]) -> Path:
    """Numbers typed into the text, bullets from the List Bullet styles (numbering inherited from style)."""
    document = docx.Document()
    for block in blocks:
        if block.kind == "heading":
            document.add_heading(block.text, level=min(block.level, 9))
        elif block.kind == "item":
            document.add_paragraph(block.text, style="List Bullet 2" if block.level else "List Bullet")
        else:
            document.add_paragraph(block.text)
    document.save(os.fspath(path))
    return path


def _abstract_num(abstract_id: int, top_text: str) -> str:
    levels = [("decimal", top_text), ("decimal", "%1.%2"), ("lowerRoman", "(%3)")]
    return (
        f'<w:abstractNum {nsdecls("w")} w:abstractNumId="{abstract_id}">'
        '<w:multiLevelType w:val="multilevel"/>'
        + "".join(
            f'<w:lvl w:ilvl="{ilvl}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/>'
            f'<w:lvlText w:val="{text}"/><w:lvlJc w:val="left"/></w:lvl>'
            for ilvl, (fmt, text) in enumerate(levels)
        )
        + "</w:abstractNum>"
    )


def add_numbering(document: docx.document.Document, top_text: str) -> tuple[str, str]:
    """Add a three-level list (top / %1.%2 / (%3) roman) and a second list starting at 12."""
    numbering = document.part.numbering_part.element
    last_abstract = numbering.findall(f"{{{numbering.nsmap['w']}}}abstractNum")[-1]
    for abstract_id in (91, 90):
        last_abstract.addnext(parse_xml(_abstract_num(abstract_id, top_text)))
    numbering.append(parse_xml(f'<w:num {nsdecls("w")} w:numId="90"><w:abstractNumId w:val="90"/></w:num>'))
    numbering.append(
        parse_xml(
            f'<w:num {nsdecls("w")} w:numId="91"><w:abstractNumId w:val="91"/>'
            '<w:lvlOverride w:ilvl="0"><w:startOverride w:val="12"/></w:lvlOverride></w:num>'
        )
    )
    return "90", "91"


def number_paragraph(paragraph: docx.text.paragraph.Paragraph, num_id: str, ilvl: int) -> None:
    num_pr = paragraph._p.get_or_add_pPr().get_or_add_numPr()
    num_pr.get_or_add_ilvl().val = ilvl
    num_pr.get_or_add_numId().val = int(num_id)


def write_docx_autonumbered(path: Path, blocks: list[SeedBlock]) -> Path:
    """Clause numbers exist only as Word automatic numbering: the paragraph text has none."""
    document = docx.Document()
    top_text = "%1" if any(b.kind == "heading" and b.number.isdigit() for b in blocks) else "%1."
    main, restarted = add_numbering(document, top_text)
    for block in blocks:
        if not block.number:
            if block.kind == "heading":
                document.add_heading(block.text, level=block.level)
            else:
                style = "List Bullet" if block.kind == "item" else None
                document.add_paragraph(block.text, style=style)
            continue
        ilvl = 2 if block.number.startswith("(") else 1 if "." in block.number.rstrip(".") else 0
        if block.kind == "heading":
            paragraph = document.add_heading(block.rest, level=block.level)
        else:
            paragraph = document.add_paragraph(block.rest, style="List Paragraph")
        # Lancashire quotes clause 12 of another document: a separate list restarted at 12.
        number_paragraph(paragraph, restarted if block.number == "12." else main, ilvl)
    document.save(os.fspath(path))
    return path


@pytest.mark.parametrize(
    "writer", [write_docx_literal, write_docx_autonumbered], ids=["literal", "autonumbered"]
)
def test_docx_recovers_every_numbered_clause(seed: Path, tmp_path: Path, writer) -> None:
    path = writer(tmp_path / f"{seed.stem}.docx", seed_blocks(seed))
    text = read_document_text(path)
    clauses = expected_clauses(seed)
    missing = [clause.text[:60] for clause in clauses if clause not in recovered(text, clauses)]
    assert missing == []


def test_docx_autonumbering_is_not_in_paragraph_text(tmp_path: Path) -> None:
    path = write_docx_autonumbered(tmp_path / "auto.docx", seed_blocks(LANCASHIRE))
    raw = [paragraph.text for paragraph in docx.Document(os.fspath(path)).paragraphs]
    assert not any(re.match(r"^(\d|\(i)", text) for text in raw)
    lines = read_document_text(path).splitlines()
    assert (
        "4.1 Employees who choose to make use of social networking site/media should be advised as follows:-"
        in lines
    )
    assert any(line.startswith("(vi) That they could face legal proceedings") for line in lines)
    assert any(line.startswith("12. Communication with children") for line in lines)
    assert "6. RECOMMENDATIONS" in lines
    assert any(line.startswith("(iv) That employees are informed") for line in lines)


def test_docx_headings_bullets_and_tables(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_heading("Contact Details", level=2)
    table = document.add_table(rows=2, cols=2)
    for row, cells in zip(table.rows, [("Role", "Telephone"), ("LADO", "01302 737748")], strict=True):
        for cell, value in zip(row.cells, cells, strict=True):
            cell.text = value
    document.add_paragraph("Staff Code of Conduct", style="List Bullet")
    document.add_paragraph("bring the school into disrepute;", style="List Bullet 2")
    path = tmp_path / "contacts.docx"
    document.save(os.fspath(path))
    assert read_document_text(path) == (
        "## Contact Details\n\nRole | Telephone\nLADO | 01302 737748\n\n"
        "- Staff Code of Conduct\n - bring the school into disrepute;\n"
    )


# --- HTML ----------------------------------------------------------------------------------------


def test_html_structure_nested_lists_tables_and_dropped_script() -> None:
    text = read_document_text(HTML_FIXTURE)
    lines = text.splitlines()
    assert "# Guidance on Social Media Use" in lines
    assert "## 6 PERSONAL USE OF SOCIAL MEDIA" in lines
    assert (
        "6.11 Staff members must not edit open access online material in a personal capacity at work."
        in lines
    )
    assert "- (iii) That they do not conduct or portray themselves in a manner which may:-" in lines
    assert " - bring the school into disrepute;" in lines
    assert "- ii. Second ordered item" in lines
    assert "Role | Telephone" in lines and "LADO | 01302 737748" in lines
    for dropped in ("tracking", "Site menu", "Cookie banner", "color:", "Copyright footer"):
        assert dropped not in text


# --- plain text and encodings --------------------------------------------------------------------


@pytest.mark.parametrize("seed_path", [DONCASTER, LANCASHIRE], ids=["doncaster", "lancashire"])
def test_text_is_returned_unchanged(seed_path: Path) -> None:
    assert read_document_text(seed_path) == seed_path.read_bytes().decode("utf-8")


@pytest.mark.parametrize(
    ("encoded", "name"),
    [
        ("6.11 Staff must not post – see “friends” £5\r\n".encode("cp1252"), "cp1252.txt"),
        ("6.11 Staff must not post – see “friends” £5\r\n".encode("utf-16"), "utf16.md"),
        (b"\xef\xbb\xbf" + "6.11 Staff must not post – see “friends” £5\r\n".encode(), "bom.txt"),
    ],
)
def test_text_encodings_are_decoded(tmp_path: Path, encoded: bytes, name: str) -> None:
    path = tmp_path / name
    path.write_bytes(encoded)
    assert read_document_text(path) == "6.11 Staff must not post – see “friends” £5\r\n"


# --- bad inputs: one test each -------------------------------------------------------------------


def _raises(error: type[DocumentReadError], path: Path, *, max_bytes: int = 20_000_000) -> str:
    with pytest.raises(error) as caught:
        read_document_text(path, max_bytes=max_bytes)
    message = str(caught.value)
    assert isinstance(caught.value, DocumentReadError)
    assert path.name in message
    return message


@pytest.mark.parametrize("name", ["empty.pdf", "empty.docx", "empty.txt", "blank.html"])
def test_empty_file(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_bytes(b"" if name.startswith("empty") else b"<html><body> </body></html>")
    assert "remove it from the policy folder" in _raises(EmptyDocumentError, path)


def test_corrupt_pdf(tmp_path: Path) -> None:
    path = tmp_path / "corrupt.pdf"
    path.write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 40)
    assert "save a fresh copy" in _raises(CorruptDocumentError, path)


def test_corrupt_docx(tmp_path: Path) -> None:
    path = tmp_path / "corrupt.docx"
    path.write_bytes(b"PK\x03\x04 this is not a zip archive")
    _raises(CorruptDocumentError, path)


def test_encrypted_pdf(tmp_path: Path) -> None:
    drawn, _ = layout(seed_blocks(LANCASHIRE)[:5])
    path = write_pdf(
        tmp_path / "locked.pdf", drawn, encrypt=StandardEncryption("secret", ownerPassword="owner")
    )
    assert "without the password" in _raises(EncryptedDocumentError, path)


def test_pdf_with_only_an_owner_password_is_read(tmp_path: Path) -> None:
    drawn, _ = layout(seed_blocks(LANCASHIRE)[:8])
    path = write_pdf(tmp_path / "no-copy.pdf", drawn, encrypt=StandardEncryption("", ownerPassword="owner"))
    assert "1. PURPOSE" in read_document_text(path).splitlines()


def test_scanned_pdf_without_text_layer(tmp_path: Path) -> None:
    scan = Image.new("L", (600, 200), color=255)
    ImageDraw.Draw(scan).text((20, 80), "6.1 Staff should be aware that social network sites", fill=0)
    path = tmp_path / "scanned.pdf"
    pdf = canvas.Canvas(os.fspath(path), pagesize=A4)
    pdf.drawImage(ImageReader(scan), MARGIN, HEIGHT / 2, width=450, height=150)
    pdf.showPage()
    pdf.save()
    assert "this PDF has no text layer; OCR is not supported" in _raises(NoTextLayerError, path)


def test_unsupported_suffix(tmp_path: Path) -> None:
    path = tmp_path / "policy.doc"
    path.write_bytes(b"text")
    assert ".doc" not in SUPPORTED_SUFFIXES
    assert "Save the policy as PDF" in _raises(UnsupportedFormatError, path)


def test_file_over_max_bytes(tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    path.write_text("6.1 Staff must not post.\n" * 100, encoding="utf-8")
    assert "limit" in _raises(DocumentTooLargeError, path, max_bytes=1000)


def test_binary_data_named_txt_is_not_text(tmp_path: Path) -> None:
    path = tmp_path / "image.txt"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    _raises(CorruptDocumentError, path)


def test_encrypted_docx(tmp_path: Path) -> None:
    # Word saves a password-protected .docx as an OLE compound file, not a zip.
    path = tmp_path / "locked.docx"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504)
    _raises(EncryptedDocumentError, path)


def test_max_bytes_must_be_positive(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="max_bytes"):
        read_document_text(tmp_path / "x.txt", max_bytes=0)


def test_pdf_clauses_carry_the_page_they_start_on(seed: Path, seed_pdf: tuple) -> None:
    from retrieval import parse_clauses, read_document
    from retrieval.answering.answer import make_citation

    path, _, pages = seed_pdf  # pages: the pages each seed block landed on (0-based)
    clauses = parse_clauses(read_document(path))
    numbers = [c.page for c in clauses]
    assert None not in numbers and numbers == sorted(numbers)
    assert numbers[0] == 1 and numbers[-1] == max(max(on) for on in pages if on) + 1
    document = read_document(path)
    assert f"(p. {clauses[-1].page})" in make_citation(clauses[-1], document.meta).format()
    text_clauses = parse_clauses(read_document(seed))
    assert {c.page for c in text_clauses} == {None}


def _full_line(start: str, end: str = "") -> str:
    """A PDF line as full as its neighbours: its first words, filler, and its last words."""
    return (start + " word" * 30)[: 90 - len(end)] + end


def test_a_numbered_line_back_at_the_margin_after_a_hanging_indent_starts_a_new_clause() -> None:
    # Compact house style: bare clause numbers, continuation lines indented, paragraph gap narrow
    # (16.2 points against a 11.7 pitch, under the gap that would end a paragraph on its own).
    lines = [
        PdfLine(_full_line("8 Staff keep"), 10.0, 64.0, 700.0, 0),
        PdfLine(_full_line("more", " the end."), 10.0, 98.0, 688.3, 0),
        PdfLine(_full_line("9 Teachers should not insist that pupils"), 10.0, 64.0, 672.1, 0),
        PdfLine(_full_line("more", " the meeting settings."), 10.0, 98.0, 660.4, 0),
        PdfLine(_full_line("10 A teacher may mute or remove a pupil"), 10.0, 64.0, 644.2, 0),
        PdfLine(_full_line("and", " the incident is dealt with."), 10.0, 98.0, 632.5, 0),
    ]
    texts = [block.text for block in pdf_blocks(lines)]
    assert [t.split()[0] for t in texts] == ["8", "9", "10"]
    assert texts[1].endswith("the meeting settings.")


def test_a_lettered_paragraph_number_after_a_finished_sentence_starts_a_new_paragraph() -> None:
    # No paragraph gap and every line full: only the "A2" / "B1" labels show where paragraphs start.
    lines = [
        PdfLine(_full_line("A1 This policy covers"), 10.0, 64.0, 700.0, 0),
        PdfLine(_full_line("more", " their own time."), 10.0, 64.0, 688.0, 0),
        PdfLine(_full_line("A2 Everyone employed by"), 10.0, 64.0, 676.0, 0),
        PdfLine(_full_line("more", " work with us."), 10.0, 64.0, 664.0, 0),
        PdfLine(_full_line("B1 Staff who earn money"), 10.0, 64.0, 652.0, 0),
        PdfLine(_full_line("drive on the"), 10.0, 64.0, 640.0, 0),
        PdfLine(_full_line("A1 Road to", " the office."), 10.0, 64.0, 628.0, 0),
    ]
    texts = [block.text for block in pdf_blocks(lines)]
    assert [t.split()[0] for t in texts] == ["A1", "A2", "B1"]
    assert " A1 Road to" in texts[2]  # wrapped prose, not a paragraph number


def test_a_dash_bullet_back_at_the_margin_after_a_wrapped_bullet_starts_a_new_item() -> None:
    # En-dash bullets with the wrapped text hung under the words, no gap between items.
    lines = [
        PdfLine("Staff must not:", 10.0, 64.0, 720.0, 0),
        PdfLine(_full_line("– hand out their number to"), 10.0, 78.0, 702.0, 0),
        PdfLine(_full_line("carer", " a difficult time;"), 10.0, 92.0, 688.0, 0),
        PdfLine(_full_line("– use WhatsApp to discuss school matters with"), 10.0, 78.0, 674.0, 0),
        PdfLine("has messaged them that way first.", 10.0, 92.0, 660.0, 0),
    ]
    blocks = pdf_blocks(lines)
    items = [block.text for block in blocks if block.kind == "item"]
    assert len(items) == 2 and items[1].startswith("- use WhatsApp")


def test_a_dash_under_the_open_bullets_dash_starts_the_next_item_after_a_full_line() -> None:
    # One-line en-dash bullets that fill the measure: no gap, no short line, no outdent between
    # them, only the dash standing where the previous item's dash stood.
    lines = [
        PdfLine("I will:", 10.0, 64.0, 720.0, 0),
        PdfLine(_full_line("– lock my screen whenever I step away"), 10.0, 78.0, 702.0, 0),
        PdfLine(_full_line("– set up two-step verification"), 10.0, 78.0, 688.0, 0),
        PdfLine(_full_line("and wrapped text under the words"), 10.0, 92.0, 674.0, 0),
    ]
    items = [block.text for block in pdf_blocks(lines) if block.kind == "item"]
    assert len(items) == 2 and items[1].startswith("- set up") and "wrapped text under the words" in items[1]


def test_a_sentence_ending_above_the_page_bottom_ends_its_paragraph() -> None:
    page_one = [PdfLine(_full_line(f"Line {n}"), 10.0, 64.0, 700.0 - 14 * n, 0) for n in range(49)]
    lowest = page_one[-1].y
    lines = [
        *page_one,  # a full page: its text runs on to page two, mid-paragraph
        PdfLine(_full_line("runs on", " and ends."), 10.0, 64.0, 700.0, 1),
        *[PdfLine(_full_line(f"More {n}"), 10.0, 64.0, 686.0 - 14 * n, 1) for n in range(47)],
        # ends a sentence 10 points (0.7 of a line) above where page one ended
        PdfLine(_full_line("last", " something wrong."), 10.0, 64.0, lowest + 10.0, 1),
        PdfLine(_full_line("Staff should not reply to an abusive email"), 10.0, 64.0, 700.0, 2),
        PdfLine("and forward it.", 10.0, 64.0, 686.0, 2),
    ]
    texts = [block.text for block in pdf_blocks(lines)]
    assert len(texts) == 2
    assert texts[0].startswith("Line 0") and texts[0].endswith("something wrong.")
    assert texts[1].startswith("Staff should not reply")


@dataclass(frozen=True)
class _PdfLineStub:
    """Just what the table finder reads of a PDF line (with_tables is pure)."""

    text: str
    x: float
    y: float | None
    page: int
    cells: tuple[float, ...]
    words: tuple[tuple[float, str], ...]
    size: float = 11.0
    bold: bool = False


def test_a_pdf_heading_after_a_table_is_not_read_as_its_last_row() -> None:
    from retrieval.ingest.readers.pdf_tables import PdfTable, with_tables

    def row(y: float, left: str, right: str, **font: object) -> _PdfLineStub:
        return _PdfLineStub(f"{left} | {right}", 72, y, 0, (72.0, 300.0), ((72, left), (300, right)), **font)

    table = [
        row(700, "Record", "Kept for"),
        row(680, "Web filtering logs", "90 days"),
        row(660, "CCTV", "31 days"),
    ]
    # The heading's words happen to start at both columns (a justified or wide heading line).
    heading = _PdfLineStub(
        "Part H - Your rights",
        72,
        630,
        0,
        (),
        ((72, "Part H - Your rights"), (300, "and what happens")),
        13.0,
        True,
    )
    out = with_tables([*table, heading], pitch=14.0)
    assert isinstance(out[0], PdfTable) and len(out[0].rows) == 3
    assert out[1] is heading
    # A bold header row may open a table whose plain rows follow it.
    header = row(720, "Kind", "Period", bold=True)
    assert len(with_tables([header, *table], pitch=14.0)[0].rows) == 4
