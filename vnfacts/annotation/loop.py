"""The annotation loop as Python functions, one per `vnfacts annotate` sub-command:
tasks out (file or API), annotations back in (file or API), into ``annotations/``."""
from __future__ import annotations

import importlib.resources
import hashlib
import json
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Iterable

from vnfacts.extractor.resources import home

from .client import LabelStudio, LabelStudioError
from .labelstudio import ImportResult, export_tasks, labelling_config, read_export
from .schema import Problem
from .store import MergeReport, existing_annotations, plan_merge, read_jsonl, write_jsonl

DEFAULT_ANNOTATIONS = Path("annotations")
DEFAULT_OUTPUT = DEFAULT_ANNOTATIONS / "labelstudio.jsonl"
DEFAULT_ARTICLES = "corpus/articles.jsonl"  # in the vnfacts home (extractor.resources.user_path)


def default_model_version() -> str:
    """Names the extractor that made the predictions: package version + a hash of its data files,
    so predictions made by different rules or models are told apart in Label Studio."""
    import vnfacts
    from vnfacts.extractor.resources import models_dir

    digest = hashlib.sha256()
    data = sorted((p for p in importlib.resources.files("vnfacts.extractor").joinpath("data").iterdir() if p.is_file()),
                  key=lambda p: p.name)
    models = models_dir()
    trained = sorted(p for p in models.rglob("*.json") if p.is_file()) if models and models.is_dir() else []
    for path in data + trained:
        digest.update(path.name.encode() + path.read_bytes())
    return f"vnfacts-{vnfacts.__version__}-{digest.hexdigest()[:10]}"


def _document_dict(doc) -> dict[str, Any]:
    return {"id": doc.id, "text": doc.text, "published": doc.published, "source": doc.source}


def build_tasks(inputs: Iterable[str | Path] = (), gold: str | Path | None = None, predict: bool = True,
                model_version: str | None = None) -> tuple[list[dict[str, Any]], list[str]]:
    """Label Studio tasks for ``inputs`` (with the extractor's output as predictions) and/or the
    documents of a gold file (as completed annotations). Returns the tasks and the documents that
    could not be read or extracted, by id."""
    from vnfacts.extractor.inputs import read_documents
    from vnfacts.extractor.pipeline import DocumentError, extract_many

    errors: list[str] = []
    docs: list[dict[str, Any]] = []
    extractions: dict[str, dict[str, Any]] = {}
    gold_docs: dict[str, dict[str, Any]] = {}
    if gold is not None:
        for doc in read_jsonl(Path(gold)):
            gold_docs[doc["id"]] = doc
    inputs = list(inputs)
    for item in read_documents(inputs):
        if isinstance(item, DocumentError):
            errors.append(str(item))
        else:
            docs.append(_document_dict(item))
    if not inputs:  # tasks are the gold documents themselves
        docs = [{k: d.get(k) for k in ("id", "text", "published", "source")} for d in gold_docs.values()]
    if predict and docs:
        from vnfacts.extractor.models import Document

        for result in extract_many(Document(id=d["id"], text=d["text"], published=d.get("published"),
                                            source=d.get("source")) for d in docs):
            if isinstance(result, DocumentError):
                errors.append(str(result))
            else:
                extractions[result.id] = result.to_json()
    for doc in docs:
        if doc["id"] in gold_docs and gold_docs[doc["id"]]["text"] != doc["text"]:
            errors.append(f"{doc['id']}: the gold document's text differs from the input's; gold not attached")
            del gold_docs[doc["id"]]
    tasks = export_tasks(docs, extractions if predict else None, gold_docs, model_version or default_model_version())
    return tasks, errors


def article_texts(articles: Iterable[str | Path], annotations_dir: Path) -> dict[str, str]:
    """Document id -> text as stored: the corpus files, then what ``annotations/`` holds."""
    texts: dict[str, str] = {}
    for path in articles:
        path = Path(path)
        if not path.exists() and str(path) == DEFAULT_ARTICLES and home() is not None:
            path = home() / path  # the bundled corpus of the checkout or $VNFACTS_HOME
        if path.exists():
            for doc in read_jsonl(path):
                if isinstance(doc.get("id"), str) and isinstance(doc.get("text"), str):
                    texts.setdefault(doc["id"], doc["text"])
    for doc_id, (doc, _) in existing_annotations(annotations_dir).items():
        if isinstance(doc.get("text"), str):
            texts.setdefault(doc_id, doc["text"])
    return texts


@dataclass
class ImportOutcome:
    """What `vnfacts annotate import` did: nothing is written unless there is no problem at all
    (with ``skip_conflicts``, conflicting documents are left out and the rest is written)."""

    read: ImportResult
    merge: MergeReport | None = None
    written: bool = False
    output: Path | None = None
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def lines(self) -> list[str]:
        out = [f"problem: {p}" for p in self.problems]
        out += [f"note: {n}" for n in self.read.notes]
        if self.merge:
            m = self.merge
            out.append(f"{len(self.read.documents)} annotated documents read: {len(m.added)} new, "
                       f"{len(m.unchanged)} unchanged, {len(m.replaced)} replaced, "
                       f"{len({c.where for c in m.conflicts})} in conflict")
        out.append(f"written to {self.output}" if self.written else "nothing written")
        return out


def import_export(export: Any, output: Path = DEFAULT_OUTPUT, annotations_dir: Path = DEFAULT_ANNOTATIONS,
                  articles: Iterable[str | Path] = (DEFAULT_ARTICLES,), users: dict[Any, str] | None = None,
                  annotator: str | None = None, replace: bool = False, skip_conflicts: bool = False,
                  dry_run: bool = False) -> ImportOutcome:
    """Read a Label Studio JSON export (already parsed) into ``output`` under ``annotations_dir``."""
    output, annotations_dir = Path(output), Path(annotations_dir)
    texts = article_texts(articles, annotations_dir)
    read = read_export(export, texts, users, annotator)
    outcome = ImportOutcome(read=read, output=output, problems=list(read.problems))
    if read.problems:
        return outcome
    imported_at = datetime.now(timezone.utc).isoformat(timespec="seconds").replace("+00:00", "Z")
    for doc in read.documents:
        doc["provenance"]["imported_at"] = imported_at
    content, merge = plan_merge(output, read.documents, annotations_dir, replace=replace)
    outcome.merge = merge
    if merge.conflicts and not skip_conflicts:
        outcome.problems.extend(merge.conflicts)
        return outcome
    if merge.conflicts:
        read.notes.extend(str(c) for c in merge.conflicts)
    if (merge.added or merge.replaced) and not dry_run:
        write_jsonl(output, content)
        outcome.written = True
    return outcome


def import_file(path: str | Path, **kwargs) -> ImportOutcome:
    """`vnfacts annotate import EXPORT.json`."""
    path = Path(path)
    try:
        export = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as err:
        return ImportOutcome(read=ImportResult(), problems=[Problem(str(path), f"cannot read: {err}")])
    except json.JSONDecodeError as err:
        return ImportOutcome(read=ImportResult(), problems=[Problem(str(path), f"not JSON: {err.msg} at line {err.lineno}")])
    except RecursionError:  # valid JSON, but lists or objects nested thousands deep: no export
        return ImportOutcome(read=ImportResult(), problems=[Problem(str(path), "not a Label Studio export: "
                                                                               "lists or objects nested too deeply to read")])
    except ValueError as err:  # e.g. a number of more than 4,300 digits, which Python refuses to read
        return ImportOutcome(read=ImportResult(), problems=[Problem(str(path), f"cannot read: {err}")])
    return import_export(export, **kwargs)


def push(client: LabelStudio, tasks: list[dict[str, Any]], project: int | None = None,
         title: str = "vnfacts facts") -> tuple[int, int]:
    """Create a project with the generated config (unless ``project`` is given) and import the
    tasks with their predictions. Returns (project id, tasks imported)."""
    if project is None:
        project = client.create_project(title, labelling_config(),
                                        "Correct the extractor's facts; see annotations/ANNOTATION_GUIDE.md")["id"]
    for task in tasks:  # ids and empty lists are an export's, not an import's
        task.pop("id", None)
        # Label Studio files imported annotations under the importing user (it refuses an unknown
        # completed_by); who made a gold annotation stays in annotations/, not in the tool.
        task["annotations"] = [{k: a[k] for k in ("result", "was_cancelled", "ground_truth") if k in a}
                               for a in task.get("annotations") or []]
        if not task["annotations"]:
            del task["annotations"]
    reply = client.import_tasks(project, tasks)
    return project, int(reply.get("task_count", len(tasks)))


def pull(client: LabelStudio, project: int, save_export: Path | None = None, **kwargs) -> ImportOutcome:
    """Export the project through the API and import it, recording annotators by e-mail."""
    export = client.export(project)
    if save_export:
        Path(save_export).write_text(json.dumps(export, ensure_ascii=False, indent=1), encoding="utf-8")
    try:
        users = client.users()
    except LabelStudioError:  # a token that may not list users: annotators stay Label Studio user ids
        users = {}
    return import_export(export, users=users, **kwargs)
