"""Pair merging, UNOISE denoising and bimera removal, checked against DADA2's own ASVs."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from gutlens.reads import (
    FilterSettings,
    QCSummary,
    denoise,
    dereplicate,
    filter_reads,
    find_bimeras,
    merge_pairs,
    read_pair,
)


@pytest.fixture(scope="module")
def dada2_seqtab(inputs: Path) -> pd.DataFrame:
    """DADA2 1.26 seqtab.nochim of sam1/sam2 (samples x ASV sequences)."""
    return pd.read_csv(inputs / "dada2/run_here_miseq_sop_extdata/seqtab.nochim.csv", index_col=0)


def _merged(miseq: Path, sample: str) -> tuple[list[str], np.ndarray]:
    mates = list(read_pair(miseq / f"{sample}F.fastq.gz", miseq / f"{sample}R.fastq.gz"))
    summary = QCSummary(sample, paired=True, qualities=True)
    r1, r2 = filter_reads(mates, FilterSettings(trunc_len=(240, 160)), summary)
    return merge_pairs(r1, r2)


@pytest.mark.parametrize(("sample", "found"), [("sam1", 6), ("sam2", 6)])
def test_asvs_agree_with_dada2(
    miseq: Path, dada2_seqtab: pd.DataFrame, sample: str, found: int
) -> None:
    """Our ASVs contain 6 of DADA2's 7 (sam1) / 8 (sam2) ASVs exactly, and those carry over
    98 % of DADA2's reads (measured: 958/965 and 900/911)."""
    merged, mask = _merged(miseq, sample)
    assert mask.mean() > 0.99  # V4 2x250 truncated to 240/160 overlaps by ~147 bases
    result = denoise(merged)
    row = dada2_seqtab.loc[sample]
    theirs = set(row[row > 0].index)
    shared = theirs & set(result.sequences)
    assert len(shared) == found
    assert row[list(shared)].sum() / row.sum() > 0.98
    assert result.counts.sum() <= len(merged)
    assert list(result.counts) == sorted(result.counts, reverse=True)


def test_merged_length_is_the_amplicon(miseq: Path, dada2_seqtab: pd.DataFrame) -> None:
    merged, _mask = _merged(miseq, "sam1")
    lengths = {len(s) for s in dada2_seqtab.columns}
    top = dereplicate(merged)[0][0]
    assert len(top) in lengths


def test_unoise_skew_threshold(dada2_seqtab: pd.DataFrame) -> None:
    """beta(1) = 1/2^(2*1+1) = 1/8: a one-off variant at 1/10 of its parent is absorbed,
    one at 1/4 is kept as its own ASV (Edgar 2016)."""
    parent = dada2_seqtab.columns[0]
    variant = parent[:50] + ("A" if parent[50] != "A" else "C") + parent[51:]
    absorbed = denoise([parent] * 100 + [variant] * 10)
    assert absorbed.sequences == [parent]
    assert absorbed.counts.tolist() == [110]
    kept = denoise([parent] * 100 + [variant] * 25)
    assert kept.sequences == [parent, variant]
    small = denoise([parent] * 100 + [variant] * 7)  # below min_size, mapped at 97 %
    assert small.counts.tolist() == [107]


def test_bimera_of_two_real_asvs(dada2_seqtab: pd.DataFrame) -> None:
    length = len(dada2_seqtab.columns[0])
    a, b = [s for s in dada2_seqtab.columns if len(s) == length][:2]
    chimera = a[:120] + b[120:]
    assert chimera not in (a, b)
    flags = find_bimeras([a, b, chimera], np.array([100, 80, 20]))
    assert flags.tolist() == [False, False, True]
    # parents must be at least twice as abundant (DADA2 minFoldParentOverAbundance = 2)
    assert find_bimeras([a, b, chimera], np.array([100, 80, 50])).tolist() == [False] * 3
    result = denoise([a] * 100 + [b] * 80 + [chimera] * 20)
    assert result.chimeras == [chimera]
    assert result.chimeric_reads == 20


def test_overlap_mismatch_takes_the_better_quality(miseq: Path) -> None:
    """A base changed in R2's copy of the overlap wins only where R2's quality is higher."""
    r1, r2 = read_pair(miseq / "sam1F.fastq.gz", miseq / "sam1R.fastq.gz")
    keep = np.array([0, 1])
    r1, r2 = r1.subset(keep), r2.subset(keep)
    r1.lengths[:] = 240
    r2.lengths[:] = 160
    merged, mask = merge_pairs(r1, r2)
    assert mask.all()
    original = merged[0]
    # Merged ~253 bases: R2 overlaps R1 over its last ~147 bases from its 3' end, so R2
    # position 30 (reverse-complemented: 129) is inside the overlap; change it in R2.
    position_in_r2 = 30
    old = chr(r2.bases[0, position_in_r2])
    new = {"A": "C", "C": "G", "G": "T", "T": "A"}[old]
    r2.bases[0, position_in_r2] = ord(new)
    merged_index = len(original) - 1 - position_in_r2  # R2 is reverse-complemented
    assert merged_index >= len(original) - 160  # inside the overlap, not R2-only bases
    assert merged_index < 240
    complement = {"A": "T", "C": "G", "G": "C", "T": "A"}
    r2.quals[0, position_in_r2] = 40
    r1.quals[0, merged_index] = 2
    assert merge_pairs(r1, r2)[0][0][merged_index] == complement[new]
    r2.quals[0, position_in_r2] = 2
    r1.quals[0, merged_index] = 40
    assert merge_pairs(r1, r2)[0][0] == original
