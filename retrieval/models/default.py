"""Choosing the process-wide embedder: the ONNX export when present, else sentence-transformers."""

from __future__ import annotations

import logging
import sys
import threading
from pathlib import Path

from ..errors import ModelNotAvailableError
from ..types import Embedder
from .packaged import default_model
from .sentence_transformer import SentenceTransformerEmbedder

log = logging.getLogger(__name__)


def onnx_model_dir() -> Path:
    """Where this environment keeps its ONNX export of its default model (inside the venv).

    Kept beside the installed packages so a new or updated environment gets a fresh export.
    """
    return Path(sys.prefix) / "share" / "policy-assistant" / "onnx-all-MiniLM-L6-v2"


def ensure_onnx_model(target: Path | None = None) -> Path:
    """Export the default model (adapted when trained) to ONNX unless that export exists; returns its folder.

    Needs torch; about 15 s. A folder holding another model's export (say the stock model's, before
    ``train-model`` ran) is exported again.
    """
    from .onnx import export_onnx_model, load_onnx_config

    folder = target or onnx_model_dir()
    model_path, model_id = default_model()
    try:
        current = load_onnx_config(folder).model_id
    except ModelNotAvailableError:
        current = None
    if current != model_id:
        log.info("exporting %s to ONNX in %s", model_id, folder)
        export_onnx_model(folder, model_path=Path(model_path), model_id=model_id)
    return folder


def _onnx_embedder(folder: Path) -> Embedder | None:
    from .onnx import OnnxEmbedder

    try:
        return OnnxEmbedder(folder)
    except ModelNotAvailableError:
        return None


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
            _, model_id = default_model()
            onnx = _onnx_embedder(folder)
            if onnx is not None and onnx.model_id == model_id:
                _default_embedder = onnx
            else:
                log.info("no ONNX export of %s in %s; using sentence-transformers", model_id, folder)
                _default_embedder = SentenceTransformerEmbedder()
        return _default_embedder
