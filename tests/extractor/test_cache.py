"""The cache of built data (resources.cached): the gazetteer and the word list are built once, read
back after, rebuilt when a source or the package version changes, and a corrupt file, an unwritable
folder or two builders at once never make it fail."""
from __future__ import annotations

import os
import pickle
import subprocess
import sys
from pathlib import Path

import pytest

import vnfacts
from vnfacts.extractor.resources import cache_dir, cached

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def cache(tmp_path, monkeypatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("VNFACTS_CACHE", str(folder))
    return folder


@pytest.fixture
def source(tmp_path) -> Path:
    path = tmp_path / "words.txt"
    path.write_text("hòa bình\nthủy lợi\n", encoding="utf-8")
    return path


def _builder(path: Path, calls: list):
    def build():
        calls.append(1)
        return sorted(path.read_text(encoding="utf-8").split("\n"))
    return build


def test_built_once_then_read_back(cache, source):
    calls: list = []
    first = cached("words", [source], _builder(source, calls))
    second = cached("words", [source], _builder(source, calls))
    assert first == second == ["", "hòa bình", "thủy lợi"] and len(calls) == 1
    assert [p.name.startswith("words-") for p in cache.iterdir()] == [True]


def test_rebuilt_when_a_source_changes_and_the_stale_file_goes(cache, source):
    calls: list = []
    cached("words", [source], _builder(source, calls))
    source.write_text("hòa bình\nthủy lợi\nkhỏe\n", encoding="utf-8")
    assert "khỏe" in cached("words", [source], _builder(source, calls)) and len(calls) == 2
    assert len(list(cache.glob("words-*.pickle"))) == 1


def test_two_checkouts_keep_a_cache_file_each(cache, source, tmp_path):
    """Sources at other paths (another checkout, another install) do not evict each other's file:
    eight worktrees on one machine would otherwise rebuild in turn."""
    other = tmp_path / "other" / "words.txt"
    other.parent.mkdir()
    other.write_text("khỏe\n", encoding="utf-8")
    calls: list = []
    for _ in range(2):
        cached("words", [source], _builder(source, calls))
        cached("words", [other], _builder(other, calls))
    assert len(calls) == 2 and len(list(cache.glob("words-*.pickle"))) == 2


def test_rebuilt_when_the_package_version_changes(cache, source, monkeypatch):
    calls: list = []
    cached("words", [source], _builder(source, calls))
    monkeypatch.setattr(vnfacts, "__version__", vnfacts.__version__ + ".post1")
    cached("words", [source], _builder(source, calls))
    assert len(calls) == 2


@pytest.mark.parametrize("damage", [b"", b"not a pickle", pickle.dumps(("another key", ["x"]))[:-3],
                                    pickle.dumps(("another key", ["x"]))])
def test_a_corrupt_or_foreign_cache_file_is_rebuilt(cache, source, damage):
    calls: list = []
    cached("words", [source], _builder(source, calls))
    (path,) = cache.glob("words-*.pickle")
    path.write_bytes(damage)
    assert cached("words", [source], _builder(source, calls)) == ["", "hòa bình", "thủy lợi"]
    assert len(calls) == 2
    assert pickle.loads(path.read_bytes())[1] == ["", "hòa bình", "thủy lợi"]  # written anew


def test_an_unwritable_cache_folder_only_means_building(tmp_path, source, monkeypatch):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("VNFACTS_CACHE", str(blocker / "cache"))
    calls: list = []
    assert cached("words", [source], _builder(source, calls)) == ["", "hòa bình", "thủy lợi"]
    assert cached("words", [source], _builder(source, calls)) == ["", "hòa bình", "thủy lợi"]
    assert len(calls) == 2


def test_where_the_cache_lives(monkeypatch, tmp_path):
    monkeypatch.delenv("VNFACTS_CACHE", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache_dir() == tmp_path / "xdg" / "vnfacts"
    monkeypatch.delenv("XDG_CACHE_HOME")
    assert cache_dir() == Path.home() / ".cache" / "vnfacts"
    monkeypatch.setenv("VNFACTS_CACHE", str(tmp_path / "mine"))
    assert cache_dir() == tmp_path / "mine"


_BUILD_IN_A_PROCESS = """
import sys, time
from pathlib import Path
from vnfacts.extractor.resources import cached
source = Path(sys.argv[1])
def build():
    time.sleep(0.3)  # both builders are inside build() at the same time
    return list(range(200000))
value = cached("numbers", [source], build)
assert value == list(range(200000)), "wrong value"
print("ok")
"""


def test_concurrent_builders_leave_one_whole_file(cache, source):
    env = {**os.environ, "VNFACTS_CACHE": str(cache)}
    procs = [subprocess.Popen([sys.executable, "-c", _BUILD_IN_A_PROCESS, str(source)], env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(3)]
    outs = [p.communicate(timeout=120) for p in procs]
    assert all(p.returncode == 0 and out.strip() == "ok" for p, (out, _) in zip(procs, outs)), outs
    files = list(cache.iterdir())
    assert [f.suffix for f in files] == [".pickle"]  # no temporary file left behind
    calls: list = []
    assert cached("numbers", [source], lambda: calls.append(1)) == list(range(200000)) and not calls


def test_the_gazetteer_and_the_word_list_come_back_the_same_from_the_cache(cache):
    """Built in one process, read back in another: the same units and words."""
    script = ("import pickle, sys\n"
              "from vnfacts.extractor.places import gazetteer\n"
              "from vnfacts.extractor.figures import _dictionary\n"
              "g = gazetteer()\n"
              "sys.stdout.buffer.write(pickle.dumps((g.units, g.today_of, g.province_keys, g.longest, _dictionary(4))))\n")
    env = {**os.environ, "VNFACTS_CACHE": str(cache)}
    built = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, timeout=300, check=True)
    names = sorted(p.name.split("-")[0] for p in cache.glob("*.pickle"))
    assert [n for n in names if n != "data"] == ["gazetteer", "words"]  # and the data files they read
    read_back = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, timeout=300, check=True)
    assert pickle.loads(built.stdout) == pickle.loads(read_back.stdout)
    units = pickle.loads(read_back.stdout)[0]
    assert any(u.name == "Thủ Dầu Một" for u in units["thu dau mot"])


def test_only_the_newest_installs_keep_their_cache_file(cache, source, tmp_path):
    """Every fresh clone writes its own cache files: beyond CACHED_PLACES installs, the oldest go
    (an install whose file went builds it once more); files of another name stay."""
    import os

    from vnfacts.extractor.resources import CACHED_PLACES

    cached("words-40", [source], _builder(source, []))  # another name that starts alike
    for k in range(CACHED_PLACES + 3):
        checkout = tmp_path / f"clone{k}" / "words.txt"
        checkout.parent.mkdir()
        checkout.write_text("khỏe\n", encoding="utf-8")
        cached("words-4", [checkout], _builder(checkout, []))
        newest = max(cache.glob("words-4-*.pickle"), key=lambda p: p.stat().st_mtime_ns)
        os.utime(newest, ns=(k * 10**9, k * 10**9))  # written one second after the one before
    kept = list(cache.glob("words-4-*.pickle"))
    assert len(kept) == CACHED_PLACES
    assert len(list(cache.glob("words-40-*.pickle"))) == 1
