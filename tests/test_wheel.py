"""vnfacts installed like any other package: the wheel built from this checkout, installed through the
lock into a new virtualenv (offline, from the wheelhouse `make wheelhouse` fills), and used from a
folder outside any checkout that holds the names users' own files take (`crawler.py`, `publish/`).

It checks that only `vnfacts` is importable, that every command works or names what is missing, that
plain `datasette DB` loads the plugin (SQL functions, canned queries, pages), that the shipped spaCy
model loads with plain `spacy.load`, and that `vnfacts serve` stops on SIGTERM with nothing left.
"""
from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
import venv
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
LOCK = REPO / "locks" / "main.txt"
WHEELHOUSE = REPO / ".cache" / "wheelhouse"
pytestmark = pytest.mark.slow

DOC = {"id": "w1", "published": "2023-07-18",
       "text": "Ngày 14/7/2023, Sở Lao động - Thương binh và Xã hội tỉnh Bình Dương tổ chức hội nghị sơ kết "
               "Đề án 1533 theo Quyết định số 1438/QĐ-TTg của Thủ tướng Chính phủ, với 120 đại biểu tham dự."}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(url: str, proc: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert proc.poll() is None, f"server exited with {proc.returncode}: {proc.stderr.read() if proc.stderr else ''}"
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.2)
    raise TimeoutError(url)


def get_json(url: str):
    with urllib.request.urlopen(url, timeout=10) as r:
        return json.loads(r.read().decode("utf-8"))


def group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    return True


@pytest.fixture(scope="module")
def env(tmp_path_factory):
    """(python, bin folder, work folder) of a fresh virtualenv with the wheel installed."""
    if not (WHEELHOUSE / ".stamp").exists():
        reason = f"{WHEELHOUSE} is empty: `make wheelhouse` fills it (make test does)"
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)
    root = tmp_path_factory.mktemp("wheel")
    dist = root / "dist"
    built = subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation",
                            "-w", str(dist), str(REPO)], capture_output=True, text=True)
    assert built.returncode == 0, built.stderr[-3000:]
    wheel = next(dist.glob("vnfacts-*.whl"))
    venv.EnvBuilder(with_pip=True).create(root / "env")
    python = root / "env" / "bin" / "python"
    installed = subprocess.run(
        [str(python), "-m", "pip", "install", "-q", "--no-index", "--find-links", str(WHEELHOUSE), "-c", str(LOCK),
         str(wheel)], capture_output=True, text=True, env={**os.environ, "PIP_CONFIG_FILE": os.devnull})
    assert installed.returncode == 0, installed.stderr[-3000:]
    work = root / "work"
    work.mkdir()
    # Names that users' own files take: they must not shadow or break the installed package.
    (work / "crawler.py").write_text("raise SystemExit('the user file crawler.py was imported')\n")
    (work / "publish").mkdir()
    (work / "publish" / "__init__.py").write_text("raise SystemExit('the user folder publish/ was imported')\n")
    (work / "in.jsonl").write_text(json.dumps(DOC, ensure_ascii=False) + "\n", encoding="utf-8")
    return python, python.parent, work


def run(env, *args, check=True, timeout=600):
    python, bin_dir, work = env
    clean_env = {k: v for k, v in os.environ.items() if not k.startswith(("VNFACTS_", "PYTHONPATH"))}
    done = subprocess.run([str(a) for a in args], cwd=work, capture_output=True, text=True, timeout=timeout,
                          env={**clean_env, "PATH": f"{bin_dir}:{clean_env.get('PATH', '')}"})
    if check:
        assert done.returncode == 0, f"{args}: exit {done.returncode}\n{done.stderr[-3000:]}"
    return done


def test_only_vnfacts_is_importable(env):
    python, _, _ = env
    for name in ("extractor", "crawler", "publish"):
        done = run(env, python, "-I", "-c", f"import {name}", check=False)
        assert done.returncode != 0 and "ModuleNotFoundError" in done.stderr, (name, done.stderr)
    listed = run(env, python, "-I", "-c",
                 "import importlib.metadata as m; print(m.distribution('vnfacts').read_text('top_level.txt') or '')")
    assert listed.stdout.split() in ([], ["vnfacts"])
    assert run(env, "vnfacts", "--version").stdout.strip().startswith("vnfacts ")
    assert "usage: vnfacts" in run(env, python, "-m", "vnfacts", "--help").stdout


@pytest.fixture(scope="module")
def facts_db(env):
    run(env, "vnfacts", "load", "--db", "facts.db", "in.jsonl")
    return env[2] / "facts.db"


def test_extract_load_search_cite_from_any_folder(env, facts_db):
    _, _, work = env
    run(env, "vnfacts", "extract", "in.jsonl", "-o", "out.jsonl", "-q")
    doc = json.loads((work / "out.jsonl").read_text(encoding="utf-8"))
    assert {"1438/QĐ-TTg"} == {e["norm"]["id"] for e in doc["entities"] if e["label"] == "LEGAL_REF"}
    assert any(e["label"] == "FIGURE" and e["text"].startswith("120") for e in doc["entities"])  # the shipped word list
    found = json.loads(run(env, "vnfacts", "search", "--db", "facts.db", "QĐ", "1438", "--json").stdout.splitlines()[0])
    assert found["article_id"] == "w1"
    assert run(env, "vnfacts", "cite", "QĐ", "1438").stdout.splitlines()[0] == "1438/QĐ-TTg"
    bad = run(env, "vnfacts", "cite", "QĐ", "1438", "--bogus", check=False)
    assert bad.returncode == 2 and "usage: vnfacts cite" in bad.stderr


def test_annotate_config_carries_the_guides_label_hints(env):
    _, _, work = env
    run(env, "vnfacts", "annotate", "config", "-o", "config.xml")
    xml = (work / "config.xml").read_text(encoding="utf-8")
    assert 'value="ORG"' in xml and "a specific named organization" in xml


def test_user_data_comes_from_arguments_or_a_clear_message(env, tmp_path):
    for args, missing in ((["train"], "annotations/split.yaml"), (["demo", "--no-serve", "--out", "demo-out"], "corpus")):
        done = run(env, "vnfacts", *args, check=False)
        assert done.returncode == 2, (args, done.stderr)
        assert "Traceback" not in done.stderr and missing in done.stderr and "VNFACTS_HOME" in done.stderr, done.stderr
    # with explicit paths, training works from the wheel (a tiny run: 1 epoch, 2 documents)
    out = tmp_path / "model"
    run(env, "vnfacts", "train", "--split", REPO / "annotations" / "split.yaml", "--out", out, "--epochs", "1",
        "--max-train-docs", "2", "--no-rule-scores", "-q")
    assert (out / "meta.json").exists() and (out / "training.json").exists()
    # and a folder laid out like the repository serves as the home
    done = run(env, "vnfacts", "demo", "--corpus", REPO / "corpus", "--out", tmp_path / "demo", "--no-serve")
    assert "articles: 60" in done.stdout


def test_the_shipped_model_loads_with_plain_spacy_load(env):
    python, _, _ = env
    code = ("import json, spacy; nlp = spacy.load(%r); doc = nlp('Sở Y tế tỉnh Bình Dương họp;UBND tỉnh'); "
            "print(json.dumps([t.text for t in doc], ensure_ascii=False))" % str(REPO / "models" / "orgloc"))
    tokens = json.loads(run(env, python, "-I", "-c", code).stdout)
    assert tokens[-4:] == ["họp", ";", "UBND", "tỉnh"]  # the vnfacts tokenizer splits `họp;UBND`


def test_plain_datasette_loads_the_plugin(env, facts_db):
    _, bin_dir, work = env
    port = free_port()
    proc = subprocess.Popen([str(bin_dir / "datasette"), "serve", "-i", "facts.db", "--port", str(port)],
                            cwd=work, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)
    try:
        base = f"http://127.0.0.1:{port}"
        wait_for(base + "/-/versions.json", proc)
        folded = get_json(base + "/facts.json?sql=select+vn_fold('H%C3%A0+N%E1%BB%99i')+as+f&_shape=array")
        assert folded == [{"f": "ha noi"}]
        queries = {q["name"] for q in get_json(base + "/facts.json")["queries"]}
        assert "events_citing_document" in queries
        answer = get_json(base + "/-/citations.json?q=QĐ+1438".replace("Đ", "%C4%90"))
        assert answer["matches"] and answer["matches"][0]["article_id"] == "w1"
        with urllib.request.urlopen(base + "/-/static-plugins/vnfacts/vnfacts.css", timeout=10) as r:
            assert r.status == 200
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=20)


def test_serve_stops_on_sigterm_and_names_a_busy_port(env, facts_db):
    _, bin_dir, work = env
    port = free_port()
    proc = subprocess.Popen([str(bin_dir / "vnfacts"), "serve", "--db", "facts.db", "--port", str(port)],
                            cwd=work, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)
    try:
        wait_for(f"http://127.0.0.1:{port}/-/citations.json?q=1438", proc)
        busy = run(env, "vnfacts", "serve", "--db", "facts.db", "--port", port, check=False, timeout=60)
        assert busy.returncode == 2 and "--port" in busy.stderr and "Serving" not in busy.stderr, busy.stderr
        tmp_before = set(Path(os.environ.get("TMPDIR", "/tmp")).glob("vnfacts-*"))
        proc.send_signal(signal.SIGTERM)
        # uvicorn shuts down, then lets the signal end the process as it would have (exit -SIGTERM)
        assert proc.wait(timeout=20) in (0, -signal.SIGTERM)
        time.sleep(0.5)
        assert not group_alive(proc.pid), "vnfacts serve left a process behind"
        assert set(Path(os.environ.get("TMPDIR", "/tmp")).glob("vnfacts-*")) <= tmp_before
        with pytest.raises(OSError):
            urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
