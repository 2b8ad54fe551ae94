"""Measuring retrieval quality on question sets with gold clause quotes (pure apart from reading)."""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from ..answering.verdict import Verdict
from ..errors import RetrievalError
from ..ingest.markup import strip_markup
from ..types import Answer

_QUOTES = str.maketrans(
    {"‘": "'", "’": "'", "‚": "'", "‛": "'", "“": '"', "”": '"', "„": '"', "–": "-", "—": "-"}
)


def normalise_for_match(text: str) -> str:
    """Case, whitespace, quotes, dashes and markup folded, so a quote matches however it is typeset."""
    text = unicodedata.normalize("NFKC", strip_markup(text)).translate(_QUOTES).lower()
    text = re.sub(r"[•·▪●◦]", " ", text)
    return " ".join(text.split())


@dataclass(frozen=True, slots=True)
class GoldQuote:
    doc: str
    clause: str
    quote: str


@dataclass(frozen=True, slots=True)
class EvalQuestion:
    qid: str
    question: str
    answerable: bool
    expect: tuple[GoldQuote, ...]
    kind: str = "question"
    verdict: tuple[str, ...] = ()
    """Accepted verdicts: strengths, 'none' (no strength) or 'not_covered'; empty when unlabelled."""


@dataclass(frozen=True, slots=True)
class QuestionResult:
    question: EvalQuestion
    answered: bool
    first_hit_rank: int | None
    gold_found_at: tuple[int | None, ...]
    top_clauses: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class EvalReport:
    results: tuple[QuestionResult, ...]

    @property
    def answerable(self) -> tuple[QuestionResult, ...]:
        return tuple(r for r in self.results if r.question.answerable)

    @property
    def off_topic(self) -> tuple[QuestionResult, ...]:
        return tuple(r for r in self.results if not r.question.answerable)

    def hit_at(self, k: int) -> float:
        rows = self.answerable
        return _share(rows, lambda r: r.first_hit_rank is not None and r.first_hit_rank <= k)

    def all_gold_at(self, k: int) -> float:
        return _share(
            self.answerable, lambda r: all(rank is not None and rank <= k for rank in r.gold_found_at)
        )

    def mrr_at(self, k: int) -> float:
        rows = self.answerable
        if not rows:
            return 0.0
        return sum(1.0 / r.first_hit_rank for r in rows if r.first_hit_rank and r.first_hit_rank <= k) / len(
            rows
        )

    @property
    def off_topic_declined(self) -> float:
        return _share(self.off_topic, lambda r: not r.answered)

    @property
    def wrongly_refused(self) -> float:
        return _share(self.answerable, lambda r: not r.answered)

    def summary(self) -> dict[str, float]:
        return {
            "hit@1": self.hit_at(1),
            "hit@3": self.hit_at(3),
            "hit@5": self.hit_at(5),
            "all-gold@5": self.all_gold_at(5),
            "MRR@10": self.mrr_at(10),
            "off-topic declined": self.off_topic_declined,
            "answerable refused": self.wrongly_refused,
        }

    def misses(self, k: int = 1) -> tuple[QuestionResult, ...]:
        return tuple(
            r
            for r in self.results
            if (r.question.answerable and (r.first_hit_rank is None or r.first_hit_rank > k))
            or (not r.question.answerable and r.answered)
        )


def _share(rows: Sequence[QuestionResult], test: Callable[[QuestionResult], bool]) -> float:
    return sum(1 for r in rows if test(r)) / len(rows) if rows else 0.0


def read_questions(path: Path | str) -> tuple[EvalQuestion, ...]:
    """Read a JSONL question set in the format of dev-questions.jsonl."""
    source = Path(path)
    try:
        lines = source.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise RetrievalError(f"Cannot read the question file '{source}': {exc.strerror or exc}.") from exc
    questions: list[EvalQuestion] = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
            questions.append(
                EvalQuestion(
                    qid=str(data.get("id", number)),
                    question=str(data["question"]),
                    answerable=bool(data.get("answerable", True)),
                    expect=tuple(
                        GoldQuote(str(e.get("doc", "")), str(e.get("clause", "")), str(e["quote"]))
                        for e in data.get("expect", [])
                    ),
                    kind=str(data.get("kind", "question")),
                    verdict=tuple(str(v) for v in data.get("verdict", ())),
                )
            )
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            raise RetrievalError(
                f"Line {number} of '{source}' is not a valid question record: {exc}."
            ) from exc
    return tuple(questions)


def score_answer(question: EvalQuestion, answer: Answer) -> QuestionResult:
    """Where each gold quote first appears among the returned clauses (1-based rank, or None)."""
    texts = [normalise_for_match(hit.clause.full_text) for hit in answer.hits]
    found: list[int | None] = []
    for gold in question.expect:
        quote = normalise_for_match(gold.quote)
        found.append(next((rank for rank, text in enumerate(texts, start=1) if quote in text), None))
    ranks = [rank for rank in found if rank is not None]
    return QuestionResult(
        question=question,
        answered=answer.answered,
        first_hit_rank=min(ranks) if ranks else None,
        gold_found_at=tuple(found),
        top_clauses=tuple(f"{hit.clause.doc_id.split('-')[0]} {hit.clause.number}" for hit in answer.hits),
    )


def evaluate(questions: Sequence[EvalQuestion], ask: Callable[[str], Answer]) -> EvalReport:
    """Run every question through ``ask`` and score the answers."""
    return EvalReport(tuple(score_answer(q, ask(q.question)) for q in questions))


def format_report(report: EvalReport, *, show_misses: bool = True) -> str:
    """Readable multi-line summary, misses first, metrics last."""
    lines: list[str] = []
    if show_misses:
        for r in report.misses():
            q = r.question
            if q.answerable:
                wanted = "; ".join(f"{g.doc} {g.clause}" for g in q.expect)
                got = ", ".join(r.top_clauses[:5]) or "(not answered)"
                where = f"first hit at rank {r.first_hit_rank}" if r.first_hit_rank else "no hit in results"
                lines.append(f"MISS {q.qid}: {q.question}\n  wanted {wanted}; got {got}; {where}")
            else:
                lines.append(
                    f"MISS {q.qid} (off-topic answered): {q.question}\n  got {', '.join(r.top_clauses[:3])}"
                )
    summary = report.summary()
    lines.append(
        f"answerable questions: {len(report.answerable)}, off-topic questions: {len(report.off_topic)}"
    )
    lines.extend(f"{name:>20}: {value:.3f}" for name, value in summary.items())
    return "\n".join(lines)


@dataclass(frozen=True, slots=True)
class VerdictReport:
    """Verdict accuracy with the evaluation's definitions (../shared/eval/score.py).

    'none' is right when no strength is shown and the question counts as covered; 'not_covered'
    when the verdict says the policies do not cover it; a strength when it is one of those accepted
    and was read from one of the question's gold clauses. ``spurious`` counts strengths shown on
    'none' questions.
    """

    scored: int
    right: int
    spurious: int
    wrong: tuple[str, ...]

    @property
    def accuracy(self) -> float:
        return self.right / self.scored if self.scored else 0.0


def _doc_key(doc_id: str) -> str:
    return doc_id.split("-")[0]


def verdict_report(questions: Sequence[EvalQuestion], ask: Callable[[str], Verdict]) -> VerdictReport:
    """Score the verdict of every question that has accepted verdicts."""
    right = spurious = scored = 0
    wrong: list[str] = []
    for question in questions:
        if not question.verdict:
            continue
        scored += 1
        verdict = ask(question.question)
        accepted = set(question.verdict)
        if accepted == {"not_covered"}:
            good = not verdict.covered
        elif accepted == {"none"}:
            good = verdict.covered and verdict.strength is None
            spurious += verdict.strength is not None
        else:
            gold = {(_doc_key(g.doc), g.clause) for g in question.expect}
            source = verdict.source
            good = (
                verdict.strength in accepted
                and source is not None
                and (_doc_key(source.doc_id), source.clause_number) in gold
            )
        right += good
        if not good:
            wrong.append(question.qid)
    return VerdictReport(scored, right, spurious, tuple(wrong))
