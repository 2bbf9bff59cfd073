"""Loading the shipped species lists and coefficients (built by ``scripts/build_reference.py``)."""

from __future__ import annotations

import io
import json
from functools import lru_cache
from importlib.resources import files
from typing import Any

import pandas as pd

__all__ = ["indices_provenance", "read_table"]


@lru_cache(maxsize=4)
def read_table(name: str) -> pd.DataFrame:
    """A shipped TSV from ``gutlens/analysis/indices/data``."""
    text = files("gutlens.analysis.indices").joinpath(f"data/{name}").read_text("utf-8")
    return pd.read_csv(io.StringIO(text), sep="\t", dtype={"rank": str})


@lru_cache(maxsize=1)
def indices_provenance() -> dict[str, Any]:
    """The PROVENANCE.json of the shipped index data."""
    text = files("gutlens.analysis.indices").joinpath("data/PROVENANCE.json").read_text("utf-8")
    result: dict[str, Any] = json.loads(text)
    return result
