"""helpers.training: determinism, recipes, the vectorized sweep, targets, input checks."""

import copy
import inspect
import random
import time

import numpy as np
import pytest
import torch
from torch import nn

from helpers import Autoencoder, data, linalg, training

X = data.iris().X
BOUND = linalg.eckart_young_bound(linalg.pca(X).eigenvalues, 2)


def scramble_global_generators(seed):
    """Put Python's, NumPy's and torch's global generators in a state of their own."""
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)


def start_model(seed=0, **kwargs):
    """A 4-2-4 linear autoencoder with seed's initial weights."""
    training.seed_everything(seed)
    return Autoencoder(4, 2, **kwargs)


# ---------------------------------------------------------------- determinism

def test_same_seed_same_result():
    a = training.fit_linear_autoencoder(X, 2, seed=3, steps=20)[1]
    b = training.fit_linear_autoencoder(X, 2, seed=3, steps=20)[1]
    c = training.fit_linear_autoencoder(X, 2, seed=4, steps=20)[1]
    assert np.array_equal(a.loss_history, b.loss_history)
    assert not np.array_equal(a.loss_history, c.loss_history)


def test_seed_everything_seeds_python_numpy_and_torch():
    draws = []
    for _ in range(2):
        training.seed_everything(3)
        draws.append((random.random(), np.random.rand(), torch.rand(1).item()))
    assert draws[0] == draws[1]
    random.seed(3), np.random.seed(3), torch.manual_seed(3)
    assert draws[0] == (random.random(), np.random.rand(), torch.rand(1).item())


def test_minibatch_shuffles_with_its_own_seed_not_the_global_generator():
    start = start_model()
    histories = []
    for scramble in (1, 2):
        scramble_global_generators(scramble)
        histories.append(training.train_minibatch(copy.deepcopy(start), X, epochs=3,
                                                  seed=7).loss_history)
    assert np.array_equal(*histories)
    other = training.train_minibatch(copy.deepcopy(start), X, epochs=3, seed=8)
    assert not np.array_equal(histories[0], other.loss_history)


@pytest.mark.parametrize("call", [
    lambda: training.fit_linear_autoencoder(X, 2, seed=5, steps=3)[1].loss_history,
    lambda: training.fit_linear_autoencoder(X, 2, seed=5, recipe="adam", steps=3)[1].loss_history,
    lambda: training.sweep_linear_autoencoders(X, 2, [5, 6], steps=3).loss_history,
], ids=["fit-article", "fit-adam", "sweep"])
def test_results_do_not_depend_on_the_global_generators(call):
    scramble_global_generators(1)
    first = call()
    scramble_global_generators(2)
    assert np.array_equal(first, call())


# ---------------------------------------------------------------- the article's recipe

class Recorder(nn.Module):
    """Wraps a model and records every batch it is trained on."""

    def __init__(self, model):
        super().__init__()
        self.model, self.batches = model, []

    def forward(self, x):
        if torch.is_grad_enabled():          # training batches, not the evaluations
            self.batches.append(x.detach().clone())
        return self.model(x)


@pytest.fixture
def adam_calls(monkeypatch):
    """Record the settings of every Adam optimizer training builds.

    Betas equal to torch's default (the article's) are left out: the checks hold
    whether a function passes them explicitly or not; so is ``foreach``, which
    only chooses torch's implementation, not the arithmetic.
    """
    calls = []

    class RecordingAdam(torch.optim.Adam):
        def __init__(self, params, **kwargs):
            calls.append({k: v for k, v in kwargs.items()
                          if not (k == "betas" and tuple(v) == (0.9, 0.999))
                          and k != "foreach"})
            super().__init__(params, **kwargs)

    monkeypatch.setattr(torch.optim, "Adam", RecordingAdam)
    return calls


def test_article_recipe_batches(adam_calls):
    """Adam, lr 0.01, batches 32, 32, 32, 32, 22 on Iris, a fresh permutation per epoch."""
    model = Recorder(start_model())
    training.train_minibatch(model, X, epochs=3, seed=11)
    assert adam_calls == [{"lr": 0.01, "weight_decay": 0.0}]
    assert [len(b) for b in model.batches] == [32, 32, 32, 32, 22] * 3
    generator = torch.Generator().manual_seed(11)
    X32 = torch.as_tensor(X, dtype=torch.float32)
    epochs = [torch.cat(model.batches[5 * e:5 * e + 5]) for e in range(3)]
    for epoch in epochs:
        assert torch.equal(epoch, X32[torch.randperm(150, generator=generator)])
    assert not torch.equal(epochs[0], epochs[1])


def test_fit_uses_the_article_recipe_by_default(adam_calls):
    training.fit_linear_autoencoder(X, 2, steps=1)
    assert adam_calls == [{"lr": 0.01, "weight_decay": 0.0}]


def hand_written_article_loop(seed, epochs):
    """The article's recipe written out with its own numbers, for a bias-free 4-2-4."""
    model = start_model(seed, bias=False)
    optimizer = torch.optim.Adam(model.parameters(), lr=0.01)
    data_ = torch.as_tensor(X, dtype=torch.float32)
    generator = torch.Generator().manual_seed(seed)
    history = []
    for _ in range(epochs):
        order = torch.randperm(150, generator=generator)
        for start in (0, 32, 64, 96, 128):                    # 4 batches of 32, 1 of 22
            batch = data_[order[start:start + 32]]
            optimizer.zero_grad()
            nn.functional.mse_loss(model(batch), batch).backward()
            optimizer.step()
        with torch.no_grad():
            history.append(float(nn.functional.mse_loss(model(data_), data_)))
    return model, np.array(history)


def test_both_article_paths_equal_the_hand_written_loop():
    model, history = hand_written_article_loop(seed=2, epochs=3)
    fitted, result = training.fit_linear_autoencoder(X, 2, seed=2, steps=3)
    assert np.array_equal(result.loss_history, history)
    assert torch.equal(fitted.W, model.W)
    sweep = training.sweep_linear_autoencoders(X, 2, [2], steps=3)
    # the sweep stacks the seeds: the same arithmetic up to float32 rounding
    assert np.allclose(sweep.loss_history[0], history, rtol=1e-5, atol=0)
    assert np.allclose(sweep.W[0], model.W.detach().numpy(), rtol=0, atol=1e-6)


def test_history_is_full_data_mse():
    before = time.perf_counter()
    model, result = training.fit_linear_autoencoder(X, 2, seed=0, steps=5)
    took = time.perf_counter() - before
    assert result.loss_history.shape == result.elapsed.shape == (5,)
    assert np.all(np.diff(result.elapsed) > 0) and 0 < result.elapsed[0]
    assert result.elapsed[-1] < took                          # seconds since the start
    assert result.final_mse == result.loss_history[-1] == training.full_mse(model, X)
    with torch.no_grad():
        Xt = torch.tensor(X, dtype=torch.float32)
        assert result.final_mse == pytest.approx(float(((model(Xt) - Xt) ** 2).mean()),
                                                 rel=1e-6)


def test_lbfgs_reaches_the_bound():
    # measured: ratio - 1 within 3e-6 on seeds 0-4 after 50 L-BFGS steps
    _, result = training.fit_linear_autoencoder(X, 2, seed=0, recipe="lbfgs")
    assert result.final_mse / BOUND == pytest.approx(1, abs=1e-4)
    assert result.loss_history.shape == (50,)


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
    assert sweep.loss_history.shape == (2, 3) and list(sweep.seeds) == [0, 5]
    assert np.array_equal(sweep.final_mse, sweep.loss_history[:, -1])
    for i, seed in enumerate([0, 5]):
        model, result = training.fit_linear_autoencoder(X, 2, seed=seed, steps=3)
        assert np.allclose(sweep.W[i], model.W.detach().numpy(), atol=1e-6)
        assert np.allclose(sweep.W_tilde[i], model.W_tilde.detach().numpy(), atol=1e-6)
        assert np.allclose(sweep.loss_history[i], result.loss_history, rtol=1e-5)


def test_recipe_constants_are_the_articles_and_the_books():
    assert (training.ARTICLE_LR, training.ARTICLE_BATCH_SIZE, training.ARTICLE_EPOCHS) == \
        (0.01, 32, 200)
    assert training.FULL_BATCH_LR == {"adam": 0.05, "lbfgs": 1.0}
    assert training.FULL_BATCH_STEPS == {"adam": 2000, "lbfgs": 50}


def test_signature_defaults():
    """The documented defaults (a function may add keywords of its own)."""
    documented = {
        training.train_minibatch: dict(epochs=200, batch_size=32, lr=0.01, seed=0,
                                       weight_decay=0.0, target=None),
        training.train_full_batch: dict(steps=500, lr=None, method="adam", weight_decay=0.0,
                                        target=None),
        training.fit_linear_autoencoder: dict(seed=0, recipe="article", tied=False, bias=False,
                                              steps=None, weight_decay=0.0, target=None),
        training.sweep_linear_autoencoders: dict(recipe="article", steps=None, tied=False,
                                                 weight_decay=0.0, lr=None, target=None),
    }
    for function, expected in documented.items():
        defaults = {k: p.default for k, p in inspect.signature(function).parameters.items()
                    if p.default is not inspect.Parameter.empty}
        assert expected.items() <= defaults.items(), function.__name__


def test_omitted_arguments_take_their_documented_defaults():
    """Behaviour, not signatures: mutation testing wraps the functions."""
    few = X[:4]                                               # 500 steps on 4 rows: fast
    assert training.train_full_batch(start_model(), few).loss_history.shape == (500,)
    def same(a, b):
        assert np.array_equal(a.loss_history, b.loss_history)
    same(training.train_minibatch(start_model(), X, epochs=1),
         training.train_minibatch(start_model(), X, epochs=1, batch_size=32, lr=0.01, seed=0,
                                  weight_decay=0.0))
    same(training.train_full_batch(start_model(), X, steps=2),
         training.train_full_batch(start_model(), X, steps=2, lr=0.05, method="adam",
                                   weight_decay=0.0))
    same(training.fit_linear_autoencoder(X, 2, steps=1)[1],
         training.fit_linear_autoencoder(X, 2, seed=0, recipe="article", tied=False,
                                         bias=False, steps=1, weight_decay=0.0)[1])
    same(training.sweep_linear_autoencoders(X, 2, [0], steps=1),
         training.sweep_linear_autoencoders(X, 2, [0], recipe="article", steps=1, tied=False,
                                            weight_decay=0.0, lr=0.01))


@pytest.fixture
def short_defaults(monkeypatch):
    """The default numbers of steps, made small so that the defaults can be run."""
    monkeypatch.setattr(training, "ARTICLE_EPOCHS", 2)
    monkeypatch.setattr(training, "FULL_BATCH_STEPS", {"adam": 3, "lbfgs": 4})


@pytest.fixture
def lbfgs_calls(monkeypatch):
    calls = []

    class RecordingLBFGS(torch.optim.LBFGS):
        def __init__(self, params, **kwargs):
            calls.append(kwargs)
            super().__init__(params, **kwargs)

    monkeypatch.setattr(torch.optim, "LBFGS", RecordingLBFGS)
    return calls


def test_fit_defaults(short_defaults, adam_calls, lbfgs_calls):
    for recipe, steps in (("article", 2), ("adam", 3), ("lbfgs", 4)):
        _, result = training.fit_linear_autoencoder(X, 2, recipe=recipe)
        assert result.loss_history.shape == (steps,)
    assert adam_calls == [{"lr": 0.01, "weight_decay": 0.0}, {"lr": 0.05}]
    assert lbfgs_calls == [dict(lr=1.0, max_iter=20, line_search_fn="strong_wolfe",
                                tolerance_grad=1e-12, tolerance_change=1e-15)]


def test_full_batch_lr_is_used(adam_calls, lbfgs_calls):
    training.train_full_batch(start_model(), X, steps=1, lr=0.3)
    training.train_full_batch(start_model(), X, steps=1, lr=0.4, method="lbfgs")
    assert adam_calls == [{"lr": 0.3}] and lbfgs_calls[0]["lr"] == 0.4


def test_sweep_defaults(short_defaults, adam_calls):
    assert training.sweep_linear_autoencoders(X, 2, [0]).loss_history.shape == (1, 2)
    full = training.sweep_linear_autoencoders(X, 2, [0], recipe="adam")
    assert full.loss_history.shape == (1, 3)
    assert adam_calls == [{"lr": 0.01, "weight_decay": 0.0}, {"lr": 0.05, "weight_decay": 0.0}]
    training.sweep_linear_autoencoders(X, 2, [0], steps=1, lr=0.2, weight_decay=0.5)
    assert adam_calls[-1] == {"lr": 0.2, "weight_decay": 0.5}


def test_full_batch_sweep_equals_one_full_batch_run():
    sweep = training.sweep_linear_autoencoders(X, 2, [3], recipe="adam", steps=10)
    model, result = training.fit_linear_autoencoder(X, 2, seed=3, recipe="adam", steps=10)
    assert np.allclose(sweep.W[0], model.W.detach().numpy(), atol=1e-6)
    assert np.allclose(sweep.loss_history[0], result.loss_history, rtol=1e-5)


def test_smallest_allowed_sizes_work():
    assert training.train_minibatch(start_model(), X[:3], epochs=1, batch_size=1).final_mse > 0
    assert training.fit_linear_autoencoder(X, 1, steps=1)[0].W.shape == (1, 4)


def test_sweep_trains_one_unit_codes():
    sweep = training.sweep_linear_autoencoders(X, 1, [0, 1], steps=1)
    assert sweep.W.shape == (2, 1, 4) and sweep.W_tilde.shape == (2, 4, 1)


def test_tied_sweep_equals_one_tied_run():
    sweep = training.sweep_linear_autoencoders(X, 2, [1], recipe="adam", steps=10, tied=True)
    model, _ = training.fit_linear_autoencoder(X, 2, seed=1, recipe="adam", steps=10, tied=True)
    assert np.allclose(sweep.W[0], model.W.detach().numpy(), atol=1e-6)
    assert np.array_equal(sweep.W_tilde[0], sweep.W[0].T)
    assert model.tied and model.decoder is None


def test_fit_builds_the_model_it_is_asked_for():
    model, _ = training.fit_linear_autoencoder(X, 3, steps=1)
    assert model.W.shape == (3, 4) and not model.tied and model.encoder.bias is None
    model, _ = training.fit_linear_autoencoder(X, 2, steps=1, tied=True, bias=True)
    assert model.tied and model.b_tilde.shape == (4,) and model.encoder.bias is not None


def test_full_batch_elapsed_counts_from_the_start():
    before = time.perf_counter()
    result = training.train_full_batch(start_model(), X, steps=3)
    assert 0 < result.elapsed[0] < result.elapsed[-1] < time.perf_counter() - before


def test_full_batch_weight_decay_is_half_lambda_times_squared_norm():
    """min over W of mean((X W^T - X)^2) + wd/2 |W|^2 is a ridge regression:
    W = S (S + wd N n / 2 I)^-1 with S = X^T X (N = 150 rows, n = 4 columns)."""
    torch.manual_seed(0)
    model = nn.Linear(4, 4, bias=False).double()
    wd = 0.5
    training.train_full_batch(model, X, steps=20, method="lbfgs", weight_decay=wd)
    S = X.T @ X
    ridge = S @ np.linalg.inv(S + wd * X.size / 2 * np.eye(4))
    # measured: entries within 1e-8 of the ridge solution after 20 L-BFGS steps; a factor
    # other than 1/2 moves them by more than 0.01
    assert np.allclose(model.weight.detach().numpy(), ridge, rtol=0, atol=1e-6)


def test_weight_decay_shrinks_weights():
    free = training.fit_linear_autoencoder(X, 2, seed=0, recipe="adam", steps=50)[0]
    decayed = training.fit_linear_autoencoder(X, 2, seed=0, recipe="adam", steps=50,
                                              weight_decay=0.1)[0]
    assert decayed.W.norm() < free.W.norm()


@pytest.mark.parametrize("recipe", ["article", "lbfgs"])
def test_weight_decay_reaches_every_recipe(recipe):
    free = training.fit_linear_autoencoder(X, 2, seed=0, recipe=recipe, steps=5)[0]
    decayed = training.fit_linear_autoencoder(X, 2, seed=0, recipe=recipe, steps=5,
                                              weight_decay=0.5)[0]
    assert decayed.W.norm() < free.W.norm()


def test_minibatch_trains_a_model_with_bias():
    model = start_model(bias=True)
    before = training.full_mse(model, X)
    result = training.train_minibatch(model, X, epochs=10)
    assert result.final_mse < before


# ---------------------------------------------------------------- any nn.Module

def deep_autoencoder(widths=(4, 8, 3, 8, 4)):
    """A deep nn.Sequential autoencoder, tanh between its Linear layers."""
    torch.manual_seed(0)
    layers = []
    for a, b in zip(widths, widths[1:]):
        layers += [nn.Linear(a, b), nn.Tanh()]
    return nn.Sequential(*layers[:-1])


@pytest.mark.parametrize("widths", [(4, 8, 3, 8, 4), (4, 16, 8, 1, 8, 16, 4), (4, 6, 4)])
def test_any_module_that_maps_n_to_n_trains(widths):
    model = deep_autoencoder(widths)
    before = training.full_mse(model, X)
    assert training.train_minibatch(model, X, epochs=5).final_mse < before
    assert training.train_full_batch(model, X, steps=5).final_mse < training.full_mse(model, X) + 1


def test_probe_changes_no_state_and_keeps_each_modules_mode():
    model = nn.Sequential(nn.Linear(4, 4), nn.BatchNorm1d(4), nn.Dropout(0.5), nn.Linear(4, 4))
    model[1].eval()                                   # a frozen BatchNorm inside a training model
    state = copy.deepcopy(model.state_dict())
    torch.manual_seed(0)
    training.full_mse(model, X)
    assert torch.rand(1).item() == (torch.manual_seed(0), torch.rand(1).item())[1]
    assert all(torch.equal(v, model.state_dict()[k]) for k, v in state.items())
    assert model.training and not model[1].training and model[2].training


def test_double_precision_models_train_in_double():
    model = start_model().double()
    result = training.train_full_batch(model, X, steps=3)
    assert model.W.dtype == torch.float64
    with torch.no_grad():
        Xt = torch.as_tensor(X)
        assert result.final_mse == float(((model(Xt) - Xt) ** 2).mean())


# ---------------------------------------------------------------- target=

@pytest.mark.parametrize("call", [
    lambda target: training.fit_linear_autoencoder(X, 2, seed=1, steps=3, target=target),
    lambda target: training.fit_linear_autoencoder(X, 2, seed=1, recipe="adam", steps=3,
                                                   target=target),
    lambda target: training.fit_linear_autoencoder(X, 2, seed=1, recipe="lbfgs", steps=2,
                                                   target=target),
    lambda target: (None, training.sweep_linear_autoencoders(X, 2, [1, 2], steps=3,
                                                             target=target)),
    lambda target: (None, training.sweep_linear_autoencoders(X, 2, [1], recipe="adam",
                                                             steps=3, target=target)),
], ids=["article", "adam", "lbfgs", "sweep", "sweep-adam"])
def test_target_equal_to_x_is_the_default_bit_for_bit(call):
    default, explicit = call(None)[1], call(X.copy())[1]
    assert np.array_equal(default.loss_history, explicit.loss_history)


NOISY = X + np.random.default_rng(0).normal(scale=0.5, size=X.shape)


def best_affine_mse(inputs, outputs):
    """The smallest MSE of any affine map inputs -> outputs (least squares)."""
    A = np.column_stack([inputs, np.ones(len(inputs))])
    coef, *_ = np.linalg.lstsq(A, outputs, rcond=None)
    return np.mean((A @ coef - outputs) ** 2)


def test_denoising_trains_towards_the_clean_target():
    """A complete 4-4-4 linear autoencoder with biases is any affine map of rank 4."""
    model, result = training.fit_linear_autoencoder(NOISY, 4, bias=True, recipe="lbfgs",
                                                    steps=5, target=X)
    best = best_affine_mse(NOISY, X)
    # measured: final / best - 1 about -1e-7 after 5 to 20 L-BFGS steps (float32 training,
    # float64 least squares)
    assert result.final_mse == pytest.approx(best, rel=1e-4)
    assert result.final_mse == pytest.approx(training.full_mse(model, NOISY, target=X))
    # measured: 0.126, half the 0.249 of the identity map (which keeps all the noise)
    assert result.final_mse < 0.6 * np.mean((NOISY - X) ** 2)
    plain, _ = training.fit_linear_autoencoder(NOISY, 4, bias=True, recipe="lbfgs", steps=5)
    # without the target it learns the identity and keeps all the noise
    assert training.full_mse(plain, NOISY, X) == pytest.approx(np.mean((NOISY - X) ** 2),
                                                              rel=1e-3)


@pytest.mark.parametrize("recipe", ["article", "adam", "lbfgs"])
def test_fit_passes_the_target_to_every_recipe(recipe):
    model, result = training.fit_linear_autoencoder(NOISY, 2, recipe=recipe, steps=2, target=X)
    assert result.final_mse == training.full_mse(model, NOISY, X)
    _, plain = training.fit_linear_autoencoder(NOISY, 2, recipe=recipe, steps=2)
    assert not np.array_equal(plain.loss_history, result.loss_history)


def test_denoising_minibatch_and_sweep_move_towards_the_target():
    model = start_model(bias=True)
    to_clean = training.train_minibatch(model, NOISY, epochs=30, target=X)
    assert to_clean.final_mse == pytest.approx(training.full_mse(model, NOISY, X), rel=1e-6)
    assert to_clean.loss_history[-1] < to_clean.loss_history[0]
    plain = training.sweep_linear_autoencoders(NOISY, 2, [0], steps=3)
    denoise = training.sweep_linear_autoencoders(NOISY, 2, [0], steps=3, target=X)
    W, W_dec = denoise.W[0], denoise.W_tilde[0]
    assert np.allclose(denoise.final_mse[0], np.mean((NOISY @ W.T @ W_dec.T - X) ** 2),
                       rtol=1e-5)
    assert not np.allclose(plain.W, denoise.W)


# ---------------------------------------------------------------- divergence

@pytest.mark.parametrize("call,match", [
    (lambda: training.train_minibatch(start_model(), X, epochs=3, lr=1e12),
     "the full-data MSE is nan after epoch 1"),
    (lambda: training.train_full_batch(start_model(), X, steps=3, lr=1e12),
     "the full-data MSE is inf after step 1"),
    (lambda: training.train_full_batch(start_model(), X, steps=3, lr=1e12, method="lbfgs"),
     "the full-data MSE is nan after step 1"),
    (lambda: training.sweep_linear_autoencoders(X, 2, [0, 1], steps=3, lr=1e12),
     r"the full-data MSE of seeds \[0, 1\] is not finite after epoch 1"),
    (lambda: training.sweep_linear_autoencoders(X, 2, [0, 1], recipe="adam", steps=3, lr=1e12),
     r"the full-data MSE of seeds \[0, 1\] is not finite after step 1"),
], ids=["minibatch", "adam", "lbfgs", "sweep", "sweep-adam"])
def test_diverging_training_raises(call, match):
    with pytest.raises(training.TrainingDivergedError,
                       match=rf"^training diverged: {match}; lower lr \(got 1e\+12\)$"):
        call()
    assert issubclass(training.TrainingDivergedError, ValueError)


def test_divergence_names_only_the_seeds_that_diverged():
    start = training.sweep_linear_autoencoders(X, 2, [3], steps=1)
    with pytest.raises(training.TrainingDivergedError, match=r"seeds \[3\] is not finite"):
        training.sweep_linear_autoencoders(X * np.array([1, 1, 1, 1e30]), 2, [3], steps=1)
    assert np.isfinite(start.final_mse).all()


# ---------------------------------------------------------------- bad input

def nan_weights():
    model = start_model()
    with torch.no_grad():
        model.encoder.weight[0, 0] = float("nan")
    return model


def frozen():
    model = start_model()
    model.requires_grad_(False)
    return model


class Narrow(nn.Module):
    """Maps (N, 4) to (N, 1): torch would broadcast it against X with a warning."""

    def __init__(self):
        super().__init__()
        self.layer = nn.Linear(4, 1)

    def forward(self, x):
        return self.layer(x)


class ReturnsTuple(nn.Module):
    def __init__(self):
        super().__init__()
        self.layer = nn.Linear(4, 4)

    def forward(self, x):
        return self.layer(x), None


TRAIN = {"minibatch": lambda model, X_, **kw: training.train_minibatch(model, X_, epochs=1, **kw),
         "full-batch": lambda model, X_, **kw: training.train_full_batch(model, X_, steps=1, **kw),
         "full_mse": training.full_mse}
MODEL_MISTAKES = [
    (lambda: np.eye(4), X, TypeError, r"^model must be a torch nn.Module, got ndarray"),
    (nn.Identity, X, ValueError, r"^model must have trainable parameters, got none \(Identity "
                                 r"has 0 parameters, none with requires_grad\)$"),
    (frozen, X, ValueError, r"^model must have trainable parameters, got none \(Autoencoder "
                            r"has 4 parameters"),
    (nan_weights, X, ValueError, r"^model's parameter encoder\.weight must be finite, got NaN or infinity$"),
    (lambda: nn.Embedding(4, 4), X, ValueError, r"^model cannot be applied to X of shape \(150, 4\): "),
    (lambda: nn.Linear(3, 3), X, ValueError,
     r"^model cannot be applied to X of shape \(150, 4\) \(its first Linear layer takes 3 inputs\)"),
    (lambda: nn.Sequential(nn.Linear(4, 3), nn.ReLU(), nn.Linear(2, 4)), X, ValueError,
     r"^model cannot be applied"),
    (lambda: Autoencoder(4, 2), X[:, :3], ValueError, r"^model cannot be applied to X of shape \(150, 3\) \(its first Linear layer takes 4"),
    (Narrow, X, ValueError, r"^model must map X of shape \(150, 4\) to the input's shape "
                            r"\(150, 4\), got \(150, 1\)"),
    (ReturnsTuple, X, ValueError, r"^model must map X .* got tuple$"),
]


@pytest.mark.parametrize("function", TRAIN)
@pytest.mark.parametrize("make_model,X_,exc,match", MODEL_MISTAKES)
def test_model_mistakes_are_named(function, make_model, X_, exc, match):
    with pytest.raises(exc, match=match):
        TRAIN[function](make_model(), X_)


def test_output_shape_is_checked_against_the_target():
    with pytest.raises(ValueError, match=r"^model must map X of shape \(150, 4\) to the target's "
                                         r"shape \(150, 4\), got \(150, 1\)$"):
        training.full_mse(Narrow(), X, target=X)


def test_integer_weights_are_refused():
    model = nn.Linear(4, 4)
    model.weight = nn.Parameter(torch.ones(4, 4, dtype=torch.int64), requires_grad=False)
    with pytest.raises(TypeError, match=r"^model's parameter weight must be floating point, got torch.int64"):
        training.full_mse(model, X)


@pytest.mark.parametrize("function", TRAIN)
@pytest.mark.parametrize("target,exc,match", [
    (X[:, :3], ValueError, r"target must have X's shape \(150, 4\), got \(150, 3\)"),
    (X[:100], ValueError, r"target must have X's shape"),
    (X[:, 0], ValueError, r"^target must be a 2-D array"),
    (np.full_like(X, np.nan), ValueError, r"^target must be finite"),
    (X.astype(str), TypeError, r"^target must hold numbers"),
])
def test_target_mistakes_are_named(function, target, exc, match):
    with pytest.raises(exc, match=match):
        TRAIN[function](start_model(), X, target=target)


@pytest.mark.parametrize("call,match", [
    (lambda: training.sweep_linear_autoencoders(X, 2, [0], target=X[:, :3]), r"^target must have shape \(150, 4\)"),
    (lambda: training.fit_linear_autoencoder(X, 2, target=X[:5]), r"^target must have X's shape"),
])
def test_target_mistakes_in_sweep_and_fit(call, match):
    with pytest.raises(ValueError, match=match):
        call()


@pytest.mark.parametrize("call", [
    lambda: training.train_minibatch(start_model(), X, lr=0),
    lambda: training.train_full_batch(start_model(), X, lr=0),
    lambda: training.train_full_batch(start_model(), X, lr=0.0, method="lbfgs"),
    lambda: training.sweep_linear_autoencoders(X, 2, [0], lr=0),
], ids=["minibatch", "adam", "lbfgs", "sweep"])
def test_lr_zero_is_refused(call):
    with pytest.raises(ValueError, match=r"lr must be finite and > 0, got 0\.0"):
        call()


@pytest.mark.parametrize("call,exc,match", [
    # X: shape, finiteness, dtype
    (lambda: training.train_minibatch(start_model(), X[:, 0]), ValueError, r"^X must be a 2-D"),
    (lambda: training.train_full_batch(start_model(), np.full((3, 4), np.nan)), ValueError,
     r"^X must be finite"),
    (lambda: training.full_mse(start_model(), X.astype(object)), TypeError, r"^X must hold numbers"),
    (lambda: training.fit_linear_autoencoder(np.full((3, 4), np.inf), 2), ValueError,
     r"^X must be finite"),
    (lambda: training.sweep_linear_autoencoders(X[:, 0], 2, [0]), ValueError, r"^X must be a 2-D"),
    (lambda: training.fit_linear_autoencoder(X[:, 0], 2), ValueError, r"^X must be a 2-D array"),
    # ranges
    (lambda: training.train_minibatch(start_model(), X, epochs=0), ValueError, r"^epochs must"),
    (lambda: training.train_minibatch(start_model(), X, batch_size=0), ValueError, r"^batch_size must"),
    (lambda: training.train_minibatch(start_model(), X, lr=-1.0), ValueError, r"^lr must"),
    (lambda: training.train_minibatch(start_model(), X, lr=float("inf")), ValueError, r"^lr must"),
    (lambda: training.train_minibatch(start_model(), X, weight_decay=-0.1), ValueError,
     r"^weight_decay must"),
    (lambda: training.train_minibatch(start_model(), X, seed=-1), ValueError, r"^seed must"),
    (lambda: training.train_minibatch(start_model(), X, seed=2**64), ValueError,
     r"^seed must be in \[0, 4294967295\]"),
    (lambda: training.train_full_batch(start_model(), X, steps=0), ValueError, r"^steps must"),
    (lambda: training.train_full_batch(start_model(), X, weight_decay=float("nan")), ValueError,
     r"^weight_decay must"),
    (lambda: training.fit_linear_autoencoder(X, 0), ValueError, r"^n_hidden must"),
    (lambda: training.fit_linear_autoencoder(X, 2, steps=-5), ValueError, r"^steps must be"),
    (lambda: training.fit_linear_autoencoder(X, 2, steps=0, recipe="lbfgs"), ValueError, r"^steps must"),
    (lambda: training.fit_linear_autoencoder(X, 2, seed=2**32), ValueError, r"^seed must"),
    (lambda: training.sweep_linear_autoencoders(X, 0, [0]), ValueError, r"^n_hidden must"),
    (lambda: training.fit_linear_autoencoder(X, 2, weight_decay=-1.0), ValueError,
     r"^weight_decay must"),
    (lambda: training.sweep_linear_autoencoders(X, 2, []), ValueError, r"^seeds must not be empty"),
    (lambda: training.sweep_linear_autoencoders(X, 2, [-1]), ValueError,
     r"^seeds\[i\] must be in \[0, 4294967295\], got -1"),
    (lambda: training.sweep_linear_autoencoders(X, 2, [2**32]), ValueError, r"^seeds\[i\] must"),
    (lambda: training.sweep_linear_autoencoders(X, 2, [0], steps=0), ValueError, r"^steps must"),
    (lambda: training.sweep_linear_autoencoders(X, 2, [0], weight_decay=-1), ValueError,
     r"^weight_decay must"),
    (lambda: training.seed_everything(-1), ValueError, r"^seed must"),
    (lambda: training.seed_everything(2**32), ValueError, r"^seed must"),
    # types and choices
    (lambda: training.train_minibatch(start_model(), X, batch_size=2.5), TypeError, r"^batch_size must"),
    (lambda: training.train_minibatch(start_model(), X, epochs="3"), TypeError, r"^epochs must"),
    (lambda: training.train_minibatch(start_model(), X, seed=1.0), TypeError, r"^seed must"),
    (lambda: training.train_full_batch(start_model(), X, method="sgd"), ValueError, r"^method must"),
    (lambda: training.train_full_batch(start_model(), X, lr="0.1"), TypeError, r"^lr must"),
    (lambda: training.fit_linear_autoencoder(X, 2, recipe="fast"), ValueError, r"^recipe must"),
    (lambda: training.fit_linear_autoencoder(X, 2.0), TypeError, r"^n_hidden must"),
    (lambda: training.fit_linear_autoencoder(X, 2, steps=2.0), TypeError, r"^steps must"),
    (lambda: training.sweep_linear_autoencoders(X, 2, 5), TypeError,
     r"^seeds must be a sequence of integers, got int"),
    (lambda: training.sweep_linear_autoencoders(X, 2, "01"), TypeError, r"^seeds must"),
    (lambda: training.sweep_linear_autoencoders(X, 2, b"\x00"), TypeError,
     r"^seeds must be a sequence of integers, got bytes$"),
    (lambda: training.sweep_linear_autoencoders(X, 2, [0.5]), TypeError,
     r"^seeds\[i\] must be an integer, got float"),
    (lambda: training.sweep_linear_autoencoders(X, 2, [0], recipe="lbfgs"), ValueError, r"^recipe must"),
    (lambda: training.seed_everything("1"), TypeError, r"^seed must"),
    # flags given as strings are truthy in Python: refused
    (lambda: training.fit_linear_autoencoder(X, 2, tied="False"), TypeError, r"^tied must"),
    (lambda: training.fit_linear_autoencoder(X, 2, bias="no"), TypeError, r"^bias must"),
    (lambda: training.fit_linear_autoencoder(X, 2, tied=1), TypeError, r"^tied must"),
    (lambda: training.sweep_linear_autoencoders(X, 2, [0], tied="False"), TypeError, r"^tied must"),
    # keep: epoch or step counts in [1, steps]
    (lambda: training.sweep_linear_autoencoders(X, 2, [0], steps=5, keep=[6]), ValueError,
     r"^keep\[i\] must be in \[1, 5\]"),
    (lambda: training.sweep_linear_autoencoders(X, 2, [0], steps=5, keep=[0]), ValueError,
     r"^keep\[i\] must"),
    (lambda: training.sweep_linear_autoencoders(X, 2, [0], keep=3), TypeError, r"^keep must"),
])
def test_bad_arguments_are_named(call, exc, match):
    with pytest.raises(exc, match=match):
        call()


# ---- Adam's betas and keep in sweep_linear_autoencoders (lesson 3's one-factor experiment) ----
# (These were in tests/test_sweep_betas.py, outside the mutation run's test selection.)


def test_sweep_default_betas_are_torchs_and_the_articles():
    default = training.sweep_linear_autoencoders(X, 2, [0, 1], steps=3)
    explicit = training.sweep_linear_autoencoders(X, 2, [0, 1], steps=3, betas=(0.9, 0.999))
    assert np.array_equal(default.W, explicit.W)
    assert np.array_equal(default.W_tilde, explicit.W_tilde)


@pytest.mark.parametrize("betas", [(0.8, 0.9), (0, 0.5), [0.0, 0.0]])
def test_sweep_betas_reach_adam(betas):
    """Full-batch, one seed: the same as torch's Adam by hand with these betas; 0 allowed."""
    steps = 5
    swept = training.sweep_linear_autoencoders(X, 2, [3], recipe="adam", lr=0.01, steps=steps,
                                               betas=betas)
    training.seed_everything(3)
    model = Autoencoder(4, 2, bias=False)
    optimizer = torch.optim.Adam(model.parameters(), lr=0.01,
                                 betas=tuple(float(b) for b in betas))
    data_t = torch.tensor(X, dtype=torch.float32)
    for _ in range(steps):
        optimizer.zero_grad()
        ((model(data_t) - data_t) ** 2).mean().backward()
        optimizer.step()
    assert np.allclose(swept.W[0], model.W.detach().numpy(), rtol=0, atol=1e-6)
    assert np.allclose(swept.W_tilde[0], model.W_tilde.detach().numpy(), rtol=0, atol=1e-6)
    default = training.sweep_linear_autoencoders(X, 2, [3], recipe="adam", lr=0.01,
                                                 steps=steps)
    assert not np.allclose(swept.W[0], default.W[0], rtol=0, atol=1e-6)


@pytest.mark.parametrize("kwargs, exc, match", [
    ({"betas": 0.9}, TypeError, r"^betas must be a pair \(beta1, beta2\), got 0\.9$"),
    ({"betas": (0.9,)}, TypeError, r"^betas must be a pair \(beta1, beta2\), got \(0\.9,\)$"),
    ({"betas": (0.9, 0.99, 0.999)}, TypeError, r"^betas must be a pair \(beta1, beta2\)"),
    ({"betas": ("0.9", 0.999)}, TypeError, r"^betas\[0\] must be a real number, got str$"),
    ({"betas": (0.9, float("nan"))}, ValueError, r"^betas\[1\] must be finite and >= 0"),
    ({"betas": (-0.1, 0.999)}, ValueError, r"^betas\[0\] must be finite and >= 0, got -0\.1$"),
    ({"betas": (0.9, 1.0)}, ValueError, r"^betas must each be in \[0, 1\), got \(0\.9, 1\.0\)$"),
    ({"betas": (1.5, 0.9)}, ValueError, r"^betas must each be in \[0, 1\), got \(1\.5, 0\.9\)$"),
    ({"keep": 3}, TypeError, r"^keep must be a sequence of int, got int$"),
    ({"keep": {2}}, TypeError, r"^keep must be a sequence of int, got set$"),
])
def test_sweep_betas_and_keep_checks_name_their_argument_from_the_start(kwargs, exc, match):
    with pytest.raises(exc, match=match):
        training.sweep_linear_autoencoders(X, 2, [0], steps=3, **kwargs)


@pytest.mark.parametrize("keep", [[2], (1, 3), range(1, 4)])
def test_sweep_keep_takes_a_list_tuple_or_range(keep):
    sweep = training.sweep_linear_autoencoders(X, 2, [0], steps=3, keep=keep)
    assert sorted(sweep.kept) == sorted(keep)
