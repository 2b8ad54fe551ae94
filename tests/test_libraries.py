"""Many schools, one corpus: a trust library and one per school, never one school's clauses in another's.

Two schools have conflicting policies on the same topic under the same file name; the trust has
its own. Whatever is asked, through search, clause look-up, comparison or obligations, a question
from one school never returns the other school's clauses (a property test over random questions).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from retrieval import (
    PolicyIndex,
    build_index,
    compare,
    library_stamp,
    obligations_for,
    open_engine_index,
    tag_clauses,
)
from retrieval.answering.obligations import ROLES
from retrieval.answering.ruling import verdict_for
from retrieval.errors import UnknownDocumentError
from retrieval.ingest.libraries import UnknownLibraryError, library_of
from retrieval.views.export import Exchange, conversation_markdown

from .test_cli import run_cli

SCHOOL_A = """# Mobile Phones Policy

Issued by: Ashgrove Primary School

## 1. Staff phones

1.1 Staff may use their personal phones in lessons to photograph pupils' work for the class blog.

1.2 Staff may keep their phones on the desk during lessons.
"""
SCHOOL_B = """# Mobile Phones Policy

Issued by: Birchfield Primary School

## 1. Staff phones

1.1 Staff must not use personal phones in lessons for any purpose, including photographs of work.

1.2 Staff phones must be locked in the staff room during lessons.
"""
TRUST = """# Staff Code of Conduct

Issued by: Oakvale Learning Trust

## 1. Conduct

1.1 Staff must treat pupils, parents and colleagues with courtesy and respect at all times.

1.2 Staff must not accept gifts worth more than 25 pounds from parents.
"""
WORDS = [
    "can",
    "I",
    "use",
    "my",
    "phone",
    "in",
    "lessons",
    "photos",
    "pupils",
    "gifts",
    "parents",
    "what",
    "does",
    "1.1",
    "say",
    "compare",
    "staff",
    "room",
    "blog",
    "must",
    "Ashgrove",
    "Birchfield",
    "Oakvale",
    "trust",
    "school",
    "policy",
    "mobile",
    "1.2",
    "clause",
]


@pytest.fixture(scope="module")
def libraries(tmp_path_factory) -> Path:
    corpus = tmp_path_factory.mktemp("libraries") / "corpus"
    for folder, name, text in (
        ("ashgrove", "mobile-phones.md", SCHOOL_A),
        ("birchfield", "mobile-phones.md", SCHOOL_B),
        ("trust", "code-of-conduct.md", TRUST),
    ):
        (corpus / folder).mkdir(parents=True, exist_ok=True)
        (corpus / folder / name).write_text(text, encoding="utf-8")
    # The same trust leaflet copied into both schools: each school keeps its own copy.
    for folder in ("ashgrove", "birchfield"):
        (corpus / folder / "leaflet.md").write_text("# Leaflet\n\n1. Ask the office for help.\n")
    return corpus


@pytest.fixture(scope="module", params=["faiss", "milvus"])
def library_index(request, libraries: Path, tmp_path_factory, embedder) -> PolicyIndex:
    """The two-school index on each store: the in-process FAISS one and the engine (Milvus Lite)."""
    index_dir = tmp_path_factory.mktemp("library-index") / "index"
    build_index(libraries, index_dir, embedder=embedder)
    if request.param == "milvus":
        uri = str(index_dir.parent / "engine.db")
        return open_engine_index(index_dir, uri=uri, corpus_dir=libraries, embedder=embedder)
    return PolicyIndex.load(index_dir, embedder=embedder)


def test_each_library_is_read_with_ids_that_carry_it(library_index: PolicyIndex) -> None:
    ids = sorted(d.doc_id for d in library_index.documents)
    assert ids == [
        "ashgrove--leaflet",
        "ashgrove--mobile-phones",
        "birchfield--leaflet",
        "birchfield--mobile-phones",
        "trust--code-of-conduct",
    ]
    assert library_index.libraries == ("ashgrove", "birchfield")
    assert library_index.docs_for("ashgrove") == [
        "ashgrove--leaflet",
        "ashgrove--mobile-phones",
        "trust--code-of-conduct",
    ]
    with pytest.raises(UnknownLibraryError, match="Libraries: ashgrove, birchfield"):
        library_index.docs_for("nowhere")
    with pytest.raises(UnknownDocumentError, match="in library 'ashgrove'"):
        library_index.docs_for("ashgrove", ["birchfield--mobile-phones"])


def test_the_same_question_gets_each_schools_own_rule(library_index: PolicyIndex) -> None:
    question = "Can I use my phone in lessons to take photos of work?"
    for school, wording in (("ashgrove", "may use their personal phones"), ("birchfield", "must not use")):
        hits = library_index.search(question, docs=library_index.docs_for(school)).hits
        assert wording in hits[0].clause.text


def allowed(index: PolicyIndex, school: str) -> set[str]:
    return set(index.docs_for(school) or ())


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    words=st.lists(st.sampled_from(WORDS), min_size=1, max_size=8),
    school=st.sampled_from(["ashgrove", "birchfield"]),
)
def test_no_school_ever_sees_another_schools_clauses(
    library_index: PolicyIndex, words: list[str], school: str
) -> None:
    question = " ".join(words)
    visible = library_index.docs_for(school)
    mine = allowed(library_index, school)
    answer = library_index.search(question, docs=visible, top_k=10)
    assert {h.clause.doc_id for h in answer.hits} <= mine
    exported = conversation_markdown([Exchange(question, answer, verdict_for(question, answer), "a1", 0.0)])
    other = {"ashgrove": "Birchfield Primary", "birchfield": "Ashgrove Primary"}[school]
    assert other not in exported
    comparison = compare(library_index, question, docs=visible)
    assert {p.doc_id for p in comparison.positions} <= mine
    assert {c.hit.clause.doc_id for row in comparison.rows for c in row.cells if c} <= mine
    for role in ROLES[:2]:
        items = obligations_for(tag_clauses(library_index.clauses), role, docs=visible)
        assert {item.clause.doc_id for item in items} <= mine
    assert all(library_of(d) in (school, "trust", "") for d in mine)


@pytest.mark.parametrize("store", ["faiss", "milvus"])
def test_cli_library_option_keeps_to_the_school(libraries: Path, tmp_path: Path, store: str) -> None:
    folders = ("--corpus", str(libraries), "--index", str(tmp_path / "index"))
    if store == "milvus":
        folders += ("--engine", str(tmp_path / "engine.db"))
    result = run_cli("ask", "what does 1.1 say?", "--library", "birchfield", "--json", *folders)
    assert result.returncode == 0, result.stderr
    docs = {r["doc_id"] for r in json.loads(result.stdout)["results"]}
    assert docs and docs <= {"birchfield--mobile-phones", "birchfield--leaflet", "trust--code-of-conduct"}
    other = run_cli("show", "ashgrove--mobile-phones", "--library", "birchfield", *folders)
    assert other.returncode != 0 and "in library 'birchfield'" in other.stderr
    unknown = run_cli("ask", "phones", "--library", "elmwood", *folders)
    assert unknown.returncode != 0 and "There is no library 'elmwood'" in unknown.stderr


def test_a_change_in_a_library_folder_changes_the_stamp(libraries: Path, tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    shutil.copytree(libraries, corpus)
    before = library_stamp(tmp_path / "index", corpus)
    (corpus / "ashgrove" / "new-policy.md").write_text("# New\n\n1. Something new.\n")
    assert library_stamp(tmp_path / "index", corpus) != before


@pytest.mark.parametrize("store", ["faiss", "milvus"])
def test_the_app_shows_only_the_chosen_schools_policies(
    monkeypatch, libraries: Path, tmp_path: Path, store: str
) -> None:
    from streamlit.testing.v1 import AppTest

    from .test_app import APP, TIMEOUT, ask, texts

    if store == "milvus":
        monkeypatch.setenv("POLICY_ENGINE_URI", str(tmp_path / "engine.db"))
    monkeypatch.setenv("POLICY_INDEX_DIR", str(tmp_path / "index"))
    monkeypatch.setenv("POLICY_CORPUS_DIR", str(libraries))
    monkeypatch.setenv("POLICY_FEEDBACK_DIR", str(tmp_path / "feedback"))
    at = AppTest.from_file(APP, default_timeout=TIMEOUT).run()
    assert not at.exception
    school = next(s for s in at.sidebar.selectbox if s.label == "Your school")
    assert list(school.options) == ["ashgrove", "birchfield"]
    school.set_value("birchfield").run()
    sidebar = " ".join(texts(at.sidebar))
    assert "Birchfield" in sidebar and "Oakvale" in sidebar and "Ashgrove" not in sidebar
    ask(at, "Can I use my phone in lessons to take photos of work?")
    reply = " ".join(texts(at.chat_message[1]))
    assert "must not use personal phones" in reply and "Ashgrove" not in reply
    assert (tmp_path / "engine.db").exists() == (store == "milvus")


def test_a_new_version_in_a_school_library_is_named_in_its_citations(
    libraries: Path, tmp_path: Path, embedder
) -> None:
    from retrieval.ingest.library import add_document

    corpus = tmp_path / "corpus"
    shutil.copytree(libraries, corpus)
    add_document(corpus / "birchfield", "mobile-phones.md", SCHOOL_B.replace("staff room", "office").encode())
    build_index(corpus, tmp_path / "index", embedder=embedder)
    index = PolicyIndex.load(tmp_path / "index", embedder=embedder)
    hits = index.search("Where do staff phones go during lessons?", docs=index.docs_for("birchfield")).hits
    citation = next(h.citation.format() for h in hits if h.clause.doc_id == "birchfield--mobile-phones")
    assert "version 2, added" in citation
