"""``analyze_table``: :func:`~gutlens.analysis.analyze` for every sample of a table, fast.

Results are identical to calling ``analyze(table.profile(s))`` for each sample (the tests check
this); the speed comes from reading each sample's values straight from the table's sparse
matrix instead of building a pandas-backed :class:`~gutlens.model.Profile` per sample. The
analysis itself runs through the same code (:func:`~gutlens.analysis.analyze.analyze_prepared`).
"""

from __future__ import annotations

import gc
from collections.abc import Hashable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from pydantic import BaseModel
from scipy import sparse

from gutlens.analysis._sample import SampleTaxa, lineage_genus
from gutlens.analysis.analyze import PERCENTILE_RANKS, analyze, analyze_prepared, check_rank
from gutlens.analysis.functional import add_functional
from gutlens.analysis.results import Results, SkippedSample
from gutlens.errors import AnalysisError, SampleNotFoundError
from gutlens.model import Profile, ProfileTable, sample_record
from gutlens.reference import ReferencePopulation, load_reference

__all__ = ["analyze_table", "iter_analyze_table"]

_EMPTY_TAXA = pd.DataFrame(
    {
        "rank": pd.Series(dtype=object),
        "name": pd.Series(dtype=object),
        "original_name": pd.Series(dtype=object),
        "taxid": pd.Series(dtype=object),
        "relative_abundance": pd.Series(dtype=float),
        "count": pd.Series(dtype=float),
    }
)


def _series(names: np.ndarray, values: np.ndarray) -> pd.Series:
    if len(set(names)) == len(names):
        return pd.Series(values, index=pd.Index(names, dtype=object), dtype=np.float64)
    series = pd.Series(values, index=pd.Index(names, dtype=object), dtype=np.float64)
    return series.groupby(level=0, sort=False).sum()


@dataclass(frozen=True)
class _Columns:
    """A table's taxa and matrices, prepared once for reading one sample (column) at a time."""

    ranks: np.ndarray
    names: np.ndarray
    lineages: np.ndarray
    lineage_genera: np.ndarray
    abundance: sparse.csc_array
    counts: sparse.csc_array | None
    rank_masks: dict[str, np.ndarray]
    records: list[dict[Hashable, Any]]

    @classmethod
    def of(cls, table: ProfileTable, needed: tuple[str, ...]) -> _Columns:
        ranks = np.asarray(table.taxa["rank"].tolist(), dtype=object)
        lineages = np.asarray([str(i) for i in table.taxa.index], dtype=object)
        abundance = sparse.csc_array(table.abundance)
        abundance.sort_indices()
        counts = sparse.csc_array(table.counts) if table.counts is not None else None
        if counts is not None:
            counts.sort_indices()
        return cls(
            ranks=ranks,
            names=np.asarray(table.taxa["name"].tolist(), dtype=object),
            lineages=lineages,
            lineage_genera=np.asarray([lineage_genus(x) for x in lineages.tolist()], dtype=object),
            abundance=abundance,
            counts=counts,
            rank_masks={r: ranks == r for r in needed},
            # one dict per sample: no pandas row per sample
            records=table.samples.to_dict("records"),
        )


def iter_analyze_table(
    table: ProfileTable,
    *,
    reference: ReferencePopulation | None = None,
    rank: str = "species",
    samples: Sequence[str] | None = None,
    skipped: list[SkippedSample] | None = None,
) -> Iterator[Results]:
    """Yield :class:`Results` for each sample of ``table`` (in table order, or ``samples``).

    Parameters
    ----------
    skipped : list, optional
        When given, a sample that cannot be analysed (an :class:`AnalysisError`, e.g. no
        classified taxa) is left out and recorded here, with the reason, instead of ending the
        run (for labs analysing many samples). By default the error is raised.

    Raises
    ------
    AnalysisError
        For an unsupported ``rank``, or when a sample holds no classified taxa (unless
        ``skipped`` is given).
    SampleNotFoundError
        If ``samples`` names a sample the table does not hold.
    """
    ref = reference if reference is not None else load_reference()
    check_rank(rank, ref)
    ids = table.sample_ids
    wanted = list(samples) if samples is not None else ids
    position = {s: i for i, s in enumerate(ids)}
    missing = [s for s in wanted if s not in position]
    if missing:
        msg = f"sample(s) not in the table: {', '.join(missing[:5])}"
        raise SampleNotFoundError(msg)
    columns = _Columns.of(table, tuple(dict.fromkeys((*PERCENTILE_RANKS, rank))))
    for sample_id in wanted:
        try:
            result = _analyze_column(table, columns, position[sample_id], sample_id, ref, rank)
        except AnalysisError as err:
            if skipped is None:
                raise
            skipped.append(SkippedSample(sample_id=sample_id, reason=str(err)))
            continue
        yield result


def _analyze_column(
    table: ProfileTable,
    columns: _Columns,
    column: int,
    sample_id: str,
    ref: ReferencePopulation,
    rank: str,
) -> Results:
    c = columns
    names, ranks = c.names, c.ranks
    start, end = c.abundance.indptr[column], c.abundance.indptr[column + 1]
    rows = c.abundance.indices[start:end]
    data = c.abundance.data[start:end]
    keep = data > 0
    rows, data = rows[keep], data[keep]
    if len(data) == 0 or float(data.sum()) <= 0:
        msg = f"sample {sample_id!r} holds no classified taxa: nothing to analyse"
        raise AnalysisError(msg)
    values = {
        r: _series(names[rows[mask[rows]]], data[mask[rows]]) for r, mask in c.rank_masks.items()
    }
    if rank == "species" and values["species"].sum() <= 0:
        # no species named (16S to genus): analyze() falls back to genus rank, with a note
        return analyze(table.profile(sample_id), reference=ref, rank=rank)
    rank_counts = pd.Series(dtype=float)
    sample_counts: np.ndarray | None = None
    listed = rows
    if c.counts is not None:
        c_start, c_end = c.counts.indptr[column], c.counts.indptr[column + 1]
        c_rows = c.counts.indices[c_start:c_end]
        c_data = c.counts.data[c_start:c_end]
        at_rank = c.rank_masks[rank][c_rows] & (c_data > 0)
        rank_counts = _series(names[c_rows[at_rank]], c_data[at_rank])
        # a taxon is listed when it has abundance or reads (as ProfileTable.profile does)
        read = c_data > 0
        listed = np.union1d(rows, c_rows[read])
        sample_counts = np.zeros(len(listed))
        sample_counts[np.searchsorted(listed, c_rows[read])] = c_data[read]
    listed_abundance = np.zeros(len(listed))
    listed_abundance[np.searchsorted(listed, rows)] = data
    record = sample_record(c.records[column])
    shell = Profile(
        sample_id=sample_id,
        taxa=_EMPTY_TAXA,
        unclassified_fraction=record.unclassified_fraction,
        source=record.source,
        provenance=record.provenance,
    )
    results = analyze_prepared(
        shell,
        values,
        rank_counts,
        (ranks[rows], names[rows], data),
        ref,
        rank=rank,
        age=None,
        sex=None,
    )
    sample = SampleTaxa(
        sample_id=sample_id,
        source=record.source,
        unclassified_fraction=record.unclassified_fraction,
        total_count=record.total_count,
        lineages=c.lineages[listed],
        ranks=ranks[listed],
        names=names[listed],
        abundance=listed_abundance,
        counts=sample_counts,
        lineage_genera=c.lineage_genera[listed],
    )
    return add_functional(results, sample)


def _analyze_chunk(
    table: ProfileTable,
    reference: ReferencePopulation | None,
    rank: str,
    samples: list[str],
    skipped: list[SkippedSample] | None,
) -> list[Results]:
    return list(
        iter_analyze_table(table, reference=reference, rank=rank, samples=samples, skipped=skipped)
    )


class _Chunk(BaseModel):
    """What a worker process sends back."""

    results: list[Results]
    skipped: list[SkippedSample] | None


def _analyze_chunk_json(
    table: ProfileTable,
    reference: ReferencePopulation | None,
    rank: str,
    samples: list[str],
    skip: bool,
) -> bytes:
    # JSON, not pickle, back to the parent: pydantic writes and reads it in Rust, about twice
    # as fast as pickling ~300 nested models per sample (floats round-trip exactly)
    skipped: list[SkippedSample] | None = [] if skip else None
    results = _analyze_chunk(table, reference, rank, samples, skipped)
    return _Chunk(results=results, skipped=skipped).model_dump_json().encode()


def analyze_table(
    table: ProfileTable,
    *,
    reference: ReferencePopulation | None = None,
    rank: str = "species",
    samples: Sequence[str] | None = None,
    n_jobs: int = 1,
    skipped: list[SkippedSample] | None = None,
) -> list[Results]:
    """:func:`iter_analyze_table` as a list, optionally split over ``n_jobs`` processes.

    With ``n_jobs > 1`` the samples are cut into that many contiguous chunks; this process
    analyses the first while ``n_jobs - 1`` worker processes analyse the others (the default
    reference is loaded there, or inherited where processes fork; a given ``reference`` is
    pickled). The order of the results is the table's (or ``samples``') order either way, and
    the results are equal to a single process's. ``skipped``: as in :func:`iter_analyze_table`
    (samples that cannot be analysed are recorded there, in table order, instead of raising).
    """
    wanted = list(samples) if samples is not None else table.sample_ids
    if n_jobs <= 1 or len(wanted) < 2 * n_jobs:
        with _fewer_collections():
            return _analyze_chunk(table, reference, rank, wanted, skipped)
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    check_rank(rank, reference if reference is not None else load_reference())
    chunks = _split(wanted, n_jobs)
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else None)
    skip = skipped is not None
    with _fewer_collections(), ProcessPoolExecutor(n_jobs - 1, mp_context=context) as pool:
        # objects alive now are left out of the collector's scans (in the forked workers too, so
        # scanning does not copy this process's memory page by page into each of them); not
        # when the program froze objects itself, as unfreezing would undo that as well
        ours = gc.get_freeze_count() == 0
        if ours:
            gc.freeze()
        try:
            futures = [
                pool.submit(_analyze_chunk_json, table, reference, rank, chunk, skip)
                for chunk in chunks[1:]
            ]
        finally:
            if ours:
                gc.unfreeze()
        results = _analyze_chunk(table, reference, rank, chunks[0], skipped)
        for future in futures:
            chunk = _Chunk.model_validate_json(future.result())
            results.extend(chunk.results)
            if skipped is not None and chunk.skipped:
                skipped.extend(chunk.skipped)
    return results


#: Time to read one sample's results back from a worker, as a share of the time to analyse it
#: (measured on MetAML: about 0.8 ms against 6.5 ms); this process's own chunk is made smaller
#: by that much per worker so that it finishes with the workers.
_READ_BACK_SHARE = 0.12


def _split(samples: list[str], n_jobs: int) -> list[list[str]]:
    """``n_jobs`` contiguous chunks; the first (this process's) smaller by the read-back work."""
    weights = np.array([1.0 - (n_jobs - 1) * _READ_BACK_SHARE, *([1.0] * (n_jobs - 1))])
    weights = np.clip(weights, 0.1, None)
    bounds = np.rint(np.cumsum(weights) / weights.sum() * len(samples)).astype(int)
    starts = [0, *bounds[:-1].tolist()]
    return [samples[a:b] for a, b in zip(starts, bounds.tolist(), strict=True)]


@contextmanager
def _fewer_collections() -> Iterator[None]:
    """Run CPython's cyclic garbage collector less often while results pile up.

    Every few hundred new objects the collector scans the young ones, and every tenth of those
    scans older ones, so a table's hundreds of thousands of result objects (none in reference
    cycles) are walked again and again: about 0.8 s of a 1,989-sample run. The first
    threshold is raised for the duration and restored afterwards; collections still happen.
    """
    thresholds = gc.get_threshold()
    gc.set_threshold(max(thresholds[0], 20_000), *thresholds[1:])
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)
