"""Answering questions from a loaded index."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import numpy as np

from ..errors import IndexMismatchError, UnknownDocumentError
from ..index.stored import DocumentRecord, Manifest, StoredIndex, read_stored_index
from ..index.vector_store import FaissStore, LibraryFilteredStore, VectorStore
from ..ingest.libraries import library_of, school_libraries, visible_docs
from ..models import Embedder, default_embedder
from ..models.packaged import SearchTuning, tuning_for
from ..types import Answer, Clause, DocumentMeta
from .answer import ScoredClause, assemble_answer, not_covered_message
from .coverage import OtherTopics
from .intent import classify_question
from .lexical import LexicalIndex, Thesaurus, default_thesaurus, expansion_terms, foreign_share, tokenize
from .obligations import tag_clauses
from .question import DEFAULT_TOP_K, PreparedQuestion, check_top_k, prepare_question
from .ranking import RelevanceThresholds, belongs_elsewhere, diversify, for_the_asker, fuse, is_answered
from .references import (
    ClauseReference,
    document_aliases,
    find_bare_reference,
    find_document_mentions,
    find_labelled,
    find_references,
    label_table,
    lettered_numbers,
    lookup,
)

Role = Literal["staff", "hr", "governor"]
Ranker = Literal["hybrid", "dense", "lexical"]
ROLES: tuple[Role, ...] = ("staff", "hr", "governor")
# Which obligation tags (retrieval.obligations) make a clause "addressed to" each app role.
_ROLE_BINDS: dict[str, str] = {"governor": "governors", "hr": "school", "staff": "all_staff"}
EXPANSION_WEIGHT = 0.8

log = logging.getLogger(__name__)

# Above this many allowed clauses, fusion scores only the dense and lexical top candidates.
CANDIDATES = 256


@dataclass(frozen=True, slots=True)
class CandidateScores:
    """Scores of the clauses considered for one question; ``ids`` are positions in ``clauses``."""

    ids: np.ndarray
    dense: np.ndarray
    lexical: np.ndarray
    foreign: float
    translations: tuple[str, ...] = ()
    """Policy terms the thesaurus found for the question's everyday words (used for highlighting)."""
    other_topic: float = -1.0
    """Cosine of the question with the closest subject the policies leave to other documents."""
    other_topic_name: str = ""


@dataclass(frozen=True, slots=True)
class QueryPlan:
    """How a question will be answered: by reference lookup, or ranked search over some documents."""

    text: str
    references: tuple[ClauseReference, ...]
    mentioned_docs: frozenset[str]
    name_words: tuple[str, ...]


class PolicyIndex:
    """A loaded index: clauses, their vectors, a BM25 index and the model that embeds questions.

    Read-only after construction, so one instance can serve many threads (the Streamlit app
    shares it across sessions).
    """

    def __init__(
        self,
        stored: StoredIndex,
        embedder: Embedder,
        *,
        thesaurus: Thesaurus | None = None,
        thresholds: RelevanceThresholds | None = None,
        tuning: SearchTuning | None = None,
        store: VectorStore | None = None,
    ) -> None:
        if embedder.model_id != stored.manifest.model_id or embedder.dimension != stored.manifest.dimension:
            raise IndexMismatchError(
                f"The index was built with {stored.manifest.model_id} "
                f"({stored.manifest.dimension} dimensions) "
                f"but the model loaded is {embedder.model_id} ({embedder.dimension}). "
                "Run 'python -m retrieval build' to rebuild the index."
            )
        self._stored = stored
        self._embedder = embedder
        self._thesaurus = thesaurus or default_thesaurus()
        # Fusion weight and "answered" threshold were fitted per model (models/packaged.py).
        tuning = tuning or tuning_for(embedder.model_id)
        self._thresholds = thresholds or RelevanceThresholds.of(tuning)
        self._other_topics: OtherTopics | None = None  # embedded on the first question
        self._dense_weight, self._lexical_full_score = tuning.dense_weight, tuning.lexical_full_score
        # The in-process FAISS store by default; an engine-backed one (MilvusStore) when given.
        self._store: VectorStore = store if store is not None else FaissStore(stored.vectors)
        self._metas = {record.doc_id: record.meta for record in stored.manifest.documents}
        self._doc_of = np.array([clause.doc_id for clause in stored.clauses])
        self._position = {clause.clause_id: i for i, clause in enumerate(stored.clauses)}
        self._lexical = LexicalIndex(
            [f"{clause.heading} {clause.full_text}" for clause in stored.clauses],
            # Everyday wording from the nearest training questions (models/question_bank.py).
            extras=stored.lexical_extras,
        )
        self._aliases = document_aliases(self._metas)
        self._lettered = lettered_numbers(stored.clauses)
        self._alias_words = frozenset(word for words in self._aliases.values() for word in words)
        self._labels = label_table(stored.clauses)
        tags = tag_clauses(stored.clauses)
        self._role_mask = {
            role: np.array([tag.applies_to(binds) for tag in tags], dtype=bool)  # type: ignore[arg-type]
            for role, binds in _ROLE_BINDS.items()
        }

    @classmethod
    def load(cls, index_dir: Path | str, *, embedder: Embedder | None = None) -> PolicyIndex:
        """Load the live index from a folder, checking its files and the model agree."""
        return cls(read_stored_index(index_dir), embedder or default_embedder())

    @property
    def manifest(self) -> Manifest:
        return self._stored.manifest

    @property
    def documents(self) -> tuple[DocumentRecord, ...]:
        return self._stored.manifest.documents

    @property
    def clauses(self) -> tuple[Clause, ...]:
        return self._stored.clauses

    @property
    def metas(self) -> dict[str, DocumentMeta]:
        return dict(self._metas)

    @property
    def embedder(self) -> Embedder:
        return self._embedder

    def warm_up(self) -> None:
        """Load the embedding model now rather than on the first question (it loads lazily)."""
        self._embedder.embed(["warm up"])

    def clause(self, clause_id: str) -> Clause:
        """The clause with this id (KeyError if there is none)."""
        return self.clauses[self._position[clause_id]]

    def neighbours(self, clause_id: str, *, before: int = 1, after: int = 1) -> tuple[Clause, ...]:
        """The clauses around one clause in its document, in reading order, itself included."""
        index = self._position[clause_id]
        doc_id = self.clauses[index].doc_id
        low, high = max(0, index - before), min(len(self.clauses), index + after + 1)
        return tuple(c for c in self.clauses[low:high] if c.doc_id == doc_id)

    def check_docs(self, docs: Iterable[str] | None) -> frozenset[str] | None:
        """Validate a document filter; None means every document."""
        if docs is None:
            return None
        if isinstance(docs, str):
            docs = [docs]
        wanted = frozenset(docs)
        unknown = sorted(wanted - set(self._metas))
        if unknown:
            raise UnknownDocumentError(
                f"Unknown document {', '.join(unknown)}. Known documents: {', '.join(sorted(self._metas))}."
            )
        return wanted

    def with_store(self, make_store: Callable[[np.ndarray, list[str]], VectorStore]) -> PolicyIndex:
        """This index with its vectors served by another store, made from these vectors and libraries."""
        vectors = FaissStore(self._stored.vectors).all_vectors()
        store = make_store(vectors, [library_of(clause.doc_id) for clause in self.clauses])
        return PolicyIndex(self._stored, self._embedder, store=store)

    @property
    def libraries(self) -> tuple[str, ...]:
        """The schools' libraries in this index (empty for a single-school corpus)."""
        return school_libraries(self._metas)

    def docs_for(self, library: str | None, docs: Iterable[str] | None = None) -> list[str] | None:
        """The documents a question from ``library`` may use, narrowed to ``docs`` if given.

        None (no library, no docs) means every document. A document outside the library is refused
        as unknown: another school's policies are not named, let alone searched.
        """
        if library is None:
            return None if docs is None else sorted(self.check_docs(docs) or ())
        visible = visible_docs(self._metas, library)
        if docs is None:
            return list(visible)
        wanted = [docs] if isinstance(docs, str) else list(docs)
        outside = sorted(set(wanted) - set(visible))
        if outside:
            raise UnknownDocumentError(
                f"Unknown document {', '.join(outside)} in library '{library}'. "
                f"Known documents: {', '.join(visible)}."
            )
        return wanted

    def plan(self, question: str) -> QueryPlan:
        """Find clause references and document names in a (prepared) question."""
        mentions = find_document_mentions(question, self._aliases)
        name_words = tuple(word for _, word in mentions)
        references = find_references(question, lettered=self._lettered)
        if not references and (bare := find_bare_reference(question, without=name_words)):
            references = (bare,)
        return QueryPlan(question, references, frozenset(doc for doc, _ in mentions), name_words)

    def score(
        self,
        question: str,
        *,
        name_words: Sequence[str] = (),
        mask: np.ndarray | None = None,
        expand: bool = True,
    ) -> CandidateScores:
        """Dense and lexical scores of the candidate clauses, and the rarity-weighted share of unknown words.

        The question is embedded as asked and, when ``expand``, also with its everyday words
        translated into policy wording by the thesaurus; the two similarities are averaged.
        Candidates are every allowed clause of a small corpus, or the union of the dense and
        lexical top ``CANDIDATES`` of a large one, so fusion never scores a million clauses.
        """
        # The thesaurus is consulted once; its matches serve the expansion, the unknown-word share
        # and the highlight terms.
        matched = self._thesaurus.matches(question)
        translations = expansion_terms(matched)
        expansion = translations if expand else ()
        texts = [question, f"{question} {' '.join(expansion)}"] if expansion else [question]
        queries = self._embedder.embed(texts)
        names = set(tokenize(" ".join(name_words)))
        tokens = [t for t in tokenize(question) if t not in names]
        extra = tokenize(" ".join(expansion))
        lexical = self._lexical.scores(tokens + extra, [1.0] * len(tokens) + [EXPANSION_WEIGHT] * len(extra))
        ids = self._candidates(queries, lexical, mask)
        dense = self._store.similarity(queries, ids).mean(axis=0)
        foreign = foreign_share(question, self._lexical.knows, self._thesaurus, matched=matched)
        if self._other_topics is None:
            self._other_topics = OtherTopics.embedded(self._embedder)
        other_topic, name = self._other_topics.closest(queries[0])
        return CandidateScores(ids, dense, lexical[ids], foreign, translations, other_topic, name)

    def _candidates(self, queries: np.ndarray, lexical: np.ndarray, mask: np.ndarray | None) -> np.ndarray:
        allowed = np.arange(len(self.clauses)) if mask is None else np.flatnonzero(mask)
        if len(allowed) <= CANDIDATES:
            return allowed
        if mask is not None and isinstance(self._store, LibraryFilteredStore):
            # The engine filters by library itself, so a school's candidates are not crowded out.
            libraries = sorted({library_of(d) for d in set(self._doc_of[allowed])})
            _, near = self._store.nearest(queries, CANDIDATES, libraries=libraries)
        else:
            _, near = self._store.nearest(queries, CANDIDATES)
        near = near[near >= 0]
        if mask is not None:
            near = near[mask[near]]
        lexical_top = allowed[np.argsort(-lexical[allowed], kind="stable")[:CANDIDATES]]
        return np.unique(np.concatenate([near, lexical_top]))

    def search(
        self,
        question: str,
        *,
        top_k: int = DEFAULT_TOP_K,
        docs: Sequence[str] | None = None,
        role: Role | None = None,
        ranker: Ranker = "hybrid",
    ) -> Answer:
        """Find the clauses that answer a question.

        Args:
            question: the question in the user's words.
            top_k: how many clauses to return at most (a reference to a whole section may return more).
            docs: restrict to these document ids (None: all documents, or those the question names).
            role: 'staff', 'hr' or 'governor'; favours clauses addressed to that role.
            ranker: 'hybrid' (default); 'dense' or 'lexical' alone, with no thesaurus, for comparison.

        Returns:
            An Answer; ``answered`` is False when nothing relevant was found.
        """
        check_top_k(top_k)
        if role is not None and role not in ROLES:
            raise ValueError(f"role must be one of {', '.join(ROLES)}. Currently, role is {role!r}.")
        allowed = self.check_docs(docs)
        prepared = prepare_question(question)
        plan = self.plan(prepared.text)
        if allowed is None and plan.mentioned_docs:
            allowed = plan.mentioned_docs
        if ranker not in ("hybrid", "dense", "lexical"):
            raise ValueError(f"ranker must be hybrid, dense or lexical. Currently, ranker is {ranker!r}.")
        if ranker == "hybrid":
            labelled = [
                self.clauses[i]
                for i in find_labelled(prepared.text, self._labels, ignore=self._alias_words)
                if allowed is None or self.clauses[i].doc_id in allowed
            ]
            # A clause's own number ("Lancashire 4.1") goes to the number lookup below, which also
            # returns what is numbered beneath it, when that lookup finds the same clauses; other
            # references ("5, item 3", "Section 5" beside a clause numbered 5) end here.
            numbered = self._looked_up(plan, allowed) if labelled and plan.references else []
            if labelled and not all(c.label == c.number and c in numbered for c in labelled):
                ranked = [ScoredClause(clause, 1.0, matched_by="reference") for clause in labelled]
                return assemble_answer(
                    prepared.text, ranked, self._metas, answered=True, notices=prepared.notices
                )
        if plan.references and ranker == "hybrid":
            return self._answer_reference(prepared, plan, allowed)
        mask = (
            np.ones(len(self.clauses), dtype=bool)
            if allowed is None
            else np.isin(self._doc_of, list(allowed))
        )
        if not mask.any():
            return assemble_answer(prepared.text, [], self._metas, answered=False, notices=prepared.notices)
        hybrid = ranker == "hybrid"
        scores = self.score(
            prepared.text, name_words=plan.name_words if hybrid else (), mask=mask, expand=hybrid
        )
        if hybrid:
            fused = fuse(
                scores.dense,
                scores.lexical,
                dense_weight=self._dense_weight,
                lexical_full_score=self._lexical_full_score,
            )
        else:
            fused = scores.dense if ranker == "dense" else scores.lexical
        fused = for_the_asker(
            fused, {r: m[scores.ids] for r, m in self._role_mask.items()}, role, prepared.text
        )
        order = np.argsort(-fused, kind="stable")
        positions = diversify(order, self._doc_of[scores.ids], fused, top_k=top_k)
        best = float(scores.dense.max())
        asks_rule = classify_question(prepared.text).wants_verdict
        answered = is_answered(
            best, scores.foreign, self._thresholds, other_topic=scores.other_topic, asks_rule=asks_rule
        )
        ranked = [ScoredClause(self.clauses[int(scores.ids[p])], float(fused[p])) for p in positions]
        elsewhere = belongs_elsewhere(best, scores.other_topic, self._thresholds, asks_rule=asks_rule)
        subject = scores.other_topic_name if elsewhere else ""
        message = "" if answered else not_covered_message(self.clauses, self._metas, subject=subject)
        terms = frozenset(tokenize(f"{prepared.text} {' '.join(scores.translations)}"))
        return assemble_answer(
            prepared.text,
            ranked,
            self._metas,
            answered=answered,
            message=message,
            notices=prepared.notices,
            query_terms=terms,
        )

    def _looked_up(self, plan: QueryPlan, allowed: frozenset[str] | None) -> list[Clause]:
        """Clauses the question's clause numbers name, and those numbered beneath them."""
        candidates = [c for c in self.clauses if allowed is None or c.doc_id in allowed]
        found: list[Clause] = []
        for reference in plan.references:
            found.extend(c for c in lookup(reference, candidates) if c not in found)
        return found

    def _answer_reference(
        self, prepared: PreparedQuestion, plan: QueryPlan, allowed: frozenset[str] | None
    ) -> Answer:
        found = self._looked_up(plan, allowed)
        cited = ", ".join(r.text.strip() for r in plan.references)
        if not found:
            where = "the selected documents" if allowed is not None else "any of the policies"
            message = f"There is no clause {cited} in {where}."
            return assemble_answer(
                prepared.text, [], self._metas, answered=False, message=message, notices=prepared.notices
            )
        ranked = [ScoredClause(clause, 1.0, matched_by="reference") for clause in found]
        return assemble_answer(prepared.text, ranked, self._metas, answered=True, notices=prepared.notices)
