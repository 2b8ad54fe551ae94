"""Library commands of the CLI: version history, retire, restore, the audit log, and asking as of a date.

Every change made here is written to the audit log as the operating-system user running it, from
client 'cli'.
"""

from __future__ import annotations

import argparse
import getpass
import json
import sys
from dataclasses import asdict
from pathlib import Path

from . import api
from .access.passphrase import set_passphrase
from .answering.answer import answer_to_json
from .answering.ruling import verdict_for, verdict_to_json
from .ingest.audit import read_audit
from .ingest.history import HISTORY_DIR, PolicyVersion, histories, read_history
from .ingest.library import remove_document, restore_document


def add_commands(commands: argparse._SubParsersAction, common) -> None:  # type: ignore[no-untyped-def]
    """Register history, retire, restore and audit on the main parser."""
    history = commands.add_parser("history", help="list the stored versions of one policy or of all")
    common(history)
    history.add_argument("doc_id", nargs="?", help="one document id (default: every document)")
    history.add_argument("--json", action="store_true", help="print JSON for machines")
    retire = commands.add_parser("retire", help="take a policy out of search, keeping every version")
    common(retire)
    retire.add_argument("doc_id")
    restore = commands.add_parser("restore", help="make a stored version of a policy live again")
    common(restore)
    restore.add_argument("doc_id")
    restore.add_argument("--version", type=int, default=None, help="version number (default: the latest)")
    admin = commands.add_parser("admin", help="set the admin passphrase for an offline machine")
    common(admin)
    admin.add_argument("action", choices=["set-passphrase"])
    audit = commands.add_parser("audit", help="print the audit log of changes to the policies")
    common(audit)
    audit.add_argument("--json", action="store_true", help="one JSON object per line")


def _corpus(args: argparse.Namespace) -> Path:
    return api.resolve_corpus(args.index, args.corpus)


def _who() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


def describe(version: PolicyVersion) -> str:
    if version.added_at is None:
        return f"version {version.number} ({version.source_name}, in the corpus before history was kept)"
    return f"version {version.number} ({version.source_name}, added {version.added_at} by {version.added_by})"


def run_history(args: argparse.Namespace) -> int:
    corpus = _corpus(args)
    found = histories(corpus)
    if args.doc_id:
        found = tuple(h for h in found if h.doc_id == args.doc_id)
        if not found:
            known = ", ".join(h.doc_id for h in histories(corpus))
            raise ValueError(f"No document '{args.doc_id}' in {corpus}. Known documents: {known}.")
    if args.json:
        data = [
            {
                "doc_id": h.doc_id,
                "live": h.live,
                "versions": [
                    {
                        "version": v.number,
                        "source_name": v.source_name,
                        "content_hash": v.content_hash,
                        "added_at": v.added_at,
                        "added_by": v.added_by,
                    }
                    for v in h.versions
                ],
            }
            for h in found
        ]
        print(json.dumps(data, ensure_ascii=False, indent=2))
        return 0
    for h in found:
        state = f"live: version {h.live}" if h.live is not None else "retired"
        print(f"{h.doc_id} ({state})")
        for version in h.versions:
            print(f"  {describe(version)}  sha256 {version.content_hash[:12]}")
    return 0


def run_retire(args: argparse.Namespace) -> int:
    corpus = _corpus(args)
    remove_document(corpus, args.doc_id, who=_who(), client="cli")
    history = read_history(corpus, args.doc_id)
    kept = len(history.versions) if history else 0
    hint = f"python -m retrieval restore {args.doc_id}"
    print(f"Retired {args.doc_id}; its {kept} version(s) are kept ({hint}).")
    return 0


def run_restore(args: argparse.Namespace) -> int:
    restored = restore_document(_corpus(args), args.doc_id, version=args.version, who=_who(), client="cli")
    print(f"Restored {args.doc_id} {describe(restored)}.")
    return 0


def run_audit(args: argparse.Namespace) -> int:
    for record in read_audit(_corpus(args)):
        if args.json:
            print(json.dumps(asdict(record), ensure_ascii=False))
        else:
            version = f" v{record.version}" if record.version is not None else ""
            line = f"{record.when}  {record.who:<16} {record.action:<8} {record.doc_id}{version}"
            print(f"{line}  {record.client}")
    return 0


def run_ask_as_of(args: argparse.Namespace, format_answer) -> int:  # type: ignore[no-untyped-def]
    index, used = api.open_index_as_of(args.as_of, args.index, corpus_dir=args.corpus)
    answer = index.search(args.question, top_k=args.top_k, docs=args.docs)
    verdict = verdict_for(args.question, answer)
    versions = {doc_id: describe(version) for doc_id, version in sorted(used.items())}
    if args.json:
        data = answer_to_json(answer)
        data["verdict"] = verdict_to_json(verdict)
        data["as_of"] = {"date": args.as_of, "versions": versions}
        print(json.dumps(data, ensure_ascii=False, indent=2))
        return 0
    print(f"As of {args.as_of}, using:")
    for doc_id, text in versions.items():
        print(f"  {doc_id}: {text}")
    print(format_answer(answer, verdict))
    return 0


def run_admin(args: argparse.Namespace) -> int:
    """Read the passphrase twice from the terminal (or once from standard input) and store its hash."""
    if sys.stdin.isatty():
        first = getpass.getpass("New admin passphrase: ")
        if getpass.getpass("Again: ") != first:
            raise ValueError("The two passphrases differ; nothing was changed.")
    else:
        first = sys.stdin.readline().rstrip("\n")
    folder = _corpus(args) / HISTORY_DIR
    path = set_passphrase(folder, first)
    print(f"Admin passphrase set (only a salted scrypt hash is stored, in {path}).")
    return 0


COMMANDS = {
    "admin": run_admin,
    "history": run_history,
    "retire": run_retire,
    "restore": run_restore,
    "audit": run_audit,
}
