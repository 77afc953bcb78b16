"""Fixtures for the storage and publishing tests: a database built from the bundled corpus, a real
Datasette serving it on 127.0.0.1, and headless Chromium (Debian's, installed by `make chromium`)."""
from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest

from vnfacts.publish.load import load_documents
from vnfacts.publish.serve import Site
from publish_helpers import ARTIFACTS, CHROMIUM, CORPUS


@pytest.fixture(scope="session")
def corpus_db(tmp_path_factory) -> Path:
    """The bundled corpus loaded once into a fresh database (read-only for the tests)."""
    path = tmp_path_factory.mktemp("db") / "vnfacts.db"
    summary = load_documents(path, [CORPUS])
    assert summary.failed == 0, summary.errors
    return path


@pytest.fixture
def db(corpus_db):
    conn = sqlite3.connect(f"file:{corpus_db}?mode=ro", uri=True)
    conn.row_factory = sqlite3.Row
    yield conn
    conn.close()


@pytest.fixture(scope="session")
def site(corpus_db):
    with Site(corpus_db) as running:
        yield running


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        reason = (f"{CHROMIUM} is missing and could not be installed here (Debian's `chromium` needs root and "
                  f"apt-get: run `make chromium`, scripts/ensure-chromium.sh)")
        if os.environ.get("CI"):
            pytest.fail(reason + "; CI must run the browser tests")
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(
            executable_path=CHROMIUM, headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--no-first-run"])
        yield chromium
        chromium.close()
