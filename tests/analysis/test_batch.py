"""``analyze_table``: the same results as ``analyze`` per sample, from every kind of table."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from scipy import sparse

from gutlens.analysis import analyze
from gutlens.analysis._sample import SampleTaxa
from gutlens.analysis.batch import _READ_BACK_SHARE, _split, analyze_table, iter_analyze_table
from gutlens.analysis.results import SkippedSample
from gutlens.errors import AnalysisError, SampleNotFoundError
from gutlens.io import read_profiles
from gutlens.model import ProfileTable

KRAKEN = ("Ombre6_Kraken2.kreport", "Psomagen2_Kraken2.kreport", "thryve2_Kraken2.kreport")


def _same(a: Any, b: Any, path: str = "") -> None:
    """Assert two ``Results.to_dict()`` trees are equal, floats to 1e-9 (absolute)."""
    if isinstance(a, dict):
        assert a.keys() == b.keys(), path
        for key in a:
            _same(a[key], b[key], f"{path}.{key}")
    elif isinstance(a, list):
        assert len(a) == len(b), path
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            _same(x, y, f"{path}[{i}]")
    elif isinstance(a, float) and isinstance(b, float):
        assert math.isclose(a, b, rel_tol=0, abs_tol=1e-9), (path, a, b)
    else:
        assert a == b, (path, a, b)


def _check(table: ProfileTable, ids: list[str]) -> None:
    for sample, result in zip(ids, analyze_table(table, samples=ids), strict=True):
        _same(result.to_dict(), analyze(table.profile(sample)).to_dict(), sample)


def test_metaml_samples_equal_analyze(metaml: ProfileTable) -> None:
    ids = metaml.sample_ids[::66]  # 31 samples across the studies
    assert len(ids) == 31
    _check(metaml, ids)


def test_kraken_reports_with_counts_equal_analyze(inputs: Path) -> None:
    # read counts, another profiler (cross-platform, detection floor), all ranks
    table = ProfileTable.concat(read_profiles(inputs / "kraken2" / name) for name in KRAKEN)
    assert table.counts is not None and len(table) == 3
    _check(table, table.sample_ids)


def test_16s_table_equals_analyze(inputs: Path) -> None:
    # QIIME 2 16S counts: some samples name species, the analysis falls back to genus otherwise
    folder = inputs / "qiime2/moving_pictures"
    table = read_profiles(folder / "table-dada2.qza", taxonomy=folder / "taxonomy.qza")
    ids = table.sample_ids[::4]
    assert len(ids) >= 8
    _check(table, ids)


def test_two_processes_equal_one_and_keep_order(metaml: ProfileTable) -> None:
    ids = metaml.sample_ids[::150]
    two = analyze_table(metaml, samples=ids, n_jobs=2)
    one = analyze_table(metaml, samples=ids)
    assert [r.sample_id for r in two] == ids
    for a, b in zip(two, one, strict=True):
        assert a == b  # read back from the worker's JSON, floats round-trip exactly


def test_split_gives_this_process_the_smaller_chunk() -> None:
    samples = [str(i) for i in range(1000)]
    chunks = _split(samples, 2)
    assert [s for c in chunks for s in c] == samples
    share = 1.0 - _READ_BACK_SHARE  # this process also reads the worker's results back
    assert len(chunks[0]) == round(1000 * share / (1.0 + share)) < len(chunks[1])
    chunks = _split(samples[:7], 3)
    assert [s for c in chunks for s in c] == samples[:7] and all(chunks)


def test_unknown_sample_is_named(metaml: ProfileTable) -> None:
    with pytest.raises(SampleNotFoundError, match="not-a-sample"):
        next(iter_analyze_table(metaml, samples=["not-a-sample"]))


@pytest.mark.parametrize("rank", ["species", "genus", "family", "phylum"])
def test_sample_taxa_rank_arrays_equal_profile_at_rank(
    metaml: ProfileTable, inputs: Path, rank: str
) -> None:
    kraken = read_profiles(inputs / "kraken2" / KRAKEN[0])
    for profile in (metaml.profile(metaml.sample_ids[5]), kraken.profile()):
        expected = profile.at_rank(rank)
        names, values = SampleTaxa.from_profile(profile).rank_arrays(rank)
        assert names == expected.index.tolist()
        assert np.array_equal(values, expected.to_numpy())


def test_two_processes_leave_the_collector_as_they_found_it(metaml: ProfileTable) -> None:
    import gc

    thresholds = gc.get_threshold()
    ids = metaml.sample_ids[:4]
    analyze_table(metaml, samples=ids, n_jobs=2)
    assert gc.get_threshold() == thresholds and gc.get_freeze_count() == 0
    gc.freeze()  # a program that froze its own objects keeps them frozen
    try:
        frozen = gc.get_freeze_count()
        analyze_table(metaml, samples=ids, n_jobs=2)
        # still frozen (objects freed meanwhile leave the count, nothing is unfrozen)
        assert 0.9 * frozen < gc.get_freeze_count() <= frozen
    finally:
        gc.unfreeze()


def _with_failed_library(table: ProfileTable, failed: str) -> ProfileTable:
    """``table`` with every read of sample ``failed`` removed (a library that failed)."""
    keep = np.array([s != failed for s in table.sample_ids], dtype=float)
    drop = sparse.diags_array(keep)
    counts = None if table.counts is None else table.counts @ drop
    return ProfileTable(table.taxa, table.abundance @ drop, table.samples, counts)


@pytest.mark.parametrize("n_jobs", [1, 2])
def test_samples_that_cannot_be_analysed_are_skipped_and_named(inputs: Path, n_jobs: int) -> None:
    folder = inputs / "qiime2/moving_pictures"
    real = read_profiles(folder / "table-dada2.qza", taxonomy=folder / "taxonomy.qza")
    ids = real.sample_ids[:6]
    table = _with_failed_library(real, ids[4])
    with pytest.raises(AnalysisError, match=ids[4]):  # by default the run stops, naming it
        analyze_table(table, samples=ids, n_jobs=n_jobs)
    skipped: list[SkippedSample] = []
    results = analyze_table(table, samples=ids, n_jobs=n_jobs, skipped=skipped)
    assert [r.sample_id for r in results] == [s for s in ids if s != ids[4]]
    assert [s.sample_id for s in skipped] == [ids[4]]
    assert "no classified taxa" in skipped[0].reason
    # the others are untouched by their neighbour's failure
    for result in results:
        _same(result.to_dict(), analyze(real.profile(result.sample_id)).to_dict())
