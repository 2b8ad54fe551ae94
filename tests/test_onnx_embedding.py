"""OnnxEmbedder against the real packaged model: same vectors as sentence-transformers, no torch."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from retrieval.errors import ModelNotAvailableError
from retrieval.models import MODEL_DIMENSION, Embedder, SentenceTransformerEmbedder, packaged_model_path
from retrieval.models.onnx import OnnxEmbedder, export_onnx_model, read_max_seq_length
from retrieval.models.packaged import default_model

ROOT = Path(__file__).resolve().parent.parent

QUESTIONS = [
    "Can staff accept friend requests from pupils?",
    "What should I do if a parent posts about a teacher online?",
    "Are staff allowed to use personal phones to photograph children?",
    "Who is the designated safeguarding lead?",
    "social media",
    "cyberbullying",
    "Is it OK to mention the school on my personal Facebook account?",
    "What happens if an employee breaches this policy?",
    "consent for photographs",
    "How long are records kept?",
    "Can governors post about school business on Twitter?",
    "?",
    "ÉCOLE — naïve café résumé",
    "a " * 400,
]


def corpus_paragraphs() -> list[str]:
    texts: list[str] = []
    for path in sorted((ROOT / "corpus").glob("*.txt")):
        texts.extend(p.strip() for p in path.read_text(encoding="utf-8").split("\n\n") if p.strip())
    return texts


@pytest.fixture(scope="session")
def onnx_model_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """This install's model (the adapted one once trained) exported, as make does."""
    model_path, model_id = default_model()
    target = tmp_path_factory.mktemp("onnx-model")
    return export_onnx_model(target, model_path=Path(model_path), model_id=model_id)


@pytest.fixture(scope="session")
def onnx_embedder(onnx_model_dir: Path) -> OnnxEmbedder:
    return OnnxEmbedder(onnx_model_dir, batch_size=16)


@pytest.fixture(scope="session")
def sample_texts() -> list[str]:
    return corpus_paragraphs() + QUESTIONS


@pytest.fixture(scope="session")
def reference_vectors(sample_texts: list[str]) -> np.ndarray:
    return SentenceTransformerEmbedder().embed(sample_texts)


def test_max_seq_length_comes_from_sentence_bert_config() -> None:
    assert read_max_seq_length(Path(packaged_model_path())) == 256


def test_matches_sentence_transformers(
    onnx_embedder: OnnxEmbedder, sample_texts: list[str], reference_vectors: np.ndarray
) -> None:
    vectors = onnx_embedder.embed(sample_texts)
    assert vectors.shape == reference_vectors.shape
    cosines = np.sum(vectors * reference_vectors, axis=1)
    worst = int(np.argmin(cosines))
    assert cosines.min() >= 0.999, f"cosine {cosines.min():.5f} for {sample_texts[worst][:80]!r}"


def test_rows_are_unit_float32(onnx_embedder: OnnxEmbedder, sample_texts: list[str]) -> None:
    vectors = onnx_embedder.embed(sample_texts[:20])
    assert vectors.dtype == np.float32
    assert vectors.flags.c_contiguous
    assert np.linalg.norm(vectors, axis=1) == pytest.approx(np.ones(20), abs=1e-5)


def test_batch_rows_match_single_embeddings(onnx_embedder: OnnxEmbedder, sample_texts: list[str]) -> None:
    # Length-sorted batching must hand rows back in input order, and padding must not leak into means.
    texts = [sample_texts[0], QUESTIONS[0], sample_texts[5], QUESTIONS[4]]
    batch = onnx_embedder.embed(texts)
    singles = np.vstack([onnx_embedder.embed([t]) for t in texts])
    assert np.sum(batch * singles, axis=1) == pytest.approx(np.ones(len(texts)), abs=1e-5)


def test_empty_input_returns_empty_matrix(onnx_model_dir: Path) -> None:
    vectors = OnnxEmbedder(onnx_model_dir).embed([])
    assert vectors.shape == (0, MODEL_DIMENSION)
    assert vectors.dtype == np.float32


def test_satisfies_embedder_protocol(onnx_embedder: OnnxEmbedder) -> None:
    assert isinstance(onnx_embedder, Embedder)
    assert onnx_embedder.model_id == SentenceTransformerEmbedder().model_id
    assert onnx_embedder.dimension == 384


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [({"batch_size": 0}, "batch_size must be at least 1"), ({"threads": 0}, "threads must be at least 1")],
)
def test_rejects_bad_options(tmp_path: Path, kwargs: dict[str, int], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        OnnxEmbedder(tmp_path, **kwargs)


def test_rejects_single_string(onnx_embedder: OnnxEmbedder) -> None:
    with pytest.raises(TypeError, match="sequence of strings"):
        onnx_embedder.embed("a question")  # type: ignore[arg-type]


def test_missing_export_names_the_fix(tmp_path: Path) -> None:
    with pytest.raises(ModelNotAvailableError, match="export_onnx_model"):
        OnnxEmbedder(tmp_path).embed(["anything"])


def test_fresh_process_does_not_import_torch(onnx_model_dir: Path) -> None:
    code = (
        "import sys, json\n"
        "from pathlib import Path\n"
        "from retrieval.models.onnx import OnnxEmbedder\n"
        "v = OnnxEmbedder(Path(sys.argv[1])).embed(['Can staff accept friend requests?'])\n"
        "heavy = [m for m in ('torch', 'transformers', 'sentence_transformers') if m in sys.modules]\n"
        "print(json.dumps({'shape': list(v.shape), 'heavy': heavy}))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code, str(onnx_model_dir)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report == {"shape": [1, MODEL_DIMENSION], "heavy": []}


def test_onnx_query_path_gives_the_same_top5_on_the_dev_questions(
    onnx_embedder: OnnxEmbedder, seed_index_dir: Path, seed_index
) -> None:
    """An index built with sentence-transformers, searched with ONNX, ranks exactly as before."""
    from retrieval import PolicyIndex, read_questions

    from .conftest import DEV_QUESTIONS

    onnx_index = PolicyIndex.load(seed_index_dir, embedder=onnx_embedder)
    for question in read_questions(DEV_QUESTIONS):
        reference = seed_index.search(question.question, top_k=5)
        fast = onnx_index.search(question.question, top_k=5)
        assert fast.answered == reference.answered, question.qid
        expected = [h.clause.clause_id for h in reference.hits]
        assert [h.clause.clause_id for h in fast.hits] == expected, question.qid
