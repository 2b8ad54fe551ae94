"""Two processes, one library: how long an upload in one takes to be answered from in the other.

Process A (this one) adds a new version of a seed policy carrying a new clause and rebuilds the
index, as the app's upload does. Process B (a second Python process, like a second app) has the
index open and checks ``library_stamp`` as each app run does; when it changes, it reopens the index
and asks for the new clause. Reported per round: A's upload + rebuild time, and the time from the
upload starting to B answering from the new clause. B checks every 0.1 s here; the app checks on
every interaction, so in the app the second part is "at the next question".

    .venv/bin/python benchmarks/two_processes.py [--rounds 5]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from retrieval import IndexLockedError, build_index  # noqa: E402
from retrieval.ingest.library import add_document  # noqa: E402

DOC = "lancashire-social-media-model-policy-2024"
READER = r"""
import json, sys, time
from pathlib import Path
from retrieval import library_stamp, open_index
index_dir, corpus, marker, rounds = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3], int(sys.argv[4])
index = open_index(index_dir, corpus_dir=corpus)
index.search("warm up")
stamp = library_stamp(index_dir, corpus)
print("ready", flush=True)
for round_ in range(rounds):
    wanted = f"{marker} {round_}"
    while True:
        now = library_stamp(index_dir, corpus)
        if now != stamp:
            stamp = now
            index = open_index(index_dir, corpus_dir=corpus)
            hits = index.search(wanted, top_k=1).hits
            if hits and wanted in hits[0].clause.text:
                print(json.dumps({"round": round_, "seen_at": time.time()}), flush=True)
                break
        time.sleep(0.1)
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="two-processes-"))
    corpus, index_dir = work / "corpus", work / "index"
    shutil.copytree(ROOT / "corpus", corpus)
    build_index(corpus, index_dir)
    marker = "Staff must record every quizbowl fixture in the trips diary"
    env = {**os.environ, "PYTHONPATH": str(ROOT), "HF_HUB_OFFLINE": "1"}
    reader = subprocess.Popen(
        [sys.executable, "-c", READER, str(index_dir), str(corpus), marker, str(args.rounds)],
        env=env,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert reader.stdout is not None
    assert reader.stdout.readline().strip() == "ready"
    base = (corpus / f"{DOC}.txt").read_text(encoding="utf-8")
    rebuilds, visible = [], []
    for round_ in range(args.rounds):
        started = time.time()
        text = base + f"\n9. FIXTURES\n\n9.1 {marker} {round_}.\n"
        add_document(corpus, f"{DOC}.txt", text.encode(), who="benchmark")
        while True:  # process B may be rebuilding the same change itself: then wait for it
            try:
                build_index(corpus, index_dir)
                break
            except IndexLockedError:
                time.sleep(0.05)
        rebuilds.append(time.time() - started)
        seen = json.loads(reader.stdout.readline())
        visible.append(seen["seen_at"] - started)
    reader.wait(timeout=60)
    shutil.rmtree(work, ignore_errors=True)
    print(f"rounds: {args.rounds}")
    print(
        f"upload + rebuild in process A: p50 {statistics.median(rebuilds):.2f} s, max {max(rebuilds):.2f} s"
    )
    print(
        f"upload start -> answered from in process B: p50 {statistics.median(visible):.2f} s, "
        f"max {max(visible):.2f} s"
    )


if __name__ == "__main__":
    main()
