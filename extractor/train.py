"""`vnfacts train`: build the ORG/LOC model from the project's own annotations.

The split comes from a data file (``annotations/split.yaml``: the annotation files, and the ids
held out as dev). Training documents are cut into paragraphs; each gold ORG/LOC span becomes a
spaCy entity (the tokenizer splits at punctuation, so spans align; the few that still do not
are counted and reported). The model is a blank multilingual spaCy pipeline with an ``ner``
component (extractor/ner_model.py), trained with a fixed seed.

Everything lands in the output folder: the spaCy model with its ``config.cfg``, ``training.json``
(settings, the split, a SHA-256 of the annotation lines used, timings, and scores on the dev
documents only: the model alone, the rules alone, and the rules joined with the model), and
``dev-gold.jsonl`` (the dev documents, so ``vnfacts evaluate --gold`` can score them again).
"""
from __future__ import annotations

import hashlib
import json
import random
import time
from pathlib import Path
from typing import Any, Callable

import yaml

from .clean import clean_text
from .models import LABELS
from .sentences import split_sentences
from .ner_model import blank_nlp, spacy_spans
from .resources import MissingDataError, home, user_path

DEFAULT_SPLIT = "annotations/split.yaml"
DEFAULT_OUT = "models/orgloc"


class TrainError(Exception):
    """Bad input for training (missing split file, unknown ids, no training documents)."""


def test_fraction_member(doc_id: str, fraction: float, part: str = "") -> bool:
    """Whether ``doc_id`` falls in a held-out part of ``fraction``: decided by the id's hash alone, so
    a document's part never changes as others are added. ``part`` salts the hash: the dev part
    (``"dev"``) is drawn independently of the test part (no salt)."""
    key = f"{part}:{doc_id}" if part else doc_id
    return int(hashlib.sha256(key.encode("utf-8")).hexdigest()[:8], 16) / 2**32 < fraction


def _part_spec(split: dict, name: str, path: Path) -> tuple[set[str], set[str], float]:
    """(listed ids, files, fraction) of a held-out part: ``dev: [ids]`` or
    ``dev: {ids: [...], files: [...], fraction: F}``; ``test: {files: [...], fraction: F}``."""
    spec = split.get(name) or {}
    if isinstance(spec, list):
        return set(spec), set(), 0.0
    if not isinstance(spec, dict):
        raise TrainError(f"{path}: `{name}` must be a list of ids or a mapping with ids, files and fraction")
    files = set(spec.get("files") or [])
    unlisted = files - set(split.get("files") or [])
    if unlisted:
        raise TrainError(f"{path}: {name} files not listed under `files`: {', '.join(sorted(unlisted))}")
    return set(spec.get("ids") or []), files, float(spec.get("fraction", 0.0))


def load_parts(path: str | Path) -> tuple[list[dict], list[dict], list[dict], str]:
    """(train, dev, test documents, SHA-256 of what a span model learns from them) from a split file.

    ``test`` names annotation files and a ``fraction``: the documents of those files whose id hash
    falls below it are the test part, held out of training and dev, scored only at the end, and
    nobody reads their errors while writing rules (guide: Splits). ``dev`` lists ids, and may draw
    a fraction of named files the same way with an independent hash: the part on which the model
    and the way it is combined with the rules are chosen."""
    path = Path(path)
    if not path.exists():
        raise TrainError(f"split file not found: {path}")
    try:
        split = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as err:
        raise TrainError(f"{path}: not valid YAML: {err}") from None
    files = split.get("files") or []
    if not files:
        raise TrainError(f"{path}: no `files` listed")
    dev_ids, dev_files, dev_fraction = _part_spec(split, "dev", path)
    _, test_files, fraction = _part_spec(split, "test", path)
    digest = hashlib.sha256()
    docs: dict[str, dict] = {}
    test_ids: set[str] = set()
    drawn_dev: set[str] = set()
    for name in files:
        f = _annotation_file(path, name)
        for line, doc in _annotation_lines(f):
            digest.update(_taught(doc))
            docs[doc["id"]] = doc
            if f.name == "devset.jsonl":
                dev_ids.add(doc["id"])  # the seed gold is never trained on (guide: Splits)
            elif name in test_files and test_fraction_member(doc["id"], fraction):
                test_ids.add(doc["id"])
            elif name in dev_files and test_fraction_member(doc["id"], dev_fraction, "dev"):
                drawn_dev.add(doc["id"])
    unknown = dev_ids - set(docs)
    if unknown:
        raise TrainError(f"{path}: dev ids not in the annotation files: {', '.join(sorted(unknown))}")
    test_ids -= dev_ids
    dev_ids |= drawn_dev
    train = [d for i, d in docs.items() if i not in dev_ids and i not in test_ids]
    dev = [d for i, d in docs.items() if i in dev_ids]
    test = [d for i, d in docs.items() if i in test_ids]
    return train, dev, test, digest.hexdigest()


def _annotation_file(split_path: Path, name: str) -> Path:
    """An annotation file a split names: a relative name is read from the folder that holds
    annotations/ (as in annotations/split.yaml), else next to the split, else from the vnfacts home."""
    candidates = [Path(name)] if Path(name).is_absolute() else \
        [split_path.resolve().parent.parent / name, split_path.parent / name] + ([home() / name] if home() else [])
    f = next((c for c in candidates if c.exists()), candidates[0])
    if not f.exists():
        raise TrainError(f"{split_path}: annotation file not found: {name}")
    return f


def _taught(doc: dict) -> bytes:
    """The part of a gold document a span model learns from, as bytes to hash: its id, text and
    spans. Its events, norms and provenance are left out, so that correcting a gold event (or a
    span's norm) does not mark the committed ORG/LOC model as trained on other data."""
    spans = sorted((e.get("start"), e.get("end"), e.get("label")) for e in doc.get("entities") or [])
    return json.dumps([doc.get("id"), doc.get("text"), spans], ensure_ascii=False).encode("utf-8")


def _annotation_lines(f: Path):
    """(line, document) of each non-empty line of an annotation file."""
    for lineno, line in enumerate(f.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            yield line, json.loads(line)
        except json.JSONDecodeError as err:
            raise TrainError(f"{f}:{lineno}: invalid JSON: {err.msg}") from None


def load_scored_only(path: str | Path) -> list[dict]:
    """The documents of the split's ``scored_only: {files: [...]}``: gold that neither trains the model
    nor chooses it, scored after training as a further held-out set. A file may not also be under
    ``files`` (its documents would train)."""
    path = Path(path)
    split = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    spec = split.get("scored_only") or {}
    names = list(spec.get("files") or []) if isinstance(spec, dict) else []
    both = set(names) & set(split.get("files") or [])
    if both:
        raise TrainError(f"{path}: scored_only files also listed under `files`: {', '.join(sorted(both))}")
    return [doc for name in names for _, doc in _annotation_lines(_annotation_file(path, name))]


def _unseen_scores(nlp, split: Path, parts: list[dict], labels: list[str], out_dir: Path, score_rules: bool,
                   log: Callable[[str], None]) -> dict:
    """Scores on the split's scored_only documents, overall and by section ({} when it names none);
    none of them may be in the split's parts (``parts``: its train, dev and test documents)."""
    unseen = load_scored_only(split)
    overlap = {d["id"] for d in parts} & {d["id"] for d in unseen}
    if overlap:
        raise TrainError(f"{split}: scored_only documents also in the split: {', '.join(sorted(overlap)[:5])}")
    if unseen:
        log(f"scoring {len(unseen)} documents the split scores only")
    return score_part(nlp, unseen, labels, out_dir, score_rules, by_section=True)


def model_dir(out: str | Path) -> Path:
    """The folder of the ORG/LOC model: the default is the home's models/orgloc; any other is taken as given."""
    return home() / out if str(out) == DEFAULT_OUT and home() is not None else Path(out)


def load_split(path: str | Path) -> tuple[list[dict], list[dict], str]:
    """(train documents, dev documents, SHA-256 of the annotation lines read) from a split file;
    the test part (:func:`load_parts`) is in neither."""
    train, dev, _test, digest = load_parts(path)
    return train, dev, digest


def paragraphs(text: str) -> list[tuple[int, int]]:
    """[start, end) of each sentence on the text as given: the unit the model is trained and run
    on (the pipeline runs it on the same sentences)."""
    clean = clean_text(text)
    return [clean.to_original(s, e) for s, e in split_sentences(clean.text)]


def make_examples(nlp, docs: list[dict], labels: list[str]) -> tuple[list, int, int]:
    """spaCy Examples (one per paragraph) and the counts of aligned and misaligned gold spans."""
    from spacy.training import Example

    examples, aligned, misaligned = [], 0, 0
    for doc in docs:
        text = doc["text"]
        ents = [e for e in doc.get("entities", []) if e["label"] in labels]
        for a, b in paragraphs(text):
            piece = nlp.make_doc(text[a:b])
            spans = []
            for e in ents:
                if a <= e["start"] and e["end"] <= b:
                    span = piece.char_span(e["start"] - a, e["end"] - a, label=e["label"], alignment_mode="strict")
                    if span is None:
                        span = piece.char_span(e["start"] - a, e["end"] - a, label=e["label"], alignment_mode="contract")
                        misaligned += 1
                    else:
                        aligned += 1
                    if span is not None:
                        spans.append(span)
            spans = _non_overlapping(spans)
            gold = {"entities": [(s.start_char, s.end_char, s.label_) for s in spans]}
            examples.append(Example.from_dict(piece, gold))
    return examples, aligned, misaligned


def _non_overlapping(spans):
    out = []
    for s in sorted(spans, key=lambda s: (s.start, -(s.end - s.start))):
        if not out or s.start >= out[-1].end:
            out.append(s)
    return out


def predict_docs(nlp, docs: list[dict], labels: list[str]) -> list[dict]:
    """The model's predictions on documents, in the gold format (offsets on the text as given)."""
    out = []
    for doc in docs:
        text = doc["text"]
        ents = [{"start": s, "end": e, "label": lab, "text": text[s:e], "norm": {}}
                for s, e, lab in spacy_spans(nlp, text, set(labels), paragraphs(text))]
        out.append({"id": doc["id"], "entities": ents, "events": []})
    return out


def _label_scores(report: dict, labels: list[str]) -> dict:
    return {lab: {"overlap_f1": report["labels"].get(lab, {}).get("overlap", {}).get("f1", 0.0),
                  "exact_f1": report["labels"].get(lab, {}).get("exact", {}).get("f1", 0.0),
                  "norm_f1": report["labels"].get(lab, {}).get("norm", {}).get("f1", 0.0)} for lab in labels}


def _only(docs: list[dict], labels: list[str]) -> list[dict]:
    return [{**d, "entities": [e for e in d.get("entities", []) if e["label"] in labels]} for d in docs]


def score_pipelines(dev: list[dict], labels: list[str], model_path: Path) -> dict[str, Any]:
    """Dev scores of the rules alone and of the rules joined with the new model."""
    from .evaluate import evaluate
    from .models import Document
    from .pipeline import Pipeline
    from .resources import load_data

    from .ner_model import pipeline_config

    base = load_data("pipeline.yaml")
    out = {}
    model = {"backend": "spacy", "path": str(model_path), "labels": labels}
    for name, config in (("model", pipeline_config(base, model, "replace")), ("rules", pipeline_config(base, None)),
                         ("rules+model", pipeline_config(base, model, "join"))):
        pipeline = Pipeline.from_config(config)
        preds = [pipeline.extract(Document(d["id"], d["text"], d.get("published"))).to_json() for d in dev]
        report = evaluate(_only(dev, labels), _only(preds, labels))
        out[name] = _label_scores(report, labels)
        if name == "rules":  # the shipped pipeline: also its main events
            full = evaluate(dev, preds)
            out["main_event"] = {k: v for k, v in full["main_event"].items()}
    return out


def score_part(nlp, docs: list[dict], labels: list[str], model_path: Path, score_rules: bool,
               by_section: bool = False) -> dict[str, Any]:
    """Scores on one part of the split: the model alone, and with ``score_rules`` the rules, the
    rules joined with the model and underthesea's ``ner``; with ``by_section`` also per gold
    ``section`` (documents without one count as ``xa_hoi``: the first gold was all social affairs)."""
    from .evaluate import evaluate

    if not docs:
        return {}
    if score_rules:
        scores = score_pipelines(docs, labels, model_path)
        scores["underthesea_ner"] = score_underthesea(docs, labels)
    else:
        report = evaluate(_only(docs, labels), predict_docs(nlp, docs, labels))
        scores = {"model": {lab: {"overlap_f1": v["overlap_f1"], "exact_f1": v["exact_f1"]}
                            for lab, v in _label_scores(report, labels).items()}}
    scores["documents"] = len(docs)
    if by_section:
        sections: dict[str, list[dict]] = {}
        for d in docs:
            sections.setdefault(d.get("section") or "xa_hoi", []).append(d)
        if len(sections) > 1:
            scores["by_section"] = {name: score_part(nlp, part, labels, model_path, score_rules)
                                    for name, part in sorted(sections.items())}
    return scores


def underthesea_spans(text: str, labels: list[str]) -> list[tuple[int, int, str]]:
    """underthesea's own CRF ``ner`` (offline), sentence by sentence, as character spans: the
    baseline the README compares against."""
    from underthesea import ner

    out = []
    for a, b in paragraphs(text):
        sentence, cursor, current = text[a:b], 0, None
        for token, _pos, _chunk, tag in ner(sentence):
            at = sentence.find(token, cursor)
            if at < 0:
                continue
            cursor = at + len(token)
            prefix, _, label = tag.partition("-")
            if prefix == "I" and current and current[2] == label:
                current[1] = a + cursor
                continue
            if current:
                out.append(tuple(current))
            current = [a + at, a + cursor, label] if prefix == "B" and label in labels else None
        if current:
            out.append(tuple(current))
    return out


def score_underthesea(dev: list[dict], labels: list[str]) -> dict[str, Any]:
    from .evaluate import evaluate

    preds = [{"id": d["id"], "events": [],
              "entities": [{"start": s, "end": e, "label": lab, "norm": {}} for s, e, lab in underthesea_spans(d["text"], labels)]}
             for d in dev]
    report = evaluate(_only(dev, labels), preds)
    return {lab: {"overlap_f1": v["overlap_f1"], "exact_f1": v["exact_f1"]} for lab, v in _label_scores(report, labels).items()}


TRAIN_CONFIG = "ner-train.cfg"  # extractor/data/: the committed training config


def build_nlp(train_examples: list, dev_examples: list, vectors: str | Path | None, seed: int, folder: Path):
    """The pipeline the committed config describes, initialized on the training examples (labels)
    and, when ``vectors`` names a vectors folder (``make vectors``), with its static vectors."""
    from spacy.tokens import DocBin
    from spacy.training.initialize import init_nlp
    from spacy.util import load_config_from_str

    from .ner_model import _register_tokenizer
    from .resources import data_file

    _register_tokenizer()
    for name, examples in (("train", train_examples), ("dev", dev_examples)):
        DocBin(docs=[e.reference for e in examples]).to_disk(folder / f"{name}.spacy")
    overrides = {"paths.train": str(folder / "train.spacy"), "paths.dev": str(folder / "dev.spacy"),
                 "paths.vectors": str(vectors) if vectors else None, "system.seed": seed,
                 "components.tok2vec.model.embed.include_static_vectors": bool(vectors)}
    config = load_config_from_str(data_file(TRAIN_CONFIG).read_text(encoding="utf-8"), overrides=overrides,
                                  interpolate=False)
    return init_nlp(config), config


def train(split: str | Path = DEFAULT_SPLIT, out: str | Path = DEFAULT_OUT, labels: list[str] | None = None,
          epochs: int = 20, seed: int = 0, max_train_docs: int | None = None, score_rules: bool = True,
          log: Callable[[str], None] | None = None, vectors: str | Path | None = None) -> dict[str, Any]:
    """Train, save and score the model; returns the report written to ``training.json``."""
    import tempfile

    import spacy
    from spacy.schemas import ConfigSchemaTraining
    from spacy.util import registry

    labels = list(labels or ["ORG", "LOC"])
    bad = [lab for lab in labels if lab not in LABELS]
    if bad:
        raise TrainError(f"unknown label(s): {', '.join(bad)} (known: {', '.join(LABELS)})")
    if epochs < 1:
        raise TrainError("epochs must be at least 1")
    log = log or (lambda msg: None)
    started = time.monotonic()
    try:
        split_path = user_path(split, "split file")
        vectors = user_path(vectors, "vectors folder") if vectors else None
    except MissingDataError as err:
        raise TrainError(str(err)) from None
    train_docs, dev_docs, test_docs, data_hash = load_parts(split_path)
    if max_train_docs:
        train_docs = train_docs[:max_train_docs]
    if not train_docs:
        raise TrainError(f"{split}: no training documents (every id is in dev)")
    random.seed(seed)
    spacy.util.fix_random_seed(seed)
    tokenizing = blank_nlp(labels)
    examples, aligned, misaligned = make_examples(tokenizing, train_docs, labels)
    dev_examples = make_examples(tokenizing, dev_docs, labels)[0] or examples[:1]
    log(f"{len(train_docs)} training documents, {len(examples)} paragraphs, "
        f"{aligned} spans aligned, {misaligned} not exactly" + (f"; vectors from {vectors}" if vectors else ""))
    with tempfile.TemporaryDirectory() as tmp:
        nlp, config = build_nlp(examples, dev_examples, vectors, seed, Path(tmp))
    examples = make_examples(nlp, train_docs, labels)[0]  # on the model's own vocab, which holds the vectors
    settings = registry.resolve(config.interpolate()["training"], schema=ConfigSchemaTraining)
    optimizer, batcher = settings["optimizer"], settings["batcher"]
    history = []
    for epoch in range(epochs):
        random.shuffle(examples)
        losses: dict[str, float] = {}
        for batch in batcher(examples):
            nlp.update(batch, drop=settings["dropout"], sgd=optimizer, losses=losses)
        history.append(round(float(losses.get("ner", 0.0)), 2))
        log(f"epoch {epoch + 1}/{epochs} loss {history[-1]}")
    out_dir = model_dir(out)
    out_dir.mkdir(parents=True, exist_ok=True)
    nlp.to_disk(out_dir)
    train_seconds = round(time.monotonic() - started, 1)
    scores = score_part(nlp, dev_docs, labels, out_dir, score_rules)
    test_scores = score_part(nlp, test_docs, labels, out_dir, score_rules, by_section=True)
    with (out_dir / "dev-gold.jsonl").open("w", encoding="utf-8") as f:
        for d in dev_docs:
            f.write(json.dumps(d, ensure_ascii=False) + "\n")
    report = {
        "model": f"spacy tok2vec + ner from extractor/data/{TRAIN_CONFIG} (blank xx, vnfacts.tokenizer.v1)",
        "vectors": str(vectors) if vectors else None,
        "spacy_version": spacy.__version__,
        "labels": labels,
        "epochs": epochs,
        "seed": seed,
        "split": str(split),
        "data_sha256": data_hash,
        "train_ids": [d["id"] for d in train_docs],
        "dev_ids": [d["id"] for d in dev_docs],
        "train_paragraphs": len(examples),
        "spans_aligned": aligned,
        "spans_misaligned": misaligned,
        "loss_per_epoch": history,
        "train_seconds": train_seconds,
        "total_seconds": round(time.monotonic() - started, 1),
        "scores_on_dev": scores,
        "test_ids": [d["id"] for d in test_docs],
        "scores_on_test": test_scores,
    }
    unseen = _unseen_scores(nlp, split_path, train_docs + dev_docs + test_docs, labels, out_dir, score_rules, log)
    if unseen:
        report["scores_on_unseen"] = unseen
    (out_dir / "training.json").write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return report


def rescore(split: str | Path = DEFAULT_SPLIT, out: str | Path = DEFAULT_OUT,
            log: Callable[[str], None] | None = None) -> dict[str, Any]:
    """Score the model in ``out`` again on the split's dev and test parts, with the rules, the shipped
    combination and underthesea, and rewrite those scores in its ``training.json`` (the rest of the
    report, how it was trained, stays). For a change to the rules or to how the model is joined to
    them; the split's parts must be those the model was trained apart from."""
    from .ner_model import load_spacy

    log = log or (lambda msg: None)
    out_dir = model_dir(out)
    report_path = out_dir / "training.json"
    if not report_path.exists():
        raise TrainError(f"no trained model at {out_dir} (no training.json): run `vnfacts train`")
    report = json.loads(report_path.read_text(encoding="utf-8"))
    try:
        train_docs, dev_docs, test_docs, _ = load_parts(user_path(split, "split file"))
    except MissingDataError as err:
        raise TrainError(str(err)) from None
    trained_on = set(report.get("train_ids") or [])
    if trained_on & {d["id"] for d in dev_docs + test_docs}:
        raise TrainError(f"{split}: some dev or test documents are ones the model in {out_dir} was trained on: "
                         "train it again instead")
    labels = report.get("labels") or ["ORG", "LOC"]
    nlp = load_spacy(str(out_dir))
    log(f"scoring {len(dev_docs)} dev and {len(test_docs)} test documents")
    report["scores_on_dev"] = score_part(nlp, dev_docs, labels, out_dir, True)
    report["scores_on_test"] = score_part(nlp, test_docs, labels, out_dir, True, by_section=True)
    report["dev_ids"], report["test_ids"] = [d["id"] for d in dev_docs], [d["id"] for d in test_docs]
    unseen = _unseen_scores(nlp, user_path(split, "split file"), train_docs + dev_docs + test_docs, labels, out_dir,
                            True, log)
    report.pop("scores_on_unseen", None)
    if unseen:
        report["scores_on_unseen"] = unseen
    report_path.write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return report


# ---------------------------------------------------------------------------------------------
# The events sentence classifier (extractor/event_sentences.py)

DEFAULT_EVENT_RECIPE = "event_classifier.yaml"


def load_event_sentences(path: str | Path) -> tuple[list[dict], str]:
    """The labelled sentences of ``path`` (annotations/event-sentences/sentences.jsonl) and the SHA-256 of its
    bytes. Each row needs ``text``, ``label`` (``event``/``not_event``) and ``split``
    (``train``/``heldout``); a bad row is an error naming its line."""
    path = Path(path)
    if not path.exists():
        raise TrainError(f"event sentences not found: {path}")
    raw = path.read_bytes()
    rows = []
    for n, line in enumerate(raw.decode("utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as err:
            raise TrainError(f"{path}:{n}: not JSON: {err}") from None
        if not isinstance(row, dict) or not isinstance(row.get("text"), str) \
                or row.get("label") not in ("event", "not_event") or row.get("split") not in ("train", "heldout"):
            raise TrainError(f"{path}:{n}: needs `text`, `label` (event|not_event) and `split` (train|heldout)")
        rows.append(row)
    return rows, hashlib.sha256(raw).hexdigest()


def _event_example(nlp, row: dict, has_day: bool):
    from spacy.training import Example

    from .event_sentences import ACCEPT, REJECT, sentence_text

    doc = nlp.make_doc(sentence_text(row["text"], has_day, row.get("start")))
    event = row["label"] == "event"
    return Example.from_dict(doc, {"cats": {ACCEPT: float(event), REJECT: float(not event)}})


def binary_scores(gold: list[bool], pred: list[bool]) -> dict[str, Any]:
    tp = sum(g and p for g, p in zip(gold, pred))
    fp = sum(p and not g for g, p in zip(gold, pred))
    fn = sum(g and not p for g, p in zip(gold, pred))
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": round(precision, 3), "recall": round(recall, 3), "f1": round(f1, 3),
            "tp": tp, "fp": fp, "fn": fn, "sentences": len(gold)}


def train_events(data: str | Path | None = None, out: str | Path | None = None, seed: int | None = None,
                 epochs: int | None = None, log: Callable[[str], None] = lambda msg: None) -> dict[str, Any]:
    """Train the events sentence classifier on the ``train`` rows of the labelled sentences, score
    it on the ``heldout`` rows (never trained on), and write the model, its settings, the data's
    SHA-256 and the scores (``training.json``) to ``out``."""
    import spacy

    from .clean import canonical
    from .event_sentences import (ACCEPT, CLASSIFIER_LABELS, announced_without_day, read_kind, sentence_days,
                                  sentence_text, strong_rule)
    from .resources import load_data

    recipe = load_data(DEFAULT_EVENT_RECIPE)
    data = Path(data or user_path(recipe["data"], "event sentences"))
    out = Path(out or recipe["out"])
    seed = recipe["seed"] if seed is None else seed
    epochs = recipe["epochs"] if epochs is None else epochs
    rows, digest = load_event_sentences(data)
    train_rows = [r for r in rows if r["split"] == "train"]
    heldout = [r for r in rows if r["split"] == "heldout"]
    if not train_rows:
        raise TrainError(f"{data}: no `train` rows")
    started = time.perf_counter()
    spacy.util.fix_random_seed(seed)
    nlp = blank_nlp([])
    nlp.remove_pipe("ner")
    textcat = nlp.add_pipe("textcat", config={"model": recipe["model"], "threshold": recipe["threshold"]})
    for label in CLASSIFIER_LABELS:
        textcat.add_label(label)
    examples = [_event_example(nlp, r, day) for r, day in zip(train_rows, sentence_days([r["text"] for r in train_rows]))]
    optimizer = nlp.initialize(lambda: examples)
    rng = random.Random(seed)
    losses_by_epoch = []
    for epoch in range(epochs):
        rng.shuffle(examples)
        losses: dict[str, float] = {}
        for batch in spacy.util.minibatch(examples, size=recipe["batch_size"]):
            nlp.update(batch, drop=recipe["dropout"], sgd=optimizer, losses=losses)
        losses_by_epoch.append(round(losses.get("textcat", 0.0), 4))
        log(f"events epoch {epoch + 1}/{epochs}: loss {losses_by_epoch[-1]}")
    train_seconds = time.perf_counter() - started
    out.mkdir(parents=True, exist_ok=True)
    nlp.to_disk(out)
    heldout_days = sentence_days([r["text"] for r in heldout])
    texts = [sentence_text(r["text"], day, r.get("start")) for r, day in zip(heldout, heldout_days)]
    probabilities = [doc.cats[ACCEPT] for doc in nlp.pipe(texts)]
    gold = [r["label"] == "event" for r in heldout]
    classified = [p >= recipe["threshold"] for p in probabilities]
    first_pass = [strong_rule(canonical(r["text"]), read_kind(canonical(r["text"]), day), day)
                  for r, day in zip(heldout, heldout_days)]
    announced = [announced_without_day(canonical(r["text"]), read_kind(canonical(r["text"]), day), day)
                 for r, day in zip(heldout, heldout_days)]
    report = {
        "data": str(data), "data_sha256": digest, "seed": seed, "epochs": epochs,
        "recipe": {k: v for k, v in recipe.items() if k not in ("data", "out")},
        "sentences": {"train": len(train_rows), "heldout": len(heldout),
                      "train_events": sum(r["label"] == "event" for r in train_rows),
                      "heldout_events": sum(gold)},
        "losses": losses_by_epoch, "train_seconds": round(train_seconds, 2),
        "scores_on_heldout": {
            "classifier": binary_scores(gold, classified),
            # what the pipeline does: the rules' first pass, else the classifier
            "rules_then_classifier": binary_scores(gold, [(a or b) and not c
                                                          for a, b, c in zip(classified, first_pass, announced)]),
            "rules_first_pass_alone": binary_scores(gold, first_pass),
            # every candidate the rules' phrases find taken as an event: what the classifier adds
            "every_candidate": binary_scores(gold, [True] * len(gold)),
        },
    }
    (out / "training.json").write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return report
