"""Bundled real example data, so every command can be tried with ``--example``."""

from __future__ import annotations

from importlib.resources import as_file, files
from pathlib import Path

__all__ = ["example_biomarkers_path", "example_profile_path", "example_questionnaire_path"]


def example_profile_path() -> Path:
    """Path of the bundled example MetaPhlAn 4 stool profile (see ``data/README.md``)."""
    resource = files("gutlens.examples").joinpath("data/example_metaphlan4_stool.txt")
    with as_file(resource) as path:
        return Path(path)


def example_questionnaire_path() -> Path:
    """Path of the example questionnaire (the one of issue #4: vegan, gluten-free, tree-nut
    allergy, bloating)."""
    with as_file(files("gutlens.examples").joinpath("data/questionnaire.yaml")) as path:
        return Path(path)


def example_biomarkers_path() -> Path:
    """Path of example lab values (made up for trying ``--biomarkers``, not from a person)."""
    with as_file(files("gutlens.examples").joinpath("data/biomarkers.yaml")) as path:
        return Path(path)
