"""Change over time: one person's samples compared, against known visit-to-visit variability.

A stool profile changes from day to day even when nothing about the person changes (Vandeputte
et al. 2021, Nat Commun, doi:10.1038/s41467-021-27098-7; Olsson et al. 2022, Cell Host Microbe,
doi:10.1016/j.chom.2022.03.002). A change between two samples is therefore only marked as
larger than usual when it exceeds the 95th percentile of the same metric's absolute change
between two samples of one healthy adult, measured on the people with repeated healthy samples in
the MetAML cohort (HMP visits and Nielsen et al. repeats; Pasolli et al. 2016,
doi:10.1371/journal.pcbi.1004977). Those thresholds ship as data
(``analysis/data/variability.json``, built by ``scripts/build_variability.py``).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date
from functools import cache
from importlib.resources import files
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from gutlens.analysis.results import Results
from gutlens.errors import GutlensError

__all__ = [
    "COMPARISON_FORMAT_VERSION",
    "Comparison",
    "ComparisonError",
    "MetricSeries",
    "Variability",
    "compare_results",
    "flatten_results",
    "load_variability",
]

COMPARISON_FORMAT_VERSION = "1"


class ComparisonError(GutlensError, ValueError):
    """The samples given cannot be compared (fewer than two, mixed people, bad dates)."""


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Variability(_Model):
    """Visit-to-visit variability thresholds and where they come from."""

    description: str
    n_subjects: int
    quantile: float
    thresholds: dict[str, float]
    citations: list[str]
    version: str


class MetricSeries(_Model):
    """One metric across the samples, oldest first."""

    key: str = Field(description="e.g. 'alpha.shannon', 'indices.gmhi', 'taxa.genus.Bacteroides'")
    group: Literal["alpha", "indices", "dysbiosis", "guilds", "health_model", "taxa"]
    values: list[float | None]
    change: float | None = Field(description="Last value minus first value")
    threshold: float | None = Field(
        None, description="95th percentile of visit-to-visit change in healthy adults"
    )
    exceeds: bool | None = Field(None, description="None when no threshold is known")


class Comparison(_Model):
    """A person's samples compared over time (pure data; rendered by the report layer)."""

    format: Literal["gutlens.comparison"] = "gutlens.comparison"
    format_version: str = COMPARISON_FORMAT_VERSION
    sample_ids: list[str]
    dates: list[date | None]
    series: list[MetricSeries]
    variability: Variability | None
    notes: list[str] = Field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return self.model_dump(mode="json")


def flatten_results(results: Results, *, taxa_rank: str = "genus") -> dict[str, float]:
    """The numbers of a :class:`Results` as ``{metric key: value}`` (``None`` values left out).

    Keys: ``alpha.<metric>``, ``indices.<name>``, ``dysbiosis.median_distance``,
    ``guilds.<guild>``, ``health_model.probability``, ``taxa.<rank>.<name>``.
    """
    out: dict[str, float] = {}
    alpha = results.alpha
    for metric in ("richness", "shannon", "simpson", "inverse_simpson", "pielou"):
        value = getattr(alpha, metric)
        if value is not None:
            out[f"alpha.{metric}"] = float(value)
    for name, index in results.indices.items():
        if index.value is not None:
            out[f"indices.{name}"] = float(index.value)
    if results.dysbiosis is not None and results.dysbiosis.median_distance is not None:
        out["dysbiosis.median_distance"] = float(results.dysbiosis.median_distance)
    for guild in results.guilds:
        out[f"guilds.{guild.guild}"] = float(guild.share)
    if results.health_model is not None and results.health_model.probability is not None:
        out["health_model.probability"] = float(results.health_model.probability)
    for taxon in results.taxa_percentiles:
        if taxon.rank == taxa_rank:
            out[f"taxa.{taxa_rank}.{taxon.name}"] = float(taxon.relative_abundance)
    return out


@cache
def load_variability() -> Variability | None:
    """The shipped visit-to-visit thresholds, or ``None`` if this installation has none."""
    resource = files("gutlens.analysis").joinpath("data/variability.json")
    if not resource.is_file():
        return None
    return Variability.model_validate(json.loads(resource.read_text(encoding="utf-8")))


def compare_results(
    results: Sequence[Results],
    *,
    dates: Sequence[date | None] | None = None,
    variability: Variability | None = None,
    top_taxa: int = 10,
) -> Comparison:
    """Compare two or more samples of one person.

    Parameters
    ----------
    results : sequence of Results
        One per sample. They are ordered by ``dates`` when every date is known, else kept in
        the given order.
    dates : sequence of date or None, optional
        Sampling dates, one per result.
    variability : Variability, optional
        Thresholds; the shipped ones by default.
    top_taxa : int
        Genera shown: the ``top_taxa`` most abundant in any sample.

    Returns
    -------
    Comparison
        ``exceeds`` is True where ``|last - first|`` is larger than the healthy visit-to-visit
        95th percentile for that metric, False where it is not, None where no threshold exists.

    Raises
    ------
    ComparisonError
        With fewer than two samples or a date list of the wrong length.
    """
    if len(results) < 2:
        msg = f"compare needs two or more samples of one person; got {len(results)}"
        raise ComparisonError(msg)
    when: list[date | None] = list(dates) if dates is not None else [None] * len(results)
    if len(when) != len(results):
        msg = f"{len(when)} dates were given for {len(results)} samples"
        raise ComparisonError(msg)
    notes: list[str] = []
    order = list(range(len(results)))
    known_dates = [d for d in when if d is not None]
    if len(known_dates) == len(when):
        order.sort(key=lambda i: when[i] or date.min)
        if len(set(known_dates)) < len(known_dates):
            notes.append("two samples share a date; their order is the order given")
    else:
        notes.append("not every sample has a date; samples are shown in the order given")
    ordered = [results[i] for i in order]
    flat = [flatten_results(r) for r in ordered]
    variability = variability if variability is not None else load_variability()
    if variability is None:
        notes.append("no variability thresholds are installed; changes are not judged")
    keys = _ordered_keys(flat, top_taxa)
    series = []
    for key in keys:
        values = [f.get(key) for f in flat]
        if key.startswith("taxa."):
            values = [0.0 if v is None else v for v in values]  # absent taxon = 0 abundance
        first, last = values[0], values[-1]
        change = None if first is None or last is None else last - first
        threshold = variability.thresholds.get(key) if variability is not None else None
        exceeds = None if threshold is None or change is None else abs(change) > threshold
        series.append(
            MetricSeries(
                key=key,
                group=key.split(".", 1)[0],  # type: ignore[arg-type]
                values=values,
                change=change,
                threshold=threshold,
                exceeds=exceeds,
            )
        )
    return Comparison(
        sample_ids=[r.sample_id for r in ordered],
        dates=[when[i] for i in order],
        series=series,
        variability=variability,
        notes=notes,
    )


def _ordered_keys(flat: list[dict[str, float]], top_taxa: int) -> list[str]:
    keys: list[str] = []
    for record in flat:
        for key in record:
            if not key.startswith("taxa.") and key not in keys:
                keys.append(key)
    best: dict[str, float] = {}
    for record in flat:
        for key, value in record.items():
            if key.startswith("taxa."):
                best[key] = max(best.get(key, 0.0), value)
    keys.extend(sorted(best, key=lambda k: -best[k])[:top_taxa])
    return keys
