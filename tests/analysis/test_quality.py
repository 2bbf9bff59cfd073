"""Quality flags on real files, thresholds re-derived from the real reference."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from gutlens.analysis.quality import OLSSON_2022, quality_flags
from gutlens.io import read_profile
from gutlens.model import ProfileTable

from .conftest import read_or_skip


def _codes(flags: list) -> dict:
    return {f.code: f for f in flags}


def test_sparse_metaphlan3_subsample_has_few_taxa(inputs: Path, metaml_wide, metaml_samples):
    healthy = metaml_samples.index[metaml_samples["healthy_reference_one_per_subject"]]
    species = metaml_wide.loc[metaml_wide["rank"] == "species", healthy]
    p01 = float(np.percentile((species > 0).sum(axis=0), 1))
    for name in (
        "HD32R1_subsample_taxonomic_profile.tsv",
        "LV16R4_subsample_taxonomic_profile.tsv",
    ):
        flags = _codes(quality_flags(read_profile(inputs / "metaphlan3" / name)))
        few = flags["few_taxa"]
        assert few.value == 9
        assert few.threshold == pytest.approx(p01)
        assert "gutlens convention" in few.message
        assert flags["cross_platform"].citation == "doi:10.1038/nbt.3981"


def test_metaphlan4_sample_is_not_flagged_for_few_taxa(inputs: Path):
    path = inputs / "metaphlan4/14-MDCOL003-Stool-1B-Baseline-BSB-2-4-1-4.output.txt"
    flags = _codes(quality_flags(read_profile(path)))
    assert "few_taxa" not in flags
    assert "low_read_depth" not in flags  # no counts in MetaPhlAn output
    assert set(flags) == {"cross_platform"}


def test_metaphlan2_is_the_reference_platform(inputs: Path):
    flags = _codes(quality_flags(read_profile(inputs / "metaphlan2/SRS014459-Stool_profile.txt")))
    assert "cross_platform" not in flags


def test_kraken_shotgun_report(inputs: Path):
    profile = read_or_skip(inputs / "kraken2/Psomagen2_Kraken2.kreport")
    flags = _codes(quality_flags(profile))
    assert "low_read_depth" not in flags  # 15.5 million reads
    unclassified = flags["high_unclassified"]
    assert unclassified.severity == "info"
    assert unclassified.value == pytest.approx(6603655 / (6603655 + 8870139), abs=1e-6)


def test_kraken_16s_report_depth(inputs: Path):
    profile = read_or_skip(inputs / "kraken2/Ombre6_Kraken2.kreport")
    assert profile.has_counts
    flags = _codes(quality_flags(profile))
    assert "low_read_depth" not in flags  # 27,423 reads
    assert "high_unclassified" not in flags


def test_e_coli_outbreak_sample_is_dominated(metaml):
    profile = metaml.profile("Loman2013_EcoliOutbreak_DNA_MiSeq__OBK4961")
    flag = _codes(quality_flags(profile))["dominant_taxon"]
    assert flag.value == pytest.approx(profile.at_rank("species").iloc[0])
    assert profile.at_rank("species").index[0] == "Escherichia coli"
    assert flag.value > flag.threshold
    assert flag.citation == OLSSON_2022


def test_low_depth_on_counts():
    frame = pd.DataFrame(
        {"S1": [500.0, 300.0, 200.0]}, index=["k__Bacteria", "k__Bacteria|g__A", "k__Bacteria|g__B"]
    )
    profile = ProfileTable.from_dataframe(frame, kind="count").profile("S1")
    flag = _codes(quality_flags(profile))["low_read_depth"]
    assert flag.severity == "critical" and flag.value == 500


def test_empty_profile():
    frame = pd.DataFrame({"S1": [100.0]}, index=["k__Bacteria"])
    profile = ProfileTable.from_dataframe(frame, kind="percent").profile("S1")
    profile.taxa = profile.taxa.iloc[0:0]
    flags = _codes(quality_flags(profile))
    assert flags["empty_profile"].severity == "critical"
    assert "unknown_profiler" in flags
