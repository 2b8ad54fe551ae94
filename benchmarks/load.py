"""Load test: many threads sharing one loaded PolicyIndex, as the Streamlit app's sessions do.

Run from the repository root:  .venv/bin/python benchmarks/load.py [--threads 32] [--seconds 20]

Every thread asks a mix of dev questions, off-topic questions and clause references for the given
time. Each answer is compared with the answer to the same question asked alone beforehand, and the
script reports throughput (queries/s), latency percentiles and any errors or differing answers.
It builds its own index from corpus/ in a temporary folder unless --index names one; index/ is
never written. Writes benchmarks/results/load.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # a script run from anywhere; the tests never do this

from retrieval import (  # noqa: E402
    Answer,
    PolicyIndex,
    SentenceTransformerEmbedder,
    build_index,
    open_engine_index,
)

QUESTIONS = ROOT / "tests" / "data" / "dev-questions.jsonl"
RESULTS = ROOT / "benchmarks" / "results"
OFF_TOPIC = ["How many weeks of maternity leave do I get?", "What time does the canteen open?", "🍕🍕🍕"]
REFERENCES = ["What does clause 6.11 say?", "4.1(iv)", "clause 99.9", "section 3 of the Doncaster guidance"]


def mixed_questions() -> list[str]:
    lines = QUESTIONS.read_text(encoding="utf-8").splitlines()
    return [json.loads(line)["question"] for line in lines if line.strip()] + OFF_TOPIC + REFERENCES


def summary(answer: Answer) -> tuple[object, ...]:
    return (
        answer.answered,
        answer.message,
        tuple((hit.clause.clause_id, round(hit.score, 5)) for hit in answer.hits),
    )


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def run(index: PolicyIndex, *, threads: int, seconds: float) -> dict[str, object]:
    questions = mixed_questions()
    started = time.perf_counter()
    serial = {}
    serial_latency = []
    for question in questions:
        begin = time.perf_counter()
        serial[question] = summary(index.search(question))
        serial_latency.append(time.perf_counter() - begin)
    serial_seconds = time.perf_counter() - started

    latencies: list[float] = []
    errors: list[str] = []
    differing: list[str] = []
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def user(number: int) -> None:
        turn = number
        mine: list[float] = []
        while time.monotonic() < deadline:
            question = questions[turn % len(questions)]
            turn += 7
            begin = time.perf_counter()
            try:
                result = summary(index.search(question))
            except Exception as exc:  # a load test counts every failure
                with lock:
                    errors.append(f"{question!r}: {exc!r}")
                continue
            mine.append(time.perf_counter() - begin)
            if result != serial[question]:
                with lock:
                    differing.append(question)
        with lock:
            latencies.extend(mine)

    begin = time.perf_counter()
    with ThreadPoolExecutor(max_workers=threads) as pool:
        list(pool.map(user, range(threads)))
    elapsed = time.perf_counter() - begin
    return {
        "threads": threads,
        "requested_seconds": seconds,
        "seconds": round(elapsed, 2),
        "queries": len(latencies),
        "throughput_qps": round(len(latencies) / elapsed, 1),
        "p50_ms": round(1000 * statistics.median(latencies), 1) if latencies else None,
        "p95_ms": round(1000 * percentile(latencies, 0.95), 1) if latencies else None,
        "max_ms": round(1000 * max(latencies), 1) if latencies else None,
        "serial_qps": round(len(questions) / serial_seconds, 1),
        "serial_p50_ms": round(1000 * statistics.median(serial_latency), 1),
        "errors": len(errors),
        "differing_answers": len(differing),
        "first_errors": errors[:5],
        "machine": f"{platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}",
    }


def write_report(result: dict[str, object], *, engine: bool = False) -> Path:
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / ("load_engine.md" if engine else "load.md")
    r = result
    store = " --engine" if engine else ""
    lines = [
        "# Load: one shared PolicyIndex, many threads"
        + (" (vectors served by Milvus Lite)" if engine else ""),
        "",
        f"`benchmarks/load.py --threads {r['threads']} --seconds {r['requested_seconds']:g}{store}`",
        f"on {r['machine']}.",
        "",
        "| threads | queries | q/s | p50 (ms) | p95 (ms) | max (ms) | errors | differing answers |",
        "|---|---|---|---|---|---|---|---|",
        f"| {r['threads']} | {r['queries']} | {r['throughput_qps']} | {r['p50_ms']} | {r['p95_ms']} "
        f"| {r['max_ms']} | {r['errors']} | {r['differing_answers']} |",
        "",
        f"One thread alone: {r['serial_qps']} q/s, p50 {r['serial_p50_ms']} ms.",
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threads", type=int, default=32)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument(
        "--index", type=Path, default=None, help="an index folder to load (default: build one)"
    )
    parser.add_argument("--engine", action="store_true", help="serve the vectors from Milvus Lite")
    args = parser.parse_args()
    embedder = SentenceTransformerEmbedder()
    with tempfile.TemporaryDirectory() as scratch:
        index_dir = args.index
        if index_dir is None:
            index_dir = Path(scratch) / "index"
            build_index(ROOT / "corpus", index_dir, embedder=embedder)
        if args.engine:
            uri = str(Path(scratch) / "clauses.db")
            index = open_engine_index(index_dir, uri=uri, corpus_dir=ROOT / "corpus", embedder=embedder)
        else:
            index = PolicyIndex.load(index_dir, embedder=embedder)
        result = run(index, threads=args.threads, seconds=args.seconds)
    print(json.dumps(result, indent=2, ensure_ascii=False))
    print(f"wrote {write_report(result, engine=args.engine)}")
    return 1 if result["errors"] or result["differing_answers"] else 0


if __name__ == "__main__":
    sys.exit(main())
