"""vnfacts: structured, searchable facts from Vietnamese social-affairs news.

The Python API mirrors the `vnfacts` command: each sub-command is a function here, imported
lazily so that ``import vnfacts`` stays cheap.
"""
from __future__ import annotations

import importlib

__version__ = "0.1.0"

_API = {
    "extract": "extractor.pipeline:extract",
    "extract_documents": "vnfacts.api:extract_documents",
    "extract_to": "vnfacts.api:extract_to",
    "read_documents": "extractor.inputs:read_documents",
    "clean_text": "extractor.clean:clean_text",
    "evaluate": "extractor.evaluate:evaluate",
    "Document": "extractor.models:Document",
    "train": "extractor.train:train",
    "load_documents": "publish.load:load_documents",
    "search": "publish.search:search",
    "serve": "publish.serve:serve",
    "Site": "publish.serve:Site",
    "annotation_config": "vnfacts.annotation.labelstudio:labelling_config",
    "annotation_tasks": "vnfacts.annotation.loop:build_tasks",
    "import_annotations": "vnfacts.annotation.loop:import_file",
    "push_annotation_tasks": "vnfacts.annotation.loop:push",
    "pull_annotations": "vnfacts.annotation.loop:pull",
    "parse_citation_query": "extractor.cite:parse_citation_query",
    "candidate_ids": "extractor.cite:candidate_ids",
    "crawl": "crawler.run:crawl",
    "load_profile": "crawler.profile:load_profile",
    "iter_articles": "crawler.read:iter_articles",
    "crawl_bundled_corpus": "crawler.demo:crawl_bundled_corpus",
}


def __getattr__(name: str):
    try:
        module, attr = _API[name].split(":")
    except KeyError:
        raise AttributeError(f"module 'vnfacts' has no attribute {name!r}") from None
    return getattr(importlib.import_module(module), attr)


def __dir__():
    return sorted(list(globals()) + list(_API))
