"""Alpha (within-sample) diversity, vectorised over many samples.

Each metric is written once as a numpy function over a ``(n_samples, n_taxa)`` matrix, so a whole
cohort is one call; :func:`alpha_diversity` applies them to one :class:`~gutlens.model.Profile`.
Definitions follow scikit-bio's ``skbio.diversity.alpha`` (natural logarithm, zeros ignored),
and the tests check equality with it to 1e-9.

Metrics
-------
richness
    :math:`S = \\#\\{i : x_i > 0\\}`
shannon
    :math:`H = -\\sum_i p_i \\ln p_i` with :math:`p_i = x_i / \\sum_j x_j` (Shannon 1948,
    doi:10.1002/j.1538-7305.1948.tb01338.x)
simpson
    :math:`1 - \\sum_i p_i^2` (Gini-Simpson; Simpson 1949, doi:10.1038/163688a0)
inverse_simpson
    :math:`1 / \\sum_i p_i^2`
pielou
    :math:`J = H / \\ln S` (Pielou 1966, doi:10.1016/0022-5193(66)90013-0); undefined for
    :math:`S < 2`.
chao1
    Bias-corrected :math:`S + F_1 (F_1 - 1) / (2 (F_2 + 1))`, with :math:`F_1`, :math:`F_2` the
    numbers of singletons and doubletons (Chao 1984, Scand J Stat 11:265-270; no DOI exists),
    as skbio's ``chao1(bias_corrected=True)``. Counts only.
ace
    Abundance-based coverage estimator with rare threshold 10 (Chao & Lee 1992,
    doi:10.1080/01621459.1992.10475194), as skbio's ``ace``. Counts only.
"""

from __future__ import annotations

from collections.abc import Container

import numpy as np
import pandas as pd

from gutlens.analysis.results import AlphaDiversity, DetectedAlpha
from gutlens.errors import AnalysisError
from gutlens.model import Profile
from gutlens.taxonomy import RANKS

__all__ = [
    "ACE_RARE_THRESHOLD",
    "ALPHA_METRICS",
    "ace",
    "alpha_diversity",
    "alpha_matrix",
    "chao1",
    "detected_alpha",
]

#: Metrics computed from relative abundances (counts not needed).
ALPHA_METRICS = ("richness", "shannon", "simpson", "inverse_simpson", "pielou")
#: Taxa with at most this many reads are "rare" for ACE (skbio's default, after Chao et al.).
ACE_RARE_THRESHOLD = 10


def _as_matrix(values: np.ndarray) -> np.ndarray:
    matrix = np.asarray(values, dtype=np.float64)
    if matrix.ndim == 1:
        matrix = matrix[np.newaxis, :]
    if matrix.ndim != 2:
        msg = f"expected a (samples, taxa) matrix, got {matrix.ndim} dimensions"
        raise AnalysisError(msg)
    if not np.isfinite(matrix).all() or (matrix < 0).any():
        msg = "abundances must be finite and non-negative"
        raise AnalysisError(msg)
    return matrix


def alpha_matrix(values: np.ndarray) -> dict[str, np.ndarray]:
    """Richness, Shannon, Simpson, inverse Simpson and Pielou for every row of ``values``.

    Parameters
    ----------
    values : array, shape (n_samples, n_taxa)
        Abundances (counts or relative abundances; each row is closed to proportions).

    Returns
    -------
    dict of str to array, shape (n_samples,)
        ``richness`` (float counts of taxa present) and the four indices. Rows with no taxa give
        ``NaN`` for every index but richness, and Pielou is ``NaN`` when richness < 2; the
        per-sample wrapper turns these into ``None`` with a reason.
    """
    matrix = _as_matrix(values)
    present = matrix > 0
    richness = present.sum(axis=1).astype(np.float64)
    totals = matrix.sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        p = matrix / totals[:, np.newaxis]
        plogp = np.where(present, p * np.log(np.where(present, p, 1.0)), 0.0)
        shannon = -plogp.sum(axis=1)
        dominance = (p * p).sum(axis=1)
        simpson = 1.0 - dominance
        inverse_simpson = 1.0 / dominance
        pielou = np.where(richness >= 2, shannon / np.log(np.maximum(richness, 2.0)), np.nan)
    empty = richness == 0
    for metric in (shannon, simpson, inverse_simpson):
        metric[empty] = np.nan
    return {
        "richness": richness,
        "shannon": shannon,
        "simpson": simpson,
        "inverse_simpson": inverse_simpson,
        "pielou": pielou,
    }


def _check_counts(counts: np.ndarray) -> np.ndarray:
    matrix = _as_matrix(counts)
    if not np.array_equal(matrix, np.round(matrix)):
        msg = (
            "Chao1 and ACE need whole read counts; these values are proportions or estimated "
            "abundances, on which singletons and doubletons have no meaning"
        )
        raise AnalysisError(msg)
    return matrix


def chao1(counts: np.ndarray) -> np.ndarray:
    """Bias-corrected Chao1 richness for every row of ``counts``.

    .. math:: S_{chao1} = S_{obs} + \\frac{F_1 (F_1 - 1)}{2 (F_2 + 1)}

    Parameters
    ----------
    counts : array, shape (n_samples, n_taxa)
        Whole read counts.

    Raises
    ------
    AnalysisError
        If the values are not whole numbers.

    References
    ----------
    Chao A (1984) Nonparametric estimation of the number of classes in a population. Scand J
    Stat 11:265-270 (no DOI).
    """
    matrix = _check_counts(counts)
    observed = (matrix > 0).sum(axis=1)
    f1 = (matrix == 1).sum(axis=1)
    f2 = (matrix == 2).sum(axis=1)
    result: np.ndarray = observed + f1 * (f1 - 1) / (2.0 * (f2 + 1))
    return result


def ace(counts: np.ndarray, rare_threshold: int = ACE_RARE_THRESHOLD) -> np.ndarray:
    """Abundance-based coverage estimator (ACE) for every row of ``counts``.

    .. math::
        S_{ace} = S_{abund} + \\frac{S_{rare}}{C} + \\frac{F_1}{C} \\gamma^2, \\quad
        C = 1 - \\frac{F_1}{N_{rare}}, \\quad
        \\gamma^2 = \\max\\left(\\frac{S_{rare} \\sum_{i \\le k} i (i-1) F_i}
        {C N_{rare} (N_{rare} - 1)} - 1, 0\\right)

    with rare taxa those with at most ``rare_threshold`` reads. Rows whose only rare taxa are
    singletons (ACE undefined) give ``NaN``.

    References
    ----------
    Chao A, Lee S-M (1992) Estimating the number of classes via sample coverage. JASA
    87:210-217. doi:10.1080/01621459.1992.10475194
    """
    matrix = _check_counts(counts)
    rare = (matrix > 0) & (matrix <= rare_threshold)
    s_rare = rare.sum(axis=1).astype(np.float64)
    s_abund = (matrix > rare_threshold).sum(axis=1).astype(np.float64)
    singles = (matrix == 1).sum(axis=1).astype(np.float64)
    rare_values = np.where(rare, matrix, 0.0)
    n_rare = rare_values.sum(axis=1)
    gamma_top = s_rare * (rare_values * (rare_values - 1)).sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        coverage = 1.0 - singles / n_rare
        gamma = gamma_top / (coverage * n_rare * (n_rare - 1)) - 1.0
        gamma = np.maximum(np.nan_to_num(gamma, nan=0.0), 0.0)
        estimate = s_abund + s_rare / coverage + singles / coverage * gamma
    estimate = np.where(s_rare == 0, s_abund, estimate)
    undefined = (singles > 0) & (singles == s_rare)
    return np.where(undefined, np.nan, estimate)


def _opt(value: float) -> float | None:
    return float(value) if np.isfinite(value) else None


def alpha_diversity(
    profile: Profile,
    *,
    rank: str = "species",
    values: pd.Series | None = None,
    counts: pd.Series | None = None,
) -> AlphaDiversity:
    """Alpha diversity of one sample at ``rank`` (no rarefaction).

    The indices use the taxa at ``rank`` renormalised to sum to 1. Chao1 and ACE are given only
    when the profile holds whole read counts at that rank; otherwise they are ``None`` and
    ``notes`` says why. ``depth`` is the number of reads at ``rank`` when counts are known.

    Raises
    ------
    AnalysisError
        If ``rank`` is not a gutlens rank.
    """
    if rank not in RANKS:
        msg = f"unknown rank {rank!r} (expected one of {', '.join(RANKS)})"
        raise AnalysisError(msg)
    if values is None:
        values = profile.at_rank(rank)
    amounts = values.to_numpy(dtype=np.float64)
    amounts = amounts[amounts > 0]
    notes: list[str] = []
    metrics = alpha_matrix(amounts[np.newaxis, :]) if len(amounts) else None
    richness = int(metrics["richness"][0]) if metrics is not None else 0
    if richness == 0:
        notes.append(f"no taxa at {rank} rank: diversity indices are not computable")
    elif richness == 1:
        notes.append("one taxon only: Pielou evenness (H / ln S) is undefined for S = 1")
    chao1_value: float | None = None
    ace_value: float | None = None
    depth: float | None = None
    if counts is None:
        counts = profile.counts_at_rank(rank) if profile.has_counts else pd.Series(dtype=float)
    reads = counts.to_numpy(dtype=np.float64)
    reads = reads[np.isfinite(reads) & (reads > 0)]
    if len(reads) and reads.sum() > 0:
        if np.array_equal(reads, np.round(reads)):
            depth = float(reads.sum())
            chao1_value = _opt(chao1(reads)[0])
            ace_value = _opt(ace(reads)[0])
            if ace_value is None:
                notes.append("ACE undefined: every rare taxon is a singleton")
            notes.append(f"no rarefaction; depth {depth:.0f} reads at {rank} rank")
        else:
            notes.append("Chao1 and ACE not computed: the read counts are not whole numbers")
    else:
        notes.append(
            "Chao1 and ACE not computed: the profile has relative abundances only, and "
            "singleton/doubleton counts have no meaning on proportions"
        )

    def pick(name: str) -> float | None:
        return None if metrics is None else _opt(metrics[name][0])

    return AlphaDiversity(
        rank=rank,
        richness=richness,
        shannon=pick("shannon"),
        simpson=pick("simpson"),
        inverse_simpson=pick("inverse_simpson"),
        pielou=pick("pielou"),
        chao1=chao1_value,
        ace=ace_value,
        depth=depth,
        notes=notes,
    )


def detected_alpha(
    values: pd.Series,
    *,
    rank: str,
    min_share: float,
    known: Container[str] | None,
    rule: str,
    citation: str,
) -> DetectedAlpha:
    """Alpha diversity over the taxa at or above a detection floor, for comparing a sample with
    a reference made by another profiler.

    A taxon :math:`i` is *detected* when :math:`x_i / \\sum_j x_j \\ge` ``min_share`` (its share
    of the rank total). Shannon, Simpson, inverse Simpson and Pielou (:func:`alpha_matrix`) are
    computed on the detected taxa, closed to 1. Richness counts the detected taxa whose names are
    in ``known`` (the reference taxonomy), because the reference's own richness is counted over
    that taxonomy; the abundance-weighted indices keep the detected taxa the reference lacks,
    since dropping them would remove real abundance and distort evenness.

    Parameters
    ----------
    values : pandas.Series
        The sample's abundances at ``rank`` by canonical name.
    rank : str
    min_share : float
        Detection floor, a share of the rank total.
    known : container of str, optional
        Names the reference holds at ``rank``; ``None`` counts every detected taxon.
    rule, citation : str
        How the floor was derived (stored with the result) and the source of its data.
    """
    amounts = values.to_numpy(dtype=np.float64)
    names = values.index.tolist()
    present = amounts > 0
    total = float(amounts[present].sum())
    share = amounts / total if total > 0 else np.zeros_like(amounts)
    above = present & (share >= min_share)
    in_reference = np.array([known is None or name in known for name in names], dtype=bool)
    metrics = alpha_matrix(amounts[above][np.newaxis, :]) if above.any() else None

    def pick(name: str) -> float | None:
        return None if metrics is None else _opt(metrics[name][0])

    return DetectedAlpha(
        rank=rank,
        min_share=min_share,
        reference_taxa_only=known is not None,
        richness=int((above & in_reference).sum()),
        richness_above_floor=int(above.sum()),
        shannon=pick("shannon"),
        simpson=pick("simpson"),
        inverse_simpson=pick("inverse_simpson"),
        pielou=pick("pielou"),
        taxa_below_floor=int((present & ~above).sum()),
        share_below_floor=float(share[present & ~above].sum()),
        rule=rule,
        citation=citation,
    )
