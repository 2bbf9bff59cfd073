"""Remove reads of a known contaminant, such as the PhiX spike-in, before denoising.

Follows DADA2's ``filterAndTrim(rm.phix=TRUE)`` / ``isPhiX`` rule (Callahan et al. 2016, Nat
Methods, doi:10.1038/nmeth.3869): a read is a contaminant when at least
:data:`MIN_MATCHES` of its 16-base words occur in the contaminant genome (either strand). In a
read pair, the pair goes when either read matches. gutlens ships no PhiX genome: give the
reference FASTA (e.g. Illumina's PhiX control, NC_001422) with ``--phix``.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from gutlens.errors import ReadsInputError
from gutlens.reads._fastq import ReadSet

__all__ = ["MIN_MATCHES", "WORD", "contaminant_mask", "contaminant_words"]

#: Word size and number of shared words that mark a read (DADA2 ``isPhiX`` defaults).
WORD = 16
MIN_MATCHES = 2

_CODE = np.full(256, 255, dtype=np.uint8)
for _i, _b in enumerate(b"ACGT"):
    _CODE[_b] = _i
    _CODE[ord(chr(_b).lower())] = _i
_COMPLEMENT = bytes.maketrans(b"ACGTacgt", b"TGCAtgca")


def _words(matrix: np.ndarray, lengths: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """All 16-base words of each row as uint32 codes, with a validity mask (no N, in length)."""
    codes = _CODE[matrix]
    n, width = codes.shape
    if width < WORD:
        return np.zeros((n, 0), dtype=np.uint32), np.zeros((n, 0), dtype=bool)
    span = width - WORD + 1
    words = np.zeros((n, span), dtype=np.uint32)
    valid = np.ones((n, span), dtype=bool)
    for offset in range(WORD):
        window = codes[:, offset : offset + span]
        valid &= window != 255
        words = (words << np.uint32(2)) | (window & 3).astype(np.uint32)
    valid &= np.arange(span)[None, :] <= (lengths[:, None] - WORD)
    return words, valid


def contaminant_words(fasta: str | Path) -> np.ndarray:
    """Sorted unique 16-base word codes of every sequence in ``fasta`` and its reverse
    complement.

    Raises
    ------
    ReadsInputError
        If the file cannot be read or holds no sequence of at least 16 bases.
    """
    import dnaio

    path = Path(fasta)
    sequences: list[bytes] = []
    try:
        with dnaio.open(path) as reader:
            for record in reader:
                seq = record.sequence.encode("ascii")
                sequences += [seq, seq.translate(_COMPLEMENT)[::-1]]
    except (OSError, dnaio.exceptions.FileFormatError) as err:
        raise ReadsInputError(f"cannot read the contaminant reference ({err})", path=path) from err
    found = []
    for seq in sequences:
        row = np.frombuffer(seq, dtype=np.uint8)[None, :]
        words, valid = _words(row, np.array([len(seq)]))
        found.append(words[valid])
    words = np.unique(np.concatenate(found)) if found else np.zeros(0, dtype=np.uint32)
    if len(words) == 0:
        msg = f"the contaminant reference holds no sequence of {WORD} or more bases"
        raise ReadsInputError(msg, path=path)
    return words


def contaminant_mask(mates: list[ReadSet], words: np.ndarray) -> np.ndarray:
    """True for each read (pair) sharing at least :data:`MIN_MATCHES` words with ``words``."""
    hit = np.zeros(len(mates[0]), dtype=bool)
    for reads in mates:
        codes, valid = _words(reads.bases, reads.lengths)
        matches = (np.isin(codes, words) & valid).sum(axis=1)
        hit |= matches >= MIN_MATCHES
    return hit
