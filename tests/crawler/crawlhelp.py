"""Helpers of the crawler tests (a plain module, not a conftest: other test folders have theirs)."""
import os
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).parent
REPO = HERE.parent.parent
sys.path.insert(0, str(HERE))

from testsite import PROFILE_YAML  # noqa: E402


def run_cli(*args: str, input: str | None = None, timeout: float = 120) -> subprocess.CompletedProcess:
    """`vnfacts ARGS` in a subprocess, as a user runs it."""
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    return subprocess.run([sys.executable, "-m", "vnfacts.cli", *args], cwd=REPO, env=env, input=input,
                          capture_output=True, text=True, timeout=timeout)


def write_profile(folder: Path, base_url: str, timeout: float = 1.5, name: str = "testsite.yaml") -> Path:
    path = folder / name
    path.write_text(PROFILE_YAML.format(base=base_url, timeout=timeout), encoding="utf-8")
    return path
