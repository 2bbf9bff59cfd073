"""Mapping a profile onto a reference's taxonomy, whatever profiler made it.

Profiles and the reference are both read through gutlens' model, so names are already canonical
(the cited synonym table turns *Firmicutes* into *Bacillota*, *Bacteroides vulgatus* into
*Phocaeicola vulgatus*, ...). Mapping is then by canonical name within a rank. Taxa the
reference lacks are reported with their share of the sample's abundance at that rank, and
comparisons are flagged cross-platform when the sample's profiler, version or database differs
from the reference's.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from gutlens.errors import AnalysisError
from gutlens.model import Profile
from gutlens.reference import ReferencePopulation

__all__ = [
    "MappedRank",
    "is_cross_platform",
    "map_rank",
    "needs_detection_floor",
    "rank_values",
]


@dataclass(frozen=True)
class MappedRank:
    """A sample's taxa at one rank, placed on the reference's taxa at that rank.

    Attributes
    ----------
    rank : str
    rows : numpy.ndarray
        Reference rows (of ``reference.abundance``) of the mapped taxa.
    names : list of str
        Their canonical names.
    values : numpy.ndarray
        Their relative abundances in the sample (fraction of the classified total).
    composition : numpy.ndarray
        The sample over ``reference.rank_matrix(rank)`` taxa, mapped part closed to sum 1
        (zeros when nothing mapped).
    unmapped : pandas.Series
        Abundance of the taxa the reference lacks, by name.
    unmapped_fraction : float
        Their share of the sample's total at this rank (0 when the rank is empty).
    """

    rank: str
    rows: np.ndarray
    names: list[str]
    values: np.ndarray
    composition: np.ndarray
    unmapped: pd.Series
    unmapped_fraction: float

    @property
    def n_mapped(self) -> int:
        """Number of the sample's taxa found in the reference."""
        return len(self.names)


def rank_values(profile: Profile, rank: str, column: str = "relative_abundance") -> pd.Series:
    """``profile``'s values at ``rank`` by canonical name (as :meth:`Profile.at_rank`, unsorted,
    without a pandas group-by when names are unique)."""
    taxa = profile.taxa
    mask = taxa["rank"].to_numpy() == rank
    names = np.asarray(taxa["name"].tolist(), dtype=object)[mask]
    values = taxa[column].to_numpy(dtype=np.float64)[mask]
    if len(set(names)) == len(names):
        return pd.Series(values, index=pd.Index(names, dtype=object), dtype=np.float64)
    frame = pd.Series(values, index=pd.Index(names, dtype=object))
    return frame.groupby(level=0, sort=False).sum()


def map_rank(
    profile: Profile,
    reference: ReferencePopulation,
    rank: str,
    *,
    values: pd.Series | None = None,
) -> MappedRank:
    """Map the profile's taxa at ``rank`` onto the reference by canonical name.

    ``values`` may pass the profile's values at ``rank`` when already computed.

    Raises
    ------
    AnalysisError
        If the reference holds no taxa at ``rank``.
    """
    index = reference.rank_index(rank)
    if not index:
        msg = (
            f"the reference {reference.name!r} has no taxa at rank {rank!r} "
            f"(it has: {', '.join(reference.ranks())})"
        )
        raise AnalysisError(msg)
    if values is None:
        values = rank_values(profile, rank)
    all_values = values.to_numpy(dtype=np.float64)
    positive = all_values > 0
    amounts = all_values[positive]
    names = [n for n, p in zip(values.index.tolist(), positive.tolist(), strict=True) if p]
    known = np.array([name in index for name in names], dtype=bool)
    mapped_names = [n for n, k in zip(names, known.tolist(), strict=True) if k]
    mapped_values = amounts[known]
    unmapped_values = amounts[~known]
    unmapped = pd.Series(
        unmapped_values,
        index=pd.Index(
            [n for n, k in zip(names, known.tolist(), strict=True) if not k], dtype=object
        ),
        dtype=np.float64,
    )
    total = float(amounts.sum())
    rows = np.array([index[name] for name in mapped_names], dtype=np.int64)
    position = reference.rank_position(rank)
    composition = np.zeros(len(position))
    mapped_total = float(mapped_values.sum())
    if mapped_total > 0:
        columns = [position[name] for name in mapped_names]
        composition[columns] = mapped_values / mapped_total
    return MappedRank(
        rank=rank,
        rows=rows,
        names=[str(n) for n in mapped_names],
        values=mapped_values,
        composition=composition,
        unmapped=unmapped,
        unmapped_fraction=float(unmapped_values.sum()) / total if total > 0 else 0.0,
    )


def is_cross_platform(profile: Profile, reference: ReferencePopulation) -> tuple[bool, str | None]:
    """Whether the profile comes from another profiler/version than the reference, and why."""
    expected = reference.provenance.get("profiler", {})
    tool = (profile.source.tool or "").lower()
    version = profile.source.tool_version or ""
    ref_tool = str(expected.get("tool", "")).lower()
    ref_version = str(expected.get("tool_version", ""))
    label = f"{expected.get('tool', '?')} {ref_version}".strip()
    if not tool:
        return True, (
            f"the profiler of this sample is unknown; the reference was profiled with {label}, "
            "so the comparison is treated as cross-platform"
        )
    if tool != ref_tool or not version.startswith(ref_version):
        shown = f"{profile.source.tool} {version}".strip()
        return True, (
            f"cross-platform comparison: this sample was profiled with {shown}, the reference "
            f"with {label}; taxa were matched by canonical name"
        )
    return False, None


def needs_detection_floor(profile: Profile, reference: ReferencePopulation) -> bool:
    """Whether the sample's richness must be counted above the reference's detection floor
    before it is compared (see :func:`gutlens.analysis.alpha.detected_alpha`).

    True for a cross-platform sample from a profiler that is not MetaPhlAn (Kraken 2, Bracken,
    16S pipelines, unknown tools): these report every taxon with at least one read, a long tail
    the MetaPhlAn2 reference (marker-gene based) never shows. MetaPhlAn 3/4 profiles are
    marker-based too and are compared raw; their taxonomy differences are flagged by
    :func:`is_cross_platform`.
    """
    cross, _ = is_cross_platform(profile, reference)
    return cross and not (profile.source.tool or "").lower().startswith("metaphlan")
