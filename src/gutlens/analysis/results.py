"""``Results``: every number a report stands on, for one sample, as versioned pure data.

Each part is a pydantic model so it serialises to JSON (``gutlens analyze --json``) with a stable,
documented shape. ``None`` means "not computable for this sample", and every such case carries a
``reason`` where the model has one — NaN never leaks out of this layer.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

__all__ = [
    "RESULTS_FORMAT_VERSION",
    "AlphaDiversity",
    "DetectedAlpha",
    "DysbiosisResult",
    "EnterotypeResult",
    "GuildResult",
    "HealthModelResult",
    "IndexResult",
    "NeighbourSample",
    "QualityFlag",
    "ReferenceInfo",
    "ReferencePosition",
    "Results",
    "SkippedSample",
    "TaxonPercentile",
]

RESULTS_FORMAT_VERSION = "1"


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class ReferenceInfo(_Model):
    """The reference population a sample is compared with."""

    name: str
    version: str
    n: int = Field(description="Number of reference samples in the (possibly stratified) group")
    stratum: str | None = Field(None, description="e.g. 'female, 40-59' when stratified")
    citation: str = Field(description="DOI or PMID of the cohort's source")
    cross_platform: bool = Field(
        False, description="True when the sample's profiler/database differs from the reference's"
    )
    unmapped_fraction: float | None = Field(
        None, description="Share of the sample's abundance whose taxa the reference lacks"
    )
    notes: list[str] = Field(default_factory=list)


class DetectedAlpha(_Model):
    """Alpha diversity over the taxa the reference's profiler would have detected.

    Used for the reference percentiles of a cross-platform sample: a classifier such as Kraken 2
    reports a long tail of species with a few reads each, which MetaPhlAn2 (the reference's
    profiler) would not report, so raw richness is not comparable with the reference.
    """

    rank: str
    min_share: float = Field(
        description="Detection floor: a taxon is detected when its share of the rank total is "
        "at least this (the reference's empirical MetaPhlAn2 detection floor at this rank)"
    )
    reference_taxa_only: bool = Field(
        description="Richness counts only detected taxa the reference taxonomy holds, as the "
        "reference's own richness does"
    )
    richness: int = Field(description="Detected taxa the reference taxonomy holds")
    richness_above_floor: int = Field(description="All detected taxa")
    shannon: float | None = Field(description="On all detected taxa, closed to 1")
    simpson: float | None
    inverse_simpson: float | None
    pielou: float | None = Field(description="Shannon / ln(richness_above_floor)")
    taxa_below_floor: int = Field(description="Taxa with a share below min_share")
    share_below_floor: float = Field(description="Their share of the rank total")
    rule: str = Field(description="How the floor was derived and why it is applied")
    citation: str = Field(description="Source of the data the floor is derived from")


class AlphaDiversity(_Model):
    """Within-sample diversity at ``rank`` (values are ``None`` when not computable)."""

    rank: str
    richness: int
    shannon: float | None
    simpson: float | None
    inverse_simpson: float | None
    pielou: float | None
    chao1: float | None = None
    ace: float | None = None
    depth: float | None = Field(None, description="Reads used, when counts are known")
    percentiles: dict[str, float] = Field(
        default_factory=dict, description="Metric -> percentile (0-100) in the reference"
    )
    detected: DetectedAlpha | None = Field(
        default=None,
        description="Cross-platform samples only: the metrics over the taxa the reference's "
        "profiler would have detected; ``percentiles`` are then computed on these values, "
        "while richness, shannon, ... above stay the raw values",
    )
    notes: list[str] = Field(default_factory=list)


class IndexResult(_Model):
    """A published index (GMHI, GMWI2) with its value, reference percentile and citation."""

    name: str
    value: float | None
    percentile: float | None = None
    citation: str
    interpretation: str | None = None
    species_found: int | None = None
    species_total: int | None = None
    reason: str | None = Field(None, description="Why value is None, or a caveat")


class NeighbourSample(_Model):
    """A nearest reference sample."""

    sample_id: str
    distance: float


class ReferencePosition(_Model):
    """Where the sample sits among the reference samples."""

    metric: str
    pcoa: list[float] = Field(description="Coordinates on the reference PCoA axes")
    pcoa_explained: list[float] = Field(description="Variance explained by those axes")
    nearest: list[NeighbourSample]


class DysbiosisResult(_Model):
    """Dysbiosis score: percentile of the sample's median distance to the healthy reference."""

    metric: str
    median_distance: float | None
    percentile: float | None
    citation: str
    reason: str | None = None


class EnterotypeResult(_Model):
    """Community type (Arumugam et al. 2011; Costea et al. 2018)."""

    label: str | None
    driver_abundances: dict[str, float] = Field(default_factory=dict)
    method: str
    citation: str
    confidence: float | None = None
    reason: str | None = None


class GuildResult(_Model):
    """A functional group's abundance-weighted share, with its reference percentile."""

    guild: str
    share: float
    percentile: float | None = None
    members_found: list[str] = Field(default_factory=list)
    citations: list[str] = Field(default_factory=list)
    coverage: float | None = Field(
        None, description="Share of the sample's abundance whose traits are known"
    )
    reason: str | None = None


class TaxonPercentile(_Model):
    """A taxon's abundance placed against the reference."""

    name: str
    rank: str
    relative_abundance: float
    percentile: float | None
    prevalence: float | None = Field(None, description="Share of reference samples carrying it")


class QualityFlag(_Model):
    """A sample-quality warning with its threshold and what it means for the reader."""

    code: str
    severity: Literal["info", "warning", "critical"]
    message: str
    value: float | None = None
    threshold: float | None = None
    citation: str | None = None


class HealthModelResult(_Model):
    """Probability of resembling the healthy group under the shipped classifier (never a
    diagnosis)."""

    probability: float | None
    interval: tuple[float, float] | None
    model_version: str
    auc: float | None = Field(None, description="Leave-one-study-out AUC shipped with the model")
    reason: str | None = None


class SkippedSample(_Model):
    """A sample a batch run left out, and why (``analyze_table(..., skipped=[])``)."""

    sample_id: str
    reason: str


class Results(_Model):
    """Everything computed for one sample."""

    format: Literal["gutlens.results"] = "gutlens.results"
    format_version: str = RESULTS_FORMAT_VERSION
    sample_id: str
    reference: ReferenceInfo
    alpha: AlphaDiversity
    indices: dict[str, IndexResult]
    dysbiosis: DysbiosisResult | None = None
    aitchison: DysbiosisResult | None = Field(
        None,
        description="The same score on Aitchison (CLR) distances: median distance to the "
        "reference and its percentile among the reference's leave-one-out medians",
    )
    position: ReferencePosition | None = None
    enterotype: EnterotypeResult | None = None
    guilds: list[GuildResult] = Field(default_factory=list)
    taxa_percentiles: list[TaxonPercentile] = Field(default_factory=list)
    quality_flags: list[QualityFlag] = Field(default_factory=list)
    health_model: HealthModelResult | None = None
    provenance: dict[str, Any] = Field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return self.model_dump(mode="json")
