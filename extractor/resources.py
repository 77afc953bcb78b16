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

import importlib.resources
import os
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

HOME_VARIABLE = "VNFACTS_HOME"


class MissingDataError(FileNotFoundError):
    """User data (a corpus, annotations, a model) that is not where the command was told to look."""


def data_file(name: str):
    """A file of the extractor's package data (``vnfacts/extractor/data/<name>``), as a Traversable."""
    return importlib.resources.files("vnfacts.extractor").joinpath("data", name)


@lru_cache(maxsize=None)
def load_data(name: str) -> Any:
    """Parse the package data file ``data/<name>`` (YAML), cached: data files are read once per process."""
    return yaml.safe_load(data_file(name).read_text(encoding="utf-8"))


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
