"""Unit tests of helpers.rounding: the float32 bounds hold for real torch
computations, are not vacuous, and bad input gets a named error."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch
from torch import nn

import helpers
from helpers.rounding import (ACTIVATION_ROUNDING, FLOAT32_EPS, forward_rounding_bound,
                              gamma_n, mse_rounding_bound)


def _model_and_data(seed: int, activation: str, n: int = 6, m: int = 3, N: int = 40):
    torch.manual_seed(seed)
    model = helpers.Autoencoder(n, m, activation=activation)
    X = np.random.default_rng(seed).normal(scale=3.0, size=(N, n))
    get = lambda t: t.detach().double().numpy()  # noqa: E731
    weights = dict(W=get(model.W), W_tilde=get(model.W_tilde),
                   b=get(model.encoder.bias), b_tilde=get(model.b_tilde))
    return model, X, weights


def _exact(X, W, W_tilde, b, b_tilde, activation):
    z = X @ W.T + b
    h = {"identity": z, "tanh": np.tanh(z), "sigmoid": 1 / (1 + np.exp(-z)),
         "relu": np.maximum(z, 0)}[activation]
    return h @ W_tilde.T + b_tilde


def test_float32_eps_and_gamma_n():
    assert FLOAT32_EPS == 2.0 ** -23
    assert gamma_n(0) == 0
    u = FLOAT32_EPS / 2
    # abs=0: pytest.approx's default absolute tolerance (1e-12) would swallow gamma_10 itself
    assert gamma_n(10) == pytest.approx(10 * u / (1 - 10 * u), rel=1e-15, abs=0)
    assert gamma_n(10, eps=np.finfo(float).eps) < gamma_n(10) / 1e8


@pytest.mark.parametrize("activation", ["tanh", "sigmoid"])
def test_activation_rounding_assumption_holds_for_torch(activation):
    # the one assumption of forward_rounding_bound: torch's float32 tanh and
    # sigmoid within ACTIVATION_ROUNDING units u of the exact value at their
    # float32 input (measured at most 1.0 u and 2.4 u), on normal outputs
    u = FLOAT32_EPS / 2
    gen = torch.Generator().manual_seed(0)
    z = torch.cat([torch.linspace(-80, 80, 400_001),
                   3 * torch.randn(400_000, generator=gen),
                   1e-3 * torch.randn(100_000, generator=gen)])
    f = getattr(torch, activation)
    exact = f(z.double())
    normal = exact.abs() > np.finfo(np.float32).tiny
    rel = ((f(z).double() - exact).abs() / exact.abs())[normal]
    assert rel.max().item() <= ACTIVATION_ROUNDING[activation] * u
    assert ACTIVATION_ROUNDING["identity"] == ACTIVATION_ROUNDING["relu"] == 0


@pytest.mark.parametrize("activation", ["identity", "tanh", "sigmoid", "relu"])
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_forward_bound_holds_for_torch_float32(activation, seed):
    model, X, w = _model_and_data(seed, activation)
    with torch.no_grad():
        out32 = model(torch.tensor(X, dtype=torch.float32)).double().numpy()
    error = np.abs(out32 - _exact(X, activation=activation, **w))
    bound = forward_rounding_bound(X, activation=activation, **w)
    assert bound.shape == X.shape
    assert np.all(error <= bound)
    # not vacuous: measured 7 to 28 times the largest error actually made
    assert bound.max() < 100 * error.max()


def test_forward_bound_without_biases_and_in_float64():
    _, X, w = _model_and_data(3, "identity")
    b32 = forward_rounding_bound(X, w["W"], w["W_tilde"])
    b64 = forward_rounding_bound(X, w["W"], w["W_tilde"], eps=np.finfo(float).eps)
    assert np.all(b64 < b32 * 1e-8)
    assert np.all(b32 > 0)


def test_mse_bound_holds_for_nn_mseloss():
    for seed in range(3):
        model, X, w = _model_and_data(seed, "tanh")
        X32 = torch.tensor(X, dtype=torch.float32)
        with torch.no_grad():
            mse32 = nn.MSELoss()(model(X32), X32).item()
        exact = _exact(X, activation="tanh", **w)
        mse64 = np.mean((X - exact) ** 2)
        bound = mse_rounding_bound(X, exact, forward_rounding_bound(X, activation="tanh", **w))
        assert abs(mse32 - mse64) <= bound
        assert bound < 1e-4 * mse64          # a bound at the level of float32


@pytest.mark.parametrize("call, error, pattern", [
    (lambda: gamma_n(-1), ValueError, "k"),
    (lambda: gamma_n(2.0), TypeError, "k must be an integer"),
    (lambda: gamma_n(3, eps=0.0), ValueError, "eps"),
    (lambda: gamma_n(2 ** 25), ValueError, "below 1"),
    (lambda: forward_rounding_bound(np.ones((3, 4)), np.ones((2, 5)), np.ones((5, 2))),
     ValueError, "X must have 5 columns"),
    (lambda: forward_rounding_bound(np.ones((3, 4)), np.ones((2, 4)), np.ones((2, 4))),
     ValueError, "W_tilde must have shape"),
    (lambda: forward_rounding_bound(np.ones((3, 4)), np.ones((2, 4)), np.ones((4, 2)),
                                    b=np.ones(3)), ValueError, "b must have shape"),
    (lambda: forward_rounding_bound(np.ones((3, 4)), np.ones((2, 4)), np.ones((4, 2)),
                                    b_tilde=np.ones(2)), ValueError, "b_tilde must have shape"),
    (lambda: forward_rounding_bound(np.full((3, 4), np.nan), np.ones((2, 4)), np.ones((4, 2))),
     ValueError, "X must be finite"),
    (lambda: forward_rounding_bound(np.ones((3, 4)), np.ones((2, 4)), np.ones((4, 2)),
                                    activation="softplus"), ValueError, "activation must be one of"),
    (lambda: forward_rounding_bound(np.ones((3, 4)), np.ones((2, 4)), np.ones((4, 2)),
                                    eps=-1.0), ValueError, "eps"),
    (lambda: mse_rounding_bound(np.ones((3, 4)), np.ones((3, 3)), np.ones((3, 4))),
     ValueError, "X_tilde must have shape"),
    (lambda: mse_rounding_bound(np.ones((3, 4)), np.ones((3, 4)), -np.ones((3, 4))),
     ValueError, "output_error must be >= 0"),
    (lambda: mse_rounding_bound(np.ones((3, 4)), np.ones((3, 4)), np.ones((3, 4)), eps="1"),
     TypeError, "eps must be a real number"),
])
def test_bad_input_is_named(call, error, pattern):
    with pytest.raises(error, match=pattern):
        call()


# ---- what mutation testing showed unchecked

def test_gamma_n_needs_k_u_below_one():
    with pytest.raises(ValueError, match=r"^k \* eps / 2 must be below 1, got k=16777216"):
        gamma_n(2 ** 24)                          # k u = 1 exactly
    with pytest.raises(ValueError, match=r"^k \* eps / 2 must be below 1"):
        gamma_n(3 * 2 ** 23)                      # k u = 1.5
    assert gamma_n(2 ** 24 - 1) == pytest.approx(2 ** 24 - 1, rel=1e-6)


def _documented_forward_bound(x, w, v, b, bt, activation, eps):
    """The docstring of forward_rounding_bound, term by term, for one input, one code
    unit and one output (n = m = 1), in plain Python floats."""
    u = eps / 2
    g2 = 2 * u / (1 - 2 * u)                                 # gamma_2: n + 1 = m + 1 = 2
    phi, slope = {"identity": (lambda z: z, 1.0), "tanh": (math.tanh, 1.0),
                  "sigmoid": (lambda z: 1 / (1 + math.exp(-z)), 0.25)}[activation]
    own = ACTIVATION_ROUNDING[activation] * u
    err_input = u * abs(x) * abs(w)                          # x rounded, times |w|
    err_sum = g2 * ((1 + u) * abs(x) * abs(w) + abs(b))      # the encoder's sum of 2 terms
    err_z = err_input + err_sum
    h = abs(phi(w * x + b))
    err_h = slope * err_z + own * (h + slope * err_z)        # the slope's share, its rounding
    return g2 * ((h + err_h) * abs(v) + abs(bt)) + err_h * abs(v)


@pytest.mark.parametrize("activation", ["identity", "tanh", "sigmoid"])
def test_forward_bound_is_its_documented_formula(activation):
    """Each term matters, so a coarse toy format (eps = 1/8) keeps the second-order ones
    visible; signs chosen so no two terms cancel."""
    x, w, v, b, bt, eps = -1.5, 0.75, -2.0, 0.5, -0.25, 2.0 ** -3
    got = forward_rounding_bound(np.array([[x]]), np.array([[w]]), np.array([[v]]),
                                 b=np.array([b]), b_tilde=np.array([bt]),
                                 activation=activation, eps=eps)
    assert got.shape == (1, 1)
    assert got[0, 0] == pytest.approx(
        _documented_forward_bound(x, w, v, b, bt, activation, eps), rel=1e-14, abs=0)


def test_forward_bound_sums_over_inputs_and_codes():
    """n = 3 inputs and m = 2 codes: gamma_4 and gamma_3 over the sums of absolute values."""
    eps = 2.0 ** -4
    u = eps / 2
    g = lambda k: k * u / (1 - k * u)                                  # noqa: E731
    X = np.array([[1.0, -2.0, 0.5]])
    W = np.array([[0.5, 0.25, -1.0], [-0.75, 0.5, 2.0]])
    Wt = np.array([[1.0, -0.5], [0.25, 2.0], [-1.5, 0.5]])
    xw = np.abs(X) @ np.abs(W).T
    err_h = g(4) * (1 + u) * xw + u * xw                                 # identity, no biases
    h = np.abs(X @ W.T)
    expected = g(3) * ((h + err_h) @ np.abs(Wt).T) + err_h @ np.abs(Wt).T
    np.testing.assert_allclose(forward_rounding_bound(X, W, Wt, eps=eps), expected, rtol=1e-14)


def test_mse_bound_is_its_documented_formula():
    X = np.array([[1.0, -2.0], [0.5, 3.0]])
    Xt = np.array([[0.5, -1.0], [1.5, 2.0]])
    e = np.array([[0.25, 0.5], [0.125, 1.0]])
    eps = 2.0 ** -3
    u = eps / 2
    terms, sizes = [], []
    for x, xt, err in zip(X.ravel(), Xt.ravel(), e.ravel()):
        r = abs(x - xt)
        d = (1 + u) * (err + u * abs(x)) + u * r        # output's error, x rounded, subtraction
        terms.append(2 * r * d + d * d)                 # (r + d)^2 - r^2
        sizes.append((r + d) ** 2)
    g5 = 5 * u / (1 - 5 * u)                            # N n + 1 = 5 terms
    expected = sum(terms) / 4 + g5 * sum(sizes) / 4
    assert mse_rounding_bound(X, Xt, e, eps=eps) == pytest.approx(expected, rel=1e-14, abs=0)
    # a zero output error is allowed (an exact output): only the rounding of X remains
    assert mse_rounding_bound(X, X, np.zeros_like(X), eps=eps) > 0


@pytest.mark.parametrize("call, exc, match", [
    (lambda: gamma_n(3, eps=0.0), ValueError, r"^eps must be finite and > 0"),
    (lambda: forward_rounding_bound(np.ones(4), np.ones((2, 4)), np.ones((4, 2))),
     ValueError, r"^X must be a 2-D array"),
    (lambda: forward_rounding_bound(np.ones((3, 4)), np.ones(4), np.ones((4, 2))),
     ValueError, r"^W must be a 2-D array"),
    (lambda: forward_rounding_bound(np.ones((3, 4)), np.full((2, 4), np.nan), np.ones((4, 2))),
     ValueError, r"^W must be finite"),
    (lambda: forward_rounding_bound(np.ones((3, 4)), np.ones((2, 4)), np.ones((4, 2)),
                                    eps=0.0), ValueError, r"^eps must be finite and > 0"),
    (lambda: mse_rounding_bound(np.ones(4), np.ones(4), np.ones(4)),
     ValueError, r"^X must be a 2-D array"),
    (lambda: mse_rounding_bound(np.ones((3, 4)), np.ones((3, 4)), np.ones((4, 3))),
     ValueError, r"^output_error must have shape \(3, 4\)"),
    (lambda: mse_rounding_bound(np.ones((3, 4)), np.ones((3, 4)), np.full((3, 4), np.nan)),
     ValueError, r"^output_error must be finite"),
    (lambda: mse_rounding_bound(np.ones((3, 4)), np.ones((3, 4)), -np.ones((3, 4))),
     ValueError, r"^output_error must be >= 0 \(a bound on an error's size\)$"),
])
def test_each_check_names_its_argument_from_the_start(call, exc, match):
    with pytest.raises(exc, match=match):
        call()
