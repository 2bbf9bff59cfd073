"""From raw 16S reads to a profile: QC, merging, denoising, classification."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from time import perf_counter

import numpy as np
import pandas as pd

from gutlens._version import __version__
from gutlens.errors import ReadsInputError
from gutlens.model import ProfileTable, Provenance, SourceInfo, file_sha256
from gutlens.reads._classifier import (
    DEFAULT_MIN_CONFIDENCE,
    Classification,
    NaiveBayesClassifier,
    load_classifier,
)
from gutlens.reads._denoise import MIN_SIZE, DenoiseResult, denoise
from gutlens.reads._fastq import read_pair, read_single
from gutlens.reads._merge import merge_pairs
from gutlens.reads._qc import FilterSettings, QCSummary, filter_reads
from gutlens.reads._reference import load_species_reference
from gutlens.taxonomy import Lineage

__all__ = ["ASVTable", "profile_reads", "profile_samples"]

#: Below this share of reads classified to a phylum the sample is flagged as off-target (a
#: gut 16S sample classifies almost entirely to phylum; reverse-complemented reads reach ~0).
LOW_CLASSIFIED_FLAG = 0.5

Progress = Callable[[str, float], None]


@dataclass
class ASVTable:
    """The ASVs behind a reads profile: sequences, read counts and their classification.

    ``lineages[i]`` is the confident lineage of ``sequences[i]`` (empty when unassigned);
    ``confidence[i]`` the bootstrap support of each level of the best hit.
    """

    sample_id: str
    sequences: list[str]
    counts: np.ndarray
    lineages: list[Lineage]
    confidence: np.ndarray
    chimeras: list[str]

    def to_frame(self) -> pd.DataFrame:
        """One row per ASV: ``asv_id``, ``sequence``, ``count``, ``lineage``, ``confidence``."""
        return pd.DataFrame(
            {
                "asv_id": [f"ASV{i + 1}" for i in range(len(self.sequences))],
                "sequence": self.sequences,
                "count": self.counts,
                "lineage": [str(lin) for lin in self.lineages],
                "genus_confidence": [
                    float(row[5]) if row.shape[0] > 5 and not np.isnan(row[5]) else None
                    for row in self.confidence
                ],
            }
        )


def _sample_id_of(path: Path) -> str:
    name = re.sub(r"\.(fastq|fq|fasta|fa|fna)(\.gz)?$", "", path.name, flags=re.IGNORECASE)
    name = re.sub(r"_R1(_\d+)?$", "", name)
    return re.sub(r"_S\d+(_L\d{3})?$", "", name)


def _no_progress(_stage: str, _fraction: float) -> None:
    return None


def profile_reads(
    r1: str | Path,
    r2: str | Path | None = None,
    *,
    primers: tuple[str, str] | None = None,
    reference: str | Path | None = None,
    reference_taxonomy: str | Path | None = None,
    species_reference: str | Path | None = None,
    sample_id: str | None = None,
    settings: FilterSettings | None = None,
    min_size: int = MIN_SIZE,
    min_confidence: float = DEFAULT_MIN_CONFIDENCE,
    seed: int = 0,
    try_reverse: bool = False,
    classifier: NaiveBayesClassifier | None = None,
    progress: Progress | None = None,
    phix: str | Path | None = None,
) -> tuple[ProfileTable, QCSummary, ASVTable]:
    """Turn one sample's 16S reads into a profile.

    Steps: read and check the files; filter and trim (:class:`FilterSettings`); merge pairs;
    dereplicate and denoise into ASVs (UNOISE-style) and remove bimeras; classify each ASV with
    the naive Bayesian classifier (RDP 19 unless ``reference`` is given); sum ASV counts up
    each lineage into a :class:`~gutlens.model.ProfileTable` (``kind="count"``).

    Parameters
    ----------
    r1, r2 : path
        FASTQ (gz or plain) or FASTA; ``r2`` for paired-end runs.
    primers : (forward, reverse), optional
        Removed from the 5' ends of R1 and R2 with cutadapt; reads without them are dropped.
    reference, reference_taxonomy : path, optional
        DADA2-layout training FASTA, or FASTA + QIIME 2 taxonomy TSV.
    species_reference : path, optional
        DADA2 ``addSpecies`` FASTA: exact full-length matches add a species.
    min_confidence : float
        Bootstrap cutoff (default 0.8).
    try_reverse : bool
        Classify ASVs in whichever orientation matches the reference better (DADA2 ``tryRC``).
    phix : path, optional
        FASTA of a contaminant genome (the PhiX spike-in); reads sharing two or more 16-base
        words with it are removed, as DADA2's ``rm.phix`` does.

    Returns
    -------
    (ProfileTable, QCSummary, ASVTable)

    Raises
    ------
    ReadsInputError
        Malformed or mismatched files, or no reads left after quality control.
    """
    report = progress or _no_progress
    settings = settings or FilterSettings()
    first = Path(r1)
    sample = sample_id or _sample_id_of(first)
    clock = perf_counter()
    report("reading", 0.0)
    mates = [read_single(first)] if r2 is None else list(read_pair(first, r2))
    summary = QCSummary(sample_id=sample, paired=r2 is not None, qualities=mates[0].has_qualities)
    summary.settings = {
        "trunc_q": settings.trunc_q,
        "trunc_len": list(settings.trunc_len),
        "max_ee": settings.max_ee,
        "min_len": settings.min_len,
        "max_n": settings.max_n,
        "min_size": min_size,
        "min_confidence": min_confidence,
        "primers": list(primers) if primers else None,
        "try_reverse": try_reverse,
    }
    if not summary.qualities:
        summary.notes.append(
            "FASTA input without qualities: quality truncation and expected-error "
            "filtering were skipped"
        )
    summary.seconds["read"] = perf_counter() - clock
    report("filtering", 0.15)
    clock = perf_counter()
    contaminant = None
    if phix is not None:
        from gutlens.reads._contaminant import contaminant_words

        contaminant = contaminant_words(phix)
        summary.settings["phix"] = Path(phix).name
    mates = filter_reads(mates, settings, summary, primers, contaminant)
    summary.seconds["filter"] = perf_counter() - clock
    if summary.reads_filtered == 0:
        msg = (
            f"no reads passed quality control ({summary.reads_in} in: {summary.no_primer} "
            f"without primer, {summary.contaminant} contaminant (--phix), "
            f"{summary.too_short} too short, {summary.too_many_n} with N, "
            f"{summary.too_many_expected_errors} over maxEE)"
        )
        raise ReadsInputError(msg, path=first)
    report("merging", 0.3)
    clock = perf_counter()
    if len(mates) == 2:
        sequences, merged = merge_pairs(mates[0], mates[1])
        summary.merged = int(merged.sum())
        summary.not_merged = int((~merged).sum())
    else:
        sequences = [mates[0].sequence(i) for i in range(len(mates[0]))]
    summary.seconds["merge"] = perf_counter() - clock
    report("denoising", 0.45)
    clock = perf_counter()
    asvs = denoise(sequences, min_size=min_size)
    summary.seconds["denoise"] = perf_counter() - clock
    summary.chimeric = asvs.chimeric_reads
    summary.chimeric_asvs = len(asvs.chimeras)
    summary.below_min_size = asvs.unmapped_reads
    summary.denoised = len(sequences)
    summary.asvs = len(asvs.sequences)
    summary.reads_in_asvs = int(asvs.counts.sum())
    if not asvs.sequences:
        msg = (
            f"no ASV reached {min_size} reads ({len(sequences)} sequences after QC); "
            "lower min_size for very small samples"
        )
        raise ReadsInputError(msg, path=first)
    report("classifying", 0.6)
    clock = perf_counter()
    model = classifier or load_classifier(reference, reference_taxonomy)
    summary.seconds["load_classifier"] = perf_counter() - clock
    clock = perf_counter()
    calls = model.classify(
        asvs.sequences, min_confidence=min_confidence, seed=seed, try_reverse=try_reverse
    )
    if try_reverse and calls.reversed.any():
        summary.notes.append(
            f"{int(calls.reversed.sum())} of {len(calls)} ASVs were classified as their "
            "reverse complement (better match to the reference)"
        )
    if species_reference is not None:
        _add_species(calls, asvs, species_reference)
    summary.seconds["classify"] = perf_counter() - clock
    report("profile", 0.95)
    table, asv_table = _to_profile(first, sample, asvs, calls, model, summary)
    report("done", 1.0)
    return table, summary, asv_table


def _add_species(calls: Classification, asvs: DenoiseResult, path: str | Path) -> None:
    """Exact-match species (DADA2 ``addSpecies``): the ASV must be a substring of a reference
    sequence whose genus matches the assigned genus; ambiguous matches stay at genus."""
    reference = load_species_reference(path)
    calls.species = [None] * len(asvs.sequences)
    for index, seq in enumerate(asvs.sequences):
        genus_levels = calls.levels(index)
        genus = genus_levels[5] if len(genus_levels) > 5 else None
        if genus is None:
            continue
        hits = {
            epithet
            for ref_seq, names in reference.items()
            if seq in ref_seq
            for ref_genus, epithet in names
            if ref_genus == genus
        }
        if len(hits) == 1:
            calls.species[index] = hits.pop()


def _to_profile(
    path: Path,
    sample: str,
    asvs: DenoiseResult,
    calls: Classification,
    model: NaiveBayesClassifier,
    summary: QCSummary,
) -> tuple[ProfileTable, ASVTable]:
    lineages = [calls.lineage(i) for i in range(len(asvs.sequences))]
    counts = asvs.counts.astype(float)
    genus = np.array([lin.get("genus") is not None for lin in lineages])
    phylum = np.array([lin.get("phylum") is not None for lin in lineages])
    kingdom = np.array([len(lin) > 0 for lin in lineages])
    summary.classified_genus = int(counts[genus].sum())
    summary.classified_phylum = int(counts[phylum].sum())
    summary.classified_kingdom = int(counts[kingdom].sum())
    total = counts.sum()
    if total > 0 and summary.classified_phylum / total < LOW_CLASSIFIED_FLAG:
        summary.flags.append(
            f"only {summary.classified_phylum / total:.0%} of reads were classified to a "
            "phylum: reads reverse-complemented (try --try-reverse), from another gene "
            "region, or from organisms the reference does not cover?"
        )
    source = SourceInfo(
        format="reads",
        tool="gutlens reads",
        tool_version=__version__,
        database=model.reference,
    )
    provenance = Provenance(path=str(path), sha256=file_sha256(path), format="reads")
    metadata = pd.DataFrame(
        {"asv_count": [len(asvs.sequences)], "reads_in": [summary.reads_in]},
        index=pd.Index([sample]),
    )
    table = ProfileTable.from_leaves(
        lineages,
        counts.reshape(-1, 1),
        [sample],
        source=source,
        provenance=provenance,
        kind="count",
        metadata=metadata,
    )
    asv_table = ASVTable(
        sample_id=sample,
        sequences=asvs.sequences,
        counts=asvs.counts,
        lineages=lineages,
        confidence=calls.confidence,
        chimeras=asvs.chimeras,
    )
    return table, asv_table


def profile_samples(
    paths: list[Path] | None = None,
    *,
    groups: list[tuple[str, Path, Path | None]] | None = None,
    progress: Progress | None = None,
    **options: object,
) -> tuple[ProfileTable, list[QCSummary], list[ASVTable]]:
    """Profile many samples: FASTQ/FASTA files paired by their ``_R1_``/``_R2_`` names, or the
    ``(sample, R1, R2)`` groups of a sample sheet (:func:`gutlens.reads.read_sample_sheet`).

    The classifier is loaded once; ``options`` are passed to :func:`profile_reads`.

    Raises
    ------
    ReadsInputError
        If no reads files are given, or two files map to one sample id.
    """
    from gutlens.reads._fastq import find_pairs

    if groups is None:
        groups = find_pairs(sorted(paths or []))
    if not groups:
        raise ReadsInputError("no FASTQ/FASTA files given")
    seen: dict[str, Path] = {}
    for sample, r1, _r2 in groups:
        if sample in seen:
            msg = f"files {seen[sample].name} and {r1.name} both give sample id {sample!r}"
            raise ReadsInputError(msg, path=r1)
        seen[sample] = r1
    model = options.pop("classifier", None) or load_classifier(
        options.pop("reference", None),  # type: ignore[arg-type]
        options.pop("reference_taxonomy", None),  # type: ignore[arg-type]
    )
    tables, summaries, asv_tables = [], [], []
    for number, (sample, r1, r2) in enumerate(groups):
        if progress is not None:
            progress(sample, number / len(groups))
        table, summary, asvs = profile_reads(
            r1,
            r2,
            sample_id=sample,
            classifier=model,  # type: ignore[arg-type]
            **options,  # type: ignore[arg-type]
        )
        tables.append(table)
        summaries.append(summary)
        asv_tables.append(asvs)
    return ProfileTable.concat(tables), summaries, asv_tables
