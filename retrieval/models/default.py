"""Choosing the process-wide embedder: the ONNX export when present, else sentence-transformers."""

from __future__ import annotations

import logging
import sys
import threading
from pathlib import Path

from ..errors import ModelNotAvailableError
from ..types import Embedder
from .sentence_transformer import SentenceTransformerEmbedder

log = logging.getLogger(__name__)


def onnx_model_dir() -> Path:
    """Where this environment keeps its ONNX export of the packaged model (inside the venv).

    Kept beside the installed packages so a new or updated environment gets a fresh export.
    """
    return Path(sys.prefix) / "share" / "policy-assistant" / "onnx-all-MiniLM-L6-v2"


def ensure_onnx_model(target: Path | None = None) -> Path:
    """Export the packaged model to ONNX once (needs torch; a few seconds); returns its folder."""
    from .onnx import export_onnx_model, load_onnx_config

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
                from .onnx import OnnxEmbedder

                _default_embedder = OnnxEmbedder(folder)
            else:
                log.info("no ONNX export in %s; using sentence-transformers (slower to start)", folder)
                _default_embedder = SentenceTransformerEmbedder()
        return _default_embedder
