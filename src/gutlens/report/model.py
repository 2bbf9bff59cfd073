"""``Report``: what a reader sees, as versioned pure data.

A report is sections -> findings -> citation keys, plus the numbered references those keys point
to, the provenance of every input, the audience and language, alarm notices and the disclaimer.
All user-facing text is already in the report's language (built by :func:`build_report` from the
message catalogues); renderers (HTML, PDF, JSON) only lay it out.

The JSON form (``Report.model_dump(mode="json")``) follows the JSON Schema shipped as
``gutlens/report/schema/report-v1.schema.json``.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

__all__ = [
    "REPORT_FORMAT_VERSION",
    "AlarmNotice",
    "Audience",
    "BarChart",
    "BarItem",
    "Chart",
    "DistributionChart",
    "Finding",
    "Language",
    "MissingNote",
    "Note",
    "PercentileChart",
    "PercentileItem",
    "Reference",
    "Report",
    "ReportProvenance",
    "Section",
    "SectionId",
    "Table",
]

REPORT_FORMAT_VERSION = "1"

Audience = Literal["person", "practitioner"]
Language = Literal["en", "nl"]
#: Every section the report knows, in reading order.
SectionId = Literal[
    "summary",
    "diversity",
    "composition",
    "taxa",
    "indices",
    "guilds",
    "barrier",
    "areas",
    "recommendations",
    "meal_plan",
    "quality",
    "methods",
]
Tone = Literal["neutral", "favourable", "attention", "info"]


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Reference(_Model):
    """A numbered entry of the reference list; it always has a DOI or a PMID."""

    number: int = Field(ge=1, description="Number shown as [n] in the text")
    key: str = Field(description="Key the findings cite")
    doi: str | None = None
    pmid: str | None = None
    label: str = Field(description="Short citation, e.g. 'Gupta et al. 2020, Nat Commun'")


class BarItem(_Model):
    """One bar (or one stacked segment): a share of the sample."""

    label: str
    share: float = Field(ge=0, le=1, description="Fraction of the classified total")
    display: str = Field(description="The share formatted for the report's language")
    kind: Literal["taxon", "other", "unresolved"] = "taxon"


class BarChart(_Model):
    """Horizontal bars, optionally also drawn as one stacked bar."""

    kind: Literal["bars"] = "bars"
    title: str
    description: str = Field(description="Text alternative for the chart")
    items: list[BarItem]
    stacked: bool = False


class PercentileItem(_Model):
    """Where one value sits in a reference population (0-100)."""

    label: str
    percentile: float = Field(ge=0, le=100)
    display: str = Field(description="Value and percentile, formatted")


class PercentileChart(_Model):
    """Markers on a 0-100 percentile scale with the middle half of the reference shaded."""

    kind: Literal["percentile"] = "percentile"
    title: str
    description: str
    items: list[PercentileItem]
    low_label: str
    mid_label: str
    high_label: str


class DistributionChart(_Model):
    """The reference population's distribution of one value, with the person's marker."""

    kind: Literal["distribution"] = "distribution"
    title: str
    description: str
    curve: list[tuple[float, float]] = Field(
        description="Density curve points (x, y), both scaled to 0-1 (y: share of the peak)"
    )
    marker: float = Field(ge=0, le=1, description="The person's value on the 0-1 x scale")
    marker_label: str
    axis_min: str
    axis_max: str
    caption: str = Field(description="What the curve is (population, n)")


Chart = Annotated[BarChart | PercentileChart | DistributionChart, Field(discriminator="kind")]


class Table(_Model):
    """A table of numbers (mostly for the practitioner variant)."""

    caption: str
    columns: list[str]
    rows: list[list[str]]
    numeric: list[bool] = Field(description="Per column: right-align as a number")


class Note(_Model):
    """A sentence with its citations (section introductions, limits, caveats)."""

    text: str
    citations: list[str] = Field(default_factory=list)


class Finding(_Model):
    """One statement about the sample, with the value it rests on and its citations."""

    id: str
    title: str
    text: str
    value: float | None = None
    display: str | None = Field(default=None, description="The value formatted for the reader")
    percentile: float | None = None
    tone: Tone = "neutral"
    citations: list[str] = Field(default_factory=list)
    limits: str | None = Field(default=None, description="What the finding cannot tell")


class Section(_Model):
    """A titled part of the report."""

    id: SectionId
    title: str
    intro: list[Note] = Field(default_factory=list)
    findings: list[Finding] = Field(default_factory=list)
    charts: list[Chart] = Field(default_factory=list)
    tables: list[Table] = Field(default_factory=list)
    notes: list[Note] = Field(default_factory=list)


class MissingNote(_Model):
    """A section left out, why, and how to get it."""

    section: SectionId
    text: str


class AlarmNotice(_Model):
    """Something the reader should act on (e.g. see a doctor), shown before any finding."""

    code: str
    severity: Literal["warning", "critical"]
    text: str
    citations: list[str] = Field(default_factory=list)


class ReportProvenance(_Model):
    """Where every number came from."""

    input_name: str | None = Field(description="File name of the input (no directory)")
    input_sha256: str | None
    input_format: str
    tool: str | None
    tool_version: str | None
    database: str | None
    gutlens_version: str
    reference_name: str | None = None
    reference_version: str | None = None
    results_format_version: str | None = None
    knowledge_base_version: str | None = None
    citations_sha256: str = Field(description="sha256 of the shipped citations table")


class Report(_Model):
    """A complete report for one sample."""

    format: Literal["gutlens.report"] = "gutlens.report"
    format_version: str = REPORT_FORMAT_VERSION
    sample_id: str
    created: str = Field(description="ISO 8601 date the report was made")
    created_display: str = Field(description="The date formatted for the report's language")
    language: Language
    audience: Audience
    title: str
    subtitle: str
    alarms: list[AlarmNotice] = Field(default_factory=list)
    sections: list[Section]
    missing: list[MissingNote] = Field(default_factory=list)
    disclaimer: list[Note]
    references: list[Reference]
    provenance: ReportProvenance
    interpretation: Any | None = Field(
        None, description="Areas, barrier and recommendations, once interpretation exists"
    )

    def section(self, section_id: str) -> Section | None:
        """The section with ``section_id``, or ``None`` when it is not in this report."""
        return next((s for s in self.sections if s.id == section_id), None)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return self.model_dump(mode="json")
