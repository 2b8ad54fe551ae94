"""Adapting the packaged model to school-policy language (domain adaptation on our own question–clause pairs).

The loss is sentence-transformers' MultipleNegativesRankingLoss over (question, answering clause,
near-miss clause) triples: every other clause in the batch, plus the mined near miss, is a wrong
answer. The loop is a plain torch loop rather than SentenceTransformerTrainer, which would add
`datasets`, `accelerate` and pyarrow to every install for a few hundred steps on the CPU.
"""

from __future__ import annotations

import json
import logging
import random
import shutil
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

from .training_data import TrainingExample, batches_without_repeats

log = logging.getLogger(__name__)

TRAINING_RECORD = "training.json"


@dataclass(frozen=True, slots=True)
class TrainingConfig:
    """Hyper-parameters of one adaptation run; the defaults are the shipped model's."""

    epochs: int = 1
    batch_size: int = 32
    learning_rate: float = 5e-5
    warmup_ratio: float = 0.1
    scale: float = 20.0
    seed: int = 13
    threads: int = 2
    # Training reads at most this many tokens of a text (search still reads 256): 88% of the
    # training clauses fit, and a batch padded to 96 costs two thirds of one padded to 128, with
    # the same validation hit@1 within noise (0.580 vs 0.597, 24 documents).
    max_tokens: int = 96

    def __post_init__(self) -> None:
        if self.epochs < 1:
            raise ValueError(f"epochs must be at least 1. Currently, epochs is {self.epochs}.")
        if self.learning_rate <= 0:
            raise ValueError(f"learning_rate must be positive. Currently, it is {self.learning_rate}.")


# The shipped model's hyper-parameters (frozen, so safe as a shared default).
SHIPPED_CONFIG = TrainingConfig()


@dataclass(frozen=True, slots=True)
class TrainingReport:
    """What a run did: its size, its losses and where the model went."""

    examples: int
    steps: int
    seconds: float
    first_loss: float
    last_loss: float
    output_dir: Path


def _seed_everything(seed: int, threads: int) -> None:
    import torch

    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)
    torch.set_num_threads(threads)
    # Same data, same seed, same CPU: the same weights.
    torch.use_deterministic_algorithms(True, warn_only=True)


def _linear_warmup(step: int, *, warmup: int, total: int) -> float:
    if step < warmup:
        return (step + 1) / max(warmup, 1)
    return max(0.0, (total - step) / max(total - warmup, 1))


def train_adapted_model(
    examples: Sequence[TrainingExample],
    *,
    base_model_path: Path,
    output_dir: Path,
    config: TrainingConfig = SHIPPED_CONFIG,
    record: dict[str, object] | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> TrainingReport:
    """Fine-tune the model at ``base_model_path`` on the triples and save it to ``output_dir``.

    Args:
        examples: (question, positive, negative) texts.
        base_model_path: a sentence-transformers model folder (the packaged all-MiniLM-L6-v2).
        output_dir: where the adapted model is saved (replaced if present).
        config: hyper-parameters.
        record: extra facts (data hash, split) written with the config to ``training.json``.
        progress: called as ``progress(step, total_steps)``.

    Returns:
        A TrainingReport.
    """
    if not examples:
        raise ValueError("There are no training examples: check the training questions' quotes.")
    import torch
    from sentence_transformers import SentenceTransformer
    from sentence_transformers.sentence_transformer.losses import MultipleNegativesRankingLoss

    started = time.perf_counter()
    _seed_everything(config.seed, config.threads)
    model = SentenceTransformer(str(base_model_path), device="cpu")
    search_tokens = model.max_seq_length
    model.max_seq_length = min(config.max_tokens, search_tokens)
    loss_fn = MultipleNegativesRankingLoss(model, scale=config.scale)
    epochs = [
        batches_without_repeats(examples, batch_size=config.batch_size, seed=config.seed + e)
        for e in range(config.epochs)
    ]
    total = sum(len(batches) for batches in epochs)
    warmup = int(total * config.warmup_ratio)
    optimiser = torch.optim.AdamW(model.parameters(), lr=config.learning_rate, weight_decay=0.01)
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimiser, lambda step: _linear_warmup(step, warmup=warmup, total=total)
    )
    model.train()
    losses: list[float] = []
    step = 0
    for batches in epochs:
        for batch in batches:
            features = [
                model.preprocess([getattr(example, column) for example in batch])
                for column in ("question", "positive", "negative")
            ]
            loss = loss_fn(features, torch.zeros(0))
            optimiser.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optimiser.step()
            schedule.step()
            losses.append(float(loss.detach()))
            step += 1
            if progress is not None:
                progress(step, total)
    model.eval()
    model.max_seq_length = search_tokens  # the saved model reads whole clauses again
    partial = output_dir.with_name(output_dir.name + ".partial")
    shutil.rmtree(partial, ignore_errors=True)
    model.save(str(partial))
    facts = {"config": asdict(config), "examples": len(examples), "steps": step, **(record or {})}
    (partial / TRAINING_RECORD).write_text(json.dumps(facts, indent=2, default=str), encoding="utf-8")
    shutil.rmtree(output_dir, ignore_errors=True)
    partial.rename(output_dir)
    seconds = time.perf_counter() - started
    log.info("trained on %d examples in %d steps (%.0f s)", len(examples), step, seconds)
    head, tail = losses[: max(1, len(losses) // 10)], losses[-max(1, len(losses) // 10) :]
    return TrainingReport(
        examples=len(examples),
        steps=step,
        seconds=seconds,
        first_loss=float(np.mean(head)),
        last_loss=float(np.mean(tail)),
        output_dir=output_dir,
    )
