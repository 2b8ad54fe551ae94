"""Uploading and deleting policies: validated before writing, atomic, and searchable straight after."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from retrieval import DocumentReadError, UnknownDocumentError, build_index, open_index
from retrieval.ingest.history import read_history
from retrieval.ingest.library import DuplicateDocumentError, add_document, remove_document, safe_file_name

from .conftest import DONCASTER, SEED_CORPUS

PHONES = b"# 1 MOBILE PHONES\n\n1.1 Staff must keep personal mobile phones switched off during lessons.\n"


@pytest.fixture()
def corpus(tmp_path: Path) -> Path:
    target = tmp_path / "corpus"
    shutil.copytree(SEED_CORPUS, target)
    return target


def _files(folder: Path) -> set[str]:
    return {p.name for p in folder.iterdir()}


def test_uploaded_policy_is_saved_and_searchable_after_a_build(corpus: Path, tmp_path: Path, embedder):
    path = add_document(corpus, "Phones policy.md", PHONES)
    assert path.name == "Phones policy.md" and path.read_bytes() == PHONES
    report = build_index(corpus, tmp_path / "index", embedder=embedder)
    assert report.documents == 3
    answer = open_index(tmp_path / "index", embedder=embedder).search("Can I use my mobile phone in lessons?")
    assert answer.hits[0].clause.doc_id == "Phones policy" and answer.hits[0].clause.number == "1.1"


@pytest.mark.parametrize(
    ("name", "data", "error", "words"),
    [
        ("empty.txt", b"", DocumentReadError, "empty"),
        ("notes.exe", b"MZ binary", DocumentReadError, "not supported"),
        ("broken.pdf", b"%PDF-1.4 garbage", DocumentReadError, "broken.pdf"),
        ("big.txt", b"x" * 2000, DocumentReadError, "big.txt"),
        ("copy.txt", None, DuplicateDocumentError, "identical to doncaster"),
    ],
)
def test_bad_upload_is_refused_and_nothing_is_written(corpus: Path, name, data, error, words):
    before = _files(corpus)
    if data is None:
        data = (corpus / f"{DONCASTER}.txt").read_bytes()
    with pytest.raises(error, match=words):
        add_document(corpus, name, data, max_bytes=1000)
    assert _files(corpus) == before


def test_upload_names_cannot_escape_or_hide(corpus: Path):
    assert safe_file_name("../../etc/passwd.txt") == "passwd.txt"
    assert safe_file_name("..\\evil.md") == "evil.md"
    assert safe_file_name(".hidden.txt") == "hidden.txt"
    path = add_document(corpus, "../outside.md", PHONES)
    assert path.parent == corpus


def test_same_name_different_content_is_a_new_version(corpus: Path):
    first = add_document(corpus, "phones.md", PHONES)
    second = add_document(corpus, "phones.md", PHONES.replace(b"lessons", b"assemblies"))
    assert second == first and b"assemblies" in second.read_bytes()
    history = read_history(corpus, "phones")
    assert history is not None and [v.number for v in history.versions] == [1, 2] and history.live == 2
    with pytest.raises(DuplicateDocumentError, match="live version"):
        add_document(corpus, "phones.md", second.read_bytes())


def test_removing_a_document_retires_it_from_search(corpus: Path, tmp_path: Path, embedder):
    build_index(corpus, tmp_path / "index", embedder=embedder)
    before = (corpus / f"{DONCASTER}.txt").read_bytes()
    removed = remove_document(corpus, DONCASTER)
    assert not removed.exists()
    history = read_history(corpus, DONCASTER)
    assert history is not None and history.live is None
    assert (corpus / ".history" / DONCASTER / history.versions[0].file_name).read_bytes() == before
    index = open_index(tmp_path / "index", corpus_dir=corpus, embedder=embedder)
    assert {d.doc_id for d in index.documents} == {"lancashire-social-media-model-policy-2024"}
    with pytest.raises(UnknownDocumentError, match="no document"):
        remove_document(corpus, DONCASTER)
