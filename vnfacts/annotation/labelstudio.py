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

from .schema import Problem, brief, check_document, empty_norm, id_name, is_integer, span_name

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
# The export's shape, checked before anything is read from it: a hand-edited, truncated or
# foreign export gives problems naming the task and what is wrong, never an exception.

# A task as Label Studio writes it nests about eight levels (task, annotations, annotation, result,
# item, value, labels); far deeper is not an export, and reading it could exhaust the stack.
MAX_DEPTH = 32
MAX_SHOWN_ID = 100  # a longer task or document id is named by its position instead


def nesting_depth(value: Any, limit: int = MAX_DEPTH) -> int:
    """How deeply lists and objects nest in ``value`` (counted without recursion; stops past ``limit``)."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, (list, dict)):
            deepest = max(deepest, depth)
            if deepest > limit:
                break
            stack.extend((child, depth + 1) for child in (item.values() if isinstance(item, dict) else item))
    return deepest


def _shown_id(value: Any) -> str | None:
    """An id fit to name a task or document in a message, or None."""
    if is_integer(value) or (isinstance(value, str) and 0 < len(value) <= MAX_SHOWN_ID):
        return str(value)
    return None


def task_name(task: Any, position: int) -> str:
    """``task 12`` by its id, else ``task #3`` by its position in the export (from 1)."""
    task_id = _shown_id(task.get("id")) if isinstance(task, dict) else None
    return f"task {task_id}" if task_id is not None else f"task #{position}"


def _optional_string(value: Any) -> bool:
    return value is None or isinstance(value, str)


# annotation field -> (is the value right?, what it must be)
ANNOTATION_FIELDS: dict[str, tuple[Any, str]] = {
    "was_cancelled": (lambda v: v is None or isinstance(v, bool), "true, false or null"),
    "completed_by": (lambda v: v is None or is_integer(v) or isinstance(v, (str, dict)),
                     "a user id, an e-mail or a user object"),
    "created_at": (_optional_string, "a timestamp string or null"),
    "updated_at": (_optional_string, "a timestamp string or null"),
}


def data_problems(data: Any, where: str) -> list[Problem]:
    """What is wrong with a task's ``data``: the article the annotations are about."""
    if not isinstance(data, dict):
        return [Problem(where, "no `data` object" + (f" (got {brief(data)})" if data is not None else ""))]
    doc_id, text = data.get("id"), data.get("text")
    if isinstance(doc_id, str) and doc_id:
        where = f"{where} (doc {id_name(doc_id)})"
    if not isinstance(doc_id, str) or not doc_id or not isinstance(text, str):
        return [Problem(where, "task data lacks the document `id` or `text` "
                               "(tasks must come from `vnfacts annotate export/push`)")]
    return [Problem(where, f"task data `{key}` must be a string or null, got {brief(data[key])}")
            for key in ("published", "source") if not _optional_string(data.get(key))]


def task_shape_problems(task: dict[str, Any], where: str) -> list[Problem]:
    """What is wrong with the lists of a task that the import reads: ``annotations`` and ``drafts``."""
    problems = []
    for key in ("annotations", "drafts"):
        if task.get(key) is not None and not isinstance(task[key], list):
            problems.append(Problem(where, f"`{key}` must be a list, got {brief(task[key])}"))
    for n, record in enumerate(task.get("annotations") if isinstance(task.get("annotations"), list) else [], 1):
        record_id = _shown_id(record.get("id")) if isinstance(record, dict) else None
        problems.extend(annotation_problems(record, f"{where}, annotation {record_id or f'#{n}'}"))
    return problems


def annotation_problems(record: Any, where: str) -> list[Problem]:
    """What is wrong with one annotation of a task: its fields and each of its results."""
    if not isinstance(record, dict):
        return [Problem(where, f"an annotation must be a JSON object, got {brief(record)}")]
    problems = [Problem(where, f"`{key}` must be {expected}, got {brief(record[key])}")
                for key, (fits, expected) in ANNOTATION_FIELDS.items() if key in record and not fits(record[key])]
    results = record.get("result")
    if results is not None and not isinstance(results, list):
        problems.append(Problem(where, f"`result` must be a list of results, got {brief(results)}"))
    for n, item in enumerate(results if isinstance(results, list) else [], 1):
        problems.extend(result_problems(item, f"{where}, result #{n}"))
    return problems


def result_problems(item: Any, where: str) -> list[Problem]:
    """What is wrong with one result: a region id, a ``value`` object, and for a span its offsets
    (integers: ``true`` is no offset), its labels (strings) and its text."""
    if not isinstance(item, dict):
        return [Problem(where, f"a result must be a JSON object, got {brief(item)}")]
    region, value = item.get("id"), item.get("value")
    if _shown_id(region) is None:
        return [Problem(where, f"`id` (the region) must be a string or an integer, got {brief(region)}")]
    where = f"{where} (region {region})"
    if not isinstance(value, dict):
        return [Problem(where, f"`value` must be a JSON object, got {brief(value)}")]
    if item.get("type") != "labels":
        return []
    problems = [Problem(where, f"`value.{key}` must be an integer offset, got {brief(value.get(key))}")
                for key in ("start", "end") if not is_integer(value.get(key))]
    labels = value.get("labels")
    if not isinstance(labels, list) or not all(isinstance(label, str) for label in labels):
        problems.append(Problem(where, f"`value.labels` must be a list of label names, got {brief(labels)}"))
    if not _optional_string(value.get("text")):
        problems.append(Problem(where, f"`value.text` must be the span's text, got {brief(value.get('text'))}"))
    return problems


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
        email, user_id = who.get("email"), who.get("id")
        return email if isinstance(email, str) and email else _shown_id(user_id) or "unknown"
    if who is None:
        return "unknown"
    return users.get(who, str(who))


def _parse_json_text(value: Any, expect: type, where: str, what: str, problems: list[Problem]) -> Any:
    texts = value.get("text") if isinstance(value, dict) else None
    if not isinstance(texts, list) or len(texts) != 1 or not isinstance(texts[0], str):
        problems.append(Problem(where, f"{what} must be exactly one text entry, got {brief(texts)}"))
        return None
    try:
        parsed = json.loads(texts[0])
    except json.JSONDecodeError as err:
        problems.append(Problem(where, f"{what} is not valid JSON ({err.msg} at column {err.colno}): {brief(texts[0])}"))
        return None
    except (ValueError, RecursionError) as err:  # a number of 5,000 digits, lists nested 10,000 deep
        problems.append(Problem(where, f"{what} cannot be read ({type(err).__name__}: {brief(str(err))}): {brief(texts[0])}"))
        return None
    if not isinstance(parsed, expect):
        problems.append(Problem(where, f"{what} must be a JSON {expect.__name__}, got {brief(texts[0])}"))
        return None
    if nesting_depth(parsed) > MAX_DEPTH:
        problems.append(Problem(where, f"{what} nests lists or objects more than {MAX_DEPTH} levels deep"))
        return None
    return parsed


def _norm_fits_span(norm_value: dict[str, Any], start: int, end: int) -> bool:
    """Does a norm field's own offsets (none, or the span's) put it on the span at ``start``-``end``?"""
    own = (norm_value.get("start"), norm_value.get("end"))
    return own == (None, None) or (all(is_integer(v) for v in own) and own == (start, end))


def document_from_results(data: dict[str, Any], results: list[dict[str, Any]], where: str) -> tuple[dict[str, Any], list[Problem], list[str]]:
    """One annotation's result list (shaped as :func:`result_problems` checks) -> a guide-format
    document, its problems and its warnings."""
    text = data["text"]
    offsets = OffsetMap(text)
    problems: list[Problem] = []
    warnings: list[str] = []
    spans: dict[Any, dict[str, Any]] = {}
    norms: dict[Any, dict[str, Any]] = {}
    events = None
    for item in results:
        kind, name, value, region = item.get("type"), item.get("from_name"), item["value"], item["id"]
        if kind == "labels" and name == LABELS_NAME:
            if region in spans:
                problems.append(Problem(f"{where}, region {region}", "two spans share one region id"))
            spans[region] = value
        elif kind == "textarea" and name == NORM_NAME:
            if region in norms:
                problems.append(Problem(f"{where}, region {region}", "two norm fields share one region id"))
            norms[region] = value
        elif kind == "textarea" and name == EVENTS_NAME:
            events = _parse_json_text(value, list, f"{where}, events", "the events field", problems)
        else:
            problems.append(Problem(f"{where}, region {region}",
                                    f"result of type {brief(kind)} from {brief(name)} is not part of the vnfacts config"))
    entities = []
    for region, value in spans.items():
        labels, js_start, js_end = value["labels"], value["start"], value["end"]
        start, end = offsets.from_js(js_start), offsets.from_js(js_end)
        entity = {"start": start if start is not None else js_start, "end": end if end is not None else js_end,
                  "label": labels[0] if len(labels) == 1 else labels, "text": value.get("text"), "norm": None}
        at = f"{where}, {span_name(entity)}"
        if len(labels) != 1:
            problems.append(Problem(at, f"a span must carry exactly one label, got {brief(labels)}"))
            norms.pop(region, None)  # reported with its span, not again as a norm without one
            continue
        if region not in norms:
            template = _dumps(empty_norm(entity["label"])) if entity["label"] in LABELS else "{...}"
            problems.append(Problem(at, f"the span has no norm: fill the norm field, e.g. {template}"))
            continue
        norm_value = norms.pop(region)
        if not _norm_fits_span(norm_value, js_start, js_end):
            problems.append(Problem(at, "the norm field belongs to a different span "
                                        f"({brief(norm_value.get('start'))}-{brief(norm_value.get('end'))})"))
        entity["norm"] = _parse_json_text(norm_value, dict, at, "the norm", problems)
        if entity["norm"] is not None:
            entities.append(entity)
    for region, value in norms.items():
        problems.append(Problem(f"{where}, region {region}", f"a norm without a span: {brief(value.get('text'))}"))
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
    Whatever ``tasks`` holds, each thing wrong is a :class:`Problem` naming its task.
    """
    result = ImportResult()
    if not isinstance(tasks, list):
        result.problems.append(Problem("export", f"expected a JSON list of tasks, got {type(tasks).__name__}"))
        return result
    seen: dict[str, str] = {}
    for position, task in enumerate(tasks, 1):
        where = task_name(task, position)
        problems = task_problems(task, where)
        if problems:
            result.problems.extend(problems)
            continue
        doc_id = task["data"]["id"]
        where = f"{where} (doc {id_name(doc_id)})"
        if articles is not None and doc_id in articles and articles[doc_id] != task["data"]["text"]:
            result.problems.append(Problem(where, _text_difference(articles[doc_id], task["data"]["text"])))
            continue
        _read_task(task, task_name(task, position), where, users or {}, annotator, seen, result)
    return result


def task_problems(task: Any, where: str) -> list[Problem]:
    """Everything structurally wrong with one task of an export (nothing: it can be read)."""
    if not isinstance(task, dict):
        return [Problem(where, f"a task must be a JSON object, got {brief(task)}")]
    if nesting_depth(task) > MAX_DEPTH:
        return [Problem(where, f"nests lists or objects more than {MAX_DEPTH} levels deep: not a Label Studio task")]
    return (data_problems(task.get("data"), where)
            or task_shape_problems(task, f"{where} (doc {id_name(task['data']['id'])})"))


def _text_difference(stored: str, text: str) -> str:
    at = next((i for i, (a, b) in enumerate(zip(stored, text)) if a != b), min(len(stored), len(text)))
    return (f"the task's text differs from the article's from character {at} "
            f"({text[at:at + 20]!r} vs {stored[at:at + 20]!r})")


def _read_task(task: dict[str, Any], name: str, where: str, users: dict[Any, str], annotator: str | None,
               seen: dict[str, str], result: ImportResult) -> None:
    """Read one well-formed task (``name``: ``task 12``) into ``result``: its document, or a note
    or problem saying why not."""
    data = task["data"]
    doc_id = data["id"]
    annotations = task.get("annotations") or []
    records = [a for a in annotations if not a.get("was_cancelled")]
    skipped = len(annotations) - len(records)
    if annotator:
        records = [a for a in records if _annotator(a, users) == annotator]
    drafts = len(task.get("drafts") or [])
    if not records:
        result.notes.append(f"{where}: no completed annotation" + (f" by {annotator}" if annotator else "")
                            + (f" ({skipped} cancelled)" if skipped else "")
                            + (f" ({drafts} unsubmitted draft(s): submit them in Label Studio)" if drafts else "")
                            + "; not imported")
        return
    records.sort(key=lambda a: a.get("updated_at") or a.get("created_at") or "")
    latest = records[-1]
    if any(not _same_result(r.get("result") or [], latest.get("result") or []) for r in records[:-1]):
        people = ", ".join(sorted({_annotator(a, users) for a in records}))
        result.problems.append(Problem(where, f"{len(records)} annotations ({people}) disagree; "
                                              "pick one with --annotator or settle it in Label Studio"))
        return
    if doc_id in seen:
        result.problems.append(Problem(where, f"document {doc_id} is also {seen[doc_id]}"))
        return
    seen[doc_id] = name
    doc, problems, warnings = document_from_results(data, latest.get("result") or [], where)
    result.problems.extend(problems)
    result.notes.extend(warnings)
    if not problems:
        doc["provenance"] = provenance(task, latest, users)
        result.documents.append(doc)


def provenance(task: dict[str, Any], record: dict[str, Any], users: dict[Any, str]) -> dict[str, Any]:
    """Who annotated the document and when, and the predictions they started from."""
    prediction = record.get("prediction")
    model_version = prediction.get("model_version") if isinstance(prediction, dict) else None
    project = task.get("project")
    return {"tool": "label-studio", "task": task.get("id") if _shown_id(task.get("id")) else None,
            "project": project if is_integer(project) else None,
            "annotator": _annotator(record, users),
            "created_at": record.get("created_at"), "updated_at": record.get("updated_at"),
            "from_prediction": model_version if isinstance(model_version, str) else None}
