"""helpers.crossentropy: the entropy floor, BCE from logits, sigmoid autoencoders."""

import warnings

import numpy as np
import pytest
import torch
from torch import nn

from helpers import crossentropy as ce
from helpers.models import Autoencoder
from helpers.training import seed_everything


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


# ---- what mutation testing showed unchecked


def test_entropy_of_exact_zeros_and_ones_warns_of_nothing():
    """0 log 0 is taken as 0 quietly: a RuntimeWarning would show in the lesson's output."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert ce.binary_entropy(np.array([[0.0, 1.0, 0.5]])) == pytest.approx(np.log(2) / 3)


@pytest.mark.parametrize("call, exc, match", [
    (lambda: ce.binary_entropy(np.array([[1.5]])), ValueError, r"^X must lie in \[0, 1\]"),
    (lambda: ce.binary_entropy(np.array([0.5])), ValueError, r"^X must be a 2-D array"),
    (lambda: ce.mean_bce(np.array([[1.5]]), np.zeros((1, 1))), ValueError,
     r"^X must lie in \[0, 1\]"),
    (lambda: ce.mean_bce(np.zeros((2, 3)), np.zeros((3, 2))), ValueError,
     r"^logits must have shape \(2, 3\)"),
    (lambda: ce.fit_sigmoid_autoencoder(np.full((4, 3), 2.0), 2), ValueError,
     r"^X must lie in \[0, 1\]"),
    (lambda: ce.fit_sigmoid_autoencoder(np.full((4, 3), 0.5), 0), ValueError,
     r"^n_hidden must be in \[1, inf\]"),
    (lambda: ce.fit_sigmoid_autoencoder(np.full((4, 3), 0.5), 2, steps=0), ValueError,
     r"^steps must be in \[1, inf\]"),
    (lambda: ce.fit_sigmoid_autoencoder(np.full((4, 3), 0.5), 2, loss="l1"), ValueError,
     r"^loss must be one of"),
    (lambda: ce.fit_sigmoid_autoencoder(np.full((4, 3), 0.5), 2, seed=-1), ValueError,
     r"^seed must be in \[0, inf\]"),
])
def test_each_check_names_its_argument_from_the_start(call, exc, match):
    with pytest.raises(exc, match=match):
        call()


def test_fit_follows_its_documented_recipe():
    """Seeded like fit_linear_autoencoder (seed 0 by default), n -> k -> n with a linear
    code and a sigmoid output, L-BFGS (lr 1, strong-Wolfe, up to 20 inner iterations),
    10 steps by default; here also one code unit and one step are accepted."""
    rng = np.random.default_rng(4)
    X = rng.uniform(size=(30, 5))
    model, history = ce.fit_sigmoid_autoencoder(X, 1)
    assert history.shape == (10,)

    seed_everything(0)
    twin = Autoencoder(5, 1, activation="identity", output_activation="sigmoid")
    x = torch.tensor(X, dtype=torch.float32)
    opt = torch.optim.LBFGS(twin.parameters(), lr=1.0, max_iter=20,
                            line_search_fn="strong_wolfe",
                            tolerance_grad=1e-12, tolerance_change=1e-15)

    def closure():
        opt.zero_grad()
        value = nn.functional.binary_cross_entropy_with_logits(twin.decoder(twin.encode(x)), x)
        value.backward()
        return value

    expected = []
    for _ in range(10):
        opt.step(closure)
        with torch.no_grad():
            expected.append(float(nn.functional.binary_cross_entropy_with_logits(
                twin.decoder(twin.encode(x)), x)))
    np.testing.assert_array_equal(history, expected)
    for got, want in zip(model.parameters(), twin.parameters()):
        torch.testing.assert_close(got, want, rtol=0, atol=0)
    _, one = ce.fit_sigmoid_autoencoder(X, 1, seed=0, steps=1)
    assert one.shape == (1,) and one[0] == history[0]
