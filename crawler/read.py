"""Read the articles out of a page store (no network): the input of `vnfacts extract` / `load`."""
from __future__ import annotations

import json
from pathlib import Path
from typing import IO, Iterator

import yaml

from .article import Article, extract_article
from .profile import Profile, load_profile, profile_from_dict
from .store import PageStore, StoreError


def store_profile(store_dir: str | Path) -> Profile:
    path = Path(store_dir) / "profile.yaml"
    if not path.exists():
        raise StoreError(f"{store_dir}: no profile.yaml; give --profile")
    return profile_from_dict(yaml.safe_load(path.read_text(encoding="utf-8")), str(path))


def iter_articles(store_dir: str | Path, profile: Profile | str | None = None) -> Iterator[Article]:
    """Articles of every stored page that is one: for a site profile, the pages its `articles`
    patterns name; for the generic profile, the pages trafilatura finds an article in.
    Each id once (the first stored wins)."""
    with PageStore(store_dir) as store:
        if isinstance(profile, str):
            profile = load_profile(profile)
        profile = profile or store_profile(store_dir)
        seen: set[str] = set()
        for page in store.pages():
            if not 200 <= page.status < 300:
                continue
            if not profile.generic and profile.classify(page.final_url) != "article":
                continue
            article = extract_article(page.body, page.final_url, profile, page.content_type, page.fetched_at)
            if article is None or article.id in seen:
                continue
            seen.add(article.id)
            yield article


def write_articles(store_dir: str | Path, out: IO[str], profile: Profile | str | None = None) -> int:
    n = 0
    for article in iter_articles(store_dir, profile):
        out.write(json.dumps(article.to_json(), ensure_ascii=False) + "\n")
        n += 1
    return n
