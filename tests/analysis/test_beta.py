"""Bray-Curtis and Aitchison distances, PCoA and its add-a-point projection."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.spatial.distance import braycurtis, euclidean
from skbio.diversity import beta_diversity
from skbio.stats.composition import clr as skbio_clr
from skbio.stats.ordination import pcoa as skbio_pcoa

from gutlens.analysis.beta import (
    aitchison_score,
    aitchison_to,
    bray_curtis_matrix,
    bray_curtis_to,
    clr,
    fit_pcoa,
    leave_one_out_medians,
)
from gutlens.reference import ReferencePopulation


def test_bray_curtis_equals_scipy_and_skbio(reference: ReferencePopulation) -> None:
    matrix, _ = reference.rank_matrix("species")
    x = matrix[5]
    ours = bray_curtis_to(x, matrix[:50])
    expected = [braycurtis(x, row) for row in matrix[:50]]
    np.testing.assert_allclose(ours, expected, atol=1e-12)
    sk = beta_diversity("braycurtis", matrix[:30], ids=[str(i) for i in range(30)])
    np.testing.assert_allclose(bray_curtis_matrix(matrix[:30]), sk.data, atol=1e-12)
    assert ours[5] == 0.0


def test_aitchison_equals_skbio_clr(reference: ReferencePopulation) -> None:
    matrix, _ = reference.rank_matrix("genus")
    c = reference.clr_pseudocount
    ref_clr = clr(matrix[:20], c)
    ours = aitchison_to(matrix[3], ref_clr, c)
    expected = [euclidean(skbio_clr(matrix[3] + c), skbio_clr(row + c)) for row in matrix[:20]]
    np.testing.assert_allclose(ours, expected, atol=1e-9)


@pytest.mark.parametrize("rank", ["species", "genus"])
def test_aitchison_score_equals_distances_to_every_reference_sample(
    reference: ReferencePopulation, rank: str
) -> None:
    # aitchison_score touches only the sample's own taxa; the dense formula must agree
    matrix, _ = reference.rank_matrix(rank)
    c = reference.clr_pseudocount
    ref_clr = reference.rank_clr(rank)[0]
    for row in (0, 17, 400):
        x = matrix[row]
        expected = float(np.median(aitchison_to(x, ref_clr, c)))
        result = aitchison_score(x, reference, rank)
        assert result.median_distance == pytest.approx(expected, abs=1e-9)
    assert float(np.median(aitchison_to(matrix[0], ref_clr, c))) > 1.0


def test_pcoa_eigenvalues_equal_skbio(reference: ReferencePopulation) -> None:
    matrix, _ = reference.rank_matrix("genus")
    distances = bray_curtis_matrix(matrix[:80])
    ours = fit_pcoa(distances, axes=5)
    ids = [str(i) for i in range(80)]
    from skbio import DistanceMatrix

    sk = skbio_pcoa(DistanceMatrix(distances, ids))
    np.testing.assert_allclose(ours.eigenvalues, sk.eigvals.to_numpy()[:5], rtol=1e-8)
    np.testing.assert_allclose(
        np.abs(ours.coordinates), np.abs(sk.samples.to_numpy()[:, :5]), atol=1e-8
    )
    np.testing.assert_allclose(ours.explained, sk.proportion_explained.to_numpy()[:5], rtol=1e-8)


@pytest.mark.parametrize("rank", ["species", "genus"])
def test_reference_sample_projects_onto_its_own_coordinates(
    reference: ReferencePopulation, rank: str
) -> None:
    matrix, _ = reference.rank_matrix(rank)
    pcoa = reference.pcoa[rank]
    for i in (0, 100, 758):
        projected = pcoa.project(bray_curtis_to(matrix[i], matrix))
        np.testing.assert_allclose(projected, pcoa.coordinates[i], atol=1e-8)


def test_leave_one_out_medians_match_stored(reference: ReferencePopulation) -> None:
    matrix, _ = reference.rank_matrix("species")
    medians = leave_one_out_medians(bray_curtis_matrix(matrix))
    stored = reference.samples["species_loo_median_bray_curtis"].to_numpy()
    np.testing.assert_allclose(medians, stored, atol=1e-12)
    # healthy people differ: a typical median Bray-Curtis between them is far from 0 and 1
    assert 0.5 < float(np.median(stored)) < 0.9
