"""vnfacts: structured, searchable facts from Vietnamese social-affairs news.

The Python API mirrors the `vnfacts` command: each sub-command is a function here, imported
lazily so that ``import vnfacts`` stays cheap.
"""
from __future__ import annotations

import importlib

__version__ = "0.1.0"

_API = {
    "extract": "vnfacts.extractor.pipeline:extract",
    "extract_documents": "vnfacts.api:extract_documents",
    "extract_to": "vnfacts.api:extract_to",
    "read_documents": "vnfacts.extractor.inputs:read_documents",
    "clean_text": "vnfacts.extractor.clean:clean_text",
    "evaluate": "vnfacts.extractor.evaluate:evaluate",
    "Document": "vnfacts.extractor.models:Document",
    "train": "vnfacts.extractor.train:train",
    "train_vectors": "vnfacts.extractor.vectors:train_vectors",
    "prepare_vectors_corpus": "vnfacts.extractor.vectors:prepare_corpus",
    "extract_partition": "vnfacts.extractor.distributed:extract_partition",
    "read_extractions": "vnfacts.extractor.extractions:read_extractions",
    "load_documents": "vnfacts.publish.load:load_documents",
    "load_extracted": "vnfacts.publish.load:load_extracted",
    "search": "vnfacts.publish.search:search",
    "serve": "vnfacts.publish.serve:serve",
    "Site": "vnfacts.publish.serve:Site",
    "annotation_config": "vnfacts.annotation.labelstudio:labelling_config",
    "annotation_tasks": "vnfacts.annotation.loop:build_tasks",
    "import_annotations": "vnfacts.annotation.loop:import_file",
    "push_annotation_tasks": "vnfacts.annotation.loop:push",
    "pull_annotations": "vnfacts.annotation.loop:pull",
    "parse_citation_query": "vnfacts.extractor.cite:parse_citation_query",
    "candidate_ids": "vnfacts.extractor.cite:candidate_ids",
    "crawl": "vnfacts.crawler.run:crawl",
    "load_profile": "vnfacts.crawler.profile:load_profile",
    "iter_articles": "vnfacts.crawler.read:iter_articles",
    "crawl_bundled_corpus": "vnfacts.crawler.demo:crawl_bundled_corpus",
}


def __getattr__(name: str):
    try:
        module, attr = _API[name].split(":")
    except KeyError:
        raise AttributeError(f"module 'vnfacts' has no attribute {name!r}") from None
    return getattr(importlib.import_module(module), attr)


def __dir__():
    return sorted(list(globals()) + list(_API))
