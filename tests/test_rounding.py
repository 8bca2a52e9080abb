"""Unit tests of helpers.rounding: the float32 bounds hold for real torch
computations, are not vacuous, and bad input gets a named error."""

from __future__ import annotations

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
    assert gamma_n(10) == pytest.approx(10 * u / (1 - 10 * u), rel=1e-15)
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
