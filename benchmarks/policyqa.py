"""Top-k recall on third-party policy-QA data: PolicyQA's questions over OPP-115 privacy policies.

The data is not ours and is not in the repository: download ``data/test.json`` from
github.com/wasiahmad/PolicyQA (MIT licence) and pass its path. Each policy becomes one plain-text
document (its segments as paragraphs, as a web page saved to text would be), indexed on its own,
and each distinct question asked of it; a question is a hit at k when one of its first k clauses
contains one of its answer spans (score.py's normalised containment). A question the product
declines counts as a miss.

    .venv/bin/python benchmarks/policyqa.py PATH/test.json [--models stock adapted] [--top-k 5]
"""

from __future__ import annotations

import argparse
import json
import logging
import re
import shutil
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # a script run from anywhere; the tests never do this

from retrieval import SentenceTransformerEmbedder, open_index  # noqa: E402
from retrieval.views.evaluation import normalise_for_match  # noqa: E402


def policy_text(policy: dict) -> str:
    body = "\n\n".join(paragraph["context"].replace("\n", " ") for paragraph in policy["paragraphs"])
    return f"{policy['title']} Privacy Policy\n\n{body}\n"


def answer_spans(policy: dict) -> dict[str, set[str]]:
    """Each distinct question of a policy and every answer span given for it."""
    spans: dict[str, set[str]] = defaultdict(set)
    for paragraph in policy["paragraphs"]:
        for qa in paragraph["qas"]:
            spans[qa["question"]].update(normalise_for_match(a["text"]) for a in qa["answers"])
    return spans


def first_hit(texts: list[str], spans: set[str]) -> int | None:
    return next((rank for rank, text in enumerate(texts, start=1) if any(s in text for s in spans)), None)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("data", type=Path, help="PolicyQA test.json (or dev.json)")
    parser.add_argument("--models", nargs="*", choices=["stock", "adapted"], default=["stock", "adapted"])
    parser.add_argument("--top-k", type=int, default=5)
    args = parser.parse_args()
    logging.disable(logging.WARNING)
    policies = json.loads(args.data.read_text(encoding="utf-8"))["data"]
    work = Path(tempfile.mkdtemp(prefix="policyqa-"))
    rows = [
        "| model | ranker | questions | hit@1 | hit@k | answered | clauses | longest clause |",
        "|---|---|---:|---:|---:|---:|---:|---:|",
    ]
    for model in args.models:
        embedder = SentenceTransformerEmbedder.stock() if model == "stock" else SentenceTransformerEmbedder()
        counts: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
        clauses = longest = 0
        for number, policy in enumerate(policies):
            corpus = work / f"corpus-{number}"
            corpus.mkdir(exist_ok=True)
            slug = re.sub(r"[^a-z0-9]+", "-", policy["title"].lower()).strip("-") or f"policy-{number}"
            (corpus / f"{slug}.txt").write_text(policy_text(policy), encoding="utf-8")
            index = open_index(work / f"index-{number}-{model}", corpus_dir=corpus, embedder=embedder)
            clauses += len(index.clauses)
            longest = max(longest, *(len(c.text) for c in index.clauses))
            for question, spans in answer_spans(policy).items():
                for ranker in ("hybrid", "dense"):
                    answer = index.search(question, top_k=args.top_k, ranker=ranker)
                    rank = first_hit([normalise_for_match(h.clause.full_text) for h in answer.hits], spans)
                    row = counts[ranker]
                    row[0] += 1
                    row[1] += rank == 1
                    row[2] += rank is not None and answer.answered
                    row[3] += answer.answered
        for ranker, (n, at_1, at_k, answered) in counts.items():
            rows.append(
                f"| {model} | {ranker} | {n} | {at_1 / n:.3f} | {at_k / n:.3f} | {answered / n:.3f} | "
                f"{clauses} | {longest} |"
            )
    shutil.rmtree(work, ignore_errors=True)
    print(f"# PolicyQA ({args.data.name}, {len(policies)} policies), k = {args.top_k}\n")
    print("\n".join(rows))


if __name__ == "__main__":
    main()
