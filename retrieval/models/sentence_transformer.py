"""The packaged model through sentence-transformers (torch): used to build, train and export."""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Sequence

import numpy as np

from .packaged import MODEL_DIMENSION, MODEL_ID, default_model, normalise_rows, packaged_model_path

log = logging.getLogger(__name__)


class SentenceTransformerEmbedder:
    """A sentence-transformers model, loaded lazily once: by default this install's model.

    With no ``model_path`` that is the adapted model when ``train-model`` has run, else the packaged
    all-MiniLM-L6-v2; ``stock()`` is always the packaged one.
    """

    dimension = MODEL_DIMENSION

    def __init__(
        self, *, model_path: str | None = None, model_id: str | None = None, batch_size: int = 64
    ) -> None:
        if batch_size < 1:
            raise ValueError(f"batch_size must be at least 1. Currently, batch_size is {batch_size}.")
        if model_path is None:
            model_path, default_id = default_model()
            model_id = model_id or default_id
        self.model_id = model_id or MODEL_ID
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

                path = self._model_path
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

    @classmethod
    def stock(cls, *, batch_size: int = 64) -> SentenceTransformerEmbedder:
        """The packaged all-MiniLM-L6-v2 as shipped, whatever this install has trained."""
        return cls(model_path=packaged_model_path(), model_id=MODEL_ID, batch_size=batch_size)
