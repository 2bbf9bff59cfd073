"""Session fixtures for the analysis tests: the real MetAML cohort and the shipped reference."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from gutlens.io import read_profile
from gutlens.model import Profile, ProfileTable, Provenance, SourceInfo
from gutlens.reference import ReferencePopulation, load_reference
from gutlens.taxonomy import parse_lineage

METAML = "reference/metaml_pasolli2016_stool"


def read_metaml(path: Path) -> ProfileTable:
    """The MetAML all-ranks table through gutlens' model (as scripts/build_reference.py)."""
    frame = pd.read_csv(path, sep="\t")
    values = frame.drop(columns=["clade", "rank", "taxon"])
    return ProfileTable.from_clades(
        [parse_lineage(c) for c in frame["clade"]],
        values.to_numpy(dtype=np.float64),
        list(values.columns),
        source=SourceInfo(format="metaphlan", tool="MetaPhlAn", tool_version="2"),
        provenance=Provenance(path=str(path), sha256=None, format="metaphlan"),
        kind="percent",
    )


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
    return read_metaml(data_dir / METAML / "relative_abundance_all_ranks.tsv.gz")


@pytest.fixture(scope="session")
def reference() -> ReferencePopulation:
    """The shipped default reference."""
    return load_reference()


def read_or_skip(path: Path) -> Profile:
    """Read a real file (every reader is on main now; kept for the tests that call it)."""
    return read_profile(path)
