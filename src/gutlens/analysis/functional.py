"""Add the profile-level analyses (guilds, enterotype, quality flags, health model) to Results.

They need the whole profile (all ranks and names), so :func:`gutlens.analysis.analyze.analyze`
and :func:`gutlens.analysis.batch.analyze_table` both call :func:`add_functional` with it after
the reference comparison. A part that cannot be computed for a sample (for example a profile
without genus rank for the enterotype) is left empty, and a quality flag says why — the other
parts are still given.
"""

from __future__ import annotations

from gutlens.analysis._sample import SampleTaxa, as_sample_taxa
from gutlens.analysis.enterotype import enterotype
from gutlens.analysis.guilds import guild_shares
from gutlens.analysis.health_model import health_probability
from gutlens.analysis.quality import quality_flags
from gutlens.analysis.results import QualityFlag, Results
from gutlens.errors import AnalysisError
from gutlens.model import Profile

__all__ = ["add_functional"]


def add_functional(results: Results, profile: Profile | SampleTaxa) -> Results:
    """``results`` with ``guilds``, ``enterotype``, ``quality_flags`` and ``health_model`` set.

    ``profile`` may be given as its :class:`~gutlens.analysis._sample.SampleTaxa`, which the
    four analyses then share (each looks at the taxa by rank).
    """
    sample = as_sample_taxa(profile)
    flags = list(quality_flags(sample))
    update: dict[str, object] = {}
    for field, compute in (
        ("guilds", guild_shares),
        ("enterotype", enterotype),
        ("health_model", health_probability),
    ):
        try:
            update[field] = compute(sample)
        except AnalysisError as err:
            flags.append(
                QualityFlag(
                    code=f"{field}_not_computed",
                    severity="info",
                    message=f"{field.replace('_', ' ')} could not be computed: {err}",
                )
            )
    update["quality_flags"] = flags
    return results.model_copy(update=update)
