"""Knowledge base and person-supplied inputs for interpretation.

* a versioned, cited knowledge base shipped as data (:func:`load_knowledge_base`)
* the questionnaire schema and alarm features (:func:`load_questionnaire`, :func:`alarm_features`)
* measured gut-barrier / inflammation biomarkers (:func:`load_biomarkers`,
  :func:`assess_biomarkers`)
* a seven-day meal plan from USDA SR28 foods (:func:`plan_meals`)

Depends only on :mod:`gutlens.taxonomy` and :mod:`gutlens.errors`.
"""

from gutlens.knowledge._base import (
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
from gutlens.knowledge.schema import Citation, Fact

__all__ = [
    "BiomarkerInputError",
    "Citation",
    "Fact",
    "InputFileError",
    "KnowledgeBase",
    "KnowledgeBaseError",
    "QuestionnaireError",
    "load_knowledge_base",
    "read_knowledge_base",
    "validate_knowledge_base",
]
