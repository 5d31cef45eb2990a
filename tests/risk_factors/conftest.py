"""Fixtures for the catalogue and tagger tests: one tagger on the packaged catalogue per run."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml

from risk_factors.catalogue import default_catalogue_path
from risk_factors.tagger import Tagger

DATA = Path(__file__).parent / "data"
SHARED = Path(__file__).resolve().parents[2].parent / "shared"


@pytest.fixture(scope="session")
def tagger() -> Tagger:
    """The tagger on the packaged catalogue, built once."""
    return Tagger.default()


@pytest.fixture(scope="session")
def _raw_catalogue() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(default_catalogue_path().read_text(encoding="utf-8"))
    return data


@pytest.fixture
def raw_catalogue(_raw_catalogue: dict[str, Any]) -> dict[str, Any]:
    """A fresh, mutable copy of the packaged catalogue's parsed YAML."""
    return copy.deepcopy(_raw_catalogue)
