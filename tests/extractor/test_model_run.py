"""How the ORG/LOC model is run (ner_model.load_spacy: its matrix products by numpy's BLAS on one
thread instead of blis) changes nothing it predicts, and is chosen only where numpy's BLAS runs on
one thread."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from vnfacts.extractor.inputs import document_from_json
from vnfacts.extractor.ner_model import load_spacy, resolve_path, spacy_spans
from vnfacts.extractor.pipeline import new_context

REPO = Path(__file__).resolve().parents[2]


def _contexts(limit: int):
    out = []
    for path in sorted((REPO / "annotations").glob("batch-*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            d = json.loads(line)
            out.append(new_context(document_from_json(d, d["id"])))
    return out[::max(1, len(out) // limit)]


def test_the_model_predicts_the_same_spans_with_either_matrix_product():
    from thinc.api import NumpyOps

    load_spacy.cache_clear()
    nlp = load_spacy(str(resolve_path("models/orgloc")))
    layers = [layer for _, component in nlp.pipeline for layer in component.model.walk()]
    contexts = _contexts(50)
    predicted = {}
    try:
        for use_blis in (True, False):
            ops = NumpyOps(use_blis=use_blis)
            for layer in layers:
                layer.ops = ops
            predicted[use_blis] = [spacy_spans(nlp, ctx.text, {"ORG", "LOC"}, ctx.sentences) for ctx in contexts]
    finally:
        load_spacy.cache_clear()  # the next test loads it afresh, as configured
    assert sum(map(len, predicted[True])) > 300
    assert predicted[True] == predicted[False]


_OPS = """
import json
from vnfacts.extractor.ner_model import load_spacy, resolve_path
nlp = load_spacy(str(resolve_path("models/orgloc")))
print(json.dumps(sorted({getattr(layer.ops, "use_blis", None) for _, c in nlp.pipeline for layer in c.model.walk()})))
"""


def _uses_blis(**env) -> list:
    clean = {k: v for k, v in os.environ.items() if k not in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS")}
    done = subprocess.run([sys.executable, "-c", _OPS], env={**clean, **env}, capture_output=True, text=True,
                          check=True, timeout=300)
    return json.loads(done.stdout)


def test_numpy_does_the_products_only_on_one_thread():
    assert _uses_blis() == [False]  # numpy imported here, on one thread
    assert _uses_blis(OPENBLAS_NUM_THREADS="1") == [False]
    assert _uses_blis(OPENBLAS_NUM_THREADS="4") == [True]  # the user's threads: blis, as spaCy would


_BOTH = """
import json
from vnfacts.extractor.event_sentences import load_classifier
from vnfacts.extractor.ner_model import load_spacy, resolve_path
load_classifier("models/events")  # the first model loaded imports numpy
nlp = load_spacy(str(resolve_path("models/orgloc")))
print(json.dumps(sorted({getattr(layer.ops, "use_blis", None) for _, c in nlp.pipeline for layer in c.model.walk()})))
"""


def test_the_second_model_loaded_runs_as_the_first():
    clean = {k: v for k, v in os.environ.items() if k not in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS")}
    done = subprocess.run([sys.executable, "-c", _BOTH], env=clean, capture_output=True, text=True, check=True,
                          timeout=300)
    assert json.loads(done.stdout) == [False]
