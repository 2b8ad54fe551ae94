"""The on-disk index: exact search against brute force, atomic writes, checks on load, reuse on rebuild."""

from __future__ import annotations

import json
import shutil
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest

from retrieval import (
    IndexMismatchError,
    IndexNotBuiltError,
    PolicyIndex,
    build_index,
    index_status,
    open_index,
)
from retrieval.index.stored import make_vector_index, read_stored_index, stored_vectors
from retrieval.models import normalise_rows


class WordLengthEmbedder:
    """Obviously fake, deterministic embedder (word lengths as the vector).

    Only for tests about files and bookkeeping, not about meaning.
    """

    model_id = "test/word-lengths"
    dimension = 16

    def __init__(self) -> None:
        self.embedded = 0

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        self.embedded += len(texts)
        rows = np.zeros((len(texts), self.dimension), dtype=np.float32)
        for row, text in enumerate(texts):
            for position, word in enumerate(text.split()):
                rows[row, position % self.dimension] += len(word)
            rows[row, -1] += 1.0
        return normalise_rows(rows)


def test_faiss_inner_product_matches_brute_force_numpy():
    rng = np.random.default_rng(1338)
    base = normalise_rows(rng.standard_normal((500, 32)).astype(np.float32))
    queries = normalise_rows(rng.standard_normal((20, 32)).astype(np.float32))
    index = make_vector_index(base)
    scores, ids = index.search(queries, 10)
    expected = np.argsort(-(queries @ base.T), axis=1)[:, :10]
    np.testing.assert_array_equal(ids, expected)
    np.testing.assert_allclose(scores, np.take_along_axis(queries @ base.T, expected, axis=1), rtol=1e-5)


@pytest.fixture()
def corpus(tmp_path: Path, seed_corpus_copy: Path) -> Path:
    target = tmp_path / "corpus"
    shutil.copytree(seed_corpus_copy, target)
    return target


def test_build_writes_manifest_clauses_and_vectors_that_agree(corpus: Path, tmp_path: Path):
    fake = WordLengthEmbedder()
    report = build_index(corpus, tmp_path / "index", embedder=fake)
    stored = read_stored_index(tmp_path / "index")
    assert report.documents == 2 and report.clauses == len(stored.clauses) == stored.manifest.clause_count
    assert stored.vectors.ntotal == report.clauses and stored.manifest.dimension == 16
    assert {d.doc_id for d in stored.manifest.documents} == {p.stem for p in corpus.glob("*.txt")}
    assert stored.manifest.corpus_dir == str(corpus.resolve())
    assert all(d.modified > 0 for d in stored.manifest.documents)
    np.testing.assert_allclose(np.linalg.norm(stored_vectors(stored), axis=1), 1.0, rtol=1e-5)


def test_rebuild_embeds_only_changed_clauses(corpus: Path, tmp_path: Path):
    fake = WordLengthEmbedder()
    first = build_index(corpus, tmp_path / "index", embedder=fake)
    again = build_index(corpus, tmp_path / "index", embedder=fake)
    assert again.embedded == 0 and again.reused == first.clauses
    policy = next(corpus.glob("lancashire*.txt"))
    policy.write_text(policy.read_text().replace("annual basis", "biennial basis"))
    changed = build_index(corpus, tmp_path / "index", embedder=fake)
    assert changed.embedded == 1


def test_status_reports_missing_stale_and_fresh(corpus: Path, tmp_path: Path):
    fake = WordLengthEmbedder()
    assert index_status(corpus, tmp_path / "index", embedder=fake).state == "missing"
    build_index(corpus, tmp_path / "index", embedder=fake)
    assert index_status(corpus, tmp_path / "index", embedder=fake).state == "fresh"
    (corpus / "extra.txt").write_text("# 1 RULES\n\n1.1 Phones must be switched off in lessons.\n")
    status = index_status(corpus, tmp_path / "index", embedder=fake)
    assert status.state == "stale" and "extra is new" in status.reasons


def test_open_index_rebuilds_when_stale_or_refuses_when_told(corpus: Path, tmp_path: Path):
    fake = WordLengthEmbedder()
    build_index(corpus, tmp_path / "index", embedder=fake)
    (corpus / "extra.txt").write_text("# 1 RULES\n\n1.1 Phones must be switched off in lessons.\n")
    with pytest.raises(IndexMismatchError, match="out of date.*extra is new"):
        open_index(tmp_path / "index", corpus_dir=corpus, embedder=fake, rebuild=False)
    index = open_index(tmp_path / "index", corpus_dir=corpus, embedder=fake)
    assert "extra" in {d.doc_id for d in index.documents}


def test_failed_build_leaves_previous_index_live(corpus: Path, tmp_path: Path):
    fake = WordLengthEmbedder()
    build_index(corpus, tmp_path / "index", embedder=fake)
    before = read_stored_index(tmp_path / "index")

    class Exploding(WordLengthEmbedder):
        def embed(self, texts):
            raise RuntimeError("killed mid-build")

    (corpus / "extra.txt").write_text("# 1 RULES\n\n1.1 Phones must be switched off in lessons.\n")
    with pytest.raises(RuntimeError):
        build_index(corpus, tmp_path / "index", embedder=Exploding())
    after = read_stored_index(tmp_path / "index")
    assert after.path == before.path and len(after.clauses) == len(before.clauses)
    assert not list((tmp_path / "index").glob(".staging-*"))


def test_missing_index_says_how_to_build(tmp_path: Path):
    with pytest.raises(IndexNotBuiltError, match="python -m retrieval build"):
        PolicyIndex.load(tmp_path / "nothing", embedder=WordLengthEmbedder())


@pytest.mark.parametrize("damage", ["truncate-clauses", "drop-vectors", "edit-manifest", "bad-pointer"])
def test_damaged_index_raises_mismatch_with_a_fix(corpus: Path, tmp_path: Path, damage: str):
    fake = WordLengthEmbedder()
    report = build_index(corpus, tmp_path / "index", embedder=fake)
    build = report.index_path
    if damage == "truncate-clauses":
        lines = (build / "clauses.jsonl").read_text().splitlines()
        (build / "clauses.jsonl").write_text("\n".join(lines[:-3]) + "\n")
    elif damage == "drop-vectors":
        (build / "vectors.faiss").unlink()
    elif damage == "edit-manifest":
        manifest = json.loads((build / "manifest.json").read_text())
        manifest["clause_count"] += 5
        (build / "manifest.json").write_text(json.dumps(manifest))
    else:
        (tmp_path / "index" / "CURRENT").write_text("build-gone\n")
    with pytest.raises(IndexMismatchError, match="python -m retrieval build"):
        PolicyIndex.load(tmp_path / "index", embedder=fake)
    # open_index repairs it by rebuilding.
    assert open_index(tmp_path / "index", corpus_dir=corpus, embedder=fake).clauses


def test_index_from_another_model_is_refused(corpus: Path, tmp_path: Path, embedder):
    build_index(corpus, tmp_path / "index", embedder=WordLengthEmbedder())
    with pytest.raises(IndexMismatchError, match="built with test/word-lengths"):
        PolicyIndex.load(tmp_path / "index", embedder=embedder)
