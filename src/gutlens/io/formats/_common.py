"""Helpers shared by format readers: number parsing with line-aware errors."""

from __future__ import annotations

import math
from pathlib import Path

from gutlens.errors import ProfileFormatError

__all__ = ["parse_abundance", "sample_id_from_path"]


def parse_abundance(text: str, *, path: Path, line: int, what: str = "abundance") -> float:
    """Parse a non-negative finite number, or raise naming the file, line and value."""
    try:
        value = float(text.strip().strip('"'))
    except ValueError as err:
        msg = f"expected a number for the {what}, found {text.strip()[:40]!r}"
        raise ProfileFormatError(msg, path=path, line=line) from err
    if math.isnan(value) or math.isinf(value):
        msg = f"expected a finite number for the {what}, found {text.strip()!r}"
        raise ProfileFormatError(msg, path=path, line=line)
    if value < 0:
        msg = f"{what} must not be negative, found {value:g}"
        raise ProfileFormatError(msg, path=path, line=line)
    return value


def sample_id_from_path(path: Path) -> str:
    """A sample id from a file name: the name without its format suffixes."""
    name = path.name
    for suffix in (".gz", ".txt", ".tsv", ".csv", ".json", ".profile", ".biom", ".kreport"):
        if name.lower().endswith(suffix):
            name = name[: -len(suffix)]
    return name
