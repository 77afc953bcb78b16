"""The extractor's package data (patterns, gazetteers, abbreviations) and the user's data folders.

Package data ships inside the ``vnfacts`` package and is read with :mod:`importlib.resources`, so
it works the same from a checkout, an editable install and a wheel.

User data (``corpus/``, ``annotations/``, ``models/``) is not package data: it comes from a
command's arguments or from one folder, ``$VNFACTS_HOME`` (laid out like the repository: its
``corpus/``, ``annotations/`` and ``models/``). Without that variable, a checkout the package was
installed from in editable mode serves as the home; an installed wheel has none, and asking for
user data then raises :class:`MissingDataError` naming the path and how to give it.
"""
from __future__ import annotations

import hashlib
import os
import pickle
import re
import signal
import sys
import threading
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

HOME_VARIABLE = "VNFACTS_HOME"
CACHE_VARIABLE = "VNFACTS_CACHE"


class MissingDataError(FileNotFoundError):
    """User data (a corpus, annotations, a model) that is not where the command was told to look."""


def package_folder(name: str) -> Path | None:
    """The folder of an installed package's files, found without importing the package (its own
    imports may be heavy) or reading the installed distributions' metadata (importing
    importlib.metadata and reading a file list cost ~40 ms of every start): None when it is not
    installed as a folder."""
    import importlib.util

    spec = importlib.util.find_spec(name)
    locations = spec.submodule_search_locations if spec is not None else None
    return Path(locations[0]) if locations else None


def data_file(name: str):
    """A file of the extractor's package data (``vnfacts/extractor/data/<name>``), as a Traversable
    (a Path where the package is a folder, as a checkout, an editable install and a wheel are)."""
    return _package_data().joinpath(name)


@lru_cache(maxsize=1)
def _package_data():
    # the folder beside this module, without importlib.resources where it is a folder (its import,
    # with tempfile's and shutil's, is ~10 ms of every start)
    folder = Path(__file__).parent / "data"
    if folder.is_dir():
        return folder
    import importlib.resources

    return importlib.resources.files("vnfacts.extractor").joinpath("data")


@lru_cache(maxsize=None)
def load_data(name: str) -> Any:
    """Parse the package data file ``data/<name>`` (YAML), read once per process and kept parsed in
    the cache (:func:`cached`): a command that finds every file there never imports PyYAML."""
    path = data_file(name)
    return cached(f"data-{name}", [path, __file__], lambda: parse_yaml(path.read_text(encoding="utf-8")))


def parse_yaml(text: str) -> Any:
    """A YAML document, with libyaml's parser when PyYAML was built with it (the wheels are): the
    same documents, ten times faster."""
    import yaml

    return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


# ---------------------------------------------------------------------------------------------
# A cache of data built from large files (the gazetteer, the word list): built once, then read back
# as a pickle in a fraction of the time.


def cache_dir() -> Path:
    """Where built data is cached: $VNFACTS_CACHE, else $XDG_CACHE_HOME/vnfacts, else ~/.cache/vnfacts."""
    if os.environ.get(CACHE_VARIABLE):
        return Path(os.environ[CACHE_VARIABLE]).expanduser()
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base).expanduser() / "vnfacts"


def _fingerprint(name: str, sources: Iterable) -> tuple[str, str]:
    """Where a cached value's sources are (a hash of their paths: two installs or checkouts keep
    a file each), and what it depends on: its name, the package and Python versions, and the size
    and modification time of every source (data files and the code that builds the value)."""
    from vnfacts import __version__

    paths = [Path(str(source)) for source in sources]
    place = hashlib.sha256("\0".join(map(str, paths)).encode()).hexdigest()
    digest = hashlib.sha256(f"{name}\0{__version__}\0{sys.version}\0{pickle.HIGHEST_PROTOCOL}".encode())
    for path in paths:
        stat = path.stat()
        digest.update(f"\0{path}\0{stat.st_size}\0{stat.st_mtime_ns}".encode())
    return place, digest.hexdigest()


def cached(name: str, sources: Iterable, build: Callable[[], Any]) -> Any:
    """``build()``, kept in :func:`cache_dir` as ``<name>-<place>-<fingerprint>.pickle`` and read back while
    no source (a data file, or the module that builds the value) has changed, nor the package
    version. A cache file that cannot be read (corrupt, truncated, from another build) is rebuilt;
    a folder that cannot be written only means building every time. Concurrent builders each
    write a file of their own and rename it into place, so a reader never sees half a file."""
    try:
        place, key = _fingerprint(name, sources)
    except OSError:
        return build()  # a source that is not a plain file (a zipped install): nothing to compare
    path = cache_dir() / f"{name}-{place[:12]}-{key[:24]}.pickle"
    try:
        with path.open("rb") as f:
            stored_key, value = pickle.load(f)
        if stored_key == key:
            return value
    except Exception:  # noqa: BLE001 - missing or unreadable: rebuilt, never fatal
        pass
    value = build()
    try:
        _write_atomically(path, pickle.dumps((key, value), protocol=pickle.HIGHEST_PROTOCOL))
        for stale in path.parent.glob(f"{name}-{place[:12]}-*.pickle"):  # these sources, older versions
            if stale != path:
                stale.unlink(missing_ok=True)
        _keep_newest(path.parent, name, CACHED_PLACES)
    except OSError:
        pass  # a read-only or full disk: the value is still right, only not kept
    return value


# How many installs (checkouts, virtualenvs) keep a cache file of each name: every fresh clone of a CI
# machine writes its own set (the word list alone is 1.6 MB), which would otherwise pile up for ever.
CACHED_PLACES = 16


def _keep_newest(folder: Path, name: str, keep: int) -> None:
    """Remove all but the ``keep`` most recently written cache files of ``name`` (an install whose
    file goes builds it again, once)."""
    files = []
    mine = re.compile(re.escape(name) + r"-[^-]+-[^-]+\.pickle")  # not `words-40-...` for `words-4`
    for path in folder.glob(f"{name}-*.pickle"):
        if not mine.fullmatch(path.name):
            continue
        try:
            files.append((path.stat().st_mtime_ns, path))
        except OSError:
            continue  # removed meanwhile by another process
    for _, path in sorted(files, reverse=True)[keep:]:
        path.unlink(missing_ok=True)


def _write_atomically(path: Path, data: bytes) -> None:
    """Write ``data`` to a temporary file beside ``path`` and rename it into place."""
    import tempfile  # (only when a cache is written)

    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.stem}-", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _checkout() -> Path | None:
    """The repository this code runs from (a checkout or an editable install), if any."""
    root = Path(__file__).resolve().parents[1]
    return root if (root / "pyproject.toml").is_file() and (root / "annotations").is_dir() else None


def home() -> Path | None:
    """The folder holding the user's ``corpus/``, ``annotations/`` and ``models/``: $VNFACTS_HOME, else
    the checkout, else None (an installed package has no user data of its own)."""
    env = os.environ.get(HOME_VARIABLE)
    return Path(env).expanduser() if env else _checkout()


def user_path(relative: str | os.PathLike, what: str = "file") -> Path:
    """``relative`` (``annotations/split.yaml``, ``models/orgloc``...) resolved against :func:`home`;
    an absolute path, or one that exists from the current folder, is taken as it is. Raises
    :class:`MissingDataError` with a message a user can act on when it does not exist."""
    path = Path(relative).expanduser()
    if path.is_absolute() or path.exists():
        if not path.exists():
            raise MissingDataError(f"{path}: no such {what}")
        return path
    base = home()
    if base is None:
        raise MissingDataError(
            f"{relative}: no such {what}; give its path as an argument, or set {HOME_VARIABLE} to a folder "
            f"that holds it (laid out like the vnfacts repository: corpus/, annotations/, models/)")
    found = base / path
    if not found.exists():
        raise MissingDataError(f"{found}: no such {what} (looked in {HOME_VARIABLE if os.environ.get(HOME_VARIABLE) else 'the checkout'} {base})")
    return found


def models_dir() -> Path | None:
    """Where trained models live: ``models/`` in :func:`home` (None when there is no home)."""
    base = home()
    return base / "models" if base is not None else None


@contextmanager
def unbroken_by_alarms() -> Iterator[None]:
    """Run the block to its end even if a document's time budget (a SIGALRM) runs out inside it: the
    alarm waits and goes off after the block. For what a stage loads on first use (spaCy and a
    model, when the first sentence needs them): an import cut off halfway would stay broken for
    every later document. Elsewhere than in the main thread no budget is set, nothing to hold."""
    if not hasattr(signal, "pthread_sigmask") or threading.current_thread() is not threading.main_thread():
        yield
        return
    held = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGALRM})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, held)
