"""GMHI and GMWI2 reproduce the authors' own outputs."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from gutlens.analysis.indices import gmhi, gmhi_score, gmwi2
from gutlens.io import read_profile
from gutlens.model import ProfileTable


def test_gmhi_reproduces_authors_output_for_25_samples(data_dir: Path) -> None:
    folder = data_dir / "reference/gmhi2020_gupta"
    frame = pd.read_csv(
        folder / "species_relative_abundances.csv", encoding="utf-8-sig", index_col=0
    )
    table = ProfileTable.from_dataframe(frame, kind="percent")
    expected = pd.read_csv(folder / "GMHI_output.original.csv", index_col=0)["GMHI"]
    assert len(expected) == 25
    for sample, value in expected.items():
        result = gmhi(table.profile(str(sample)))
        assert result.value == pytest.approx(value, abs=1e-9), sample
    # two of the authors' samples score exactly 0
    assert gmhi(table.profile("Sample19")).value == 0.0


def test_gmwi2_reproduces_authors_example(data_dir: Path) -> None:
    path = data_dir / "knowledge/gmwi2/example_SRR1761667_metaphlan3.tsv"
    expected = float(
        (data_dir / "knowledge/gmwi2/example_SRR1761667_expected_gmwi2.txt").read_text().strip()
    )
    result = gmwi2(read_profile(path))
    assert result.value == pytest.approx(expected, abs=1e-9)
    assert round(result.value, 5) == 1.40178
    assert result.reason is None  # MetaPhlAn 3 is the model's own input
    assert result.citation == "doi:10.1038/s41467-024-51651-9"


def test_indices_on_metaphlan4_carry_a_caveat(inputs: Path) -> None:
    profile = read_profile(
        inputs / "metaphlan4/14-MDCOL003-Stool-1B-Baseline-BSB-2-4-1-4.output.txt"
    )
    for result in (gmhi(profile), gmwi2(profile)):
        assert result.value is not None
        assert result.reason is not None and "MetaPhlAn 4" in result.reason


def test_gmhi_without_species_is_none_with_reason() -> None:
    genus_only = ProfileTable.from_dataframe(
        pd.DataFrame({"S1": [1.0]}, index=["k__Bacteria|g__Prevotella"])
    ).profile("S1")
    result = gmhi(genus_only)
    assert result.value is None and "species" in (result.reason or "")


def test_gmhi_score_drops_unclassified_and_viruses() -> None:
    species = pd.Series({"Bifidobacterium adolescentis": 0.5, "Escherichia unclassified": 0.5})
    with_extra = gmhi_score(species)
    alone = gmhi_score(species.iloc[:1])
    assert with_extra.value == alone.value
    assert with_extra.mh_found == 1
