"""Score extracted facts against gold annotations, as ``annotations/ANNOTATION_GUIDE.md`` defines them.

Per label: gold and predicted counts; exact-span F1; overlap P/R/F1 (one-to-one greedy matching
of same-label spans, largest overlap first); norm P/R/F1 (an overlap match whose normalized value
is right, over all gold and all predicted spans). Per document: the set of LEGAL_REF ids. Per
document with a gold event: whether the main event's date, type and province are right. The
macro mean of the per-label norm F1s sums it up in one figure.
"""
from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable

from .models import LABELS
from .norms import evaluation_key

def _norm_key(label: str, norm: dict[str, Any] | None) -> Any:
    """What "the normalized value is right" means for each label: the key fields of its norm type."""
    return evaluation_key(label, norm)


def _figure_equal(a: Any, b: Any) -> bool:
    if isinstance(a, tuple) and isinstance(b, tuple) and isinstance(a[0], float) and isinstance(b[0], float):
        return math.isclose(a[0], b[0], rel_tol=1e-9, abs_tol=1e-9) and a[1] == b[1]
    return a == b


def norm_correct(label: str, gold: dict, pred: dict) -> bool:
    g, p = _norm_key(label, gold.get("norm")), _norm_key(label, pred.get("norm"))
    return _figure_equal(g, p) if label == "FIGURE" else g == p


def prf(tp: int, n_pred: int, n_gold: int) -> dict[str, float]:
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    if not n_pred and not n_gold:
        p = r = f = 1.0
    return {"p": round(p, 4), "r": round(r, 4), "f1": round(f, 4)}


def match_spans(gold: list[dict], pred: list[dict]) -> list[tuple[int, int]]:
    """One-to-one greedy matching of same-label spans, largest overlap first."""
    pairs = []
    for gi, g in enumerate(gold):
        for pi, p in enumerate(pred):
            if g["label"] != p["label"]:
                continue
            overlap = min(g["end"], p["end"]) - max(g["start"], p["start"])
            if overlap > 0:
                pairs.append((-overlap, gi, pi))
    pairs.sort()
    used_g, used_p, out = set(), set(), []
    for _, gi, pi in pairs:
        if gi not in used_g and pi not in used_p:
            used_g.add(gi)
            used_p.add(pi)
            out.append((gi, pi))
    return out


def _context(text: str | None, start: int, end: int, width: int = 50) -> str:
    if not text:
        return ""
    left = text[max(0, start - width):start].replace("\n", " ")
    right = text[end:end + width].replace("\n", " ")
    return f"…{left}[[{text[start:end]}]]{right}…"


@dataclass
class _Counts:
    gold: int = 0
    pred: int = 0
    exact: int = 0
    overlap: int = 0
    norm: int = 0

    def add(self, other: "_Counts") -> None:
        for k in ("gold", "pred", "exact", "overlap", "norm"):
            setattr(self, k, getattr(self, k) + getattr(other, k))

    def summary(self) -> dict[str, Any]:
        return {"gold": self.gold, "pred": self.pred, "exact": prf(self.exact, self.pred, self.gold),
                "overlap": prf(self.overlap, self.pred, self.gold), "norm": prf(self.norm, self.pred, self.gold)}


def evaluate(gold_docs: Iterable[dict], pred_docs: Iterable[dict]) -> dict[str, Any]:
    """Compare predicted documents with gold ones (both as guide-format dicts keyed by ``id``)."""
    gold_by_id = {d["id"]: d for d in gold_docs}
    pred_by_id = {d["id"]: d for d in pred_docs}
    totals = {label: _Counts() for label in LABELS}
    per_doc: dict[str, dict[str, Any]] = {}
    errors: list[dict[str, Any]] = []
    ids_tp = ids_fp = ids_fn = 0
    events = {"documents": 0, "date": 0, "type": 0, "province": 0}
    for doc_id, gold in gold_by_id.items():
        pred = pred_by_id.get(doc_id, {"entities": [], "events": []})
        text = gold.get("text")
        doc_counts = {label: _Counts() for label in LABELS}
        g_ents, p_ents = gold.get("entities", []), pred.get("entities", [])
        for g in g_ents:
            doc_counts.setdefault(g["label"], _Counts()).gold += 1
        for p in p_ents:
            doc_counts.setdefault(p["label"], _Counts()).pred += 1
        exact = {(g["start"], g["end"], g["label"]) for g in g_ents} & {(p["start"], p["end"], p["label"]) for p in p_ents}
        for _, _, label in exact:
            doc_counts[label].exact += 1
        matched = match_spans(g_ents, p_ents)
        matched_g = {gi for gi, _ in matched}
        matched_p = {pi for _, pi in matched}
        for gi, pi in matched:
            g, p = g_ents[gi], p_ents[pi]
            doc_counts[g["label"]].overlap += 1
            if norm_correct(g["label"], g, p):
                doc_counts[g["label"]].norm += 1
            else:
                errors.append({"doc": doc_id, "kind": "wrong_norm", "label": g["label"], "start": p["start"],
                               "end": p["end"], "text": p.get("text"), "norm": p.get("norm"),
                               "expected": g.get("norm"), "gold_span": [g["start"], g["end"]],
                               "context": _context(text, p["start"], p["end"])})
        for gi, g in enumerate(g_ents):
            if gi not in matched_g:
                errors.append({"doc": doc_id, "kind": "miss", "label": g["label"], "start": g["start"], "end": g["end"],
                               "text": g.get("text"), "expected": g.get("norm"), "context": _context(text, g["start"], g["end"])})
        for pi, p in enumerate(p_ents):
            if pi not in matched_p:
                errors.append({"doc": doc_id, "kind": "false_alarm", "label": p["label"], "start": p["start"], "end": p["end"],
                               "text": p.get("text"), "norm": p.get("norm"), "context": _context(text, p["start"], p["end"])})
        for label, c in doc_counts.items():
            totals.setdefault(label, _Counts()).add(c)
        g_ids = {e["norm"].get("id") for e in g_ents if e["label"] == "LEGAL_REF" and e.get("norm")}
        p_ids = {e["norm"].get("id") for e in p_ents if e["label"] == "LEGAL_REF" and e.get("norm")}
        ids_tp += len(g_ids & p_ids)
        ids_fp += len(p_ids - g_ids)
        ids_fn += len(g_ids - p_ids)
        main = {}
        if gold.get("events"):
            events["documents"] += 1
            g_main = gold["events"][0]
            p_main = (pred.get("events") or [{}])[0]
            for key in ("date", "type", "province"):
                ok = p_main.get(key) == g_main.get(key)
                events[key] += int(ok)
                main[key] = {"gold": g_main.get(key), "pred": p_main.get(key), "ok": ok}
        per_doc[doc_id] = {"labels": {k: v.summary() for k, v in doc_counts.items() if v.gold or v.pred},
                           "legal_ids": {"gold": sorted(i for i in g_ids if i), "pred": sorted(i for i in p_ids if i)},
                           "main_event": main}
    labels = {label: c.summary() for label, c in totals.items() if c.gold or c.pred}
    n_events = events["documents"]
    return {
        "documents": len(gold_by_id),
        "labels": labels,
        "legal_ids": {**prf(ids_tp, ids_tp + ids_fp, ids_tp + ids_fn), "tp": ids_tp, "fp": ids_fp, "fn": ids_fn},
        "main_event": {"documents": n_events,
                       **{k: {"correct": events[k], "accuracy": round(events[k] / n_events, 4) if n_events else None}
                          for k in ("date", "type", "province")}},
        "macro_norm_f1": round(sum(v["norm"]["f1"] for v in labels.values()) / len(labels), 4) if labels else 0.0,
        "per_document": per_doc,
        "errors": errors,
    }


def format_report(report: dict[str, Any]) -> str:
    """The report as the table `vnfacts evaluate` prints."""
    head = f"{'label':<10} {'gold':>5} {'pred':>5} {'exact F1':>9} {'ovl P':>7} {'ovl R':>7} {'ovl F1':>7} {'norm P':>7} {'norm R':>7} {'norm F1':>8}"
    lines = [f"{report['documents']} documents", head, "-" * len(head)]
    for label in LABELS:
        if label not in report["labels"]:
            continue
        v = report["labels"][label]
        lines.append(f"{label:<10} {v['gold']:>5} {v['pred']:>5} {v['exact']['f1']:>9.3f} {v['overlap']['p']:>7.3f} "
                     f"{v['overlap']['r']:>7.3f} {v['overlap']['f1']:>7.3f} {v['norm']['p']:>7.3f} {v['norm']['r']:>7.3f} {v['norm']['f1']:>8.3f}")
    li = report["legal_ids"]
    lines.append("-" * len(head))
    lines.append(f"LEGAL_REF ids per document: P {li['p']:.3f}  R {li['r']:.3f}  F1 {li['f1']:.3f}  (tp {li['tp']}, fp {li['fp']}, fn {li['fn']})")
    me = report["main_event"]
    if me["documents"]:
        parts = [f"{k} {me[k]['correct']}/{me['documents']}" for k in ("date", "type", "province")]
        lines.append("main event right: " + ", ".join(parts))
    lines.append(f"macro mean of norm F1: {report['macro_norm_f1']:.3f}")
    return "\n".join(lines)


def format_errors(report: dict[str, Any]) -> str:
    """Every miss, false alarm and wrong norm with its context, for an annotator to act on."""
    out = []
    for e in sorted(report["errors"], key=lambda e: (e["doc"], e["start"], e["kind"])):
        line = f"{e['doc']} {e['kind']:<11} {e['label']:<9} {e['start']}-{e['end']} {e.get('text')!r}"
        if e["kind"] == "wrong_norm":
            line += f" norm {json.dumps(e.get('norm'), ensure_ascii=False)} expected {json.dumps(e.get('expected'), ensure_ascii=False)}"
        elif e["kind"] == "miss":
            line += f" expected {json.dumps(e.get('expected'), ensure_ascii=False)}"
        else:
            line += f" norm {json.dumps(e.get('norm'), ensure_ascii=False)}"
        out.append(line + "\n    " + e["context"])
    return "\n".join(out)


def read_jsonl(path: str | Path) -> list[dict]:
    """Annotation or prediction JSONL, with a clear error naming the bad line."""
    docs = []
    with open(path, encoding="utf-8") as f:
        for lineno, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                doc = json.loads(line)
            except json.JSONDecodeError as err:
                raise ValueError(f"{path}:{lineno}: invalid JSON: {err.msg}") from None
            if not isinstance(doc, dict) or "id" not in doc:
                raise ValueError(f"{path}:{lineno}: expected an object with an `id`")
            docs.append(doc)
    return docs


def predict_gold_texts(gold_docs: list[dict]) -> list[dict]:
    """Run the default pipeline on the texts of gold documents."""
    from .models import Document
    from .pipeline import DocumentError, extract_many

    docs = (Document(id=d["id"], text=d["text"], published=d.get("published")) for d in gold_docs)
    out = []
    for result in extract_many(docs):
        if isinstance(result, DocumentError):
            raise RuntimeError(str(result))
        out.append(result.to_json())
    return out
