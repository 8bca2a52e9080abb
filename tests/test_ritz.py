"""helpers.ritz: Rayleigh-Ritz pairs from a subspace, and angles between directions."""

import numpy as np
import pytest

from helpers import linalg, ritz


@pytest.fixture(scope="module")
def data():
    """Gaussian data with distinct covariance eigenvalues 9, 5, 3, 2, 1, 0.5."""
    rng = np.random.default_rng(0)
    scales = np.sqrt([9.0, 5.0, 3.0, 2.0, 1.0, 0.5])
    Z = rng.normal(size=(4000, 6))
    Z = (Z - Z.mean(0)) / Z.std(0)
    rotation = np.linalg.qr(rng.normal(size=(6, 6)))[0]
    return (Z * scales) @ rotation.T


def test_a_mixed_basis_of_the_principal_subspace_gives_the_eigenpairs(data):
    pc = linalg.pca(data)
    mixed = pc.components[:, :3] @ np.random.default_rng(1).normal(size=(3, 3))
    pairs = ritz.ritz_pairs(mixed, data)
    np.testing.assert_allclose(pairs.values, pc.eigenvalues[:3], rtol=1e-12)
    assert np.degrees(ritz.direction_angles(pairs.vectors, pc.components[:, :3])).max() < 1e-6
    # the same sign convention as linalg.pca, so the vectors agree entry by entry
    np.testing.assert_allclose(pairs.vectors, pc.components[:, :3], atol=1e-10)
    np.testing.assert_allclose(pairs.vectors.T @ pairs.vectors, np.eye(3), atol=1e-12)


def test_values_agree_with_recover_eigenvalues_and_interlace(data):
    basis = np.random.default_rng(2).normal(size=(6, 2))   # not a principal subspace
    pairs = ritz.ritz_pairs(basis, data)
    np.testing.assert_allclose(pairs.values, linalg.recover_eigenvalues(basis, data),
                               rtol=1e-12)
    eigenvalues = linalg.pca(data).eigenvalues
    # Cauchy interlacing: lambda_{j + n - k} <= theta_j <= lambda_j
    assert np.all(pairs.values <= eigenvalues[:2] + 1e-12)
    assert np.all(pairs.values >= eigenvalues[-2:] - 1e-12)


def test_direction_angles_ignore_sign_and_scale():
    a = np.array([[1.0, 1.0], [0.0, 1.0]])
    b = np.array([[-3.0, 0.0], [0.0, 2.0]])
    np.testing.assert_allclose(np.degrees(ritz.direction_angles(a, b)), [0.0, 45.0])


def test_direction_angles_are_accurate_for_tiny_angles():
    eps = 1e-10
    a = np.array([[1.0], [0.0]])
    b = np.array([[np.cos(eps)], [np.sin(eps)]])
    assert abs(ritz.direction_angles(a, b)[0] - eps) < 1e-20


@pytest.mark.parametrize("basis, X, match", [
    (np.ones((6, 2)), None, "full column rank"),
    (np.ones((5, 2)), None, "6 rows"),
    (np.ones((6, 7)), None, "at most as many columns"),
    (np.ones(6), None, "2-D"),
    (np.full((6, 2), np.nan), None, "finite"),
    (np.eye(6)[:, :2], np.ones((1, 6)), "at least 2 rows"),
])
def test_ritz_pairs_rejects_bad_input(data, basis, X, match):
    with pytest.raises(ValueError, match=match):
        ritz.ritz_pairs(basis, data if X is None else X)


@pytest.mark.parametrize("A, B, match", [
    (np.ones((3, 2)), np.ones((3, 3)), "shape"),
    (np.zeros((3, 1)), np.ones((3, 1)), "non-zero"),
    (np.ones(3), np.ones(3), "2-D"),
])
def test_direction_angles_rejects_bad_input(A, B, match):
    with pytest.raises(ValueError, match=match):
        ritz.direction_angles(A, B)
