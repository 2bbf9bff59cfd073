"""Nucleotide encoding and 8-mer words as integers (vectorised over many sequences)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

__all__ = ["WORD_SIZE", "encode", "unique_sorted", "word_codes", "words_of_many"]

#: Word length of the RDP naive Bayesian classifier (Wang et al. 2007, doi:10.1128/AEM.00062-07).
WORD_SIZE = 8

_LOOKUP = np.full(256, 4, dtype=np.uint8)
for _code, _letters in enumerate(("Aa", "Cc", "Gg", "TtUu")):
    for _letter in _letters:
        _LOOKUP[ord(_letter)] = _code


def encode(sequence: str | bytes) -> np.ndarray:
    """Bases as ``uint8`` codes: A=0, C=1, G=2, T/U=3, anything else 4."""
    raw = sequence.encode("ascii", "replace") if isinstance(sequence, str) else sequence
    return _LOOKUP[np.frombuffer(raw, dtype=np.uint8)]


def word_codes(codes: np.ndarray, k: int = WORD_SIZE) -> tuple[np.ndarray, np.ndarray]:
    """All overlapping ``k``-mers of an encoded sequence as integers in ``[0, 4**k)``.

    Returns
    -------
    words : ndarray of int64, shape (len - k + 1,)
    valid : ndarray of bool
        False where the window holds a base other than A, C, G, T.
    """
    n = len(codes) - k + 1
    if n <= 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=bool)
    words = np.zeros(n, dtype=np.int64)
    bad = np.zeros(n, dtype=bool)
    for j in range(k):
        window = codes[j : j + n]
        words = (words << 2) | (window & 3)
        bad |= window > 3
    return words, ~bad


def words_of_many(
    sequences: Sequence[str | bytes], k: int = WORD_SIZE
) -> tuple[np.ndarray, np.ndarray]:
    """Valid ``k``-mer words of many sequences at once.

    Returns
    -------
    owner : ndarray of int64
        Index of the sequence each word comes from.
    words : ndarray of int64
        The word codes (ambiguous windows and windows spanning two sequences dropped).
    """
    if not sequences:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    raw = [s.encode("ascii", "replace") if isinstance(s, str) else s for s in sequences]
    lengths = np.fromiter((len(s) for s in raw), dtype=np.int64, count=len(raw))
    # A separator base (code 4) between sequences keeps windows from spanning two of them.
    joined = _LOOKUP[np.frombuffer(b"N".join(raw), dtype=np.uint8)]
    starts = np.concatenate(([0], np.cumsum(lengths + 1)[:-1]))
    words, valid = word_codes(joined, k)
    owner_of_base = np.repeat(np.arange(len(raw)), lengths + 1)[: len(joined)]
    owner = owner_of_base[: len(words)]
    keep = valid & (np.arange(len(words)) + k <= (starts + lengths)[owner])
    return owner[keep], words[keep]


def unique_sorted(values: np.ndarray) -> np.ndarray:
    """Sorted distinct values (a sort and a diff: faster than ``np.unique`` in numpy 2.4)."""
    ordered = np.sort(values)
    if len(ordered) == 0:
        return ordered
    keep = np.empty(len(ordered), dtype=bool)
    keep[0] = True
    np.not_equal(ordered[1:], ordered[:-1], out=keep[1:])
    return ordered[keep]
