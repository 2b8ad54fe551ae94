"""Render the team's policies to PDF and Word the way schools publish them, in six house styles.

The layouts follow what published school, trust and council policies look like: a contents page
with dot leaders, running headers and "Page n of m" footers, bold unnumbered headings at body size,
numbered clauses with hanging indents, bullets under a lead-in, lettered items, tables of rows and
appendices. The parse tests and benchmarks/layouts.py read these files back and compare the clauses
with those of the Markdown original. Needs reportlab (a development dependency) and python-docx.
Run: .venv/bin/python training/render.py OUT_DIR   (writes OUT_DIR/<doc id>.pdf, .docx and .html)
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
_CLAUSE_NUMBER = re.compile(r"^(?:\d+(?:\.\d+)*\.?|\([a-z]{1,4}\)|[a-z]{1,4}\))$")
# Lettered and roman items ("(a)", "b)", "(iv)") hang further in than the clause numbers above them.
_ITEM_NUMBER = re.compile(r"^\(?[a-z]{1,4}\)$")


@dataclass(frozen=True)
class HouseStyle:
    """How one publisher lays out a policy."""

    name: str
    body_font: str
    bold_font: str
    body_size: float
    heading_size: float  # equal to body_size: headings are told apart by weight alone
    bullet: str
    header: str  # "{issuer}" and "{title}" are filled in; empty for none
    page_label: str  # "{n}" and "{total}" are filled in
    contents: bool


HOUSE_STYLES = (
    HouseStyle(
        "council", "Helvetica", "Helvetica-Bold", 11, 14, "•", "{issuer}", "Page {n} of {total}", True
    ),
    HouseStyle("web-print", "Helvetica", "Helvetica-Bold", 10, 10, "•", "", "{n}", False),
    HouseStyle("trust", "Times-Roman", "Times-Bold", 11, 13, "–", "{title} | {issuer}", "{n}", True),
    HouseStyle("compact", "Helvetica", "Helvetica-Bold", 9, 10, "•", "{title}", "Page {n}", False),
    HouseStyle("letter", "Times-Roman", "Times-Bold", 12, 12, "•", "", "- {n} -", True),
    HouseStyle(
        "handbook",
        "Helvetica",
        "Helvetica-Bold",
        10.5,
        12,
        "▪",
        "{issuer} – {title}",
        "{n} of {total}",
        False,
    ),
)


@dataclass(frozen=True)
class Piece:
    """One block of a policy in reading order: a heading, paragraph, numbered clause, bullet or table."""

    kind: str  # "title" | "front" | "heading" | "para" | "numbered" | "bullet" | "table"
    text: str
    number: str = ""
    rows: tuple[tuple[str, ...], ...] = ()


def pieces(doc: dict) -> Iterator[Piece]:
    """The policy's blocks in reading order, from a training source's DOC (pure)."""
    yield Piece("title", doc["title"])
    for line in doc["front"]:
        yield Piece("front", line)
    for heading, clauses in doc["sections"]:
        yield Piece("heading", heading.lstrip("# ").strip())
        for number, text, _strength, _questions in clauses:
            if number == "-":
                yield Piece("bullet", text)
            elif number == "TABLE":
                rows = [row.strip().strip("|").split("|") for row in text.splitlines()]
                cells = tuple(
                    tuple(cell.strip() for cell in row) for row in rows if not set("".join(row)) <= set("-: ")
                )
                yield Piece("table", "", rows=cells)
            elif _CLAUSE_NUMBER.match(number):
                yield Piece("numbered", text, number=number)
            else:
                # Any other label ("A1") is printed as the paragraph's first word, as in the Markdown.
                yield Piece("para", f"{number} {text}" if number not in ("", "LEAD") else text)


def issuer_of(doc: dict) -> str:
    for line in doc["front"]:
        if line.lower().startswith("issued by:"):
            return line.split(":", 1)[1].strip()
    return ""


def style_for(doc_id: str, doc_ids: list[str]) -> HouseStyle:
    """Documents take the house styles in turn, in sorted order, so each style is used."""
    return HOUSE_STYLES[sorted(doc_ids).index(doc_id) % len(HOUSE_STYLES)]


# --- PDF ------------------------------------------------------------------------------------------


def write_pdf(doc: dict, style: HouseStyle, path: Path) -> Path:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    width, height = A4
    margin = 64.0
    drawn, headings = _lay_out(list(pieces(doc)), style, width, height, margin)
    contents_pages = 1 if style.contents else 0
    total = contents_pages + max(page for page, *_ in drawn) + 1
    pdf = canvas.Canvas(str(path), pagesize=A4)
    issuer, title = issuer_of(doc), doc["title"]

    def furniture(page_number: int) -> None:
        pdf.setFont(style.body_font, 8)
        if style.header:
            pdf.drawString(margin, height - 36, style.header.format(issuer=issuer, title=title))
        pdf.drawCentredString(width / 2, 28, style.page_label.format(n=page_number, total=total))

    if style.contents:
        furniture(1)
        pdf.setFont(style.bold_font, style.heading_size)
        pdf.drawString(margin, height - margin, "Contents")
        y = height - margin - 2 * style.heading_size
        pdf.setFont(style.body_font, style.body_size)
        for text, page in headings:
            number = str(page + 1 + contents_pages)
            pdf.drawString(margin, y, text)
            pdf.drawRightString(width - margin, y, number)
            start = margin + pdf.stringWidth(text, style.body_font, style.body_size) + 6
            end = width - margin - pdf.stringWidth(number, style.body_font, style.body_size) - 6
            dots = "." * max(int((end - start) / pdf.stringWidth(".", style.body_font, style.body_size)), 3)
            pdf.drawString(start, y, dots)
            y -= style.body_size * 1.6
        pdf.showPage()
    for page in range(total - contents_pages):
        furniture(page + 1 + contents_pages)
        for on_page, x, y, font, size, text in drawn:
            if on_page == page:
                pdf.setFont(font, size)
                pdf.drawString(x, y, text)
        pdf.showPage()
    pdf.save()
    return path


def _lay_out(blocks: list[Piece], style: HouseStyle, width: float, height: float, margin: float):
    """Where every line of text goes: (page, x, y, font, size, text); and (heading, page) for contents."""
    from reportlab.lib.utils import simpleSplit

    drawn: list[tuple[int, float, float, str, float, str]] = []
    headings: list[tuple[str, int]] = []
    page, y = 0, height - margin
    body, lead = style.body_size, style.body_size * 1.3

    def room(needed: float) -> None:
        nonlocal page, y
        if y - needed < margin:
            page, y = page + 1, height - margin

    def text_lines(text: str, font: str, size: float, x: float, first_x: float | None = None) -> None:
        nonlocal y
        for index, line in enumerate(simpleSplit(text, font, size, width - margin - x)):
            room(size * 1.3)
            drawn.append((page, first_x if index == 0 and first_x is not None else x, y, font, size, line))
            y -= size * 1.3

    for block in blocks:
        if block.kind == "title":
            text_lines(block.text, style.bold_font, body * 1.8, margin)
            y -= body
        elif block.kind == "front":
            text_lines(block.text, style.body_font, body, margin)
        elif block.kind == "heading":
            y -= body * 1.2
            room(style.heading_size * 4)  # keep a heading with the text under it
            headings.append((block.text, page))
            text_lines(block.text, style.bold_font, style.heading_size, margin)
            y -= body * 0.4
        elif block.kind == "numbered":
            indent = margin + (48 if _ITEM_NUMBER.match(block.number) else 0)
            room(lead)
            drawn.append((page, indent, y, style.body_font, body, block.number))
            text_lines(block.text, style.body_font, body, indent + 34)
            y -= body * 0.5
        elif block.kind == "bullet":
            room(lead)
            drawn.append((page, margin + 14, y, style.body_font, body, style.bullet))
            text_lines(block.text, style.body_font, body, margin + 28)
            y -= body * 0.3
        elif block.kind == "table":
            columns = max(len(row) for row in block.rows)
            column_width = (width - 2 * margin) / columns
            for row_index, row in enumerate(block.rows):
                font = style.bold_font if row_index == 0 else style.body_font
                cells = [simpleSplit(cell, font, body, column_width - 14) for cell in row]
                room(lead * max(len(cell) for cell in cells))
                for line_index in range(max(len(cell) for cell in cells)):
                    for column, cell in enumerate(cells):
                        if line_index < len(cell):
                            drawn.append(
                                (page, margin + column * column_width, y, font, body, cell[line_index])
                            )
                    y -= lead
                y -= body * 0.3
            y -= body * 0.5
        else:
            text_lines(block.text, style.body_font, body, margin)
            y -= body * 0.6
    return drawn, headings


# --- Word -----------------------------------------------------------------------------------------


def write_docx(doc: dict, style: HouseStyle, path: Path) -> Path:
    """A Word file as a school would type it: Heading styles, typed clause numbers, List Bullet, tables."""
    import docx

    document = docx.Document()
    section = document.sections[0]
    if style.header:
        section.header.paragraphs[0].text = style.header.format(issuer=issuer_of(doc), title=doc["title"])
    for block in pieces(doc):
        if block.kind == "title":
            document.add_heading(block.text, level=0)
        elif block.kind == "heading":
            document.add_heading(block.text, level=1)
        elif block.kind == "numbered":
            document.add_paragraph(f"{block.number}\t{block.text}")
        elif block.kind == "bullet":
            document.add_paragraph(block.text, style="List Bullet")
        elif block.kind == "table":
            table = document.add_table(rows=len(block.rows), cols=max(len(row) for row in block.rows))
            for row, cells in zip(table.rows, block.rows, strict=False):
                for cell, text in zip(row.cells, cells, strict=False):
                    cell.text = text
        else:
            document.add_paragraph(block.text)
    document.save(str(path))
    return path


def write_html(doc: dict, style: HouseStyle, path: Path) -> Path:
    """The policy as a school website page: h1/h2 headings, paragraphs, lists and a table."""
    from html import escape

    out = [f"<html><head><title>{escape(doc['title'])}</title></head><body>"]
    if style.header:
        out.append(f"<nav>{escape(style.header.format(issuer=issuer_of(doc), title=doc['title']))}</nav>")
    in_list = False
    for block in pieces(doc):
        if block.kind != "bullet" and in_list:
            out.append("</ul>")
            in_list = False
        if block.kind == "title":
            out.append(f"<h1>{escape(block.text)}</h1>")
        elif block.kind == "heading":
            out.append(f"<h2>{escape(block.text)}</h2>")
        elif block.kind == "numbered":
            out.append(f"<p>{escape(block.number)} {escape(block.text)}</p>")
        elif block.kind == "bullet":
            if not in_list:
                out.append("<ul>")
                in_list = True
            out.append(f"<li>{escape(block.text)}</li>")
        elif block.kind == "table":
            rows = ["<tr>" + "".join(f"<td>{escape(c)}</td>" for c in row) + "</tr>" for row in block.rows]
            out.append("<table>" + "".join(rows) + "</table>")
        else:
            out.append(f"<p>{escape(block.text)}</p>")
    if in_list:
        out.append("</ul>")
    out.append("</body></html>")
    path.write_text("\n".join(out), encoding="utf-8")
    return path


def load_sources() -> list[dict]:
    sys.path.insert(0, str(HERE))
    from make_data import load

    return [load(source) for source in sorted((HERE / "source").glob("team_*.py"))]


def main(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    docs = load_sources()
    ids = [doc["id"] for doc in docs]
    for doc in docs:
        style = style_for(doc["id"], ids)
        write_pdf(doc, style, out / f"{doc['id']}.pdf")
        write_docx(doc, style, out / f"{doc['id']}.docx")
        write_html(doc, style, out / f"{doc['id']}.html")
        print(f"{doc['id']}: {style.name}")


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "/tmp/rendered"))
