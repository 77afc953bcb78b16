"""Access to the extractor's data files (patterns, gazetteers, abbreviations) and models folder."""
from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

DATA_DIR = Path(__file__).with_name("data")


@lru_cache(maxsize=None)
def load_data(name: str) -> Any:
    """Parse ``extractor/data/<name>`` (YAML), cached: data files are read once per process."""
    with (DATA_DIR / name).open(encoding="utf-8") as f:
        return yaml.safe_load(f)


def models_dir() -> Path:
    """Where trained models live: $VNFACTS_MODELS, else the repository's ``models/``."""
    env = os.environ.get("VNFACTS_MODELS")
    return Path(env) if env else Path(__file__).resolve().parents[1] / "models"
