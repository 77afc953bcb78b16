"""Label Studio's formats, both ways: the labelling config, tasks with pre-annotations, and the
JSON export read back into guide-format documents.

One fact is one region: a ``labels`` result (the span and its label) and a per-region ``textarea``
result with the same region id holding the fact's norm as a JSON object, which the annotator edits
beside the span. The document's events are one document-level ``textarea`` holding a JSON list.
Label Studio counts offsets in JavaScript string units (UTF-16), Python in code points: the two
differ after a character outside the Basic Multilingual Plane (an emoji), so offsets are converted
on the way out and back.
"""
from __future__ import annotations

import bisect
import importlib.resources
import hashlib
import json
import re
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Iterable
from xml.sax.saxutils import quoteattr

import yaml

from vnfacts.extractor.models import LABELS

from .schema import Problem, check_document, empty_norm, span_name

LABELS_NAME = "label"  # from_name of the span labels
NORM_NAME = "norm"  # from_name of the per-region norm text field
EVENTS_NAME = "events"  # from_name of the document-level events text field
TEXT_NAME = "text"  # to_name: the article text

# Each label's one-line definition, copied from the guide's headings into package data so that an
# installed vnfacts makes the same config without a checkout (tests/annotation: kept equal to the guide).
LABEL_HINTS_FILE = importlib.resources.files("vnfacts.annotation").joinpath("label_hints.yaml")
# One colour per label, stable so that screenshots and habits carry over between projects.
COLOURS = {"LEGAL_REF": "#d62728", "PROGRAM": "#9467bd", "DATE": "#2ca02c", "FIGURE": "#ff7f0e",
           "ORG": "#1f77b4", "LOC": "#17becf"}


# ---------------------------------------------------------------------------------------------
# Offsets: Python code points <-> JavaScript UTF-16 units


class OffsetMap:
    """Converts offsets of one text between code points and UTF-16 units."""

    def __init__(self, text: str):
        # positions (code points) of characters that take two UTF-16 units
        self.astral = [i for i, ch in enumerate(text) if ord(ch) > 0xFFFF]
        self.js_astral = [i + k for k, i in enumerate(self.astral)]  # the same, in UTF-16 units

    def to_js(self, i: int) -> int:
        return i + bisect.bisect_left(self.astral, i)

    def from_js(self, j: int) -> int | None:
        """The code-point offset of UTF-16 offset ``j``; None if ``j`` falls inside a surrogate pair."""
        before = bisect.bisect_right(self.js_astral, j - 1)  # astral characters starting before j
        if before and self.js_astral[before - 1] == j - 1:
            return None  # j splits a surrogate pair
        return j - before


# ---------------------------------------------------------------------------------------------
# The labelling config


def label_hints(guide: Path | None = None) -> dict[str, str]:
    """Each label's one-line definition from the guide's headings (``### ORG: a specific named ...``);
    without a guide, the copy shipped in the package."""
    if guide is None:
        return dict(yaml.safe_load(LABEL_HINTS_FILE.read_text(encoding="utf-8")))
    hints = {}
    for m in re.finditer(r"^###\s+([A-Z_]+):\s*(.+)$", Path(guide).read_text(encoding="utf-8"), re.M):
        if m.group(1) in LABELS:
            hints[m.group(1)] = m.group(2).strip()
    return hints


def labelling_config(guide: Path | None = None) -> str:
    """Label Studio's XML labelling config generated from the guide's labels."""
    hints = label_hints(guide)
    labels = "\n".join(
        f'    <Label value="{label}" background="{COLOURS.get(label, "#7f7f7f")}"'
        f' hint={quoteattr(hints.get(label, label))}/>' for label in LABELS)
    templates = "; ".join(f"{label} {json.dumps(empty_norm(label), ensure_ascii=False)}" for label in LABELS)
    return f"""<View>
  <Header value="Facts: one span per fact (ANNOTATION_GUIDE.md). Spans never overlap."/>
  <Labels name="{LABELS_NAME}" toName="{TEXT_NAME}" showInline="true">
{labels}
  </Labels>
  <Text name="{TEXT_NAME}" value="$text" granularity="symbol"/>
  <View visibleWhen="region-selected">
    <Header value="Norm of the selected span (a JSON object with the label's fields)"/>
    <TextArea name="{NORM_NAME}" toName="{TEXT_NAME}" perRegion="true" editable="true"
              maxSubmissions="1" rows="3" placeholder={quoteattr(templates)}/>
  </View>
  <Header value="Events of the article (a JSON list; the main event first)"/>
  <TextArea name="{EVENTS_NAME}" toName="{TEXT_NAME}" editable="true" maxSubmissions="1" rows="6"/>
</View>
"""


# ---------------------------------------------------------------------------------------------
# Guide-format documents -> Label Studio results and tasks


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def results_from_entities(doc_id: str, text: str, entities: Iterable[dict[str, Any]],
                          events: list[dict[str, Any]] | None) -> list[dict[str, Any]]:
    """Label Studio result items for a document's facts (and its events, unless None)."""
    offsets = OffsetMap(text)
    results = []
    for i, entity in enumerate(entities):
        region = f"{_short_hash(doc_id)}-{i}"
        start, end = offsets.to_js(entity["start"]), offsets.to_js(entity["end"])
        span = {"start": start, "end": end, "text": text[entity["start"]:entity["end"]]}
        results.append({"id": region, "from_name": LABELS_NAME, "to_name": TEXT_NAME, "type": "labels",
                        "origin": "prediction", "value": {**span, "labels": [entity["label"]]}})
        results.append({"id": region, "from_name": NORM_NAME, "to_name": TEXT_NAME, "type": "textarea",
                        "origin": "prediction", "value": {**span, "text": [_dumps(entity.get("norm") or {})]}})
    if events is not None:
        results.append({"id": f"{_short_hash(doc_id)}-events", "from_name": EVENTS_NAME, "to_name": TEXT_NAME,
                        "type": "textarea", "origin": "prediction", "value": {"text": [_dumps(events)]}})
    return results


def _short_hash(value: str) -> str:
    return hashlib.sha1(value.encode("utf-8")).hexdigest()[:8]


def task_data(doc: dict[str, Any]) -> dict[str, Any]:
    """A task's ``data``: the article itself, so an export can be checked against it."""
    return {"id": doc["id"], "text": doc["text"], "published": doc.get("published"), "source": doc.get("source")}


def prediction_task(doc: dict[str, Any], extraction: dict[str, Any], model_version: str) -> dict[str, Any]:
    """A task whose pre-annotation is the extractor's output (`vnfacts extract` JSON of ``doc``)."""
    entities = [{k: e[k] for k in ("start", "end", "label", "text", "norm")} for e in extraction["entities"]]
    events = [{k: v for k, v in ev.items() if k != "sentence"} for ev in extraction.get("events", [])]
    return {"data": task_data(doc),
            "predictions": [{"model_version": model_version,
                             "result": results_from_entities(doc["id"], doc["text"], entities, events)}]}


def annotation_record(doc: dict[str, Any], now: str) -> dict[str, Any]:
    """A gold document as one completed annotation, shaped like Label Studio's JSON export."""
    prov = doc.get("provenance") or {}
    return {"completed_by": prov.get("annotator") or "gold",
            "result": results_from_entities(doc["id"], doc["text"], doc["entities"], doc.get("events") or []),
            "was_cancelled": False, "ground_truth": False,
            "created_at": prov.get("created_at") or now, "updated_at": prov.get("updated_at") or now,
            "lead_time": None}


def export_tasks(docs: list[dict[str, Any]], extractions: dict[str, dict[str, Any]] | None = None,
                 gold: dict[str, dict[str, Any]] | None = None, model_version: str = "") -> list[dict[str, Any]]:
    """Tasks for ``docs``: the extractor's output as predictions where ``extractions`` has the doc,
    gold documents as annotations where ``gold`` has it. Ids are numbered like an export's."""
    now = datetime.now(timezone.utc).isoformat(timespec="seconds").replace("+00:00", "Z")
    tasks = []
    for n, doc in enumerate(docs, 1):
        task: dict[str, Any] = {"id": n, "data": task_data(doc), "annotations": [], "predictions": []}
        if extractions and doc["id"] in extractions:
            task["predictions"] = prediction_task(doc, extractions[doc["id"]], model_version)["predictions"]
        if gold and doc["id"] in gold:
            record = annotation_record(gold[doc["id"]], now)
            task["annotations"] = [{"id": n, **record}]
        tasks.append(task)
    return tasks


# ---------------------------------------------------------------------------------------------
# Label Studio JSON export -> guide-format documents


@dataclass
class ImportResult:
    """What reading an export found: documents to store, problems, and what was left out and why."""

    documents: list[dict[str, Any]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # tasks left out on purpose (no annotation yet...)


def _annotator(record: dict[str, Any], users: dict[Any, str]) -> str:
    who = record.get("completed_by")
    if isinstance(who, dict):
        return who.get("email") or str(who.get("id"))
    return users.get(who, str(who)) if who is not None else "unknown"


def _parse_json_text(value: Any, expect: type, where: str, what: str, problems: list[Problem]) -> Any:
    texts = value.get("text") if isinstance(value, dict) else None
    if not isinstance(texts, list) or len(texts) != 1 or not isinstance(texts[0], str):
        problems.append(Problem(where, f"{what} must be exactly one text entry, got {texts!r}"))
        return None
    try:
        parsed = json.loads(texts[0])
    except json.JSONDecodeError as err:
        problems.append(Problem(where, f"{what} is not valid JSON ({err.msg} at column {err.colno}): {texts[0]!r}"))
        return None
    if not isinstance(parsed, expect):
        problems.append(Problem(where, f"{what} must be a JSON {expect.__name__}, got {texts[0]!r}"))
        return None
    return parsed


def document_from_results(data: dict[str, Any], results: list[dict[str, Any]], where: str) -> tuple[dict[str, Any], list[Problem], list[str]]:
    """One annotation's result list -> a guide-format document, its problems and its warnings."""
    text = data["text"]
    offsets = OffsetMap(text)
    problems: list[Problem] = []
    warnings: list[str] = []
    spans: dict[str, dict[str, Any]] = {}
    norms: dict[str, tuple[dict[str, Any], dict[str, Any]]] = {}
    events = None
    for item in results:
        kind, name, value = item.get("type"), item.get("from_name"), item.get("value") or {}
        region = item.get("id")
        if kind == "labels" and name == LABELS_NAME:
            if region in spans:
                problems.append(Problem(f"{where}, region {region}", "two spans share one region id"))
            spans[region] = item
        elif kind == "textarea" and name == NORM_NAME:
            norms[region] = (item, value)
        elif kind == "textarea" and name == EVENTS_NAME:
            events = _parse_json_text(value, list, f"{where}, events", "the events field", problems)
        else:
            problems.append(Problem(f"{where}, region {region}",
                                    f"result of type {kind!r} from {name!r} is not part of the vnfacts config"))
    entities = []
    for region, item in spans.items():
        value = item.get("value") or {}
        labels = value.get("labels") or []
        js_start, js_end = value.get("start"), value.get("end")
        start = offsets.from_js(js_start) if isinstance(js_start, int) else None
        end = offsets.from_js(js_end) if isinstance(js_end, int) else None
        entity = {"start": start if start is not None else js_start, "end": end if end is not None else js_end,
                  "label": labels[0] if len(labels) == 1 else labels, "text": value.get("text"), "norm": None}
        at = f"{where}, {span_name(entity)}"
        if len(labels) != 1:
            problems.append(Problem(at, f"a span must carry exactly one label, got {labels!r}"))
            norms.pop(region, None)  # reported with its span, not again as a norm without one
            continue
        if region not in norms:
            template = _dumps(empty_norm(entity["label"])) if entity["label"] in LABELS else "{...}"
            problems.append(Problem(at, f"the span has no norm: fill the norm field, e.g. {template}"))
            continue
        norm_item, norm_value = norms.pop(region)
        if isinstance(norm_value, dict) and (norm_value.get("start"), norm_value.get("end")) not in ((None, None), (js_start, js_end)):
            problems.append(Problem(at, "the norm field belongs to a different span "
                                        f"({norm_value.get('start')}-{norm_value.get('end')})"))
        entity["norm"] = _parse_json_text(norm_value, dict, at, "the norm", problems)
        if entity["norm"] is not None:
            entities.append(entity)
    for region, (_, value) in norms.items():
        problems.append(Problem(f"{where}, region {region}", f"a norm without a span: {value.get('text')!r}"))
    if events is None:
        events = []
        warnings.append(f"{where}: no events field; imported with an empty event list")
    entities.sort(key=lambda e: (e["start"], e["end"]))
    doc = {"id": data["id"], "text": text, "published": data.get("published"), "source": data.get("source"),
           "entities": entities, "events": events}
    problems.extend(check_document(doc, where))
    return doc, problems, warnings


def _same_result(a: list[dict[str, Any]], b: list[dict[str, Any]]) -> bool:
    def key(results):
        return sorted(json.dumps({k: r.get(k) for k in ("from_name", "type", "value")}, sort_keys=True)
                      for r in results)
    return key(a) == key(b)


def read_export(tasks: Any, articles: dict[str, str] | None = None, users: dict[Any, str] | None = None,
                annotator: str | None = None) -> ImportResult:
    """Read Label Studio's JSON export (a list of tasks) into guide-format documents.

    ``articles`` maps document ids to their text as stored (the corpus or existing annotations): a
    task whose text differs is a problem, never a silent rewrite. ``users`` maps Label Studio user
    ids to e-mails. ``annotator`` picks one person's annotation where several people annotated a task.
    """
    result = ImportResult()
    users = users or {}
    if not isinstance(tasks, list):
        result.problems.append(Problem("export", f"expected a JSON list of tasks, got {type(tasks).__name__}"))
        return result
    seen: dict[str, str] = {}
    for n, task in enumerate(tasks):
        task_id = task.get("id", f"#{n}") if isinstance(task, dict) else f"#{n}"
        data = task.get("data") if isinstance(task, dict) else None
        if not isinstance(data, dict):
            result.problems.append(Problem(f"task {task_id}", "no `data` object"))
            continue
        doc_id, text = data.get("id"), data.get("text")
        where = f"task {task_id} (doc {doc_id})"
        if not isinstance(doc_id, str) or not doc_id or not isinstance(text, str):
            result.problems.append(Problem(where, "task data lacks the document `id` or `text` "
                                                  "(tasks must come from `vnfacts annotate export/push`)"))
            continue
        if articles is not None and doc_id in articles and articles[doc_id] != text:
            stored = articles[doc_id]
            at = next((i for i, (a, b) in enumerate(zip(stored, text)) if a != b), min(len(stored), len(text)))
            result.problems.append(Problem(where, f"the task's text differs from the article's from character {at} "
                                                  f"({text[at:at + 20]!r} vs {stored[at:at + 20]!r})"))
            continue
        records = [a for a in task.get("annotations") or [] if not a.get("was_cancelled")]
        skipped = len(task.get("annotations") or []) - len(records)
        if annotator:
            records = [a for a in records if _annotator(a, users) == annotator]
        drafts = len(task.get("drafts") or [])
        if not records:
            result.notes.append(f"{where}: no completed annotation" + (f" by {annotator}" if annotator else "")
                                + (f" ({skipped} cancelled)" if skipped else "")
                                + (f" ({drafts} unsubmitted draft(s): submit them in Label Studio)" if drafts else "")
                                + "; not imported")
            continue
        records.sort(key=lambda a: str(a.get("updated_at") or a.get("created_at") or ""))
        latest = records[-1]
        if any(not _same_result(r.get("result") or [], latest.get("result") or []) for r in records[:-1]):
            people = ", ".join(sorted({_annotator(a, users) for a in records}))
            result.problems.append(Problem(where, f"{len(records)} annotations ({people}) disagree; "
                                                  "pick one with --annotator or settle it in Label Studio"))
            continue
        if doc_id in seen:
            result.problems.append(Problem(where, f"document {doc_id} is also {seen[doc_id]}"))
            continue
        seen[doc_id] = f"task {task_id}"
        doc, problems, warnings = document_from_results(data, latest.get("result") or [], where)
        result.problems.extend(problems)
        result.notes.extend(warnings)
        if problems:
            continue
        doc["provenance"] = {"tool": "label-studio", "task": task.get("id"), "project": task.get("project"),
                             "annotator": _annotator(latest, users),
                             "created_at": latest.get("created_at"), "updated_at": latest.get("updated_at"),
                             "from_prediction": (latest.get("prediction") or {}).get("model_version")
                             if isinstance(latest.get("prediction"), dict) else None}
        result.documents.append(doc)
    return result
