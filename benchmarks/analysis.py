"""Benchmark: ``analyze`` on all 1,989 MetAML samples, and alpha/beta diversity next to scikit-bio.

Run from the repository root with ``../shared`` beside the checkout::

    python benchmarks/analysis.py

Prints samples per second and ratios. Goals: one sample analysed in < 20 ms after load; the
whole cohort in < 10 s on 2 cores; alpha diversity at least as fast as scikit-bio's
``alpha_diversity``.
"""

from __future__ import annotations

import statistics
import sys
import time
import warnings
from pathlib import Path

import biom
import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from skbio.diversity import alpha_diversity, beta_diversity  # noqa: E402

from gutlens.analysis import analyze, analyze_table  # noqa: E402
from gutlens.analysis.alpha import alpha_matrix  # noqa: E402
from gutlens.analysis.beta import bray_curtis_matrix  # noqa: E402
from gutlens.io import read_profiles  # noqa: E402
from gutlens.reference import load_reference, read_metaml_table  # noqa: E402

DATA = ROOT.parent / "shared/data"
METAML = DATA / "reference/metaml_pasolli2016_stool/relative_abundance_all_ranks.tsv.gz"
AMERICAN_GUT = DATA / "inputs/biom/json_v1/AG_100nt.biom.gz"
SKBIO_METRICS = ("observed_features", "shannon", "simpson", "inv_simpson", "pielou_e")


def clock(label: str, func, repeat: int = 1):  # type: ignore[no-untyped-def]
    times = []
    result = None
    for _ in range(repeat):
        start = time.perf_counter()
        result = func()
        times.append(time.perf_counter() - start)
    best = min(times)
    print(f"  {label:<52} {best:8.3f} s")
    return result, best


def alpha_vs_skbio(label: str, matrix: np.ndarray) -> None:
    n = matrix.shape[0]
    print(f"alpha diversity, {label}: {n} samples x {matrix.shape[1]} taxa")
    ids = [str(i) for i in range(n)]
    _, ours = clock("gutlens alpha_matrix (5 metrics)", lambda: alpha_matrix(matrix), 3)

    def skbio_all() -> None:
        for metric in SKBIO_METRICS:
            alpha_diversity(metric, matrix, ids=ids)

    _, theirs = clock("scikit-bio alpha_diversity (same 5 metrics)", skbio_all, 1)
    print(
        f"  -> gutlens {n / ours:,.0f} samples/s, scikit-bio {n / theirs:,.0f} samples/s, "
        f"ratio {theirs / ours:.1f}x"
    )


def main() -> None:
    warnings.simplefilter("ignore")
    print("loading")
    reference, load_time = clock("load_reference() (first call)", load_reference)
    reference.sorted_abundance()
    reference.rank_matrix("species")
    reference.rank_matrix("genus")
    table, _ = clock("read MetAML (1,989 samples, all ranks)", lambda: read_metaml_table(METAML))
    sample_ids = table.sample_ids
    probe = [table.profile(s) for s in sample_ids[::20]]
    analyze(probe[0])  # warm caches

    print(f"analyze(profile): {len(probe)} single samples (every 20th), after load")
    per_sample: list[float] = []
    for profile in probe:
        start = time.perf_counter()
        analyze(profile)
        per_sample.append(time.perf_counter() - start)
    print(
        f"  per sample median {statistics.median(per_sample) * 1000:.1f} ms, p95 "
        f"{np.percentile(per_sample, 95) * 1000:.1f} ms (wall clock)"
    )

    print(f"analyze_table(): all {len(sample_ids)} MetAML samples vs {reference.name}")
    # two processes first: a process that has already built (and dropped) 2,000 results forks
    # a larger heap and runs 10-20% slower; run this script twice to see both orders' spread
    _, total2 = clock("analyze_table(table, n_jobs=2)", lambda: analyze_table(table, n_jobs=2))
    print(f"  -> {len(sample_ids) / total2:,.0f} samples/s wall ({total2:.1f} s) on 2 processes")
    cpu = time.process_time()
    _, total = clock("analyze_table(table)", lambda: analyze_table(table))
    cpu = time.process_time() - cpu
    print(
        f"  -> {len(sample_ids) / total:,.0f} samples/s wall ({total:.1f} s), "
        f"CPU time {cpu:.1f} s ({cpu / len(sample_ids) * 1000:.1f} ms/sample) in one process"
    )

    species = table.to_dataframe(rank="species").to_numpy().T
    species = species / np.where(
        species.sum(axis=1, keepdims=True) > 0, species.sum(axis=1, keepdims=True), 1
    )
    alpha_vs_skbio("MetAML species", species)

    ag_table = read_profiles(AMERICAN_GUT)
    n_ag = len(ag_table)
    print(f"analyze_table(): American Gut 16S BIOM, {n_ag} samples x {ag_table.shape[0]} taxa")
    _, ag_total = clock("analyze_table(American Gut)", lambda: analyze_table(ag_table))
    print(f"  -> {n_ag / ag_total:,.0f} samples/s wall ({ag_total * 1000 / n_ag:.1f} ms/sample)")

    ag = biom.load_table(str(AMERICAN_GUT))
    counts = ag.matrix_data.toarray().T
    alpha_vs_skbio("American Gut 16S counts (BIOM)", counts)

    n = species.shape[0]
    print(f"beta diversity (Bray-Curtis), MetAML species: {n} samples, all pairs")
    ids = [str(i) for i in range(n)]
    _, ours = clock("gutlens bray_curtis_matrix (scipy pdist)", lambda: bray_curtis_matrix(species))
    _, theirs = clock(
        "scikit-bio beta_diversity('braycurtis')",
        lambda: beta_diversity("braycurtis", species, ids=ids),
    )
    pairs = n * (n - 1) / 2
    print(
        f"  -> gutlens {pairs / ours:,.0f} pairs/s, scikit-bio {pairs / theirs:,.0f} pairs/s, "
        f"ratio {theirs / ours:.1f}x"
    )
    print(f"reference load {load_time * 1000:.0f} ms (once per process)")


if __name__ == "__main__":
    main()
