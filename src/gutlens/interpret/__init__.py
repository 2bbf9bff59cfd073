"""Interpretation of one sample's analysis results: six areas, gut barrier, alarms, cited
recommendations and a seven-day meal plan (not a diagnosis).

Depends on :mod:`gutlens.analysis.results` and :mod:`gutlens.knowledge` only::

    from gutlens.interpret import interpret
    out = interpret(results, questionnaire="q.yaml", biomarkers="labs.yaml")
    out.to_dict()["areas"]
"""

from gutlens.interpret._api import interpret
from gutlens.interpret.model import (
    INTERPRETATION_FORMAT_VERSION,
    AlarmItem,
    AreaScore,
    BarrierAssessment,
    BarrierProxy,
    CitationRef,
    Driver,
    FindingItem,
    Interpretation,
    Recommendation,
)
from gutlens.interpret.scoring import FORMULA_VERSION

__all__ = [
    "FORMULA_VERSION",
    "INTERPRETATION_FORMAT_VERSION",
    "AlarmItem",
    "AreaScore",
    "BarrierAssessment",
    "BarrierProxy",
    "CitationRef",
    "Driver",
    "FindingItem",
    "Interpretation",
    "Recommendation",
    "interpret",
]
