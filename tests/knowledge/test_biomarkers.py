"""Biomarker input: unit conversion, cited ranges and limits, refusal of impossible values."""

from __future__ import annotations

from pathlib import Path

import pytest

from gutlens.knowledge import BiomarkerInputError
from gutlens.knowledge.biomarkers import assess_biomarkers, convert, load_biomarkers

ALL_FIVE = """\
lactulose_mannitol_ratio: {value: 0.03}
zonulin: {value: 48, unit: ug/L}
lps_binding_protein: {value: 12.5, unit: mg/L}
faecal_calprotectin: {value: 0.035, unit: mg/g}
secretory_iga: {value: 900, unit: µg/g}
"""


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "bio.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_conversion_factors() -> None:
    assert convert(12.5, "mg/L", "ug/mL") == pytest.approx(12.5)
    assert convert(1.0, "mg/dL", "mg/L") == pytest.approx(10.0)  # hs-CRP row: mg/L x 0.1 = mg/dL
    assert convert(4000, "ng/L", "pg/mL") == pytest.approx(4000)
    assert convert(0.035, "mg/g", "ug/g") == pytest.approx(35.0)
    assert convert(8.21, "umol/L", "mmol/L") == pytest.approx(0.00821)
    with pytest.raises(ValueError, match="cannot be converted"):
        convert(1, "ug/g", "ng/mL")


def test_the_five_barrier_markers(tmp_path: Path) -> None:
    result = assess_biomarkers(load_biomarkers(_write(tmp_path, ALL_FIVE)))
    by = {r.marker: r for r in result.results}
    assert set(by) == {
        "lactulose_mannitol_ratio",
        "zonulin",
        "lbp",
        "calprotectin",
        "secretory_iga",
    }
    assert by["lbp"].value == pytest.approx(12.5) and by["lbp"].unit == "ug/mL"
    assert by["calprotectin"].value == pytest.approx(35.0) and by["calprotectin"].unit == "ug/g"
    assert by["zonulin"].unit == "ng/mL"
    # no verified cut-off exists for these in the curated tables
    assert all(
        by[m].interpretation == "no_cited_range"
        for m in ("lactulose_mannitol_ratio", "zonulin", "lbp", "secretory_iga")
    )
    # calprotectin: 35 ug/g is at or below the 50 ug/g cut-off (Dajti 2023; An 2019)
    assert (by["calprotectin"].high, by["calprotectin"].interpretation) == (50.0, "within")
    # zonulin limits: commercial ELISAs detect other proteins (Scheffler 2018)
    assert "pre-haptoglobin-2" in by["zonulin"].limitations
    assert [c.doi for c in by["zonulin"].citations] == ["10.3389/fendo.2018.00022"]
    assert [c.doi for c in by["lactulose_mannitol_ratio"].citations] == [
        "10.1111/j.1365-2982.2009.01361.x"
    ]
    assert [c.doi for c in by["calprotectin"].citations] == [
        "10.1111/apt.17754",
        "10.5694/mja2.50384",
    ]
    # sIgA: no peer-reviewed interval exists; shown, not interpreted, no claimed source
    assert by["secretory_iga"].citations == ()
    assert "No peer-reviewed reference interval" in by["secretory_iga"].range_note
    # general "leaky gut" note (Camilleri 2019) accompanies barrier markers
    assert [c.doi for n in result.notes for c in n.citations] == ["10.1136/gutjnl-2019-318427"]


def test_cited_ranges_give_a_word(tmp_path: Path) -> None:
    text = "lps: {value: 4000, unit: ng/L}\nd_lactate: {value: 5, unit: umol/L}\n"
    text += "i_fabp: {value: 0.02, unit: ng/mL}\nelastase: {value: 150, unit: mg/kg}\n"
    by = {r.marker: r for r in assess_biomarkers(load_biomarkers(_write(tmp_path, text))).results}
    assert (by["lps"].low, by["lps"].high, by["lps"].interpretation) == (1.17, 3.45, "above")
    assert by["d_lactate"].interpretation == "within"  # IQR 3.23-10.37 umol/L (Li 2017)
    assert by["i_fabp"].value == pytest.approx(20.0)
    assert by["i_fabp"].interpretation == "below"  # IQR 24.54-34.87 pg/mL
    assert by["elastase"].interpretation == "below"  # <=200 ug/g
    assert by["lps"].citations[0].doi == "10.1186/s12876-017-0603-z"


@pytest.mark.parametrize(
    ("text", "field", "words"),
    [
        ("zonulin: {value: -3, unit: ng/mL}\n", "zonulin.value", "cannot be negative"),
        ("zonulin: {value: 3, unit: ug/g}\n", "zonulin.unit", "wrong kind of unit 'ug/g'"),
        ("zonulin: {value: 3, unit: furlongs}\n", "zonulin.unit", "unknown unit 'furlongs'"),
        ("zonulin: {value: 3}\n", "zonulin.unit", "a unit is required"),
        ("zonulin: {value: .nan, unit: ng/mL}\n", "zonulin.value", "finite number"),
        ("zonulin: {value: high, unit: ng/mL}\n", "zonulin.value", "finite number"),
        ("vitamin_q: {value: 3, unit: ng/mL}\n", "vitamin_q", "unknown marker"),
        ("secretory_iga: {value: 3, unit: umol/L}\n", "secretory_iga.unit", "concentration"),
        ("calprotectin: {value: 3, unit: ug/g, lab: x}\n", "calprotectin", "unexpected key"),
    ],
)
def test_impossible_values_are_refused(tmp_path: Path, text: str, field: str, words: str) -> None:
    path = _write(tmp_path, text)
    with pytest.raises(BiomarkerInputError) as info:
        load_biomarkers(path)
    assert str(info.value).startswith(f"{path}, field '{field}': ")
    assert words in str(info.value)


def test_calprotectin_above_the_cut_off(tmp_path: Path) -> None:
    text = "calprotectin: {value: 0.12, unit: mg/g}\n"
    (res,) = assess_biomarkers(load_biomarkers(_write(tmp_path, text))).results
    assert res.value == pytest.approx(120.0)
    assert res.interpretation == "above"
    assert "not a diagnosis" in res.range_note
