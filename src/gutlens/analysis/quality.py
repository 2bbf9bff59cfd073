"""Sample-quality flags: what in a profile limits how far its numbers can be trusted.

Each flag states its threshold, the sample's value and what it means for the reader. Where a
published source supports the point, the flag cites it (the 2025 international consensus on
microbiome testing, Porcari et al., doi:10.1016/S2468-1253(24)00311-X; the MBQC multi-lab
comparison, Sinha et al. 2017, doi:10.1038/nbt.3981; the one-year variability study, Olsson et
al. 2022, doi:10.1016/j.chom.2022.03.002). No published numeric cut-off exists for read depth,
unclassified share, taxon count or dominance in a single stool profile, so those thresholds are
**gutlens conventions**, and the messages say so; the taxon-count and dominance cut-offs are
read off the 759 healthy one-per-subject MetAML samples (Pasolli et al. 2016,
doi:10.1371/journal.pcbi.1004977; built by ``scripts/build_quality.py``).

Usage::

    from gutlens.analysis.quality import quality_flags
    for flag in quality_flags(profile):
        print(flag.severity, flag.message)
"""

from __future__ import annotations

import json
from functools import lru_cache
from importlib.resources import files
from typing import Any, Literal

from gutlens.analysis._sample import SampleTaxa, as_sample_taxa
from gutlens.analysis.results import QualityFlag
from gutlens.model import Profile

__all__ = [
    "HIGH_UNCLASSIFIED",
    "LOW_DEPTH_CRITICAL",
    "LOW_DEPTH_WARNING",
    "MODERATE_UNCLASSIFIED",
    "quality_flags",
]

CONSENSUS_2025 = "doi:10.1016/S2468-1253(24)00311-X"
MBQC_2017 = "doi:10.1038/nbt.3981"
OLSSON_2022 = "doi:10.1016/j.chom.2022.03.002"

#: Reads in the sample below which the profile is flagged (gutlens conventions).
LOW_DEPTH_CRITICAL = 1_000
LOW_DEPTH_WARNING = 10_000
#: Unclassified share of the sample above which it is flagged (gutlens conventions).
MODERATE_UNCLASSIFIED = 0.25
HIGH_UNCLASSIFIED = 0.5
_CONVENTION = "a gutlens convention, not a published threshold"
Severity = Literal["info", "warning", "critical"]
_BLOOMERS = ("Enterobacteriaceae", "Escherichia")


@lru_cache(maxsize=1)
def _thresholds() -> dict[str, Any]:
    text = files("gutlens.analysis").joinpath("data/quality/thresholds.json").read_text("utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


def quality_flags(profile: Profile | SampleTaxa) -> list[QualityFlag]:
    """Quality flags for one sample (an empty list when nothing is flagged).

    Flags (``code``):

    ``empty_profile``
        No taxa at all (critical).
    ``low_read_depth``
        Reads in the sample (``total_count``, or the sum of read counts) below
        :data:`LOW_DEPTH_WARNING` (warning) or :data:`LOW_DEPTH_CRITICAL` (critical); only when
        the input has read counts.
    ``few_taxa``
        Fewer species (genera when the profile has no species) than the 1st percentile of the
        healthy reference.
    ``high_unclassified``
        Unclassified share above :data:`MODERATE_UNCLASSIFIED` (info) or
        :data:`HIGH_UNCLASSIFIED` (warning).
    ``dominant_taxon``
        One species (or genus) holds a larger share than the 99th percentile of the healthy
        reference's largest taxon; Enterobacteriaceae blooms are noted as possibly transient.
    ``unknown_profiler`` / ``unknown_database``
        The file does not say which tool or database made it.
    ``cross_platform``
        The profile is not from MetaPhlAn 2, the reference's profiler: comparisons with the
        reference carry pipeline differences.

    Parameters
    ----------
    profile : Profile or SampleTaxa
    """
    sample = as_sample_taxa(profile)
    flags: list[QualityFlag] = []
    if sample.empty:
        flags.append(
            QualityFlag(
                code="empty_profile",
                severity="critical",
                message="The profile lists no taxa, so nothing in it can be analysed.",
                value=0.0,
                threshold=1.0,
            )
        )
    flags.extend(_depth(sample))
    if not sample.empty:
        flags.extend(_few_taxa(sample))
    flags.extend(_unclassified(sample))
    if not sample.empty:
        flags.extend(_dominance(sample))
    flags.extend(_provenance(sample))
    return flags


def _depth(sample: SampleTaxa) -> list[QualityFlag]:
    if not sample.has_counts and sample.total_count is None:
        return []
    depth = sample.total_count
    if depth is None:
        depth = sample.count_sum("kingdom")
    if depth >= LOW_DEPTH_WARNING:
        return []
    severity: Severity = "critical" if depth < LOW_DEPTH_CRITICAL else "warning"
    limit = LOW_DEPTH_CRITICAL if severity == "critical" else LOW_DEPTH_WARNING
    return [
        QualityFlag(
            code="low_read_depth",
            severity=severity,
            message=(
                f"Only {depth:,.0f} reads were profiled (fewer than {limit:,}, {_CONVENTION}). "
                "Rare taxa are likely missed and small shares are imprecise; richness is "
                "underestimated."
            ),
            value=float(depth),
            threshold=float(limit),
        )
    ]


def _few_taxa(sample: SampleTaxa) -> list[QualityFlag]:
    ranks = _thresholds()["ranks"]
    for rank in ("species", "genus"):
        _, values = sample.rank_arrays(rank)
        count = int((values > 0).sum())
        if count == 0:
            continue
        limit = float(ranks[rank]["richness_p01"])
        if count >= limit:
            return []
        median = ranks[rank]["richness_median"]
        return [
            QualityFlag(
                code="few_taxa",
                severity="warning",
                message=(
                    f"Only {count} {rank if count == 1 else _plural(rank)} were detected; 99% of "
                    f"healthy reference samples have at least {limit:.0f} (median {median:.0f}; "
                    f"{_CONVENTION}). This can mean low sequencing depth, a sparse or "
                    "subsampled profile, or a truly low-diversity gut (e.g. after antibiotics); "
                    "diversity and percentiles should be read with care."
                ),
                value=float(count),
                threshold=limit,
                citation=_thresholds()["citation"],
            )
        ]
    return []


def _plural(rank: str) -> str:
    return {"species": "species", "genus": "genera"}[rank]


def _unclassified(sample: SampleTaxa) -> list[QualityFlag]:
    share = float(sample.unclassified_fraction)
    if share <= MODERATE_UNCLASSIFIED:
        return []
    severity: Severity = "warning" if share > HIGH_UNCLASSIFIED else "info"
    limit = HIGH_UNCLASSIFIED if severity == "warning" else MODERATE_UNCLASSIFIED
    return [
        QualityFlag(
            code="high_unclassified",
            severity=severity,
            message=(
                f"{share:.0%} of the sample was not assigned to any organism (above "
                f"{limit:.0%}, {_CONVENTION}). All shares are of the classified part only; the "
                "unclassified part may hide organisms the database lacks, host DNA or "
                "low-quality reads."
            ),
            value=share,
            threshold=limit,
        )
    ]


def _dominance(sample: SampleTaxa) -> list[QualityFlag]:
    ranks = _thresholds()["ranks"]
    for rank in ("species", "genus"):
        names, values = sample.rank_arrays(rank)
        if len(values) == 0:
            continue
        name, top = names[0], float(values[0])
        limit = float(ranks[rank]["top_share_p99"])
        if top <= limit:
            return []
        text = "|".join(sample.lineages_of(rank, name))
        bloom = any(b in text for b in _BLOOMERS)
        message = (
            f"{name} makes up {top:.0%} of the classified reads, more than the largest "
            f"{rank} in 99% of healthy reference samples ({limit:.0%}; {_CONVENTION}). One "
            "dominant organism compresses every other share and lowers diversity."
        )
        if bloom:
            message += (
                " Enterobacteriaceae such as E. coli can bloom briefly even in stable, healthy "
                "people; a repeat sample tells a bloom from a lasting state."
            )
        return [
            QualityFlag(
                code="dominant_taxon",
                severity="warning",
                message=message,
                value=top,
                threshold=limit,
                citation=OLSSON_2022 if bloom else _thresholds()["citation"],
            )
        ]
    return []


def _provenance(sample: SampleTaxa) -> list[QualityFlag]:
    source = sample.source
    flags = []
    if not source.tool:
        flags.append(
            QualityFlag(
                code="unknown_profiler",
                severity="warning",
                message=(
                    "The file does not say which program produced it. Results from different "
                    "pipelines are not directly comparable, and a report should name the method, "
                    "pipeline and database."
                ),
                citation=CONSENSUS_2025,
            )
        )
    if not source.database:
        flags.append(
            QualityFlag(
                code="unknown_database",
                severity="info",
                message=(
                    "The file does not name the reference database used. Taxon names and which "
                    "organisms can be detected depend on it."
                ),
                citation=CONSENSUS_2025,
            )
        )
    tool = (source.tool or "").lower()
    version = source.tool_version or ""
    if not (tool == "metaphlan" and version.startswith("2")):
        producer = " ".join(filter(None, [source.tool, source.tool_version])) or "an unknown tool"
        flags.append(
            QualityFlag(
                code="cross_platform",
                severity="info",
                message=(
                    f"This profile comes from {producer}; the healthy reference was profiled "
                    "with MetaPhlAn 2. Different labs and pipelines give different profiles of "
                    "the same stool, so percentiles and comparisons carry that difference."
                ),
                citation=MBQC_2017,
            )
        )
    return flags
