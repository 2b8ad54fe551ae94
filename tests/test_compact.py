"""The adapted model as a committed compact file: packing, unpacking, and when it is (not) used."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest

from retrieval import SentenceTransformerEmbedder
from retrieval.errors import ModelNotAvailableError
from retrieval.models import packaged_model_path
from retrieval.models.adaptation import (
    COMPACT_MODEL_FILE,
    SPLIT_FILE,
    adapt_model,
    fingerprint,
    save_adapted_model,
    unpack_adapted_model,
)
from retrieval.models.compact import (
    compact_record,
    dequantise_rows,
    quantise_rows,
    restore_compact_model,
    save_compact_model,
)
from retrieval.models.packaged import ADAPTED_NAME, adapted_model_id
from retrieval.models.training import SHIPPED_CONFIG, TrainingConfig
from retrieval.models.training_data import read_split

from .test_training import MINI, TRAINING

ADAPTED_PREFIX = f"policy-assistant/{ADAPTED_NAME}"
TEXTS = [
    "can I accept a friend request from a parent?",
    "a pupil messaged me on instagram, what now",
    "Staff must not give their personal contact details to pupils.",
    "Governors should not discuss board business on social media.",
    "what does 6.11 say",
    "when do I get paid in December",
]


@pytest.fixture(scope="module")
def trained(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A real short fine-tuning run of the packaged model, so its weights really moved."""
    output = tmp_path_factory.mktemp("trained") / "adapted"
    adapt_model(MINI, output_dir=output, config=TrainingConfig(epochs=2, batch_size=2, learning_rate=1e-4))
    return output


def test_quantised_rows_come_back_within_half_a_step() -> None:
    rng = np.random.default_rng(3)
    matrix = rng.normal(0, 0.01, size=(5, 7)).astype(np.float32)  # an odd width is padded and cut off
    matrix[2] = 0.0
    packed, scale = quantise_rows(matrix)
    assert packed.dtype == np.uint8 and packed.shape == (5, 4)
    restored = dequantise_rows(packed, scale, matrix.shape[1])
    assert restored.shape == matrix.shape
    assert np.all(np.abs(restored - matrix) <= scale / 2 + 1e-9)
    assert np.all(restored[2] == 0.0)


def test_a_compact_model_gives_the_trained_models_vectors(trained: Path, tmp_path: Path) -> None:
    base = Path(packaged_model_path())
    artifact = save_compact_model(trained, tmp_path / "model.npz", base_dir=base)
    restored = restore_compact_model(artifact, tmp_path / "restored", base_dir=base)
    # An eighth of the float32 weights, and the training record travels with it.
    assert artifact.stat().st_size < (trained / "model.safetensors").stat().st_size / 6
    assert adapted_model_id(restored) == adapted_model_id(trained)

    def vectors(folder: Path) -> np.ndarray:
        return SentenceTransformerEmbedder(model_path=str(folder), model_id="test").embed(TEXTS)

    original, unpacked, stock = vectors(trained), vectors(restored), vectors(base)
    assert np.min(np.sum(original * unpacked, axis=1)) >= 0.9999
    # The training moved the vectors far more than packing does, so the check above can fail.
    assert np.min(np.sum(original * stock, axis=1)) < 0.9999


def test_the_committed_model_file_was_trained_from_the_committed_training_data() -> None:
    record = compact_record(TRAINING / COMPACT_MODEL_FILE)
    assert record is not None, f"training/{COMPACT_MODEL_FILE} is missing or unreadable"
    current = fingerprint(TRAINING, read_split(TRAINING / SPLIT_FILE), SHIPPED_CONFIG)
    assert record["fingerprint"] == current, (
        "training/ changed after the model file was saved: run "
        "'python -m retrieval train-model --force --save-compact' and commit the new file"
    )


def test_the_committed_model_file_unpacks_once_to_the_adapted_model(tmp_path: Path) -> None:
    output = tmp_path / "adapted"
    assert unpack_adapted_model(TRAINING, output_dir=output) == TRAINING / COMPACT_MODEL_FILE
    record = compact_record(TRAINING / COMPACT_MODEL_FILE)
    assert record is not None
    assert adapted_model_id(output) == f"{ADAPTED_PREFIX}@{str(record['fingerprint'])[:12]}"
    assert unpack_adapted_model(TRAINING, output_dir=output) is None  # already in place


def test_a_model_file_from_other_training_data_is_not_unpacked(tmp_path: Path) -> None:
    training = tmp_path / "training"
    shutil.copytree(TRAINING, training)
    edited = next(iter(sorted((training / "questions").glob("*.jsonl"))))
    text = edited.read_text(encoding="utf-8")
    edited.write_text(text + text.splitlines()[0] + "\n", encoding="utf-8")  # one question twice
    output = tmp_path / "adapted"
    assert unpack_adapted_model(training, output_dir=output) is None
    assert not output.exists()


def test_saving_refuses_a_model_trained_from_other_data(trained: Path, tmp_path: Path) -> None:
    committed = (TRAINING / COMPACT_MODEL_FILE).read_bytes()
    with pytest.raises(ModelNotAvailableError, match="train-model --force"):
        save_adapted_model(TRAINING, model_dir=trained)
    assert (TRAINING / COMPACT_MODEL_FILE).read_bytes() == committed


def test_a_model_file_saved_against_other_packaged_weights_is_refused(trained: Path, tmp_path: Path) -> None:
    from safetensors.numpy import load_file, save_file

    stock = Path(packaged_model_path())
    artifact = save_compact_model(trained, tmp_path / "model.npz", base_dir=stock)
    # Another release of the packaged model: the same names and shapes, other numbers.
    other = tmp_path / "other-base"
    shutil.copytree(stock, other)
    weights = load_file(str(other / "model.safetensors"))
    name = next(n for n, t in weights.items() if t.ndim == 2)
    weights[name] = weights[name] * 1.01
    save_file(weights, str(other / "model.safetensors"), metadata={"format": "pt"})
    with pytest.raises(ModelNotAvailableError, match="another version of the packaged model"):
        restore_compact_model(artifact, tmp_path / "out", base_dir=other)
    assert not (tmp_path / "out").exists()


def test_an_unreadable_model_file_is_refused_with_a_clear_error(tmp_path: Path) -> None:
    junk = tmp_path / "adapted-model.npz"
    junk.write_bytes(b"not a model")
    with pytest.raises(ModelNotAvailableError, match="cannot be read"):
        restore_compact_model(junk, tmp_path / "out", base_dir=Path(packaged_model_path()))
    assert compact_record(junk) is None
