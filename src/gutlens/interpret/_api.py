"""``interpret(results, questionnaire=None, biomarkers=None) -> Interpretation``."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from gutlens.analysis.results import Results
from gutlens.interpret._cite import refs
from gutlens.interpret.barrier import barrier_assessment
from gutlens.interpret.model import AlarmItem, Interpretation
from gutlens.interpret.recommend import recommendations
from gutlens.interpret.scoring import FORMULA_VERSION, KIND_WEIGHT, area_scores
from gutlens.knowledge import (
    BiomarkerAssessment,
    KnowledgeBase,
    Questionnaire,
    QuestionnaireError,
    alarm_features,
    assess_biomarkers,
    load_biomarkers,
    load_knowledge_base,
    load_questionnaire,
)
from gutlens.knowledge.biomarkers import Measurement

__all__ = ["interpret"]

QuestionnaireInput = Questionnaire | Mapping[str, Any] | str | Path | None
BiomarkerInput = BiomarkerAssessment | Sequence[Measurement] | str | Path | None


def _questionnaire(value: QuestionnaireInput) -> Questionnaire | None:
    if value is None or isinstance(value, Questionnaire):
        return value
    if isinstance(value, str | Path):
        return load_questionnaire(value)
    try:
        return Questionnaire.model_validate(dict(value))
    except ValidationError as err:
        first = err.errors()[0]
        where = ".".join(str(x) for x in first["loc"])
        raise QuestionnaireError(f"questionnaire field {where!r}: {first['msg']}") from err


def _biomarkers(value: BiomarkerInput, kb: KnowledgeBase) -> BiomarkerAssessment | None:
    if value is None or isinstance(value, BiomarkerAssessment):
        return value
    if isinstance(value, str | Path):
        return assess_biomarkers(load_biomarkers(value, kb), kb)
    return assess_biomarkers(list(value), kb)


def interpret(
    results: Results,
    questionnaire: QuestionnaireInput = None,
    biomarkers: BiomarkerInput = None,
    *,
    kb: KnowledgeBase | None = None,
    meal_plan: bool = True,
) -> Interpretation:
    """Interpret one sample's analysis results (not a diagnosis).

    Parameters
    ----------
    results : Results
        From :func:`gutlens.analysis.analyze.analyze`.
    questionnaire : Questionnaire, mapping or path, optional
        Symptoms change priorities and wording of recommendations, never the area scores;
        diet, restrictions and allergies filter every food named.
    biomarkers : BiomarkerAssessment, list of Measurement or path, optional
        Measured barrier / inflammation markers (compared with cited ranges).
    kb : KnowledgeBase, optional
        Defaults to the shipped base.
    meal_plan : bool
        Build the seven-day plan (``scipy.optimize.milp``); ``False`` skips it.

    Returns
    -------
    Interpretation
        Six area scores (formula in :mod:`gutlens.interpret.scoring`, a gutlens convention),
        barrier proxies, alarms, ranked cited recommendations and the meal plan.
    """
    kb = kb or load_knowledge_base()
    q = _questionnaire(questionnaire)
    markers = _biomarkers(biomarkers, kb)
    symptoms = {k: v for k, v in q.symptoms.model_dump().items() if v} if q else {}
    if q and q.skin_conditions:
        symptoms["skin_complaints"] = max(symptoms.get("skin_complaints", 0), 1)
    areas = area_scores(results, kb, symptoms)
    recs, rec_notes, found = recommendations(results, kb, q)
    alarms = [
        AlarmItem(feature=a.feature, message=a.message, citations=refs(kb, a.citations))
        for a in (alarm_features(q, kb) if q else [])
    ]
    notes = [
        f"Area scores follow {FORMULA_VERSION}: 50 + the weighted sum of (percentile - 50) of "
        "the indicators the knowledge base links to each area by cited facts, signed by whether "
        f"those facts found them lower or higher in conditions. Kind weights {KIND_WEIGHT} are a "
        "gutlens convention, not a published or validated score.",
        "Confidence is the share of an area's cited indicators that could be measured in "
        "this sample.",
        "Symptoms from the questionnaire change the order and wording of recommendations, "
        "never the measured scores.",
    ]
    note_keys: list[str] = []
    fb = kb.facts_about("firmicutes_bacteroidetes_ratio")
    if fb:
        notes.append("No Firmicutes/Bacteroidetes ratio is computed or judged: " + fb[0].summary)
        note_keys += [k for f in fb for k in f.citations]
    scope = [f for f in kb.facts if f.subject == "consensus_scope"]
    if scope:
        notes.append(scope[0].effect + " This interpretation is not a diagnosis.")
        note_keys += list(scope[0].citations)
    notes += rec_notes
    plan: dict[str, Any] | None = None
    if meal_plan:
        from gutlens.knowledge.mealplan import MealPlanError, plan_meals

        preferred = list(
            dict.fromkeys([*(q.preferred_foods if q else ()), *(f for r in recs for f in r.foods)])
        )
        try:
            plan = plan_meals(
                q.diet if q else "omnivore",
                q.restrictions if q else (),
                q.allergies if q else (),
                fiber_target_g=q.fiber_target_g if q else None,
                preferred=preferred,
                kb=kb,
            ).model_dump(mode="json")
        except MealPlanError as err:
            notes.append(f"No meal plan: {err}")
    return Interpretation(
        sample_id=results.sample_id,
        formula_version=FORMULA_VERSION,
        knowledge_base={"version": kb.version, "checksum": kb.manifest.checksum},
        alarms=alarms,
        areas=areas,
        barrier=barrier_assessment(results, kb, markers),
        findings=found,
        recommendations=recs,
        meal_plan=plan,
        notes=notes,
        citations=refs(kb, note_keys),
    )
