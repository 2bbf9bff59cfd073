"""Knowledge base and person-supplied inputs for interpretation.

* a versioned, cited knowledge base shipped as data (:func:`load_knowledge_base`)
* the questionnaire schema and alarm features (:func:`load_questionnaire`, :func:`alarm_features`)
* measured gut-barrier / inflammation biomarkers (:func:`load_biomarkers`,
  :func:`assess_biomarkers`)
* a seven-day meal plan from USDA SR28 foods (:func:`plan_meals`)

Depends only on :mod:`gutlens.taxonomy` and :mod:`gutlens.errors`.
"""

from typing import TYPE_CHECKING, Any

from gutlens.knowledge._base import (
    Evidence,
    KnowledgeBase,
    load_knowledge_base,
    read_knowledge_base,
    validate_knowledge_base,
)
from gutlens.knowledge._errors import (
    BiomarkerInputError,
    InputFileError,
    KnowledgeBaseError,
    QuestionnaireError,
)
from gutlens.knowledge.biomarkers import (
    BiomarkerAssessment,
    BiomarkerResult,
    assess_biomarkers,
    load_biomarkers,
)
from gutlens.knowledge.questionnaire import Alarm, Questionnaire, alarm_features, load_questionnaire
from gutlens.knowledge.schema import Citation, Fact

if TYPE_CHECKING:
    from gutlens.knowledge.mealplan import MealPlan, MealPlanError, plan_meals

__all__ = [
    "Alarm",
    "BiomarkerAssessment",
    "BiomarkerInputError",
    "BiomarkerResult",
    "Citation",
    "Evidence",
    "Fact",
    "InputFileError",
    "KnowledgeBase",
    "KnowledgeBaseError",
    "MealPlan",
    "MealPlanError",
    "Questionnaire",
    "QuestionnaireError",
    "alarm_features",
    "assess_biomarkers",
    "load_biomarkers",
    "load_knowledge_base",
    "load_questionnaire",
    "plan_meals",
    "read_knowledge_base",
    "validate_knowledge_base",
]


def __getattr__(name: str) -> Any:
    # the meal planner imports scipy.optimize; load it only when asked for
    if name in ("MealPlan", "MealPlanError", "plan_meals"):
        from gutlens.knowledge import mealplan

        return getattr(mealplan, name)
    raise AttributeError(f"module 'gutlens.knowledge' has no attribute {name!r}")
