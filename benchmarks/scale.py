"""How the FAISS index behaves at 10k, 100k and 1M clauses: build time, disk, memory, latency, recall.

Run from the repository root:

    .venv/bin/python benchmarks/scale.py                      # all sizes, chosen index + exact baseline
    .venv/bin/python benchmarks/scale.py --sizes 10000 100000 --kinds auto

Synthetic data. Embedding a million texts on two CPU cores would take hours, so:

1. A pool of `--pool` clause-like texts (default 20,000) is made by recombining one to three sentences
   of corpus/*.txt with a seeded RNG (plus a random clause number and role noun), and embedded once
   with OnnxEmbedder. These are real model vectors with the anisotropy real clauses have.
2. Each corpus vector is a normalised mixture of two or three pool vectors with Dirichlet(1) weights
   plus isotropic Gaussian noise of norm ~`--noise` (default 0.25) relative to the mixture, so no two
   vectors coincide and neighbourhoods are as crowded as in a large real corpus.
3. The 200 queries are built the same way from a separate RNG stream, so none is in the index.

Vectors, ground truth and indexes are cached under benchmarks/cache/ (git-ignored). Each index is built
in one child process and searched in another, so RSS figures belong to that index alone. Serving RSS is
that of a fresh process after `faiss.read_index` and the 200 single-vector searches (top 10).
Writes benchmarks/results/scale.md and scale.png.
"""

from __future__ import annotations

import argparse
import json
import logging
import re
import subprocess
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / "benchmarks" / "cache"
RESULTS = ROOT / "benchmarks" / "results"
DIM = 384
K = 10
N_QUERIES = 200
ROLES = ("staff", "pupils", "governors", "parents", "volunteers", "contractors", "visitors", "trainees")

KIND_CLASSES = {"flat": "IndexFlatIP", "hnsw": "IndexHNSWFlat", "ivf": "IndexIVFFlat"}

log = logging.getLogger("scale")


@dataclass(frozen=True, slots=True)
class Row:
    """One measured index."""

    n: int
    kind: str
    params: str
    build_s: float
    disk_mb: float
    build_peak_rss_mb: float
    serve_rss_mb: float
    p50_ms: float
    p95_ms: float
    recall_at_10: float


def corpus_sentences() -> list[str]:
    """Sentences of the corpus with markdown/HTML markup and list numbering removed."""
    text = " ".join(p.read_text(encoding="utf-8") for p in sorted((ROOT / "corpus").glob("*.txt")))
    text = re.sub(r"<[^>]+>|[*#]|(?<!\w)-\s", " ", text)
    text = re.sub(r"\s+", " ", text)
    sentences = (s.strip() for s in re.split(r"(?<=[.!?;:])\s+", text))
    return [re.sub(r"^\d+(\.\d+)*\s+", "", s) for s in sentences if len(s) >= 25]


def recombine(sentences: list[str], count: int, rng: np.random.Generator) -> list[str]:
    """Clause-like texts: a clause number and one to three sentences, with a role noun swapped in."""
    texts = []
    for _ in range(count):
        picks = rng.choice(len(sentences), size=int(rng.integers(1, 4)), replace=False)
        body = " ".join(sentences[i] for i in picks)
        body = re.sub(r"\bstaff\b", ROLES[int(rng.integers(len(ROLES)))], body, count=1)
        number = f"{rng.integers(1, 15)}.{rng.integers(1, 12)}"
        texts.append(f"{number} {body}")
    return texts


def mixtures(pool: np.ndarray, count: int, noise: float, rng: np.random.Generator) -> np.ndarray:
    """Normalised Dirichlet mixtures of 2-3 pool vectors plus Gaussian noise (see module docstring)."""
    out = np.empty((count, pool.shape[1]), dtype=np.float32)
    for start in range(0, count, 50_000):
        m = min(50_000, count - start)
        parts = rng.integers(2, 4, size=m)
        idx = rng.integers(0, len(pool), size=(m, 3))
        weights = rng.dirichlet(np.ones(3), size=m).astype(np.float32)
        weights[parts == 2, 2] = 0.0
        mix = np.einsum("mk,mkd->md", weights, pool[idx])
        mix /= np.linalg.norm(mix, axis=1, keepdims=True)
        mix += rng.standard_normal(mix.shape, dtype=np.float32) * (noise / np.sqrt(pool.shape[1]))
        out[start : start + m] = mix / np.linalg.norm(mix, axis=1, keepdims=True)
    return out


def pool_vectors(size: int, seed: int) -> np.ndarray:
    path = CACHE / f"pool-{size}-seed{seed}.npy"
    if path.is_file():
        return np.load(path)
    from retrieval.models.onnx import CONFIG_FILENAME, OnnxEmbedder, export_onnx_model

    model_dir = CACHE / "onnx-model"
    if not (model_dir / CONFIG_FILENAME).is_file():
        export_onnx_model(model_dir)
    texts = recombine(corpus_sentences(), size, np.random.default_rng(seed))
    start = time.perf_counter()
    vectors = OnnxEmbedder(model_dir, batch_size=64).embed(texts)
    seconds = time.perf_counter() - start
    log.info("embedded %d pool texts in %.0f s", size, seconds)
    np.save(path, vectors)
    path.with_suffix(".json").write_text(json.dumps({"embed_s": seconds}), encoding="utf-8")
    return vectors


def dataset(n: int, pool: np.ndarray, noise: float, seed: int) -> tuple[Path, Path]:
    """Cache the corpus vectors for size n and the shared queries; return both paths."""
    vec_path = CACHE / f"vectors-{n}-seed{seed}-noise{noise}.npy"
    query_path = CACHE / f"queries-seed{seed}-noise{noise}.npy"
    if not query_path.is_file():
        np.save(query_path, mixtures(pool, N_QUERIES, noise, np.random.default_rng([seed, 1])))
    if not vec_path.is_file():
        np.save(vec_path, mixtures(pool, n, noise, np.random.default_rng([seed, 2, n])))
    return vec_path, query_path


def exact_neighbours(vec_path: Path, query_path: Path) -> np.ndarray:
    gt_path = vec_path.with_suffix(".gt.npy")
    if not gt_path.is_file():
        import faiss

        index = faiss.IndexFlatIP(DIM)
        index.add(np.load(vec_path))
        np.save(gt_path, index.search(np.load(query_path), K)[1])
    return np.load(gt_path)


def child_build(vec_path: Path, kind: str, index_path: Path) -> dict[str, object]:
    """In a child process: build, write, and report time, params and peak RSS."""
    import faiss

    from retrieval.index.ann import make_faiss_index

    vectors = np.load(vec_path)
    start = time.perf_counter()
    index = make_faiss_index(vectors, kind=None if kind == "auto" else kind)  # type: ignore[arg-type]
    build_s = time.perf_counter() - start
    faiss.write_index(index, str(index_path))
    return {
        "build_s": build_s,
        "kind": type(index).__name__,
        "params": describe(index),
        "peak_rss_mb": peak_rss_mb(),
    }


def peak_rss_mb() -> float:
    """VmHWM, not ru_maxrss: Linux carries ru_maxrss over from the parent across fork+exec."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def describe(index: object) -> str:
    import faiss

    if isinstance(index, faiss.IndexHNSW):
        return f"M={index.hnsw.nb_neighbors(1)} efC={index.hnsw.efConstruction} efS={index.hnsw.efSearch}"
    if isinstance(index, faiss.IndexIVF):
        return f"nlist={index.nlist} nprobe={index.nprobe}"
    return "exact"


def child_serve(index_path: Path, query_path: Path, ids_path: Path) -> dict[str, object]:
    """In a fresh child process: load the index, time single-query searches, report RSS."""
    import faiss
    import psutil

    index = faiss.read_index(str(index_path))
    queries = np.load(query_path)
    index.search(queries[:5], K)  # warm caches and thread pools
    ids = np.empty((len(queries), K), dtype=np.int64)
    times = []
    for i in range(len(queries)):
        start = time.perf_counter()
        ids[i] = index.search(queries[i : i + 1], K)[1][0]
        times.append(time.perf_counter() - start)
    np.save(ids_path, ids)
    return {
        "p50_ms": float(np.percentile(times, 50) * 1e3),
        "p95_ms": float(np.percentile(times, 95) * 1e3),
        "rss_mb": psutil.Process().memory_info().rss / 2**20,
    }


def run_child(*args: str) -> dict[str, object]:
    out = subprocess.run([sys.executable, __file__, *args], cwd=ROOT, capture_output=True, text=True)
    if out.returncode != 0:
        raise RuntimeError(f"child {args} failed:\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def measure(n: int, kind: str, vec_path: Path, query_path: Path, truth: np.ndarray) -> Row:
    index_path = CACHE / f"index-{kind}-{vec_path.stem}.faiss"
    ids_path = index_path.with_suffix(".ids.npy")
    built = run_child("--_build", str(vec_path), kind, str(index_path))
    served = run_child("--_serve", str(index_path), str(query_path), str(ids_path))
    found = np.load(ids_path)
    recall = float(np.mean([len(set(a) & set(b)) / K for a, b in zip(found, truth, strict=True)]))
    row = Row(
        n=n,
        kind=str(built["kind"]),
        params=str(built["params"]),
        build_s=float(built["build_s"]),
        disk_mb=index_path.stat().st_size / 2**20,
        build_peak_rss_mb=float(built["peak_rss_mb"]),
        serve_rss_mb=float(served["rss_mb"]),
        p50_ms=float(served["p50_ms"]),
        p95_ms=float(served["p95_ms"]),
        recall_at_10=recall,
    )
    log.info("%s", row)
    return row


def markdown(rows: list[Row], note: str) -> str:
    from retrieval.index.ann import choose_index_kind

    head = (
        "| vectors | index | chosen | params | build (s) | disk (MB) | build peak RSS (MB) | serve RSS (MB) "
        "| p50 (ms) | p95 (ms) | recall@10 |"
    )
    lines = ["# FAISS index at scale", "", note, "", head, "|" + " --- |" * 4 + " ---: |" * 7]
    for r in rows:
        chosen = "yes" if KIND_CLASSES[choose_index_kind(r.n)] == r.kind else ""
        lines.append(
            f"| {r.n:,} | {r.kind} | {chosen} | {r.params} | {r.build_s:.1f} | {r.disk_mb:.0f} "
            f"| {r.build_peak_rss_mb:.0f} | {r.serve_rss_mb:.0f} | {r.p50_ms:.2f} | {r.p95_ms:.2f} "
            f"| {r.recall_at_10:.3f} |"
        )
    return "\n".join(lines) + "\n"


def plot(rows: list[Row], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, (lat, mem) = plt.subplots(1, 2, figsize=(11, 4.2))
    for kind in sorted({r.kind for r in rows}):
        sel = sorted((r for r in rows if r.kind == kind), key=lambda r: r.n)
        ns = [r.n for r in sel]
        lat.plot(ns, [r.p50_ms for r in sel], "o-", label=f"{kind} p50")
        lat.plot(ns, [r.p95_ms for r in sel], "x--", label=f"{kind} p95")
        mem.plot(ns, [r.serve_rss_mb for r in sel], "o-", label=f"{kind} serve RSS")
        mem.plot(ns, [r.build_peak_rss_mb for r in sel], "x--", label=f"{kind} build peak RSS")
    for ax, title, ylabel in ((lat, "Single-query latency (top 10)", "ms"), (mem, "Memory", "MB")):
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xlabel("corpus vectors")
        ax.set_ylabel(ylabel)
        ax.set_title(title)
        ax.grid(True, which="both", alpha=0.3)
        ax.legend(fontsize=8)
    lat.axhline(50, color="grey", lw=0.8, ls=":")
    lat.axhline(100, color="grey", lw=0.8, ls=":")
    mem.axhline(4096, color="grey", lw=0.8, ls=":")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument(
        "--kinds",
        nargs="+",
        default=["auto", "flat"],
        help="auto (choose_index_kind), flat, hnsw, ivf; duplicates of auto are skipped",
    )
    parser.add_argument("--pool", type=int, default=20_000, help="real texts embedded with the model")
    parser.add_argument("--noise", type=float, default=0.25)
    parser.add_argument("--seed", type=int, default=1338)
    parser.add_argument("--out", type=Path, default=RESULTS)
    parser.add_argument(
        "--report-only", action="store_true", help="re-render scale.md and scale.png from scale.json"
    )
    parser.add_argument(
        "--libraries",
        type=int,
        nargs="+",
        metavar="N",
        help="instead: the multi-school run on the engine store (Milvus Lite), N libraries x 200 clauses "
        "each (e.g. --libraries 500 5000); see benchmarks/scale_libraries.py",
    )
    args = parser.parse_args()
    if args.libraries:
        for libraries in args.libraries:
            command = [sys.executable, str(Path(__file__).with_name("scale_libraries.py"))]
            subprocess.run([*command, "--libraries", str(libraries)], check=True)
        return
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
    logging.getLogger("onnxscript").setLevel(logging.WARNING)
    if args.report_only:
        saved = json.loads((args.out / "scale.json").read_text(encoding="utf-8"))
        write_report([Row(**r) for r in saved["rows"]], saved["note"], args.out)
        return
    CACHE.mkdir(parents=True, exist_ok=True)
    from retrieval.index.ann import choose_index_kind

    started = time.perf_counter()
    pool = pool_vectors(args.pool, args.seed)
    rows = []
    for n in args.sizes:
        vec_path, query_path = dataset(n, pool, args.noise, args.seed)
        truth = exact_neighbours(vec_path, query_path)
        kinds = dict.fromkeys(choose_index_kind(n) if k == "auto" else k for k in args.kinds)
        rows.extend(measure(n, kind, vec_path, query_path, truth) for kind in kinds)
    write_report(rows, run_note(args, time.perf_counter() - started), args.out)


def run_note(args: argparse.Namespace, seconds: float) -> str:
    import faiss

    sidecar = CACHE / f"pool-{args.pool}-seed{args.seed}.json"
    embed_s = json.loads(sidecar.read_text(encoding="utf-8"))["embed_s"] if sidecar.is_file() else None
    pool_cost = f" (embedding them took {embed_s:.0f} s, once; cached)" if embed_s else ""
    return (
        f"Two CPU cores, faiss-cpu {faiss.__version__}, {N_QUERIES} single-vector queries, top {K}. "
        f"{args.pool:,} recombined corpus sentences were embedded with OnnxEmbedder{pool_cost}; corpus "
        f"vectors are normalised 2-3 way mixtures of them plus Gaussian noise {args.noise} (seed "
        f"{args.seed}); queries are built the same way from another RNG stream. Recall@10 is against "
        "exact inner-product search. Serve RSS: a fresh process after read_index and the queries. "
        "'chosen' marks what retrieval.index.ann.choose_index_kind picks for that size. Other jobs shared "
        "the two cores during the run, so the exact-search latencies (memory-bandwidth bound) are noisy. "
        f"Index builds and searches took {seconds:.0f} s. Method: benchmarks/scale.py."
    )


def write_report(rows: list[Row], note: str, out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    text = markdown(rows, note)
    (out / "scale.md").write_text(text, encoding="utf-8")
    payload = {"note": note, "rows": [asdict(r) for r in rows]}
    (out / "scale.json").write_text(json.dumps(payload, indent=2), encoding="utf-8")
    plot(rows, out / "scale.png")
    print(text)  # the table is this script's output


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))  # a script run from a checkout, not an installed package
    if len(sys.argv) > 1 and sys.argv[1] == "--_build":
        print(json.dumps(child_build(Path(sys.argv[2]), sys.argv[3], Path(sys.argv[4]))))
    elif len(sys.argv) > 1 and sys.argv[1] == "--_serve":
        print(json.dumps(child_serve(Path(sys.argv[2]), Path(sys.argv[3]), Path(sys.argv[4]))))
    else:
        main()
