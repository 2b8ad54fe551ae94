"""Decode plain-text policies (.txt/.md); the text is returned exactly as decoded, so spans index into it."""

from __future__ import annotations

import codecs
import logging

from ...errors import CorruptDocumentError

log = logging.getLogger(__name__)


def read_text(data: bytes, name: str) -> str:
    """UTF-8 (BOM or not), UTF-16 with a BOM, else Windows-1252; NUL bytes otherwise mean binary."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise CorruptDocumentError(
                f"{name} starts like UTF-16 text but is damaged ({exc.reason}). Save it again as UTF-8 text."
            ) from exc
    if b"\x00" in data:
        raise CorruptDocumentError(
            f"{name} is not a text file (it contains binary data). Save the policy as plain text, "
            "or give the file the suffix of its real format (.pdf, .docx, .html)."
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        log.warning("%s is not UTF-8; reading it as Windows-1252", name)
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        log.warning("%s has bytes Windows-1252 does not define; they are replaced", name)
        return data.decode("cp1252", errors="replace")
