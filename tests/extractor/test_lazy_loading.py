"""What the extractor loads only when a document needs it (start-up, README "Extraction speed"):
the events classifier (and spaCy with it) reads only the candidate sentences the rules leave
undecided, and decides them as it did when it read every candidate; a document with none never
imports spaCy; a load on first use is never cut off halfway by a document's time budget; the data
files are read back from the cache without PyYAML."""
from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest

from vnfacts.extractor import events
from vnfacts.extractor.event_sentences import announced_without_day, classifier_text, day_of, event_probabilities, strong_rule
from vnfacts.extractor.pipeline import BudgetExceeded, rules_pipeline, time_budget
from vnfacts.extractor.resources import load_data, unbroken_by_alarms

REPO = Path(__file__).resolve().parents[2]
CLASSIFIER = "models/events"


def _corpus_contexts(n: int):
    pipeline = rules_pipeline()
    lines = (REPO / "corpus" / "articles.jsonl").read_text(encoding="utf-8").splitlines()[:n]
    from vnfacts.extractor.inputs import document_from_json

    for line in lines:
        d = json.loads(line)
        yield pipeline.context(document_from_json(d, d["id"]), until="events")


def _every_candidate_read(candidates):
    """The decision as it was made before: the classifier reads every candidate."""
    nlp, threshold = events._classifier(CLASSIFIER)
    days = [day_of(c.dates) is not None for c in candidates]
    texts = [classifier_text(c.written, c.match, has_day=day, at=c.at) for c, day in zip(candidates, days)]
    return [c for c, day, p in zip(candidates, days, event_probabilities(nlp, texts))
            if (p >= threshold or strong_rule(c.written, c.match, has_day=day) or events._today(c))
            and not announced_without_day(c.written, c.match, has_day=day)]


def test_the_classifier_reading_only_undecided_sentences_accepts_the_same_candidates():
    compared = settled = 0
    for ctx in _corpus_contexts(60):
        spans = sorted(ctx.spans, key=lambda s: s.start)
        starts = [s.start for s in spans]
        candidates = [c for i in range(len(ctx.sentences)) if (c := events._candidate(i, spans, ctx, starts))]
        if not candidates:
            continue
        assert events._classified(candidates, CLASSIFIER) == _every_candidate_read(candidates), ctx.doc.id
        compared += len(candidates)
        settled += sum(events._settled_by_rules(c, day_of(c.dates) is not None) is not None for c in candidates)
    assert compared > 100 and 0 < settled < compared  # both kinds of candidate were met


_FIRST_DOCUMENT = """
import json, sys
from vnfacts.extractor.models import Document
from vnfacts.extractor.pipeline import rules_pipeline, warm_up
pipeline = rules_pipeline()
warm_up(pipeline)
extraction = pipeline.extract(Document("a", sys.argv[1]))
print(json.dumps({"spacy": "spacy" in sys.modules, "yaml": "yaml" in sys.modules,
                  "events": [e.kind for e in extraction.events]}))
"""


def _first_document(text: str, cache: Path) -> dict:
    done = subprocess.run([sys.executable, "-c", _FIRST_DOCUMENT, text], capture_output=True, text=True, check=True,
                          timeout=300, env={**__import__("os").environ, "VNFACTS_CACHE": str(cache)})
    return json.loads(done.stdout)


def test_spacy_is_imported_only_for_a_sentence_the_rules_leave_undecided(tmp_path):
    cache = tmp_path / "cache"
    # no kind of event named: no candidate at all
    assert _first_document("Sở Y tế tỉnh Nghệ An cho biết số ca bệnh giảm.", cache)["spacy"] is False
    # a day and a sign that it took place: the rules accept it whatever the classifier says
    held = _first_document("Ngày 5/6/2023, Sở Y tế tỉnh Nghệ An tổ chức hội nghị tập huấn tại Vinh.", cache)
    assert held == {"spacy": False, "yaml": False, "events": ["tập huấn"]}
    # no day, no sign: the classifier decides
    assert _first_document("Hội nghị tập huấn về công tác xã hội.", cache)["spacy"] is True


def test_a_budget_running_out_during_a_first_load_waits_for_the_load_to_finish():
    finished = []
    with pytest.raises(BudgetExceeded):
        with time_budget(0.01):
            with unbroken_by_alarms():
                until = time.monotonic() + 0.2  # well past the alarm
                while time.monotonic() < until:
                    pass
                finished.append(True)
            pytest.fail("the held alarm did not go off after the block")
    assert finished == [True]


def test_the_data_files_read_from_the_cache_are_the_parsed_yaml(tmp_path, monkeypatch):
    import yaml

    from vnfacts.extractor.resources import data_file

    monkeypatch.setenv("VNFACTS_CACHE", str(tmp_path))
    load_data.cache_clear()
    try:
        first = load_data("event_kinds.yaml")
        load_data.cache_clear()
        again = load_data("event_kinds.yaml")  # read back from the pickle
    finally:
        load_data.cache_clear()
    assert [p.name for p in tmp_path.glob("data-event_kinds.yaml-*.pickle")]
    assert first == again == yaml.safe_load(data_file("event_kinds.yaml").read_text(encoding="utf-8"))


_LOAD_THE_MODEL = """
import json, sys
from vnfacts.extractor.ner_model import load_spacy
nlp = load_spacy(sys.argv[1])
hidden = "torch" in sys.modules
doc = nlp("Sở Lao động - Thương binh và Xã hội tỉnh Nghệ An tổ chức hội nghị tại thành phố Vinh.")
import torch  # still importable for whoever needs it next (the transformers backend)
print(json.dumps({"torch_at_load": hidden, "torch_after": torch.__name__,
                  "ents": [(e.text, e.label_) for e in doc.ents]}))
"""


def test_the_shipped_model_loads_without_importing_torch():
    """thinc would import torch (1-2 CPU-s) with spaCy; the shipped models run no PyTorch layer."""
    pytest.importorskip("torch")  # installed by `make test` (the transformers backend)
    done = subprocess.run([sys.executable, "-c", _LOAD_THE_MODEL, str(REPO / "models" / "orgloc")],
                          capture_output=True, text=True, check=True, timeout=300)
    loaded = json.loads(done.stdout)
    assert loaded["torch_at_load"] is False and loaded["torch_after"] == "torch"
    assert ("Nghệ An" in " ".join(text for text, _ in loaded["ents"]))  # the model still reads


def test_a_model_naming_a_pytorch_layer_keeps_torch(tmp_path):
    from vnfacts.extractor.ner_model import _needs_torch

    (tmp_path / "config.cfg").write_text('[components.tok2vec.model]\n@architectures = "spacy-transformers.TransformerModel.v3"\n')
    assert _needs_torch(str(tmp_path)) is True
    assert _needs_torch(str(REPO / "models" / "orgloc")) is False
    assert _needs_torch(str(REPO / CLASSIFIER)) is False


def test_a_budget_whose_first_alarm_is_swallowed_still_ends_the_work():
    """Code that swallows every exception (or a finalizer, where Python ignores one) can lose the
    budget's raise: the alarm goes off again until the block ends."""
    def spin(seconds):
        until = time.monotonic() + seconds
        while time.monotonic() < until:
            pass

    with pytest.raises(BudgetExceeded):
        with time_budget(0.05):
            try:
                spin(0.2)  # the first alarm goes off in here...
            except BaseException:  # noqa: BLE001 - ...and is swallowed
                pass
            spin(5)  # the old one-shot alarm let this run to its end


# Modules a rules-only run does not use: the worker pool's (`--jobs`), the installed distributions'
# metadata and importlib.resources (data files are found by their package's folder), what writes a
# cache (tempfile) or builds the gazetteer (pycountry), spaCy and PyYAML.
_NOT_FOR_ONE_RULES_RUN = ("multiprocessing", "concurrent.futures", "importlib.metadata", "importlib.resources",
                          "tempfile", "pycountry", "spacy", "yaml")


def test_a_rules_run_from_the_cache_imports_only_what_it_uses(tmp_path):
    """`vnfacts extract --no-model` of one document, its caches built by a first run: none of the
    modules it does not use is imported (README, start-up), and it still extracts."""
    doc = tmp_path / "one.jsonl"
    doc.write_text(json.dumps({"id": "a", "text": "Sở Y tế tỉnh Nghệ An cho biết số ca bệnh giảm 12%."}) + "\n",
                   encoding="utf-8")
    env = {**__import__("os").environ, "VNFACTS_CACHE": str(tmp_path / "cache")}
    for _ in range(2):
        done = subprocess.run([sys.executable, "-X", "importtime", "-m", "vnfacts", "extract", "-q", "--no-model", str(doc)],
                              capture_output=True, text=True, check=True, timeout=300, env=env, cwd=REPO)
    imported = {line.rsplit("|", 1)[1].strip() for line in done.stderr.splitlines() if line.startswith("import time:")}
    assert "vnfacts.extractor.tokens" in imported  # (the import log is read)
    assert not imported & set(_NOT_FOR_ONE_RULES_RUN)
    assert {e["label"] for e in json.loads(done.stdout)["entities"]} >= {"ORG", "FIGURE"}
