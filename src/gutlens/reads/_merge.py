"""Merging read pairs by their overlap (vectorised over all pairs of equal mate lengths).

R2 is reverse-complemented and laid after R1 so that the last ``o`` bases of R1 cover the first
``o`` of R2. Every overlap ``o`` from ``min_overlap`` to the shorter mate is scored for all pairs
at once (numpy, pairs grouped by their two lengths); the chosen overlap has the fewest
mismatches weighted against its length (score ``o - 5 x mismatches``), and must have at most
``max_diffs`` mismatches and at most ``max_diff_fraction`` of the overlap mismatched
(vsearch ``--fastq_maxdiffs 10`` / ``--fastq_maxdiffpct 100`` defaults are looser). In the
overlap a mismatch takes the base of the higher quality. Staggered pairs (R2 reaching past
R1's start) are not merged.
"""

from __future__ import annotations

import numpy as np

from gutlens.reads._fastq import ReadSet

__all__ = ["merge_pairs", "reverse_complement"]

_COMPLEMENT = np.arange(256, dtype=np.uint8)
for _a, _b in (("A", "T"), ("C", "G"), ("G", "C"), ("T", "A"), ("N", "N")):
    _COMPLEMENT[ord(_a)] = ord(_b)


def reverse_complement(reads: ReadSet) -> tuple[np.ndarray, np.ndarray | None]:
    """Reverse complements of the reads (left-aligned) and their reversed qualities."""
    width = reads.bases.shape[1]
    # Reverse each row within its own length: index length-1-j.
    j = np.arange(width)[None, :]
    source = reads.lengths[:, None] - 1 - j
    inside = source >= 0
    source = np.where(inside, source, 0)
    rows = np.arange(len(reads))[:, None]
    bases = np.where(inside, _COMPLEMENT[reads.bases[rows, source]], ord("N")).astype(np.uint8)
    quals = None
    if reads.quals is not None:
        quals = np.where(inside, reads.quals[rows, source], 0).astype(np.uint8)
    return bases, quals


def merge_pairs(
    r1: ReadSet,
    r2: ReadSet,
    *,
    min_overlap: int = 12,
    max_diffs: int = 10,
    max_diff_fraction: float = 0.2,
) -> tuple[list[str], np.ndarray]:
    """Merge each R1/R2 pair into one sequence.

    Returns
    -------
    merged : list of str
        Merged sequences of the pairs that merged.
    merged_mask : ndarray of bool
        Which pairs merged.
    """
    rc_bases, rc_quals = reverse_complement(r2)
    n = len(r1)
    merged_mask = np.zeros(n, dtype=bool)
    out: list[str | None] = [None] * n
    keys = r1.lengths * 100_000 + r2.lengths
    for key in np.unique(keys):
        group = np.flatnonzero(keys == key)
        len1, len2 = int(key // 100_000), int(key % 100_000)
        a = r1.bases[group, :len1]
        b = rc_bases[group, :len2]
        best_score = np.full(len(group), -np.inf)
        best_o = np.zeros(len(group), dtype=np.int64)
        for o in range(min_overlap, min(len1, len2) + 1):
            diffs = (a[:, len1 - o :] != b[:, :o]).sum(axis=1)
            ok = (diffs <= max_diffs) & (diffs <= max_diff_fraction * o)
            score = np.where(ok, o - 5.0 * diffs, -np.inf)
            better = score > best_score
            best_score[better] = score[better]
            best_o[better] = o
        found = np.isfinite(best_score)
        for o in np.unique(best_o[found]):
            rows = np.flatnonzero(found & (best_o == o))
            index = group[rows]
            ov_a = a[rows, len1 - o :]
            ov_b = b[rows, :o]
            overlap = ov_a.copy()
            if r1.quals is not None and rc_quals is not None:
                qa = r1.quals[index, len1 - o : len1]
                qb = rc_quals[index, :o]
                take_b = (ov_a != ov_b) & (qb > qa)
                overlap[take_b] = ov_b[take_b]
            block = np.concatenate((a[rows, : len1 - o], overlap, b[rows, o:]), axis=1)
            width = block.shape[1]
            text = np.ascontiguousarray(block).tobytes().decode("ascii")
            for k, read in enumerate(index):
                out[read] = text[k * width : (k + 1) * width]
            merged_mask[index] = True
    return [s for s in out if s is not None], merged_mask
