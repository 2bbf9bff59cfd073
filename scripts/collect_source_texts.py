"""List the data texts a Dutch report shows that ``sources.nl.yaml`` does not translate yet.

Texts from data (the knowledge base's descriptions of what a study tested and found, the
interpretation's notes and conflict explanations, USDA food names and household measures) are
translated through ``src/gutlens/report/data/locales/sources.<lang>.yaml``, a table from the
English source text to its translation (see :meth:`gutlens.report.i18n.Catalogue.source`).

This script builds reports for a matrix of real inputs from ``../shared/data/inputs`` and
questionnaires that switch on every branch of the recommendations (each diet, restriction,
symptom, antibiotics, every biomarker), collects the source texts with no translation and
writes them as YAML (English text -> empty string) for a translator::

    python scripts/collect_source_texts.py --lang nl > /tmp/missing.yaml

``tests/report/test_sources.py`` builds the same matrix and fails while any text is missing.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from gutlens.analysis import analyze  # noqa: E402
from gutlens.examples import example_profile_path  # noqa: E402
from gutlens.interpret import interpret  # noqa: E402
from gutlens.io import read_profile  # noqa: E402
from gutlens.model import Profile  # noqa: E402
from gutlens.report import build_report  # noqa: E402
from gutlens.report.i18n import catalogue  # noqa: E402

INPUTS = ROOT.parent / "shared/data/inputs"

#: Real inputs of different platforms (beside the bundled example).
SAMPLES = (
    "metaphlan4/14-MDCOL003-Stool-1B-Baseline-BSB-2-4-1-4.output.txt",
    "bracken/Ombre6_Kraken2_bracken.kreport",
    "consumer/ubiome_json/sprague-ubiome-150421.json",
)

#: Every marker the knowledge base knows; values chosen to fall both inside and outside ranges.
BIOMARKERS = (
    {
        "lactulose_mannitol_ratio": {"value": 0.03},
        "zonulin": {"value": 48, "unit": "ng/mL"},
        "lps_binding_protein": {"value": 12.5, "unit": "mg/L"},
        "calprotectin": {"value": 35, "unit": "ug/g"},
        "secretory_iga": {"value": 900, "unit": "ug/g"},
        "lps": {"value": 4000, "unit": "ng/L"},
        "i_fabp": {"value": 0.02, "unit": "ng/mL"},
        "d_lactate": {"value": 5, "unit": "umol/L"},
        "elastase": {"value": 150, "unit": "ug/g"},
        "hs_crp": {"value": 2.0, "unit": "mg/L"},
        "lactoferrin": {"value": 3.0, "unit": "ug/g"},
    },
)

#: Questionnaires that switch on each diet, restriction, allergy, symptom and context branch.
QUESTIONNAIRES: tuple[dict[str, Any] | None, ...] = (
    None,
    {
        "age": 41,
        "sex": "female",
        "diet": "vegan",
        "restrictions": ["gluten_free"],
        "allergies": ["tree_nuts"],
        "symptoms": {"bloating": 3, "gas": 2, "abdominal_pain": 1, "fatigue": 2},
        "bristol_stool_type": 4,
        "antibiotics_last_3_months": False,
        "medications": ["ppi"],
        "alarm_symptoms": [],
    },
    {
        "age": 58,
        "diet": "omnivore",
        "symptoms": {
            "bloating": 4,
            "gas": 4,
            "abdominal_pain": 4,
            "constipation": 4,
            "diarrhea": 4,
            "fatigue": 4,
            "low_mood": 4,
            "anxiety": 4,
            "skin_complaints": 4,
        },
        "antibiotics_last_3_months": True,
        "medications": ["metformin"],
        "alarm_symptoms": ["blood_in_stool", "weight_loss", "fever", "night_symptoms"],
        "new_symptoms": True,
    },
    {
        "diet": "vegetarian",
        "restrictions": ["low_fodmap", "lactose_free"],
        "allergies": ["peanuts", "soy", "egg", "sesame"],
        "symptoms": {"bloating": 3, "diarrhea": 3},
    },
    {"diet": "vegan", "restrictions": ["low_fodmap"], "symptoms": {"bloating": 3}},  # no plan
    {
        "diet": "pescatarian",
        "allergies": ["fish", "shellfish", "milk"],
        "symptoms": {"constipation": 3, "gas": 2},
        "fiber_target_g": 40,
    },
)


def profiles() -> Iterator[Profile]:
    """The bundled example and the real inputs of :data:`SAMPLES` that are present."""
    yield read_profile(example_profile_path())
    for rel in SAMPLES:
        path = INPUTS / rel
        if path.exists():
            yield read_profile(path)


def data_texts() -> set[str]:
    """Texts any plan or recommendation can show: every meal-pool food and measure unit, and
    what every intervention in the knowledge base tested and changed."""
    from gutlens.knowledge import load_knowledge_base
    from gutlens.knowledge.mealplan import _options

    kb = load_knowledge_base()
    texts: set[str] = set()
    for option in _options(kb):
        texts.update((option.description, option.measure))
    for fact in kb.facts:
        if fact.subject_type == "intervention":
            texts.update(t for t in (fact.subject, fact.effect) if t)
    return texts


def missing(lang: str, workdir: Path) -> set[str]:
    """Source texts the matrix of reports shows without a translation in ``lang``."""
    cat = catalogue(lang)
    cat.untranslated.clear()
    for text in data_texts():
        cat.source(text)
    files: list[Path | None] = [None]
    for i, markers in enumerate(BIOMARKERS):
        path = workdir / f"biomarkers{i}.yaml"
        path.write_text(yaml.safe_dump(markers), encoding="utf-8")
        files.append(path)
    for profile in profiles():
        for i, q in enumerate(QUESTIONNAIRES):
            # age and sex choose the reference stratum, as `gutlens report` does
            results = analyze(profile, age=(q or {}).get("age"), sex=(q or {}).get("sex"))
            interpretation = interpret(results, questionnaire=q, biomarkers=files[i % len(files)])
            for audience in ("person", "practitioner"):
                build_report(profile, results, interpretation, lang=lang, audience=audience)  # type: ignore[arg-type]
    return set(cat.untranslated)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lang", default="nl")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        texts = sorted(missing(args.lang, Path(tmp)))
    yaml.safe_dump(dict.fromkeys(texts, ""), sys.stdout, allow_unicode=True, width=100)
    print(f"{len(texts)} untranslated source texts", file=sys.stderr)


if __name__ == "__main__":
    main()
