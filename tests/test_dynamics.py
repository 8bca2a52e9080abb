"""Unit and bad-input tests of helpers.dynamics (full-batch training on the covariance, Saxe curves)."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
import torch

from helpers import data, dynamics, landscape, linalg, training


@pytest.fixture(scope="module")
def iris():
    X = data.iris().X
    result = linalg.pca(X)
    return X, X.T @ X / X.shape[0], result.eigenvalues, result.components


# ---------------------------------------------------------------- gradients and loss

def test_covariance_gradients_and_mse_match_autograd(iris):
    X, C, _, _ = iris
    rng = np.random.default_rng(0)
    W, W_tilde = rng.normal(size=(3, 2, 4)), rng.normal(size=(3, 4, 2))
    gW, gWt = dynamics.covariance_gradients(C, W, W_tilde)
    mse = dynamics.covariance_mse(C, W, W_tilde)
    assert gW.shape == (3, 2, 4) and gWt.shape == (3, 4, 2) and mse.shape == (3,)
    for s in range(3):
        d = landscape.loss_derivatives(X, W[s], W_tilde[s])
        assert np.allclose(landscape.flatten(gW[s], gWt[s]), d.gradient, rtol=1e-12, atol=1e-14)
        assert np.isclose(mse[s], d.mse, rtol=1e-12)


def test_covariance_gradients_reject_bad_input(iris):
    _, C, _, _ = iris
    W, W_tilde = np.zeros((2, 4)), np.zeros((4, 2))
    with pytest.raises(ValueError, match="C must be a symmetric"):
        dynamics.covariance_gradients(C + np.triu(np.ones((4, 4)), 1), W, W_tilde)
    with pytest.raises(ValueError, match="C must be a symmetric"):
        dynamics.covariance_gradients(C[:3], W, W_tilde)
    with pytest.raises(ValueError, match="W must have shape"):
        dynamics.covariance_gradients(C, np.zeros((2, 3)), np.zeros((3, 2)))
    with pytest.raises(ValueError, match="W must have shape"):
        dynamics.covariance_mse(C, W, np.zeros((4, 3)))
    with pytest.raises(ValueError, match="finite"):
        dynamics.covariance_mse(C, W * np.nan, W_tilde)


# ---------------------------------------------------------------- train

def test_gradient_descent_takes_exactly_the_gradient_steps(iris):
    X, C, _, U = iris
    W0, Wt0 = dynamics.small_init(4, 2, [5], scale=0.3)
    run = dynamics.train(X, W0, Wt0, steps=3, lr=0.1, keep_weights=True)
    W, Wt = W0[0], Wt0[0]
    for step in range(4):
        assert np.allclose(run.W[0, step], W, atol=1e-15)
        assert np.allclose(run.W_tilde[0, step], Wt, atol=1e-15)
        assert np.allclose(run.strengths[0, step], np.diag(U.T @ Wt @ W @ U), atol=1e-15)
        assert np.isclose(run.mse[0, step], dynamics.covariance_mse(C, W, Wt), rtol=1e-13)
        gW, gWt = dynamics.covariance_gradients(C, W, Wt)
        W, Wt = W - 0.1 * gW, Wt - 0.1 * gWt
    assert np.array_equal(run.steps, np.arange(4))
    assert np.allclose(run.W_end[0], run.W[0, -1]) and np.allclose(run.W_tilde_end[0], run.W_tilde[0, -1])


def test_adam_is_pytorchs_adam(iris):
    X, C, _, _ = iris
    W0, Wt0 = dynamics.pytorch_init(4, 3, [1])
    run = dynamics.train(X, W0, Wt0, steps=25, lr=0.01, method="adam")
    W = torch.tensor(W0[0], requires_grad=True)
    Wt = torch.tensor(Wt0[0], requires_grad=True)
    optimizer = torch.optim.Adam([W, Wt], lr=0.01)
    Ct = torch.tensor(C)
    for _ in range(25):
        optimizer.zero_grad()
        E = torch.eye(4, dtype=torch.float64) - Wt @ W
        (torch.trace(E @ Ct @ E.T) / 4).backward()
        optimizer.step()
    assert np.allclose(run.W_end[0], W.detach().numpy(), rtol=0, atol=1e-13)
    assert np.allclose(run.W_tilde_end[0], Wt.detach().numpy(), rtol=0, atol=1e-13)


def test_train_runs_many_starts_as_if_one_by_one_and_records_chosen_steps(iris):
    X, _, _, _ = iris
    W0, Wt0 = dynamics.small_init(4, 2, [0, 1, 2], scale=0.1)
    record = np.array([0, 5, 17, 40])
    together = dynamics.train(X, W0, Wt0, steps=40, lr=0.05, record=record)
    assert together.strengths.shape == (3, 4, 4) and together.mse.shape == (3, 4)
    assert together.W is None and together.W_tilde is None
    for s in range(3):
        alone = dynamics.train(X, W0[s], Wt0[s], steps=40, lr=0.05, record=record)
        assert np.allclose(alone.mse[0], together.mse[s], rtol=1e-12)
        assert np.allclose(alone.W_end[0], together.W_end[s], atol=1e-14)
    short = dynamics.train(X, W0, Wt0, steps=40, lr=0.05, record=np.array([0, 10]))
    assert np.allclose(short.W_end, together.W_end)   # trains to the end regardless


def test_gradient_descent_from_small_weights_reaches_the_bound(iris):
    X, _, lam, _ = iris
    W0, Wt0 = dynamics.small_init(4, 2, [3], scale=0.01)
    run = dynamics.train(X, W0, Wt0, steps=2000, lr=0.1, record=np.array([0, 2000]))
    assert abs(run.mse[0, -1] / linalg.eckart_young_bound(lam, 2) - 1) < 1e-6
    assert np.allclose(run.strengths[0, -1], [1, 1, 0, 0], atol=1e-3)


def test_train_rejects_bad_input(iris):
    X, _, _, _ = iris
    W0, Wt0 = np.zeros((2, 4)), np.zeros((4, 2))
    with pytest.raises(ValueError, match="method must be one of"):
        dynamics.train(X, W0, Wt0, steps=3, lr=0.1, method="sgd")
    with pytest.raises(ValueError, match="lr must be finite and > 0"):
        dynamics.train(X, W0, Wt0, steps=3, lr=-0.1)
    with pytest.raises(ValueError, match=r"steps must be in \[1, inf\]"):
        dynamics.train(X, W0, Wt0, steps=0, lr=0.1)
    with pytest.raises(ValueError, match="W0 must have shape"):
        dynamics.train(X, np.zeros((2, 3)), Wt0, steps=3, lr=0.1)
    with pytest.raises(ValueError, match="W_tilde0 must have shape"):
        dynamics.train(X, W0, np.zeros((4, 3)), steps=3, lr=0.1)
    with pytest.raises(ValueError, match="record must be increasing"):
        dynamics.train(X, W0, Wt0, steps=3, lr=0.1, record=np.array([0, 4]))
    with pytest.raises(ValueError, match="record must be increasing"):
        dynamics.train(X, W0, Wt0, steps=3, lr=0.1, record=np.array([2, 1]))
    with pytest.raises(TypeError, match="record must be"):
        dynamics.train(X, W0, Wt0, steps=3, lr=0.1, record=np.array([0.5]))
    with pytest.raises(TypeError, match="keep_weights must be a bool"):
        dynamics.train(X, W0, Wt0, steps=3, lr=0.1, keep_weights="yes")
    with pytest.raises(ValueError, match="finite"):
        dynamics.train(X, W0 * np.nan, Wt0, steps=3, lr=0.1)


# ---------------------------------------------------------------- initial weights

def test_small_init_is_seeded_and_scaled():
    W, Wt = dynamics.small_init(4, 2, [0, 1], scale=0.01)
    assert W.shape == (2, 2, 4) and Wt.shape == (2, 4, 2)
    again = dynamics.small_init(4, 2, [1], scale=0.01)
    assert np.array_equal(again[0][0], W[1]) and np.array_equal(again[1][0], Wt[1])
    rng = np.random.default_rng(0)
    assert np.array_equal(W[0], rng.normal(scale=0.01, size=(2, 4)))
    with pytest.raises(ValueError, match="scale must be finite and > 0"):
        dynamics.small_init(4, 2, [0], scale=0.0)
    with pytest.raises(ValueError, match="seeds must not be empty"):
        dynamics.small_init(4, 2, [], scale=0.1)
    with pytest.raises(ValueError, match=r"seeds\[i\]"):
        dynamics.small_init(4, 2, [-1], scale=0.1)


def test_pytorch_init_is_fit_linear_autoencoders_start(iris):
    X = iris[0]
    W, Wt = dynamics.pytorch_init(4, 2, [0, 7])
    assert W.shape == (2, 2, 4) and W.dtype == np.float64
    model, _ = training.fit_linear_autoencoder(X, 2, seed=7, recipe="adam", steps=1)
    training.seed_everything(7)
    from helpers.models import Autoencoder
    fresh = Autoencoder(4, 2, bias=False)
    assert np.array_equal(W[1], fresh.W.detach().double().numpy())
    assert np.array_equal(Wt[1], fresh.W_tilde.detach().double().numpy())
    with pytest.raises(TypeError, match="n_hidden must be an integer"):
        dynamics.pytorch_init(4, 2.5, [0])
    with pytest.raises(ValueError, match="seeds must not be empty"):
        dynamics.pytorch_init(4, 2, [])


# ---------------------------------------------------------------- Saxe's curves

def test_mode_strength_solves_the_logistic_equation():
    t = np.linspace(0, 40, 4001)
    s = dynamics.mode_strength(t, 0.9, 1e-4, 4)
    assert s[0] == pytest.approx(1e-4) and s[-1] == pytest.approx(1, abs=1e-6)
    derivative = np.gradient(s, t)
    assert np.allclose(derivative, 4 * 0.9 / 4 * s * (1 - s), atol=2e-4)
    half = dynamics.half_time(0.9, 1e-4, 4)
    assert dynamics.mode_strength(np.array([half]), 0.9, 1e-4, 4)[0] == pytest.approx(0.5)
    assert np.all(np.isfinite(dynamics.mode_strength(np.array([1e6]), 3.0, 1e-9, 4)))


def test_half_time_with_steps_tends_to_the_flow():
    flow = dynamics.half_time(2.0, 1e-3, 4)
    steps = [dynamics.half_time(2.0, 1e-3, 4, lr=lr) for lr in (0.2, 0.02, 0.002)]
    assert steps[0] > steps[1] > steps[2] > flow
    assert steps[2] == pytest.approx(flow, rel=2e-3)


def test_half_time_predicts_aligned_balanced_gradient_descent(iris):
    X, _, lam, U = iris
    a = np.array([0.01, 0.02])                  # decoupled, balanced, small
    W0 = a[:, None] * U[:, :2].T
    Wt0 = U[:, :2] * a
    assert np.allclose(dynamics.initial_strengths(W0, Wt0, U)[0], a ** 2)
    run = dynamics.train(X, W0, Wt0, steps=1200, lr=0.01)
    t = 0.01 * run.steps
    measured = dynamics.crossing_times(t, run.strengths[0].T, 0.5)
    for j in range(2):
        predicted = dynamics.half_time(lam[j], a[j] ** 2, 4, lr=0.01)
        assert measured[j] == pytest.approx(predicted, rel=2e-3)


def test_initial_strengths_use_gram_schmidt_in_eigenvalue_order(iris):
    _, _, _, U = iris
    W0 = np.array([[1.0, 1.0, 0.0, 0.0], [0.0, 0.0, 0.0, 0.0]]) @ U.T   # c_1 = c_2 = (1, 0)/2 ...
    Wt0 = W0.T.copy()
    s0 = dynamics.initial_strengths(W0, Wt0, U)
    assert s0.shape == (1, 2)
    assert s0[0, 0] == pytest.approx(1.0) and s0[0, 1] == pytest.approx(0.0, abs=1e-24)
    fraction = dynamics.initial_strengths(W0, Wt0, U, relative=True)
    assert fraction[0, 0] == pytest.approx(1.0) and fraction[0, 1] == pytest.approx(0.0, abs=1e-24)
    with pytest.raises(TypeError, match="relative must be a bool"):
        dynamics.initial_strengths(W0, Wt0, U, relative=1)
    with pytest.raises(ValueError, match="components must be square"):
        dynamics.initial_strengths(W0, Wt0, U[:, :2])


def test_crossing_times_interpolate():
    times = np.array([0.0, 1.0, 2.0, 3.0])
    values = np.array([[0.0, 0.2, 0.6, 1.0], [0.7, 0.8, 0.9, 1.0], [0.0, 0.1, 0.1, 0.1]])
    crossed = dynamics.crossing_times(times, values, 0.5)
    assert crossed[0] == pytest.approx(1.75) and crossed[1] == 0.0 and np.isnan(crossed[2])
    assert dynamics.crossing_times(times, values[0], 0.5) == pytest.approx(1.75)
    with pytest.raises(ValueError, match="times must be increasing"):
        dynamics.crossing_times(times[::-1], values, 0.5)
    with pytest.raises(ValueError, match="4 entries along the last axis"):
        dynamics.crossing_times(times, values[:, :3], 0.5)
    with pytest.raises(TypeError, match="level must be a finite real number"):
        dynamics.crossing_times(times, values, "half")
    with pytest.raises(TypeError, match="level must be a finite real number"):
        dynamics.crossing_times(times, values, float("nan"))


def test_saxe_curves_reject_bad_input():
    with pytest.raises(ValueError, match="t must be >= 0"):
        dynamics.mode_strength(np.array([-1.0]), 1.0, 0.1, 4)
    with pytest.raises(ValueError, match=r"initial must be in \(0, 1\)"):
        dynamics.mode_strength(np.array([1.0]), 1.0, 1.0, 4)
    with pytest.raises(ValueError, match="eigenvalue must be finite and > 0"):
        dynamics.half_time(0.0, 0.1, 4)
    with pytest.raises(ValueError, match=r"initial must be in \(0, 1\)"):
        dynamics.half_time(1.0, 2.0, 4)
    with pytest.raises(ValueError, match="lr must be finite and > 0"):
        dynamics.half_time(1.0, 0.1, 4, lr=0.0)
    with pytest.raises(TypeError, match="n must be an integer"):
        dynamics.half_time(1.0, 0.1, 4.5)


# ---------------------------------------------------------------- what mutation testing showed unchecked

@pytest.mark.parametrize("call, exc, match", [
    (lambda: dynamics.small_init(0, 2, [0], 0.1), ValueError, r"^n_inputs must be in \[1, inf\]"),
    (lambda: dynamics.small_init(4, 0, [0], 0.1), ValueError, r"^n_hidden must be in \[1, inf\]"),
    (lambda: dynamics.small_init(4, 2, [-1], 0.1), ValueError, r"^seeds\[i\] must be in \[0, inf\]"),
    (lambda: dynamics.small_init(4, 2, [], 0.1), ValueError, r"^seeds must not be empty$"),
    (lambda: dynamics.pytorch_init(0, 2, [0]), ValueError, r"^n_inputs must be in \[1, inf\]"),
    (lambda: dynamics.pytorch_init(4, 0, [0]), ValueError, r"^n_hidden must be in \[1, inf\]"),
    (lambda: dynamics.pytorch_init(4, 2, [-1]), ValueError, r"^seeds\[i\] must be in \[0, inf\]"),
    (lambda: dynamics.pytorch_init(4, 2, []), ValueError, r"^seeds must not be empty$"),
    (lambda: dynamics.covariance_gradients(np.ones(3), np.ones((1, 3)), np.ones((3, 1))),
     ValueError, r"^C must be a 2-D array"),
    (lambda: dynamics.covariance_gradients(np.full((3, 3), np.nan), np.ones((1, 3)),
                                           np.ones((3, 1))), ValueError, r"^C must be finite"),
    (lambda: dynamics.covariance_gradients(np.eye(3), np.full((1, 3), np.nan), np.ones((3, 1))),
     ValueError, r"^W must be finite"),
    (lambda: dynamics.covariance_gradients(np.eye(3), np.ones((1, 3)), np.full((3, 1), np.nan)),
     ValueError, r"^W_tilde must be finite"),
    # a single vector is not a weight matrix (not an IndexError from its missing axis)
    (lambda: dynamics.covariance_gradients(np.eye(3), np.ones(3), np.ones(3)),
     ValueError, r"^W must have shape \(\.\.\., m, 3\)"),
    (lambda: dynamics.covariance_mse(np.ones(3), np.ones((1, 3)), np.ones((3, 1))),
     ValueError, r"^C must be a 2-D array"),
    (lambda: dynamics.covariance_mse(np.full((3, 3), np.nan), np.ones((1, 3)), np.ones((3, 1))),
     ValueError, r"^C must be finite"),
    (lambda: dynamics.covariance_mse(np.eye(3), np.full((1, 3), np.nan), np.ones((3, 1))),
     ValueError, r"^W must be finite"),
    (lambda: dynamics.mode_strength(np.array([-1.0]), 1.0, 0.1, 4), ValueError, r"^t must be >= 0$"),
    (lambda: dynamics.mode_strength(np.array([np.nan]), 1.0, 0.1, 4), ValueError,
     r"^t must be finite"),
    (lambda: dynamics.mode_strength(np.array([1.0]), 0.0, 0.1, 4), ValueError,
     r"^eigenvalue must be finite and > 0"),
    (lambda: dynamics.mode_strength(np.array([1.0]), 1.0, 0.0, 4), ValueError,
     r"^initial must be finite and > 0"),
    (lambda: dynamics.mode_strength(np.array([1.0]), 1.0, 1.0, 4), ValueError,
     r"^initial must be in \(0, 1\), got 1.0$"),
    (lambda: dynamics.mode_strength(np.array([1.0]), 1.0, 1.5, 4), ValueError,
     r"^initial must be in \(0, 1\), got 1.5$"),
    (lambda: dynamics.mode_strength(np.array([1.0]), 1.0, 0.1, 0), ValueError,
     r"^n must be in \[1, inf\]"),
    (lambda: dynamics.half_time(0.0, 0.1, 4), ValueError, r"^eigenvalue must be finite and > 0"),
    (lambda: dynamics.half_time(1.0, 0.0, 4), ValueError, r"^initial must be finite and > 0"),
    (lambda: dynamics.half_time(1.0, 1.0, 4), ValueError, r"^initial must be in \(0, 1\), got 1.0$"),
    (lambda: dynamics.half_time(1.0, 1.5, 4), ValueError, r"^initial must be in \(0, 1\), got 1.5$"),
    (lambda: dynamics.half_time(1.0, 0.1, 0), ValueError, r"^n must be in \[1, inf\]"),
    (lambda: dynamics.half_time(1.0, 0.1, 4, lr=0.0), ValueError, r"^lr must be finite and > 0"),
    (lambda: dynamics.initial_strengths(np.ones((1, 3)), np.ones((3, 1)), np.ones(3)),
     ValueError, r"^components must be a 2-D array"),
    (lambda: dynamics.initial_strengths(np.ones((1, 3)), np.ones((3, 1)),
                                        np.full((3, 3), np.nan)),
     ValueError, r"^components must be finite"),
    (lambda: dynamics.initial_strengths(np.ones((1, 3)), np.ones((3, 1)), np.eye(3),
                                        relative="yes"),
     TypeError, r"^relative must be a bool, got str$"),
    (lambda: dynamics.crossing_times(np.ones((2, 2)), np.ones(2), 0.5), ValueError,
     r"^times must be a 1-D array"),
    (lambda: dynamics.crossing_times(np.array([0.0, np.nan]), np.ones(2), 0.5), ValueError,
     r"^times must be finite"),
    (lambda: dynamics.crossing_times(np.array([0.0, 1.0, 1.0]), np.ones(3), 0.5), ValueError,
     r"^times must be increasing$"),
    (lambda: dynamics.crossing_times(np.array([0.0, 1.0]), np.array([0.0, np.nan]), 0.5),
     ValueError, r"^values must be finite"),
])
def test_each_check_names_its_argument_and_its_bound(call, exc, match):
    with pytest.raises(exc, match=match):
        call()


def test_the_smallest_valid_arguments_are_accepted():
    W0, Wt0 = dynamics.small_init(1, 1, [0], 0.1)
    assert W0.shape == (1, 1, 1) and Wt0.shape == (1, 1, 1)
    W0, Wt0 = dynamics.pytorch_init(1, 1, [0])
    assert W0.shape == (1, 1, 1) and Wt0.shape == (1, 1, 1)
    assert dynamics.mode_strength(np.array([0.0]), 1.0, 0.25, 1)[0] == pytest.approx(0.25)
    assert dynamics.half_time(1.0, 0.25, 1) == pytest.approx(np.log(3) / 4)


def test_relative_strengths_are_the_share_left_after_gram_schmidt():
    """c_1 = (3, 4), c_2 = (0, 5): |c_1|^2 = 25 survives whole; c_2 less its part along c_1,
    (0, 5) - 0.8 (3, 4) = (-2.4, 1.8), keeps 9 of its 25."""
    W = np.array([[3.0, 0.0, 0.0], [4.0, 5.0, 0.0]])            # m = 2, n = 3
    U = np.eye(3)
    np.testing.assert_allclose(dynamics.initial_strengths(W, W.T, U), [[25.0, 9.0]])
    np.testing.assert_allclose(dynamics.initial_strengths(W, W.T, U, relative=True),
                               [[1.0, 9.0 / 25.0]])


def test_crossing_times_interpolate_each_curve_and_count_a_touch():
    times = np.array([0.0, 1.0, 2.0, 3.0])
    values = np.array([[0.0, 0.5, 0.4, 1.0],       # touches 0.5 at t = 1, then dips
                       [0.0, 0.0, 0.0, 1.0],       # crosses between 2 and 3
                       [0.0, 1.0, 1.0, 1.0],       # crosses between the first two samples
                       [0.7, 0.8, 0.9, 1.0]])      # above from the start
    np.testing.assert_allclose(dynamics.crossing_times(times, values, 0.5), [1.0, 2.5, 0.5, 0.0])
    assert np.isnan(dynamics.crossing_times(times, np.zeros(4), 0.5))   # never reaches it


def test_crossing_times_warn_of_nothing():
    """A curve above the level from the first sample has no interval to interpolate in:
    no division by zero (a RuntimeWarning would show in the lesson's output)."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        t = dynamics.crossing_times(np.array([0.0, 1.0]), np.array([[2.0, 2.0], [0.0, 0.0]]), 1.0)
    np.testing.assert_array_equal(t, [0.0, np.nan])


def test_adam_records_what_its_kept_weights_give(iris):
    """Adam runs in the original coordinates: each record's strengths and MSE are those
    of the weights kept at that step, at the chosen steps only."""
    X, C, _, U = iris
    W0, Wt0 = dynamics.small_init(4, 2, [5, 6], scale=0.3)
    run = dynamics.train(X, W0, Wt0, steps=6, lr=0.05, method="adam", keep_weights=True,
                         record=np.array([0, 1, 4, 6]))
    assert run.W.shape == (2, 4, 2, 4) and run.mse.shape == (2, 4)
    np.testing.assert_array_equal(run.W[:, 0], W0)
    np.testing.assert_array_equal(run.W_tilde[:, 0], Wt0)
    for s in range(2):
        for r in range(4):
            W, Wt = run.W[s, r], run.W_tilde[s, r]
            assert np.allclose(run.strengths[s, r], np.diag(U.T @ Wt @ W @ U), atol=1e-15)
            assert np.isclose(run.mse[s, r], dynamics.covariance_mse(C, W, Wt), rtol=1e-13)
    np.testing.assert_array_equal(run.W[:, -1], run.W_end)
    assert run.mse[0, -1] < run.mse[0, 0]


@pytest.mark.parametrize("kwargs, exc, match", [
    ({"X": np.ones(4)}, ValueError, r"^X must be a 2-D array"),
    ({"betas": (0.9, 1.0)}, ValueError, r"^betas must be a pair of numbers in \[0, 1\), got \(0.9, 1.0\)$"),
    ({"betas": (0.9,)}, ValueError, r"^betas must be a pair"),
    ({"betas": ("a", 0.9)}, ValueError, r"^betas must be a pair"),
    ({"keep_weights": 1}, TypeError, r"^keep_weights must be a bool, got int$"),
    ({"record": np.array([], dtype=int)}, TypeError,
     r"^record must be a non-empty 1-D array of integers$"),
    ({"record": np.array([1])}, None, None),                         # one record is enough
    ({"record": np.array([0, 2])}, None, None),
    ({"record": np.array([-1, 2])}, ValueError, r"^record must be increasing steps in \[0, 3\]$"),
    ({"record": np.array([1, 4])}, ValueError, r"^record must be increasing steps in \[0, 3\]$"),
    ({"betas": (0.0, 0.0), "method": "adam"}, None, None),          # [0, 1) includes 0
])
def test_train_checks_name_their_argument_from_the_start(iris, kwargs, exc, match):
    X = iris[0]
    W0, Wt0 = dynamics.small_init(4, 2, [0], scale=0.1)
    args = {"X": X, "W0": W0, "W_tilde0": Wt0, "steps": 3, "lr": 0.01, **kwargs}
    if exc is None:
        assert dynamics.train(**args).steps.tolist() == list(kwargs.get("record", range(4)))
    else:
        with pytest.raises(exc, match=match):
            dynamics.train(**args)


# ---- refused weights: which argument, and the shape wanted ------------------------------

_X3 = np.array([[1.0, 0.0, 2.0], [0.0, 1.0, -1.0], [2.0, 1.0, 0.0]])


@pytest.mark.parametrize("W0, Wt0, exc, match", [
    (np.full((1, 3), np.nan), np.zeros((3, 1)), ValueError, r"^W0 must be finite"),
    ("W", np.zeros((3, 1)), TypeError, r"^W0 must hold numbers"),
    (np.zeros((1, 3)), np.full((3, 1), np.inf), ValueError, r"^W_tilde0 must be finite"),
    (np.zeros((1, 3)), [["a"], ["b"], ["c"]], TypeError, r"^W_tilde0 must hold numbers"),
    # S = 2 encoders of width m = 1 on n = 3 inputs want decoders (2, 3, 1)
    (np.zeros((2, 1, 3)), np.zeros((2, 1, 3)), ValueError,
     r"^W_tilde0 must have shape \(2, 3, 1\) to match W0, got \(2, 1, 3\)$"),
    (np.zeros((2, 1, 3)), np.zeros((3, 1)), ValueError,
     r"^W_tilde0 must have shape \(2, 3, 1\) to match W0, got \(1, 3, 1\)$"),
])
def test_train_names_the_refused_initial_weights(W0, Wt0, exc, match):
    with pytest.raises(exc, match=match):
        dynamics.train(_X3, W0, Wt0, steps=1, lr=0.01)


def test_train_refuses_a_repeated_record_step():
    W0, Wt0 = dynamics.small_init(3, 1, [0], scale=0.1)
    with pytest.raises(ValueError, match=r"^record must be increasing steps in \[0, 2\]$"):
        dynamics.train(_X3, W0, Wt0, steps=2, lr=0.01, record=np.array([0, 1, 1, 2]))


@pytest.mark.parametrize("C, W, Wt, match", [
    (np.array([[1.0, 1.0], [0.0, 1.0]]), np.zeros((1, 2)), np.zeros((2, 1)),
     r"^C must be a symmetric square matrix, got shape \(2, 2\)$"),
    (np.eye(2), np.zeros((1, 3)), np.zeros((2, 1)),                   # W has 3 inputs, not 2
     r"^W must have shape \(\.\.\., m, 2\) and W_tilde \(\.\.\., 2, m\), "
     r"got \(1, 3\) and \(2, 1\)$"),
    (np.eye(2), np.zeros((1, 2)), np.zeros((1, 2)),
     r"^W must have shape \(\.\.\., m, 2\) and W_tilde \(\.\.\., 2, m\), "
     r"got \(1, 2\) and \(1, 2\)$"),
])
def test_covariance_functions_name_the_refused_argument(C, W, Wt, match):
    for function in (dynamics.covariance_mse, dynamics.covariance_gradients):
        with pytest.raises(ValueError, match=match):
            function(C, W, Wt)


def test_covariance_functions_take_a_stack_of_narrow_networks():
    """S = 2 networks with m = 1 < n = 3: (2, 1, 3) and (2, 3, 1), as each alone."""
    C = _X3.T @ _X3 / 3
    W = np.array([[[1.0, 0.5, -0.5]], [[0.0, 2.0, 1.0]]])
    Wt = np.array([[[0.5], [1.0], [0.0]], [[-1.0], [0.5], [0.25]]])
    mse = dynamics.covariance_mse(C, W, Wt)
    gW, gWt = dynamics.covariance_gradients(C, W, Wt)
    assert mse.shape == (2,) and gW.shape == W.shape and gWt.shape == Wt.shape
    for s in range(2):
        assert mse[s] == dynamics.covariance_mse(C, W[s], Wt[s])
        alone = dynamics.covariance_gradients(C, W[s], Wt[s])
        np.testing.assert_array_equal(gW[s], alone[0])
        np.testing.assert_array_equal(gWt[s], alone[1])
