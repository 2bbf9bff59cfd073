"""Session fixtures for the analysis tests: the real MetAML cohort and the shipped reference."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from gutlens.io import read_profile
from gutlens.model import Profile, ProfileTable
from gutlens.reference import ReferencePopulation, load_reference, read_metaml_table

METAML = "reference/metaml_pasolli2016_stool"


@pytest.fixture(scope="session")
def metaml_wide(data_dir: Path) -> pd.DataFrame:
    """The raw MetAML wide table (percent), indexed by clade, with ``rank`` and ``taxon``."""
    return pd.read_csv(
        data_dir / METAML / "relative_abundance_all_ranks.tsv.gz", sep="\t", index_col=0
    )


@pytest.fixture(scope="session")
def metaml_samples(data_dir: Path) -> pd.DataFrame:
    return pd.read_csv(data_dir / METAML / "samples.tsv", sep="\t", index_col="sample_uid")


@pytest.fixture(scope="session")
def metaml(data_dir: Path) -> ProfileTable:
    """All 1,989 MetAML stool samples (MetaPhlAn2)."""
    return read_metaml_table(data_dir / METAML / "relative_abundance_all_ranks.tsv.gz")


@pytest.fixture(scope="session")
def reference() -> ReferencePopulation:
    """The shipped default reference."""
    return load_reference()


def read_or_skip(path: Path) -> Profile:
    """Read a real file (every reader is on main now; kept for the tests that call it)."""
    return read_profile(path)
