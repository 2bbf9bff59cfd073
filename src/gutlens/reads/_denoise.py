"""Dereplication, UNOISE-style denoising and de novo bimera removal.

Denoising follows UNOISE2/3 (Edgar 2016, bioRxiv doi:10.1101/081257): unique sequences are
taken in decreasing abundance; a unique ``Q`` is an error variant of an already accepted, more
abundant sequence ``C`` at ``d`` differences when its abundance skew satisfies
:math:`a_Q / a_C \\le \\beta(d) = 1 / 2^{\\alpha d + 1}` (``alpha = 2``); otherwise ``Q`` is a
new amplicon sequence variant (ASV). Uniques below ``min_size`` (8, the UNOISE3 default) are not
candidates. Differences are counted between sequences of equal length only (substitutions;
Illumina indel errors are rare and sequences of different length are never merged). Every unique
is then counted towards the ASV it was absorbed into, or, for uniques below ``min_size``, to the
most abundant ASV of equal length within 3 % differences (as ``usearch -otutab`` maps reads at
97 % identity); the rest are reported as unmapped.

Chimeras: the idea of DADA2's ``isBimeraDenovo`` (Callahan et al. 2016, doi:10.1038/nmeth.3869;
defaults ``minFoldParentOverAbundance = 2``, ``minParentAbundance = 8``, no one-off bimeras):
an ASV is a bimera when its left part matches one more abundant ASV exactly and the rest matches
another exactly. Here parents are compared position by position (equal lengths, no shift).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import numpy as np

__all__ = ["DenoiseResult", "denoise", "dereplicate", "find_bimeras"]

#: UNOISE skew exponent (Edgar 2016, doi:10.1101/081257).
ALPHA = 2.0
#: UNOISE3 minimum abundance of a unique sequence to be a candidate ASV.
MIN_SIZE = 8


@dataclass
class DenoiseResult:
    """ASVs of one sample.

    Attributes
    ----------
    sequences : list of str
        ASV sequences, most abundant first (chimeras removed).
    counts : ndarray of int64
        Reads counted to each ASV.
    chimeras : list of str
        ASVs removed as bimeras.
    chimeric_reads : int
    unmapped_reads : int
        Reads of uniques below ``min_size`` with no ASV within 3 %.
    """

    sequences: list[str]
    counts: np.ndarray
    chimeras: list[str]
    chimeric_reads: int
    unmapped_reads: int


def dereplicate(sequences: list[str]) -> list[tuple[str, int]]:
    """Unique sequences with their abundance, most abundant first (ties by sequence)."""
    return sorted(Counter(sequences).items(), key=lambda item: (-item[1], item[0]))


def _as_matrix(seqs: list[str]) -> np.ndarray:
    if not seqs:
        return np.zeros((0, 0), dtype=np.uint8)
    return np.frombuffer("".join(seqs).encode("ascii"), dtype=np.uint8).reshape(
        len(seqs), len(seqs[0])
    )


def denoise(
    sequences: list[str], *, min_size: int = MIN_SIZE, alpha: float = ALPHA
) -> DenoiseResult:
    """Denoise merged (or single-end) reads into ASVs and remove bimeras."""
    uniques = dereplicate(sequences)
    by_length: dict[int, list[int]] = {}
    centroids: list[int] = []  # indices into uniques
    owner = np.full(len(uniques), -1, dtype=np.int64)
    sizes = np.array([size for _s, size in uniques], dtype=np.int64)
    matrices: dict[int, np.ndarray] = {}
    for index, (seq, size) in enumerate(uniques):
        if size < min_size:
            break
        length = len(seq)
        members = by_length.get(length, [])
        if members:
            query = np.frombuffer(seq.encode("ascii"), dtype=np.uint8)
            diffs = (matrices[length] != query).sum(axis=1)
            beta = 1.0 / 2.0 ** (alpha * diffs + 1.0)
            parent_sizes = sizes[members]
            absorbed = np.flatnonzero(size <= parent_sizes * beta)
            if len(absorbed):
                owner[index] = members[int(absorbed[0])]
                continue
        owner[index] = index
        centroids.append(index)
        by_length.setdefault(length, []).append(index)
        row = np.frombuffer(seq.encode("ascii"), dtype=np.uint8)[None, :]
        matrices[length] = row if length not in matrices else np.vstack((matrices[length], row))
    unmapped = 0
    for index in range(len(uniques)):
        if owner[index] >= 0:
            continue
        seq, size = uniques[index]
        members = by_length.get(len(seq), [])
        if members:
            query = np.frombuffer(seq.encode("ascii"), dtype=np.uint8)
            diffs = (matrices[len(seq)] != query).sum(axis=1)
            near = np.flatnonzero(diffs <= 0.03 * len(seq))
            if len(near):
                owner[index] = members[int(near[0])]
                continue
        unmapped += int(size)
    counts_by_centroid: Counter[int] = Counter()
    for index, parent in enumerate(owner):
        if parent >= 0:
            counts_by_centroid[int(parent)] += int(sizes[index])
    asv_seqs = [uniques[c][0] for c in centroids]
    asv_counts = np.array([counts_by_centroid[c] for c in centroids], dtype=np.int64)
    order = np.argsort(-asv_counts, kind="stable")
    asv_seqs = [asv_seqs[i] for i in order]
    asv_counts = asv_counts[order]
    chimeric = find_bimeras(asv_seqs, asv_counts)
    keep = ~chimeric
    return DenoiseResult(
        sequences=[s for s, k in zip(asv_seqs, keep, strict=True) if k],
        counts=asv_counts[keep],
        chimeras=[s for s, k in zip(asv_seqs, chimeric, strict=True) if k],
        chimeric_reads=int(asv_counts[chimeric].sum()),
        unmapped_reads=unmapped,
    )


def find_bimeras(
    sequences: list[str],
    counts: np.ndarray,
    *,
    min_fold: float = 2.0,
    min_parent_abundance: int = 8,
) -> np.ndarray:
    """Flag exact two-parent chimeras (bimeras) among ASVs (DADA2 ``isBimeraDenovo`` idea).

    ``Q`` is flagged when two parents ``A`` and ``B`` of the same length, each at least
    ``min_fold`` times as abundant as ``Q`` and at least ``min_parent_abundance`` reads, give
    ``Q = A[:i] + B[i:]`` for some ``i`` (longest exact prefix match with one plus longest
    exact suffix match with another covers ``Q``).
    """
    flags = np.zeros(len(sequences), dtype=bool)
    lengths = np.array([len(s) for s in sequences])
    for index, seq in enumerate(sequences):
        candidates = np.flatnonzero(
            (counts >= min_fold * counts[index])
            & (counts >= min_parent_abundance)
            & (lengths == len(seq))
            & ~flags
        )
        candidates = candidates[candidates != index]
        if len(candidates) < 2:
            continue
        parents = _as_matrix([sequences[c] for c in candidates])
        query = np.frombuffer(seq.encode("ascii"), dtype=np.uint8)
        equal = parents == query
        if equal.all(axis=1).any():
            continue
        prefix = np.where(equal.all(axis=1), len(seq), np.argmin(equal, axis=1))
        suffix_equal = equal[:, ::-1]
        suffix = np.where(suffix_equal.all(axis=1), len(seq), np.argmin(suffix_equal, axis=1))
        left, right = int(np.argmax(prefix)), int(np.argmax(suffix))
        if left != right and prefix[left] + suffix[right] >= len(seq):
            flags[index] = True
        elif prefix.max() + np.sort(suffix)[-1] >= len(seq):
            # the best prefix and suffix come from one parent; try the runners-up
            order_p = np.argsort(-prefix)
            order_s = np.argsort(-suffix)
            for p in order_p[:2]:
                for s in order_s[:2]:
                    if p != s and prefix[p] + suffix[s] >= len(seq):
                        flags[index] = True
    return flags
