"""``analyze``: the full result on real profiles, and defined behaviour on bad input."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from gutlens.analysis import analyze
from gutlens.errors import AnalysisError, GutlensError
from gutlens.io import read_profile
from gutlens.model import ProfileTable, SourceInfo
from gutlens.reference import ReferencePopulation


def _no_nan(value: Any) -> None:
    if isinstance(value, float):
        assert math.isfinite(value)
    elif isinstance(value, dict):
        for item in value.values():
            _no_nan(item)
    elif isinstance(value, list):
        for item in value:
            _no_nan(item)


def _profile(index: list[str], values: list[float]) -> Any:
    frame = pd.DataFrame({"S1": values}, index=index)
    return ProfileTable.from_dataframe(frame, source=SourceInfo(format="test")).profile("S1")


def test_full_result_on_metaphlan3(data_dir: Path) -> None:
    profile = read_profile(data_dir / "knowledge/gmwi2/example_SRR1761667_metaphlan3.tsv")
    result = analyze(profile)
    data = result.to_dict()
    for key in ("alpha", "indices", "dysbiosis", "taxa_percentiles", "reference", "position"):
        assert key in data
    assert set(data["indices"]) == {"gmhi", "gmwi2"}
    assert data["indices"]["gmwi2"]["value"] == pytest.approx(1.4017773651306447, abs=1e-9)
    assert data["reference"]["n"] == 759 and data["reference"]["cross_platform"] is True
    assert len(data["position"]["nearest"]) == 5
    assert len(data["position"]["pcoa"]) == 10
    assert {t["rank"] for t in data["taxa_percentiles"]} == {"genus", "species"}
    assert data["provenance"]["input_sha256"] == profile.provenance.sha256
    assert data["provenance"]["reference"]["version"] == result.reference.version
    json.dumps(data)
    _no_nan(data)


def test_reference_sample_lands_near_its_own_rank(
    metaml: ProfileTable, reference: ReferencePopulation
) -> None:
    for sample in ("hmp__SRS011061", "metahit__MH0001", reference.sample_ids[400]):
        if sample not in reference.samples.index:
            continue
        result = analyze(metaml.profile(sample))
        own = reference.samples.loc[sample]
        for metric in ("shannon", "richness", "simpson"):
            values = reference.metric_values(f"species_{metric}")
            expected = (
                100
                * (
                    (values < own[f"species_{metric}"]).sum()
                    + 0.5 * (values == own[f"species_{metric}"]).sum()
                )
                / len(values)
            )
            assert result.alpha.percentiles[metric] == pytest.approx(expected, abs=1.0)
        column = reference.sample_ids.index(sample)
        dense = reference.dense()
        for taxon in result.taxa_percentiles[:10]:
            row = reference.rank_index(taxon.rank)[taxon.name]
            values = dense[row]
            own_value = values[column]
            expected = 100 * ((values < own_value).sum() + 0.5 * (values == own_value).sum())
            assert taxon.percentile == pytest.approx(expected / len(values), abs=1.0)
        # the sample itself is its nearest neighbour, at (float32-rounding) distance ~0
        assert result.position is not None
        assert result.position.nearest[0].sample_id == sample
        assert result.position.nearest[0].distance < 1e-5
        index = reference.sample_ids.index(sample)
        np.testing.assert_allclose(
            result.position.pcoa, reference.pcoa["species"].coordinates[index], atol=1e-4
        )


def test_diseased_samples_score_more_dysbiotic_than_healthy(metaml: ProfileTable) -> None:
    healthy = analyze(metaml.profile("hmp__SRS011061")).dysbiosis
    sick = [
        analyze(metaml.profile(s)).dysbiosis
        for s in metaml.sample_ids
        if s.startswith("Loman2013_EcoliOutbreak")
    ][:8]
    assert healthy is not None and healthy.percentile is not None
    scores = [d.percentile for d in sick if d is not None and d.percentile is not None]
    assert np.median(scores) > 50


def test_empty_profile_raises() -> None:
    empty = _profile(["k__Bacteria|g__Prevotella|s__Prevotella_copri"], [0.0])
    with pytest.raises(AnalysisError, match="no classified taxa"):
        analyze(empty)


def test_one_taxon_gives_defined_result() -> None:
    result = analyze(_profile(["k__Bacteria|g__Prevotella|s__Prevotella_copri"], [1.0]))
    assert result.alpha.richness == 1 and result.alpha.pielou is None
    assert result.dysbiosis is not None and result.dysbiosis.percentile is not None
    assert result.reference.cross_platform is True  # producer unknown
    _no_nan(result.to_dict())


def test_unknown_taxa_only_gives_reasons() -> None:
    result = analyze(_profile(["k__Bacteria|g__Madeupgenus|s__Madeupgenus_fictus"], [1.0]))
    assert result.dysbiosis is not None
    assert result.dysbiosis.percentile is None and result.dysbiosis.reason
    assert result.position is None
    assert result.reference.unmapped_fraction == 1.0
    assert all(t.percentile is None for t in result.taxa_percentiles)
    _no_nan(result.to_dict())


def test_rank_the_reference_lacks_raises(inputs: Path) -> None:
    profile = read_profile(inputs / "metaphlan2/SRS014459-Stool_profile.txt")
    with pytest.raises(AnalysisError, match="species and genus"):
        analyze(profile, rank="strain")
    with pytest.raises(GutlensError, match="unknown rank"):
        analyze(profile, rank="subspecies")


def test_genus_only_profile_falls_back_to_genus_beta() -> None:
    result = analyze(
        _profile(["k__Bacteria|g__Prevotella", "k__Bacteria|g__Bacteroides"], [0.6, 0.4])
    )
    assert result.dysbiosis is not None and result.dysbiosis.metric == "bray_curtis (genus)"
    # with no species at all, diversity and distances both move to genus rank, with a note
    assert result.alpha.rank == "genus"
    assert any("names no species" in n for n in result.reference.notes)


def test_stratum_by_age_and_sex(inputs: Path) -> None:
    profile = read_profile(inputs / "metaphlan2/SRS014459-Stool_profile.txt")
    result = analyze(profile, age=45, sex="female")
    assert result.reference.stratum == "female, age 40-59"
    assert result.reference.n == 165
    older = analyze(profile, age=70, sex="female")
    assert older.reference.stratum == "age 60+"
    assert any("(< 50)" in n for n in older.reference.notes)


def test_reference_sample_dysbiosis_near_its_own_rank(
    metaml: ProfileTable, reference: ReferencePopulation
) -> None:
    for sample in reference.sample_ids[::150]:
        result = analyze(metaml.profile(sample))
        for score, column in (
            (result.dysbiosis, "species_loo_median_bray_curtis"),
            (result.aitchison, "species_loo_median_aitchison"),
        ):
            assert score is not None and score.percentile is not None
            values = reference.metric_values(column)
            own = float(reference.samples.loc[sample, column])
            expected = 100 * ((values < own).sum() + 0.5 * (values == own).sum()) / len(values)
            # the sample's own distance (0) is among its 759, so its median shifts by < 1 rank
            assert score.percentile == pytest.approx(expected, abs=2.0), (sample, column)


def test_aitchison_matches_direct_computation(inputs: Path, reference: ReferencePopulation) -> None:
    from gutlens.analysis.beta import aitchison_to, clr
    from gutlens.analysis.mapping import map_rank

    profile = read_profile(inputs / "metaphlan2/SRS014459-Stool_profile.txt")
    result = analyze(profile)
    mapped = map_rank(profile, reference, "species")
    matrix, _ = reference.rank_matrix("species")
    c = reference.clr_pseudocount
    distances = aitchison_to(mapped.composition, clr(matrix, c), c)
    assert result.aitchison is not None
    assert result.aitchison.median_distance == pytest.approx(float(np.median(distances)), rel=1e-9)
