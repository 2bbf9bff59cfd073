"""One read per real Kraken/Bracken file for the whole test session (Psomagen2 is 9,800 rows)."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from gutlens.io import read_profiles
from gutlens.model import ProfileTable


@cache
def read_cached(path: Path, format: str | None = None) -> ProfileTable:
    """``read_profiles(path, format=format)``, read once per session."""
    return read_profiles(path, format=format)
