"""helpers.crossentropy: the entropy floor, BCE from logits, sigmoid autoencoders."""

import numpy as np
import pytest
import torch
from torch import nn

from helpers import crossentropy as ce


def test_binary_entropy_values():
    assert ce.binary_entropy(np.array([[0.0, 1.0]])) == 0.0   # 0 log 0 = 0
    assert np.isclose(ce.binary_entropy(np.array([[0.5]])), np.log(2))
    x = np.array([[0.3, 0.9]])
    h = -(x * np.log(x) + (1 - x) * np.log(1 - x))
    assert np.isclose(ce.binary_entropy(x), h.mean(), rtol=1e-15)


def test_mean_bce_matches_torch_and_is_stable_where_the_sigmoid_saturates():
    rng = np.random.default_rng(0)
    X = rng.uniform(size=(5, 4))
    a = rng.normal(size=(5, 4)) * 3
    torch_value = nn.functional.binary_cross_entropy_with_logits(
        torch.tensor(a), torch.tensor(X)).item()
    assert np.isclose(ce.mean_bce(X, a), torch_value, rtol=1e-12)
    # a logit of 800 rounds sigmoid to exactly 1: log(1 - 1) would be -inf
    assert ce.mean_bce(np.array([[1.0, 0.0]]), np.array([[800.0, -800.0]])) == 0.0
    assert np.isclose(ce.mean_bce(np.array([[0.0]]), np.array([[800.0]])), 800.0)


def test_bce_is_never_below_the_entropy_floor():
    rng = np.random.default_rng(1)
    X = rng.uniform(size=(50, 6))
    logit = np.log(X / (1 - X))
    assert np.isclose(ce.mean_bce(X, logit), ce.binary_entropy(X), rtol=1e-12)
    for _ in range(5):
        assert ce.mean_bce(X, logit + rng.normal(size=X.shape)) > ce.binary_entropy(X)


@pytest.mark.parametrize("loss", ["bce", "mse"])
def test_fit_sigmoid_autoencoder_is_seeded_and_lowers_its_loss(loss):
    rng = np.random.default_rng(2)
    X = (rng.uniform(size=(40, 6)) > 0.5) * 0.8 + 0.1
    model, history = ce.fit_sigmoid_autoencoder(X, 2, seed=3, steps=3, loss=loss)
    again, history_again = ce.fit_sigmoid_autoencoder(X, 2, seed=3, steps=3, loss=loss)
    np.testing.assert_array_equal(history, history_again)
    assert history.shape == (3,) and history[-1] < history[0]
    assert model.W.shape == (2, 6) and model.W_tilde.shape == (6, 2)
    assert model.taxonomy.linearity == "nonlinear"
    x = torch.tensor(X, dtype=torch.float32)
    with torch.no_grad():
        logits = model.decoder(model.encode(x))
        out = model(x)
    torch.testing.assert_close(out, torch.sigmoid(logits))
    value = (ce.mean_bce(X, logits.numpy()) if loss == "bce"
             else float(((out - x) ** 2).mean()))
    assert np.isclose(value, history[-1], rtol=1e-5)


@pytest.mark.parametrize("func", [ce.binary_entropy,
                                  lambda X: ce.mean_bce(X, np.zeros_like(X))])
@pytest.mark.parametrize("X, exc, match", [
    (np.array([[1.5]]), ValueError, r"\[0, 1\]"),
    (np.array([[-0.1]]), ValueError, r"\[0, 1\]"),
    (np.array([[np.nan]]), ValueError, "finite"),
    (np.array([0.5]), ValueError, "2-D"),
])
def test_bad_data_gets_a_clear_error(func, X, exc, match):
    with pytest.raises(exc, match=match):
        func(X)


def test_mean_bce_checks_the_logits_shape():
    with pytest.raises(ValueError, match="logits"):
        ce.mean_bce(np.zeros((2, 3)), np.zeros((3, 2)))


@pytest.mark.parametrize("kwargs, exc, match", [
    ({"n_hidden": 0}, ValueError, "n_hidden"),
    ({"steps": 0}, ValueError, "steps"),
    ({"loss": "l1"}, ValueError, "loss"),
    ({"seed": -1}, ValueError, "seed"),
    ({"n_hidden": 2.5}, TypeError, "n_hidden"),
])
def test_fit_rejects_bad_arguments(kwargs, exc, match):
    args = {"n_hidden": 2, **kwargs}
    with pytest.raises(exc, match=match):
        ce.fit_sigmoid_autoencoder(np.full((4, 3), 0.5), **args)


def test_fit_rejects_data_outside_the_unit_interval():
    with pytest.raises(ValueError, match=r"\[0, 1\]"):
        ce.fit_sigmoid_autoencoder(np.full((4, 3), 2.0), 2)
