"""Many schools on the engine: Milvus Lite with N libraries x 200 clauses (random unit vectors, 384-d).

Measures what issue 15 asks of the engine-backed store: loading the collection, a school's query
filtered to its library plus the trust's (p50/p95), replacing one library's clauses, memory of this
process and of the Milvus Lite server it starts, and throughput with 32 concurrent clients. The
vectors are random, so this is the engine's cost, not answer quality (that is tests/test_engine.py:
identical top five to FAISS on every seed question).

    .venv/bin/python benchmarks/scale_libraries.py --libraries 500 [--out FILE.md]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

import numpy as np
import psutil

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from retrieval.answering.search import CANDIDATES  # noqa: E402  (what PolicyIndex asks the store for)
from retrieval.index.milvus_store import MilvusStore  # noqa: E402

PER_LIBRARY = 200
DIMENSION = 384


def unit(rng: np.random.Generator, rows: int) -> np.ndarray:
    vectors = rng.normal(size=(rows, DIMENSION)).astype(np.float32)
    return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)


def rss_mb() -> tuple[float, float]:
    me = psutil.Process()
    children = sum(child.memory_info().rss for child in me.children(recursive=True))
    return me.memory_info().rss / 2**20, children / 2**20


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--libraries", type=int, default=500)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--seconds", type=float, default=10.0, help="length of the 32-client run")
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    rng = np.random.default_rng(7)
    names = ["trust"] + [f"school-{i:04d}" for i in range(args.libraries)]
    libraries = [name for name in names for _ in range(PER_LIBRARY)]
    vectors = unit(rng, len(libraries))
    folder = Path(tempfile.mkdtemp(prefix="scale-libraries-"))

    started = time.perf_counter()
    store = MilvusStore.create(str(folder / "clauses.db"), vectors, libraries)
    load_seconds = time.perf_counter() - started

    queries = unit(rng, args.queries)
    schools = rng.choice(names[1:], size=args.queries)
    latencies = []
    for query, school in zip(queries, schools, strict=True):
        began = time.perf_counter()
        _, ids = store.nearest(query[None, :], CANDIDATES, libraries=[str(school), "trust"])
        latencies.append((time.perf_counter() - began) * 1000)
        found = {libraries[int(i)] for i in ids[0] if i >= 0}
        assert found <= {str(school), "trust"}, "a result from another school"

    school = names[1]
    began = time.perf_counter()
    first = names.index(school) * PER_LIBRARY
    store.replace_library(school, np.arange(first, first + PER_LIBRARY), unit(rng, PER_LIBRARY))
    replace_seconds = time.perf_counter() - began

    done: list[float] = []
    stop = time.perf_counter() + args.seconds
    lock = threading.Lock()

    def client(seed: int) -> None:
        local = np.random.default_rng(seed)
        while time.perf_counter() < stop:
            query = unit(local, 1)
            school = str(local.choice(names[1:]))
            began = time.perf_counter()
            store.nearest(query, CANDIDATES, libraries=[school, "trust"])
            with lock:
                done.append((time.perf_counter() - began) * 1000)

    threads = [threading.Thread(target=client, args=(seed,)) for seed in range(32)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    own, server = rss_mb()
    store.close()

    lines = [
        f"# Engine-backed store at scale (benchmarks/scale_libraries.py, {time.strftime('%Y-%m-%d')})",
        "",
        f"Milvus Lite {len(names) - 1} school libraries + 1 trust library x {PER_LIBRARY} clauses = "
        f"{len(libraries):,} clause vectors ({DIMENSION}-d, FLAT inner product).",
        "",
        "| measure | value |",
        "|---|---:|",
        f"| load the collection | {load_seconds:.1f} s |",
        f"| query filtered to one school + trust, top {CANDIDATES}: p50 / p95 | "
        f"{statistics.median(latencies):.1f} / {percentile(latencies, 0.95):.1f} ms |",
        f"| replace one library ({PER_LIBRARY} clauses) | {replace_seconds * 1000:.0f} ms |",
        f"| 32 concurrent clients for {args.seconds:.0f} s: queries/s, p95 | "
        f"{len(done) / args.seconds:.0f} q/s, {percentile(done, 0.95):.0f} ms |",
        f"| memory: this process / Milvus Lite server | {own:.0f} MB / {server:.0f} MB |",
        "",
        f"No query returned a clause of another school ({args.queries} checked).",
    ]
    text = "\n".join(lines)
    print(text)
    if args.out:
        args.out.write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
