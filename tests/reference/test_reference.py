"""The shipped reference bundle: provenance, contents, strata, percentiles."""

from __future__ import annotations

import hashlib
from importlib.resources import files

import numpy as np
import pytest

from gutlens.errors import GutlensError
from gutlens.reference import ReferencePopulation, load_reference, mid_rank_percentile


def test_bundle_provenance(reference: ReferencePopulation) -> None:
    prov = reference.provenance
    assert reference.n == prov["n"] == 759
    assert reference.citation == "doi:10.1371/journal.pcbi.1004977"
    assert sum(prov["studies"].values()) == 759
    assert prov["studies"]["t2dmeta_long"] == 136
    folder = files("gutlens.reference").joinpath("data/metaml_healthy")
    for name, digest in prov["files"].items():
        assert hashlib.sha256(folder.joinpath(name).read_bytes()).hexdigest() == digest
    total = sum(len(folder.joinpath(n).read_bytes()) for n in [*prov["files"], "PROVENANCE.json"])
    assert total < 5_000_000


def test_taxonomy_is_canonical(reference: ReferencePopulation) -> None:
    phyla = set(reference.rank_index("phylum"))
    assert "Bacillota" in phyla and "Firmicutes" not in phyla
    assert "Phocaeicola vulgatus" in reference.rank_index("species")
    assert len(reference.rank_index("species")) == 826


def test_gmhi_cohort_is_the_4347_training_set(reference: ReferencePopulation) -> None:
    cohort = reference.gmhi_cohort
    assert len(cohort) == 4347 and int(cohort["is_healthy"].sum()) == 2636
    healthy = cohort.loc[cohort["is_healthy"].astype(bool), "gmhi"]
    assert float(healthy.median()) == pytest.approx(1.46, abs=0.01)  # README: median 1.46


def test_prevalence_of_a_core_species(reference: ReferencePopulation) -> None:
    row = reference.rank_index("species")["Faecalibacterium prausnitzii"]
    dense = reference.dense()[row]
    assert reference.prevalence()[row] == pytest.approx((dense > 0).mean())
    assert reference.prevalence()[row] > 0.8


def test_mid_rank_percentile() -> None:
    values = np.array([[0.0, 0.0, 1.0, 2.0]])
    assert mid_rank_percentile(values, np.array([0.0]))[0] == 25.0
    assert mid_rank_percentile(values, np.array([1.5]))[0] == 75.0
    assert mid_rank_percentile(values, np.array([3.0]))[0] == 100.0


def test_strata(reference: ReferencePopulation) -> None:
    assert reference.stratum().label is None and reference.stratum().n == 759
    male_young = reference.stratum(age=25, sex="male")
    assert male_young.label == "male, age 18-39" and male_young.n == 105
    child = reference.stratum(age=10, sex="female")
    assert child.label == "female" and child.n == 343
    assert len(child.notes) == 2  # female <18 (7) and <18 (22) are too small


def test_unknown_bundle_raises() -> None:
    with pytest.raises(GutlensError, match="no reference bundle"):
        load_reference("nope")


def _by_comparison(ordered: np.ndarray, rows: np.ndarray, values: np.ndarray) -> np.ndarray:
    """The definition, counted by comparing with every reference value."""
    block = ordered[rows]
    below = (block < values[:, np.newaxis]).sum(axis=1)
    equal = (block == values[:, np.newaxis]).sum(axis=1)
    result: np.ndarray = 100.0 * (below + 0.5 * equal) / ordered.shape[1]
    return result


def test_mid_rank_percentile_rows_and_nan_match_the_definition() -> None:
    rng = np.random.default_rng(7)
    ordered = np.sort(np.where(rng.random((40, 25)) < 0.5, 0.0, rng.random((40, 25))), axis=1)
    rows = rng.integers(0, 40, 300)
    values = ordered[rows, rng.integers(0, 25, 300)]  # ties with reference values
    values[::3] = rng.random(100)
    values[::7] = 0.0
    values[5] = np.nan
    expected = _by_comparison(ordered, rows, values)
    assert expected[5] == 0.0
    assert np.array_equal(mid_rank_percentile(ordered, values, rows=rows), expected)
    assert np.array_equal(mid_rank_percentile(ordered[rows], values), expected)


def test_taxon_percentiles_equal_the_definition(reference: ReferencePopulation) -> None:
    ordered = reference.sorted_abundance()
    rng = np.random.default_rng(11)
    rows = rng.integers(0, ordered.shape[0], 4000)
    # half the values are reference values (ties), some zero, the rest anywhere in [0, 0.05)
    values = np.where(
        rng.random(4000) < 0.5,
        ordered[rows, rng.integers(0, ordered.shape[1], 4000)],
        rng.random(4000) * 0.05,
    )
    values[::9] = 0.0
    assert np.array_equal(
        reference.taxon_percentiles(rows, values), _by_comparison(ordered, rows, values)
    )
    stratum = reference.stratum(age=30, sex="female")
    assert stratum.label is not None
    assert np.array_equal(
        reference.taxon_percentiles(rows, values, stratum),
        _by_comparison(reference.sorted_abundance(stratum), rows, values),
    )
