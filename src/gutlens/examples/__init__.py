"""Bundled real example data, so every command can be tried with ``--example``."""

from __future__ import annotations

from importlib.resources import as_file, files
from pathlib import Path

__all__ = ["example_profile_path"]


def example_profile_path() -> Path:
    """Path of the bundled example MetaPhlAn 4 stool profile (see ``data/README.md``)."""
    resource = files("gutlens.examples").joinpath("data/example_metaphlan4_stool.txt")
    with as_file(resource) as path:
        return Path(path)
