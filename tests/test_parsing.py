"""The clause parse of both seed policies is pinned, plus other numbering styles and no numbering."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from retrieval import CorpusNotFoundError, EmptyCorpusError, load_corpus, parse_clauses, read_document
from retrieval.ingest.markup import strip_markup
from retrieval.ingest.parsing import content_hash, extract_metadata, read_corpus
from retrieval.types import Document, DocumentMeta
from retrieval.views.evaluation import normalise_for_match

from .conftest import DONCASTER, LANCASHIRE


def _doc(text: str, doc_id: str = "synthetic") -> Document:
    return Document(doc_id, f"{doc_id}.txt", text, content_hash(text.encode()), DocumentMeta(title=doc_id))


@pytest.fixture(scope="module")
def parsed(seed_documents):
    return {document.doc_id: (document, parse_clauses(document)) for document in seed_documents}


def _numbers(clauses) -> list[str]:
    return [clause.number for clause in clauses]


DONCASTER_NUMBERED = (
    [f"1.{i}" for i in range(1, 5)]
    + [f"2.{i}" for i in range(1, 4)]
    + [f"3.{i}" for i in range(1, 5)]
    + ["4.1"]
    + [f"5.{i}" for i in range(1, 8)]
    + [f"6.{i}" for i in range(1, 16)]
    + ["7.1", "7.2", "8.1", "8.2", "8.3"]
)
LANCASHIRE_NUMBERED = (
    ["1", "2", "3.1", "3.2", "3.3", "3.4", "4.1"]
    + [f"4.1({r})" for r in ("i", "ii", "iii", "iv", "v", "vi")]
    + ["4.2"]
    + [f"6({r})" for r in ("i", "ii", "iii", "iv")]
)


def test_doncaster_numbered_clauses_each_present_once_in_order(parsed):
    _, clauses = parsed[DONCASTER]
    numbered = [n for n in _numbers(clauses) if n[0].isdigit()]
    assert numbered == DONCASTER_NUMBERED


def test_lancashire_numbered_clauses_each_present_once_in_order(parsed):
    _, clauses = parsed[LANCASHIRE]
    numbered = [n for n in _numbers(clauses) if n[0].isdigit() and n != "5"]
    assert numbered == LANCASHIRE_NUMBERED


def test_unnumbered_blocks_take_their_section_or_appendix_number(parsed):
    _, doncaster = parsed[DONCASTER]
    _, lancashire = parsed[LANCASHIRE]
    assert {"preamble", "Appendix 1", "Appendix 2", "Appendix 3", "Appendix 4"} <= set(_numbers(doncaster))
    assert Counter(_numbers(lancashire))["5"] >= 5
    assert _numbers(lancashire)[0] == "preamble"


def test_sub_items_carry_their_stem_and_heading_path(parsed):
    _, clauses = parsed[LANCASHIRE]
    by_number = {c.number: c for c in clauses}
    item = by_number["4.1(iii)"]
    assert item.stem.startswith("Employees who choose to make use of social networking site/media")
    assert item.heading_path == ("4. GUIDANCE AND ADVICE", "4.1")
    assert item.parent_number == "4.1"
    # The five bullets under (iii) only make sense with their lead-in, and stay with it.
    assert "in a manner which may:-" in item.text
    assert item.text.count("•") == 5
    assert "bring into question their appropriateness" in item.text


def test_footnote_after_the_list_attaches_to_the_item_with_the_marker(parsed):
    document, clauses = parsed[LANCASHIRE]
    by_number = {c.number: c for c in clauses}
    note = by_number["4.1(iv)"].note
    assert note.startswith("(In some cases employees in schools/services are related to parents/carers")
    assert not by_number["4.1(vi)"].note and not by_number["4.1(v)"].note
    start, end = by_number["4.1(iv)"].note_span
    assert normalise_for_match(document.text[start:end]) == normalise_for_match(note)


def test_clause_broken_across_a_line_break_is_joined(parsed):
    _, lancashire = parsed[LANCASHIRE]
    _, doncaster = parsed[DONCASTER]
    assert "In addition there are some cases" in {c.number: c for c in lancashire}["3.4"].text
    assert (
        "acts that render Maple Medical PRU or the LA liable" in {c.number: c for c in doncaster}["8.2"].text
    )


def test_quoted_external_guidance_does_not_become_a_new_section(parsed):
    _, clauses = parsed[LANCASHIRE]
    assert "12" not in _numbers(clauses)
    quoted = [c for c in clauses if "the adult should not respond" in c.text]
    assert len(quoted) == 1
    assert quoted[0].number == "5"
    assert quoted[0].heading_path[0] == "5. SAFEGUARDING ISSUES"
    assert quoted[0].heading_path[-1].startswith("12. Communication with children")


def test_list_lead_in_becomes_the_stem_of_each_bullet(parsed):
    _, clauses = parsed[LANCASHIRE]
    bullet = next(c for c in clauses if c.text.startswith("not discuss or share data"))
    assert bullet.stem == "This means that adults should:"


def test_contact_list_keeps_names_with_numbers(parsed):
    _, clauses = parsed[DONCASTER]
    contacts = [c for c in clauses if c.number == "Appendix 4"]
    assert len(contacts) == 1
    assert "LADO (Local Designated Officer for Safeguarding) – Jim Foy\n01302 737748" in contacts[0].text


def test_preamble_holds_approval_and_review_dates(parsed):
    _, clauses = parsed[DONCASTER]
    preamble = clauses[0]
    assert preamble.number == "preamble"
    assert "Approved: March 2021" in preamble.text and "To be reviewed: March 2023" in preamble.text


@pytest.mark.parametrize("doc_id", [DONCASTER, LANCASHIRE])
def test_spans_slice_back_to_the_source_text(parsed, doc_id):
    document, clauses = parsed[doc_id]
    for clause in clauses:
        source = normalise_for_match(strip_markup(document.text[clause.char_start : clause.char_end]))
        for line in clause.text.splitlines():
            assert normalise_for_match(line) in source, (clause.number, line)
    # Every clause starts where the one before it ended or later: reading order is kept.
    starts = [clause.char_start for clause in clauses]
    assert starts == sorted(starts)


@pytest.mark.parametrize("doc_id", [DONCASTER, LANCASHIRE])
def test_every_sentence_of_the_source_is_in_some_clause(parsed, doc_id):
    document, clauses = parsed[doc_id]
    covered = normalise_for_match(" ".join(c.full_text + " " + " ".join(c.heading_path) for c in clauses))
    for raw_line in document.text.splitlines():
        line = normalise_for_match(raw_line).lstrip("-# ")
        if len(line) > 30:
            assert line[-30:] in covered, raw_line


def test_clause_ids_are_stable_and_unique(parsed, seed_documents):
    again = {d.doc_id: parse_clauses(d) for d in seed_documents}
    for doc_id, (_, clauses) in parsed.items():
        ids = [c.clause_id for c in clauses]
        assert len(set(ids)) == len(ids)
        assert ids == [c.clause_id for c in again[doc_id]]


SECTION_STYLE = """Model Code for Volunteers

Section 1 Purpose

This code explains what volunteers may do online.

Section 2 Use of devices

2(a) Volunteers must not photograph pupils on a personal phone.
2(b) Volunteers should keep personal phones in a locker during sessions.

Article 3 Reporting

3(a) Any concern must be reported to the designated safeguarding lead the same day.
"""

UNNUMBERED = """# Staff Wellbeing Guidance

## Flexible working

Staff may request flexible working after 26 weeks of service.

Requests are considered within three months.

## Support

- The employee assistance line is open every day.
- Counselling can be arranged through HR.
"""


def test_other_numbering_style_section_and_article():
    clauses = parse_clauses(_doc(SECTION_STYLE))
    by_number = {c.number: c for c in clauses}
    assert [c.number for c in clauses] == ["preamble", "Section 1", "2(a)", "2(b)", "3(a)"]
    assert by_number["2(a)"].text == "Volunteers must not photograph pupils on a personal phone."
    assert by_number["2(a)"].heading_path == ("Section 2 Use of devices",)
    assert by_number["3(a)"].heading_path == ("Article 3 Reporting",)


LEAD_IN_THEN_LETTERED_ITEMS = """# Remote Learning Policy

## Part 1 – Platforms

7 Teachers set work on the school's learning platform.

8 Pupils hand work in on the same platform.

## Part 2 – Live lessons

Staff leading a live lesson must:
(a) sign in with their school account;

(b) dress as they would for a working day in school.

## Part 3 – Pupils

Pupils are welcome to ask questions in the chat.
(a) Questions are answered at the end of the lesson.
"""


def test_lettered_items_after_a_lead_in_paragraph_take_it_as_their_stem(tmp_path: Path):
    source = tmp_path / "remote-learning.md"
    source.write_text(LEAD_IN_THEN_LETTERED_ITEMS, encoding="utf-8")
    clauses = parse_clauses(read_document(source))
    by_number = {c.number: c for c in clauses}
    assert by_number["Part 2"].text == "Staff leading a live lesson must:"
    assert by_number["Part 2(a)"].stem == "Staff leading a live lesson must:"
    assert by_number["Part 2(b)"].stem == "Staff leading a live lesson must:"
    assert by_number["Part 2(b)"].text == "dress as they would for a working day in school."
    # A paragraph that does not end in a colon introduces nothing.
    assert by_number["Part 3(a)"].stem == ""


WEB_PAGE_WITH_A_NUMBERED_PART = """# Online Safety Agreement

Issued by: Example Primary School

## About this agreement

This agreement sets out what everyone promises to do so that children stay safe online.

## For pupils in Key Stage 2

I will:

- keep my passwords secret from my friends and only share them with my parent.
- tell a grown-up I trust if something online makes me worried.

## For parents and carers

1. Parents and carers should switch on the parental controls on home broadband.

2. Parents should not post complaints about staff on social media.

## For staff and volunteers

Staff and volunteers will:

(a) use only school accounts to contact pupils and parents;

(b) report any online safety worry to the DSL the same day.
"""


def test_headed_parts_before_the_first_number_are_not_front_matter(tmp_path: Path):
    source = tmp_path / "agreement.md"
    source.write_text(WEB_PAGE_WITH_A_NUMBERED_PART, encoding="utf-8")
    clauses = parse_clauses(read_document(source))
    by_reference = {c.reference: c for c in clauses}
    preamble = by_reference["Preamble"]
    assert "keep my passwords" not in preamble.text
    pupils = by_reference["For pupils in Key Stage 2, item 1"]
    assert (pupils.stem, pupils.heading_path) == ("I will:", ("For pupils in Key Stage 2",))
    assert by_reference["1"].heading_path == ("For parents and carers",)
    staff = by_reference["For staff and volunteers (b)"]
    assert staff.stem == "Staff and volunteers will:"
    assert staff.text == "report any online safety worry to the DSL the same day."


def test_document_without_numbering_falls_back_to_heading_paragraphs():
    clauses = parse_clauses(_doc(UNNUMBERED))
    assert [c.number for c in clauses] == ["Flexible working", "Flexible working", "Support", "Support"]
    assert clauses[0].heading_path == ("Staff Wellbeing Guidance", "Flexible working")
    assert clauses[1].text == "Requests are considered within three months."
    assert clauses[3].text == "Counselling can be arranged through HR."


def test_markup_styles_are_removed_from_clause_text():
    text = "# 1 RULES\n\n1.1 Staff **must not** post <b>pupil</b> photos on *any* site.\n"
    (clause,) = parse_clauses(_doc(text))
    assert clause.number == "1.1"
    assert clause.text == "Staff must not post pupil photos on any site."
    assert clause.heading_path == ("1 RULES",)


def test_metadata_is_read_from_the_text():
    meta = extract_metadata(
        "LANCASHIRE COUNTY COUNCIL\n\nMODEL POLICY ON PHONES (JUNE 2024)\n\n1. PURPOSE\n", "x"
    )
    assert meta.issuer == "Lancashire County Council"
    assert meta.title == "Lancashire County Council – Model Policy on Phones (June 2024)"
    assert meta.issued == "June 2024"


def test_sidecar_overrides_titles_shown_to_users(seed_documents):
    titles = {d.doc_id: d.meta.title for d in seed_documents}
    assert titles[DONCASTER] == "Doncaster MBC – Guidance on Social Media Use for Education Establishments"
    assert all(".txt" not in title for title in titles.values())


def test_missing_empty_and_unreadable_corpus(tmp_path: Path):
    with pytest.raises(CorpusNotFoundError, match="does not exist"):
        load_corpus(tmp_path / "nowhere")
    with pytest.raises(EmptyCorpusError, match="has no readable policy documents"):
        load_corpus(tmp_path)
    (tmp_path / "blank.txt").write_text("   \n")
    with pytest.raises(EmptyCorpusError, match="blank.txt is empty"):
        load_corpus(tmp_path)


def test_bad_files_are_skipped_with_a_reason_and_the_rest_is_read(tmp_path: Path, seed_corpus_copy: Path):
    for source in seed_corpus_copy.iterdir():
        (tmp_path / source.name).write_bytes(source.read_bytes())
    (tmp_path / "blank.txt").write_text("")
    (tmp_path / "copy.txt").write_bytes(next(seed_corpus_copy.glob("doncaster*.txt")).read_bytes())
    (tmp_path / "scan.pdf").write_bytes(b"%PDF-1.4 not really a pdf")
    (tmp_path / "notes.xyz").write_text("not a policy type: named, not silently ignored")
    corpus = read_corpus(tmp_path)
    assert {d.doc_id for d in corpus.documents} == {DONCASTER, LANCASHIRE}
    reasons = {s.name: s.reason for s in corpus.skipped}
    assert set(reasons) == {"blank.txt", "copy.txt", "scan.pdf", "notes.xyz"}
    assert "'.xyz' are not supported" in reasons["notes.xyz"]
    assert "is a copy of doncaster-social-media-guidance-2021.txt" in reasons["copy.txt"]
    assert "scan.pdf" in reasons["scan.pdf"] and "empty" in reasons["blank.txt"]


def test_only_formatting_tags_are_stripped_other_angle_brackets_are_text():
    text = "# 1 RULES\n\n1.1 Report <script>alert(1)</script> and a<b and c>d to the <b>head</b>.\n"
    (clause,) = parse_clauses(_doc(text))
    assert clause.text == "Report <script>alert(1)</script> and a<b and c>d to the head."


def test_numbered_sub_headings_lead_ins_and_approval_line():
    """A trust policy laid out differently from the seeds: '3.1 The governing board' is a heading."""
    from .conftest import DATA

    document = read_document(DATA / "trust-acceptable-use-policy.txt")
    assert document.meta.approved == "September 2023" and document.meta.review_due == "September 2024"
    by_number = {c.number: c for c in parse_clauses(document)}
    governing = by_number["3.1"]
    assert governing.heading_path == ("3. Roles and responsibilities", "3.1 The governing board")
    assert governing.text.startswith("The governing board has overall responsibility")
    assert by_number["3.1(a)"].stem == "All governors will:"
    assert by_number["3.1(b)"].text.startswith("Agree and adhere")
    assert by_number["4"].text.startswith("Staff must not use personal mobile phones")


def test_hard_wrapped_text_joins_lines_and_items_take_the_closing_lead_in():
    from .conftest import DATA

    document = read_document(DATA / "code-of-conduct-wrapped.txt")
    assert document.meta.approved == "12 October 2022" and document.meta.review_due == "October 2024"
    by_number = {c.number: c for c in parse_clauses(document)}
    assert by_number["1.1"].text == (
        "This code of conduct applies to all adults working in the school, including volunteers and supply "
        "staff. It sets out the standards of behaviour expected of them."
    )
    assert by_number["2.1(a)"].stem == "Staff should:"
    assert by_number["2.1(b)"].text == "not promise confidentiality to a pupil who makes a disclosure."
    assert [n for n in by_number if n[0].isdigit()] == ["1.1", "1.2", "2.1", "2.1(a)", "2.1(b)", "2.2"]


def test_roman_items_under_a_lettered_item_are_numbered_beneath_it():
    from retrieval.answering.references import find_references, lookup

    text = (
        "# Social Media Guidance\n\n## 5. Former pupils\n\n"
        "5.3 Where a former pupil asks to connect with an employee:\n\n"
        "(a) if the former pupil is under 18, the employee must not accept;\n\n"
        "(b) if the former pupil is 18 or over, the employee may accept, but should decline where:\n\n"
        "(i) the young person was vulnerable while at school; or\n\n"
        "(ii) the former pupil has brothers or sisters on roll.\n\n"
        "(c) an employee who is unsure should ask the headteacher.\n\n"
        "## 6. Letters\n\n6.1 Staff must not:\n\n(a) one\n\n(b) two\n\n(c) three\n\n(d) four\n\n"
        "(e) five\n\n(f) six\n\n(g) seven\n\n(h) eight\n\n(i) nine, the ninth letter\n\n"
        "## 7. Roman list\n\n7.1 Staff should:\n\n(i) first\n\n(ii) second\n"
    )
    clauses = parse_clauses(_doc(text))
    numbers = _numbers(clauses)
    assert numbers[numbers.index("5.3") :][:6] == [
        "5.3",
        "5.3(a)",
        "5.3(b)",
        "5.3(b)(i)",
        "5.3(b)(ii)",
        "5.3(c)",
    ]
    nested = next(c for c in clauses if c.number == "5.3(b)(i)")
    assert nested.parent_number == "5.3(b)" and "may accept" in nested.stem
    assert "6.1(i)" in numbers and "7.1(i)" in numbers and "7.1(ii)" in numbers
    # HR's reference finds it, and a reference to (b) brings its sub-items.
    assert [c.number for c in lookup(find_references("what does 5.3(b)(ii) say")[0], clauses)] == [
        "5.3(b)(ii)"
    ]
    under_b = lookup(find_references("clause 5.3(b)")[0], clauses)
    assert [c.number for c in under_b] == ["5.3(b)", "5.3(b)(i)", "5.3(b)(ii)"]


LETTERED_PARAGRAPHS = """# Staff Online Content Policy

Issued by: Example Trust

## Part A – Scope

A1 This policy covers everything staff publish online in their own time.

A2 It applies to supply staff and volunteers as well.

## Part B – Declaring side work

B1 Staff must declare paid online work to their headteacher.

Staff who livestream must:
- switch on the platform's moderation tools
- stream only from home

B2 Print the declaration on A4 paper and hand it in.
"""


def test_lettered_paragraph_numbers_are_the_clause_numbers(tmp_path: Path):
    source = tmp_path / "online-content.md"
    source.write_text(LETTERED_PARAGRAPHS, encoding="utf-8")
    clauses = parse_clauses(read_document(source))
    numbered = [c.number for c in clauses if c.number[:1] in "AB" and c.number[1:].isdigit()]
    assert numbered == ["A1", "A2", "B1", "B2"]
    by_number = {c.number: c for c in clauses}
    assert by_number["A1"].text == "This policy covers everything staff publish online in their own time."
    assert by_number["B1"].heading_path == ("Part B – Declaring side work",)
    # Unnumbered paragraphs after a numbered one continue it, as they do after "1.1".
    assert by_number["B1"].text.startswith("Staff must declare paid online work to their headteacher.")
    assert "stream only from home" in by_number["B1"].text
    # A paper size inside a paragraph is not a number.
    assert by_number["B2"].text == "Print the declaration on A4 paper and hand it in."


def _web_page_paragraph(topic: str) -> str:
    # About 420 characters of our own wording, so a few of them pass the run-on length.
    return (
        f"{topic.upper()} The trust keeps a record of {topic} for as long as the law requires, and "
        f"staff who handle {topic} follow the retention schedule agreed by the board. Requests to see "
        f"or correct {topic} go to the data protection lead, who replies within one month and explains "
        f"any delay in writing. Where {topic} is shared with another body, the sharing agreement names "
        f"the purpose, the legal basis and the date on which the shared copy will be deleted."
    )


def test_paragraphs_around_a_short_numbered_list_are_not_merged_into_one_clause():
    # A web page of paragraphs with one numbered list in the middle: before the fix, everything
    # before the list was one "Preamble" clause and everything after it ran on inside item 3.
    topics = ("attendance", "medical notes", "exam results", "photographs", "references", "minutes")
    before = [_web_page_paragraph(topic) for topic in topics]
    after = [_web_page_paragraph(f"{topic} archive") for topic in topics]
    listed = [
        "1. We share records with the local authority when the law requires it.",
        "2. We share records with a pupil's next school when they move.",
        "3. We share records with the examination boards for entries and results.",
    ]
    text = "Trust Data Sharing Notice\n\n" + "\n\n".join(before + listed + after) + "\n"
    clauses = parse_clauses(_doc(text))
    holders = Counter()
    for paragraph in before + after:
        (holder,) = [c for c in clauses if normalise_for_match(paragraph) in normalise_for_match(c.text)]
        holders[holder.clause_id] += 1
    # At most the run-on limit's worth of paragraphs (three, or four short ones) share a clause.
    assert max(holders.values()) <= 4
    assert [c.number for c in clauses if c.number in ("1", "2", "3")] == ["1", "2", "3"]
    assert normalise_for_match(after[-1]) not in normalise_for_match(
        next(c for c in clauses if c.number == "3").text
    )


def test_a_long_numbered_clause_of_two_paragraphs_stays_whole():
    first, second = _web_page_paragraph("attendance records"), _web_page_paragraph("medical notes")
    text = f"Records Policy\n\n1. Scope\n\n1.1 {first}\n\n{second}\n\n1.2 Short rule.\n"
    clauses = parse_clauses(_doc(text))
    assert "MEDICAL NOTES" in next(c for c in clauses if c.number == "1.1").text
