"""Command line: ``python -m retrieval build | ask | search | eval``.

A thin shell: it parses arguments, calls the public API and turns RetrievalError into a
one-line message and a non-zero exit code, never a traceback.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
import textwrap
from collections.abc import Sequence
from pathlib import Path

from . import api, cli_library
from .answering.answer import answer_to_json
from .answering.obligations import obligations_for, parse_role, tag_clauses
from .answering.ruling import verdict_for, verdict_to_json
from .answering.verdict import Verdict
from .errors import RetrievalError
from .types import Answer
from .views.compare import compare, comparison_text, comparison_to_json, is_comparison_question
from .views.evaluation import evaluate, format_report, read_questions
from .views.obligations import render_obligations

EXIT_USAGE = 2
EXIT_ERROR = 1


def _progress_printer(label: str):  # type: ignore[no-untyped-def]
    """A tqdm progress bar on stderr, created on first call."""
    from tqdm import tqdm

    bar: dict[str, tqdm] = {}

    def update(done: int, total: int) -> None:
        if "bar" not in bar:
            bar["bar"] = tqdm(total=total, desc=label, unit="clause", file=sys.stderr, leave=False)
        bar["bar"].n = done
        bar["bar"].refresh()
        if done >= total:
            bar["bar"].close()

    return update


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--corpus", type=Path, default=None, help="policy folder (default: corpus/)")
    parser.add_argument("--index", type=Path, default=Path("index"), help="index folder (default: index/)")
    parser.add_argument(
        "--engine",
        metavar="URI",
        default=os.environ.get("POLICY_ENGINE_URI") or None,
        help="serve clause vectors from Milvus at URI (a Milvus Lite .db file or a cluster address; "
        "default: $POLICY_ENGINE_URI, else in-process FAISS)",
    )


def _library_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--library",
        metavar="SCHOOL",
        help="a school's library (corpus/SCHOOL/): its own, the trust's and shared policies only",
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m retrieval", description="Cited answers from policy documents."
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="log progress details")
    commands = parser.add_subparsers(dest="command", required=True)

    build = commands.add_parser("build", help="build or refresh the index from the policy folder")
    _common(build)
    build.add_argument("--if-stale", action="store_true", help="do nothing when the index is up to date")

    ask = commands.add_parser("ask", help="answer one question with cited clauses")
    _common(ask)
    _library_option(ask)
    ask.add_argument("question")
    ask.add_argument("--top-k", type=int, default=5)
    ask.add_argument(
        "--doc", action="append", dest="docs", metavar="DOC_ID", help="only this document (repeatable)"
    )
    ask.add_argument("--json", action="store_true", help="print JSON for machines")
    ask.add_argument("--as-of", metavar="YYYY-MM-DD", help="answer from the versions in force on that date")

    search = commands.add_parser("search", help="answer a JSONL file of questions, one JSON result per line")
    _common(search)
    _library_option(search)
    search.add_argument(
        "--questions", type=Path, required=True, help="JSONL with id, question, optional docs"
    )
    search.add_argument("--top-k", type=int, default=5)

    cli_library.add_commands(commands, _common)

    show = commands.add_parser("show", help="print every clause of one policy in order, with its reference")
    _common(show)
    _library_option(show)
    show.add_argument("doc_id", help="the document id (its file name without the extension)")
    show.add_argument("--json", action="store_true", help="print JSON for machines")

    commands.add_parser("export-model", help="export the packaged model to ONNX for a fast start (once)")
    train = commands.add_parser(
        "train-model",
        help="unpack (or, if training/ changed, train) the school-policy model, then export it",
    )
    train.add_argument("--training", type=Path, default=Path("training"), help="training folder")
    train.add_argument("--force", action="store_true", help="train again even when up to date")
    train.add_argument(
        "--save-compact",
        action="store_true",
        help="then write the model as training/adapted-model.npz, to commit with the data it came from",
    )

    evaluate_cmd = commands.add_parser("eval", help="measure retrieval quality on a question set")
    _common(evaluate_cmd)
    evaluate_cmd.add_argument("questions", type=Path)
    evaluate_cmd.add_argument("--top-k", type=int, default=10)

    compare_cmd = commands.add_parser("compare", help="compare the policies on a topic, side by side")
    _common(compare_cmd)
    _library_option(compare_cmd)
    compare_cmd.add_argument("topic")
    compare_cmd.add_argument(
        "--doc", action="append", dest="docs", metavar="DOC_ID", help="compare this document (repeatable)"
    )
    compare_cmd.add_argument("--top-k", type=int, default=5, help="clauses per document at most")
    compare_cmd.add_argument("--json", action="store_true", help="print JSON for machines")

    obligations_cmd = commands.add_parser("obligations", help="list the obligations that bind one role")
    _common(obligations_cmd)
    _library_option(obligations_cmd)
    obligations_cmd.add_argument(
        "--role", required=True, help="e.g. governor, teaching-staff, contractors, parents"
    )
    obligations_cmd.add_argument("--format", choices=["text", "markdown", "csv"], default="text")
    obligations_cmd.add_argument(
        "--doc", action="append", dest="docs", metavar="DOC_ID", help="only this document (repeatable)"
    )
    return parser


def _open_index(args: argparse.Namespace) -> api.PolicyIndex:
    progress = _progress_printer("Embedding clauses")
    if args.engine:
        return api.open_engine_index(args.index, uri=args.engine, corpus_dir=args.corpus, progress=progress)
    return api.open_index(args.index, corpus_dir=args.corpus, progress=progress)


def _format_answer(answer: Answer, verdict: Verdict | None = None) -> str:
    lines = [f"Q: {answer.question}"]
    lines += [f"Note: {notice}" for notice in answer.notices]
    if not answer.answered:
        lines.append(answer.message)
        return "\n".join(lines)
    if verdict is not None:
        lines.append(f"Verdict: {verdict.text}")
    for hit in answer.hits:
        lines.append("")
        lines.append(f"[{hit.rank}] {hit.citation.format()}  (score {hit.score:.2f})")
        for paragraph in hit.clause.full_text.splitlines():
            lines.append(textwrap.fill(paragraph, width=100, initial_indent="    ", subsequent_indent="    "))
    return "\n".join(lines)


def _run_build(args: argparse.Namespace) -> int:
    corpus = args.corpus or Path("corpus")
    if args.if_stale:
        status = api.index_status(corpus, args.index)
        if status.state == "fresh":
            print(f"Index in {args.index} is up to date.")
            return 0
        print(f"Building index: {'; '.join(status.reasons)}.", file=sys.stderr)
    report = api.build_index(corpus, args.index, progress=_progress_printer("Embedding clauses"))
    for skipped in report.skipped:
        print(f"warning: left out {skipped.name}: {skipped.reason}", file=sys.stderr)
    print(
        f"Indexed {report.documents} documents, {report.clauses} clauses "
        f"({report.embedded} embedded, {report.reused} reused) in {report.seconds:.1f} s."
    )
    return 0


def _run_ask(args: argparse.Namespace) -> int:
    if args.as_of:
        return cli_library.run_ask_as_of(args, _format_answer)
    index = _open_index(args)
    answer = index.search(args.question, top_k=args.top_k, docs=index.docs_for(args.library, args.docs))
    verdict = verdict_for(args.question, answer)
    if args.json:
        data = answer_to_json(answer)
        data["verdict"] = verdict_to_json(verdict)
        print(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        print(_format_answer(answer, verdict))
    return 0


def _read_batch(path: Path) -> list[dict[str, object]]:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise RetrievalError(f"Cannot read the questions file '{path}': {exc.strerror or exc}.") from exc
    records = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
            if not isinstance(record, dict) or "question" not in record:
                raise ValueError("it needs a 'question' field")
        except ValueError as exc:
            raise RetrievalError(f"Line {number} of '{path}' is not a valid question record: {exc}.") from exc
        records.append(record)
    return records


def _run_search(args: argparse.Namespace) -> int:
    records = _read_batch(args.questions)
    index = _open_index(args)
    for number, record in enumerate(records, start=1):
        qid = str(record.get("id", number))
        try:
            docs = index.docs_for(args.library, record.get("docs"))  # type: ignore[arg-type]
            question = str(record["question"])
            answer = index.search(question, top_k=args.top_k, docs=docs)  # type: ignore[arg-type]
            data = answer_to_json(answer, question_id=qid)
            data["verdict"] = verdict_to_json(verdict_for(question, answer))
            print(json.dumps(data, ensure_ascii=False))
        except (RetrievalError, ValueError, TypeError) as exc:
            print(
                json.dumps(
                    {"id": qid, "answered": False, "results": [], "error": str(exc)}, ensure_ascii=False
                )
            )
    return 0


def _run_eval(args: argparse.Namespace) -> int:
    questions = read_questions(args.questions)
    index = _open_index(args)
    report = evaluate(questions, lambda q: index.search(q, top_k=args.top_k))
    print(format_report(report))
    return 0


def _run_compare(args: argparse.Namespace) -> int:
    index = _open_index(args)
    # A whole question ("How do the two policies differ on X?") is accepted as well as a topic.
    topic = is_comparison_question(args.topic) or args.topic
    comparison = compare(index, topic, docs=index.docs_for(args.library, args.docs), top_k=args.top_k)
    if args.json:
        print(json.dumps(comparison_to_json(comparison), ensure_ascii=False, indent=2))
    else:
        print(comparison_text(comparison), end="")
    return 0


def _run_obligations(args: argparse.Namespace) -> int:
    role = parse_role(args.role)
    index = _open_index(args)
    docs = index.docs_for(args.library, args.docs)
    items = obligations_for(tag_clauses(index.clauses), role, docs=docs)
    print(render_obligations(items, index.metas, role, fmt=args.format), end="")
    return 0


def _run_show(args: argparse.Namespace) -> int:
    index = _open_index(args)
    index.docs_for(args.library, [args.doc_id])
    clauses = [c for c in index.clauses if c.doc_id == args.doc_id]
    meta = index.metas[args.doc_id]
    if args.json:
        document = {
            "doc_id": args.doc_id,
            "title": meta.title,
            "issuer": meta.issuer,
            "date": meta.date,
            "clauses": [
                {
                    "reference": c.label,
                    "number": c.number,
                    "heading_path": list(c.heading_path),
                    "page": c.page,
                    "text": c.full_text,
                }
                for c in clauses
            ],
        }
        print(json.dumps(document, ensure_ascii=False, indent=2))
        return 0
    print(f"{meta.title}" + (f" ({meta.issuer}, {meta.date})" if meta.date else ""))
    for clause in clauses:
        where = " › ".join(clause.heading_path)
        page = f", p. {clause.page}" if clause.page is not None else ""
        print(f"\n[{clause.label}]{page}" + (f"  {where}" if where else ""))
        print(textwrap.indent(clause.full_text, "    "))
    return 0


def _run_export_model(args: argparse.Namespace) -> int:
    from .models import ensure_onnx_model

    print(f"ONNX model ready in {ensure_onnx_model()}")
    return 0


def _run_train_model(args: argparse.Namespace) -> int:
    from .models import ensure_onnx_model
    from .models.adaptation import adapt_model, save_adapted_model, unpack_adapted_model

    def show(step: int, total: int) -> None:
        if step == total or step % 10 == 0:
            print(f"\rtraining: step {step}/{total}", end="" if step < total else "\n", file=sys.stderr)

    unpacked = None if args.force else unpack_adapted_model(args.training)
    if unpacked is not None:
        print(f"Adapted model unpacked from {unpacked} (trained from this training folder).")
    report = adapt_model(args.training, force=args.force, progress=show)
    if report is not None:
        print(
            f"Adapted model trained on {report.examples} questions in {report.steps} steps "
            f"({report.seconds:.0f} s, loss {report.first_loss:.3f} -> {report.last_loss:.3f}): "
            f"{report.output_dir}"
        )
    elif unpacked is None:
        print("The adapted model is up to date.")
    if args.save_compact:
        print(f"Compact model written to {save_adapted_model(args.training)}")
    print(f"ONNX model ready in {ensure_onnx_model()}")
    return 0


COMMANDS = {
    "show": _run_show,
    **cli_library.COMMANDS,
    "export-model": _run_export_model,
    "train-model": _run_train_model,
    "build": _run_build,
    "ask": _run_ask,
    "search": _run_search,
    "eval": _run_eval,
    "compare": _run_compare,
    "obligations": _run_obligations,
}


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING, format="%(levelname)s %(message)s"
    )
    try:
        return COMMANDS[args.command](args)
    except RetrievalError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
