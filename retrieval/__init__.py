"""The policy assistant: cited clauses from written policies, offline.

The small public API used by the app, the CLI, the tests and the benchmarks.
"""

from .answer import ScoredClause, answer_to_json, assemble_answer, make_citation
from .api import index_status, open_index
from .building import BuildReport, build_index
from .chunking import chunk_documents, embedding_text, parse_clauses
from .compare import Comparison, compare, comparison_for_question, is_comparison_question
from .embedding import Embedder, SentenceTransformerEmbedder, default_embedder
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
from .evaluation import EvalReport, evaluate, read_questions
from .index import IndexStatus, Manifest
from .obligations import ClauseObligation, obligations_for, parse_role, tag_clauses
from .obligations_export import render_obligations
from .parsing import load_corpus, read_document
from .search import PolicyIndex
from .types import Answer, Citation, Clause, Document, DocumentMeta, Hit

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
    "open_index",
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
