"""Fixtures for the reads tests: real FASTQ files and one trained classifier per session."""

from __future__ import annotations

from pathlib import Path

import pytest

from gutlens.reads import NaiveBayesClassifier, load_classifier


@pytest.fixture(scope="session")
def miseq(inputs: Path) -> Path:
    """DADA2's extdata MiSeq SOP subset (sam1/sam2, 1,500 pairs each)."""
    return inputs / "fastq_16s" / "dada2_extdata_miseq_sop"


@pytest.fixture(scope="session")
def ombre(inputs: Path) -> Path:
    """The consumer V4 sample (27,423 pairs) with the vendor's export."""
    return inputs / "fastq_16s" / "ombre_consumer_v4_sample6"


@pytest.fixture(scope="session")
def rdp19() -> NaiveBayesClassifier:
    """The default classifier (shipped RDP 19), trained once and cached on disk."""
    return load_classifier()
