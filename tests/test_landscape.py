"""Unit and bad-input tests of helpers.landscape (critical points, Hessians, rounding bounds).

Small random problems with well-separated eigenvalues; the rounding bounds are checked
against exact rational arithmetic and 40-digit eigenvectors (mpmath).
"""

from __future__ import annotations

import itertools
from fractions import Fraction

import mpmath
import numpy as np
import pytest
import torch

from helpers import data, dynamics, landscape, linalg


def random_data(seed: int, n: int, N: int = 40) -> np.ndarray:
    """N centred samples in R^n with covariance eigenvalues about 1, 1/4, 1/16, ..."""
    rng = np.random.default_rng(seed)
    rotation, _ = np.linalg.qr(rng.normal(size=(n, n)))
    X = rng.normal(size=(N, n)) * 2.0 ** -np.arange(n) @ rotation.T
    return X - X.mean(axis=0)


@pytest.fixture(scope="module")
def iris():
    X = data.iris().X
    result = linalg.pca(X)
    return X, result.eigenvalues, result.components


# ---------------------------------------------------------------- flatten

def test_flatten_and_unflatten_are_inverse():
    rng = np.random.default_rng(0)
    W, W_tilde = rng.normal(size=(2, 5)), rng.normal(size=(5, 2))
    theta = landscape.flatten(W, W_tilde)
    assert theta.shape == (20,)
    assert np.array_equal(theta[:10], W.ravel()) and np.array_equal(theta[10:], W_tilde.ravel())
    back = landscape.unflatten(theta, 5, 2)
    assert np.array_equal(back[0], W) and np.array_equal(back[1], W_tilde)


def test_flatten_and_unflatten_keep_leading_axes_and_tensors():
    rng = np.random.default_rng(1)
    W, W_tilde = rng.normal(size=(3, 7, 2, 4)), rng.normal(size=(3, 7, 4, 2))
    theta = landscape.flatten(W, W_tilde)
    assert theta.shape == (3, 7, 16)
    assert np.array_equal(landscape.flatten(W[1, 2], W_tilde[1, 2]), theta[1, 2])
    enc, dec = landscape.unflatten(theta, 4, 2)
    assert np.array_equal(enc, W) and np.array_equal(dec, W_tilde)
    t = torch.tensor(theta[0, 0], requires_grad=True)
    enc_t, dec_t = landscape.unflatten(t, 4, 2)
    assert isinstance(enc_t, torch.Tensor) and enc_t.requires_grad and dec_t.shape == (4, 2)


def test_flatten_and_unflatten_reject_bad_input():
    with pytest.raises(ValueError, match="W_tilde"):
        landscape.flatten(np.zeros((2, 4)), np.zeros((2, 4)))
    with pytest.raises(ValueError, match="W must"):
        landscape.flatten(np.zeros(4), np.zeros(4))
    with pytest.raises(ValueError, match="finite"):
        landscape.flatten(np.full((2, 4), np.nan), np.zeros((4, 2)))
    with pytest.raises(ValueError, match=r"\(\.\.\., 16\)"):
        landscape.unflatten(np.zeros(15), 4, 2)
    with pytest.raises(TypeError, match="n must be an integer"):
        landscape.unflatten(np.zeros(16), 4.0, 2)
    with pytest.raises(TypeError, match="numbers"):
        landscape.unflatten(np.array(["a"] * 16), 4, 2)


# ---------------------------------------------------------------- derivatives

def test_loss_derivatives_match_the_formulas_and_finite_differences():
    X = random_data(2, 4)
    rng = np.random.default_rng(3)
    W, W_tilde = rng.normal(size=(2, 4)), rng.normal(size=(4, 2))
    d = landscape.loss_derivatives(X, W, W_tilde)
    assert np.isclose(d.mse, np.mean((X - X @ W.T @ W_tilde.T) ** 2), rtol=1e-14)
    C = X.T @ X / X.shape[0]
    assert np.isclose(d.mse, dynamics.covariance_mse(C, W, W_tilde), rtol=1e-12)
    formula = landscape.flatten(*dynamics.covariance_gradients(C, W, W_tilde))
    assert np.allclose(d.gradient, formula, rtol=1e-12, atol=1e-14)
    assert d.hessian.shape == (16, 16)
    assert np.allclose(d.hessian, d.hessian.T, atol=1e-13)
    # the Hessian is the derivative of the gradient: central differences
    theta, h = landscape.flatten(W, W_tilde), 1e-5
    for a in range(16):
        step = np.zeros(16); step[a] = h
        plus = landscape.loss_derivatives(X, *landscape.unflatten(theta + step, 4, 2))
        minus = landscape.loss_derivatives(X, *landscape.unflatten(theta - step, 4, 2))
        column = (plus.gradient - minus.gradient) / (2 * h)
        assert np.allclose(column, d.hessian[:, a], atol=1e-7)


def test_loss_derivatives_reject_bad_input():
    X = random_data(0, 4)
    with pytest.raises(ValueError, match="W must have 4 columns"):
        landscape.loss_derivatives(X, np.zeros((2, 3)), np.zeros((3, 2)))
    with pytest.raises(ValueError, match="W_tilde must have shape"):
        landscape.loss_derivatives(X, np.zeros((2, 4)), np.zeros((2, 4)))
    with pytest.raises(ValueError, match="X must be a 2-D"):
        landscape.loss_derivatives(X[0], np.zeros((2, 4)), np.zeros((4, 2)))
    with pytest.raises(ValueError, match="finite"):
        landscape.loss_derivatives(X * np.inf, np.zeros((2, 4)), np.zeros((4, 2)))


# ---------------------------------------------------------------- critical points

@pytest.mark.parametrize("n, m", [(3, 1), (4, 2), (5, 3)])
def test_every_critical_point_is_critical_with_the_predicted_spectrum(n, m):
    X = random_data(4 + n, n)
    result = linalg.pca(X)
    lam, U = result.eigenvalues, result.components
    mixing = np.triu(np.ones((m, m))) + np.eye(m)          # invertible, not orthogonal
    for kept in list(itertools.combinations(range(n), m)) + [()]:
        W, W_tilde = landscape.critical_point(U, kept, n_hidden=m)
        d = landscape.loss_derivatives(X, W, W_tilde)
        assert np.linalg.norm(d.gradient) < 1e-12
        rest = [j for j in range(n) if j not in kept]
        assert np.isclose(d.mse, lam[rest].sum() / n, rtol=1e-10)
        eig = np.linalg.eigvalsh(d.hessian)
        predicted = landscape.predicted_hessian_eigenvalues(lam, kept, n_hidden=m)
        assert predicted.shape == (2 * m * n,)
        assert np.allclose(eig, predicted, atol=1e-12)
        negative = sum(1 for i in kept for l in rest if lam[l] > lam[i]) if kept else m * n
        counts = landscape.inertia(eig, 1e-8)
        assert counts == (negative, m * m if kept else 0, 2 * m * n - negative - (m * m if kept else 0))
        if kept:   # another point of the same GL(m) family: same loss, same counts
            W, W_tilde = landscape.critical_point(U, kept, mixing=mixing)
            assert np.allclose(W_tilde @ W, U[:, kept] @ U[:, kept].T, atol=1e-12)
            d = landscape.loss_derivatives(X, W, W_tilde)
            assert np.linalg.norm(d.gradient) < 1e-11
            assert landscape.inertia(np.linalg.eigvalsh(d.hessian), 1e-8) == counts


def test_iris_counts_are_the_lessons(iris):
    X, lam, U = iris
    expected = {(0, 1): 0, (0, 2): 1, (0, 3): 2, (1, 2): 2, (1, 3): 3, (2, 3): 4, (): 8}
    for kept, negative in expected.items():
        eig = landscape.predicted_hessian_eigenvalues(lam, kept, n_hidden=2)
        assert landscape.inertia(eig, 1e-8)[0] == negative


def test_critical_point_rejects_bad_input(iris):
    _, _, U = iris
    with pytest.raises(ValueError, match="n_hidden is needed"):
        landscape.critical_point(U, [])
    with pytest.raises(ValueError, match="distinct"):
        landscape.critical_point(U, [1, 1])
    with pytest.raises(ValueError, match=r"kept\[i\] must be in \[0, 3\]"):
        landscape.critical_point(U, [0, 4])
    with pytest.raises(TypeError, match="kept must be a sequence"):
        landscape.critical_point(U, "01")
    with pytest.raises(TypeError, match="kept must be a sequence"):
        landscape.critical_point(U, 2)
    with pytest.raises(ValueError, match="n_hidden=3 indices"):
        landscape.critical_point(U, [0, 1], n_hidden=3)
    with pytest.raises(ValueError, match="mixing must be invertible"):
        landscape.critical_point(U, [0, 1], mixing=np.ones((2, 2)))
    with pytest.raises(ValueError, match="mixing must have shape"):
        landscape.critical_point(U, [0, 1], mixing=np.eye(3))
    with pytest.raises(ValueError, match="mixing must be None"):
        landscape.critical_point(U, [], n_hidden=2, mixing=np.eye(2))
    with pytest.raises(ValueError, match="components must be square"):
        landscape.critical_point(U[:, :2], [0])


def test_inertia_counts_and_rejects_bad_input():
    assert landscape.inertia(np.array([-2.0, -1e-12, 0.0, 1e-12, 3.0]), 1e-9) == (1, 3, 1)
    with pytest.raises(ValueError, match="tol must be finite and > 0"):
        landscape.inertia(np.array([1.0]), 0.0)
    with pytest.raises(TypeError, match="tol must be a real number"):
        landscape.inertia(np.array([1.0]), "small")
    with pytest.raises(ValueError, match="1-D"):
        landscape.inertia(np.eye(2), 1e-9)


def test_predicted_hessian_eigenvalues_rejects_bad_input():
    lam = np.array([3.0, 2.0, 1.0])
    with pytest.raises(ValueError, match=">= 0"):
        landscape.predicted_hessian_eigenvalues(np.array([1.0, -1.0]), [0])
    with pytest.raises(ValueError, match="n_hidden is needed"):
        landscape.predicted_hessian_eigenvalues(lam, [])
    with pytest.raises(ValueError, match="n_hidden=2 indices"):
        landscape.predicted_hessian_eigenvalues(lam, [0], n_hidden=2)
    with pytest.raises(ValueError, match="distinct"):
        landscape.predicted_hessian_eigenvalues(lam, [0, 0])
    with pytest.raises(TypeError, match="kept must be a sequence"):
        landscape.predicted_hessian_eigenvalues(lam, None)


# ---------------------------------------------------------------- rounding bounds

def _exact(a):
    return np.vectorize(Fraction, otypes=[object])(a)


def _exact_gradient(X, W, W_tilde):
    """The gradient of the MSE at the float weights, in exact rational arithmetic."""
    Xe, We, Wte = _exact(X), _exact(W), _exact(W_tilde)
    N, n = X.shape
    H = Xe @ We.T
    R = Xe - H @ Wte.T
    scale = Fraction(-2, N * n)
    return np.concatenate([(scale * Wte.T @ R.T @ Xe).ravel(), (scale * R.T @ H).ravel()])


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_gradient_rounding_bound_holds_against_exact_arithmetic(seed):
    X = random_data(seed, 3, N=12)
    rng = np.random.default_rng(seed)
    W, W_tilde = rng.normal(size=(2, 3)), rng.normal(size=(3, 2))
    computed = landscape.loss_derivatives(X, W, W_tilde).gradient
    exact = np.array([float(v) for v in _exact_gradient(X, W, W_tilde)])
    error = np.linalg.norm(computed - exact)
    bound = landscape.gradient_rounding_bound(X, W, W_tilde)
    assert 0 < bound < 1e-12
    assert error <= bound


def test_eigenvector_and_weight_error_bounds_hold_against_40_digits(iris):
    X, lam, U = iris
    mpmath.mp.dps = 40
    C = _exact(X.T) @ _exact(X) / X.shape[0]
    values, vectors = mpmath.mp.eigsy(mpmath.matrix([[mpmath.mpf(v.numerator) / v.denominator
                                                      for v in row] for row in C]))
    order = np.argsort([-float(v) for v in values])
    exact = np.array([[float(vectors[i, j]) for j in order] for i in range(4)])
    exact *= np.sign(np.sum(exact * U, axis=0))               # the sign of the computed ones
    errors = np.linalg.norm(U - exact, axis=0)
    bounds = landscape.eigenvector_error_bound(X, lam, U)
    assert np.all(errors <= bounds) and np.all(bounds < 1e-13)
    for kept in [(0, 1), (1, 3)]:
        mixing = np.array([[1.0, 1.0], [0.0, 2.0]])
        W, W_tilde = landscape.critical_point(U, kept, mixing=mixing)
        W_exact = mixing @ exact[:, kept].T
        W_tilde_exact = exact[:, kept] @ np.linalg.inv(mixing)
        distance = np.linalg.norm(landscape.flatten(W - W_exact, W_tilde - W_tilde_exact))
        bound = landscape.weight_error_bound(X, lam, U, kept, mixing)
        assert distance <= bound < 1e-12
    assert landscape.weight_error_bound(X, lam, U, ()) == 0.0


def test_rounding_bounds_reject_bad_input(iris):
    X, lam, U = iris
    with pytest.raises(ValueError, match="W must have 4 columns"):
        landscape.gradient_rounding_bound(X, np.zeros((2, 3)), np.zeros((3, 2)))
    with pytest.raises(ValueError, match="eigenvalues must have shape"):
        landscape.eigenvector_error_bound(X, lam[:3], U)
    with pytest.raises(ValueError, match="components must have shape"):
        landscape.eigenvector_error_bound(X, lam, U[:, :3])
    with pytest.raises(ValueError, match="distinct"):
        landscape.eigenvector_error_bound(X, np.array([1.0, 1.0, 0.5, 0.2]), U)
    with pytest.raises(ValueError, match="mixing must be None"):
        landscape.weight_error_bound(X, lam, U, (), mixing=np.eye(2))
    with pytest.raises(ValueError, match="distinct"):
        landscape.weight_error_bound(X, lam, U, (0, 0))
