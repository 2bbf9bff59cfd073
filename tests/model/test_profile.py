"""Profile / ProfileTable invariants and conversions, on real MetaPhlAn data."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from gutlens.errors import SampleNotFoundError
from gutlens.io import read_profiles
from gutlens.model import ProfileTable, Provenance, SourceInfo
from gutlens.taxonomy import parse_lineage


@pytest.fixture(scope="module")
def hmp(inputs: Path) -> ProfileTable:
    return read_profiles(inputs / "metaphlan3/hmp6_merged_abundance_table.txt")


def test_each_rank_sums_to_at_most_one(hmp: ProfileTable) -> None:
    for profile in hmp:
        for rank in ("kingdom", "phylum", "genus", "species"):
            total = profile.at_rank(rank).sum()
            assert total <= 1 + 1e-6, (profile.sample_id, rank, total)
        # MetaPhlAn profiles are complete at every rank
        assert profile.at_rank("kingdom").sum() == pytest.approx(1.0, abs=1e-4)


def test_profile_lookup_errors(hmp: ProfileTable) -> None:
    with pytest.raises(SampleNotFoundError, match="holds 6 samples"):
        hmp.profile()
    with pytest.raises(SampleNotFoundError, match="no sample 'nope'"):
        hmp.profile("nope")


def test_dataframe_round_trip(hmp: ProfileTable) -> None:
    frame = hmp.to_dataframe()
    again = ProfileTable.from_dataframe(frame, kind="fraction")
    assert again.sample_ids == hmp.sample_ids
    np.testing.assert_allclose(
        again.to_dataframe().loc[frame.index].to_numpy(), frame.to_numpy(), atol=1e-12
    )


def test_biom_round_trip(hmp: ProfileTable) -> None:
    stool = hmp.profile("SRS014459-Stool_profile")
    table = hmp.to_biom()
    assert table.shape == hmp.shape
    # leaves of the biom table are all clades; from_biom treats them as leaves, so compare
    # the species rank, whose clades are leaves in both
    species = hmp.to_dataframe(rank="species")
    back = ProfileTable.from_biom(table.filter(list(species.index), axis="observation"))
    got = back.profile("SRS014459-Stool_profile").at_rank("species", renormalise=True)
    want = stool.at_rank("species", renormalise=True)
    pd.testing.assert_series_equal(
        got.sort_index(), want.sort_index(), check_names=False, atol=1e-12
    )


def test_leaves_sum_up_every_rank() -> None:
    lineages = [
        parse_lineage("k__Bacteria|p__Firmicutes|g__Roseburia"),
        parse_lineage("k__Bacteria|p__Firmicutes|g__Blautia"),
        parse_lineage("k__Bacteria|p__Bacteroidetes|g__Bacteroides"),
        parse_lineage(""),  # unassigned feature
    ]
    counts = np.array([[10, 0], [30, 5], [60, 5], [100, 0]])
    src = SourceInfo(format="test")
    table = ProfileTable.from_leaves(
        lineages,
        counts,
        ["a", "b"],
        source=src,
        provenance=Provenance(path=None, sha256=None, format="test"),
        kind="count",
    )
    a = table.profile("a")
    assert a.unclassified_fraction == pytest.approx(0.5)
    assert a.total_count == 200
    assert a.at_rank("phylum")["Bacillota"] == pytest.approx(0.4)
    assert a.counts_at_rank("phylum")["Bacillota"] == 40
    b = table.profile("b")
    assert b.unclassified_fraction == 0
    assert b.at_rank("genus").to_dict() == {"Blautia": 0.5, "Bacteroides": 0.5}


def test_renamed_duplicates_are_added_not_dropped() -> None:
    # Bacteroides vulgatus and Phocaeicola vulgatus are one organism after renaming
    lineages = [
        parse_lineage("k__Bacteria|s__Bacteroides_vulgatus"),
        parse_lineage("k__Bacteria|s__Phocaeicola_vulgatus"),
    ]
    table = ProfileTable.from_leaves(
        lineages,
        np.array([[3], [7]]),
        ["x"],
        source=SourceInfo(format="test"),
        provenance=Provenance(path=None, sha256=None, format="test"),
        kind="count",
    )
    profile = table.profile("x")
    assert profile.counts_at_rank("species")["Phocaeicola vulgatus"] == 10
    row = profile.taxa.loc["k__Bacteria|s__Phocaeicola_vulgatus"]
    assert row["original_name"] == "Bacteroides vulgatus; Phocaeicola vulgatus"


def test_to_dict_shape(hmp: ProfileTable) -> None:
    data = hmp.profile("SRS014459-Stool_profile").to_dict()
    assert data["format"] == "metaphlan"
    assert data["tool_version"] == "3"
    taxon = next(t for t in data["taxa"] if t["rank"] == "genus")
    assert set(taxon) >= {"name", "rank", "lineage", "relative_abundance", "count"}
    assert taxon["lineage"].startswith("k__Bacteria|p__")
