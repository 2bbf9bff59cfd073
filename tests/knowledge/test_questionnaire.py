"""Questionnaire schema, loader errors and alarm features."""

from __future__ import annotations

from pathlib import Path

import pytest

from gutlens.knowledge import QuestionnaireError, load_knowledge_base
from gutlens.knowledge.questionnaire import alarm_features, load_questionnaire

EXAMPLE = """\
age: 41
sex: female
diet: vegan            # omnivore | pescatarian | vegetarian | vegan
restrictions: [gluten_free]            # also lactose_free, low_fodmap
allergies: [tree_nuts]                 # also peanuts, soy, egg, fish, shellfish, milk, sesame
symptoms: {bloating: 3, gas: 2, abdominal_pain: 1, constipation: 0, diarrhea: 0, fatigue: 2}  # 0-4
bristol_stool_type: 4
antibiotics_last_3_months: false
medications: [ppi]
alarm_symptoms: []     # blood_in_stool, weight_loss, fever, night_symptoms
"""


def _write(tmp_path: Path, text: str, name: str = "q.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_issue_example_is_accepted_as_written(tmp_path: Path) -> None:
    q = load_questionnaire(_write(tmp_path, EXAMPLE))
    assert q.age == 41 and q.sex == "female" and q.diet == "vegan"
    assert q.restrictions == ("gluten_free",)
    assert q.allergies == ("tree_nuts",)
    assert q.symptoms.bloating == 3 and q.symptoms.fatigue == 2 and q.symptoms.diarrhea == 0
    assert q.bristol_stool_type == 4
    assert q.antibiotics_last_3_months is False
    assert q.medications == ("ppi",)
    assert alarm_features(q) == []


def test_json_and_extra_fields(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        '{"age": 30, "diet": "pescatarian", "symptoms": {"diarrhoea": 2, "low_mood": 3},'
        ' "skin_conditions": ["eczema"], "goals": ["regularity"], "fiber_target_g": 35,'
        ' "preferred_foods": ["oats", "Legumes and Legume Products"]}',
        "q.json",
    )
    q = load_questionnaire(path)
    assert q.symptoms.diarrhea == 2 and q.symptoms.low_mood == 3
    assert q.fiber_target_g == 35 and q.skin_conditions == ("eczema",)


@pytest.mark.parametrize(
    ("text", "field", "words"),
    [
        ("symptoms: {bloating: 7}\n", "symptoms.bloating", "less than or equal to 4"),
        ("diet: carnivore\n", "diet", "'carnivore'"),
        ("allergies: [nuts]\n", "allergies.0", "tree_nuts"),
        ("bristol_stool_type: 9\n", "bristol_stool_type", "less than or equal to 7"),
        ("restrictions: gluten_free\n", "restrictions", "expected a list"),
        ("favourite_colour: blue\n", "favourite_colour", "Extra inputs"),
        ("age: 12\n", "age", "greater than or equal to 18"),
    ],
)
def test_bad_answers_name_file_and_field(tmp_path: Path, text: str, field: str, words: str) -> None:
    path = _write(tmp_path, text)
    with pytest.raises(QuestionnaireError) as info:
        load_questionnaire(path)
    message = str(info.value)
    assert message.startswith(f"{path}, field '{field}': ")
    assert words in message
    assert info.value.field == field


def test_unreadable_files(tmp_path: Path) -> None:
    with pytest.raises(QuestionnaireError, match="file not found"):
        load_questionnaire(tmp_path / "missing.yaml")
    with pytest.raises(QuestionnaireError, match="not valid YAML at line 2"):
        load_questionnaire(_write(tmp_path, "age: 41\n  sex: [female\n"))
    with pytest.raises(QuestionnaireError, match="expected a mapping"):
        load_questionnaire(_write(tmp_path, "- 1\n- 2\n"))


def test_alarm_features(tmp_path: Path) -> None:
    q = load_questionnaire(
        _write(
            tmp_path, "age: 58\nsymptoms: {bloating: 2}\nalarm_symptoms: [blood_in_stool, fever]\n"
        )
    )
    alarms = alarm_features(q)
    assert [a.feature for a in alarms] == ["blood_in_stool", "fever", "age_over_50_new_symptoms"]
    assert all("see a doctor" in a.message for a in alarms)
    # without a knowledge base there is nothing to cite
    assert all(a.citations == () for a in alarms)
    cited = {a.feature: a.citations for a in alarm_features(q, load_knowledge_base())}
    guidelines = ("doi:10.14309/ajg.0000000000001036", "doi:10.1136/gutjnl-2021-324598")
    # a feature's own source first, then the ACG 2021 and BSG 2021 IBS guidelines
    assert cited["blood_in_stool"] == ("doi:10.1186/1471-230x-11-96", *guidelines)
    assert cited["age_over_50_new_symptoms"] == ("doi:10.12998/wjcc.v10.i2.563", *guidelines)
    # fever: a study's red-flag list known by its PMID only (no DOI seen), then the guidelines
    assert cited["fever"] == ("pmid:22720303", *guidelines)
    calm = load_questionnaire(
        _write(tmp_path, "age: 58\nnew_symptoms: false\nsymptoms: {gas: 1}\n")
    )
    assert alarm_features(calm) == []
    young = load_questionnaire(_write(tmp_path, "age: 49\nalarm_symptoms: [night_symptoms]\n"))
    assert [a.feature for a in alarm_features(young)] == ["night_symptoms"]
