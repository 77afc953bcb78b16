"""Extraction speed: the full pipeline and the rule finders alone on 1 and 2 worker processes over
the corpus repeated to 5,000 articles, peak memory, and ``underthesea.ner`` on the same texts.

The reference is what a user would otherwise pick for Vietnamese entities: underthesea's NER, fed
one sentence at a time (its fast way, DEPENDENCY_NOTES). It runs on a sample (the dev split's
documents first, then corpus articles), because over 5,000 articles it alone would take longer than
the whole benchmark may; both sides are timed on the same sample in the same process, so the
ratio is per character of the same texts. On the dev split both are scored with
``vnfacts.extractor.evaluate`` (underthesea's ORG and LOC; its PER has no label in the guide).
"""
from __future__ import annotations

import cProfile
import json
import multiprocessing
import os
import pstats
import re
import resource
import shutil
import time
from collections import Counter
from pathlib import Path
from typing import Any

import yaml

from .common import (REPO, WORK_DIR, Stopwatch, code_fingerprint, load_corpus, new_record, peak_rss_mb,
                     print_table, ratio, read_jsonl, repeat_to, text_size)

FULL = {"articles": 5000, "one_process_articles": 5000, "underthesea_articles": 80, "profile_articles": 60,
        "chunk": 8, "large_document_chars": 5_000_000}
QUICK = {"articles": 8, "one_process_articles": 4, "underthesea_articles": 3, "profile_articles": 2, "chunk": 2,
         "large_document_chars": 50_000}
SCAN_KEYWORDS = 50  # the scanning reference: one alternation of this many keywords
TARGET_NO_MODEL_CHARS_PER_CPU_S = 1_000_000
TARGET_LARGE_DOCUMENT_RATIO = 3.0  # a large document's CPU time per character, at most this times an article's

RULE_FINDERS = ("legal_refs", "programs", "dates", "figures")  # no model, no gazetteer walk
TARGET_SPEEDUP = 5.0
TARGET_RULES_MB_PER_S_PER_CORE = 1.0
EXTRACTIONS_CACHE = "extractions.jsonl"


# -- pipelines ---------------------------------------------------------------------------------
def make_pipeline(kind: str):
    """``full``: the default pipeline; ``rules``: the rule finders alone (no resolvers, no events)."""
    from vnfacts.extractor.pipeline import Pipeline, default_pipeline
    from vnfacts.extractor.resources import load_data

    if kind == "full":
        return default_pipeline()
    config = load_data("pipeline.yaml")
    stages = {k: v for k, v in config["stages"].items() if k in RULE_FINDERS}
    return Pipeline.from_config({"stages": stages, "label_priority": config.get("label_priority")})


def _document(d: dict):
    from vnfacts.extractor.inputs import document_from_json

    return document_from_json(d, d["id"])


# -- worker processes ----------------------------------------------------------------------------
_PIPELINE = None
_CPU_AT_START = 0.0


def _init_worker(kind: str, warm_text: str, barrier) -> None:
    """Load the pipeline and run it once before the clock starts, then wait for the others."""
    global _PIPELINE, _CPU_AT_START
    _PIPELINE = make_pipeline(kind)
    _PIPELINE.extract(_document({"id": "warm-up", "text": warm_text}))
    barrier.wait(timeout=600)
    _CPU_AT_START = time.process_time()


def _extract_chunk(docs: list[dict]) -> tuple[list[tuple[str, str]], int, float, int, float]:
    """Extract and serialize each document (as `vnfacts extract` does); return the JSON lines,
    the facts found, this worker's peak RSS, its pid and the CPU seconds it has used so far."""
    from vnfacts.extractor.extractions import extraction_line

    out = []
    facts = 0
    for d in docs:
        doc = _document(d)
        extraction = _PIPELINE.extract(doc)
        facts += len(extraction.entities)
        out.append((d["id"], extraction_line(doc, extraction)))
    return (out, facts, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, os.getpid(),
            time.process_time() - _CPU_AT_START)


def run_pool(docs: list[dict], processes: int, kind: str = "full", chunk: int = 8,
             keep: set[str] | None = None) -> dict[str, Any]:
    """Extract ``docs`` on ``processes`` worker processes; time from all workers ready to the last
    result. Returns rates, peak RSS of a worker and the JSON of the documents in ``keep``."""
    mp = multiprocessing.get_context("fork")
    barrier = mp.Barrier(processes + 1)
    chunks = [docs[i:i + chunk] for i in range(0, len(docs), chunk)]
    kept: dict[str, str] = {}
    facts = 0
    worker_rss = 0.0
    cpu: dict[int, float] = {}
    with mp.Pool(processes, initializer=_init_worker, initargs=(kind, docs[0]["text"], barrier)) as pool:
        barrier.wait(timeout=600)
        started = time.perf_counter()
        for lines, n_facts, rss, pid, cpu_s in pool.imap_unordered(_extract_chunk, chunks):
            facts += n_facts
            worker_rss = max(worker_rss, rss)
            cpu[pid] = max(cpu.get(pid, 0.0), cpu_s)
            if keep:
                kept.update((i, line) for i, line in lines if i in keep)
        seconds = time.perf_counter() - started
    chars, nbytes = text_size(docs)
    return {"processes": processes, "articles": len(docs), "characters": chars, "utf8_bytes": nbytes,
            "facts": facts, "seconds": round(seconds, 2), "articles_per_s": round(len(docs) / seconds, 2),
            "chars_per_s": round(chars / seconds), "mb_per_s": round(nbytes / seconds / 1e6, 3),
            "mb_per_s_per_process": round(nbytes / seconds / 1e6 / processes, 3),
            "peak_rss_mb_per_worker": round(worker_rss, 1),
            # CPU seconds the workers got: on a shared machine, fewer than processes x seconds
            "cpu_seconds": round(sum(cpu.values()), 2), "cores_used": round(sum(cpu.values()) / seconds, 2),
            "chars_per_cpu_s": round(chars / sum(cpu.values())) if sum(cpu.values()) else None,
            "_kept": kept}


# -- cached extractions (the loading and search benchmarks reuse them) --------------------------
def cache_path(work_dir: Path) -> Path:
    return work_dir / EXTRACTIONS_CACHE


def save_extractions(work_dir: Path, docs: list[dict], lines: dict[str, str]) -> None:
    work_dir.mkdir(parents=True, exist_ok=True)
    tmp = cache_path(work_dir).with_suffix(".tmp")
    with tmp.open("w", encoding="utf-8") as f:
        f.write(json.dumps({"fingerprint": code_fingerprint(), "ids": [d["id"] for d in docs]}) + "\n")
        for d in docs:
            f.write(lines[d["id"]] + "\n")
    tmp.replace(cache_path(work_dir))


def extractions_for(docs: list[dict], work_dir: Path, processes: int = 2, cache: bool = True) -> list[dict]:
    """The extraction JSON of each document: from the cache when it was made by this code for
    these documents, else extracted now (and cached, unless ``cache`` is false)."""
    path = cache_path(work_dir)
    if cache and path.exists():
        with path.open(encoding="utf-8") as f:
            head = json.loads(f.readline())
            if head.get("fingerprint") == code_fingerprint() and head.get("ids") == [d["id"] for d in docs]:
                return [json.loads(line) for line in f]
    result = run_pool(docs, processes, "full", keep={d["id"] for d in docs})
    if cache:
        save_extractions(work_dir, docs, result["_kept"])
    return [json.loads(result["_kept"][d["id"]]) for d in docs]


# -- the reference: underthesea.ner -------------------------------------------------------------
_NER_LABELS = {"ORG": "ORG", "LOC": "LOC"}  # PER has no label in the annotation guide


def underthesea_entities(text: str) -> list[dict]:
    """ORG and LOC spans from ``underthesea.ner``, fed one sentence at a time, with offsets into
    ``text`` found by locating each returned token after the previous one."""
    from underthesea import ner, sent_tokenize  # lazily: importing it is slow (DEPENDENCY_NOTES)

    entities: list[dict] = []
    cursor = 0
    for line in text.split("\n"):
        if not line.strip():
            cursor += len(line) + 1
            continue
        line_end = cursor + len(line)
        for sentence in sent_tokenize(line):
            current = None
            for token, _pos, _chunk, tag in ner(sentence):
                found = _locate(text, token, cursor, line_end)
                if found is None:
                    current = None
                    continue
                start, end = found
                cursor = end
                kind = tag[2:] if tag[:2] in ("B-", "I-") else None
                label = _NER_LABELS.get(kind or "")
                if label and tag.startswith("I-") and current and current["label"] == label:
                    current["end"] = end
                elif label:
                    current = {"start": start, "end": end, "label": label}
                    entities.append(current)
                else:
                    current = None
        cursor = line_end + 1
    for e in entities:
        e["text"] = text[e["start"]:e["end"]]
        e["norm"] = {"province": None} if e["label"] == "LOC" else {"name": e["text"]}
    return entities


def _locate(text: str, token: str, cursor: int, limit: int) -> tuple[int, int] | None:
    at = text.find(token, cursor, limit)
    if at >= 0 and at - cursor < 80:
        return at, at + len(token)
    # underthesea joins syllables with one space; the text may have other spacing
    pattern = r"\s+".join(re.escape(part) for part in token.split())
    m = re.compile(pattern).search(text, cursor, limit) if pattern else None
    if m and m.start() - cursor < 80:
        return m.start(), m.end()
    return None


def dev_gold() -> list[dict]:
    """Gold documents of the dev split (annotations/split.yaml), else the seed devset."""
    split = REPO / "annotations" / "split.yaml"
    if split.exists():
        config = yaml.safe_load(split.read_text(encoding="utf-8"))
        dev = set(config.get("dev") or [])
        gold: dict[str, dict] = {}
        for name in config.get("files") or []:
            path = REPO / name
            if path.exists():
                for d in read_jsonl(path):
                    if d["id"] in dev:
                        gold.setdefault(d["id"], d)
        if gold:
            return list(gold.values())
    return read_jsonl(REPO / "annotations" / "devset.jsonl")


def compare_with_underthesea(corpus: list[dict], n: int) -> dict[str, Any]:
    """Time the full pipeline and underthesea.ner on the same sample in this process; score both
    on the dev split (which leads the sample)."""
    from vnfacts.extractor.evaluate import evaluate

    gold = dev_gold()[:n]  # a quick run scores fewer documents
    gold_ids = {d["id"] for d in gold}
    sample = [{"id": d["id"], "text": d["text"], "published": d.get("published")} for d in gold]
    sample += [d for d in corpus if d["id"] not in gold_ids][:max(0, n - len(sample))]
    sample = sample[:max(n, len(gold))]
    chars, nbytes = text_size(sample)

    pipeline = make_pipeline("full")
    pipeline.extract(_document(sample[0]))  # warm up: data files, gazetteers
    with Stopwatch() as t_pipe:
        ours = {d["id"]: pipeline.extract(_document(d)).to_json() for d in sample}
    underthesea_entities("Hà Nội.")  # warm up: import and model load, not counted
    with Stopwatch() as t_ref:
        theirs = {d["id"]: {"id": d["id"], "entities": underthesea_entities(d["text"]), "events": []} for d in sample}

    report_ours = evaluate(gold, [ours[d["id"]] for d in gold])
    report_theirs = evaluate(gold, [theirs[d["id"]] for d in gold])

    def scores(report: dict) -> dict[str, Any]:
        labels = report["labels"]
        out = {label: {"overlap_f1": labels.get(label, {}).get("overlap", {}).get("f1", 0.0),
                       "exact_f1": labels.get(label, {}).get("exact", {}).get("f1", 0.0),
                       "norm_f1": labels.get(label, {}).get("norm", {}).get("f1", 0.0)} for label in ("ORG", "LOC")}
        out["org_loc_mean_overlap_f1"] = round((out["ORG"]["overlap_f1"] + out["LOC"]["overlap_f1"]) / 2, 4)
        out["macro_norm_f1_all_labels"] = report["macro_norm_f1"]
        return out

    s_ours, s_theirs = scores(report_ours), scores(report_theirs)
    return {
        "sample": {"articles": len(sample), "characters": chars, "utf8_bytes": nbytes,
                   "note": "underthesea.ner is timed on this sample only (over 5,000 articles it would take "
                           "longer than the whole benchmark may); the pipeline is timed on the same texts in "
                           "the same process, so the ratio compares characters per second of the same texts"},
        "pipeline": {"seconds": round(t_pipe.seconds, 4), "chars_per_s": round(chars / t_pipe.seconds)},
        "underthesea": {"seconds": round(t_ref.seconds, 4), "chars_per_s": round(chars / t_ref.seconds),
                        "how": "underthesea.sent_tokenize per line, then underthesea.ner per sentence; "
                               "B-/I- ORG and LOC tags joined into spans"},
        "speedup_vs_underthesea": ratio(t_ref.seconds, t_pipe.seconds),
        "scores": {"documents": len(gold), "gold_from": "annotations/split.yaml dev",
                   "pipeline": s_ours, "underthesea": s_theirs,
                   "pipeline_scores_higher": s_ours["org_loc_mean_overlap_f1"] > s_theirs["org_loc_mean_overlap_f1"]},
    }


# -- where the time goes -------------------------------------------------------------------------
def profile_stages(docs: list[dict], top: int = 12) -> dict[str, Any]:
    """Seconds per pipeline stage over ``docs``, and cProfile's top functions."""
    from vnfacts.extractor.pipeline import new_context, run_stage, to_extraction

    pipeline = make_pipeline("full")
    pipeline.extract(_document(docs[0]))
    stages: Counter = Counter()

    def timed(name, fn, *args):
        t = time.perf_counter()
        value = fn(*args)
        stages[name] += time.perf_counter() - t
        return value

    for d in docs:
        doc = _document(d)
        ctx = timed("clean+sentences", new_context, doc)
        for st in pipeline.stages:
            timed(st.name, run_stage, st, ctx, pipeline.label_priority)
        timed("offsets+json", lambda: json.dumps(to_extraction(doc, ctx, ctx.spans, ctx.events or []).to_json(),
                                                 ensure_ascii=False))
    total = sum(stages.values())
    stage_rows = [{"stage": k, "seconds": round(v, 3), "share": round(v / total, 3)} for k, v in stages.most_common()]

    profiler = cProfile.Profile()
    profiler.enable()
    for d in docs:
        pipeline.extract(_document(d))
    profiler.disable()
    stats = pstats.Stats(profiler)
    rows = sorted(stats.stats.items(), key=lambda kv: kv[1][2], reverse=True)[:top]  # by own time
    functions = [{"function": f"{Path(file).name}:{line}({name})", "calls": nc, "own_s": round(tt, 3),
                  "cumulative_s": round(ct, 3)} for (file, line, name), (cc, nc, tt, ct, _) in rows]
    return {"articles": len(docs), "stages": stage_rows, "top_functions_by_own_time": functions}


# -- per CPU-second, in this process: the rules, the scanning reference, a large document -------
def _cpu_seconds(fn) -> float:
    start = time.process_time()
    fn()
    return time.process_time() - start


def scanning_reference(docs: list[dict]) -> dict[str, Any]:
    """What reading the text at all costs: clean and fold each text (the text layer every finder
    needs) and run one alternation of 50 keywords (the first head nouns of orgs.yaml, folded)
    over it. No finder can be faster than this; the pipeline's distance from it is the ratio."""
    from vnfacts.extractor.clean import clean_text, fold_query
    from vnfacts.extractor.resources import load_data

    words = list(dict.fromkeys(fold_query(h["words"]) for h in load_data("orgs.yaml")["heads"]))[:SCAN_KEYWORDS]
    pattern = re.compile(r"(?<!\w)(?:" + "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in
                                                   sorted(words, key=len, reverse=True)) + r")(?!\w)")
    found = 0

    def scan() -> None:
        nonlocal found
        for d in docs:
            found += sum(1 for _ in pattern.finditer(clean_text(d["text"]).folded))
    cpu = _cpu_seconds(scan)
    chars, _ = text_size(docs)
    return {"keywords": len(words), "articles": len(docs), "characters": chars, "cpu_seconds": round(cpu, 3),
            "chars_per_cpu_s": round(chars / cpu), "matches": found}


def no_model_in_process(docs: list[dict]) -> dict[str, Any]:
    """`vnfacts extract --no-model` without the reading and writing of files: every stage but the
    statistical model, each document serialized as a line, in this process; with the work counters."""
    from vnfacts.extractor.extractions import extraction_line
    from vnfacts.extractor.pipeline import rules_pipeline
    from vnfacts.extractor.work import counting

    pipeline = rules_pipeline()
    pipeline.extract(_document(docs[0]))
    parsed = [_document(d) for d in docs]
    with counting() as work:
        cpu = _cpu_seconds(lambda: [extraction_line(doc, pipeline.extract(doc)) for doc in parsed])
    chars, _ = text_size(docs)
    return {"articles": len(docs), "characters": chars, "cpu_seconds": round(cpu, 3),
            "chars_per_cpu_s": round(chars / cpu), "work": dict(sorted(work.items()))}


def large_document(corpus: list[dict], size: int) -> dict[str, Any]:
    """One document of ``size`` characters of mixed content (the corpus's articles one after the
    other, with the inputs that used to be slow mixed in: bracketed acronyms, comma lists of places,
    venues, a run of letters with no space, zero-width characters), against the same articles
    extracted one by one: CPU seconds per character, and their ratio."""
    from vnfacts.extractor.models import Document
    from vnfacts.extractor.pipeline import rules_pipeline
    from vnfacts.extractor.work import counting

    hard = ["Trung tâm Công tác xã hội Hà Nội (CTXH) và Quỹ Bảo trợ trẻ em (BTTE) phối hợp. ",
            "Tại Hà Nội, Bình Dương, Đống Đa, Nghệ An, Quảng Trị, Thái Thịnh, Cầu Giấy, Hải Phòng. ",
            "Hội nghị tổ chức tại khách sạn Thắng Lợi, số 200, Yên Phụ, Tây Hồ, Hà Nội. ",
            "oàoàoàoàoàoàoàoàoàoàoàoàoàoàoàoàoàoàoàoàoàoàoàoàoàoàoàoàoàoà. ",
            "Quyết\u200b định số 1438/QĐ-TTg về hoà nhập người khuyết tật. "]
    pieces: list[str] = []
    used: list[dict] = []
    total = i = 0
    while total < size:
        d = corpus[i % len(corpus)]
        piece = d["text"] + "\n" + hard[i % len(hard)] * 3 + "\n"
        pieces.append(piece)
        used.append({"id": f"part-{i}", "text": piece})
        total += len(piece)
        i += 1
    text = "".join(pieces)
    pipeline = rules_pipeline()
    pipeline.extract(Document("warm-up", used[0]["text"]))
    parts_cpu = _cpu_seconds(lambda: [pipeline.extract(Document(d["id"], d["text"])) for d in used])
    with counting() as work:
        whole_cpu = _cpu_seconds(lambda: pipeline.extract(Document("large", text)))
    per_char_parts = parts_cpu / len(text)
    per_char_whole = whole_cpu / len(text)
    return {"characters": len(text), "articles_inside": len(used),
            "as_articles": {"cpu_seconds": round(parts_cpu, 3), "chars_per_cpu_s": round(len(text) / parts_cpu)},
            "as_one_document": {"cpu_seconds": round(whole_cpu, 3), "chars_per_cpu_s": round(len(text) / whole_cpu)},
            "time_per_char_ratio": round(per_char_whole / per_char_parts, 2),
            "target_ratio": TARGET_LARGE_DOCUMENT_RATIO,
            "target_met": per_char_whole <= TARGET_LARGE_DOCUMENT_RATIO * per_char_parts,
            "work": dict(sorted(work.items())), "peak_rss_mb": peak_rss_mb()}


# The first document of a start-up measure: one whose only sentence names no kind of event, and one
# whose event sentence (no day, no sign that it took place) the rules leave to the events classifier.
START_UP_DOCUMENTS = {
    "no_event_sentence": "Sở Y tế tỉnh Nghệ An cho biết số ca sốt xuất huyết giảm 20% so với năm 2022.",
    "sentence_for_the_classifier": "Hội nghị tập huấn về công tác xã hội cho cán bộ cơ sở của tỉnh Nghệ An.",
}


START_UP_RUNS = 4  # per case: one with an empty cache, then three with the cache built

# `vnfacts ARGS...` with the extractor's code taken from a folder (another commit's, as
# bench.before_after exports it) when one is given: argv is [folder or "", ARGS...].
_COMMAND = """
import sys
if sys.argv[1]:
    import importlib.util
    import vnfacts.extractor as package
    package.__path__[:] = [sys.argv[1]]
    package.__spec__ = importlib.util.spec_from_file_location(package.__name__, sys.argv[1] + "/__init__.py",
                                                              submodule_search_locations=[sys.argv[1]])
from vnfacts.cli import main
sys.exit(main(sys.argv[2:]))
"""


def start_up(work_dir: Path, quick: bool = False, extractor: Path | None = None) -> dict[str, Any]:
    """CPU seconds of a whole ``vnfacts extract -q FILE`` process with one document (the interpreter,
    imports, data files, the warm-up, the document, its JSON line), from the process's resource
    usage: the rules (``--no-model``) and the shipped pipeline, for each first document of
    :data:`START_UP_DOCUMENTS`, with an empty cache and once it is built; without ``.pyc`` files
    when the environment writes none (``PYTHONDONTWRITEBYTECODE``: each module compiled at each
    start, as on this machine) and with bytecode compiled beforehand (``PYTHONPYCACHEPREFIX``, as
    pip installs a package). ``extractor``: the extractor's code from that folder (another commit's)."""
    import subprocess
    import sys

    vnfacts = [sys.executable, "-c", _COMMAND, str(extractor or "")]
    base_env = dict(os.environ)
    builds = {"no_bytecode": {**base_env, "PYTHONDONTWRITEBYTECODE": "1"},
              "bytecode": {k: v for k, v in base_env.items() if k != "PYTHONDONTWRITEBYTECODE"}}
    builds["bytecode"]["PYTHONPYCACHEPREFIX"] = str(work_dir / "start-up-pycache")
    out: dict[str, Any] = {"code": str(extractor) if extractor else "working copy"}
    if quick:  # a smoke run: the environment's own build, the rules, two runs
        builds.pop("bytecode")
    for build, env in builds.items():
        if build == "bytecode":  # compiled once, as an install would: not part of any measure
            subprocess.run([*vnfacts, "extract", "-q", "-"], input=json.dumps({"id": "a", "text": "Hội nghị."}),
                           env=env, capture_output=True, text=True, check=True, timeout=300)
        for doc_name, text in START_UP_DOCUMENTS.items():
            if quick and doc_name != "sentence_for_the_classifier":
                continue
            for pipeline, flags in (("rules", ["--no-model"]), ("shipped", []))[:1 if quick else 2]:
                cache = work_dir / f"start-up-cache-{'base' if extractor else 'head'}"
                shutil.rmtree(cache, ignore_errors=True)
                runs = [_process_cpu([*vnfacts, "extract", "-q", *flags, "-"],
                                     json.dumps({"id": "a", "text": text}, ensure_ascii=False),
                                     {**env, "VNFACTS_CACHE": str(cache)}) for _ in range(2 if quick else START_UP_RUNS)]
                # the first run builds the cache; the least of the others (the machine is shared)
                out.setdefault(build, {}).setdefault(doc_name, {})[pipeline] = {
                    "empty_cache_cpu_s": runs[0], "cache_built_cpu_s": min(runs[1:]), "cache_built_runs": runs[1:]}
    out["documents"] = START_UP_DOCUMENTS
    out["environment_writes_bytecode"] = not os.environ.get("PYTHONDONTWRITEBYTECODE")
    return out


def print_start_up(su: dict[str, Any]) -> None:
    rows = [[build, doc, pipeline, got["empty_cache_cpu_s"], got["cache_built_cpu_s"]]
            for build in ("no_bytecode", "bytecode") for doc, by in su.get(build, {}).items() for pipeline, got in by.items()]
    print_table("Start-up: CPU-s of `vnfacts extract -q` with one document", ["build", "first document", "pipeline",
                "empty cache", "cache built"], rows)


def _process_cpu(command: list[str], stdin: str, env: dict) -> float:
    """User + system CPU seconds of one child process run to its end."""
    import subprocess

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run(command, input=stdin, env=env, capture_output=True, text=True, check=True, timeout=300)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return round(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime, 3)


# -- the benchmark ----------------------------------------------------------------------------
def run(quick: bool = False, work_dir: Path = WORK_DIR, sizes: dict | None = None) -> dict[str, Any]:
    sizes = {**(QUICK if quick else FULL), **(sizes or {})}
    record = new_record("extraction", quick)
    corpus, info = load_corpus()
    record["corpus"] = {**info, "repeated_to": sizes["articles"]}
    record["sizes"] = sizes
    docs = repeat_to(corpus, sizes["articles"])
    unique = {d["id"] for d in corpus}
    # Load both pipelines here once: the forked workers share what is loaded (as a server that
    # forks its workers would), and each still runs one warm-up document before the clock starts.
    make_pipeline("full").extract(_document(corpus[0]))
    make_pipeline("rules").extract(_document(corpus[0]))

    full2 = run_pool(docs, 2, "full", sizes["chunk"], keep=unique)
    if all(d["id"] in full2["_kept"] for d in corpus):
        save_extractions(work_dir, corpus, full2["_kept"])  # for the loading benchmark
    full1 = run_pool(docs[:sizes["one_process_articles"]], 1, "full", sizes["chunk"])
    rules2 = run_pool(docs, 2, "rules", sizes["chunk"])
    rules1 = run_pool(docs, 1, "rules", sizes["chunk"])
    for r in (full1, full2, rules1, rules2):
        r.pop("_kept")

    reference = compare_with_underthesea(corpus, sizes["underthesea_articles"])
    profile = profile_stages(corpus[:sizes["profile_articles"]])
    sample = corpus if not quick else corpus[:sizes["one_process_articles"]]
    scanning = scanning_reference(sample)
    no_model = no_model_in_process(sample)
    record["no_model"] = {**no_model, "target_chars_per_cpu_s": TARGET_NO_MODEL_CHARS_PER_CPU_S,
                          "target_met": no_model["chars_per_cpu_s"] >= TARGET_NO_MODEL_CHARS_PER_CPU_S,
                          "scanning_reference": scanning,
                          "ratio_to_scanning_reference": ratio(no_model["chars_per_cpu_s"], scanning["chars_per_cpu_s"], 3)}
    record["large_document"] = large_document(corpus, sizes["large_document_chars"])
    record["start_up"] = start_up(work_dir, quick)

    record["full_pipeline"] = {"1_process": full1, "2_processes": full2,
                               "speedup_2_vs_1": ratio(full2["articles_per_s"], full1["articles_per_s"])}
    rules_per_core = rules1["mb_per_s"]  # one process on one core
    record["rule_finders"] = {"finders": list(RULE_FINDERS), "1_process": rules1, "2_processes": rules2,
                              "speedup_2_vs_1": ratio(rules2["mb_per_s"], rules1["mb_per_s"]),
                              "target_mb_per_s_per_core": TARGET_RULES_MB_PER_S_PER_CORE,
                              "target_met": rules_per_core >= TARGET_RULES_MB_PER_S_PER_CORE}
    record["reference"] = reference
    record["speedup_vs_underthesea"] = reference["speedup_vs_underthesea"]
    record["target_speedup_vs_underthesea"] = TARGET_SPEEDUP
    record["target_met"] = bool(reference["speedup_vs_underthesea"] and reference["speedup_vs_underthesea"] >= TARGET_SPEEDUP
                                and reference["scores"]["pipeline_scores_higher"])
    record["profile"] = profile
    record["parent_peak_rss_mb"] = peak_rss_mb()

    rows = [[f"full pipeline, {r['processes']} proc", r["articles"], r["articles_per_s"], r["chars_per_s"],
             r["mb_per_s"], r["cores_used"], r["chars_per_cpu_s"], r["peak_rss_mb_per_worker"]] for r in (full1, full2)]
    rows += [[f"rule finders, {r['processes']} proc", r["articles"], r["articles_per_s"], r["chars_per_s"],
              r["mb_per_s"], r["cores_used"], r["chars_per_cpu_s"], r["peak_rss_mb_per_worker"]] for r in (rules1, rules2)]
    s = reference["sample"]
    rows.append(["full pipeline, sample, 1 proc", s["articles"], None, reference["pipeline"]["chars_per_s"],
                 None, None, None, None])
    rows.append(["underthesea.ner, sample, 1 proc", s["articles"], None, reference["underthesea"]["chars_per_s"],
                 None, None, None, None])
    print_table("Extraction", ["run", "articles", "articles/s", "chars/s", "MB/s", "cores got", "chars/CPU-s",
                               "peak RSS MB"], rows)
    sc = reference["scores"]
    print_table(f"Scores on the dev split ({sc['documents']} documents), overlap F1",
                ["system", "ORG", "LOC", "mean"],
                [[name, sc[key]["ORG"]["overlap_f1"], sc[key]["LOC"]["overlap_f1"], sc[key]["org_loc_mean_overlap_f1"]]
                 for name, key in (("vnfacts pipeline", "pipeline"), ("underthesea.ner", "underthesea"))])
    print(f"ratio: full pipeline / underthesea.ner = {record['speedup_vs_underthesea']}x per character "
          f"(target {TARGET_SPEEDUP}x and a higher score: {'met' if record['target_met'] else 'NOT met'})")
    print(f"ratio: 2 / 1 processes = {record['full_pipeline']['speedup_2_vs_1']}x (full), "
          f"{record['rule_finders']['speedup_2_vs_1']}x (rules); rule finders {rules_per_core} MB/s per core "
          f"(target {TARGET_RULES_MB_PER_S_PER_CORE}: {'met' if record['rule_finders']['target_met'] else 'NOT met'})")
    print_table("Where the time goes (stages, one process)", ["stage", "seconds", "share"],
                [[r["stage"], r["seconds"], r["share"]] for r in profile["stages"]])
    nm, big, su = record["no_model"], record["large_document"], record["start_up"]
    print(f"ratio: rules (--no-model) / scanning reference = {nm['ratio_to_scanning_reference']}x per CPU-second "
          f"({nm['chars_per_cpu_s']:,} vs {nm['scanning_reference']['chars_per_cpu_s']:,} chars/CPU-s over "
          f"{nm['articles']} articles; target {TARGET_NO_MODEL_CHARS_PER_CPU_S:,}: {'met' if nm['target_met'] else 'NOT met'})")
    print(f"ratio: one {big['characters']:,}-character document / its articles one by one = "
          f"{big['time_per_char_ratio']}x CPU time per character (target <= {TARGET_LARGE_DOCUMENT_RATIO}x: "
          f"{'met' if big['target_met'] else 'NOT met'})")
    print_start_up(su)
    return record
