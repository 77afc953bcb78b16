"""The committed locks agree with pyproject.toml: a dependency changed without `make locks` fails here."""
from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
from packaging.markers import default_environment
from packaging.requirements import Requirement
from packaging.version import Version

REPO = Path(__file__).resolve().parents[1]
PYPROJECT = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))


def pins(lock: Path) -> dict[str, list[tuple[Version, str]]]:
    """name -> [(version, marker)] of a lock written by `uv pip compile --universal`."""
    out: dict[str, list[tuple[Version, str]]] = {}
    for line in lock.read_text(encoding="utf-8").splitlines():
        m = re.match(r"^([A-Za-z0-9_.-]+)==([^\s;]+)\s*(?:;\s*(.*))?$", line)
        if m:
            out.setdefault(canonical(m.group(1)), []).append((Version(m.group(2)), m.group(3) or ""))
    return out


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def pinned_here(lock_pins, name: str) -> Version:
    """The version the lock gives on this machine's Python."""
    from packaging.markers import Marker

    env = default_environment()
    versions = [v for v, marker in lock_pins.get(canonical(name), []) if not marker or Marker(marker).evaluate(env)]
    assert versions, f"{name} is not in the lock: run `make locks`"
    return versions[0]


@pytest.mark.parametrize("extra", [None, "test", "bench"])
def test_every_requirement_is_pinned_within_its_range(extra):
    requirements = PYPROJECT["project"]["dependencies"] if extra is None else PYPROJECT["project"]["optional-dependencies"][extra]
    lock = pins(REPO / "locks" / "main.txt")
    for text in requirements:
        req = Requirement(text)
        version = pinned_here(lock, req.name)
        assert req.specifier.contains(version, prereleases=True), \
            f"locks/main.txt pins {req.name}=={version}, outside {req.specifier}: run `make locks`"


def test_no_local_version_labels_in_the_project_requirements():
    """A user anywhere can install every extra: `torch==2.13.0+cpu` exists only on some machines."""
    every = PYPROJECT["project"]["dependencies"] + sum(PYPROJECT["project"]["optional-dependencies"].values(), [])
    assert not [r for r in every if "+" in str(Requirement(r).specifier)]


def test_label_studio_lock_keeps_it_starting():
    lock = pins(REPO / "locks" / "labelstudio.txt")
    assert pinned_here(lock, "label-studio") == Version("1.23.2")
    assert pinned_here(lock, "sentry-sdk") < Version("3")  # 3.0 removed an option Label Studio 1.23 passes


def test_transformers_lock_asks_for_the_cpu_release_these_machines_carry():
    lock = pins(REPO / "locks" / "transformers.txt")
    assert pinned_here(lock, "torch") == Version("2.13.0")
    main = pins(REPO / "locks" / "main.txt")
    for name in ("spacy", "scrapy", "datasette", "underthesea"):  # the same main environment underneath
        assert pinned_here(lock, name) == pinned_here(main, name)
