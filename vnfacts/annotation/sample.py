"""Documents to annotate next: a seeded sample stratified by section, none annotated already.

    sample_for_annotation(["../shared/corpus/baomoi-all.jsonl.gz"], per_section=10)

Each section (read by :mod:`vnfacts.annotation.sections`) gives up to ``per_section`` documents of a
length an annotator can read in one sitting. The order within a section is a hash of the seed and
the document id, so a sample is the same on every machine and growing ``per_section`` only adds
documents. Documents already in the annotations folder, and texts that repeat one already chosen
(the corpus holds reposts), are skipped.
"""
from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from vnfacts.annotation.sections import read_section
from vnfacts.extractor.inputs import read_documents
from vnfacts.extractor.models import Document
from vnfacts.extractor.pipeline import DocumentError


@dataclass(frozen=True)
class SampledDocument:
    document: Document
    section: str

    def record(self) -> dict:
        d = self.document
        return {"id": d.id, "title": d.title, "text": d.text, "published": d.published, "source": d.source,
                "url": d.url, "section": self.section}


def annotated_ids(folder: str | Path) -> set[str]:
    """Ids of every document annotated in ``folder`` (``*.jsonl``, recursively): a guide-format
    document names itself (``id``), an annotated sentence its document (``doc``)."""
    ids: set[str] = set()
    for path in sorted(Path(folder).rglob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").split("\n"):
            if line.strip():
                record = json.loads(line)
                doc_id = record.get("id", record.get("doc"))
                if doc_id is not None:
                    ids.add(doc_id)
    return ids


def _rank(seed: int, doc_id: str) -> str:
    return hashlib.sha256(f"{seed}:{doc_id}".encode()).hexdigest()


def sample_for_annotation(inputs: Iterable[str | Path], per_section: int, seed: int = 0,
                          min_chars: int = 700, max_chars: int = 3500, exclude: set[str] = frozenset(),
                          sections: Iterable[str] | None = None) -> tuple[list[SampledDocument], list[DocumentError]]:
    """Up to ``per_section`` documents of each section (all sections, or only ``sections``), in
    section order then rank order, with the input's unreadable documents as errors."""
    wanted = set(sections) if sections is not None else None
    candidates: dict[str, list[tuple[str, SampledDocument]]] = {}
    errors: list[DocumentError] = []
    for item in read_documents(inputs):
        if isinstance(item, DocumentError):
            errors.append(item)
            continue
        if item.id in exclude or not min_chars <= len(item.text) <= max_chars:
            continue
        section = read_section(item.title, item.text).code
        if wanted is None or section in wanted:
            candidates.setdefault(section, []).append((_rank(seed, item.id), SampledDocument(item, section)))
    chosen: list[SampledDocument] = []
    seen_texts: set[str] = set()
    for section in sorted(candidates):
        taken = 0
        for _, sampled in sorted(candidates[section], key=lambda pair: pair[0]):
            if taken == per_section:
                break
            fingerprint = " ".join(sampled.document.text.split())[:400]
            if fingerprint in seen_texts:
                continue
            seen_texts.add(fingerprint)
            chosen.append(sampled)
            taken += 1
    return chosen, errors
