"""Detection floor for cross-platform richness (Kraken 2 / Bracken against the MetaPhlAn2
reference), on the real reports in ``shared/data/inputs``."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from gutlens.analysis import analyze
from gutlens.analysis.alpha import alpha_matrix, detected_alpha
from gutlens.analysis.results import Results
from gutlens.cli._app import run
from gutlens.io import read_profile
from gutlens.reference import ReferencePopulation

BRACKEN_CRC = "bracken/14-MDCOL003-Stool-1B-Baseline-BSB-2-4-1-4.bracken.report.txt"
KRAKEN_SHOTGUN = "kraken2/Psomagen2_Kraken2.kreport"


@pytest.fixture(scope="session")
def bracken_crc(inputs: Path) -> Results:
    return analyze(read_profile(inputs / BRACKEN_CRC))


@pytest.fixture(scope="session")
def kraken_shotgun(inputs: Path) -> Results:
    return analyze(read_profile(inputs / KRAKEN_SHOTGUN))


def test_floor_is_the_reference_per_sample_minimum_quantile(
    reference: ReferencePopulation,
) -> None:
    for rank in ("species", "genus"):
        matrix = reference.rank_matrix(rank)[0]
        minima = np.where(matrix > 0, matrix, np.inf).min(axis=1)
        expected = float(np.quantile(minima[np.isfinite(minima)], 0.95))
        assert reference.detection_floor(rank) == pytest.approx(expected, rel=1e-12)
    # the value itself, as built from the MetAML healthy cohort (float32 shares)
    assert reference.detection_floor("species") == pytest.approx(2.831e-5, rel=1e-3)
    assert reference.detection_floor("genus") == pytest.approx(7.054e-5, rel=1e-3)
    assert reference.detection_floor("phylum") is None


def test_bracken_richness_no_longer_off_the_scale(
    bracken_crc: Results, reference: ReferencePopulation
) -> None:
    alpha = bracken_crc.alpha
    detected = alpha.detected
    assert detected is not None
    # raw value preserved: 698 species in the report (above the reference's maximum, 212)
    assert alpha.richness == 698
    assert alpha.richness > reference.metric_values("species_richness").max()
    assert detected.richness == 78
    assert detected.richness_above_floor == 215
    assert detected.taxa_below_floor == 698 - 215
    assert detected.share_below_floor == pytest.approx(0.0022, abs=5e-5)
    assert detected.min_share == reference.detection_floor("species")
    expected = reference.metric_percentile("species_richness", 78.0)
    assert alpha.percentiles["richness"] == pytest.approx(expected)
    assert alpha.percentiles["richness"] == pytest.approx(27.2, abs=0.05)
    assert "detection floor" in detected.rule
    assert detected.citation == reference.citation
    assert any("raw richness 698" in note for note in alpha.notes)


def test_kraken_shotgun_tail_removed(kraken_shotgun: Results) -> None:
    alpha = kraken_shotgun.alpha
    detected = alpha.detected
    assert detected is not None
    assert alpha.richness == 5100
    assert detected.taxa_below_floor == 4712
    assert detected.richness == 77
    assert alpha.percentiles["richness"] < 100
    # the tail carries little abundance, so Shannon barely moves (3.40 -> 3.24)
    assert alpha.shannon == pytest.approx(3.40, abs=0.005)
    assert detected.shannon == pytest.approx(3.24, abs=0.005)


def test_metaphlan_samples_are_compared_raw(inputs: Path, reference: ReferencePopulation) -> None:
    same = analyze(read_profile(inputs / "metaphlan2/SRS014459-Stool_profile.txt"))
    assert not same.reference.cross_platform
    assert same.alpha.detected is None
    # MetaPhlAn 4 is cross-platform but marker-based (no read tail): raw richness is compared
    mpa4 = analyze(
        read_profile(inputs / "metaphlan4/14-MDCOL003-Stool-1B-Baseline-BSB-2-4-1-4.output.txt")
    )
    assert mpa4.reference.cross_platform
    assert mpa4.alpha.detected is None
    assert mpa4.alpha.richness == 56
    expected = reference.metric_percentile("species_richness", 56.0)
    assert mpa4.alpha.percentiles["richness"] == pytest.approx(expected)


def test_detected_alpha_counts_and_indices() -> None:
    values = pd.Series([0.5, 0.3, 0.19, 0.009, 0.001], index=["a", "b", "c", "d", "e"])
    out = detected_alpha(
        values, rank="species", min_share=0.005, known={"a", "b", "d"}, rule="r", citation="c"
    )
    assert out.richness_above_floor == 4
    assert out.richness == 3  # a, b, d (c is detected but not in the reference)
    assert out.taxa_below_floor == 1
    assert out.share_below_floor == pytest.approx(0.001)
    expected = alpha_matrix(np.array([[0.5, 0.3, 0.19, 0.009]]))
    assert out.shannon == pytest.approx(expected["shannon"][0], abs=1e-12)
    assert out.pielou == pytest.approx(expected["pielou"][0], abs=1e-12)
    empty = detected_alpha(
        pd.Series([0.0], index=["a"]),
        rank="genus",
        min_share=0.1,
        known=None,
        rule="r",
        citation="c",
    )
    assert empty.richness == 0
    assert empty.shannon is None


def test_cli_json_shows_the_floor(inputs: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["analyze", str(inputs / BRACKEN_CRC), "--json"]) == 0
    sample = json.loads(capsys.readouterr().out)["samples"][0]
    assert sample["alpha"]["richness"] == 698
    assert sample["alpha"]["detected"]["richness"] == 78
    assert sample["alpha"]["detected"]["min_share"] == pytest.approx(2.831e-5, rel=1e-3)
