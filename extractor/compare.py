"""What changed between two evaluations of the same gold set: `vnfacts evaluate --compare OLD NEW`.

Both sides are reports of :func:`vnfacts.extractor.evaluate.evaluate` on the same gold documents. The
comparison lists, per label and per document, the scores before and after, and the errors that were
fixed (in OLD, not in NEW) and introduced (in NEW, not in OLD); an error is the same error when its
document, kind, label and offsets are. :func:`write_html` renders it as one self-contained HTML
page (inline SVG charts, no script, nothing fetched) that opens offline.
"""
from __future__ import annotations

import html
import json
from pathlib import Path
from typing import Any

from .models import LABELS

SCORES = ("exact", "overlap", "norm")


def _error_key(e: dict[str, Any]) -> tuple:
    return (e["doc"], e["kind"], e["label"], e["start"], e["end"])


def _f1(summary: dict[str, Any] | None, score: str) -> float | None:
    return summary[score]["f1"] if summary else None


def _delta(old: float | None, new: float | None) -> float | None:
    return None if old is None or new is None else round(new - old, 4)


def compare(old: dict[str, Any], new: dict[str, Any], old_name: str = "OLD", new_name: str = "NEW") -> dict[str, Any]:
    """The differences between two evaluation reports of the same gold documents."""
    labels = {}
    for label in [l for l in LABELS if l in old["labels"] or l in new["labels"]]:
        a, b = old["labels"].get(label), new["labels"].get(label)
        labels[label] = {
            "gold": (a or b)["gold"],
            "pred": {"old": a["pred"] if a else 0, "new": b["pred"] if b else 0},
            **{score: {"old": _f1(a, score), "new": _f1(b, score), "delta": _delta(_f1(a, score), _f1(b, score))}
               for score in SCORES},
        }
    old_errors = {_error_key(e): e for e in old.get("errors", [])}
    new_errors = {_error_key(e): e for e in new.get("errors", [])}
    fixed = [old_errors[k] for k in sorted(old_errors.keys() - new_errors.keys())]
    introduced = [new_errors[k] for k in sorted(new_errors.keys() - old_errors.keys())]
    documents = {}
    for doc_id in sorted(set(old["per_document"]) | set(new["per_document"])):
        a = old["per_document"].get(doc_id, {}).get("labels", {})
        b = new["per_document"].get(doc_id, {}).get("labels", {})
        changes = {}
        for label in sorted(set(a) | set(b)):
            fa, fb = _f1(a.get(label), "norm"), _f1(b.get(label), "norm")
            if fa != fb or (a.get(label) or {}).get("pred") != (b.get(label) or {}).get("pred"):
                changes[label] = {"norm_f1": {"old": fa, "new": fb, "delta": _delta(fa, fb)},
                                  "pred": {"old": (a.get(label) or {}).get("pred", 0),
                                           "new": (b.get(label) or {}).get("pred", 0)}}
        documents[doc_id] = {"changed": changes,
                             "fixed": sum(1 for e in fixed if e["doc"] == doc_id),
                             "introduced": sum(1 for e in introduced if e["doc"] == doc_id)}
    return {
        "old": old_name, "new": new_name, "documents": new["documents"],
        "macro_norm_f1": {"old": old["macro_norm_f1"], "new": new["macro_norm_f1"],
                          "delta": round(new["macro_norm_f1"] - old["macro_norm_f1"], 4)},
        "labels": labels, "per_document": documents, "fixed": fixed, "introduced": introduced,
    }


def _num(v: float | None) -> str:
    return "–" if v is None else f"{v:.3f}"


def _signed(v: float | None) -> str:
    return "" if v is None or v == 0 else f"{v:+.3f}"


def format_comparison(c: dict[str, Any]) -> str:
    """The comparison as text for the terminal."""
    lines = [f"{c['old']} -> {c['new']} on {c['documents']} gold documents",
             f"{'label':<10} {'gold':>5} {'pred':>9} {'exact F1':>17} {'overlap F1':>17} {'norm F1':>23}"]
    for label, v in c["labels"].items():
        lines.append(f"{label:<10} {v['gold']:>5} {v['pred']['old']:>4}>{v['pred']['new']:<4} "
                     + " ".join(f"{_num(v[s]['old']):>6}>{_num(v[s]['new']):<6}{_signed(v[s]['delta']):>5}" for s in SCORES))
    m = c["macro_norm_f1"]
    lines.append(f"macro mean of norm F1: {_num(m['old'])} -> {_num(m['new'])} ({m['delta']:+.3f})")
    changed = {d: v for d, v in c["per_document"].items() if v["changed"] or v["fixed"] or v["introduced"]}
    lines.append(f"documents changed: {len(changed)} of {len(c['per_document'])}")
    for doc_id, v in changed.items():
        parts = [f"{label} norm F1 {_num(x['norm_f1']['old'])}->{_num(x['norm_f1']['new'])}" for label, x in v["changed"].items()]
        lines.append(f"  {doc_id}: {v['fixed']} errors fixed, {v['introduced']} introduced" + ("; " + ", ".join(parts) if parts else ""))
    for title, errors in (("fixed", c["fixed"]), ("introduced", c["introduced"])):
        lines.append(f"errors {title}: {len(errors)}")
        for e in errors:
            lines.append(f"  {e['doc']} {e['kind']:<11} {e['label']:<9} {e['start']}-{e['end']} {e.get('text')!r}")
    return "\n".join(lines)


# ---------------------------------------------------------------------------------------------
# The HTML report


def _bar_chart(c: dict[str, Any], score: str) -> str:
    """Grouped bars: before/after F1 of ``score`` for each label, as inline SVG."""
    labels = list(c["labels"])
    width, height, left, bottom, top = 90 * max(len(labels), 1) + 60, 260, 40, 40, 20
    plot_h = height - bottom - top
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" role="img" '
             f'aria-label="{score} F1 per label, before and after">']
    for tick in (0, 0.25, 0.5, 0.75, 1.0):
        y = top + plot_h * (1 - tick)
        parts.append(f'<line x1="{left}" x2="{width - 10}" y1="{y:.1f}" y2="{y:.1f}" stroke="#ddd"/>'
                     f'<text x="{left - 6}" y="{y + 4:.1f}" font-size="11" text-anchor="end">{tick:.2f}</text>')
    for i, label in enumerate(labels):
        x0 = left + 10 + i * 90
        for j, (side, colour) in enumerate((("old", "#9ecae1"), ("new", "#08519c"))):
            value = c["labels"][label][score][side] or 0.0
            h = plot_h * value
            x = x0 + j * 32
            parts.append(f'<rect x="{x}" y="{top + plot_h - h:.1f}" width="30" height="{h:.1f}" fill="{colour}">'
                         f'<title>{html.escape(label)} {side}: {value:.3f}</title></rect>'
                         f'<text x="{x + 15}" y="{top + plot_h - h - 3:.1f}" font-size="10" text-anchor="middle">{value:.2f}</text>')
        parts.append(f'<text x="{x0 + 31}" y="{height - bottom + 16}" font-size="12" text-anchor="middle">{html.escape(label)}</text>')
    parts.append(f'<rect x="{left}" y="{height - 14}" width="10" height="10" fill="#9ecae1"/>'
                 f'<text x="{left + 14}" y="{height - 5}" font-size="11">{html.escape(c["old"])}</text>'
                 f'<rect x="{left + 200}" y="{height - 14}" width="10" height="10" fill="#08519c"/>'
                 f'<text x="{left + 214}" y="{height - 5}" font-size="11">{html.escape(c["new"])}</text></svg>')
    return "".join(parts)


def _count_chart(c: dict[str, Any]) -> str:
    """Horizontal bars: errors fixed and introduced per label."""
    labels = list(c["labels"])
    counts = {l: (sum(e["label"] == l for e in c["fixed"]), sum(e["label"] == l for e in c["introduced"])) for l in labels}
    peak = max([1] + [max(v) for v in counts.values()])
    row, width = 26, 540
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{row * len(labels) + 30}" role="img" '
             f'aria-label="errors fixed and introduced per label">']
    for i, label in enumerate(labels):
        y = 10 + i * row
        fixed, introduced = counts[label]
        wf, wi = 180 * fixed / peak, 180 * introduced / peak
        parts.append(f'<text x="90" y="{y + 14}" font-size="12" text-anchor="end">{html.escape(label)}</text>'
                     f'<rect x="{300 - wf:.1f}" y="{y}" width="{wf:.1f}" height="18" fill="#31a354"><title>{fixed} fixed</title></rect>'
                     f'<rect x="302" y="{y}" width="{wi:.1f}" height="18" fill="#de2d26"><title>{introduced} introduced</title></rect>'
                     f'<text x="{296 - wf:.1f}" y="{y + 14}" font-size="11" text-anchor="end">{fixed or ""}</text>'
                     f'<text x="{306 + wi:.1f}" y="{y + 14}" font-size="11">{introduced or ""}</text>')
    parts.append(f'<text x="200" y="{row * len(labels) + 24}" font-size="11" text-anchor="middle">fixed</text>'
                 f'<text x="400" y="{row * len(labels) + 24}" font-size="11" text-anchor="middle">introduced</text></svg>')
    return "".join(parts)


def _error_rows(errors: list[dict[str, Any]]) -> str:
    if not errors:
        return "<p>None.</p>"
    rows = []
    for e in errors:
        context = html.escape(e.get("context") or "").replace("[[", "<mark>").replace("]]", "</mark>")
        detail = e.get("norm") if e["kind"] != "miss" else e.get("expected")
        rows.append(f"<tr><td>{html.escape(e['doc'])}</td><td>{e['kind']}</td><td>{e['label']}</td>"
                    f"<td>{e['start']}–{e['end']}</td><td>{context}</td>"
                    f"<td><code>{html.escape(json.dumps(detail, ensure_ascii=False))}</code></td></tr>")
    return ("<table><tr><th>document</th><th>kind</th><th>label</th><th>span</th><th>context</th><th>norm</th></tr>"
            + "".join(rows) + "</table>")


def render_html(c: dict[str, Any]) -> str:
    rows = "".join(
        f"<tr><td>{label}</td><td>{v['gold']}</td><td>{v['pred']['old']} → {v['pred']['new']}</td>"
        + "".join(f"<td>{_num(v[s]['old'])} → {_num(v[s]['new'])} <b>{_signed(v[s]['delta'])}</b></td>" for s in SCORES)
        + "</tr>" for label, v in c["labels"].items())
    doc_rows = "".join(
        f"<tr><td>{html.escape(d)}</td><td>{v['fixed']}</td><td>{v['introduced']}</td><td>"
        + ", ".join(f"{l} {_num(x['norm_f1']['old'])} → {_num(x['norm_f1']['new'])}" for l, x in v["changed"].items())
        + "</td></tr>" for d, v in c["per_document"].items() if v["changed"] or v["fixed"] or v["introduced"])
    m = c["macro_norm_f1"]
    title = f"vnfacts: {c['old']} → {c['new']}"
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{html.escape(title)}</title>
<style>
body {{ font-family: sans-serif; margin: 2em; color: #222; }}
table {{ border-collapse: collapse; margin: 1em 0; }}
td, th {{ border: 1px solid #ccc; padding: 4px 8px; font-size: 13px; vertical-align: top; }}
th {{ background: #f3f3f3; }} mark {{ background: #ffe08a; }} .charts {{ display: flex; gap: 3em; flex-wrap: wrap; }}
</style></head><body>
<h1>{html.escape(title)}</h1>
<p>{c['documents']} gold documents. Macro mean of norm F1: {_num(m['old'])} → {_num(m['new'])} (<b>{m['delta']:+.3f}</b>).
{len(c['fixed'])} errors fixed, {len(c['introduced'])} introduced.</p>
<div class="charts">
<div><h2>Norm F1 per label</h2>{_bar_chart(c, 'norm')}</div>
<div><h2>Overlap F1 per label</h2>{_bar_chart(c, 'overlap')}</div>
<div><h2>Errors fixed and introduced</h2>{_count_chart(c)}</div>
</div>
<h2>Per label</h2>
<table><tr><th>label</th><th>gold</th><th>predicted</th><th>exact F1</th><th>overlap F1</th><th>norm F1</th></tr>{rows}</table>
<h2>Documents that changed</h2>
{"<table><tr><th>document</th><th>fixed</th><th>introduced</th><th>norm F1 per label</th></tr>" + doc_rows + "</table>" if doc_rows else "<p>None.</p>"}
<h2>Errors fixed ({len(c['fixed'])})</h2>{_error_rows(c['fixed'])}
<h2>Errors introduced ({len(c['introduced'])})</h2>{_error_rows(c['introduced'])}
</body></html>
"""


def write_html(c: dict[str, Any], path: str | Path) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render_html(c), encoding="utf-8")
    return path


# ---------------------------------------------------------------------------------------------
# The two sides of `vnfacts evaluate --compare OLD NEW`


def predictions_of(side: str | Path, gold_docs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The predictions one side stands for: a JSONL file of `vnfacts extract` output, or a model
    folder under ``models/`` (run on the gold texts with that model)."""
    from .evaluate import read_jsonl

    path = Path(side)
    if path.is_file():
        return read_jsonl(path)
    if path.is_dir():
        return _predict_with_model(path, gold_docs)
    raise ValueError(f"{side}: neither a predictions file nor a model folder")


def _predict_with_model(model_dir: Path, gold_docs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The whole pipeline on the gold texts, its model finder pointed at ``model_dir`` (a folder
    `vnfacts train` wrote), in the mode pipeline.yaml configures (join, by default)."""
    from .models import Document
    from .ner_model import ModelError, model_config, pipeline_config
    from .pipeline import DocumentError, Pipeline
    from .resources import load_data

    training = model_dir / "training.json"
    if not (model_dir / "config.cfg").exists() or not training.exists():
        raise ValueError(f"{model_dir}: not a model folder written by `vnfacts train` (no config.cfg and training.json)")
    labels = json.loads(training.read_text(encoding="utf-8")).get("labels") or ["ORG", "LOC"]
    config = {**model_config(), "backend": "spacy", "path": str(model_dir.resolve()), "labels": labels}
    pipeline = Pipeline.from_config(pipeline_config(load_data("pipeline.yaml"), config, "join"))
    out = []
    for d in gold_docs:
        try:
            out.append(pipeline.extract(Document(d["id"], d["text"], d.get("published"))).to_json())
        except (DocumentError, ModelError) as err:
            raise ValueError(f"{model_dir}: {err}") from None
    return out


def run_compare(gold_docs: list[dict[str, Any]], old: str, new: str, html_path: str | Path | None = None,
                as_json: bool = False) -> int:
    """`vnfacts evaluate --compare OLD NEW`: print the comparison, write the HTML report."""
    import sys

    from .evaluate import evaluate

    try:
        reports = [evaluate(gold_docs, predictions_of(side, gold_docs)) for side in (old, new)]
    except (OSError, ValueError, RuntimeError) as err:
        print(f"vnfacts evaluate: error: {err}", file=sys.stderr)
        return 2
    c = compare(*reports, old_name=Path(old).name, new_name=Path(new).name)
    if html_path:  # first: a reader that stops reading the printout early must not lose the report
        print(f"HTML report: {write_html(c, html_path)}", file=sys.stderr)
    print(json.dumps(c, ensure_ascii=False, indent=1) if as_json else format_comparison(c))
    return 0
