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


def _exact(a):
    return np.vectorize(Fraction, otypes=[object])(a)


@pytest.fixture(scope="module")
def exact_components(iris):
    """The eigenvectors of Iris's exact covariance to 40 digits (mpmath), signed as pca's."""
    X, _, U = iris
    mpmath.mp.dps = 40
    C = _exact(X.T) @ _exact(X) / X.shape[0]
    values, vectors = mpmath.mp.eigsy(mpmath.matrix([[mpmath.mpf(v.numerator) / v.denominator
                                                      for v in row] for row in C]))
    order = np.argsort([-float(v) for v in values])
    exact = np.array([[float(vectors[i, j]) for j in order] for i in range(4)])
    return exact * np.sign(np.sum(exact * U, axis=0))


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


def test_unflatten_takes_one_input_and_one_unit():
    W, W_tilde = landscape.unflatten(np.array([2.0, 3.0]), 1, 1)
    assert W.shape == W_tilde.shape == (1, 1) and W[0, 0] == 2.0 and W_tilde[0, 0] == 3.0


def test_flatten_and_unflatten_reject_bad_input():
    shapes = r"^W must have shape \(\.\.\., m, n\) and W_tilde \(\.\.\., n, m\), got "
    with pytest.raises(ValueError, match=shapes + r"\(2, 4\) and \(2, 4\)$"):
        landscape.flatten(np.zeros((2, 4)), np.zeros((2, 4)))
    with pytest.raises(ValueError, match=shapes + r"\(4,\) and \(4,\)$"):
        landscape.flatten(np.zeros(4), np.zeros(4))
    with pytest.raises(ValueError, match=r"^W must be finite"):
        landscape.flatten(np.full((2, 4), np.nan), np.zeros((4, 2)))
    with pytest.raises(TypeError, match=r"^W must hold numbers"):
        landscape.flatten([["a"] * 4] * 2, np.zeros((4, 2)))
    with pytest.raises(TypeError, match=r"^W_tilde must hold numbers"):
        landscape.flatten(np.zeros((2, 4)), [["a"] * 2] * 4)
    with pytest.raises(ValueError, match=r"^theta must have shape \(\.\.\., 16\) for n=4, m=2, "
                                         r"got \(15,\)$"):
        landscape.unflatten(np.zeros(15), 4, 2)
    with pytest.raises(TypeError, match=r"^n must be an integer, got float$"):
        landscape.unflatten(np.zeros(16), 4.0, 2)
    with pytest.raises(TypeError, match=r"^m must be an integer, got float$"):
        landscape.unflatten(np.zeros(16), 4, 2.0)
    with pytest.raises(ValueError, match=r"^n must be in \[1, inf\], got 0$"):
        landscape.unflatten(np.zeros(16), 0, 2)
    with pytest.raises(ValueError, match=r"^m must be in \[1, inf\], got 0$"):
        landscape.unflatten(np.zeros(16), 4, 0)
    with pytest.raises(TypeError, match=r"^theta must hold numbers"):
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
    with pytest.raises(ValueError, match=r"^W must have 4 columns \(the data's features\), "
                                         r"got shape \(2, 3\)$"):
        landscape.loss_derivatives(X, np.zeros((2, 3)), np.zeros((3, 2)))
    with pytest.raises(ValueError, match=r"^W must be a 2-D array, got shape \(4,\)$"):
        landscape.loss_derivatives(X, np.zeros(4), np.zeros((4, 2)))
    with pytest.raises(ValueError, match=r"^W_tilde must have shape \(4, 2\), got \(2, 4\)$"):
        landscape.loss_derivatives(X, np.zeros((2, 4)), np.zeros((2, 4)))
    with pytest.raises(ValueError, match=r"^X must be a 2-D array"):
        landscape.loss_derivatives(X[0], np.zeros((2, 4)), np.zeros((4, 2)))
    with pytest.raises(ValueError, match=r"^X must be finite"):
        landscape.loss_derivatives(X * np.inf, np.zeros((2, 4)), np.zeros((4, 2)))


# ---------------------------------------------------------------- critical points

@pytest.mark.parametrize("n, m", [(3, 1), (4, 2), (5, 3)])
def test_every_critical_point_is_critical_with_the_predicted_spectrum(n, m):
    X = random_data(4 + n, n)
    result = linalg.pca(X)
    lam, U = result.eigenvalues, result.components
    mixing = np.triu(np.ones((m, m))) + np.eye(m)          # invertible, not orthogonal
    sets = [kept for r in range(m + 1) for kept in itertools.combinations(range(n), r)]
    for kept in sets:
        r = len(kept)
        W, W_tilde = landscape.critical_point(U, kept, n_hidden=m)
        assert np.allclose(W_tilde @ W, U[:, kept] @ U[:, kept].T, atol=1e-12)
        d = landscape.loss_derivatives(X, W, W_tilde)
        assert np.linalg.norm(d.gradient) < 1e-12
        rest = [j for j in range(n) if j not in kept]
        assert np.isclose(d.mse, lam[rest].sum() / n, rtol=1e-10)
        eig = np.linalg.eigvalsh(d.hessian)
        predicted = landscape.predicted_hessian_eigenvalues(lam, kept, n_hidden=m)
        assert predicted.shape == (2 * m * n,)
        assert np.allclose(eig, predicted, atol=1e-12)
        # the counting rule: swaps to a better direction, plus the dead units
        negative = sum(1 for i in kept for l in rest if lam[l] > lam[i]) + (m - r) * (n - r)
        zero = r * r + 2 * r * (m - r)                        # the family's dimension
        counts = landscape.inertia(eig, 1e-8)
        assert counts == (negative, zero, 2 * m * n - negative - zero)
        if kept:   # another point of the same family: same loss, same counts
            W, W_tilde = landscape.critical_point(U, kept, n_hidden=m, mixing=mixing)
            assert np.allclose(W_tilde @ W, U[:, kept] @ U[:, kept].T, atol=1e-12)
            d = landscape.loss_derivatives(X, W, W_tilde)
            assert np.linalg.norm(d.gradient) < 1e-11
            assert landscape.inertia(np.linalg.eigvalsh(d.hessian), 1e-8) == counts


def test_iris_counts_are_the_lessons(iris):
    X, lam, U = iris
    expected = {(0, 1): (0, 4), (0, 2): (1, 4), (0, 3): (2, 4), (1, 2): (2, 4),
                (1, 3): (3, 4), (2, 3): (4, 4), (0,): (3, 3), (1,): (4, 3),
                (2,): (5, 3), (3,): (6, 3), (): (8, 0)}
    for kept, (negative, zero) in expected.items():
        eig = landscape.predicted_hessian_eigenvalues(lam, kept, n_hidden=2)
        assert landscape.inertia(eig, 1e-8)[:2] == (negative, zero)


NO_HIDDEN = r"^n_hidden is needed when kept is empty \(W = 0\)$"


def test_critical_point_rejects_bad_input(iris):
    _, _, U = iris
    with pytest.raises(ValueError, match=NO_HIDDEN):
        landscape.critical_point(U, [])
    with pytest.raises(ValueError, match=r"^kept must hold distinct indices, got \[1, 1\]$"):
        landscape.critical_point(U, [1, 1])
    with pytest.raises(ValueError, match=r"^kept\[i\] must be in \[0, 3\], got 4$"):
        landscape.critical_point(U, [0, 4])
    with pytest.raises(TypeError, match=r"^kept must be a sequence of integers, got str$"):
        landscape.critical_point(U, "01")
    with pytest.raises(TypeError, match=r"^kept must be a sequence of integers, got int$"):
        landscape.critical_point(U, 2)
    with pytest.raises(ValueError, match=r"^kept must hold at most n_hidden=2 indices, got 3$"):
        landscape.critical_point(U, [0, 1, 2], n_hidden=2)
    with pytest.raises(ValueError, match=r"^n_hidden must be in \[1, 4\], got 5$"):
        landscape.critical_point(U, [0], n_hidden=5)
    with pytest.raises(ValueError, match=r"^mixing must be invertible \(well conditioned\)$"):
        landscape.critical_point(U, [0, 1], mixing=np.ones((2, 2)))
    with pytest.raises(ValueError, match=r"^mixing must have shape \(2, 2\), got \(3, 3\)$"):
        landscape.critical_point(U, [0, 1], mixing=np.eye(3))
    with pytest.raises(ValueError, match=r"^mixing must be None when kept is empty \(W = 0\)$"):
        landscape.critical_point(U, [], n_hidden=2, mixing=np.eye(2))
    with pytest.raises(ValueError, match=r"^components must be square, got shape \(4, 2\)$"):
        landscape.critical_point(U[:, :2], [0])
    with pytest.raises(ValueError, match=r"^components must be a 2-D array"):
        landscape.critical_point(U[:, 0], [0])


def test_inertia_counts_and_rejects_bad_input():
    assert landscape.inertia(np.array([-2.0, -1e-12, 0.0, 1e-12, 3.0]), 1e-9) == (1, 3, 1)
    # [-tol, tol] is closed: the ends count as zero
    assert landscape.inertia(np.array([-0.5, -0.5 - 1e-9, 0.5, 0.5 + 1e-9]), 0.5) == (1, 2, 1)
    with pytest.raises(ValueError, match=r"^tol must be finite and > 0"):
        landscape.inertia(np.array([1.0]), 0.0)
    with pytest.raises(TypeError, match=r"^tol must be a real number"):
        landscape.inertia(np.array([1.0]), "small")
    with pytest.raises(ValueError, match=r"^eigenvalues must be a 1-D array"):
        landscape.inertia(np.eye(2), 1e-9)


def test_predicted_spectrum_allows_a_zero_eigenvalue():
    # a covariance of rank 2 in R^3: the discarded zero direction costs nothing
    values = landscape.predicted_hessian_eigenvalues(np.array([2.0, 1.0, 0.0]), [0, 1])
    # 4 zeros from the mixing G, and one per pair (kept i, the zero direction):
    # (lambda_i + 0 - sqrt(lambda_i^2)) / n = 0
    assert landscape.inertia(values, 1e-12) == (0, 6, 6)


def test_predicted_hessian_eigenvalues_rejects_bad_input():
    lam = np.array([3.0, 2.0, 1.0])
    with pytest.raises(ValueError, match=r"^eigenvalues must be >= 0 \(a covariance has no "
                                         r"negative eigenvalues\)$"):
        landscape.predicted_hessian_eigenvalues(np.array([1.0, -1.0]), [0])
    with pytest.raises(ValueError, match=r"^eigenvalues must be a 1-D array"):
        landscape.predicted_hessian_eigenvalues(np.eye(3), [0])
    with pytest.raises(ValueError, match=NO_HIDDEN):
        landscape.predicted_hessian_eigenvalues(lam, [])
    with pytest.raises(ValueError, match=r"^kept must hold at most n_hidden=1 indices"):
        landscape.predicted_hessian_eigenvalues(lam, [0, 1], n_hidden=1)
    with pytest.raises(ValueError, match=r"^n_hidden must be in \[1, 3\], got 4$"):
        landscape.predicted_hessian_eigenvalues(lam, [0], n_hidden=4)
    with pytest.raises(ValueError, match=r"^kept must hold distinct indices"):
        landscape.predicted_hessian_eigenvalues(lam, [0, 0])
    with pytest.raises(TypeError, match=r"^kept must be a sequence of integers, got NoneType$"):
        landscape.predicted_hessian_eigenvalues(lam, None)


# ---------------------------------------------------------------- rounding bounds


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


def test_gradient_rounding_bound_is_gamma_q_times_the_absolute_sums():
    """The docstring's bound, entry by entry: q = N + 2 n + m + 3 roundings, and each
    gradient entry's sum of products taken over absolute values, |R| <= |X| + |X||W^T||W~^T|."""
    rng = np.random.default_rng(5)
    N, n, m = 7, 3, 2
    X, W, W_tilde = rng.normal(size=(N, n)), rng.normal(size=(m, n)), rng.normal(size=(n, m))
    aX, aW, aV = np.abs(X), np.abs(W), np.abs(W_tilde)
    R = aX + np.einsum("si,ki,jk->sj", aX, aW, aV)               # bounds |R|, (N, n)
    H = np.einsum("si,ki->sk", aX, aW)                            # bounds |X W^T|, (N, m)
    d_W_tilde = 2 / (N * n) * np.einsum("sj,sk->jk", R, H)        # (n, m)
    d_W = 2 / (N * n) * np.einsum("jk,sj,si->ki", aV, R, aX)      # (m, n)
    q = N + 2 * n + m + 3
    u = landscape.UNIT_ROUNDOFF
    expected = q * u / (1 - q * u) * np.sqrt(np.sum(d_W ** 2) + np.sum(d_W_tilde ** 2))
    # abs=0: pytest.approx's default absolute tolerance (1e-12) exceeds the bound itself
    assert landscape.gradient_rounding_bound(X, W, W_tilde) == pytest.approx(expected, rel=1e-14,
                                                                              abs=0)


def test_eigenvector_error_bound_is_nearly_reached_by_a_turned_eigenvector(iris,
                                                                         exact_components):
    """Turn u_1 towards u_2 by delta: the residual is sin(delta) (lambda_1 - lambda_2), so the
    bound is sqrt(2) sin(delta), against a true distance of 2 sin(delta / 2)."""
    X, lam, U = iris
    delta = 1e-6
    turned = U.copy()
    turned[:, 0] = np.cos(delta) * U[:, 0] + np.sin(delta) * U[:, 1]
    distance = np.linalg.norm(turned[:, 0] - exact_components[:, 0])
    bound = landscape.eigenvector_error_bound(X, lam, turned)[0]
    assert distance <= bound <= 1.45 * distance                     # sqrt(2) = 1.414
    # a vector of length 2 turned the same way: |1 - |u|| = 1 plus the turn
    delta = 1e-3
    long = U.copy()
    long[:, 0] = 2 * (np.cos(delta) * U[:, 0] + np.sin(delta) * U[:, 1])
    distance = np.linalg.norm(long[:, 0] - exact_components[:, 0])   # 1 + 2 delta^2
    bound = landscape.eigenvector_error_bound(X, lam, long)[0]
    assert distance <= bound <= 1 + 1.45 * delta


def test_eigenvector_error_bound_of_a_lengthened_eigenvector_is_its_extra_length(
        iris, exact_components):
    X, lam, U = iris
    longer = U * np.array([1.0, 1 + 1e-8, 1.0, 1.0])
    distance = np.linalg.norm(longer[:, 1] - exact_components[:, 1])
    bound = landscape.eigenvector_error_bound(X, lam, longer)[1]
    assert distance <= bound <= distance * (1 + 1e-6)


def test_eigenvector_and_weight_error_bounds_hold_against_40_digits(iris, exact_components):
    X, lam, U = iris
    exact = exact_components
    errors = np.linalg.norm(U - exact, axis=0)
    bounds = landscape.eigenvector_error_bound(X, lam, U)
    assert np.all(errors <= bounds) and np.all(bounds < 1e-13)
    for kept in [(0, 1), (1, 3), (2,)]:
        mixing = np.array([[1.0, 1.0], [0.0, 2.0]])
        W, W_tilde = landscape.critical_point(U, kept, n_hidden=2, mixing=mixing)
        padded = np.zeros((4, 2))
        padded[:, :len(kept)] = exact[:, kept]
        W_exact = mixing @ padded.T
        W_tilde_exact = padded @ np.linalg.inv(mixing)
        distance = np.linalg.norm(landscape.flatten(W - W_exact, W_tilde - W_tilde_exact))
        bound = landscape.weight_error_bound(X, lam, U, kept, mixing, n_hidden=2)
        assert distance <= bound < 1e-12
    assert landscape.weight_error_bound(X, lam, U, ()) == 0.0
    W, W_tilde = landscape.critical_point(U, (1,), n_hidden=2)        # mixing None: G = I
    padded = np.c_[exact[:, 1], np.zeros(4)]
    distance = np.linalg.norm(landscape.flatten(W - padded.T, W_tilde - padded))
    assert distance <= landscape.weight_error_bound(X, lam, U, (1,), n_hidden=2) < 1e-12


def test_weight_error_bound_adds_up_its_documented_parts(iris):
    """|G| e_U + |G^-1| e_U / (1 - e) + |U_I| |G^-1| e / (1 - e) + gamma_m (|| |G||U_I|^T ||
    + || |U_I||G^-1| ||), rounded up by 16 u: e_U the eigenvectors' error, e = |I - G inv(G)|
    exactly. G is ill-conditioned (about 4e7) so that e counts (about 1.5e-9); kept directions out of order,
    and a dead unit."""
    X, lam, U = iris
    G = np.array([[0.3, 0.7, 0.1], [0.6, 1.4 + 3e-7, 0.2], [0.1, 0.9, 1.3]])   # cond 4e7
    kept, m = (2, 0), 3
    u = landscape.UNIT_ROUNDOFF
    G_inv = np.linalg.inv(G)
    residual = np.eye(3, dtype=object) - _exact(G) @ _exact(G_inv)
    e = float(sum(v * v for v in residual.ravel())) ** 0.5 * (1 + 8 * u)
    assert 1e-12 < e < 1e-6
    U_I = np.c_[U[:, 2], U[:, 0], np.zeros(4)]
    e_U = np.linalg.norm(landscape.eigenvector_error_bound(X, lam, U)[[2, 0]])
    inverse = np.linalg.norm(G_inv, 2)
    expected = (np.linalg.norm(G, 2) * e_U + inverse / (1 - e) * e_U
                + np.linalg.norm(U_I, 2) * inverse * e / (1 - e)
                + m * u / (1 - m * u) * (np.linalg.norm(np.abs(G) @ np.abs(U_I.T))
                                         + np.linalg.norm(np.abs(U_I) @ np.abs(G_inv))))
    bound = landscape.weight_error_bound(X, lam, U, kept, G, n_hidden=m)
    assert bound == pytest.approx(expected * (1 + 16 * u), rel=1e-14, abs=0)   # both < 1e-12


def test_rounding_bounds_reject_bad_input(iris):
    X, lam, U = iris
    with pytest.raises(ValueError, match=r"^W must have 4 columns"):
        landscape.gradient_rounding_bound(X, np.zeros((2, 3)), np.zeros((3, 2)))
    with pytest.raises(ValueError, match=r"^X must be a 2-D array"):
        landscape.gradient_rounding_bound(X[0], np.zeros((2, 4)), np.zeros((4, 2)))
    with pytest.raises(ValueError, match=r"^eigenvalues must have shape"):
        landscape.eigenvector_error_bound(X, lam[:3], U)
    with pytest.raises(ValueError, match=r"^components must have shape"):
        landscape.eigenvector_error_bound(X, lam, U[:, :3])
    with pytest.raises(ValueError, match=r"^X must be a 2-D array"):
        landscape.eigenvector_error_bound(X[0], lam, U)
    with pytest.raises(ValueError, match=r"^eigenvalues must be distinct, with residuals "
                                         r"smaller than their gaps$"):
        landscape.eigenvector_error_bound(X, np.array([1.0, 1.0, 0.5, 0.2]), U)
    with pytest.raises(ValueError, match=r"^mixing must be None when kept is empty"):
        landscape.weight_error_bound(X, lam, U, (), mixing=np.eye(2))
    with pytest.raises(ValueError, match=r"^mixing must be invertible"):
        landscape.weight_error_bound(X, lam, U, (0, 1), mixing=np.ones((2, 2)))
    with pytest.raises(ValueError, match=r"^eigenvalues must be a 1-D array"):
        landscape.weight_error_bound(X, np.eye(4), U, (0,))
    with pytest.raises(ValueError, match=r"^kept must hold distinct indices"):
        landscape.weight_error_bound(X, lam, U, (0, 0))
