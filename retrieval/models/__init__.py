"""Stage 3: the embedding models (sentence-transformers to build and train, ONNX to answer fast)."""

from ..types import Embedder
from .default import default_embedder, ensure_onnx_model, onnx_model_dir
from .packaged import MODEL_DIMENSION, MODEL_ID, normalise_rows, packaged_model_path
from .question_bank import lexical_expander
from .sentence_transformer import SentenceTransformerEmbedder

__all__ = [
    "MODEL_DIMENSION",
    "MODEL_ID",
    "Embedder",
    "SentenceTransformerEmbedder",
    "default_embedder",
    "ensure_onnx_model",
    "lexical_expander",
    "normalise_rows",
    "onnx_model_dir",
    "packaged_model_path",
]
