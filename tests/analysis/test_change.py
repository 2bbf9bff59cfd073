"""Change over time: real samples, shipped visit-to-visit thresholds, rendering and CLI."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from gutlens.analysis.analyze import analyze
from gutlens.analysis.change import ComparisonError, compare_results, load_variability
from gutlens.cli._app import run
from gutlens.io import read_profile, read_profiles
from gutlens.report.compare import render_comparison_html

CRC_A = "metaphlan4/5-MDCOL055-Stool-1A-Baseline-BSB-2-4-1-2.output.txt"
CRC_B = "metaphlan4/14-MDCOL003-Stool-1B-Baseline-BSB-2-4-1-4.output.txt"


def test_shipped_thresholds_come_from_71_healthy_adults() -> None:
    variability = load_variability()
    assert variability is not None
    assert variability.n_subjects == 71
    assert variability.quantile == 0.95
    # measured, not assumed: Shannon changes by up to ~0.7 between visits of one healthy adult
    assert 0.3 < variability.thresholds["alpha.shannon"] < 1.2
    assert "10.1038/s41467-021-27098-7" in variability.citations


def test_same_sample_twice_is_not_flagged(inputs: Path) -> None:
    merged = read_profiles(inputs / "metaphlan2/hmp6_merged_abundance_table.txt")
    single = read_profile(inputs / "metaphlan2/SRS014459-Stool_profile.txt")
    comparison = compare_results(
        [analyze(merged.profile("SRS014459-Stool_profile")), analyze(single)]
    )
    judged = [s for s in comparison.series if s.exceeds is not None]
    assert judged, "some metrics must have thresholds"
    assert not any(s.exceeds for s in judged)
    assert all(s.change == pytest.approx(0, abs=1e-12) for s in judged)


def test_large_real_change_is_flagged(inputs: Path) -> None:
    results = [analyze(read_profile(inputs / CRC_A)), analyze(read_profile(inputs / CRC_B))]
    comparison = compare_results(results)
    series = {s.key: s for s in comparison.series}
    # Fusobacterium from absent to 10 % of the sample is far beyond visit-to-visit change ...
    assert series["taxa.genus.Fusobacterium"].values[1] == pytest.approx(0.102, abs=0.001)
    assert series["taxa.genus.Fusobacterium"].exceeds is True
    assert series["indices.gmwi2"].exceeds is True
    # ... while a Shannon difference of 0.26 is within it
    assert series["alpha.shannon"].change == pytest.approx(2.626 - 2.889, abs=0.002)
    assert series["alpha.shannon"].exceeds is False


def test_dates_order_the_samples(inputs: Path) -> None:
    a, b = analyze(read_profile(inputs / CRC_A)), analyze(read_profile(inputs / CRC_B))
    comparison = compare_results([a, b], dates=[date(2024, 6, 1), date(2024, 1, 1)])
    assert comparison.sample_ids == [b.sample_id, a.sample_id]
    assert comparison.notes == []
    undated = compare_results([a, b])
    assert undated.notes == ["undated"]


def test_needs_two_samples(inputs: Path) -> None:
    with pytest.raises(ComparisonError, match="two or more samples"):
        compare_results([analyze(read_profile(inputs / CRC_A))])


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_html_says_verdicts_in_words(inputs: Path, lang: str) -> None:
    results = [analyze(read_profile(inputs / CRC_A)), analyze(read_profile(inputs / CRC_B))]
    html = render_comparison_html(compare_results(results), lang=lang)
    word = "larger than the usual change" if lang == "en" else "groter dan de gebruikelijke"
    assert word in html
    assert "10.1038/s41467-021-27098-7" in html
    assert "<script" not in html and "http" not in html.split("<main>")[0]


def test_cli_compare_json_and_bad_dates(
    inputs: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "change.json"
    paths = [str(inputs / CRC_A), str(inputs / CRC_B)]
    assert run(["compare", *paths, "--dates", "2024-03-01,2024-02-01", "-o", str(out)]) == 0
    data = json.loads(out.read_text())
    assert data["format"] == "gutlens.comparison"
    assert data["dates"] == ["2024-02-01", "2024-03-01"]
    assert run(["compare", *paths, "--dates", "2024-03-01", "-o", str(out)]) == 1
    assert "--dates gives 1 dates for 2 samples" in capsys.readouterr().err
    assert run(["compare", *paths, "--dates", "yesterday,today", "-o", str(out)]) == 1
    assert "expected a date like 2024-05-01, found 'yesterday'" in capsys.readouterr().err


def test_genus_only_16s_profile_uses_genus_diversity(inputs: Path) -> None:
    # RDP-classified 16S ASVs name no species: species richness would be a false 0
    folder = inputs / "dada2/run_here_ombre_sample6"
    profile = read_profiles(
        folder / "seqtab.nochim.csv", taxonomy=folder / "taxa_rdp19.csv"
    ).profile()
    results = analyze(profile)
    assert results.alpha.rank == "genus"
    assert results.alpha.richness == len(profile.at_rank("genus"))
    assert any("names no species" in note for note in results.reference.notes)
