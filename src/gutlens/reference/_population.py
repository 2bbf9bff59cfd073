"""``ReferencePopulation``: a shipped healthy cohort that new samples are placed against.

The bundle (``gutlens/reference/data/<name>/``, built by ``scripts/build_reference.py``) holds

- ``taxa.tsv``: one row per (rank, canonical name) of the cohort's taxonomy, every rank;
- ``abundance.npz``: relative abundances (fraction of classified total), taxa x samples,
  float32 sparse; percentiles are computed from these exact values, so they are exact;
- ``samples.tsv``: per-sample metadata (dataset, age, sex, country) and per-sample metrics
  (alpha diversity at species and genus rank, GMHI, GMWI2, leave-one-out median Bray-Curtis);
- ``pcoa.npz``: principal coordinates of the Bray-Curtis matrix at species and genus rank, with
  eigenvalues and each sample's squared distance to the centroid, so that a new sample can be
  projected with Gower's (1968) add-a-point formula (see :meth:`PCoA.project`);
- ``gmhi_cohort.tsv``: GMHI of the 4,347 training metagenomes of Gupta et al. 2020;
- ``PROVENANCE.json``.

Percentiles are mid-rank: :math:`100 (n_{<} + n_{=}/2) / N` over the reference samples.
"""

from __future__ import annotations

import io
import json
from dataclasses import dataclass, field
from functools import lru_cache
from importlib.resources import files
from typing import Any

import numpy as np
import pandas as pd
from scipy import sparse

from gutlens.errors import GutlensError

__all__ = [
    "AGE_BANDS",
    "BETA_RANKS",
    "MIN_STRATUM",
    "PCoA",
    "ReferencePopulation",
    "Stratum",
    "load_reference",
    "mid_rank_percentile",
]

#: Smallest group that gets its own percentiles (smaller groups fall back to a wider one).
MIN_STRATUM = 50
#: Age bands (years, lower bound inclusive) used for stratification.
AGE_BANDS: tuple[tuple[float, float, str], ...] = (
    (0.0, 18.0, "under 18"),
    (18.0, 40.0, "18-39"),
    (40.0, 60.0, "40-59"),
    (60.0, 200.0, "60+"),
)
#: Ranks at which beta diversity and PCoA are available.
BETA_RANKS = ("species", "genus")


def mid_rank_percentile(
    sorted_values: np.ndarray, values: np.ndarray, rows: np.ndarray | None = None
) -> np.ndarray:
    """Mid-rank percentile of each ``values[i]`` within row ``sorted_values[i]``.

    Parameters
    ----------
    sorted_values : array, shape (k, n) or (n,)
        Reference values, sorted along the last axis.
    values : array, shape (k,) or scalar
        Values to place (against the single row, when ``sorted_values`` has one).
    rows : array of int, optional
        Place ``values[i]`` within row ``sorted_values[rows[i]]`` instead (no copy of the rows).

    Returns
    -------
    array
        :math:`100 (n_{<} + n_{=} / 2) / n`, in [0, 100].
    """
    ref = np.atleast_2d(np.asarray(sorted_values, dtype=np.float64))
    x = np.atleast_1d(np.asarray(values, dtype=np.float64))
    # binary search in each sorted row (n_< = left insertion point, n_= = right - left); a
    # comparison against whole rows did the same in O(n) per value and copied the rows
    if rows is None and ref.shape[0] == 1:
        below = np.searchsorted(ref[0], x, side="left")
        equal = np.searchsorted(ref[0], x, side="right") - below
    else:
        chosen: Any = ref if rows is None else (ref[r] for r in np.asarray(rows).tolist())
        pairs = list(zip(chosen, x.tolist(), strict=True))
        below = np.fromiter((r.searchsorted(v, "left") for r, v in pairs), np.int64, len(x))
        above = np.fromiter((r.searchsorted(v, "right") for r, v in pairs), np.int64, len(x))
        equal = above - below
    missing = np.isnan(x)
    if missing.any():  # NaN is neither below nor equal to anything
        below = np.where(missing, 0, below)
        equal = np.where(missing, 0, equal)
    result: np.ndarray = 100.0 * (below + 0.5 * equal) / ref.shape[1]
    return result


@dataclass(frozen=True)
class Stratum:
    """A subgroup of the reference (or all of it) chosen for a sample's age and sex."""

    mask: np.ndarray
    label: str | None
    notes: tuple[str, ...] = ()

    @property
    def n(self) -> int:
        """Number of reference samples in the group."""
        return int(self.mask.sum())


@dataclass(frozen=True)
class PCoA:
    """Principal coordinates of the reference's Bray-Curtis matrix at one rank.

    Attributes
    ----------
    coordinates : array, shape (n_samples, k)
        :math:`X = U \\Lambda^{1/2}` for the ``k`` largest positive eigenvalues.
    eigenvalues : array, shape (k,)
    total : float
        Sum of the positive eigenvalues, for explained shares (scikit-bio's convention).
    centroid_sq : array, shape (n_samples,)
        :math:`b_i = B_{ii}`, each sample's squared distance to the centroid in the full space.
    """

    coordinates: np.ndarray
    eigenvalues: np.ndarray
    total: float
    centroid_sq: np.ndarray

    @property
    def explained(self) -> np.ndarray:
        """Share of the total inertia carried by each kept axis (as scikit-bio reports it)."""
        result: np.ndarray = self.eigenvalues / self.total
        return result

    def project(self, distances: np.ndarray) -> np.ndarray:
        """Coordinates of a new point from its distances to every reference sample.

        Gower's add-a-point formula (Gower 1968, doi:10.1093/biomet/55.3.582): with
        :math:`d_i` the new point's distances and :math:`b_i = B_{ii}`,

        .. math:: y = \\tfrac{1}{2} \\Lambda^{-1} X^\\top (b - d^2)

        A reference sample's own distances give back its own coordinates.
        """
        d2 = np.asarray(distances, dtype=np.float64) ** 2
        # einsum rather than a BLAS matrix-vector product (threaded OpenBLAS spins on small ones)
        projected = np.einsum("ij,i->j", self.coordinates, self.centroid_sq - d2)
        result: np.ndarray = 0.5 * projected / self.eigenvalues
        return result


@dataclass
class ReferencePopulation:
    """A versioned healthy reference cohort (see the module docstring for its files)."""

    name: str
    version: str
    citation: str
    taxa: pd.DataFrame
    abundance: sparse.csr_array
    samples: pd.DataFrame
    pcoa: dict[str, PCoA]
    gmhi_cohort: pd.DataFrame
    provenance: dict[str, Any]
    clr_pseudocount: float
    _cache: dict[Any, Any] = field(default_factory=dict, repr=False)

    # -- basic lookups --------------------------------------------------------------------
    @property
    def n(self) -> int:
        """Number of reference samples."""
        return len(self.samples)

    @property
    def sample_ids(self) -> list[str]:
        """Reference sample ids in matrix order."""
        if "sample_ids" not in self._cache:
            self._cache["sample_ids"] = [str(s) for s in self.samples.index]
        result: list[str] = self._cache["sample_ids"]
        return result

    def ranks(self) -> list[str]:
        """Ranks present in the reference taxonomy."""
        return list(dict.fromkeys(self.taxa["rank"]))

    def rank_index(self, rank: str) -> dict[str, int]:
        """Canonical name -> row of :attr:`abundance`, for taxa at ``rank``."""
        key = ("rank_index", rank)
        if key not in self._cache:
            rows = np.flatnonzero(self.taxa["rank"].to_numpy() == rank)
            names = self.taxa["name"].to_numpy()[rows]
            self._cache[key] = {str(n): int(r) for n, r in zip(names, rows, strict=True)}
        result: dict[str, int] = self._cache[key]
        return result

    def rank_position(self, rank: str) -> dict[str, int]:
        """Canonical name -> column of :meth:`rank_matrix` at ``rank``."""
        key = ("rank_position", rank)
        if key not in self._cache:
            _, names = self.rank_matrix(rank)
            self._cache[key] = {name: i for i, name in enumerate(names)}
        result: dict[str, int] = self._cache[key]
        return result

    def rank_matrix_t(self, rank: str) -> np.ndarray:
        """:meth:`rank_matrix` transposed (taxa x samples), C-ordered, cached."""
        key = ("rank_matrix_t", rank)
        if key not in self._cache:
            self._cache[key] = np.ascontiguousarray(self.rank_matrix(rank)[0].T)
        result: np.ndarray = self._cache[key]
        return result

    def rank_clr(self, rank: str) -> tuple[np.ndarray, np.ndarray]:
        """CLR transform of :meth:`rank_matrix` (pseudocount :attr:`clr_pseudocount`) and each
        row's squared norm, cached."""
        key = ("rank_clr", rank)
        if key not in self._cache:
            logs = np.log(self.rank_matrix(rank)[0] + self.clr_pseudocount)
            centred = logs - logs.mean(axis=1, keepdims=True)
            self._cache[key] = (centred, (centred**2).sum(axis=1))
        result: tuple[np.ndarray, np.ndarray] = self._cache[key]
        return result

    def rank_clr_t(self, rank: str) -> tuple[np.ndarray, np.ndarray]:
        """:meth:`rank_clr` transposed (taxa x samples, C-ordered, so a sample's taxa are
        contiguous rows) and each reference sample's CLR sum (0 up to rounding), cached."""
        key = ("rank_clr_t", rank)
        if key not in self._cache:
            centred = self.rank_clr(rank)[0]
            self._cache[key] = (np.ascontiguousarray(centred.T), centred.sum(axis=1))
        result: tuple[np.ndarray, np.ndarray] = self._cache[key]
        return result

    def rank_totals(self, rank: str) -> np.ndarray:
        """Row sums of :meth:`rank_matrix` (1, or 0 for a sample without taxa at ``rank``)."""
        key = ("rank_totals", rank)
        if key not in self._cache:
            self._cache[key] = self.rank_matrix(rank)[0].sum(axis=1)
        result: np.ndarray = self._cache[key]
        return result

    def dense(self) -> np.ndarray:
        """Relative abundances as a dense float64 array (taxa x samples), cached."""
        if "dense" not in self._cache:
            self._cache["dense"] = self.abundance.toarray().astype(np.float64)
        result: np.ndarray = self._cache["dense"]
        return result

    def sorted_abundance(self, stratum: Stratum | None = None) -> np.ndarray:
        """Each taxon's reference values sorted (taxa x samples of the stratum), cached."""
        label = None if stratum is None else stratum.label
        key = ("sorted", label)
        if key not in self._cache:
            dense = self.dense()
            if stratum is not None:
                dense = dense[:, stratum.mask]
            self._cache[key] = np.sort(dense, axis=1)
        result: np.ndarray = self._cache[key]
        return result

    def taxon_percentiles(
        self, rows: np.ndarray, values: np.ndarray, stratum: Stratum | None = None
    ) -> np.ndarray:
        """Mid-rank percentile of ``values[i]`` among the (stratum's) reference values of taxon
        ``rows[i]``: :func:`mid_rank_percentile` of each value in its taxon's sorted row.

        Positive values (a sample's present taxa) are placed with two binary searches for all
        of them at once, in the reference's positive values keyed by complex numbers
        ``row + 1j * value`` (numpy orders complex numbers by real part, then imaginary part, so
        the keys of one taxon are contiguous and sorted by value; nothing is rounded); the
        taxon's zeros are all below a positive value. Other values go through
        :func:`mid_rank_percentile`. Both give the same counts, so the same numbers.
        """
        rows = np.asarray(rows, dtype=np.int64)
        x = np.asarray(values, dtype=np.float64)
        label = None if stratum is None else stratum.label
        key = ("positive_keys", label)
        if key not in self._cache:
            ordered = self.sorted_abundance(stratum)
            positive = ordered > 0
            taxon = np.broadcast_to(np.arange(ordered.shape[0])[:, np.newaxis], ordered.shape)
            keys = taxon[positive].astype(np.float64) + 1j * ordered[positive]
            per_taxon = positive.sum(axis=1)
            starts = np.concatenate(([0], np.cumsum(per_taxon)[:-1]))
            self._cache[key] = (keys, starts, ordered.shape[1] - per_taxon, ordered.shape[1])
        keys, starts, zeros, n = self._cache[key]
        result = np.empty(len(x))
        fast = x > 0
        if fast.any():
            query = rows[fast].astype(np.float64) + 1j * x[fast]
            left = np.searchsorted(keys, query, side="left")
            equal = np.searchsorted(keys, query, side="right") - left
            below = zeros[rows[fast]] + (left - starts[rows[fast]])
            result[fast] = 100.0 * (below + 0.5 * equal) / n
        if not fast.all():
            ordered = self.sorted_abundance(stratum)
            result[~fast] = mid_rank_percentile(ordered, x[~fast], rows=rows[~fast])
        return result

    def prevalence(self, stratum: Stratum | None = None) -> np.ndarray:
        """Share of (stratum) reference samples in which each taxon is present."""
        key = ("prevalence", None if stratum is None else stratum.label)
        if key not in self._cache:
            self._cache[key] = (self.sorted_abundance(stratum) > 0).mean(axis=1)
        result: np.ndarray = self._cache[key]
        return result

    def rank_matrix(self, rank: str) -> tuple[np.ndarray, list[str]]:
        """Samples x taxa matrix at ``rank``, each sample closed to sum 1, and the taxon names.

        This is the matrix beta diversity and the PCoA are computed on.
        """
        key = ("rank_matrix", rank)
        if key not in self._cache:
            index = self.rank_index(rank)
            rows = np.fromiter(index.values(), dtype=np.int64, count=len(index))
            matrix = self.dense()[rows].T.copy()
            totals = matrix.sum(axis=1, keepdims=True)
            matrix = np.divide(matrix, totals, out=np.zeros_like(matrix), where=totals > 0)
            self._cache[key] = (matrix, list(index))
        result: tuple[np.ndarray, list[str]] = self._cache[key]
        return result

    def metric_values(self, metric: str, stratum: Stratum | None = None) -> np.ndarray:
        """Sorted per-sample values of ``metric`` (a ``samples.tsv`` column), NaN dropped."""
        if metric not in self.samples.columns:
            msg = f"the reference {self.name!r} has no distribution for {metric!r}"
            raise GutlensError(msg)
        key = ("metric", metric, None if stratum is None else stratum.label)
        if key not in self._cache:
            values = self.samples[metric].to_numpy(dtype=np.float64)
            if stratum is not None:
                values = values[stratum.mask]
            self._cache[key] = np.sort(values[np.isfinite(values)])
        result: np.ndarray = self._cache[key]
        return result

    def detection_floor(self, rank: str) -> float | None:
        """The reference's empirical detection floor at ``rank`` (a share of the rank total),
        or ``None`` when the bundle does not hold one.

        Built by ``scripts/build_reference.py``: the ``quantile`` (0.95) over the reference
        samples of each sample's smallest non-zero share at ``rank``; see PROVENANCE.json
        ``detection_floor`` for the rule and the distribution of the per-sample minima.
        """
        block = self.provenance.get("detection_floor", {})
        value = block.get(rank) if isinstance(block, dict) else None
        return float(value) if isinstance(value, int | float) else None

    def gmhi_healthy(self) -> np.ndarray:
        """Sorted GMHI of the healthy samples of the Gupta et al. 2020 training cohort."""
        if "gmhi_healthy" not in self._cache:
            cohort = self.gmhi_cohort
            healthy = cohort.loc[cohort["is_healthy"].astype(bool), "gmhi"]
            self._cache["gmhi_healthy"] = np.sort(healthy.to_numpy(dtype=np.float64))
        result: np.ndarray = self._cache["gmhi_healthy"]
        return result

    def metric_percentile(
        self, metric: str, value: float, stratum: Stratum | None = None
    ) -> float | None:
        """Mid-rank percentile of ``value`` among the reference's ``metric`` values."""
        values = self.metric_values(metric, stratum)
        if len(values) == 0 or not np.isfinite(value):
            return None
        return float(mid_rank_percentile(values, np.array([value]))[0])

    # -- strata ---------------------------------------------------------------------------
    def stratum(self, *, age: float | None = None, sex: str | None = None) -> Stratum:
        """The reference group for a sample of this ``age`` and ``sex``.

        Tries age band x sex, then age band, then sex; a group is used only when it holds at
        least :data:`MIN_STRATUM` samples, and ``notes`` says when a group was too small.
        """
        n = self.n
        everyone = np.ones(n, dtype=bool)
        if age is None and sex is None:
            return Stratum(everyone, None)
        ages = pd.to_numeric(self.samples["age"], errors="coerce").to_numpy(dtype=np.float64)
        sexes = self.samples["sex"].astype(str).str.lower().to_numpy()
        candidates: list[tuple[np.ndarray, str]] = []
        band_mask: np.ndarray | None = None
        band_label = ""
        if age is not None:
            for low, high, label in AGE_BANDS:
                if low <= age < high:
                    band_mask = (ages >= low) & (ages < high)
                    band_label = f"age {label}"
        sex_mask = None
        sex_label = ""
        if sex is not None:
            sex_label = sex.strip().lower()
            sex_mask = sexes == sex_label
        if band_mask is not None and sex_mask is not None:
            candidates.append((band_mask & sex_mask, f"{sex_label}, {band_label}"))
        if band_mask is not None:
            candidates.append((band_mask, band_label))
        if sex_mask is not None:
            candidates.append((sex_mask, sex_label))
        notes: list[str] = []
        for mask, label in candidates:
            if mask.sum() >= MIN_STRATUM:
                return Stratum(mask, label, tuple(notes))
            notes.append(
                f"reference group '{label}' has {int(mask.sum())} samples (< {MIN_STRATUM}); "
                "not used on its own"
            )
        notes.append("compared with the whole reference cohort")
        return Stratum(everyone, None, tuple(notes))


def _read_text(name: str, path: str) -> str:
    return files("gutlens.reference").joinpath(f"data/{name}/{path}").read_text("utf-8")


def _read_bytes(name: str, path: str) -> bytes:
    return files("gutlens.reference").joinpath(f"data/{name}/{path}").read_bytes()


@lru_cache(maxsize=2)
def load_reference(name: str = "metaml_healthy") -> ReferencePopulation:
    """Load a shipped reference bundle (cached per process).

    Parameters
    ----------
    name : str
        Bundle name; ``"metaml_healthy"`` (759 healthy adults and children, one sample per
        subject, from Pasolli et al. 2016's MetAML collection) is the default.

    Raises
    ------
    GutlensError
        If no bundle of that name is shipped.
    """
    try:
        provenance = json.loads(_read_text(name, "PROVENANCE.json"))
    except (FileNotFoundError, ModuleNotFoundError) as err:
        msg = f"no reference bundle named {name!r} is shipped with gutlens"
        raise GutlensError(msg) from err
    taxa = pd.read_csv(io.StringIO(_read_text(name, "taxa.tsv")), sep="\t", index_col=0)
    samples = pd.read_csv(
        io.StringIO(_read_text(name, "samples.tsv")),
        sep="\t",
        index_col=0,
        dtype={"sex": str, "dataset": str, "country": str},
    )
    abundance = sparse.csr_array(sparse.load_npz(io.BytesIO(_read_bytes(name, "abundance.npz"))))
    pcoa: dict[str, PCoA] = {}
    if "pcoa.npz" in provenance.get("files", {}):
        with np.load(io.BytesIO(_read_bytes(name, "pcoa.npz"))) as data:
            for rank in BETA_RANKS:
                if f"{rank}_coordinates" in data:
                    pcoa[rank] = PCoA(
                        coordinates=data[f"{rank}_coordinates"],
                        eigenvalues=data[f"{rank}_eigenvalues"],
                        total=float(data[f"{rank}_total"]),
                        centroid_sq=data[f"{rank}_centroid_sq"],
                    )
    gmhi_cohort = (
        pd.read_csv(io.StringIO(_read_text(name, "gmhi_cohort.tsv")), sep="\t")
        if "gmhi_cohort.tsv" in provenance.get("files", {})
        else pd.DataFrame({"gmhi": [], "is_healthy": []})
    )
    return ReferencePopulation(
        name=name,
        version=str(provenance["version"]),
        citation=str(provenance["citation"]),
        taxa=taxa,
        abundance=abundance,
        samples=samples,
        pcoa=pcoa,
        gmhi_cohort=gmhi_cohort,
        provenance=provenance,
        clr_pseudocount=float(provenance.get("clr_pseudocount", 1e-6)),
    )
