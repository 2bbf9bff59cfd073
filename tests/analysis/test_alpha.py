"""Alpha diversity equals scikit-bio on real data; Chao1/ACE only on whole counts."""

from __future__ import annotations

from pathlib import Path

import biom
import numpy as np
import pandas as pd
import pytest
from skbio.diversity import alpha as skalpha

from gutlens.analysis.alpha import ace, alpha_diversity, alpha_matrix, chao1
from gutlens.errors import AnalysisError
from gutlens.io import read_profile
from gutlens.model import ProfileTable
from gutlens.reference import ReferencePopulation


@pytest.fixture(scope="module")
def ag_counts(inputs: Path) -> np.ndarray:
    """American Gut 16S counts (first 40 samples), samples x OTUs."""
    table = biom.load_table(str(inputs / "biom/json_v1/AG_100nt.biom.gz"))
    dense = table.matrix_data[:, :40].toarray().T
    return dense[:, dense.sum(axis=0) > 0]


def test_alpha_equals_skbio_on_reference_species(reference: ReferencePopulation) -> None:
    matrix, _ = reference.rank_matrix("species")
    rows = matrix[:60]
    ours = alpha_matrix(rows)
    for i, row in enumerate(rows):
        assert ours["richness"][i] == skalpha.observed_features(row)
        assert ours["shannon"][i] == pytest.approx(skalpha.shannon(row), abs=1e-9)
        assert ours["simpson"][i] == pytest.approx(skalpha.simpson(row), abs=1e-9)
        assert ours["inverse_simpson"][i] == pytest.approx(skalpha.inv_simpson(row), abs=1e-9)
        assert ours["pielou"][i] == pytest.approx(skalpha.pielou_e(row), abs=1e-9)


def test_chao1_and_ace_equal_skbio_on_real_counts(ag_counts: np.ndarray) -> None:
    ours_chao1 = chao1(ag_counts)
    ours_ace = ace(ag_counts)
    checked = 0
    for i, row in enumerate(ag_counts.astype(int)):
        if row.sum() == 0:
            continue
        assert ours_chao1[i] == pytest.approx(skalpha.chao1(row), abs=1e-9)
        try:
            expected = skalpha.ace(row)
        except ValueError:  # skbio: only singletons among rare taxa
            assert np.isnan(ours_ace[i])
            continue
        assert ours_ace[i] == pytest.approx(expected, abs=1e-9)
        checked += 1
    assert checked >= 30


def test_shannon_equals_skbio_on_counts(ag_counts: np.ndarray) -> None:
    ours = alpha_matrix(ag_counts)
    row = ag_counts[0]
    assert ours["shannon"][0] == pytest.approx(skalpha.shannon(row), abs=1e-9)


def test_chao1_refuses_proportions(reference: ReferencePopulation) -> None:
    matrix, _ = reference.rank_matrix("species")
    with pytest.raises(AnalysisError, match="whole read counts"):
        chao1(matrix[:2])


def test_profile_without_counts_gets_no_chao1(inputs: Path) -> None:
    profile = read_profile(inputs / "metaphlan2/SRS014459-Stool_profile.txt")
    result = alpha_diversity(profile)
    assert result.chao1 is None and result.ace is None
    assert any("relative abundances only" in note for note in result.notes)
    assert result.richness == int((profile.taxa["rank"] == "species").sum())
    expected = skalpha.shannon(profile.at_rank("species").to_numpy())
    assert result.shannon == pytest.approx(expected, abs=1e-9)


def test_profile_with_counts_gets_chao1_and_depth(inputs: Path) -> None:
    table = ProfileTable.from_biom(biom.load_table(str(inputs / "biom/json_v1/AG_100nt.biom.gz")))
    profile = table.profile(table.sample_ids[0])
    result = alpha_diversity(profile, rank="genus")
    counts = profile.counts_at_rank("genus").to_numpy().astype(int)
    assert result.depth == counts.sum()
    assert result.chao1 == pytest.approx(skalpha.chao1(counts), abs=1e-9)


def test_genus_rank_and_unknown_rank(inputs: Path) -> None:
    profile = read_profile(inputs / "metaphlan2/SRS014459-Stool_profile.txt")
    genus = alpha_diversity(profile, rank="genus")
    assert genus.rank == "genus"
    assert genus.richness == int((profile.taxa["rank"] == "genus").sum())
    with pytest.raises(AnalysisError, match="unknown rank"):
        alpha_diversity(profile, rank="subspecies")


def test_one_taxon_and_empty_rows_are_defined() -> None:
    one = ProfileTable.from_dataframe(
        pd.DataFrame({"S1": [1.0]}, index=["k__Bacteria|g__Prevotella|s__Prevotella_copri"])
    ).profile("S1")
    result = alpha_diversity(one)
    assert result.richness == 1 and result.shannon == 0.0 and result.pielou is None
    assert result.inverse_simpson == 1.0
    assert any("Pielou" in n for n in result.notes)
    empty = alpha_diversity(one, rank="phylum")
    assert empty.richness == 0 and empty.shannon is None
