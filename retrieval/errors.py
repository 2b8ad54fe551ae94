"""Specific exceptions with messages a school administrator can act on."""

from __future__ import annotations


class RetrievalError(Exception):
    """Base class for every error the policy assistant reports to a user."""


class CorpusNotFoundError(RetrievalError):
    """The policy folder does not exist."""


class EmptyCorpusError(RetrievalError):
    """The policy folder holds no readable policy documents."""


class DocumentReadError(RetrievalError):
    """A policy file could not be read or decoded."""


class IndexNotBuiltError(RetrievalError):
    """No index has been built in the index folder yet."""


class IndexMismatchError(RetrievalError):
    """The index files disagree with each other, the model or the corpus."""


class IndexLockedError(RetrievalError):
    """Another build holds the index lock."""


class UnknownDocumentError(RetrievalError):
    """A document filter names a document that is not in the index."""


class EmptyQuestionError(RetrievalError):
    """The question is empty once whitespace is removed."""


class ModelNotAvailableError(RetrievalError):
    """The packaged embedding model is not installed."""


class UnsupportedFormatError(DocumentReadError):
    """A policy file has a type (suffix) the readers cannot turn into text."""


class EmptyDocumentError(DocumentReadError):
    """A policy file holds no text."""


class NoTextLayerError(DocumentReadError):
    """A PDF has pages but no text layer (a scan); OCR is not supported."""


class EncryptedDocumentError(DocumentReadError):
    """A policy file is password-protected or encrypted."""


class CorruptDocumentError(DocumentReadError):
    """A policy file is damaged or is not really the type its suffix says."""


class DocumentTooLargeError(DocumentReadError):
    """A policy file is larger than the reader's size limit."""
