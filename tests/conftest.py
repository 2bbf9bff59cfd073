"""Shared fixtures: the real data under ``../shared/data`` (beside the repository checkout)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("GUTLENS_SHARED", REPO.parent / "shared")).resolve()
DATA = SHARED / "data"
INPUTS = DATA / "inputs"


def pytest_report_header() -> str:
    return f"gutlens shared data: {DATA} ({'found' if DATA.is_dir() else 'MISSING'})"


@pytest.fixture(scope="session")
def inputs() -> Path:
    """``shared/data/inputs``: real files of every format."""
    if not INPUTS.is_dir():
        pytest.fail(f"shared data not found at {INPUTS}; set GUTLENS_SHARED")
    return INPUTS


@pytest.fixture(scope="session")
def data_dir() -> Path:
    """``shared/data``."""
    if not DATA.is_dir():
        pytest.fail(f"shared data not found at {DATA}; set GUTLENS_SHARED")
    return DATA
