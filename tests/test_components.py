"""Unit, property and bad-input tests of helpers.components."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from helpers import Autoencoder, data, linalg, training
from helpers import components as comp

FAST = settings(max_examples=20, deadline=None, database=None)
seeds = st.integers(min_value=0, max_value=2**32 - 1)
X_IRIS = data.iris().X
EPS64 = np.finfo(float).eps


def random_data(seed: int, n: int, N: int = 80) -> np.ndarray:
    """Centred data in R^n with covariance eigenvalues about 1, 1/4, 1/16, ..."""
    rng = np.random.default_rng(seed)
    rotation, _ = np.linalg.qr(rng.normal(size=(n, n)))
    X = rng.normal(size=(N, n)) * 2.0 ** -np.arange(n) @ rotation.T
    return X - X.mean(axis=0)


def random_mix(seed: int, k: int) -> np.ndarray:
    """An invertible k x k matrix (strictly diagonally dominant)."""
    return 2 * k * np.eye(k) + np.random.default_rng(seed).uniform(-1, 1, size=(k, k))


# ------------------------------------------------------------ Rayleigh-Ritz


@FAST
@given(seed=seeds, n=st.integers(2, 6), data_=st.data())
def test_ritz_is_exact_on_the_principal_subspace_in_any_basis(seed, n, data_):
    k = data_.draw(st.integers(1, n))
    X = random_data(seed, n)
    pc = linalg.pca(X)
    basis = pc.components[:, :k] @ random_mix(seed, k)
    ritz = comp.ritz_components(basis, X)
    assert np.allclose(ritz.eigenvalues, pc.eigenvalues[:k], rtol=1e-10)
    assert np.allclose(ritz.vectors, pc.components[:, :k], atol=1e-8)   # same signs


@FAST
@given(seed=seeds, n=st.integers(3, 6))
def test_ritz_values_interlace_and_obey_the_second_order_bound(seed, n):
    X = random_data(seed, n)
    pc = linalg.pca(X)
    basis = np.random.default_rng(seed).normal(size=(n, 2))
    ritz = comp.ritz_components(basis, X)
    theta = np.radians(comp.subspace_angle(basis, pc.components[:, :2]))
    err = pc.eigenvalues[:2] - ritz.eigenvalues
    bound = (pc.eigenvalues[:2] - pc.eigenvalues[-1]) * np.sin(theta) ** 2
    assert np.all(err >= -1e-12) and np.all(err <= bound + 1e-12)
    assert np.allclose(np.linalg.norm(ritz.vectors, axis=0), 1)


@FAST
@given(seed=seeds, n=st.integers(3, 7), data_=st.data())
def test_ritz_values_obey_the_second_order_bound_for_any_k(seed, n, data_):
    """0 <= lambda_j - theta_j <= (lambda_j - lambda_n) sin^2 theta, j = 1..k (lesson 8):
    theta is the largest principal angle to the top-k principal subspace, below 90 deg."""
    k = data_.draw(st.integers(1, n - 1))
    tilt = data_.draw(st.floats(1e-4, 1.0))
    X = random_data(seed, n)
    pc = linalg.pca(X)
    rng = np.random.default_rng(seed)
    basis = pc.components[:, :k] @ random_mix(seed, k) + tilt * rng.normal(size=(n, k))
    ritz = comp.ritz_components(basis, X)
    theta = np.radians(comp.subspace_angle(basis, pc.components[:, :k]))
    lam = pc.eigenvalues
    err = lam[:k] - ritz.eigenvalues
    rounding = 8 * n * EPS64 * lam[0]
    assert theta < np.pi / 2
    assert np.all(err >= -rounding)                                 # Cauchy interlacing
    assert np.all(err <= (lam[:k] - lam[-1]) * np.sin(theta) ** 2 + rounding)
    assert np.all(ritz.eigenvalues >= lam[n - k:] - rounding)       # interlacing, below
    assert np.allclose(ritz.eigenvalues, linalg.recover_eigenvalues(basis, X), rtol=1e-12)


def test_ritz_on_a_stack_equals_one_at_a_time():
    rng = np.random.default_rng(0)
    bases = rng.normal(size=(3, 5, 4, 2))
    stacked = comp.ritz_components(bases, X_IRIS)
    assert stacked.eigenvalues.shape == (3, 5, 2) and stacked.vectors.shape == (3, 5, 4, 2)
    one = comp.ritz_components(bases[2, 1], X_IRIS)
    assert np.allclose(stacked.eigenvalues[2, 1], one.eigenvalues)
    assert np.allclose(stacked.vectors[2, 1], one.vectors)
    assert np.all(np.diff(stacked.eigenvalues, axis=-1) <= 0)


def test_ritz_centres_each_feature():
    shifted = X_IRIS + np.array([5.0, -3.0, 1.0, 2.0])     # a different mean per feature
    basis = np.eye(4)[:, :2]
    assert np.allclose(comp.ritz_components(basis, shifted).eigenvalues,
                       comp.ritz_components(basis, X_IRIS).eigenvalues)


def test_ritz_needs_two_samples_only():
    X = np.array([[1.0, 0.0], [-1.0, 0.0]])                 # variance 1 along e_1 (1/N)
    ritz = comp.ritz_components(np.array([[1.0], [1.0]]), X)
    assert np.allclose(ritz.eigenvalues, [0.5])             # along (1, 1) / sqrt(2)
    assert np.allclose(ritz.vectors[:, 0], [2 ** -0.5, 2 ** -0.5])


def test_rank_test_is_relative_to_each_bases_own_scale():
    basis = np.eye(4)[:, :2]
    tiny = comp.ritz_components(1e-11 * basis, X_IRIS)      # small but independent columns
    assert np.allclose(tiny.eigenvalues, comp.ritz_components(basis, X_IRIS).eigenvalues)
    stack = comp.ritz_components(np.stack([1e-11 * basis, basis, 1e6 * basis]), X_IRIS)
    assert np.allclose(stack.eigenvalues[0], stack.eigenvalues[2])
    nearly_dependent = np.c_[basis[:, 0], basis[:, 0] + 1e-12 * basis[:, 1]]
    for scale in (1e-6, 1.0, 1e6):                          # refused at every scale
        with pytest.raises(ValueError, match=r"^basis must have linearly independent columns"):
            comp.ritz_components(scale * nearly_dependent, X_IRIS)


def test_ritz_rejects_bad_input():
    with pytest.raises(ValueError, match=r"^basis must have shape \(\.\.\., 4, k\) with k <= 4, "
                                         r"got \(3, 2\)$"):
        comp.ritz_components(np.ones((3, 2)), X_IRIS)           # wrong rows
    with pytest.raises(ValueError, match=r"^basis must have linearly independent columns "
                                         r"\(full column rank\)$"):
        comp.ritz_components(np.ones((4, 2)), X_IRIS)           # rank 1
    with pytest.raises(ValueError, match=r"^basis must have shape .* got \(4, 5\)$"):
        comp.ritz_components(np.eye(4, 5) + np.eye(4, 5, 1), X_IRIS)   # k > n, full rank
    with pytest.raises(ValueError, match=r"^basis must have shape .* got \(4,\)$"):
        comp.ritz_components(np.ones(4), X_IRIS)                # 1-D
    with pytest.raises(ValueError, match=r"^basis must be finite"):
        comp.ritz_components(np.full((4, 2), np.nan), X_IRIS)
    with pytest.raises(ValueError, match=r"^X must have at least 2 rows, got 1$"):
        comp.ritz_components(np.eye(4)[:, :2], X_IRIS[:1])
    with pytest.raises(ValueError, match=r"^X must be a 2-D array, got shape \(150,\)$"):
        comp.ritz_components(np.eye(4)[:, :2], X_IRIS[:, 0])
    with pytest.raises(TypeError, match=r"^X must hold numbers"):
        comp.ritz_components(np.eye(4)[:, :2], [["a"] * 4] * 3)


# ------------------------------------------------------------ angles


@given(t=st.floats(0, np.pi / 2 - 1e-6))
def test_subspace_angle_matches_principal_angles(t):
    rng = np.random.default_rng(1)
    Q, _ = np.linalg.qr(rng.normal(size=(5, 5)))
    A = Q[:, :2]
    B = np.c_[Q[:, 0], np.cos(t) * Q[:, 1] + np.sin(t) * Q[:, 2]] @ random_mix(2, 2)
    expected = np.degrees(linalg.principal_angles(B, A).max())
    assert comp.subspace_angle(B, A) == pytest.approx(expected, abs=1e-9)
    assert comp.subspace_angle(B, A) == pytest.approx(np.degrees(t), abs=1e-9)


def test_subspace_angle_keeps_small_angles_and_stacks():
    A = np.eye(4)[:, :2]
    tiny = np.c_[A[:, 0], A[:, 1] + 1e-12 * np.eye(4)[:, 3]]
    assert comp.subspace_angle(tiny, A) == pytest.approx(np.degrees(1e-12), rel=1e-6)
    stack = np.stack([A, tiny, A @ random_mix(0, 2)])
    assert comp.subspace_angle(stack, A).shape == (3,)
    assert comp.subspace_angle(stack, A)[2] < 1e-12


def test_subspace_angle_is_the_largest_of_several_angles():
    E = np.eye(6)
    degrees = np.array([10.0, 30.0, 20.0])
    t = np.radians(degrees)
    A = E[:, :3]
    B = np.cos(t) * E[:, :3] + np.sin(t) * E[:, 3:]         # column i turned by t_i
    assert comp.subspace_angle(B, A) == pytest.approx(30.0, abs=1e-12)
    assert comp.subspace_angle(B @ random_mix(1, 3), A) == pytest.approx(30.0, abs=1e-9)


def test_subspace_angle_rejects_bad_input():
    A = np.eye(4)[:, :2]
    with pytest.raises(ValueError, match=r"^bases must have 2 columns like reference, "
                                         r"got shape \(4, 3\)$"):
        comp.subspace_angle(np.eye(4)[:, :3], A)
    with pytest.raises(ValueError, match=r"^bases must have shape \(\.\.\., 4, k\)"):
        comp.subspace_angle(np.eye(5)[:, :2], A)
    with pytest.raises(ValueError, match=r"^bases must have linearly independent columns"):
        comp.subspace_angle(np.zeros((4, 2)), A)
    with pytest.raises(ValueError, match=r"^reference must be a 2-D array"):
        comp.subspace_angle(A, np.zeros(4))
    with pytest.raises(ValueError, match=r"^reference must have linearly independent columns"):
        comp.subspace_angle(A, np.ones((4, 2)))


@given(t=st.floats(-np.pi, np.pi), scale=st.floats(1e-3, 1e3))
def test_direction_angles_ignore_sign_and_length(t, scale):
    u = np.array([[1.0], [0.0], [0.0]])
    v = scale * np.array([[np.cos(t)], [np.sin(t)], [0.0]])
    # the angle to the first axis, ignoring sign (atan2 keeps tiny angles exact,
    # arccos(|cos t|) would round t = 1e-8 to 0)
    expected = np.degrees(np.arctan2(abs(np.sin(t)), abs(np.cos(t))))
    assert comp.direction_angles(v, u)[0] == pytest.approx(expected, abs=1e-7)
    assert comp.direction_angles(-v, u)[0] == pytest.approx(expected, abs=1e-7)


def test_direction_angles_keep_small_angles_and_stack():
    u = np.eye(3)[:, :2]
    v = u + np.array([[0, 0], [0, 0], [1e-13, 0]])
    assert comp.direction_angles(v, u)[0] == pytest.approx(np.degrees(1e-13), rel=1e-6)
    assert comp.direction_angles(v, u)[1] == 0
    assert comp.direction_angles(np.stack([v, -v, 2 * u]), u).shape == (3, 2)


def test_direction_angles_reject_bad_input():
    u = np.eye(3)[:, :2]
    with pytest.raises(ValueError, match="vectors"):
        comp.direction_angles(np.eye(3), u)
    with pytest.raises(ValueError, match="vectors"):
        comp.direction_angles(np.ones(3), u)
    with pytest.raises(ValueError, match="nonzero"):
        comp.direction_angles(np.zeros((3, 2)), u)
    with pytest.raises(ValueError, match="reference"):
        comp.direction_angles(u, np.ones(3))
    with pytest.raises(ValueError, match="vectors"):
        comp.direction_angles(np.full((3, 2), np.inf), u)


# ------------------------------------------------------------ SVD and the L2 penalty


def test_svd_components_are_sorted_with_fixed_signs():
    rng = np.random.default_rng(3)
    A = rng.normal(size=(5, 3))
    values, vectors = comp.svd_components(A)
    assert np.allclose(values, np.linalg.svd(A, compute_uv=False))
    assert np.allclose(vectors.T @ vectors, np.eye(3))
    assert np.allclose(np.abs(vectors.T @ np.linalg.svd(A)[0][:, :3]), np.eye(3), atol=1e-10)
    assert np.all(vectors[np.abs(vectors).argmax(axis=0), range(3)] > 0)
    values2, vectors2 = comp.svd_components(-A)
    assert np.allclose(values, values2) and np.allclose(vectors, vectors2)
    stack_values, stack_vectors = comp.svd_components(np.stack([A, 2 * A]))
    assert np.allclose(stack_values[1], 2 * values)
    assert np.allclose(stack_vectors[1], vectors)


def test_svd_components_take_a_square_weight():
    values, vectors = comp.svd_components(np.diag([1.0, 3.0, 2.0]))   # k = n is allowed
    assert np.allclose(values, [3.0, 2.0, 1.0])
    assert np.allclose(vectors, np.eye(3)[:, [1, 2, 0]])


def test_svd_components_reject_bad_input():
    message = (r"^weight must have shape \(\.\.\., n, k\) with k <= n, got {} "
               r"\(pass an encoder weight W transposed\)$")
    with pytest.raises(ValueError, match=message.format(r"\(2, 4\)")):
        comp.svd_components(np.ones((2, 4)))       # an encoder weight, not transposed
    with pytest.raises(ValueError, match=message.format(r"\(3, 2, 4\)")):
        comp.svd_components(np.ones((3, 2, 4)))    # a stack of encoder weights
    with pytest.raises(ValueError, match=message.format(r"\(4,\)")):
        comp.svd_components(np.ones(4))
    with pytest.raises(TypeError, match=r"^weight must be real"):
        comp.svd_components(np.ones((4, 2), dtype=complex))


def test_l2_singular_values_formula_and_threshold():
    lam = np.array([3.0, 1.0])
    assert np.allclose(comp.l2_singular_values(lam, 0.1, 4),
                       np.sqrt([1 - 0.4 / 6, 1 - 0.4 / 2]))
    # a direction dies at gamma = 2 lambda / n
    assert comp.l2_singular_values(lam, 0.5, 4)[1] == 0
    assert comp.l2_singular_values(lam, 0.5 - 1e-9, 4)[1] > 0
    assert np.all(comp.l2_singular_values(lam, 2.0, 4) == 0)
    per_unit = comp.l2_singular_values(lam, np.array([0.1, 0.2]), 4)
    assert np.allclose(per_unit, np.sqrt([1 - 0.4 / 6, 1 - 0.8 / 2]))
    stacked = comp.l2_singular_values(np.stack([lam, 2 * lam]), np.array([0.1, 0.2]), 4)
    assert np.allclose(stacked[0], per_unit)                # one penalty per unit, each row
    assert np.allclose(stacked[1], np.sqrt([1 - 0.4 / 12, 1 - 0.8 / 4]))


@given(lam=st.lists(st.floats(0.1, 10), min_size=1, max_size=4),
       gamma=st.floats(1e-4, 0.02), n=st.integers(1, 8))   # n gamma / 2 < lambda
def test_eigenvalues_from_l2_weights_invert_the_shrinkage(lam, gamma, n):
    lam = np.array(lam)
    s = comp.l2_singular_values(lam, gamma, n)
    assert np.allclose(comp.eigenvalues_from_l2_weights(s, gamma, n), lam, rtol=1e-8)
    stacked = comp.eigenvalues_from_l2_weights(np.stack([s, s]), gamma, n)
    assert stacked.shape == (2, lam.size)


def test_l2_helpers_reject_bad_input():
    lam = np.array([1.0, 0.5])
    with pytest.raises(ValueError, match=r"^eigenvalues must be > 0$"):
        comp.l2_singular_values(np.array([1.0, 0.0]), 0.1, 4)
    with pytest.raises(TypeError, match=r"^eigenvalues must hold numbers"):
        comp.l2_singular_values(["a"], 0.1, 4)
    with pytest.raises(ValueError, match=r"^weight_decay must be > 0$"):
        comp.l2_singular_values(lam, 0.0, 4)
    with pytest.raises(ValueError, match=r"^weight_decay must be a number or have shape "
                                         r"\(2,\), got shape \(3,\)$"):
        comp.l2_singular_values(lam, np.array([0.1, 0.2, 0.3]), 4)
    with pytest.raises(ValueError, match=r"^weight_decay must be a number or have shape "
                                         r"\(2,\), got shape \(1, 2\)$"):
        comp.l2_singular_values(lam, np.full((1, 2), 0.1), 4)
    with pytest.raises(TypeError, match=r"^weight_decay must hold numbers"):
        comp.l2_singular_values(lam, "a", 4)
    with pytest.raises(ValueError, match=r"^n_features must be in \[1, inf\], got 0$"):
        comp.l2_singular_values(np.array([1.0]), 0.1, 0)
    with pytest.raises(TypeError, match=r"^n_features must be an integer"):
        comp.l2_singular_values(np.array([1.0]), 0.1, 4.0)
    with pytest.raises(ValueError, match=r"^eigenvalues must be an array of shape"):
        comp.l2_singular_values(1.0, 0.1, 4)
    message = (r"^singular_values must lie strictly between 0 and 1 "
               r"\(a surviving direction of a penalized network\)$")
    with pytest.raises(ValueError, match=message):
        comp.eigenvalues_from_l2_weights(np.array([0.5, 1.0]), 0.1, 4)
    with pytest.raises(ValueError, match=message):
        comp.eigenvalues_from_l2_weights(np.array([0.0]), 0.1, 4)
    with pytest.raises(TypeError, match=r"^singular_values must hold numbers"):
        comp.eigenvalues_from_l2_weights(["a"], 0.1, 4)


# ------------------------------------------------------------ Rayleigh quotients, compare


def test_rayleigh_quotients_of_eigenvectors_are_eigenvalues():
    pc = linalg.pca(X_IRIS)
    lengths = np.array([1.0, 3.0, 0.5, 2.0])               # any nonzero length per column
    assert np.allclose(comp.rayleigh_quotients(pc.components * lengths, X_IRIS),
                       pc.eigenvalues)
    assert np.allclose(comp.rayleigh_quotients(pc.components[:, :2] * lengths[:2], X_IRIS),
                       pc.eigenvalues[:2])
    shifted = X_IRIS + np.array([1.0, -2.0, 0.5, 3.0])      # centred per feature
    assert np.allclose(comp.rayleigh_quotients(pc.components, shifted), pc.eigenvalues)


def test_rayleigh_quotients_reject_bad_input():
    with pytest.raises(ValueError, match=r"^vectors must have 4 rows \(X's features\), "
                                         r"got \(3, 1\)$"):
        comp.rayleigh_quotients(np.ones((3, 1)), X_IRIS)
    with pytest.raises(ValueError, match=r"^vectors must have nonzero columns$"):
        comp.rayleigh_quotients(np.zeros((4, 1)), X_IRIS)
    with pytest.raises(ValueError, match=r"^vectors must be a 2-D array"):
        comp.rayleigh_quotients(np.ones(4), X_IRIS)
    with pytest.raises(TypeError, match=r"^vectors must hold numbers"):
        comp.rayleigh_quotients([["a"]] * 4, X_IRIS)
    with pytest.raises(ValueError, match=r"^X must be a 2-D array"):
        comp.rayleigh_quotients(np.ones((4, 1)), np.ones(4))


def test_compare_measures_angles_and_relative_errors():
    ref = comp.Components(np.array([2.0, 1.0]), np.eye(3)[:, :2])
    assert np.all(comp.compare(ref, ref).angles == 0)
    t = np.radians(3.0)
    est = comp.Components(np.array([2.2, 0.9]),
                          np.array([[np.cos(t), 0], [np.sin(t), -1], [0, 0]]))
    result = comp.compare(est, ref)
    assert np.allclose(result.angles, [3.0, 0.0])
    assert np.allclose(result.relative_errors, [0.1, 0.1])


def test_compare_rejects_bad_input():
    ref = comp.Components(np.array([2.0, 1.0]), np.eye(3)[:, :2])
    with pytest.raises(ValueError, match=r"^reference\.eigenvalues must be nonzero$"):
        comp.compare(ref, comp.Components(np.array([2.0, 0.0]), np.eye(3)[:, :2]))
    with pytest.raises(ValueError, match=r"^reference\.eigenvalues must have shape"):
        comp.compare(ref, comp.Components(np.array([2.0]), np.eye(3)[:, :2]))
    with pytest.raises(ValueError, match=r"^estimate\.eigenvalues must be a 1-D array"):
        comp.compare(comp.Components(np.array([[2.0, 1.0]]), np.eye(3)[:, :2]), ref)
    with pytest.raises(ValueError, match=r"^estimate\.vectors must have shape \(3, 2\)"):
        comp.compare(comp.Components(np.array([2.0, 1.0]), np.eye(3)), ref)
    with pytest.raises(ValueError, match=r"^reference\.vectors must be a 2-D array"):
        comp.compare(ref, comp.Components(np.array([2.0, 1.0]), np.ones(3)))
    with pytest.raises(ValueError, match=r"^reference\.vectors must have 2 columns, "
                                         r"got shape \(3, 3\)$"):
        comp.compare(comp.Components(np.array([2.0, 1.0]), np.eye(3)),
                     comp.Components(np.array([2.0, 1.0]), np.eye(3)))


# ------------------------------------------------------------ training


def test_initial_weights_are_the_autoencoders():
    W, W_tilde = comp.initial_weights(4, 2, [0, 7])
    assert W.shape == (2, 2, 4) and W_tilde.shape == (2, 4, 2)
    training.seed_everything(7)
    model = Autoencoder(4, 2, bias=False)
    assert np.array_equal(W[1], model.W.detach().double().numpy())
    assert np.array_equal(W_tilde[1], model.W_tilde.detach().double().numpy())


def test_initial_weights_take_every_seed_and_size_from_one():
    W, W_tilde = comp.initial_weights(1, 1, [0, 2**32 - 1])   # the smallest network; the
    assert W.shape == (2, 1, 1) and W_tilde.shape == (2, 1, 1)  # largest seed numpy takes


def test_initial_weights_reject_bad_seeds():
    with pytest.raises(ValueError, match=r"^seeds must not be empty$"):
        comp.initial_weights(4, 2, [])
    with pytest.raises(ValueError, match=r"^seeds\[i\] must be in \[0, 4294967295\], got -1$"):
        comp.initial_weights(4, 2, [-1])
    with pytest.raises(ValueError, match=r"^seeds\[i\] must be in \[0, 4294967295\], "
                                         r"got 4294967296$"):
        comp.initial_weights(4, 2, [2**32])
    with pytest.raises(TypeError, match=r"^seeds must be a sequence of integers, got int$"):
        comp.initial_weights(4, 2, 3)
    with pytest.raises(TypeError, match=r"^seeds must be a sequence of integers, got str$"):
        comp.initial_weights(4, 2, "01")
    with pytest.raises(ValueError, match=r"^k must be in \[1, inf\], got 0$"):
        comp.initial_weights(4, 0, [0])
    with pytest.raises(ValueError, match=r"^n must be in \[1, inf\], got 0$"):
        comp.initial_weights(0, 2, [0])


def _torch_step(W, W_tilde, X, penalties, nested, lr):
    """One gradient step on the same objective, by autograd in float64."""
    W = torch.tensor(W, requires_grad=True)
    V = torch.tensor(W_tilde, requires_grad=True)
    Xt = torch.tensor(X)
    k = W.shape[0]
    if nested is None:
        loss = ((Xt @ W.T @ V.T - Xt) ** 2).mean()
    else:
        loss = sum(p * ((Xt @ W.T @ (V * (torch.arange(k) < b)).T - Xt) ** 2).mean()
                   for b, p in enumerate(nested, 1))
    g = torch.tensor(np.broadcast_to(penalties, (k,)).copy())
    loss = loss + 0.5 * (g @ (W ** 2).sum(1) + g @ (V ** 2).sum(0))
    loss.backward()
    return (W - lr * W.grad).detach().numpy(), (V - lr * V.grad).detach().numpy()


@pytest.mark.parametrize("penalties, nested", [(0.0, None), (0.3, None),
                                               (np.array([0.1, 0.2, 0.4]), None),
                                               (0.0, np.array([0.2, 0.3, 0.5])),
                                               (0.1, np.array([0.5, 0.0, 0.5])),
                                               (0.0, np.array([0.6, 0.4, 0.0])),
                                               (0.0, np.array([1.0, 0.0, 0.0]))])
def test_one_step_equals_autograd(penalties, nested):
    X = random_data(4, 5)
    run = comp.train_regularized(X, 3, [2], penalties=penalties, nested=nested, steps=1,
                                 lr=0.1, record_every=1)
    W0, V0 = comp.initial_weights(5, 3, [2])
    W1, V1 = _torch_step(W0[0], V0[0], X, penalties, nested, 0.1)
    assert np.allclose(run.W[0], W1, atol=1e-12) and np.allclose(run.W_tilde[0], V1, atol=1e-12)
    assert np.array_equal(run.steps, [0, 1])
    for W, V, mse in ((W0[0], V0[0], run.mse[0, 0]), (W1, V1, run.mse[0, 1])):
        full = np.mean((X - X @ W.T @ V.T) ** 2)            # the full network's, always
        assert mse == pytest.approx(full, rel=1e-12)
    assert np.array_equal(run.W_history[0, 0], W0[0])
    assert np.array_equal(run.W_tilde_history[0, 0], V0[0])


def test_defaults_no_penalty_1000_steps_of_half_recorded_every_10():
    default = comp.train_regularized(X_IRIS, 2, [0])
    explicit = comp.train_regularized(X_IRIS, 2, [0], penalties=0.0, nested=None, steps=1000,
                                      lr=0.5, record_every=10)
    assert np.array_equal(default.steps, np.arange(0, 1001, 10))
    assert np.array_equal(default.W, explicit.W) and np.array_equal(default.mse, explicit.mse)


def test_records_and_per_run_penalties():
    run = comp.train_regularized(X_IRIS, 2, [0, 0], penalties=np.array([[0.0, 0.0],
                                                                       [0.2, 0.2]]),
                                 steps=25, lr=0.5, record_every=10)
    assert np.array_equal(run.steps, [0, 10, 20, 25])
    assert run.W_history.shape == (2, 4, 2, 4) and run.mse.shape == (2, 4)
    assert np.array_equal(run.W_history[:, -1], run.W)
    assert np.linalg.norm(run.W[1]) < np.linalg.norm(run.W[0])   # the penalty shrinks
    shorter = comp.train_regularized(X_IRIS, 2, [0, 0], penalties=np.array([[0.0, 0.0],
                                                                           [0.2, 0.2]]),
                                     steps=10, lr=0.5)
    assert np.array_equal(run.W_history[:, 1], shorter.W)    # the record after 10 steps
    assert np.array_equal(run.W_tilde_history[:, 1], shorter.W_tilde)
    assert np.array_equal(run.mse[:, 1], shorter.mse[:, -1])


def test_a_code_of_one_unit_trains():
    pc = linalg.pca(X_IRIS)
    run = comp.train_regularized(X_IRIS, 1, [0], steps=1000, lr=0.5, record_every=1000)
    # measured: at most 5e-5 degrees on seeds 0-2
    assert comp.direction_angles(run.W_tilde[0], pc.components[:, :1])[0] < 1e-3


def test_too_large_a_step_diverges_quietly():
    with warnings.catch_warnings():
        warnings.simplefilter("error")                       # no numpy overflow warnings
        run = comp.train_regularized(X_IRIS, 2, [0], steps=200, lr=50.0, record_every=200)
    assert not np.all(np.isfinite(run.mse[0, -1]))


def test_uniform_penalty_reaches_kunins_minimum():
    pc = linalg.pca(X_IRIS)
    run = comp.train_regularized(X_IRIS, 2, [0], penalties=0.1, steps=1500, lr=0.5)
    sv, vectors = comp.svd_components(run.W_tilde[0])
    assert np.allclose(sv, comp.l2_singular_values(pc.eigenvalues[:2], 0.1, 4), atol=1e-10)
    assert comp.direction_angles(vectors, pc.components[:, :2]).max() < 1e-6
    assert np.allclose(run.W[0], run.W_tilde[0].T, atol=1e-10)


def test_per_unit_penalties_align_the_units():
    pc = linalg.pca(X_IRIS)
    run = comp.train_regularized(X_IRIS, 2, [0, 1], penalties=np.array([0.1, 0.2]),
                                 steps=3000, lr=0.5, record_every=3000)
    assert comp.direction_angles(run.W_tilde, pc.components[:, :2]).max() < 0.01
    m = 1 - 4 * np.array([0.1, 0.2]) / (2 * pc.eigenvalues[:2])
    assert np.allclose(np.sum(run.W_tilde ** 2, axis=1), m, atol=1e-4)


def test_train_regularized_rejects_bad_input():
    with pytest.raises(ValueError, match=r"^k must be in \[1, 4\], got 5$"):
        comp.train_regularized(X_IRIS, 5, [0])
    with pytest.raises(ValueError, match=r"^k must be in \[1, 4\], got 0$"):
        comp.train_regularized(X_IRIS, 0, [0])
    with pytest.raises(ValueError, match=r"^penalties must be >= 0$"):
        comp.train_regularized(X_IRIS, 2, [0], penalties=-0.1)
    with pytest.raises(ValueError, match=r"^penalties must be a number or have shape \(2,\) "
                                         r"or \(1, 2\), got shape \(3,\)$"):
        comp.train_regularized(X_IRIS, 2, [0], penalties=np.ones(3))
    with pytest.raises(TypeError, match=r"^penalties must hold numbers"):
        comp.train_regularized(X_IRIS, 2, [0], penalties="a")
    message = r"^nested must hold k probabilities >= 0 that sum to 1$"
    with pytest.raises(ValueError, match=message):
        comp.train_regularized(X_IRIS, 2, [0], nested=np.array([0.5, 0.6]))
    with pytest.raises(ValueError, match=message):
        comp.train_regularized(X_IRIS, 2, [0], nested=np.array([1.5, -0.5]))
    with pytest.raises(ValueError, match=r"^nested must have shape"):
        comp.train_regularized(X_IRIS, 2, [0], nested=np.array([1.0]))
    with pytest.raises(ValueError, match=r"^steps must be in \[1, inf\], got 0$"):
        comp.train_regularized(X_IRIS, 2, [0], steps=0)
    with pytest.raises(ValueError, match=r"^lr must be finite and > 0, got 0.0$"):
        comp.train_regularized(X_IRIS, 2, [0], lr=0.0)
    with pytest.raises(ValueError, match=r"^record_every must be in \[1, inf\], got 0$"):
        comp.train_regularized(X_IRIS, 2, [0], record_every=0)
    with pytest.raises(ValueError, match=r"^X must be finite"):
        comp.train_regularized(np.full((5, 4), np.nan), 2, [0])
    with pytest.raises(ValueError, match=r"^X must be a 2-D array"):
        comp.train_regularized(X_IRIS[:, 0], 1, [0])


# ------------------------------------------------------------ Hebbian rules


def test_one_sanger_update_by_hand():
    X = random_data(0, 3, N=1)                       # a single sample
    run = comp.generalized_hebbian(X, 2, [5], lr=0.1, epochs=1)
    W = comp.initial_weights(3, 2, [5])[0][0]
    x = X[0]
    y = W @ x
    expected = W + 0.1 * (np.outer(y, x) - np.tril(np.outer(y, y)) @ W)
    assert np.allclose(run.W[0], expected)
    assert np.array_equal(run.history[0, 0], W)


def test_the_rate_decays_with_the_number_of_updates():
    X = random_data(1, 3, N=2)
    run = comp.generalized_hebbian(X, 2, [4], lr=0.1, epochs=2, lr_decay=0.5)
    W = comp.initial_weights(3, 2, [4])[0][0]
    rng, t = np.random.default_rng(4), 0
    for epoch in range(2):
        for i in rng.permutation(2):                         # the run's own order
            y = W @ X[i]
            W = W + 0.1 / (1 + 0.5 * t) * (np.outer(y, X[i]) - np.tril(np.outer(y, y)) @ W)
            t += 1
    assert np.allclose(run.W[0], W, rtol=1e-13, atol=0)


def test_history_holds_the_start_and_each_epoch():
    run = comp.generalized_hebbian(X_IRIS, 2, [0, 1], lr=0.01, epochs=3)
    assert np.array_equal(run.history[:, 0], comp.initial_weights(4, 2, [0, 1])[0])
    for epochs in (1, 2, 3):
        shorter = comp.generalized_hebbian(X_IRIS, 2, [0, 1], lr=0.01, epochs=epochs)
        assert np.array_equal(run.history[:, epochs], shorter.W)


def test_sanger_defaults_are_a_rate_of_0005_for_30_epochs():
    default = comp.generalized_hebbian(X_IRIS, 1, [0])
    explicit = comp.generalized_hebbian(X_IRIS, 1, [0], lr=0.005, epochs=30, lr_decay=0.0)
    assert default.history.shape == (1, 31, 1, 4)
    assert np.array_equal(default.W, explicit.W)


def test_oja_is_sanger_with_one_unit():
    a = comp.oja(X_IRIS, [3], lr=0.01, epochs=2, lr_decay=0.1)
    b = comp.generalized_hebbian(X_IRIS, 1, [3], lr=0.01, epochs=2, lr_decay=0.1)
    assert np.array_equal(a.W, b.W)
    assert np.array_equal(comp.oja(X_IRIS, [3]).W, comp.generalized_hebbian(X_IRIS, 1, [3]).W)


def test_sanger_finds_the_ordered_components_of_well_separated_data():
    rng = np.random.default_rng(1)
    rotation, _ = np.linalg.qr(rng.normal(size=(4, 4)))
    X = rng.normal(size=(400, 4)) * np.sqrt([4.0, 2.0, 1.0, 0.1]) @ rotation.T
    X -= X.mean(axis=0)
    pc = linalg.pca(X)
    run = comp.generalized_hebbian(X, 3, [0, 1], lr=0.01, epochs=40, lr_decay=0.001)
    angles = comp.direction_angles(run.W.transpose(0, 2, 1), pc.components[:, :3])
    assert angles.max() < 2
    assert np.allclose(np.linalg.norm(run.W, axis=2), 1, atol=0.02)


def test_rates_per_run_equal_separate_runs_and_divergence_is_flagged():
    with warnings.catch_warnings():
        warnings.simplefilter("error")                       # flagged, not warned about
        together = comp.generalized_hebbian(X_IRIS, 2, [0, 0, 1],
                                            lr=np.array([0.01, 5.0, 0.02]), epochs=3)
    alone = comp.generalized_hebbian(X_IRIS, 2, [1], lr=0.02, epochs=3)
    assert np.allclose(together.W[2], alone.W[0])
    assert list(together.diverged) == [False, True, False]
    assert np.all(np.isnan(together.W[1]))
    assert together.history.shape == (3, 4, 2, 4)


def test_weights_beyond_a_million_count_as_diverged_quietly_even_while_finite():
    # One sample 8 times: with lr 1e-5, |W| ends the epoch near 1e276, still finite; with
    # 3e-5 it overflows to inf in the 7th update and to NaN in the 8th.
    X = np.array([[1000.0, 0.0]] * 8)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        run = comp.generalized_hebbian(X, 1, [0, 0, 0], lr=np.array([1e-7, 1e-5, 3e-5]),
                                       epochs=2)
    assert list(run.diverged) == [False, True, True]
    assert np.all(np.isnan(run.history[1:, 1:])) and np.all(np.isfinite(run.history[0]))


def test_generalized_hebbian_rejects_bad_input():
    with pytest.raises(ValueError, match=r"^lr must be > 0, a number or one per seed "
                                         r"\(shape \(1,\)\), got 0.0$"):
        comp.generalized_hebbian(X_IRIS, 2, [0], lr=0.0)
    with pytest.raises(ValueError, match=r"^lr must be > 0, a number or one per seed "
                                         r"\(shape \(2,\)\), got shape \(3,\)$"):
        comp.generalized_hebbian(X_IRIS, 2, [0, 1], lr=np.array([0.1, 0.1, 0.1]))
    with pytest.raises(TypeError, match=r"^lr must hold numbers"):
        comp.generalized_hebbian(X_IRIS, 2, [0], lr="fast")
    with pytest.raises(ValueError, match=r"^lr_decay must be finite and >= 0, got -1.0$"):
        comp.generalized_hebbian(X_IRIS, 2, [0], lr_decay=-1.0)
    with pytest.raises(ValueError, match=r"^epochs must be in \[1, inf\], got 0$"):
        comp.generalized_hebbian(X_IRIS, 2, [0], epochs=0)
    with pytest.raises(ValueError, match=r"^k must be in \[1, 4\], got 5$"):
        comp.generalized_hebbian(X_IRIS, 5, [0])
    with pytest.raises(ValueError, match=r"^k must be in \[1, 4\], got 0$"):
        comp.generalized_hebbian(X_IRIS, 0, [0])
    with pytest.raises(ValueError, match=r"^seeds must not be empty$"):
        comp.oja(X_IRIS, [])
    with pytest.raises(ValueError, match=r"^X must be a 2-D array"):
        comp.oja(np.ones(4), [0])


def test_direction_angles_against_a_longer_reference_and_their_errors():
    """The reference's length does not matter either; each check names its argument."""
    u = np.array([[2.0], [0.0], [0.0]])                        # length 2
    v = np.array([[1.0], [1.0], [0.0]])
    assert comp.direction_angles(v, u)[0] == pytest.approx(45.0, abs=1e-12)
    with pytest.raises(ValueError, match=r"^vectors must be finite"):
        comp.direction_angles(np.full((3, 1), np.nan), u)
    with pytest.raises(ValueError, match=r"^reference must be finite"):
        comp.direction_angles(v, np.full((3, 1), np.nan))
    with pytest.raises(ValueError, match=r"^vectors must have shape \(\.\.\., 3, 1\), got \(2, 1\)$"):
        comp.direction_angles(np.ones((2, 1)), u)
    with pytest.raises(ValueError, match=r"^vectors and reference must have nonzero columns$"):
        comp.direction_angles(v, np.zeros((3, 1)))
    with pytest.raises(ValueError, match=r"^vectors and reference must have nonzero columns$"):
        comp.direction_angles(np.zeros((3, 1)), u)


def test_penalty_checks_want_one_weight_decay_per_value_of_the_last_axis():
    with pytest.raises(ValueError, match=r"^weight_decay must be a number or have shape \(3,\), "
                                         r"got shape \(2,\)$"):
        comp.l2_singular_values(np.ones((2, 3)), np.ones(2), 4)


def _rate_to_reach(target, W0, x):
    """The lr whose one update of a 1 x 1 network on the sample x lands exactly on target,
    in the helper's arithmetic: W + lr (y x - LT(y y) W), y = W x."""
    def update(lr):
        y = W0 * x
        return W0 + lr * (y * x - (y * y * 1.0) * W0)
    lr = (target / W0 - 1) / (x * x * (1 - W0 * W0))          # W1 = W0 (1 + lr x^2 (1 - W0^2))
    for _ in range(100):
        reached = update(lr)
        if reached == target:
            return lr
        lr = np.nextafter(lr, np.inf if abs(reached) < abs(target) else 0.0)
    raise AssertionError("no rate lands exactly on the target")


def test_a_weight_of_exactly_a_million_is_kept_and_the_next_float_up_diverges():
    W0 = comp.initial_weights(1, 1, [0])[0][0, 0, 0]
    limit = np.copysign(1e6, W0)
    lr = _rate_to_reach(limit, W0, 2.0)
    above = np.nextafter(lr, np.inf)
    run = comp.generalized_hebbian(np.array([[2.0]]), 1, [0, 0], lr=np.array([lr, above]),
                                   epochs=1)
    assert run.W[0, 0, 0] == limit and not run.diverged[0]
    assert list(run.diverged) == [False, True] and np.isnan(run.W[1, 0, 0])


def test_weights_that_reach_inf_minus_inf_diverge_without_a_warning():
    # a huge rate: W overflows to infinity in the 2nd update; in the 3rd, y x - y y W is
    # inf - inf, an invalid operation (NaN) that must not warn
    X = np.array([[3.0]] * 4)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        run = comp.generalized_hebbian(X, 1, [0], lr=1e300, epochs=1)
    assert list(run.diverged) == [True] and np.isnan(run.W).all()
