"""Gut Microbiome Health Index (GMHI; Gupta et al. 2020, Nat Commun 11:4635).

Method, as in the authors' ``GMHI.R`` (github:jaeyunsung/GMHI_2020):

1. take the species-level relative abundances and drop species whose names contain
   ``unclassified`` or ``virus``; renormalise each sample to sum to 1;
2. set values below :data:`PRESENCE_THRESHOLD` (1e-5) to 0;
3. for the 7 health-prevalent species (MH) and the 43 health-scarce species (MN), with
   :math:`R` the number of the set's species present,

   .. math:: \\psi = \\frac{R}{|\\bar{R}|} \\sum_{i \\in set,\\, p_i > 0} -p_i \\ln p_i

   where :math:`|\\bar{R}|` is 7 for MH and 31 for MN (the normalisers ``GMHI.R`` uses: the
   median numbers of MH species in healthy and MN species in non-healthy training samples);
4. :math:`GMHI = \\log_{10} \\frac{\\psi_{MH} + 10^{-5}}{\\psi_{MN} + 10^{-5}}`.

The test suite reproduces the authors' ``GMHI_output.csv`` for their 25 demo samples to 1e-9.
GMHI > 0 means the sample resembles the healthy training group; it is a research index, not a
diagnosis. The species lists are MetaPhlAn2 names, carried through gutlens' synonym table so that
profiles from other profilers are matched by canonical name (with a caveat in ``reason``).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd

from gutlens.analysis._citations import CITATIONS
from gutlens.analysis.indices._data import read_table
from gutlens.analysis.results import IndexResult
from gutlens.model import Profile

__all__ = [
    "MH_NORMALISER",
    "MN_NORMALISER",
    "PRESENCE_THRESHOLD",
    "GMHIScore",
    "gmhi",
    "gmhi_score",
    "gmhi_species",
]

PRESENCE_THRESHOLD = 1e-5
PSEUDOCOUNT = 1e-5
MH_NORMALISER = 7
MN_NORMALISER = 31
_DROP = ("unclassified", "virus")


@dataclass(frozen=True, slots=True)
class GMHIScore:
    """GMHI and its parts for one sample."""

    value: float
    psi_mh: float
    psi_mn: float
    mh_found: int
    mn_found: int


@lru_cache(maxsize=1)
def gmhi_species() -> tuple[frozenset[str], frozenset[str]]:
    """Canonical names of the health-prevalent (MH) and health-scarce (MN) species."""
    table = read_table("gmhi_species.tsv")
    mh = frozenset(table.loc[table["gmhi_class"] == "health_prevalent", "name"])
    mn = frozenset(table.loc[table["gmhi_class"] == "health_scarce", "name"])
    return mh, mn


def gmhi_score(species: pd.Series) -> GMHIScore:
    """GMHI of one sample from its species abundances.

    Parameters
    ----------
    species : pandas.Series
        Abundance (any scale) by canonical species name.

    Returns
    -------
    GMHIScore
        Zero total abundance gives ``value`` 0 with no species found (``log10(1e-5/1e-5)``),
        as the authors' formula does.
    """
    mh, mn = gmhi_species()
    names = [str(n) for n in species.index.tolist()]
    keep = np.array([not any(d in n.lower() for d in _DROP) for n in names], dtype=bool)
    values = species.to_numpy(dtype=np.float64)[keep]
    kept = [n for n, k in zip(names, keep, strict=True) if k]
    total = values.sum()
    p = values / total if total > 0 else np.zeros_like(values)
    p = np.where(p < PRESENCE_THRESHOLD, 0.0, p)

    def psi(members: frozenset[str], normaliser: int) -> tuple[float, int]:
        mask = np.fromiter((n in members for n in kept), dtype=bool, count=len(kept)) & (p > 0)
        found = int(mask.sum())
        if found == 0:
            return 0.0, 0
        q = p[mask]
        return float(found / normaliser * -(q * np.log(q)).sum()), found

    psi_mh, mh_found = psi(mh, MH_NORMALISER)
    psi_mn, mn_found = psi(mn, MN_NORMALISER)
    value = float(np.log10((psi_mh + PSEUDOCOUNT) / (psi_mn + PSEUDOCOUNT)))
    return GMHIScore(value, psi_mh, psi_mn, mh_found, mn_found)


def _is_metaphlan2(profile: Profile) -> bool:
    tool = (profile.source.tool or "").lower()
    return tool == "metaphlan" and (profile.source.tool_version or "").startswith("2")


def gmhi(profile: Profile, *, species: pd.Series | None = None) -> IndexResult:
    """GMHI of a profile (species rank), as an :class:`IndexResult` without a percentile.

    A profile with no species gives ``value=None`` and a reason. Profiles not made with
    MetaPhlAn 2 are scored on canonical names and say so in ``reason``. ``species`` may pass
    the profile's species abundances when already computed.
    """
    mh, mn = gmhi_species()
    total = len(mh) + len(mn)
    if species is None:
        species = profile.at_rank("species")
    if species.empty or float(species.sum()) <= 0:
        return IndexResult(
            name="GMHI",
            value=None,
            citation=CITATIONS["gmhi"],
            species_found=0,
            species_total=total,
            reason="the profile has no species-level abundances; GMHI is defined on species",
        )
    score = gmhi_score(species)
    reason = None
    if not _is_metaphlan2(profile):
        tool = profile.source.tool or "an unknown profiler"
        version = f" {profile.source.tool_version}" if profile.source.tool_version else ""
        reason = (
            f"GMHI was defined on MetaPhlAn2 species; this profile is from {tool}{version}, so "
            "its species were matched to the GMHI lists by canonical name and the value may "
            "differ from the published scale"
        )
    if score.value > 0:
        interpretation = "resembles the healthy training group (GMHI > 0)"
    elif score.value < 0:
        interpretation = "resembles the non-healthy training group (GMHI < 0)"
    else:
        interpretation = "neutral (GMHI = 0)"
    return IndexResult(
        name="GMHI",
        value=score.value,
        citation=CITATIONS["gmhi"],
        interpretation=interpretation + "; a research index, not a diagnosis",
        species_found=score.mh_found + score.mn_found,
        species_total=total,
        reason=reason,
    )
