"""Training, caching and species assignment with DADA2's small example reference (fast)."""

from __future__ import annotations

from pathlib import Path

import dnaio
import numpy as np
import pandas as pd
import pytest

from gutlens.reads import load_classifier
from gutlens.reads._denoise import DenoiseResult
from gutlens.reads._pipeline import _add_species


@pytest.fixture()
def example(inputs: Path) -> Path:
    return inputs / "reference_db/dada2_example"


def test_trains_once_then_loads_from_cache(
    example: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GUTLENS_CACHE_DIR", str(tmp_path))
    model = load_classifier(example / "example_train_set.fa.gz")
    cached = list((tmp_path / "reads").glob("nbc-*.npz"))
    assert len(cached) == 1
    stamp = cached[0].stat().st_mtime_ns
    again = load_classifier(example / "example_train_set.fa.gz")
    assert cached[0].stat().st_mtime_ns == stamp
    assert again.taxa == model.taxa
    assert again.sha256 == model.sha256


def test_agrees_with_dada2_on_miseq_asvs(
    example: Path, inputs: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """DADA2 1.26 assignTaxonomy(example_train_set, minBoot 50) + addSpecies on the 8 MiSeq SOP
    ASVs: the same genus wherever both call one, and no species (DADA2 found none either)."""
    monkeypatch.setenv("GUTLENS_CACHE_DIR", str(tmp_path))
    taxa = pd.read_csv(inputs / "dada2/run_here_miseq_sop_extdata/taxa.csv", index_col=0)
    model = load_classifier(example / "example_train_set.fa.gz")
    seqs = list(taxa.index)
    calls = model.classify(seqs, min_confidence=0.5)
    ours = [calls.lineage(i).get("genus") for i in range(len(seqs))]
    theirs = [None if pd.isna(g) else str(g) for g in taxa["Genus"]]
    both = [(a, b) for a, b in zip(ours, theirs, strict=True) if a and b]
    assert len(both) >= 6
    assert all(a == b for a, b in both)
    asvs = DenoiseResult(seqs, pd.Series([1] * len(seqs)).to_numpy(), [], 0, 0)
    _add_species(calls, asvs, example / "example_species_assignment.fa.gz")
    assert calls.species == [None] * len(seqs)


def test_exact_species_match_needs_the_same_genus(
    example: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """addSpecies-style: a sequence identical to a species reference record gets its species
    when the classifier's genus agrees (Lactobacillus salivarius), not otherwise (the
    Rhodococcus erythropolis record is called Williamsia by the tiny training set)."""
    monkeypatch.setenv("GUTLENS_CACHE_DIR", str(tmp_path))
    model = load_classifier(example / "example_train_set.fa.gz")
    with dnaio.open(example / "example_species_assignment.fa.gz") as reader:
        records = [(r.name, r.sequence) for r in reader][:3]
    seqs = [s for _n, s in records]
    calls = model.classify(seqs, min_confidence=0.5)
    asvs = DenoiseResult(seqs, np.ones(len(seqs), dtype=np.int64), [], 0, 0)
    _add_species(calls, asvs, example / "example_species_assignment.fa.gz")
    assert [n.split(maxsplit=1)[1] for n, _s in records] == [
        "Rhodococcus erythropolis",
        "Virgibacillus kekensis",
        "Lactobacillus salivarius",
    ]
    assert calls.species == [None, "kekensis", "salivarius"]
    assert calls.lineage(2).get("species") == "Lactobacillus salivarius"
    assert calls.lineage(0).get("species") is None
