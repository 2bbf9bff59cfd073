"""The questionnaire: symptoms, diet, restrictions, allergies, medication, goals; alarm features.

Schema (YAML or JSON; unknown fields are refused so typos are caught)::

    age: 41                      # years, 18-120 (adults only)
    sex: female                  # female | male | other | unspecified
    diet: vegan                  # omnivore | pescatarian | vegetarian | vegan
    restrictions: [gluten_free]  # gluten_free | lactose_free | low_fodmap
    allergies: [tree_nuts]       # tree_nuts | peanuts | soy | egg | fish | shellfish | milk |
                                 # sesame
    symptoms: {bloating: 3, gas: 2, abdominal_pain: 1, constipation: 0, diarrhea: 0,
               fatigue: 2, low_mood: 0, anxiety: 0, skin_complaints: 0}   # 0 (none) - 4 (severe)
    bristol_stool_type: 4        # 1-7 (Lewis & Heaton 1997)
    antibiotics_last_3_months: false
    medications: [ppi]           # ppi | metformin | nsaid | laxative | antidepressant | other
    alarm_symptoms: []           # blood_in_stool | weight_loss | fever | night_symptoms
    new_symptoms: false          # symptoms began recently (used with age > 50)
    skin_conditions: []          # eczema | acne | psoriasis | rosacea | other
    goals: [less_bloating]       # free words, e.g. less_bloating, weight, energy, regularity
    fiber_target_g: 35           # optional own fibre target for the meal plan (g/day)
    preferred_foods: [oats]      # optional foods / USDA food groups to favour

Every symptom is optional (missing = not reported). ``diarrhoea`` is accepted for ``diarrhea``.
Symptoms change priorities and wording later, never the measured scores.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from gutlens.knowledge._errors import QuestionnaireError
from gutlens.knowledge._inputs import raise_validation, read_mapping

if TYPE_CHECKING:
    from gutlens.knowledge._base import KnowledgeBase

__all__ = [
    "Alarm",
    "Questionnaire",
    "Symptoms",
    "alarm_citations",
    "alarm_features",
    "load_questionnaire",
]

Diet = Literal["omnivore", "pescatarian", "vegetarian", "vegan"]
Restriction = Literal["gluten_free", "lactose_free", "low_fodmap"]
Allergy = Literal["tree_nuts", "peanuts", "soy", "egg", "fish", "shellfish", "milk", "sesame"]
Medication = Literal["ppi", "metformin", "nsaid", "laxative", "antidepressant", "other"]
AlarmSymptom = Literal["blood_in_stool", "weight_loss", "fever", "night_symptoms"]


def _severity() -> int | None:
    return Field(None, ge=0, le=4)


class Symptoms(BaseModel):
    """Symptom severity over the last weeks, 0 (none) to 4 (severe); missing = not reported."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    bloating: int | None = _severity()
    gas: int | None = _severity()
    abdominal_pain: int | None = _severity()
    constipation: int | None = _severity()
    diarrhea: int | None = _severity()
    fatigue: int | None = _severity()
    low_mood: int | None = _severity()
    anxiety: int | None = _severity()
    skin_complaints: int | None = _severity()

    @classmethod
    def _aliases(cls, data: object) -> object:
        if isinstance(data, dict) and "diarrhoea" in data:
            data = dict(data)
            if "diarrhea" in data:
                raise ValueError("give either 'diarrhea' or 'diarrhoea', not both")
            data["diarrhea"] = data.pop("diarrhoea")
        return data

    def any_present(self) -> bool:
        """True when any symptom is scored above 0."""
        return any(v for v in self.model_dump().values() if v)


class Questionnaire(BaseModel):
    """A person's answers (see the module docstring for the schema and allowed values)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    age: int | None = Field(None, ge=18, le=120)
    sex: Literal["female", "male", "other", "unspecified"] | None = None
    diet: Diet = "omnivore"
    restrictions: tuple[Restriction, ...] = ()
    allergies: tuple[Allergy, ...] = ()
    symptoms: Symptoms = Symptoms()
    bristol_stool_type: int | None = Field(None, ge=1, le=7)
    antibiotics_last_3_months: bool | None = None
    medications: tuple[Medication, ...] = ()
    alarm_symptoms: tuple[AlarmSymptom, ...] = ()
    new_symptoms: bool | None = None
    skin_conditions: tuple[Literal["eczema", "acne", "psoriasis", "rosacea", "other"], ...] = ()
    goals: tuple[str, ...] = ()
    fiber_target_g: float | None = Field(None, gt=0, le=100)
    preferred_foods: tuple[str, ...] = ()

    @field_validator("symptoms", mode="before")
    @classmethod
    def _symptom_aliases(cls, value: object) -> object:
        return Symptoms._aliases(value)

    @field_validator("restrictions", "allergies", "medications", "alarm_symptoms", mode="before")
    @classmethod
    def _list(cls, value: object) -> object:
        if value is None:
            return ()
        if isinstance(value, str):
            raise ValueError("expected a list, e.g. [gluten_free]; found a single word")
        return value


def load_questionnaire(path: str | Path) -> Questionnaire:
    """Read and validate a questionnaire file (YAML, or JSON when the suffix is ``.json``).

    Raises
    ------
    QuestionnaireError
        Naming the file and the field, e.g.
        ``q.yaml, field 'symptoms.bloating': Input should be less than or equal to 4 (found 7)``.
    """
    data = read_mapping(path, QuestionnaireError)
    try:
        return Questionnaire.model_validate(data)
    except ValidationError as err:
        raise_validation(err, path, QuestionnaireError)
        raise  # pragma: no cover - raise_validation always raises


class Alarm(BaseModel):
    """An alarm feature: show a clear "see a doctor" message at the top of a report.

    ``citations`` are knowledge-base keys of the sources that list the feature (and of the IBS
    guidelines that send people with alarm features to a clinician); empty only when no
    knowledge base was given.
    """

    model_config = ConfigDict(frozen=True)

    feature: str
    message: str
    citations: tuple[str, ...] = ()


_MESSAGES = {
    "blood_in_stool": "Blood in the stool",
    "weight_loss": "Unintended weight loss",
    "fever": "Fever together with gut symptoms",
    "night_symptoms": "Gut symptoms that wake you at night",
    "age_over_50_new_symptoms": "New gut symptoms after the age of 50",
}
#: knowledge-base subject of the general guideline facts on alarm features (ACG 2021, BSG 2021)
GENERAL = "alarm_features"


def alarm_citations(kb: KnowledgeBase, feature: str) -> tuple[str, ...]:
    """Citation keys for one alarm feature: the facts about the feature itself, then the
    general guideline facts. Fever's own source is known by its PMID only (no DOI was seen; see
    ``scripts/curated/README.md``)."""
    keys: list[str] = []
    for subject in (feature, GENERAL):
        for fact in kb.facts_about(subject, "symptom"):
            if fact.subject == subject and fact.source == "gutlens_curated":
                keys += [k for k in fact.citations if k not in keys]
    return tuple(keys)


def alarm_features(q: Questionnaire, kb: KnowledgeBase | None = None) -> list[Alarm]:
    """Alarm features present in the answers, each with a plain "see a doctor" message.

    Features: blood in stool, unintended weight loss, fever, night-time symptoms, and age over
    50 with new symptoms (``new_symptoms: true``, or any symptom scored when ``new_symptoms`` is
    not answered). These are not diagnoses; they mean a clinician should be seen before relying
    on a microbiome report. With ``kb`` each alarm carries its citations
    (:func:`alarm_citations`).
    """
    found: list[str] = list(dict.fromkeys(q.alarm_symptoms))
    if q.age is not None and q.age > 50:
        recent = q.new_symptoms if q.new_symptoms is not None else q.symptoms.any_present()
        if recent:
            found.append("age_over_50_new_symptoms")
    return [
        Alarm(
            feature=name,
            message=(
                f"{_MESSAGES[name]}: please see a doctor soon. A microbiome test cannot explain "
                "or rule out the cause, and this report is not a diagnosis."
            ),
            citations=alarm_citations(kb, name) if kb is not None else (),
        )
        for name in found
    ]
