"""Session fixtures for the analysis tests: the real MetAML cohort and the shipped reference."""

from __future__ import annotations

from pathlib import Path

import pytest

from gutlens.model import ProfileTable
from gutlens.reference import ReferencePopulation, load_reference, read_metaml_table


@pytest.fixture(scope="session")
def metaml(data_dir: Path) -> ProfileTable:
    """All 1,989 MetAML stool samples (MetaPhlAn2)."""
    return read_metaml_table(
        data_dir / "reference/metaml_pasolli2016_stool/relative_abundance_all_ranks.tsv.gz"
    )


@pytest.fixture(scope="session")
def reference() -> ReferencePopulation:
    """The shipped default reference."""
    return load_reference()
