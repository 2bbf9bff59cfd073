"""``Interpretation``: what the results mean per area, barrier proxies, alarms, cited advice.

Pure, versioned data (pydantic); :meth:`Interpretation.to_dict` gives the JSON form that
``gutlens interpret --json`` prints. Every driver, finding and recommendation carries at least
one citation with a DOI or PMID resolved from the knowledge base.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

__all__ = [
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
]

INTERPRETATION_FORMAT_VERSION = "1"


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class CitationRef(_Model):
    """A citation resolved from the knowledge base (``doi`` or ``pmid`` is always set)."""

    key: str
    doi: str | None = None
    pmid: str | None = None
    label: str


class Driver(_Model):
    """One measured quantity that moved an area score."""

    what: Literal["guild", "index", "taxon", "diversity"]
    name: str
    value: float | None
    percentile: float
    contribution: float = Field(description="Score points added (+) or removed (-)")
    direction: Literal["favourable", "unfavourable", "neutral"]
    valence: float = Field(
        description="+1: higher is health-associated in the cited facts, -1: disease-associated"
    )
    evidence: str = Field(description="What the cited facts say, in one line")
    citations: list[CitationRef]


class AreaScore(_Model):
    """One of the six areas: score 0-100 (or ``None`` with a reason), confidence, drivers."""

    name: Literal["digestive", "immune", "gut_brain", "metabolism", "skin", "nutrition"]
    label: str
    score: float | None
    reason: str | None = None
    confidence: float
    measured: int
    candidates: int
    drivers: list[Driver]
    text: str
    priority: int = Field(0, description="Higher when the questionnaire reports related symptoms")


class BarrierProxy(_Model):
    """A microbial proxy of gut barrier function (not a measurement of permeability)."""

    name: str
    value: float | None
    percentile: float | None
    reading: Literal["low", "typical", "high", "not_measured"]
    meaning: str
    citations: list[CitationRef]


class BarrierAssessment(_Model):
    """Microbial proxies plus optional measured biomarkers, with the limits of both."""

    proxies: list[BarrierProxy]
    biomarkers: list[dict[str, Any]] = Field(default_factory=list)
    summary: str
    limits: str
    citations: list[CitationRef]


class AlarmItem(_Model):
    """A "see a doctor" message from the questionnaire's alarm features."""

    feature: str
    message: str
    citations: list[CitationRef] = Field(default_factory=list)


class FindingItem(_Model):
    """A finding in the sample (outside the typical healthy range) with its cited basis."""

    key: str
    subject: str
    level: Literal["low", "high"]
    percentile: float
    citations: list[CitationRef]


class Recommendation(_Model):
    """One ranked, cited suggestion tied to the finding it addresses."""

    rank: int
    finding: str
    kind: Literal["food", "fibre/prebiotic", "probiotic_strain", "lifestyle"]
    text: str
    message_key: str
    params: dict[str, str] = Field(default_factory=dict)
    foods: list[str] = Field(default_factory=list)
    strain: str | None = None
    evidence_grade: str
    evidence: str = Field("", description="The knowledge base's summary of the cited study")
    conflict: str | None = None
    citations: list[CitationRef]


class Interpretation(_Model):
    """Everything ``interpret`` derives from one sample's results (not a diagnosis)."""

    format: Literal["gutlens.interpretation"] = "gutlens.interpretation"
    format_version: str = INTERPRETATION_FORMAT_VERSION
    sample_id: str
    formula_version: str
    knowledge_base: dict[str, str]
    alarms: list[AlarmItem]
    areas: list[AreaScore]
    barrier: BarrierAssessment
    findings: list[FindingItem] = Field(default_factory=list)
    recommendations: list[Recommendation]
    meal_plan: dict[str, Any] | None
    notes: list[str]
    citations: list[CitationRef] = Field(
        default_factory=list, description="Citations of the notes (e.g. the 2024 consensus)"
    )

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return self.model_dump(mode="json")
