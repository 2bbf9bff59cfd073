"""``SampleTaxa``: one sample's taxa as plain arrays, read once and shared by the analyses.

The profile-level analyses (guilds, enterotype, quality flags, health model) each look at a
sample's taxa by rank. Asking a pandas-backed :class:`~gutlens.model.Profile` for that costs a
boolean mask, a group-by and a sort each time (about 1 ms); a batch of 2,000 samples paid it a
dozen times per sample. ``SampleTaxa`` holds the same rows as numpy arrays; its
:meth:`~SampleTaxa.rank_arrays` gives exactly what :meth:`Profile.at_rank` gives (same values,
same order; the tests compare them) and remembers each answer.
:func:`gutlens.analysis.batch.analyze_table` builds it straight from a table's sparse column,
without a ``Profile`` at all.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np

from gutlens.model import Profile, SourceInfo

__all__ = ["SampleTaxa", "as_sample_taxa", "lineage_genus"]

_GENUS = re.compile(r"(?:^|\|)g__([^|]+)")


@dataclass(frozen=True, eq=False)
class SampleTaxa:
    """A read-only, array-backed view of one sample's taxa and the facts about it.

    Attributes
    ----------
    sample_id : str
    source : SourceInfo
        Producer of the profile (tool, version, database).
    unclassified_fraction : float
    total_count : float or None
    lineages, ranks, names : numpy.ndarray
        Canonical lineage string, rank and canonical name of every listed taxon (object arrays,
        in the profile's row order).
    abundance : numpy.ndarray
        Relative abundance of each taxon (fraction of the classified total).
    counts : numpy.ndarray or None
        Clade read counts (``NaN`` where unknown), ``None`` when the input has none at all.
    lineage_genera : numpy.ndarray or None
        The genus each taxon's lineage names (``""`` when none); read from ``lineages`` when
        not given (a table computes it once for all its taxa).
    """

    sample_id: str
    source: SourceInfo
    unclassified_fraction: float
    total_count: float | None
    lineages: np.ndarray
    ranks: np.ndarray
    names: np.ndarray
    abundance: np.ndarray
    counts: np.ndarray | None
    lineage_genera: np.ndarray | None = None
    _memo: dict[str, tuple[list[str], np.ndarray]] = field(
        default_factory=dict, repr=False, compare=False
    )

    @classmethod
    def from_profile(cls, profile: Profile) -> SampleTaxa:
        """The arrays of ``profile.taxa`` (copied, so later edits of the profile do not leak in)."""
        taxa = profile.taxa
        counts = taxa["count"].to_numpy(dtype=np.float64, copy=True)
        return cls(
            sample_id=profile.sample_id,
            source=profile.source,
            unclassified_fraction=float(profile.unclassified_fraction),
            total_count=profile.total_count,
            lineages=np.asarray([str(i) for i in taxa.index], dtype=object),
            ranks=np.asarray(taxa["rank"].tolist(), dtype=object),
            names=np.asarray(taxa["name"].tolist(), dtype=object),
            abundance=taxa["relative_abundance"].to_numpy(dtype=np.float64, copy=True),
            counts=counts if bool(np.isfinite(counts).any()) else None,
        )

    @property
    def empty(self) -> bool:
        """Whether no taxa are listed."""
        return len(self.names) == 0

    @property
    def has_counts(self) -> bool:
        """Whether read counts are known for this sample."""
        return self.counts is not None

    def rank_arrays(self, rank: str) -> tuple[list[str], np.ndarray]:
        """Names and relative abundances at ``rank``, largest first: the index and values of
        :meth:`Profile.at_rank` (duplicate names summed in first-seen order, then a stable
        descending sort), computed once per rank."""
        cached = self._memo.get(rank)
        if cached is not None:
            return cached
        mask = self.ranks == rank
        names: list[str] = self.names[mask].tolist()
        values = self.abundance[mask]
        if len(set(names)) != len(names):
            sums: dict[str, float] = {}
            for name, value in zip(names, values.tolist(), strict=True):
                sums[name] = sums.get(name, 0.0) + value
            names = list(sums)
            values = np.asarray(list(sums.values()), dtype=np.float64)
        order = np.argsort(-values, kind="stable")
        result = ([names[i] for i in order.tolist()], values[order])
        self._memo[rank] = result
        return result

    def genera_of(self, rows: np.ndarray) -> list[str]:
        """The genus named in the lineage of each taxon in ``rows`` (``""`` when none)."""
        if self.lineage_genera is not None:
            return [str(g) for g in self.lineage_genera[rows]]
        return [lineage_genus(str(x)) for x in self.lineages[rows]]

    def count_sum(self, rank: str) -> float:
        """Sum of the known read counts of the taxa at ``rank`` (0 without counts)."""
        if self.counts is None:
            return 0.0
        values = self.counts[self.ranks == rank]
        return float(values[np.isfinite(values)].sum())

    def lineages_of(self, rank: str, name: str) -> list[str]:
        """Lineage strings of the taxa at ``rank`` named ``name``."""
        mask = (self.ranks == rank) & (self.names == name)
        return [str(x) for x in self.lineages[mask]]


def lineage_genus(lineage: str) -> str:
    """The genus a canonical lineage string names (``g__Faecalibacterium`` -> "Faecalibacterium"),
    or ``""``."""
    match = _GENUS.search(lineage)
    return match.group(1).replace("_", " ") if match else ""


def as_sample_taxa(sample: Profile | SampleTaxa) -> SampleTaxa:
    """``sample`` itself, or the :class:`SampleTaxa` of a :class:`Profile`."""
    return sample if isinstance(sample, SampleTaxa) else SampleTaxa.from_profile(sample)
