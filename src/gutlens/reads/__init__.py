"""From raw 16S amplicon reads to a profile: QC, pair merging, denoising, classification.

Depends only on :mod:`gutlens.model`, :mod:`gutlens.taxonomy` and :mod:`gutlens.errors`.
Reading FASTQ needs ``dnaio``; primer removal needs ``cutadapt``.
"""

from __future__ import annotations

from gutlens.reads._classifier import (
    DEFAULT_MIN_CONFIDENCE,
    Classification,
    NaiveBayesClassifier,
    cache_dir,
    load_classifier,
)
from gutlens.reads._denoise import DenoiseResult, denoise, dereplicate, find_bimeras
from gutlens.reads._fastq import ReadSet, find_pairs, read_pair, read_single
from gutlens.reads._merge import merge_pairs
from gutlens.reads._pipeline import ASVTable, profile_reads, profile_samples
from gutlens.reads._qc import FilterSettings, QCSummary, filter_reads
from gutlens.reads._reference import Reference, default_reference_path, load_reference
from gutlens.reads._sheet import read_sample_sheet

__all__ = [
    "DEFAULT_MIN_CONFIDENCE",
    "ASVTable",
    "Classification",
    "DenoiseResult",
    "FilterSettings",
    "NaiveBayesClassifier",
    "QCSummary",
    "ReadSet",
    "Reference",
    "cache_dir",
    "default_reference_path",
    "denoise",
    "dereplicate",
    "filter_reads",
    "find_bimeras",
    "find_pairs",
    "load_classifier",
    "load_reference",
    "merge_pairs",
    "profile_reads",
    "profile_samples",
    "read_pair",
    "read_sample_sheet",
    "read_single",
]
