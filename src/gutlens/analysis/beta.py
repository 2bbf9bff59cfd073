"""Beta diversity against the reference: distances, PCoA placement, neighbours, dysbiosis score.

Bray-Curtis dissimilarity (Bray & Curtis 1957, doi:10.2307/1942268) between closed compositions
:math:`x`, :math:`y`:

.. math:: BC(x, y) = \\frac{\\sum_i |x_i - y_i|}{\\sum_i (x_i + y_i)}

Aitchison distance (Aitchison 1986, *The Statistical Analysis of Compositional Data*; no DOI
verified) is the Euclidean distance between centred log-ratio transforms

.. math:: \\mathrm{clr}(x)_i = \\ln(x_i + c) - \\frac{1}{D} \\sum_j \\ln(x_j + c)

over the reference's ``D`` taxa at the rank, with pseudocount :math:`c` equal to half the
smallest non-zero relative abundance in the reference (stored in the bundle's provenance, as
``clr_pseudocount``); Aitchison distances depend on this choice, which is why it is fixed and
documented.

Dysbiosis score, following Lloyd-Price et al. 2019 (Nature 569:655,
doi:10.1038/s41586-019-1237-9), who scored each sample by its median Bray-Curtis dissimilarity
to a reference set of non-IBD samples: here the reference is the healthy cohort, and the score
is the percentile of the sample's median distance among the reference samples' own
leave-one-out medians. 50 means "as typical as a typical healthy reference sample"; Lloyd-Price
et al. called samples above the reference's 90th percentile dysbiotic.
"""

from __future__ import annotations

import numpy as np
from scipy.spatial.distance import pdist, squareform

from gutlens.analysis._citations import CITATIONS
from gutlens.analysis.results import DysbiosisResult, NeighbourSample, ReferencePosition
from gutlens.reference import PCoA, ReferencePopulation, Stratum, mid_rank_percentile

__all__ = [
    "N_NEIGHBOURS",
    "PCOA_AXES",
    "aitchison_score",
    "aitchison_to",
    "bray_curtis_matrix",
    "bray_curtis_to",
    "clr",
    "dysbiosis",
    "fit_pcoa",
    "leave_one_out_medians",
    "position",
]

#: Nearest reference samples reported.
N_NEIGHBOURS = 5
#: PCoA axes kept in the bundle.
PCOA_AXES = 10


def bray_curtis_to(
    x: np.ndarray,
    reference: np.ndarray,
    row_sums: np.ndarray | None = None,
    reference_t: np.ndarray | None = None,
) -> np.ndarray:
    """Bray-Curtis dissimilarity from composition ``x`` (n_taxa,) to every row of
    ``reference`` (n_samples, n_taxa).

    ``row_sums`` may pass ``reference.sum(axis=1)`` and ``reference_t`` a C-ordered
    ``reference.T`` (faster gathers of the sample's taxa).
    """
    x = np.asarray(x, dtype=np.float64)
    present = np.flatnonzero(x)
    # sum_i |r_i - x_i| = sum_i r_i + sum_i x_i - 2 sum_i min(r_i, x_i), and min(r_i, x_i) = 0
    # wherever x_i = 0: only the sample's own taxa are touched
    if reference_t is None:
        reference_t = reference.T
    shared = np.minimum(reference_t[present], x[present, np.newaxis]).sum(axis=0)
    if row_sums is None:
        row_sums = reference.sum(axis=1)
    denominator = row_sums + x.sum()
    with np.errstate(divide="ignore", invalid="ignore"):
        result: np.ndarray = np.where(
            denominator > 0, (denominator - 2.0 * shared) / denominator, 0.0
        )
    return result


def bray_curtis_matrix(matrix: np.ndarray) -> np.ndarray:
    """Square Bray-Curtis matrix between the rows of ``matrix`` (scipy's ``braycurtis``)."""
    result: np.ndarray = squareform(pdist(np.asarray(matrix, dtype=np.float64), "braycurtis"))
    return result


def clr(matrix: np.ndarray, pseudocount: float) -> np.ndarray:
    """Centred log-ratio of each row of ``matrix`` after adding ``pseudocount``."""
    logs = np.log(np.asarray(matrix, dtype=np.float64) + pseudocount)
    result: np.ndarray = logs - logs.mean(axis=-1, keepdims=True)
    return result


def aitchison_to(x: np.ndarray, reference_clr: np.ndarray, pseudocount: float) -> np.ndarray:
    """Aitchison distance from composition ``x`` to rows already CLR-transformed."""
    result: np.ndarray = np.sqrt(((reference_clr - clr(x, pseudocount)) ** 2).sum(axis=1))
    return result


def leave_one_out_medians(distances: np.ndarray) -> np.ndarray:
    """Each sample's median distance to all *other* samples of a square distance matrix."""
    n = distances.shape[0]
    off = distances[~np.eye(n, dtype=bool)].reshape(n, n - 1)
    result: np.ndarray = np.median(off, axis=1)
    return result


def fit_pcoa(distances: np.ndarray, axes: int = PCOA_AXES) -> PCoA:
    """Classical PCoA (Gower 1966) of a square distance matrix, keeping ``axes`` positive axes.

    :math:`B = -\\tfrac12 J D^{(2)} J`, :math:`B = U \\Lambda U^\\top`, coordinates
    :math:`U \\Lambda^{1/2}`. Explained shares are over the positive eigenvalues (as
    scikit-bio reports them). Eigenvector signs are made deterministic (largest loading positive).
    """
    d2 = np.asarray(distances, dtype=np.float64) ** 2
    row = d2.mean(axis=1, keepdims=True)
    centred = -0.5 * (d2 - row - row.T + d2.mean())
    values, vectors = np.linalg.eigh(centred)
    order = np.argsort(values)[::-1]
    values, vectors = values[order], vectors[:, order]
    keep = min(axes, int((values > 1e-12).sum()))
    vectors = vectors[:, :keep]
    signs = np.sign(vectors[np.abs(vectors).argmax(axis=0), np.arange(keep)])
    vectors = vectors * signs
    return PCoA(
        coordinates=vectors * np.sqrt(values[:keep]),
        eigenvalues=values[:keep],
        total=float(values[values > 0].sum()),
        centroid_sq=np.diag(centred).copy(),
    )


def position(
    composition: np.ndarray, reference: ReferencePopulation, rank: str
) -> tuple[ReferencePosition, np.ndarray]:
    """The sample's place among the reference samples (Bray-Curtis at ``rank``).

    Parameters
    ----------
    composition : array
        The sample over ``reference.rank_matrix(rank)`` taxa, closed to sum 1.

    Returns
    -------
    (ReferencePosition, array)
        PCoA coordinates (Gower's add-a-point projection), explained shares, the
        :data:`N_NEIGHBOURS` nearest reference samples, and the distances to all samples.
    """
    matrix, _ = reference.rank_matrix(rank)
    distances = bray_curtis_to(
        composition, matrix, reference.rank_totals(rank), reference.rank_matrix_t(rank)
    )
    nearest = np.argsort(distances, kind="stable")[:N_NEIGHBOURS]
    ids = reference.sample_ids
    pcoa = reference.pcoa.get(rank)
    coords = [] if pcoa is None else [float(v) for v in pcoa.project(distances)]
    explained = [] if pcoa is None else [float(v) for v in pcoa.explained]
    result = ReferencePosition(
        metric=f"bray_curtis ({rank})",
        pcoa=coords,
        pcoa_explained=explained,
        nearest=[NeighbourSample(sample_id=ids[i], distance=float(distances[i])) for i in nearest],
    )
    return result, distances


def dysbiosis(
    distances: np.ndarray,
    reference: ReferencePopulation,
    rank: str,
    stratum: Stratum | None = None,
) -> DysbiosisResult:
    """Dysbiosis score from the sample's Bray-Curtis distances to every reference sample."""
    column = f"{rank}_loo_median_bray_curtis"
    median = float(np.median(distances))
    values = reference.metric_values(column, stratum)
    percentile = float(mid_rank_percentile(values, np.array([median]))[0])
    return DysbiosisResult(
        metric=f"bray_curtis ({rank})",
        median_distance=median,
        percentile=percentile,
        citation=CITATIONS["dysbiosis"],
    )


def aitchison_score(
    composition: np.ndarray, reference: ReferencePopulation, rank: str
) -> DysbiosisResult:
    """Median Aitchison distance to the reference and its percentile among the reference
    samples' leave-one-out medians (the dysbiosis score's method on CLR distances)."""
    _, norms = reference.rank_clr(rank)
    clr_t, clr_sums = reference.rank_clr_t(rank)
    pseudocount = reference.clr_pseudocount
    composition = np.asarray(composition, dtype=np.float64)
    logs = np.log(composition + pseudocount)
    mean = logs.mean()
    x = logs - mean
    # ||r - x||^2 = ||r||^2 + ||x||^2 - 2 r.x. x takes one value, c0 = log(p) - mean, on every
    # taxon the sample lacks, so r.x = sum_{present} r_i (x_i - c0) + c0 sum_i r_i: only the
    # sample's own taxa are touched (einsum, not BLAS: threaded OpenBLAS spins on small products)
    present = np.flatnonzero(composition)
    c0 = float(np.log(pseudocount) - mean)
    dots = np.einsum("ij,i->j", clr_t[present], x[present] - c0) + c0 * clr_sums
    squared = norms + float(x @ x) - 2.0 * dots
    distances = np.sqrt(np.maximum(squared, 0.0))
    median = float(np.median(distances))
    values = reference.metric_values(f"{rank}_loo_median_aitchison")
    return DysbiosisResult(
        metric=f"aitchison ({rank}; pseudocount {reference.clr_pseudocount:.3g})",
        median_distance=median,
        percentile=float(mid_rank_percentile(values, np.array([median]))[0]),
        citation=CITATIONS["aitchison"],
    )
