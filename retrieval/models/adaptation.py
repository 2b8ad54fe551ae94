"""Train this install's adapted model from ``training/``: read, mine near misses, fine-tune, export.

Run by ``python -m retrieval train-model`` (and so by ``make``). Seeded: the same training folder
gives the same model on the same machine, and an unchanged folder is not trained again. The
repository also carries the trained model as one compact file (models/compact.py): when it was
trained from exactly this folder it is unpacked instead, which takes seconds, not minutes.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ..errors import ModelNotAvailableError
from ..ingest.chunking import chunk_documents
from ..ingest.clause_text import embedding_text
from ..ingest.parsing import read_document
from ..types import Clause, Document
from .compact import compact_record, restore_compact_model, save_compact_model
from .packaged import TRAINING_RECORD, adapted_model_dir, adapted_model_id, packaged_model_path
from .question_bank import BANK_VECTORS, QUESTIONS_PER_CLAUSE, save_question_bank
from .sentence_transformer import SentenceTransformerEmbedder
from .training import SHIPPED_CONFIG, TrainingConfig, TrainingReport, train_adapted_model
from .training_data import (
    LabelledQuestion,
    TrainingSplit,
    bank_questions,
    read_labelled_questions,
    read_split,
    training_examples,
)

log = logging.getLogger(__name__)

SPLIT_FILE = "split.toml"
COMPACT_MODEL_FILE = "adapted-model.npz"


@dataclass(frozen=True, slots=True)
class TrainingSet:
    """The training documents of one split, parsed, with their questions."""

    documents: tuple[Document, ...]
    clauses: tuple[Clause, ...]
    questions: tuple[LabelledQuestion, ...]


def policy_path(training_dir: Path, doc_id: str) -> Path:
    path = training_dir / "policies" / f"{doc_id}.md"
    if not path.is_file():
        raise ModelNotAvailableError(f"split.toml names '{doc_id}' but {path} does not exist.")
    return path


def question_path(training_dir: Path, doc_id: str) -> Path:
    return training_dir / "questions" / f"{doc_id}.jsonl"


def load_training_set(training_dir: Path, doc_ids: tuple[str, ...]) -> TrainingSet:
    """Parse the named training policies with the product's own parser and read their questions."""
    documents = tuple(read_document(policy_path(training_dir, doc_id)) for doc_id in doc_ids)
    paths = [question_path(training_dir, d) for d in doc_ids if question_path(training_dir, d).is_file()]
    return TrainingSet(documents, chunk_documents(documents), read_labelled_questions(paths))


def clause_texts(training_set: TrainingSet) -> list[str]:
    """What the index embeds for each clause, so training and search see the same text."""
    titles = {d.doc_id: d.meta.title for d in training_set.documents}
    return [embedding_text(clause, titles[clause.doc_id]) for clause in training_set.clauses]


# The parser version whose clause texts the model learns on. A parse change that leaves every
# training policy's clauses as they were bumps ingest's PARSER_VERSION (indexes are rebuilt) but not
# this, so the shipped model stays valid; tests/test_training.py holds the hash of those clause texts
# and fails when a parse change alters them: then bump this and retrain.
TRAINED_PARSER_VERSION = "14"


def training_clauses_digest(training_set: TrainingSet) -> str:
    """SHA-256 of the clause texts the model is trained on, as the parser makes them now."""
    return hashlib.sha256("\n\x00".join(clause_texts(training_set)).encode()).hexdigest()


def fingerprint(training_dir: Path, split: TrainingSplit, config: TrainingConfig) -> str:
    """Hash of everything the model is trained from: training files, split and hyper-parameters."""
    # The parser version too: the model learns on the clause texts the parser makes. And the question
    # bank's size per clause: a model id that changes with it makes indexes built without the bank,
    # or with another size, stale.
    settings = [split.train, repr(config), TRAINED_PARSER_VERSION, QUESTIONS_PER_CLAUSE]
    digest = hashlib.sha256(json.dumps(settings).encode())
    for doc_id in split.train:
        for path in (policy_path(training_dir, doc_id), question_path(training_dir, doc_id)):
            digest.update(path.read_bytes() if path.is_file() else b"")
    return digest.hexdigest()


def recorded_fingerprint(folder: Path) -> str | None:
    try:
        return str(json.loads((folder / TRAINING_RECORD).read_text(encoding="utf-8"))["fingerprint"])
    except (OSError, ValueError, KeyError):
        return None


def _training_split(training_dir: Path) -> TrainingSplit:
    split_file = training_dir / SPLIT_FILE
    if not split_file.is_file():
        raise ModelNotAvailableError(f"No {SPLIT_FILE} in '{training_dir}': it lists the training documents.")
    return read_split(split_file)


def _shipped_fingerprint(training_dir: Path) -> str:
    """The fingerprint a model trained from ``training_dir`` with the shipped settings carries."""
    return fingerprint(training_dir, _training_split(training_dir), SHIPPED_CONFIG)


def unpack_adapted_model(training_dir: Path, *, output_dir: Path | None = None) -> Path | None:
    """Unpack ``training_dir``'s compact model file when it was trained from that very folder.

    Returns the file unpacked, or None: no file, the model already in place, a file trained from
    other data (then ``adapt_model`` trains afresh, so an edited training folder is never ignored),
    or one that cannot be used (unreadable, or saved against another packaged model).
    """
    artifact = training_dir / COMPACT_MODEL_FILE
    if not artifact.is_file():
        return None
    folder = output_dir or adapted_model_dir()
    stamp = _shipped_fingerprint(training_dir)
    if recorded_fingerprint(folder) == stamp and adapted_model_id(folder):
        return None
    record = compact_record(artifact) or {}
    if record.get("fingerprint") != stamp:
        log.warning("%s was trained from other training data; the model will be trained afresh", artifact)
        return None
    try:
        restore_compact_model(artifact, folder, base_dir=Path(packaged_model_path()))
    except ModelNotAvailableError as exc:
        log.warning("%s; the model will be trained afresh", exc)
        return None
    return artifact


def save_adapted_model(training_dir: Path, *, model_dir: Path | None = None) -> Path:
    """Write the trained model as ``training_dir``'s compact model file, to be committed with its data."""
    folder = model_dir or adapted_model_dir()
    if recorded_fingerprint(folder) != _shipped_fingerprint(training_dir):
        raise ModelNotAvailableError(
            f"The model in '{folder}' was not trained from '{training_dir}' as it is now. "
            "Run 'python -m retrieval train-model --force' first."
        )
    return save_compact_model(folder, training_dir / COMPACT_MODEL_FILE, base_dir=Path(packaged_model_path()))


def adapt_model(
    training_dir: Path,
    *,
    output_dir: Path | None = None,
    config: TrainingConfig = SHIPPED_CONFIG,
    force: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> TrainingReport | None:
    """Fine-tune the packaged model on the training split of ``training_dir``; None when already done.

    Args:
        training_dir: folder with ``split.toml``, ``policies/`` and ``questions/``.
        output_dir: where the model goes (default: this install's adapted-model folder).
        config: hyper-parameters.
        force: train even when a model from the same data and config is already there.
        progress: called as ``progress(step, total_steps)``.
    """
    split = _training_split(training_dir)
    folder = output_dir or adapted_model_dir()
    stamp = fingerprint(training_dir, split, config)
    if not force and recorded_fingerprint(folder) == stamp and adapted_model_id(folder):
        log.info("the adapted model in %s is up to date", folder)
        if not (folder / BANK_VECTORS).is_file():
            _save_bank(folder, load_training_set(training_dir, split.train))
        return None
    training_set = load_training_set(training_dir, split.train)
    texts = clause_texts(training_set)
    stock = SentenceTransformerEmbedder.stock()
    examples = training_examples(
        training_set.questions,
        training_set.clauses,
        texts,
        question_vectors=stock.embed([q.question for q in training_set.questions]),
        clause_vectors=stock.embed(texts),
    )
    log.info("%d training triples from %d questions", len(examples), len(training_set.questions))
    record = {"fingerprint": stamp, "train": list(split.train), "validation": list(split.validation)}
    report = train_adapted_model(
        examples,
        base_model_path=Path(packaged_model_path()),
        output_dir=folder,
        config=config,
        record=record,
        progress=progress,
    )
    _save_bank(folder, training_set)
    return report


def _save_bank(folder: Path, training_set: TrainingSet) -> None:
    """The questions the model was trained on, embedded by it: everyday wording for BM25 (question_bank)."""
    questions = bank_questions(training_set.questions)
    model = SentenceTransformerEmbedder(model_path=str(folder), model_id=adapted_model_id(folder))
    save_question_bank(folder, questions, model.embed(questions))
