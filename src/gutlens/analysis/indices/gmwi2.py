"""Gut Microbiome Wellness Index 2 (GMWI2; Chang et al. 2024, Nat Commun).

GMWI2 is an L1-penalised logistic regression (intercept 0) on the presence of MetaPhlAn 3
(``mpa_v30``) taxa at every rank. Scoring rule of the authors' ``gmwi2_metaphlan_output.py``
(github:danielchang2002/GMWI2):

.. math:: GMWI2 = \\sum_{t} \\beta_t \\, [\\, a_t > 10^{-5} \\,]

where :math:`a_t` is taxon :math:`t`'s relative abundance divided by the classified total
(MetaPhlAn's ``100 - UNKNOWN``, which is gutlens' ``relative_abundance``) and
:math:`\\beta_t` the 95 non-zero model coefficients (shipped as data). The tests reproduce the
authors' example value 1.4017773651306447. Taxa are matched by rank and canonical name (the
coefficient lineages go through the same synonym table as profiles). On anything but MetaPhlAn 3
the features are matched by name only and ``reason`` says the value deviates from the published
model. A research index, not a diagnosis.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from gutlens.analysis._citations import CITATIONS
from gutlens.analysis.indices._data import read_table
from gutlens.analysis.results import IndexResult
from gutlens.model import Profile

__all__ = ["PRESENCE_THRESHOLD", "gmwi2", "gmwi2_coefficients", "gmwi2_score"]

PRESENCE_THRESHOLD = 1e-5


@lru_cache(maxsize=1)
def gmwi2_coefficients() -> dict[tuple[str, str], float]:
    """``(rank, canonical name) -> coefficient`` for the 95 non-zero GMWI2 features."""
    table = read_table("gmwi2_coefficients.tsv")
    return {
        (str(rank), str(name)): float(coef)
        for rank, name, coef in zip(table["rank"], table["name"], table["coefficient"], strict=True)
    }


def gmwi2_score(ranks: np.ndarray, names: np.ndarray, abundance: np.ndarray) -> tuple[float, int]:
    """GMWI2 from parallel arrays of taxon rank, canonical name and relative abundance.

    Returns
    -------
    (float, int)
        The score and the number of model features present.
    """
    coefficients = gmwi2_coefficients()
    score = 0.0
    found = 0
    for rank, name, value in zip(list(ranks), list(names), list(abundance), strict=True):
        coef = coefficients.get((rank, name))
        if coef is not None and value > PRESENCE_THRESHOLD:
            score += coef
            found += 1
    return score, found


def _is_metaphlan3(profile: Profile) -> bool:
    tool = (profile.source.tool or "").lower()
    return tool == "metaphlan" and (profile.source.tool_version or "").startswith("3")


def gmwi2(
    profile: Profile, *, taxa: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None
) -> IndexResult:
    """GMWI2 of a profile as an :class:`IndexResult` without a percentile.

    ``taxa`` may pass the profile's ``(ranks, names, relative abundances)`` arrays when
    already at hand.
    """
    total = len(gmwi2_coefficients())
    if taxa is None:
        frame = profile.taxa
        taxa = (
            np.asarray(frame["rank"].tolist(), dtype=object),
            np.asarray(frame["name"].tolist(), dtype=object),
            frame["relative_abundance"].to_numpy(dtype=np.float64),
        )
    if len(taxa[2]) == 0 or float(taxa[2].sum()) <= 0:
        return IndexResult(
            name="GMWI2",
            value=None,
            citation=CITATIONS["gmwi2"],
            species_found=0,
            species_total=total,
            reason="the profile has no classified taxa",
        )
    score, found = gmwi2_score(*taxa)
    reason = None
    if not _is_metaphlan3(profile):
        tool = profile.source.tool or "an unknown profiler"
        version = f" {profile.source.tool_version}" if profile.source.tool_version else ""
        reason = (
            f"GMWI2's model features are MetaPhlAn 3 (mpa_v30) taxa; this profile is from "
            f"{tool}{version}, so taxa were matched by rank and canonical name and the value "
            "deviates from the published model"
        )
    if score > 0:
        interpretation = "on the healthy side of the GMWI2 model (score > 0)"
    elif score < 0:
        interpretation = "on the non-healthy side of the GMWI2 model (score < 0)"
    else:
        interpretation = "neutral (score = 0)"
    return IndexResult(
        name="GMWI2",
        value=float(score),
        citation=CITATIONS["gmwi2"],
        interpretation=interpretation + "; a research index, not a diagnosis",
        species_found=found,
        species_total=total,
        reason=reason,
    )
