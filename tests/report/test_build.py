"""Report data: sections present/absent, values from the real files, citations."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from gutlens.analysis.results import QualityFlag, Results
from gutlens.io import read_profile
from gutlens.model import Profile
from gutlens.report import Report, build_report
from gutlens.report.citations import CitationError, CitationRegistry, shipped_citations
from tests.report.conftest import DAY

FULL = ["summary", "diversity", "composition", "taxa", "indices", "guilds", "quality", "methods"]


def _ids(report: Report) -> list[str]:
    return [s.id for s in report.sections]


def _cited(report: Report) -> list[str]:
    keys = [k for a in report.alarms for k in a.citations]
    for s in report.sections:  # reading order, as the HTML shows it: intro, findings, notes
        keys += [k for n in s.intro for k in n.citations]
        keys += [k for f in s.findings for k in f.citations]
        keys += [k for n in s.notes for k in n.citations]
    return keys + [k for n in report.disclaimer for k in n.citations]


def test_bare_report_has_profile_sections_and_says_what_is_missing(bare_report: Report) -> None:
    assert _ids(bare_report) == ["summary", "composition", "quality", "methods"]
    missing = {m.section for m in bare_report.missing}
    assert missing == {"diversity", "indices", "guilds", "taxa"} | {
        "barrier",
        "areas",
        "recommendations",
        "meal_plan",
    }
    text = " ".join(m.text for m in bare_report.missing)
    assert "analysis step" in text
    assert "--questionnaire" in text


def test_full_report_has_every_section(full_report: Report) -> None:
    assert _ids(full_report) == FULL
    assert {m.section for m in full_report.missing} == {
        "barrier",
        "areas",
        "recommendations",
        "meal_plan",
    }


def test_composition_values_come_from_the_profile(bare_report: Report, example: Profile) -> None:
    section = bare_report.section("composition")
    assert section is not None
    phyla, genera = section.charts
    # the example's phyla (MetaPhlAn 4 file): Bacteroidota 53.7 %, Bacillota 43.8 %
    assert [b.label for b in phyla.items[:2]] == ["Bacteroidota", "Bacillota"]
    assert phyla.items[0].share == pytest.approx(0.537, abs=5e-4)
    assert sum(b.share for b in phyla.items) == pytest.approx(1.0)
    assert genera.items[0].label == "Bacteroides"
    assert genera.items[0].share == pytest.approx(float(example.at_rank("genus").iloc[0]))
    assert genera.items[0].display == "30.8%"
    assert genera.items[-1].kind == "other"
    assert len([b for b in genera.items if b.kind == "taxon"]) == 10
    counts = next(f for f in section.findings if f.id == "composition.counts")
    assert counts.text == "67 genera and 88 species were found."


def test_unstated_unclassified_share_is_not_shown_as_zero(bare_report: Report) -> None:
    quality = bare_report.section("quality")
    assert quality is not None
    finding = quality.findings[0]
    assert finding.value is None
    assert "does not say" in finding.text


def test_diversity_and_indices_carry_the_results(
    full_report: Report, example_results: Results
) -> None:
    diversity = full_report.section("diversity")
    assert diversity is not None
    shannon = next(f for f in diversity.findings if f.id == "diversity.shannon")
    assert shannon.value == pytest.approx(2.88945, abs=1e-5)  # species-level, ln
    assert shannon.percentile == example_results.alpha.percentiles["shannon"]
    assert shannon.display == "2.89"
    indices = full_report.section("indices")
    assert indices is not None
    gmwi = next(f for f in indices.findings if f.id == "indices.gmwi2")
    assert gmwi.value == example_results.indices["gmwi2"].value
    assert gmwi.tone == "attention"  # below 0
    assert gmwi.limits
    gmhi = next(f for f in indices.findings if f.id == "indices.gmhi")
    assert gmhi.value == example_results.indices["gmhi"].value
    assert gmhi.percentile == example_results.indices["gmhi"].percentile


def test_an_index_without_a_value_is_explained(example: Profile, example_results: Results) -> None:
    missing = example_results.indices["gmhi"].model_copy(
        update={"value": None, "percentile": None, "reason": "no GMHI species found"}
    )
    results = example_results.model_copy(
        update={"indices": {**example_results.indices, "gmhi": missing}}
    )
    indices = build_report(example, results, today=DAY).section("indices")
    assert indices is not None
    gmhi = next(f for f in indices.findings if f.id == "indices.gmhi")
    assert gmhi.value is None
    assert "could not be computed" in gmhi.text


def test_summary_holds_three_ranked_findings(full_report: Report) -> None:
    summary = full_report.section("summary")
    assert summary is not None
    ids = [f.id for f in summary.findings]
    assert len(ids) == 3
    # real analysis of the example: Adlercreutzia (1.2% of the sample, 99.7th percentile: weight
    # 1.5 + 2 * 0.995) ties with the equol producers (99.7th), of which it is the main member:
    # the group is kept (it names Adlercreutzia and says what it does), the genus and its
    # species are left out as repeats; then GMHI (-3.50, 3rd percentile: 2.5 + 0.94) and the
    # dysbiosis score
    assert ids == [
        "summary.guilds.equol_producer",
        "summary.indices.gmhi",
        "summary.indices.dysbiosis",
    ]
    equol = summary.findings[0]
    assert "Adlercreutzia equolifaciens" in equol.text
    taxa = full_report.section("taxa")
    assert taxa is not None and any(f.id == "taxa.adlercreutzia" for f in taxa.findings)


def test_every_citation_resolves_and_has_doi_or_pmid(
    reports: dict[tuple[str, str], Report],
) -> None:
    for report in reports.values():
        numbers = {r.key: r.number for r in report.references}
        assert sorted(numbers.values()) == list(range(1, len(numbers) + 1))
        cited = _cited(report)
        assert set(cited) == set(numbers)
        first_use = list(dict.fromkeys(cited))
        assert [numbers[k] for k in first_use] == list(range(1, len(first_use) + 1))
        for ref in report.references:
            assert ref.doi or ref.pmid


def test_shipped_citations_are_copied_from_the_knowledge_tables(data_dir: Path) -> None:
    rows = shipped_citations()
    assert {"porcari2025", "gupta2020", "chang2024"} <= set(rows)
    path = Path(__file__).parents[2] / "src/gutlens/report/data/citations.tsv"
    for row in csv.DictReader(path.open(encoding="utf-8"), delimiter="\t"):
        source = (data_dir / row["source"].split("#")[0]).read_text(encoding="utf-8")
        assert row["doi"] in source, row["key"]
        if row["pmid"]:
            assert row["pmid"] in source, row["key"]


def test_reference_labels_are_copied_from_the_knowledge_tables(data_dir: Path) -> None:
    path = Path(__file__).parents[2] / "src/gutlens/report/data/reference_labels.tsv"
    rows = list(csv.DictReader(path.open(encoding="utf-8"), delimiter="\t"))
    assert len(rows) == 136
    texts = {r["source"]: (data_dir / r["source"]).read_text(encoding="utf-8") for r in rows}
    for row in rows:
        assert row["doi"] in texts[row["source"]], row["doi"]


def test_results_dois_get_author_labels(full_report: Report) -> None:
    labels = {r.doi: r.label for r in full_report.references}
    # a butyrate-producer citation from curated_guilds/citations.tsv
    assert labels["10.1128/AEM.68.10.5186-5190.2002"] == (
        "Duncan et al. 2002, Applied and Environmental Microbiology"
    )
    assert labels["10.1371/journal.pcbi.1004977"] == "Pasolli et al. 2016, PLoS Comput Biol"


def test_registry_refuses_a_citation_without_doi_or_pmid() -> None:
    registry = CitationRegistry()
    assert registry.key("https://doi.org/10.1038/s41467-020-18476-8") == ["gupta2020"]
    assert registry.key("PMID:39647502") == ["porcari2025"]
    assert registry.key("10.1000/xyz; PMID 123") == ["doi:10.1000/xyz", "pmid:123"]
    with pytest.raises(CitationError, match="Smith et al"):
        registry.key("Smith et al. 2020")


def test_questionnaire_is_acknowledged(example: Profile, tmp_path: Path) -> None:
    report = build_report(example, questionnaire=tmp_path / "answers.yaml", today=DAY)
    text = " ".join(m.text for m in report.missing)
    assert "the questionnaire answers.yaml" in text
    assert "not used yet" in text


def test_critical_quality_flag_becomes_an_alarm(example: Profile, example_results: Results) -> None:
    flag = QualityFlag(
        code="low_read_depth",
        severity="critical",
        message="Only 1,000 reads",
        value=1000,
        threshold=100000,
        citation="10.1038/nbt.3981",
    )
    results = example_results.model_copy(update={"quality_flags": [flag]})
    report = build_report(example, results, today=DAY)
    assert [a.code for a in report.alarms] == ["low_read_depth"]
    assert report.references[0].key == "sinha2017"  # alarms come first
    summary = report.section("summary")
    assert summary is not None
    assert summary.findings[0].id == "summary.quality.low_read_depth"
    assert summary.findings[0].title == "Serious problem: few sequencing reads"
    assert summary.findings[0].display == "1,000"


def test_dutch_report_formats_numbers_the_dutch_way(
    reports: dict[tuple[str, str], Report],
) -> None:
    nl = reports[("nl", "person")]
    composition = nl.section("composition")
    assert composition is not None
    assert composition.charts[1].items[0].display == "30,8%"
    assert nl.created_display == "14 maart 2026"
    assert nl.title == "Jouw darmmicrobioomrapport"


def test_practitioner_adds_tables(reports: dict[tuple[str, str], Report]) -> None:
    person, practitioner = reports[("en", "person")], reports[("en", "practitioner")]
    assert sum(len(s.tables) for s in practitioner.sections) > sum(
        len(s.tables) for s in person.sections
    )
    diversity = practitioner.section("diversity")
    assert diversity is not None
    rows = {row[0]: row for row in diversity.tables[0].rows}
    assert rows["Simpson index"][1] == "0.891"


def test_provenance_names_the_input(full_report: Report) -> None:
    prov = full_report.provenance
    assert prov.input_name == "example_metaphlan4_stool.txt"
    assert prov.input_sha256 == "3bc88a58305f6c451f2e2f90185bfb7bea33c1c246a2725970e7328725351ed7"
    assert prov.database == "mpa_vOct22_CHOCOPhlAnSGB_202403"
    assert prov.reference_name == "metaml_healthy"


@pytest.mark.parametrize(
    "relative",
    [
        "metaphlan4/14-MDCOL003-Stool-1B-Baseline-BSB-2-4-1-4.output.txt",
        "metaphlan3/SRS014459-Stool_profile.txt",
        "metaphlan2/SRS014459-Stool_profile.txt",
    ],
)
def test_real_inputs_build_every_section(relative: str, inputs: Path, data_dir: Path) -> None:
    from tests.report.fixtures import results_for

    profile = read_profile(inputs / relative)
    report = build_report(profile, results_for(profile, data_dir), today=DAY)
    assert [s.id for s in report.sections] == FULL


def test_dysbiosis_and_enterotype_are_reported(
    full_report: Report, example_results: Results
) -> None:
    # the real analysis of the example: median Bray-Curtis 0.894 to the healthy reference, at
    # the 95.5th percentile of the reference's own medians; Bacteroides community type
    dysbiosis = example_results.dysbiosis
    enterotype = example_results.enterotype
    assert dysbiosis is not None and enterotype is not None
    indices = full_report.section("indices")
    assert indices is not None
    dys = next(f for f in indices.findings if f.id == "indices.dysbiosis")
    assert dys.value == dysbiosis.median_distance == pytest.approx(0.8938, abs=1e-4)
    assert dys.percentile == dysbiosis.percentile == pytest.approx(95.52, abs=0.01)
    composition = full_report.section("composition")
    assert composition is not None
    entero = next(f for f in composition.findings if f.id == "composition.enterotype")
    assert enterotype.label == "Bacteroides"
    assert "Bacteroides 30.8%" in entero.text
    keys = {r.key: r for r in full_report.references}
    assert keys["doi:10.1038/nature09944"].doi == "10.1038/nature09944"
    assert keys["doi:10.1038/s41586-019-1237-9"].doi == "10.1038/s41586-019-1237-9"


def test_results_of_another_sample_are_refused(example: Profile, example_results: Results) -> None:
    from gutlens.report.build import ReportInputMismatchError

    other = example_results.model_copy(update={"sample_id": "someone_else"})
    with pytest.raises(ReportInputMismatchError, match="'someone_else'"):
        build_report(example, other)


def test_profile_without_genus_rank_still_reports(example: Profile) -> None:
    phyla_only = Profile(
        sample_id="phyla_only",
        taxa=example.taxa[example.taxa["rank"].isin(["kingdom", "phylum"])],
        unclassified_fraction=0.25,
        source=example.source,
        provenance=example.provenance,
    )
    report = build_report(phyla_only, today=DAY)
    composition = report.section("composition")
    assert composition is not None
    genera = composition.charts[1].items
    assert [(b.kind, b.display) for b in genera] == [("unresolved", "100.0%")]
    quality = report.section("quality")
    assert quality is not None
    assert quality.findings[0].display == "25.0%"


def test_diversity_shows_the_reference_curve_with_the_persons_marker() -> None:
    from gutlens import analyze, read_profile
    from gutlens.examples import example_profile_path
    from gutlens.reference import load_reference
    from gutlens.report import build_report

    profile = read_profile(example_profile_path())
    results = analyze(profile)
    report = build_report(profile, results)
    diversity = next(s for s in report.sections if s.id == "diversity")
    curve = next(c for c in diversity.charts if c.kind == "distribution")
    values = load_reference().metric_values("species_shannon")
    assert "759" in curve.caption
    # the marker sits where the person's Shannon value falls on the drawn axis
    low = min(values.min(), results.alpha.shannon)
    high = max(values.max(), results.alpha.shannon)
    pad = (high - low) * 0.05
    expected = (results.alpha.shannon - (low - pad)) / ((high + pad) - (low - pad))
    assert curve.marker == pytest.approx(expected, abs=1e-9)
    assert max(y for _, y in curve.curve) == pytest.approx(1.0)
    assert all(0 <= x <= 1 for x, _ in curve.curve)


def test_cross_platform_diversity_shows_the_values_its_percentiles_were_computed_on(
    inputs: Path,
) -> None:
    """Bracken lists 698 species, mostly a long tail of a few reads; the report compares (and
    shows) the 78 the MetaPhlAn2 reference would detect, and says so."""
    from gutlens.analysis import analyze

    profile = read_profile(
        inputs / "bracken/14-MDCOL003-Stool-1B-Baseline-BSB-2-4-1-4.bracken.report.txt"
    )
    results = analyze(profile)
    assert results.alpha.richness == 698 and results.alpha.detected is not None
    report = build_report(profile, results, today=DAY)
    section = next(s for s in report.sections if s.id == "diversity")
    richness = next(f for f in section.findings if f.id == "diversity.richness")
    assert richness.value == 78
    assert richness.percentile == results.alpha.percentiles["richness"]
    note = section.notes[0].text
    assert "698" in note and "78 kinds" in note and "0.0028%" in note
    # each cross-platform percentile carries its limit, cited to the multi-lab comparison
    assert richness.limits is not None and "approximate" in richness.limits
    assert "sinha2017" in richness.citations
    taxa = report.section("taxa")
    assert taxa is not None and taxa.findings
    assert all(f.limits == richness.limits and "sinha2017" in f.citations for f in taxa.findings)
    # a MetaPhlAn 2 sample, the reference's own profiler, needs no such limit
    own = read_profile(inputs / "metaphlan2/SRS014459-Stool_profile.txt")
    mpa2 = build_report(own, analyze(own), today=DAY)
    for section_id in ("diversity", "taxa"):
        same = mpa2.section(section_id)
        assert same is not None and all(f.limits is None for f in same.findings)


def test_a_meal_plan_that_cannot_be_made_says_why(
    example: Profile, example_results: Results
) -> None:
    """Vegan + low-FODMAP leaves one protein food: the report names that reason in both
    languages instead of a bare 'no meal plan'."""
    from gutlens.interpret import interpret

    q = {"diet": "vegan", "restrictions": ["low_fodmap"]}
    interpretation = interpret(example_results, questionnaire=q)
    assert interpretation.meal_plan is None
    for lang, words in (("en", "protein (1 allowed"), ("nl", "eiwitbron (1 toegestaan")):
        report = build_report(example, example_results, interpretation, lang=lang, today=DAY)  # type: ignore[arg-type]
        (note,) = [m for m in report.missing if m.section == "meal_plan"]
        assert words in note.text
