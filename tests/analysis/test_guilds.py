"""Functional guilds on real profiles: shares computed independently from the raw MetAML table,
named members, percentiles against the shipped healthy reference, other profilers."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy.stats import percentileofscore

from gutlens.analysis.guilds import guild_shares, load_guilds, reference_shares
from gutlens.errors import AnalysisError
from gutlens.io import read_profile
from gutlens.model import ProfileTable

from .conftest import read_or_skip

# Butyrate-producer members written out in MetaPhlAn 2 names, from curated_guilds (genera) and
# curated_guilds / Arnoldini 2025 (species outside those genera).
BUTYRATE_GENERA = ["Roseburia", "Coprococcus", "Intestinimonas", "Fusobacterium", "Megasphaera"]
BUTYRATE_SPECIES = [
    "Faecalibacterium_prausnitzii",
    "Eubacterium_rectale",
    "Eubacterium_hallii",
    "Anaerostipes_caccae",
]


def _by_id(results: list) -> dict:
    return {r.guild: r for r in results}


def _richest(wide: pd.DataFrame, samples: pd.DataFrame, taxon: str) -> str:
    healthy = samples.index[samples["healthy_reference_one_per_subject"].astype(bool)]
    row = wide.loc[wide["taxon"] == taxon, healthy].iloc[0]
    return str(row.astype(float).idxmax())


def test_butyrate_share_of_a_prausnitzii_rich_sample(metaml, metaml_wide, metaml_samples):
    sample = _richest(metaml_wide, metaml_samples, "s__Faecalibacterium_prausnitzii")
    column = metaml_wide[sample]
    classified = column[metaml_wide["rank"] == "kingdom"].sum()
    genera = column[metaml_wide["taxon"].isin([f"g__{g}" for g in BUTYRATE_GENERA])].sum()
    species = column[metaml_wide["taxon"].isin([f"s__{s}" for s in BUTYRATE_SPECIES])].sum()
    expected = (genera + species) / classified
    result = _by_id(guild_shares(metaml.profile(sample)))["butyrate_producer"]
    assert result.share == pytest.approx(expected, rel=1e-9)
    assert result.share > 0.7  # this Peruvian sample is about 75% F. prausnitzii
    assert "Faecalibacterium prausnitzii" in result.members_found
    assert any(c.startswith("doi:10.1128/AEM.68.10.5186-5190.2002") for c in result.citations)


def test_species_inside_a_member_genus_counts_once(metaml):
    # Roseburia (genus member) and Roseburia intestinalis / inulinivorans (species members).
    profile = next(
        p
        for p in (metaml.profile(s) for s in metaml.sample_ids[:200])
        if (p.taxa["name"] == "Roseburia inulinivorans").any()
    )
    genus = profile.at_rank("genus")
    species = profile.at_rank("species")
    result = _by_id(guild_shares(profile, guilds=["butyrate_producer"]))["butyrate_producer"]
    inside = species[species.index.str.startswith("Roseburia ")].sum()
    outside = ["Faecalibacterium prausnitzii", "Agathobacter rectalis", "Anaerobutyricum hallii"]
    expected = sum(genus.get(g, 0.0) for g in BUTYRATE_GENERA) + sum(
        species.get(s, 0.0) for s in [*outside, "Anaerostipes caccae"]
    )
    assert inside > 0.001  # a double count would show
    assert result.share == pytest.approx(expected, rel=1e-12)
    assert "Roseburia" in result.members_found


def test_akkermansia_is_a_mucin_degrader(metaml, metaml_wide, metaml_samples):
    sample = _richest(metaml_wide, metaml_samples, "s__Akkermansia_muciniphila")
    profile = metaml.profile(sample)
    result = _by_id(guild_shares(profile))["mucin_degrader"]
    akk = profile.at_rank("species")["Akkermansia muciniphila"]
    assert "Akkermansia muciniphila" in result.members_found
    assert akk > 0.15
    assert result.share >= akk


def test_lps_guild_holds_enterobacteriaceae_not_faecalibacterium(
    metaml, metaml_wide, metaml_samples
):
    ecoli = metaml_wide.loc[metaml_wide["taxon"] == "s__Escherichia_coli"].iloc[0]
    loman = [c for c in metaml_wide.columns if c.startswith("Loman2013")]
    sample = str(ecoli[loman].astype(float).idxmax())
    lps = _by_id(guild_shares(metaml.profile(sample)))["lps_proteobacteria_pathobiont"]
    assert "Escherichia coli" in lps.members_found
    assert lps.share > 0.5
    rich = _richest(metaml_wide, metaml_samples, "s__Faecalibacterium_prausnitzii")
    lps_rich = _by_id(guild_shares(metaml.profile(rich)))["lps_proteobacteria_pathobiont"]
    assert not any("Faecalibacterium" in m for m in lps_rich.members_found)
    assert lps_rich.share < 0.01
    definition = load_guilds()["lps_proteobacteria_pathobiont"]
    assert not any("Faecalibacterium" in m.name for m in definition.members)
    assert {"Klebsiella", "Enterobacter", "Citrobacter"} <= definition.genera


def test_reference_sample_lands_on_its_own_rank(metaml, metaml_samples):
    healthy = metaml_samples.index[metaml_samples["healthy_reference_one_per_subject"]]
    sample = str(healthy[100])
    reference = reference_shares()
    assert reference["n"] == 759
    for result in guild_shares(metaml.profile(sample)):
        values = reference["shares"][result.guild]
        assert np.isclose(values, result.share, rtol=0, atol=1e-10).any()
        assert result.percentile == pytest.approx(
            percentileofscore(values, result.share, kind="mean"), abs=0.2
        )
        assert result.reason is None  # MetaPhlAn 2, like the reference


def test_every_member_is_cited():
    for guild in load_guilds().values():
        assert guild.members, guild.id
        for member in guild.members:
            assert member.citations and all(c.startswith("doi:10.") for c in member.citations)
            assert member.rank in ("genus", "species")


def test_metaphlan4_profile(inputs: Path):
    profile = read_profile(
        inputs / "metaphlan4/14-MDCOL003-Stool-1B-Baseline-BSB-2-4-1-4.output.txt"
    )
    results = guild_shares(profile)
    assert len(results) == len(load_guilds())
    coverage = results[0].coverage
    assert coverage is not None and 0.2 < coverage <= 1.0
    assert all(r.coverage == coverage for r in results)
    assert all(0.0 <= r.share <= 1.0 and r.percentile is not None for r in results)
    assert "cross-platform" in (results[0].reason or "")
    butyrate = _by_id(results)["butyrate_producer"]
    assert butyrate.members_found


def test_kraken_report(inputs: Path):
    profile = read_or_skip(inputs / "kraken2/Psomagen2_Kraken2.kreport")
    results = _by_id(guild_shares(profile))
    assert results["butyrate_producer"].share > 0
    assert 0 < (results["butyrate_producer"].coverage or 0) <= 1


def test_bad_input():
    frame = pd.DataFrame(
        {"S1": [60.0, 40.0]}, index=["k__Bacteria|p__Bacillota", "k__Bacteria|p__Bacteroidota"]
    )
    phylum_only = ProfileTable.from_dataframe(frame, kind="percent").profile("S1")
    with pytest.raises(AnalysisError, match="genus- or species-rank"):
        guild_shares(phylum_only)
    empty = phylum_only
    empty.taxa = empty.taxa.iloc[0:0]
    with pytest.raises(AnalysisError, match="no taxa"):
        guild_shares(empty)


def test_unknown_guild(metaml):
    with pytest.raises(AnalysisError, match="unknown guild"):
        guild_shares(metaml.profile(metaml.sample_ids[0]), guilds=["vitamin_producer"])
