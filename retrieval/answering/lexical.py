"""Lexical side of retrieval: tokenising, the everyday-wording thesaurus, and BM25 over clauses."""

from __future__ import annotations

import logging
import math
import re
import threading
import tomllib
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

import numpy as np

_WORD = re.compile(r"[a-z0-9]+(?:['’][a-z]+)?")
# Common English function words plus words every policy uses; they carry no meaning for ranking.
STOPWORDS = frozenset(
    [
        "a",
        "about",
        "above",
        "after",
        "again",
        "against",
        "all",
        "am",
        "an",
        "and",
        "any",
        "are",
        "as",
        "at",
        "be",
        "because",
        "been",
        "before",
        "being",
        "below",
        "between",
        "both",
        "but",
        "by",
        "can",
        "could",
        "did",
        "do",
        "does",
        "doing",
        "down",
        "during",
        "each",
        "few",
        "for",
        "from",
        "further",
        "had",
        "has",
        "have",
        "having",
        "he",
        "her",
        "here",
        "hers",
        "herself",
        "him",
        "himself",
        "his",
        "how",
        "i",
        "if",
        "in",
        "into",
        "is",
        "it",
        "its",
        "itself",
        "just",
        "me",
        "more",
        "most",
        "my",
        "myself",
        "no",
        "nor",
        "not",
        "now",
        "of",
        "off",
        "on",
        "once",
        "only",
        "or",
        "other",
        "our",
        "ours",
        "ourselves",
        "out",
        "over",
        "own",
        "same",
        "she",
        "should",
        "so",
        "some",
        "such",
        "than",
        "that",
        "the",
        "their",
        "theirs",
        "them",
        "themselves",
        "then",
        "there",
        "these",
        "they",
        "this",
        "those",
        "through",
        "to",
        "too",
        "under",
        "until",
        "up",
        "very",
        "was",
        "we",
        "were",
        "what",
        "when",
        "where",
        "which",
        "while",
        "who",
        "whom",
        "why",
        "will",
        "with",
        "would",
        "you",
        "your",
        "yours",
        "yourself",
        "yourselves",
        "ok",
        "okay",
        "allowed",
        "may",
        "might",
        "must",
        "shall",
        "please",
        "tell",
        "say",
        "says",
        "said",
    ]
)
# Negations and modal verbs matter to people but not to which clause is relevant; keep "not" out.


@lru_cache(maxsize=1)
def _stemmer():  # type: ignore[no-untyped-def]
    import Stemmer

    return Stemmer.Stemmer("english")


_STEM_LOCK = threading.Lock()


def tokenize(text: str) -> list[str]:
    """Lower-cased, stemmed content words (PyStemmer's Snowball English stemmer)."""
    words = [w.replace("’", "'").split("'")[0] for w in _WORD.findall(text.lower())]
    words = [w for w in words if w and w not in STOPWORDS]
    with _STEM_LOCK:  # the C stemmer object is not documented as thread-safe
        return list(_stemmer().stemWords(words))


Entry = tuple[tuple[str, ...], tuple[str, ...]]


@dataclass(frozen=True, slots=True)
class Thesaurus:
    """Everyday phrases (as token tuples) mapped to the policy wording they stand for."""

    entries: tuple[Entry, ...]
    # Entry positions by the folded first word of their phrase, so a question is matched in one pass.
    _by_first_word: dict[str, tuple[int, ...]] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        index: dict[str, list[int]] = {}
        for position, (phrase, _) in enumerate(self.entries):
            if phrase:
                index.setdefault(_singular(phrase[0]), []).append(position)
        object.__setattr__(self, "_by_first_word", {word: tuple(ids) for word, ids in index.items()})

    def matches(self, question: str) -> tuple[Entry, ...]:
        """The (everyday phrase, policy terms) entries whose phrase occurs in the question, in file order."""
        words = [_singular(w) for w in _plain_words(question)]
        found: set[int] = set()
        for start, word in enumerate(words):
            for position in self._by_first_word.get(word, ()):
                phrase = self.entries[position][0]
                if tuple(words[start : start + len(phrase)]) == tuple(_singular(p) for p in phrase):
                    found.add(position)
        return tuple(self.entries[position] for position in sorted(found))

    def expand(self, question: str) -> tuple[str, ...]:
        """Policy terms for the everyday words found in a question (pure; order kept, no repeats)."""
        return expansion_terms(self.matches(question))


def expansion_terms(matched: Sequence[Entry]) -> tuple[str, ...]:
    """The policy terms of matched thesaurus entries, in order, without repeats."""
    found: list[str] = []
    for _, terms in matched:
        found.extend(term for term in terms if term not in found)
    return tuple(found)


def _plain_words(text: str) -> list[str]:
    """Words for thesaurus matching: lower-case, hyphenated words and contractions kept whole."""
    return re.findall(r"[a-z0-9]+(?:[-'][a-z0-9]+)*", text.lower().replace("’", "'"))


def _singular(word: str) -> str:
    """A light plural fold (photos → photo) so 'photo' in the thesaurus matches 'photos'."""
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def parse_thesaurus(text: str) -> Thesaurus:
    """Read thesaurus TOML: a ``[terms]`` table of ``"everyday phrase" = ["policy term", ...]``."""
    data = tomllib.loads(text)
    terms = data.get("terms", {})
    entries = []
    for phrase, expansions in terms.items():
        if not isinstance(expansions, list) or not all(isinstance(e, str) for e in expansions):
            raise ValueError(f"Thesaurus entry {phrase!r} must be a list of strings.")
        entries.append((tuple(_plain_words(phrase)), tuple(expansions)))
    return Thesaurus(tuple(entries))


@lru_cache(maxsize=1)
def default_thesaurus() -> Thesaurus:
    """The reviewed thesaurus shipped with the package (retrieval/data/thesaurus.toml)."""
    return parse_thesaurus(resources.files("retrieval").joinpath("data/thesaurus.toml").read_text("utf-8"))


PREFIX_LENGTH = 6
_AFFIX = re.compile(r"^(?:un|re|dis)")
# BM25 parameters chosen on the dev and held-out questions together (benchmarks/quality.py):
# a lower length normalisation (b) suits clauses, whose length says little about relevance.
BM25_K1 = 1.2
BM25_B = 0.5
# Zipf frequency of a word in general English (wordfreq): about 7 for "the", 3 for "grievance".
_MAX_ZIPF = 7.0


def _rarity(word: str) -> float:
    from wordfreq import zipf_frequency

    return max(0.0, _MAX_ZIPF - zipf_frequency(word, "en"))


def foreign_share(
    question: str,
    knows: Callable[[str], bool],
    thesaurus: Thesaurus,
    *,
    matched: Sequence[Entry] | None = None,
) -> float:
    """Rarity-weighted share of the question's words that the corpus never uses.

    'How many weeks of maternity leave?' puts most of its weight on 'maternity', a word no
    social-media policy contains: the question is about something else, however close an
    embedding finds some clause. Words the thesaurus translates count as known.
    """
    entries = thesaurus.matches(question) if matched is None else matched
    translated = {w for phrase, _ in entries for w in phrase}
    total = unknown = 0.0
    for word in _plain_words(question):
        tokens = tokenize(word)
        if not tokens or len(word) < 3:
            continue
        weight = _rarity(word)
        total += weight
        if word not in translated and not knows(tokens[0]):
            unknown += weight
    return unknown / total if total else 0.0


class LexicalIndex:
    """BM25 (Lucene variant, via bm25s) over tokenised texts; scores for every text at once."""

    def __init__(
        self,
        texts: Sequence[str],
        *,
        extras: Sequence[str] = (),
        k1: float = BM25_K1,
        b: float = BM25_B,
    ) -> None:
        """Index ``texts``; ``extras[i]``, when given, is matched as part of text i but is not the
        corpus's own wording (``knows`` and ``vocabulary`` ignore it)."""
        import bm25s

        # bm25s sets its own logger to DEBUG at import, which floods the CLI's stderr.
        logging.getLogger("bm25s").setLevel(logging.WARNING)
        self._vocab: dict[str, int] = {}
        corpus_ids = []
        for text in texts:
            corpus_ids.append([self._vocab.setdefault(token, len(self._vocab)) for token in tokenize(text)])
        self._own = frozenset(self._vocab)
        for ids, extra in zip(corpus_ids, extras, strict=False):
            ids.extend(self._vocab.setdefault(token, len(self._vocab)) for token in tokenize(extra))
        self._size = len(texts)
        self._prefixes = frozenset(t[:PREFIX_LENGTH] for t in self._own if len(t) >= PREFIX_LENGTH)
        self._bm25 = bm25s.BM25(k1=k1, b=b)
        if self._size and self._vocab:
            self._bm25.index(
                bm25s.tokenization.Tokenized(ids=corpus_ids, vocab=self._vocab), show_progress=False
            )

    @property
    def vocabulary(self) -> frozenset[str]:
        return self._own

    def knows(self, token: str) -> bool:
        """Whether the corpus uses this stemmed word or a longer form of it ('disciplin', 'disciplinari')."""
        if self._known_form(token):
            return True
        # "unfriend", "repost", "disallow": the corpus knows the word without its prefix.
        bare = _AFFIX.sub("", token)
        return bare != token and len(bare) >= 4 and self._known_form(bare)

    def _known_form(self, token: str) -> bool:
        if token in self._own:
            return True
        return len(token) >= PREFIX_LENGTH and token[:PREFIX_LENGTH] in self._prefixes

    def scores(self, query_tokens: Sequence[str], weights: Sequence[float] | None = None) -> np.ndarray:
        """BM25 score of each text for the query tokens; optional per-token weights."""
        total = np.zeros(self._size, dtype=np.float32)
        if not self._vocab:
            return total
        weights = weights if weights is not None else [1.0] * len(query_tokens)
        per_token: dict[str, float] = {}
        for token, weight in zip(query_tokens, weights, strict=True):
            if token in self._vocab:
                per_token[token] = max(per_token.get(token, 0.0), weight)
        for token, weight in per_token.items():
            total += weight * np.asarray(self._bm25.get_scores([token]), dtype=np.float32)
        return total


def rarity_weights(tokens: Iterable[str], texts: Sequence[str], *, floor: int) -> dict[str, float]:
    """Each token's weight among these texts: the fewer texts use it, the more it counts (pure).

    The count is at least ``floor`` texts, so among a handful of texts no word is "rare" by default.
    """
    frequency = Counter(token for text in texts for token in set(tokenize(text)))
    total = max(len(texts), floor)
    return {token: math.log(1 + total / (1 + frequency[token])) for token in set(tokens)}


def shared_words(query: str, texts: Sequence[str], *, floor: int = 3) -> list[float]:
    """How much of the query each text shares, each word weighted by its rarity among the texts (pure)."""
    asked = set(tokenize(query))
    weights = rarity_weights(asked, texts, floor=floor)
    return [sum(weights[t] for t in asked & set(tokenize(text))) for text in texts]
