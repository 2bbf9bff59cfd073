"""Both catalogues complete: same keys, same placeholders, nothing empty or left in English."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from gutlens.report.i18n import LANGUAGES, ReportLanguageError, load_catalogue, placeholders

SRC = Path(__file__).parents[2] / "src/gutlens/report"
#: Texts that are the same in English and Dutch on purpose (names, codes, symbols).
SAME_ON_PURPOSE = {
    "format.below",
    "common.stratum",
    "indices.known.gmhi.name",
    "indices.known.gmwi2.name",
    "methods.database",
    "ui.doi",
    "ui.pmid",
    "interpret.barrier.col.marker",  # "Marker" in both
    "interpret.meal.lunch",  # "Lunch" in both
    "interpret.areas.score",  # "{score} / 100"
    "quality.flag_title",  # "{severity}: {what}"
}


@pytest.mark.parametrize("lang", LANGUAGES[1:])
def test_catalogue_is_complete(lang: str) -> None:
    en, other = load_catalogue("en"), load_catalogue(lang)
    assert sorted(set(en) - set(other)) == [], "missing keys"
    assert sorted(set(other) - set(en)) == [], "extra keys"
    assert [k for k, v in other.items() if not v.strip()] == [], "empty texts"
    untranslated = [k for k in en if en[k] == other[k] and k not in SAME_ON_PURPOSE]
    assert untranslated == []
    assert [k for k in en if placeholders(en[k]) != placeholders(other[k])] == []


def test_every_key_used_in_code_exists() -> None:
    en = load_catalogue("en")
    code = "\n".join(p.read_text() for p in SRC.glob("*.py"))
    code += "\n".join(p.read_text() for p in (SRC / "templates").glob("*.j2"))
    literal = set(re.findall(r"""(?:t|note|has)\(\s*["']([a-z_]+(?:\.[a-z_]+)+)["']""", code))
    assert literal, "found no catalogue keys in the code"
    assert sorted(k for k in literal if k not in en) == []


def test_unknown_language_is_a_clear_error() -> None:
    with pytest.raises(ReportLanguageError, match="choose one of en, nl"):
        load_catalogue("fr")


def test_measured_values_keep_the_lab_s_precision() -> None:
    from gutlens.report.i18n import catalogue
    from gutlens.report.interpretation import _unit

    assert [catalogue("en").measured(v) for v in (35.0, 0.034, 1.5, 1200)] == [
        "35",
        "0.034",
        "1.5",
        "1,200",
    ]
    assert [catalogue("nl").measured(v) for v in (0.034, 1200.5)] == ["0,034", "1.200,5"]
    assert [_unit(u) for u in ("ug/g", "mcg/mL", "umol/L", "ng/mL", "mg/L")] == [
        "µg/g",
        "µg/mL",
        "µmol/L",
        "ng/mL",
        "mg/L",
    ]
