"""The adapted model as one compact file that can be committed, and back again.

Training takes about ten minutes on two cores; a school's ``make run`` should not wait for it. The
trained folder is saved as one ``.npz`` file: every weight matrix as its change from the packaged
model it was trained from, in 4-bit steps with one scale per row (an eighth of the float32 size),
every vector and every small text file (configs, the tokenizer, the training record) as it is.
Restoring it gives a sentence-transformers folder again whose vectors agree with the trained model's
to a cosine of 0.99998 or better (measured on 177 questions and clauses; tests/test_compact.py
holds it to 0.9999), so the search settings fitted on the trained model hold.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import numpy as np

from ..errors import ModelNotAvailableError
from .packaged import TRAINING_RECORD
from .question_bank import BANK_TEXTS

WEIGHTS_FILE = "model.safetensors"
FORMAT_VERSION = 1
LEVELS = 7
_TEXT_PREFIX = "file:"
_ROWS_PREFIX = "int4:"
_SCALE_PREFIX = "scale:"
_PLAIN_PREFIX = "plain:"
_FORMAT_KEY = "format"
# The changes only mean something added to the very weights they were taken from.
_BASE_KEY = "base_sha256"
# The model card sentence-transformers writes is regenerated on save; it is not needed to load.
# The question bank is rebuilt from the training questions once the model is back.
_SKIPPED = frozenset({WEIGHTS_FILE, "README.md", BANK_TEXTS})


def quantise_rows(matrix: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(4-bit steps packed two to a byte, float32 scale per row) for a float matrix.

    Each value becomes one of -7 … 7 steps of its row's scale, so it comes back within half a step.
    """
    rows = np.asarray(matrix, dtype=np.float32)
    scale = np.abs(rows).max(axis=1, keepdims=True) / LEVELS
    scale[scale == 0] = 1.0
    steps = (np.clip(np.round(rows / scale), -LEVELS, LEVELS) + LEVELS + 1).astype(np.uint8)
    if steps.shape[1] % 2:
        steps = np.pad(steps, ((0, 0), (0, 1)), constant_values=LEVELS + 1)
    return steps[:, 0::2] | (steps[:, 1::2] << 4), scale.astype(np.float32)


def dequantise_rows(packed: np.ndarray, scale: np.ndarray, width: int) -> np.ndarray:
    steps = np.empty((packed.shape[0], packed.shape[1] * 2), dtype=np.int16)
    steps[:, 0::2], steps[:, 1::2] = packed & 0x0F, packed >> 4
    return (steps[:, :width] - (LEVELS + 1)).astype(np.float32) * scale


def weights_digest(model_dir: Path) -> str:
    """SHA-256 of a model folder's weights file."""
    digest = hashlib.sha256()
    with (model_dir / WEIGHTS_FILE).open("rb") as weights:
        for block in iter(lambda: weights.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def save_compact_model(model_dir: Path, target: Path, *, base_dir: Path) -> Path:
    """Write the sentence-transformers folder ``model_dir`` as one compressed ``.npz`` at ``target``.

    Matrices are stored as their change from the same matrix of ``base_dir`` (the packaged model
    they were trained from): the change is small, so four bits of it lose far less than eight bits
    of the weight itself would.
    """
    from safetensors.numpy import load_file

    weights_path = model_dir / WEIGHTS_FILE
    if not weights_path.is_file() or not (model_dir / TRAINING_RECORD).is_file():
        raise ModelNotAvailableError(
            f"'{model_dir}' holds no trained model ({WEIGHTS_FILE} and {TRAINING_RECORD}). "
            "Run 'python -m retrieval train-model --force' first."
        )
    base = load_file(str(base_dir / WEIGHTS_FILE))
    arrays: dict[str, np.ndarray] = {
        _FORMAT_KEY: np.array(FORMAT_VERSION),
        _BASE_KEY: np.array(weights_digest(base_dir)),
    }
    for name, tensor in load_file(str(weights_path)).items():
        start = base.get(name)
        if tensor.ndim == 2 and start is not None and start.shape == tensor.shape:
            change = tensor.astype(np.float32) - start.astype(np.float32)
            arrays[_ROWS_PREFIX + name], arrays[_SCALE_PREFIX + name] = quantise_rows(change)
        else:
            arrays[_PLAIN_PREFIX + name] = tensor
    for path in sorted(model_dir.rglob("*")):
        relative = path.relative_to(model_dir).as_posix()
        if path.is_file() and relative not in _SKIPPED and path.suffix in (".json", ".txt"):
            arrays[_TEXT_PREFIX + relative] = np.array(path.read_text(encoding="utf-8"))
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".partial.npz")
    np.savez_compressed(partial, **arrays)  # type: ignore[arg-type]
    partial.replace(target)
    return target


def compact_record(artifact: Path) -> dict[str, object] | None:
    """The training record stored in a compact model (its data fingerprint, split, config), or None."""
    try:
        with np.load(artifact) as stored:
            return json.loads(str(stored[_TEXT_PREFIX + TRAINING_RECORD]))
    except (OSError, ValueError, KeyError):
        return None


def restore_compact_model(artifact: Path, output_dir: Path, *, base_dir: Path) -> Path:
    """Unpack a compact model saved against ``base_dir`` into a folder at ``output_dir`` (replaced)."""
    from safetensors.numpy import load_file, save_file

    try:
        stored = np.load(artifact)
    except (OSError, ValueError) as exc:
        raise ModelNotAvailableError(
            f"The adapted model file '{artifact}' cannot be read ({exc}). Run "
            "'python -m retrieval train-model --force' to train the model instead."
        ) from exc
    with stored:
        if _FORMAT_KEY not in stored.files or int(stored[_FORMAT_KEY]) != FORMAT_VERSION:
            raise ModelNotAvailableError(
                f"'{artifact}' is not a compact model this version can read. Run "
                "'python -m retrieval train-model --force' to train the model instead."
            )
        if str(stored[_BASE_KEY]) != weights_digest(base_dir):
            raise ModelNotAvailableError(
                f"'{artifact}' was saved against another version of the packaged model than the one "
                f"in '{base_dir}'. Run 'python -m retrieval train-model --force' to train the model instead."
            )
        # Loaded only once the file is known to fit it: 90 MB for nothing otherwise.
        base = load_file(str(base_dir / WEIGHTS_FILE))
        weights: dict[str, np.ndarray] = {}
        partial = output_dir.with_name(output_dir.name + ".partial")
        shutil.rmtree(partial, ignore_errors=True)
        for key in stored.files:
            if key.startswith(_ROWS_PREFIX):
                name = key[len(_ROWS_PREFIX) :]
                change = dequantise_rows(stored[key], stored[_SCALE_PREFIX + name], base[name].shape[1])
                weights[name] = base[name].astype(np.float32) + change
            elif key.startswith(_PLAIN_PREFIX):
                weights[key[len(_PLAIN_PREFIX) :]] = stored[key]
            elif key.startswith(_TEXT_PREFIX):
                path = partial / key[len(_TEXT_PREFIX) :]
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(str(stored[key]), encoding="utf-8")
    partial.mkdir(parents=True, exist_ok=True)
    save_file(weights, str(partial / WEIGHTS_FILE), metadata={"format": "pt"})
    shutil.rmtree(output_dir, ignore_errors=True)
    partial.rename(output_dir)
    return output_dir
