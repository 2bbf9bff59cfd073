"""Read quality control in the spirit of DADA2's ``filterAndTrim`` and the QC summary.

Per read, in order: primer removal (cutadapt's adapter matching, reads without the primer are
discarded), truncation at the first base with quality <= ``trunc_q`` (DADA2 ``truncQ``), fixed
truncation to ``trunc_len`` (reads shorter than it are discarded), discard if any ``N`` remains
(DADA2 ``maxN = 0``), discard if expected errors :math:`EE = \\sum_i 10^{-Q_i/10}` exceed
``max_ee`` (the expected-error filter of Edgar & Flyvbjerg 2015, *Bioinformatics*, as used by
DADA2 ``maxEE``; its DOI was not verified here and is left out), and discard if shorter than
``min_len``. For pairs both mates must pass.
FASTA reads have no qualities: only primer removal, ``N`` and length rules apply, and the
summary says so.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np

from gutlens.reads._fastq import ReadSet

__all__ = ["FilterSettings", "QCSummary", "filter_reads", "remove_primer"]


@dataclass(frozen=True)
class FilterSettings:
    """Filtering parameters (DADA2 ``filterAndTrim`` names in brackets).

    Attributes
    ----------
    trunc_q : int
        Truncate at the first quality <= this (``truncQ``, DADA2 default 2).
    trunc_len : tuple of int
        Truncate R1 / R2 to these lengths, discarding shorter reads (``truncLen``; 0 = off).
    max_ee : float
        Maximum expected errors per read (``maxEE``; 2 as in the DADA2 tutorial).
    min_len : int
        Minimum length after trimming (``minLen``, DADA2 default 20).
    max_n : int
        Maximum ``N`` bases (``maxN``, DADA2 default 0).
    """

    trunc_q: int = 2
    trunc_len: tuple[int, int] = (0, 0)
    max_ee: float = 2.0
    min_len: int = 20
    max_n: int = 0


@dataclass
class QCSummary:
    """What happened to one sample's reads, from the files to the ASV table.

    Counts are reads (or read pairs for paired input).
    """

    sample_id: str
    paired: bool
    qualities: bool
    reads_in: int = 0
    no_primer: int = 0
    contaminant: int = 0
    too_short: int = 0
    too_many_n: int = 0
    too_many_expected_errors: int = 0
    reads_filtered: int = 0
    merged: int = 0
    not_merged: int = 0
    denoised: int = 0
    below_min_size: int = 0
    chimeric: int = 0
    reads_in_asvs: int = 0
    asvs: int = 0
    chimeric_asvs: int = 0
    classified_genus: int = 0
    classified_phylum: int = 0
    classified_kingdom: int = 0
    notes: list[str] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)
    settings: dict[str, Any] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)

    @property
    def reads_out(self) -> int:
        """Reads that ended in an ASV (the profile's total count)."""
        return self.reads_in_asvs

    def to_dict(self) -> dict[str, Any]:
        """Plain-data form (JSON-ready), including ``reads_out``."""
        data = asdict(self)
        data["reads_out"] = self.reads_out
        return data


def remove_primer(reads: ReadSet, primer: str, *, max_error_rate: float = 0.1) -> np.ndarray:
    """Cut ``primer`` (and anything before it) from the 5' end of each read, in place.

    Uses cutadapt's :class:`~cutadapt.adapters.FrontAdapter` (IUPAC wildcards allowed).

    Returns
    -------
    ndarray of bool
        Which reads held the primer (the others are left unchanged).
    """
    from cutadapt.adapters import FrontAdapter

    adapter = FrontAdapter(primer.upper(), max_errors=max_error_rate, min_overlap=len(primer) - 2)
    found = np.zeros(len(reads), dtype=bool)
    new_lengths = reads.lengths.copy()
    for i in range(len(reads)):
        match = adapter.match_to(reads.sequence(i))
        if match is None:
            continue
        cut = match.rstop
        found[i] = True
        length = int(reads.lengths[i])
        reads.bases[i, : length - cut] = reads.bases[i, cut:length].copy()
        reads.bases[i, length - cut : length] = ord("N")
        if reads.quals is not None:
            reads.quals[i, : length - cut] = reads.quals[i, cut:length].copy()
            reads.quals[i, length - cut : length] = 0
        new_lengths[i] = length - cut
    reads.lengths = new_lengths
    return found


def _truncate(reads: ReadSet, settings: FilterSettings, trunc_len: int) -> np.ndarray:
    """Apply ``truncQ`` and ``truncLen`` to ``reads.lengths``; return reads now too short."""
    width = reads.bases.shape[1]
    position = np.arange(width)[None, :]
    inside = position < reads.lengths[:, None]
    lengths = reads.lengths.copy()
    if reads.quals is not None:
        low = (reads.quals <= settings.trunc_q) & inside
        first_low = np.where(low.any(axis=1), low.argmax(axis=1), lengths)
        lengths = np.minimum(lengths, first_low)
    short = np.zeros(len(reads), dtype=bool)
    if trunc_len > 0:
        short = lengths < trunc_len
        lengths = np.minimum(lengths, trunc_len)
    short |= lengths < settings.min_len
    reads.lengths = lengths
    return short


def _n_count(reads: ReadSet) -> np.ndarray:
    inside = np.arange(reads.bases.shape[1])[None, :] < reads.lengths[:, None]
    return ((reads.bases == ord("N")) & inside).sum(axis=1)


def _expected_errors(reads: ReadSet) -> np.ndarray:
    if reads.quals is None:
        return np.zeros(len(reads))
    inside = np.arange(reads.bases.shape[1])[None, :] < reads.lengths[:, None]
    table = 10.0 ** (-np.arange(256) / 10.0)
    return np.where(inside, table[reads.quals], 0.0).sum(axis=1)


def filter_reads(
    mates: list[ReadSet],
    settings: FilterSettings,
    summary: QCSummary,
    primers: tuple[str, ...] | None = None,
    contaminant: np.ndarray | None = None,
) -> list[ReadSet]:
    """Trim and filter one file or an R1/R2 pair; record the reasons in ``summary``.

    ``contaminant`` holds the word codes of a genome to remove (PhiX; see
    :mod:`gutlens.reads._contaminant`), checked before any trimming as DADA2 does.
    """
    n = len(mates[0])
    summary.reads_in = n
    keep = np.ones(n, dtype=bool)
    if contaminant is not None:
        from gutlens.reads._contaminant import contaminant_mask

        hit = contaminant_mask(mates, contaminant)
        summary.contaminant = int(hit.sum())
        keep &= ~hit
    if primers:
        has_primer = np.ones(n, dtype=bool)
        for reads, primer in zip(mates, primers, strict=False):
            has_primer &= remove_primer(reads, primer)
        summary.no_primer = int((~has_primer).sum())
        keep &= has_primer
    short = np.zeros(n, dtype=bool)
    n_bad = np.zeros(n, dtype=bool)
    ee_bad = np.zeros(n, dtype=bool)
    for index, reads in enumerate(mates):
        short |= _truncate(reads, settings, settings.trunc_len[min(index, 1)])
        n_bad |= _n_count(reads) > settings.max_n
        ee_bad |= _expected_errors(reads) > settings.max_ee
    summary.too_short = int((keep & short).sum())
    keep &= ~short
    summary.too_many_n = int((keep & n_bad).sum())
    keep &= ~n_bad
    summary.too_many_expected_errors = int((keep & ee_bad).sum())
    keep &= ~ee_bad
    summary.reads_filtered = int(keep.sum())
    return [reads.subset(keep) for reads in mates]
