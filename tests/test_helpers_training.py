"""helpers.training: determinism, recipes, the vectorized sweep, input checks."""

import numpy as np
import pytest
import torch

from helpers import Autoencoder, data, linalg, training

X = data.iris().X
BOUND = linalg.eckart_young_bound(linalg.pca(X).eigenvalues, 2)


def test_same_seed_same_result():
    a = training.fit_linear_autoencoder(X, 2, seed=3, steps=20)[1]
    b = training.fit_linear_autoencoder(X, 2, seed=3, steps=20)[1]
    c = training.fit_linear_autoencoder(X, 2, seed=4, steps=20)[1]
    assert np.array_equal(a.loss_history, b.loss_history)
    assert not np.array_equal(a.loss_history, c.loss_history)


def test_history_is_full_data_mse():
    model, result = training.fit_linear_autoencoder(X, 2, seed=0, steps=5)
    assert result.loss_history.shape == result.elapsed.shape == (5,)
    assert np.all(np.diff(result.elapsed) > 0)
    assert result.final_mse == pytest.approx(training.full_mse(model, X))
    with torch.no_grad():
        Xt = torch.tensor(X, dtype=torch.float32)
        assert result.final_mse == pytest.approx(float(((model(Xt) - Xt) ** 2).mean()))


def test_lbfgs_reaches_the_bound():
    # measured: ratio - 1 within 3e-6 on seeds 0-4 after 50 L-BFGS steps
    _, result = training.fit_linear_autoencoder(X, 2, seed=0, recipe="lbfgs")
    assert result.final_mse / BOUND == pytest.approx(1, abs=1e-4)


def test_iterations_and_evaluations_are_counted():
    # Adam: one update and one evaluation a step (or a mini-batch)
    _, adam = training.fit_linear_autoencoder(X, 2, seed=0, recipe="adam", steps=7)
    assert adam.iterations == adam.evaluations == 7
    _, article = training.fit_linear_autoencoder(X, 2, seed=0, steps=3)
    assert article.iterations == article.evaluations == 3 * 5     # 150 = 4 * 32 + 22
    # L-BFGS: torch's counters, up to 20 inner iterations a step, and at least
    # one evaluation an iteration (the line search adds more)
    _, lbfgs = training.fit_linear_autoencoder(X, 2, seed=0, recipe="lbfgs", steps=3)
    assert 3 < lbfgs.iterations <= 3 * 20
    assert lbfgs.evaluations >= lbfgs.iterations


@pytest.mark.parametrize("recipe, steps, kept", [("article", 6, 3), ("adam", 9, 4)])
def test_sweep_keeps_the_weights_of_a_shorter_sweep(recipe, steps, kept):
    longer = training.sweep_linear_autoencoders(X, 2, [0, 5], recipe=recipe, steps=steps,
                                                keep=[kept, steps])
    shorter = training.sweep_linear_autoencoders(X, 2, [0, 5], recipe=recipe, steps=kept)
    snap = longer.kept[kept]
    for field in ("seeds", "W", "W_tilde", "loss_history", "final_mse"):
        assert np.array_equal(getattr(snap, field), getattr(shorter, field)), field
    assert np.array_equal(longer.kept[steps].W, longer.W)
    assert shorter.kept == {}


def test_sweep_equals_one_run_per_seed():
    sweep = training.sweep_linear_autoencoders(X, 2, [0, 5], steps=3)
    for i, seed in enumerate([0, 5]):
        model, result = training.fit_linear_autoencoder(X, 2, seed=seed, steps=3)
        assert np.allclose(sweep.W[i], model.W.detach().numpy(), atol=1e-6)
        assert np.allclose(sweep.W_tilde[i], model.W_tilde.detach().numpy(), atol=1e-6)
        assert np.allclose(sweep.loss_history[i], result.loss_history, rtol=1e-5)


def test_tied_sweep_equals_one_tied_run():
    sweep = training.sweep_linear_autoencoders(X, 2, [1], recipe="adam", steps=10, tied=True)
    model, _ = training.fit_linear_autoencoder(X, 2, seed=1, recipe="adam", steps=10, tied=True)
    assert np.allclose(sweep.W[0], model.W.detach().numpy(), atol=1e-6)
    assert np.allclose(sweep.W_tilde[0], sweep.W[0].T)


def test_weight_decay_shrinks_weights():
    free = training.fit_linear_autoencoder(X, 2, seed=0, recipe="adam", steps=300)[0]
    decayed = training.fit_linear_autoencoder(X, 2, seed=0, recipe="adam", steps=300,
                                              weight_decay=0.1)[0]
    assert decayed.W.norm() < free.W.norm()


def test_minibatch_trains_a_model_with_bias():
    torch.manual_seed(0)
    model = Autoencoder(4, 4, bias=True)
    before = training.full_mse(model, X)
    result = training.train_minibatch(model, X, epochs=10)
    assert result.final_mse < before


@pytest.mark.parametrize("call,exc,match", [
    (lambda: training.train_minibatch(Autoencoder(4, 2), X[:, :3]), ValueError, "X must have 4"),
    (lambda: training.train_minibatch(Autoencoder(4, 2), X, epochs=0), ValueError, "epochs"),
    (lambda: training.train_minibatch(Autoencoder(4, 2), X, lr=-1.0), ValueError, "lr"),
    (lambda: training.train_minibatch(Autoencoder(4, 2), X, batch_size=2.5), TypeError, "batch_size"),
    (lambda: training.train_full_batch(Autoencoder(4, 2), X, method="sgd"), ValueError, "method"),
    (lambda: training.train_full_batch(Autoencoder(4, 2), X, weight_decay=float("nan")), ValueError, "weight_decay"),
    (lambda: training.fit_linear_autoencoder(np.full((3, 4), np.inf), 2), ValueError, "finite"),
    (lambda: training.fit_linear_autoencoder(X, 2, recipe="fast"), ValueError, "recipe"),
    (lambda: training.sweep_linear_autoencoders(X, 2, []), ValueError, "seeds"),
    (lambda: training.sweep_linear_autoencoders(X, 2, [-1]), ValueError, "seeds"),
    (lambda: training.sweep_linear_autoencoders(X, 2, [0], recipe="lbfgs"), ValueError, "recipe"),
    (lambda: training.sweep_linear_autoencoders(X, 2, [0], steps=5, keep=[6]), ValueError, "keep"),
    (lambda: training.sweep_linear_autoencoders(X, 2, [0], steps=5, keep=[0]), ValueError, "keep"),
    (lambda: training.sweep_linear_autoencoders(X, 2, [0], keep=3), TypeError, "keep"),
    (lambda: training.seed_everything("1"), TypeError, "seed"),
])
def test_bad_arguments_are_named(call, exc, match):
    with pytest.raises(exc, match=match):
        call()
