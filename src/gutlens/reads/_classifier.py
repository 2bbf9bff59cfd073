"""The naive Bayesian k-mer classifier of the RDP (Wang et al. 2007), vectorised with numpy.

Method (Wang, Garrity, Tiedje & Cole 2007, *Appl Environ Microbiol* 73:5261,
doi:10.1128/AEM.00062-07):

* Words are the overlapping 8-mers of a sequence; a training sequence counts a word once.
* The prior of word ``w`` is :math:`P_w = (n(w) + 0.5) / (N + 1)` with ``n(w)`` the number of
  reference sequences holding ``w`` and ``N`` the number of reference sequences.
* The probability of ``w`` in taxon ``G`` (a leaf lineage, normally a genus) is
  :math:`P(w \\mid G) = (n(w, G) + P_w) / (N_G + 1)`.
* A query is assigned the taxon maximising :math:`\\sum_w \\log P(w \\mid G)` over its words.
* Confidence: 100 bootstrap trials each draw 1/8 of the query's words with replacement; the
  confidence at a rank is the share of trials whose best taxon agrees with the assignment at
  that rank. Ranks below the cutoff (default 80 %, the value Wang et al. recommend for
  reads of 250 bases and longer) are left unassigned.

Implementation: ``log P(w|G) = log P_w - log(N_G + 1) + c(w, G)`` where the correction
``c = log(n(w,G) + P_w) - log P_w`` is non-zero only where ``n(w, G) > 0``; ``c`` is stored as a
sparse word x taxon matrix (the dense 65,536 x 3,883 float matrix of RDP 19 would need 1 GB).
The ``log P_w`` term is the same for every taxon and is dropped from comparisons. Per query, the
rows of its words are densified (words x taxa) and all bootstrap trials are one matrix product
of a (trials x words) draw-count matrix with it. Trials are drawn from a generator seeded by
``seed`` and the query's position, so results are reproducible.
"""

from __future__ import annotations

import contextlib
import json
import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from time import perf_counter

import numpy as np
from scipy import sparse

from gutlens.errors import ReadsInputError
from gutlens.reads._kmers import WORD_SIZE, unique_sorted, words_of_many
from gutlens.reads._reference import Reference, load_reference
from gutlens.taxonomy import Lineage, parse_lineage

__all__ = [
    "DEFAULT_MIN_CONFIDENCE",
    "Classification",
    "NaiveBayesClassifier",
    "cache_dir",
    "load_classifier",
]

#: Bootstrap confidence cutoff (Wang et al. 2007, doi:10.1128/AEM.00062-07: 80 % for
#: sequences of 250 bases and longer).
DEFAULT_MIN_CONFIDENCE = 0.8
#: Bootstrap trials per query (Wang et al. 2007).
BOOTSTRAPS = 100
_MODEL_VERSION = 1
_N_WORDS = 4**WORD_SIZE
#: Words per batch of queries: the batch's dense (words x taxa) float32 block stays ~60 MB.
_BATCH_WORDS = 4000


def cache_dir() -> Path:
    """Where trained models are kept: ``$GUTLENS_CACHE_DIR`` or ``~/.cache/gutlens``."""
    root = os.environ.get("GUTLENS_CACHE_DIR")
    base = Path(root) if root else Path.home() / ".cache" / "gutlens"
    return base / "reads"


@dataclass
class Classification:
    """Assignments for a batch of query sequences.

    Attributes
    ----------
    best : list of tuple of str
        The best taxon's full lineage levels for each query (before the cutoff).
    confidence : ndarray, shape (n_queries, depth)
        Bootstrap support of each level of ``best`` (NaN past the lineage's depth).
    min_confidence : float
        The cutoff applied by :meth:`levels`.
    """

    best: list[tuple[str, ...]]
    confidence: np.ndarray
    min_confidence: float
    seconds: float = 0.0
    scores: np.ndarray = field(default_factory=lambda: np.zeros(0))
    reversed: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=bool))
    species: list[str | None] = field(default_factory=list)

    def levels(self, index: int) -> tuple[str, ...]:
        """The levels of query ``index`` supported at or above the cutoff."""
        support = self.confidence[index]
        kept = []
        for depth, name in enumerate(self.best[index]):
            if not support[depth] >= self.min_confidence - 1e-9:
                break
            kept.append(name)
        return tuple(kept)

    def lineage(self, index: int) -> Lineage:
        """Query ``index`` as a :class:`~gutlens.taxonomy.Lineage` (empty when unassigned)."""
        kept = self.levels(index)
        if not kept:
            return Lineage(())
        lineage = parse_lineage(";".join(kept))
        species = self.species[index] if self.species else None
        if species and lineage.rank == "genus":
            lineage = Lineage((*lineage.levels, ("species", f"{lineage.name} {species}")))
        return lineage

    def __len__(self) -> int:
        return len(self.best)


class NaiveBayesClassifier:
    """A trained RDP-style classifier (see the module docstring for the method).

    Build with :meth:`train` or :func:`load_classifier` (which caches the trained model).
    """

    def __init__(
        self,
        correction: sparse.csr_array,
        log_norm: np.ndarray,
        taxa: list[tuple[str, ...]],
        reference: str,
        sha256: str,
    ) -> None:
        self.correction = correction
        self.log_norm = log_norm.astype(np.float32)
        self.taxa = taxa
        self.reference = reference
        self.sha256 = sha256
        depth = max(len(t) for t in taxa)
        # prefix_ids[d, g]: id of taxon g's ancestor at depth d (-1 past its depth).
        self.prefix_ids = np.full((depth, len(taxa)), -1, dtype=np.int64)
        for d in range(depth):
            seen: dict[tuple[str, ...], int] = {}
            for g, levels in enumerate(taxa):
                if len(levels) > d:
                    self.prefix_ids[d, g] = seen.setdefault(levels[: d + 1], len(seen))

    # -- training -------------------------------------------------------------------------
    @classmethod
    def train(cls, reference: Reference) -> NaiveBayesClassifier:
        """Word probabilities per leaf taxon from ``reference`` (Wang et al. 2007)."""
        taxa = sorted(set(reference.lineages))
        taxon_index = {t: i for i, t in enumerate(taxa)}
        taxon_of_seq = np.array([taxon_index[t] for t in reference.lineages], dtype=np.int64)
        n_seq = len(reference)
        pair_blocks = []
        step = 2000
        for start in range(0, n_seq, step):
            owner, words = words_of_many(reference.sequences[start : start + step])
            pairs = unique_sorted((owner + start) * _N_WORDS + words)  # a word once per sequence
            pair_blocks.append(pairs)
        pairs = np.concatenate(pair_blocks)
        word_of_pair = pairs % _N_WORDS
        n_w = np.bincount(word_of_pair, minlength=_N_WORDS).astype(np.float64)
        prior = (n_w + 0.5) / (n_seq + 1)
        # n(w, G): sort (word, taxon) codes once and count runs; the result is CSR-ordered.
        n_taxa = len(taxa)
        codes = np.sort(word_of_pair * n_taxa + taxon_of_seq[pairs // _N_WORDS])
        del pairs, word_of_pair
        starts = np.flatnonzero(np.concatenate(([True], codes[1:] != codes[:-1])))
        n_wg = np.diff(np.append(starts, len(codes))).astype(np.float64)
        distinct = codes[starts]
        del codes
        words = distinct // n_taxa
        p_w = prior[words]
        values = (np.log(n_wg + p_w) - np.log(p_w)).astype(np.float32)
        indptr = np.concatenate(([0], np.cumsum(np.bincount(words, minlength=_N_WORDS))))
        counts = sparse.csr_array(
            (values, (distinct % n_taxa).astype(np.int32), indptr), shape=(_N_WORDS, n_taxa)
        )
        n_g = np.bincount(taxon_of_seq, minlength=len(taxa)).astype(np.float64)
        return cls(counts, np.log(n_g + 1.0), taxa, reference.name, reference.sha256)

    # -- persistence ----------------------------------------------------------------------
    def save(self, path: Path) -> None:
        """Write the trained model (numpy ``.npz``)."""
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp.npz")
        np.savez(
            tmp,
            data=self.correction.data,
            indices=self.correction.indices.astype(np.int32),
            indptr=self.correction.indptr.astype(np.int64),
            log_norm=self.log_norm,
            meta=np.array(
                json.dumps(
                    {
                        "version": _MODEL_VERSION,
                        "taxa": [list(t) for t in self.taxa],
                        "reference": self.reference,
                        "sha256": self.sha256,
                    }
                )
            ),
        )
        tmp.replace(path)

    @classmethod
    def load(cls, path: Path) -> NaiveBayesClassifier:
        """Read a model written by :meth:`save`."""
        with np.load(path, allow_pickle=False) as stored:
            meta = json.loads(str(stored["meta"]))
            if meta.get("version") != _MODEL_VERSION:
                msg = f"cached model version {meta.get('version')} != {_MODEL_VERSION}"
                raise ValueError(msg)
            n_taxa = len(meta["taxa"])
            matrix = sparse.csr_array(
                (stored["data"], stored["indices"], stored["indptr"]), shape=(_N_WORDS, n_taxa)
            )
            return cls(
                matrix,
                stored["log_norm"],
                [tuple(t) for t in meta["taxa"]],
                meta["reference"],
                meta["sha256"],
            )

    # -- classification -------------------------------------------------------------------
    def _score_batch(
        self,
        words: np.ndarray,
        bounds: np.ndarray,
        first: int,
        last: int,
        bootstraps: int,
        seed: int,
    ) -> tuple[list[int], np.ndarray, np.ndarray]:
        """Best taxon (and its log-probability) of queries ``first..last`` on all their words,
        and the best taxon of each trial.

        Both are sparse products: a (queries x words) or (trials x words) count matrix times
        the words' rows of the correction matrix; the per-taxon ``-k log(N_G + 1)`` term is
        added densely.
        """
        n_q = last - first
        lo, hi = bounds[first], bounds[last]
        rows = _gather_rows(self.correction, words[lo:hi])
        sizes = np.diff(bounds[first : last + 1])
        offsets = bounds[first:last] - lo
        word_owner = np.repeat(np.arange(n_q), sizes)
        whole = sparse.csr_array(
            (np.ones(hi - lo, dtype=np.float32), (word_owner, np.arange(hi - lo))),
            shape=(n_q, hi - lo),
        )
        full = (whole @ rows).toarray()
        full -= sizes[:, None].astype(np.float32) * self.log_norm[None, :]
        tops = [int(np.argmax(full[q])) if sizes[q] > 0 else -1 for q in range(n_q)]
        top_scores = np.array(
            [full[q, t] if t >= 0 else -np.inf for q, t in enumerate(tops)], dtype=np.float64
        )
        trial_best = np.zeros((n_q, bootstraps), dtype=np.int64)
        dense = rows.toarray()
        for q in range(n_q):
            size = int(sizes[q])
            if size == 0:
                continue
            n_draw = max(1, size // 8)
            rng = np.random.default_rng((seed, first + q))
            draws = rng.integers(0, size, size=(bootstraps, n_draw))
            tally = sparse.csr_array(
                (
                    np.ones(draws.size, dtype=np.float32),
                    (np.repeat(np.arange(bootstraps), n_draw), draws.ravel()),
                ),
                shape=(bootstraps, size),
            )
            trials = tally @ dense[offsets[q] : offsets[q] + size]
            trials -= np.float32(n_draw) * self.log_norm[None, :]
            trial_best[q] = np.argmax(trials, axis=1)
        return tops, trial_best, top_scores

    def classify(
        self,
        sequences: list[str],
        *,
        min_confidence: float = DEFAULT_MIN_CONFIDENCE,
        bootstraps: int = BOOTSTRAPS,
        seed: int = 0,
        threads: int = 1,
        try_reverse: bool = False,
    ) -> Classification:
        """Assign each sequence its most probable taxon with bootstrap confidence per rank.

        Parameters
        ----------
        sequences : list of str
        min_confidence : float
            Cutoff in [0, 1] for :meth:`Classification.levels` (default 0.8).
        bootstraps : int
            Trials per query (100 in Wang et al. 2007).
        seed : int
            Seed of the trials; query ``i`` uses ``(seed, i)``.
        threads : int
            Worker threads for batches of queries (results do not depend on it; no gain was
            measured on a loaded 2-core machine, so the default is 1).
        try_reverse : bool
            Also classify each reverse complement and keep the orientation whose best taxon
            scores higher (DADA2 ``assignTaxonomy(tryRC = TRUE)``); ``reversed`` marks them.
        """
        if not 0.0 <= min_confidence <= 1.0:
            msg = f"min_confidence must be within [0, 1], got {min_confidence}"
            raise ReadsInputError(msg)
        started = perf_counter()
        if threads is None:
            threads = min(
                4, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 1
            )
        owner, words = words_of_many([s.upper() for s in sequences])
        bounds = np.searchsorted(owner, np.arange(len(sequences) + 1))
        depth = self.prefix_ids.shape[0]
        confidence = np.full((len(sequences), depth), np.nan)
        best: list[tuple[str, ...]] = [() for _ in sequences]
        starts = _batch_starts(bounds)
        ends = dict(zip(starts, [*starts[1:], len(sequences)], strict=True))

        def score(first: int) -> tuple[list[int], np.ndarray, np.ndarray]:
            return self._score_batch(words, bounds, first, ends[first], bootstraps, seed)

        # numpy and scipy's sparse kernels release the GIL: batches run on `threads` threads.
        with ThreadPoolExecutor(max_workers=max(1, threads)) as pool:
            results = list(pool.map(score, starts))
        top_scores = np.full(len(sequences), -np.inf)
        for first, (tops, trial_best, batch_scores) in zip(starts, results, strict=True):
            top_scores[first : first + len(tops)] = batch_scores
            for i, top in enumerate(tops, start=first):
                if top < 0:
                    continue
                levels = self.taxa[top]
                best[i] = levels
                ids = self.prefix_ids[: len(levels)]
                agree = ids[:, trial_best[i - first]] == ids[:, top][:, None]
                confidence[i, : len(levels)] = agree.mean(axis=1)
        result = Classification(
            best=best,
            confidence=confidence,
            min_confidence=min_confidence,
            seconds=perf_counter() - started,
            scores=top_scores,
            reversed=np.zeros(len(sequences), dtype=bool),
        )
        if try_reverse:
            flipped = self.classify(
                [_reverse_complement(q) for q in sequences],
                min_confidence=min_confidence,
                bootstraps=bootstraps,
                seed=seed,
                threads=threads,
            )
            better = flipped.scores > result.scores
            for flip in np.flatnonzero(better).tolist():
                result.best[flip] = flipped.best[flip]
            result.confidence[better] = flipped.confidence[better]
            result.scores[better] = flipped.scores[better]
            result.reversed = better
            result.seconds = perf_counter() - started
        return result


_COMPLEMENT = str.maketrans("ACGTNacgtn", "TGCANtgcan")


def _reverse_complement(sequence: str) -> str:
    return sequence.translate(_COMPLEMENT)[::-1]


def _batch_starts(bounds: np.ndarray) -> list[int]:
    """First query of each batch, cutting batches at about ``_BATCH_WORDS`` words."""
    starts = [0]
    n_queries = len(bounds) - 1
    while starts[-1] < n_queries:
        first = starts[-1]
        limit = bounds[first] + _BATCH_WORDS
        last = int(np.searchsorted(bounds, limit, side="right")) - 1
        starts.append(max(first + 1, min(last, n_queries)))
    return starts[:-1]


def _gather_rows(matrix: sparse.csr_array, rows: np.ndarray) -> sparse.csr_array:
    """``matrix[rows]`` built straight from the CSR arrays (faster than fancy indexing)."""
    starts = matrix.indptr[rows]
    lengths = matrix.indptr[rows + 1] - starts
    indptr = np.concatenate(([0], np.cumsum(lengths)))
    take = np.repeat(starts - indptr[:-1], lengths) + np.arange(indptr[-1])
    return sparse.csr_array(
        (matrix.data[take], matrix.indices[take], indptr), shape=(len(rows), matrix.shape[1])
    )


def load_classifier(
    fasta: str | Path | None = None,
    taxonomy: str | Path | None = None,
    *,
    cache: bool = True,
) -> NaiveBayesClassifier:
    """The classifier trained on a reference (default: shipped RDP 19), cached on disk.

    The cache file is ``cache_dir()/nbc-<sha256 of the reference files>.npz``; a model is
    trained once per reference and then loaded.
    """
    reference = load_reference(fasta, taxonomy)
    path = cache_dir() / f"nbc-v{_MODEL_VERSION}-{reference.sha256[:32]}.npz"
    if cache and path.is_file():
        try:
            return NaiveBayesClassifier.load(path)
        except (OSError, ValueError, KeyError):
            pass  # a damaged or old cache file is rebuilt below
    model = NaiveBayesClassifier.train(reference)
    if cache:
        # a read-only home still classifies, only without the cache
        with contextlib.suppress(OSError):
            model.save(path)
    return model
