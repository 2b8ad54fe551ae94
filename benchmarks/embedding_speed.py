"""Compare OnnxEmbedder with SentenceTransformerEmbedder: cold start, warm latency, batch throughput.

Run from the repository root:  .venv/bin/python benchmarks/embedding_speed.py
Writes benchmarks/results/embedding.md. The ONNX export is cached under benchmarks/cache/ (git-ignored).
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / "benchmarks" / "cache"
RESULTS = ROOT / "benchmarks" / "results"
QUESTIONS = ROOT / "tests" / "data" / "dev-questions.jsonl"

log = logging.getLogger("embedding_speed")

COLD_ONNX = """
import sys, time, json
t0 = time.perf_counter()
from pathlib import Path
from retrieval.models.onnx import OnnxEmbedder
t1 = time.perf_counter()
vec = OnnxEmbedder(Path(sys.argv[1])).embed(["Can staff accept friend requests from pupils?"])
t2 = time.perf_counter()
heavy = [m for m in ("torch", "transformers", "sentence_transformers") if m in sys.modules]
print(json.dumps({"import": t1 - t0, "first_query": t2 - t1, "heavy": heavy}))
"""

COLD_ST = """
import sys, time, json
t0 = time.perf_counter()
from retrieval.models import SentenceTransformerEmbedder
e = SentenceTransformerEmbedder()
e.embed(["warm"])  # includes the sentence_transformers import and model load
t1 = time.perf_counter()
print(json.dumps({"import": 0.0, "first_query": t1 - t0, "heavy": []}))
"""


def corpus_sentences() -> list[str]:
    """Every non-empty paragraph of the corpus, as realistic clause-length texts."""
    texts: list[str] = []
    for path in sorted((ROOT / "corpus").glob("*.txt")):
        texts.extend(p.strip() for p in path.read_text(encoding="utf-8").split("\n\n") if p.strip())
    return texts


def cold_start(code: str, *args: str) -> dict[str, float]:
    """Run code in a fresh interpreter; total wall time includes interpreter start-up."""
    env = dict(os.environ, HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1")
    start = time.perf_counter()
    out = subprocess.run(
        [sys.executable, "-c", code, *args], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    total = time.perf_counter() - start
    result = json.loads(out.stdout.strip().splitlines()[-1])
    result["total"] = total
    return result


def time_warm(embed, query: str, repeats: int = 50) -> tuple[float, float]:  # type: ignore[no-untyped-def]
    samples = []
    for _ in range(repeats):
        start = time.perf_counter()
        embed([query])
        samples.append(time.perf_counter() - start)
    samples.sort()
    return statistics.median(samples), samples[int(0.95 * len(samples)) - 1]


def throughput(embed, texts: list[str]) -> float:  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    embed(texts)
    return len(texts) / (time.perf_counter() - start)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--model-dir", type=Path, default=CACHE / "onnx-model")
    parser.add_argument("--runs", type=int, default=3, help="fresh-process runs per embedder")
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    logging.getLogger("onnxscript").setLevel(logging.WARNING)  # its optimiser logs every rewrite
    sys.path.insert(0, str(ROOT))  # a script, not a test: run from a checkout without installing
    from retrieval.models.onnx import CONFIG_FILENAME, OnnxEmbedder, export_onnx_model

    if not (args.model_dir / CONFIG_FILENAME).is_file():
        start = time.perf_counter()
        export_onnx_model(args.model_dir)
        log.info("export took %.1f s", time.perf_counter() - start)

    onnx_cold = [cold_start(COLD_ONNX, str(args.model_dir)) for _ in range(args.runs)]
    st_cold = [cold_start(COLD_ST) for _ in range(args.runs)]
    heavy = sorted({m for r in onnx_cold for m in r["heavy"]})

    texts = corpus_sentences()
    batch = (texts * (512 // len(texts) + 1))[:512]
    query = "Can staff accept friend requests from pupils on social media?"
    onnx = OnnxEmbedder(args.model_dir)
    onnx.embed(["warm up"])
    onnx_warm = time_warm(onnx.embed, query)
    onnx_tput = throughput(onnx.embed, batch)

    from retrieval.models import SentenceTransformerEmbedder

    st = SentenceTransformerEmbedder(batch_size=32)
    st.embed(["warm up"])
    st_warm = time_warm(st.embed, query)
    st_tput = throughput(st.embed, batch)

    def med(runs: list[dict[str, float]], key: str) -> float:
        return statistics.median(r[key] for r in runs)

    questions = [json.loads(line)["question"] for line in QUESTIONS.read_text(encoding="utf-8").splitlines()]
    sample = texts + questions
    cosines = np.sum(onnx.embed(sample) * st.embed(sample), axis=1)
    onnx_first = med(onnx_cold, "import") + med(onnx_cold, "first_query")
    rows = [
        (
            "fresh process, wall incl. interpreter start (s)",
            f"{med(onnx_cold, 'total'):.2f}",
            f"{med(st_cold, 'total'):.2f}",
        ),
        (
            "fresh process, import + load + first query (s)",
            f"{onnx_first:.2f}",
            f"{med(st_cold, 'first_query'):.2f}",
        ),
        ("warm single query p50 (ms)", f"{onnx_warm[0] * 1e3:.1f}", f"{st_warm[0] * 1e3:.1f}"),
        ("warm single query p95 (ms)", f"{onnx_warm[1] * 1e3:.1f}", f"{st_warm[1] * 1e3:.1f}"),
        (f"batch throughput, {len(batch)} paragraphs (texts/s)", f"{onnx_tput:.0f}", f"{st_tput:.0f}"),
    ]
    lines = [
        "# Embedding speed: ONNX vs sentence-transformers",
        "",
        f"2 CPU cores, no GPU; onnxruntime default threads; batch size 32; median of {args.runs} fresh",
        "processes for the cold-start rows, 50 repeats for the warm rows.",
        "",
        "| measure | OnnxEmbedder | SentenceTransformerEmbedder |",
        "| --- | ---: | ---: |",
        *(f"| {name} | {a} | {b} |" for name, a, b in rows),
        "",
        f"Cosine ONNX vs sentence-transformers over {len(sample)} texts (corpus paragraphs + dev questions):",
        f"min {cosines.min():.6f}, mean {cosines.mean():.6f}.",
        "",
        f"Heavy modules imported by the fresh ONNX process: {', '.join(heavy) or 'none'}.",
        "",
    ]
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "embedding.md").write_text("\n".join(lines), encoding="utf-8")
    log.info("\n".join(lines))


if __name__ == "__main__":
    main()
