"""Fixtures for the analysis tests: the real MetAML cohort read with gutlens' own model."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from gutlens.errors import UnknownFormatError
from gutlens.io import read_profile
from gutlens.model import Profile, ProfileTable, SourceInfo

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
def metaml(metaml_wide: pd.DataFrame) -> ProfileTable:
    """All 1,989 MetAML samples as a ProfileTable (as the build scripts read them)."""
    source = SourceInfo(format="metaphlan2-merged", tool="MetaPhlAn", tool_version="2")
    return ProfileTable.from_dataframe(
        metaml_wide.drop(columns=["rank", "taxon"]), kind="percent", source=source
    )


def read_or_skip(path: Path) -> Profile:
    """Read a real file; skip when its reader is not on this branch (e.g. Kraken 2)."""
    try:
        return read_profile(path)
    except UnknownFormatError:
        pytest.skip(f"no reader for {path.name} on this branch")
