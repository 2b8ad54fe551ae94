"""An append-only JSON-lines file that a crash can tear only at its very end, and readers that skip the tear.

Each record is one JSON line written by a single ``os.write`` on an ``O_APPEND`` descriptor, then
``fsync``ed: concurrent writers (threads or processes) never interleave inside a line, and a
completed append survives a power cut. A kill mid-write can leave a torn last line; the reader
skips it with a warning and the next append starts on a fresh line, so earlier lines are never
damaged. Used by the feedback log and the audit log.
"""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)


def append_line(path: Path, record: dict[str, Any]) -> None:
    """Write one record durably: one ``os.write`` of one line, then ``fsync``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    line = (json.dumps(record, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8")
    fd = os.open(path, os.O_RDWR | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        size = os.fstat(fd).st_size
        # A crash may have left a torn line without its newline; start ours on a line of its own
        # so the torn fragment cannot swallow this record.
        if size and os.pread(fd, 1, size - 1) != b"\n":
            line = b"\n" + line
        written = os.write(fd, line)
        if written != len(line):
            raise OSError(f"short write to {path}: {written} of {len(line)} bytes")
        os.fsync(fd)
    finally:
        os.close(fd)


def read_lines(path: Path) -> list[dict[str, Any]]:
    """Every complete JSON object in order; torn or foreign lines are skipped with a warning."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return []
    records: list[dict[str, Any]] = []
    for number, line in enumerate(raw.split(b"\n"), start=1):
        if not line.strip():
            continue
        try:
            data = json.loads(line.decode("utf-8"))
        except (ValueError, UnicodeDecodeError) as exc:
            log.warning("skipping unreadable line %d in %s: %s", number, path, exc)
            continue
        if isinstance(data, dict):
            records.append(data)
        else:
            log.warning("skipping line %d in %s: not a JSON object", number, path)
    return records
