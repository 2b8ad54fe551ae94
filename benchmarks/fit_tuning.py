"""Fit the adapted model's fusion weight and "not covered" thresholds.

The fusion weight is chosen on the validation documents (training/split.toml), never trained on,
so the choice measures what unseen schools' documents would get. The "not covered" thresholds are
chosen on tests/data/coverage-questions.jsonl: questions over the seeds written for this purpose,
answerable ones in HR-sounding words ("can I post about being off sick?") and off-topic ones
(pay, leave, the HR portal); validation then shows what the choice does on unseen documents. The
seed sets are printed beside them to show what each choice costs there. Run from the repository
root after training:

    .venv/bin/python benchmarks/fit_tuning.py [--weights 0.65 0.75] [--full-scores 0 5 8] [--floors 0.18 0.22]
        [--foreign-weights 0.15 0.2] [--margins inf 0.15] [--information-margins 0.15 0.05]

Prints one table per parameter; writes nothing.
"""

from __future__ import annotations

import argparse
import logging
import sys
import tempfile
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # a script run from anywhere; the tests never do this

from benchmarks.quality import corpus_of, question_file  # noqa: E402
from retrieval import PolicyIndex, build_index, read_questions  # noqa: E402
from retrieval.answering.ranking import RelevanceThresholds  # noqa: E402
from retrieval.models.packaged import tuning_for  # noqa: E402
from retrieval.models.sentence_transformer import SentenceTransformerEmbedder  # noqa: E402
from retrieval.models.training_data import read_split  # noqa: E402
from retrieval.views.evaluation import evaluate  # noqa: E402

SEED_SETS = [
    "dev-questions.jsonl",
    "holdout-questions.jsonl",
    "verdict-questions.jsonl",
    "coverage-questions.jsonl",
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--weights", type=float, nargs="+", default=[0.65, 0.75, 0.85, 1.0])
    parser.add_argument("--full-scores", type=float, nargs="+", default=[0.0, 4.0, 5.0, 6.0, 8.0])
    parser.add_argument("--floors", type=float, nargs="+", default=[0.14, 0.18, 0.22, 0.26, 0.30])
    parser.add_argument(
        "--margins", type=float, nargs="+", default=[float("inf"), 0.25, 0.2, 0.15, 0.1, 0.05]
    )
    parser.add_argument("--foreign-weights", type=float, nargs="+", default=[0.1, 0.15, 0.2, 0.25])
    parser.add_argument(
        "--information-margins", type=float, nargs="+", default=[0.15, 0.12, 0.10, 0.08, 0.06, 0.04]
    )
    parser.add_argument("--training", type=Path, default=ROOT / "training")
    args = parser.parse_args()
    logging.disable(logging.WARNING)
    embedder = SentenceTransformerEmbedder()
    tuning = tuning_for(embedder.model_id)
    work = Path(tempfile.mkdtemp(prefix="fit-"))
    validation = list(read_split(args.training / "split.toml").validation)
    corpus = corpus_of(args.training, validation, work / "validation-corpus")
    build_index(corpus, work / "validation-index", embedder=embedder)
    build_index(ROOT / "corpus", work / "seed-index", embedder=embedder)
    sets = {
        "validation": (
            work / "validation-index",
            read_questions(question_file(args.training, validation, work / "v.jsonl")),
        )
    }
    for name in SEED_SETS:
        sets[name.split("-")[0]] = (work / "seed-index", read_questions(ROOT / "tests/data" / name))
    stored = {folder: PolicyIndex.load(folder, embedder=embedder) for folder, _ in sets.values()}

    def report(folder: Path, questions, **knobs):  # type: ignore[no-untyped-def]
        index = PolicyIndex(stored[folder]._stored, embedder, **knobs)
        return evaluate(questions, lambda q: index.search(q, top_k=10))

    print(
        f"model {embedder.model_id}; shipped: dense weight {tuning.dense_weight}, "
        f"floor {tuning.min_relevance}, foreign weight {tuning.foreign_weight}, other-topic margin "
        f"{tuning.other_topic_margin} (fact questions {tuning.information_topic_margin})\n"
    )
    print(
        "| dense weight | lexical full score | " + " | ".join(f"{name} hit@1 / hit@3" for name in sets) + " |"
    )
    print("|---:|---:|" + "---:|" * len(sets))
    for weight in args.weights:
        for full_score in args.full_scores:
            cells = []
            knobs = replace(tuning, dense_weight=weight, lexical_full_score=full_score)
            for folder, questions in sets.values():
                result = report(folder, questions, tuning=knobs)
                cells.append(f"{result.hit_at(1):.3f} / {result.hit_at(3):.3f}")
            print(f"| {weight} | {full_score} | " + " | ".join(cells) + " |")
    shipped = RelevanceThresholds.of(tuning)
    sweeps = [
        (f"relevance floor (foreign weight {tuning.foreign_weight})", "min_relevance", args.floors),
        (f"foreign weight (floor {tuning.min_relevance})", "foreign_weight", args.foreign_weights),
        ("other-topic margin, rule questions", "other_topic_margin", args.margins),
        ("other-topic margin, fact questions", "information_topic_margin", args.information_margins),
    ]
    for title, knob, values in sweeps:
        print(f"\n| {title} | " + " | ".join(f"{name} off-topic declined / refused" for name in sets) + " |")
        print("|---:|" + "---:|" * len(sets))
        for value in values:
            cells = []
            for folder, questions in sets.values():
                result = report(folder, questions, thresholds=replace(shipped, **{knob: value}))
                cells.append(f"{result.off_topic_declined:.3f} / {result.wrongly_refused:.3f}")
            print(f"| {value} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
