"""The packaged MiniLM model run through onnxruntime, so answering a query never imports torch.

`export_onnx_model` runs once, at build time, with torch; `OnnxEmbedder` needs only onnxruntime,
tokenizers and numpy, which import in well under a second.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import threading
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import ModelNotAvailableError
from .packaged import MODEL_DIMENSION, MODEL_ID, normalise_rows, packaged_model_path

log = logging.getLogger(__name__)

ONNX_FILENAME = "model.onnx"
TOKENIZER_FILENAME = "tokenizer.json"
CONFIG_FILENAME = "onnx_config.json"
INPUT_NAMES = ("input_ids", "attention_mask", "token_type_ids")
OUTPUT_NAME = "sentence_embedding"
OPSET = 18


@dataclass(frozen=True, slots=True)
class OnnxModelConfig:
    """What the exported directory promises: which model, its width and its token limit."""

    model_id: str
    dimension: int
    max_seq_length: int
    opset: int

    def to_json(self) -> str:
        return json.dumps(
            {
                "model_id": self.model_id,
                "dimension": self.dimension,
                "max_seq_length": self.max_seq_length,
                "opset": self.opset,
            },
            indent=2,
        )

    @classmethod
    def from_json(cls, text: str) -> OnnxModelConfig:
        raw = json.loads(text)
        return cls(
            model_id=str(raw["model_id"]),
            dimension=int(raw["dimension"]),
            max_seq_length=int(raw["max_seq_length"]),
            opset=int(raw["opset"]),
        )


def read_max_seq_length(model_path: Path) -> int:
    """The token limit sentence-transformers applies, from the model's sentence_bert_config.json.

    The packaged tokenizer.json says 128, a leftover of the upstream tokenizer; sentence-transformers
    overrides it with this value (256), so we must too or long clauses embed differently.
    """
    config = json.loads((model_path / "sentence_bert_config.json").read_text(encoding="utf-8"))
    if "max_seq_length" in config:
        value = int(config["max_seq_length"])
    else:
        # sentence-transformers 6 saves the limit as the tokenizer's model_max_length instead.
        tokenizer = json.loads((model_path / "tokenizer_config.json").read_text(encoding="utf-8"))
        value = int(tokenizer["model_max_length"])
    if value < 1:
        raise ValueError(f"max_seq_length must be at least 1. Currently, max_seq_length is {value}.")
    return value


def export_onnx_model(target_dir: Path, *, model_path: Path | None = None, model_id: str = MODEL_ID) -> Path:
    """Export the packaged all-MiniLM-L6-v2 to ONNX, with mean pooling and L2 normalisation in the graph.

    Needs torch, transformers and onnxscript (the dynamo exporter); takes about 15 s on two cores.

    Args:
        target_dir: Directory to write model.onnx, tokenizer.json and onnx_config.json into.
        model_path: Sentence-transformers model directory; defaults to the packaged model.
        model_id: the id the export answers to (recorded in indexes built with it).

    Returns:
        target_dir, ready to pass to `OnnxEmbedder`.
    """
    import torch
    from transformers import BertModel

    source = model_path or Path(packaged_model_path())
    max_seq_length = read_max_seq_length(source)
    target_dir.mkdir(parents=True, exist_ok=True)
    # A failed re-export must not leave the old marker vouching for a half-written directory.
    (target_dir / CONFIG_FILENAME).unlink(missing_ok=True)

    # Eager attention exports as plain MatMul/Softmax, which onnxruntime ran slightly faster here
    # (batch throughput) than the graph traced from the default SDPA attention.
    bert = BertModel.from_pretrained(str(source), attn_implementation="eager").eval()
    wrapper = _mean_pooled_bert(bert).eval()
    example = torch.ones((2, 8), dtype=torch.long)
    batch = torch.export.Dim("batch")
    seq = torch.export.Dim("seq", max=bert.config.max_position_embeddings)
    axes = {0: batch, 1: seq}
    partial = target_dir / (ONNX_FILENAME + ".partial")
    log.info("exporting %s to %s", source, target_dir)
    # The exporter warns about things that do not affect this graph (missing torchvision ops, axis
    # renaming); under pytest's filterwarnings=error they would abort the export.
    with warnings.catch_warnings(), torch.no_grad():
        warnings.simplefilter("ignore")
        torch.onnx.export(
            wrapper,
            (example, torch.ones_like(example), torch.zeros_like(example)),
            str(partial),
            dynamo=True,
            opset_version=OPSET,
            external_data=False,
            input_names=list(INPUT_NAMES),
            output_names=[OUTPUT_NAME],
            dynamic_shapes={name: axes for name in INPUT_NAMES},
            verbose=False,
        )
    os.replace(partial, target_dir / ONNX_FILENAME)
    shutil.copyfile(source / TOKENIZER_FILENAME, target_dir / TOKENIZER_FILENAME)
    config = OnnxModelConfig(model_id, MODEL_DIMENSION, max_seq_length, OPSET)
    # Written last: its presence marks a complete export.
    (target_dir / CONFIG_FILENAME).write_text(config.to_json(), encoding="utf-8")
    return target_dir


def _mean_pooled_bert(bert: Any) -> Any:
    """Wrap a BertModel so its output is the sentence-transformers embedding: masked mean, then L2.

    Defined inside a function because torch is imported only at export time.
    """
    import torch

    class MeanPooledBert(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.bert = bert

        def forward(self, input_ids: Any, attention_mask: Any, token_type_ids: Any) -> Any:
            hidden = self.bert(
                input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
            ).last_hidden_state
            mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
            mean = (hidden * mask).sum(dim=1) / mask.sum(dim=1).clamp(min=1e-9)
            return torch.nn.functional.normalize(mean, p=2.0, dim=1)

    return MeanPooledBert()


def encode_batch(tokenizer: Any, texts: Sequence[str]) -> dict[str, np.ndarray]:
    """Tokenise texts into the three int64 matrices the exported graph takes, padded to the longest."""
    encodings = tokenizer.encode_batch(list(texts))
    return {
        "input_ids": np.array([e.ids for e in encodings], dtype=np.int64),
        "attention_mask": np.array([e.attention_mask for e in encodings], dtype=np.int64),
        "token_type_ids": np.array([e.type_ids for e in encodings], dtype=np.int64),
    }


def load_onnx_config(model_dir: Path) -> OnnxModelConfig:
    """Read onnx_config.json, naming the fix when the export is missing or incomplete."""
    missing = [
        n for n in (CONFIG_FILENAME, ONNX_FILENAME, TOKENIZER_FILENAME) if not (model_dir / n).is_file()
    ]
    if missing:
        raise ModelNotAvailableError(
            f"The ONNX model in {model_dir} is missing {', '.join(missing)}. "
            "Run export_onnx_model() (needs torch) to create it."
        )
    config = OnnxModelConfig.from_json((model_dir / CONFIG_FILENAME).read_text(encoding="utf-8"))
    if config.dimension != MODEL_DIMENSION:
        raise ModelNotAvailableError(
            f"The ONNX model in {model_dir} is {config.model_id} ({config.dimension} dims), "
            f"expected {MODEL_DIMENSION} dims. Export it again."
        )
    return config


class OnnxEmbedder:
    """An exported model through onnxruntime; same vectors as SentenceTransformerEmbedder, no torch."""

    dimension = MODEL_DIMENSION

    def __init__(self, model_dir: Path, *, batch_size: int = 32, threads: int | None = None) -> None:
        if batch_size < 1:
            raise ValueError(f"batch_size must be at least 1. Currently, batch_size is {batch_size}.")
        if threads is not None and threads < 1:
            raise ValueError(f"threads must be at least 1 or None. Currently, threads is {threads}.")
        self._model_dir = Path(model_dir)
        # The id is read now (a small JSON file) so an index can be checked before the model loads.
        self.model_id = load_onnx_config(self._model_dir).model_id
        self._batch_size = batch_size
        self._threads = threads
        self._loaded: tuple[Any, Any] | None = None
        self._lock = threading.Lock()

    def _load(self) -> tuple[Any, Any]:
        with self._lock:
            if self._loaded is None:
                self._loaded = self._open()
            return self._loaded

    def _open(self) -> tuple[Any, Any]:
        try:
            import onnxruntime
            from tokenizers import Tokenizer
        except ImportError as exc:
            raise ModelNotAvailableError(
                "onnxruntime and tokenizers are needed for the ONNX embedder. "
                "Run 'pip install -r requirements.txt' to install them."
            ) from exc
        config = load_onnx_config(self._model_dir)
        log.info("loading ONNX embedding model from %s", self._model_dir)
        tokenizer = Tokenizer.from_file(str(self._model_dir / TOKENIZER_FILENAME))
        # tokenizer.json ships with fixed 128-token padding and truncation; use the model's own limit
        # and pad only to the longest text in each batch, as sentence-transformers does.
        tokenizer.enable_truncation(max_length=config.max_seq_length)
        tokenizer.enable_padding(pad_id=0, pad_type_id=0, pad_token="[PAD]")
        options = onnxruntime.SessionOptions()
        if self._threads is not None:
            options.intra_op_num_threads = self._threads
        options.inter_op_num_threads = 1
        session = onnxruntime.InferenceSession(
            str(self._model_dir / ONNX_FILENAME), sess_options=options, providers=["CPUExecutionProvider"]
        )
        return session, tokenizer

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        if isinstance(texts, str):
            raise TypeError("texts must be a sequence of strings, not a single string.")
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        session, tokenizer = self._load()
        # Longest first, so each batch pads to similar lengths; rows go back to input order below.
        order = np.argsort([-len(t) for t in texts], kind="stable")
        out = np.empty((len(texts), self.dimension), dtype=np.float32)
        for start in range(0, len(texts), self._batch_size):
            rows = order[start : start + self._batch_size]
            feeds = encode_batch(tokenizer, [texts[i] for i in rows])
            (vectors,) = session.run([OUTPUT_NAME], feeds)
            out[rows] = vectors
        return normalise_rows(out)
