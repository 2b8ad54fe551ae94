"""The policy assistant: cited clauses from written policies, offline.

The small public API used by the app, the CLI, the tests and the benchmarks.
"""

from .answering.answer import ScoredClause, answer_to_json, assemble_answer, make_citation
from .answering.obligations import ClauseObligation, obligations_for, parse_role, tag_clauses
from .answering.search import PolicyIndex
from .api import build_index, index_status, library_stamp, open_engine_index, open_index, open_index_as_of
from .errors import (
    CorpusNotFoundError,
    DocumentReadError,
    EmptyCorpusError,
    EmptyQuestionError,
    IndexLockedError,
    IndexMismatchError,
    IndexNotBuiltError,
    ModelNotAvailableError,
    RetrievalError,
    UnknownDocumentError,
)
from .index.building import BuildReport
from .index.stored import IndexStatus, Manifest
from .ingest.chunking import chunk_documents, parse_clauses
from .ingest.clause_text import embedding_text
from .ingest.parsing import load_corpus, read_document
from .models import Embedder, SentenceTransformerEmbedder, default_embedder
from .types import Answer, Citation, Clause, Document, DocumentMeta, Hit
from .views.compare import Comparison, compare, comparison_for_question, is_comparison_question
from .views.evaluation import EvalReport, evaluate, read_questions
from .views.obligations import render_obligations

__all__ = [
    "Answer",
    "BuildReport",
    "Citation",
    "Clause",
    "CorpusNotFoundError",
    "Document",
    "DocumentMeta",
    "DocumentReadError",
    "Embedder",
    "EmptyCorpusError",
    "EmptyQuestionError",
    "EvalReport",
    "Hit",
    "IndexLockedError",
    "IndexMismatchError",
    "IndexNotBuiltError",
    "IndexStatus",
    "Manifest",
    "ModelNotAvailableError",
    "PolicyIndex",
    "RetrievalError",
    "ScoredClause",
    "SentenceTransformerEmbedder",
    "UnknownDocumentError",
    "answer_to_json",
    "assemble_answer",
    "build_index",
    "chunk_documents",
    "default_embedder",
    "embedding_text",
    "evaluate",
    "index_status",
    "load_corpus",
    "make_citation",
    "library_stamp",
    "open_engine_index",
    "open_index",
    "open_index_as_of",
    "parse_clauses",
    "read_document",
    "read_questions",
    "ClauseObligation",
    "Comparison",
    "compare",
    "comparison_for_question",
    "is_comparison_question",
    "obligations_for",
    "parse_role",
    "render_obligations",
    "tag_clauses",
]
