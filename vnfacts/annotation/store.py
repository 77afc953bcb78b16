"""The ``annotations/`` folder: read what is there, add imported documents without overwriting.

An imported document whose id is already annotated somewhere in the folder is compared with it:
the same facts and events -> nothing to do; different -> a conflict, reported span by span and
never written over. Every write replaces the output file in one step (write, then rename), so an
import that stops half-way leaves the file as it was.
"""
from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

from vnfacts.extractor.evaluate import read_jsonl  # one reader for annotation files, re-exported here

from .schema import Problem


def existing_annotations(folder: Path, skip: Iterable[Path] = ()) -> dict[str, tuple[dict[str, Any], Path]]:
    """Document id -> (document, file) for every ``*.jsonl`` in ``folder``."""
    skipped = {Path(p).resolve() for p in skip}
    found: dict[str, tuple[dict[str, Any], Path]] = {}
    if folder.is_dir():
        for path in sorted(folder.glob("*.jsonl")):
            if path.resolve() in skipped:
                continue
            for doc in read_jsonl(path):
                if isinstance(doc.get("id"), str):
                    found.setdefault(doc["id"], (doc, path))
    return found


def differences(old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    """How ``new`` differs from ``old``: spans removed, added, relabelled or with another norm; events."""
    out = []
    if old.get("text") != new.get("text"):
        out.append("the text differs")
    old_spans = {(e["start"], e["end"]): e for e in old.get("entities", [])}
    new_spans = {(e["start"], e["end"]): e for e in new.get("entities", [])}
    for key in sorted(old_spans.keys() | new_spans.keys()):
        a, b = old_spans.get(key), new_spans.get(key)
        if a and not b:
            out.append(f"span {key[0]}-{key[1]} {a['label']} {a.get('text')!r} is not in the import")
        elif b and not a:
            out.append(f"span {key[0]}-{key[1]} {b['label']} {b.get('text')!r} is new")
        elif a["label"] != b["label"]:
            out.append(f"span {key[0]}-{key[1]} {a.get('text')!r}: label {a['label']} -> {b['label']}")
        elif a.get("norm") != b.get("norm"):
            out.append(f"span {key[0]}-{key[1]} {a['label']} {a.get('text')!r}: norm "
                       f"{json.dumps(a.get('norm'), ensure_ascii=False)} -> {json.dumps(b.get('norm'), ensure_ascii=False)}")
    if (old.get("events") or []) != (new.get("events") or []):
        out.append("the events differ")
    return out


@dataclass
class MergeReport:
    added: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    replaced: list[str] = field(default_factory=list)
    conflicts: list[Problem] = field(default_factory=list)


def plan_merge(out_path: Path, docs: list[dict[str, Any]], folder: Path, replace: bool = False) -> tuple[list[dict[str, Any]], MergeReport]:
    """The output file's new content and what it means, without writing anything.

    ``replace`` lets an imported document replace its earlier version *in the output file only*;
    a document annotated in another file of the folder (a gold batch) is never replaced from here.
    """
    report = MergeReport()
    current = read_jsonl(out_path) if out_path.exists() else []
    position = {d.get("id"): i for i, d in enumerate(current)}
    elsewhere = existing_annotations(folder, skip=[out_path])
    for doc in docs:
        doc_id = doc["id"]
        if doc_id in position:
            old, where = current[position[doc_id]], out_path
        elif doc_id in elsewhere:
            old, where = elsewhere[doc_id]
        else:
            current.append(doc)
            position[doc_id] = len(current) - 1
            report.added.append(doc_id)
            continue
        diff = differences(old, doc)
        if not diff:
            report.unchanged.append(doc_id)
        elif replace and where == out_path:
            current[position[doc_id]] = doc
            report.replaced.append(doc_id)
        else:
            for line in diff:
                report.conflicts.append(Problem(f"doc {doc_id} (already in {where})", line))
    return current, report


def write_jsonl(path: Path, docs: list[dict[str, Any]]) -> None:
    """Replace ``path`` with ``docs`` in one step."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=path.name + ".", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            for doc in docs:
                f.write(json.dumps(doc, ensure_ascii=False) + "\n")
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
