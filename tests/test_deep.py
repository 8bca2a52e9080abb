"""helpers.deep: deeper autoencoders, toy data, the stacked sweep, input checks."""

import numpy as np
import pytest
import torch
from torch import nn

from helpers import deep, linalg, training

DEEP = [2, 8, 1, 8, 2]


def _bound(X, k=1):
    return linalg.eckart_young_bound(linalg.pca(X).eigenvalues, k)


# ---- build_autoencoder ------------------------------------------------------------


def test_code_layer_is_the_narrowest_hidden_layer():
    assert deep.code_layer([2, 1, 2]) == 1
    assert deep.code_layer([2, 16, 16, 1, 16, 16, 2]) == 3
    assert deep.code_layer([4, 3, 2, 2, 4]) == 2      # the first of a tie
    assert deep.code_layer([2, 8, 2]) == 1            # overcomplete: the only one


def test_build_splits_encoder_and_decoder_at_the_code():
    net = deep.build_autoencoder([2, 16, 16, 1, 16, 16, 2], "sigmoid",
                                 code_activation="identity", seed=0)
    kinds = lambda part: [type(m).__name__ for m in part]
    assert kinds(net.encoder) == ["Linear", "Sigmoid", "Linear", "Sigmoid",
                                  "Linear", "Identity"]
    assert kinds(net.decoder) == ["Linear", "Sigmoid", "Linear", "Sigmoid", "Linear"]
    X = torch.randn(5, 2)
    assert net.encoder(X).shape == (5, 1)
    assert net(X).shape == (5, 2)
    assert torch.equal(net(X), net.decoder(net.encoder(X)))


def test_shallow_code_gets_the_hidden_activation_and_the_output_is_linear():
    net = deep.build_autoencoder([3, 2, 3], "tanh")
    assert [type(m) for m in net.encoder] == [nn.Linear, nn.Tanh]
    assert [type(m) for m in net.decoder] == [nn.Linear]
    # a linear output can leave tanh's range
    with torch.no_grad():
        net.decoder[0].bias.fill_(5.0)
    assert net(torch.zeros(1, 3)).min() > 1


def test_build_is_seeded_and_leaves_the_global_generator_alone():
    state = torch.random.get_rng_state()
    a = deep.build_autoencoder(DEEP, seed=3)
    b = deep.build_autoencoder(DEEP, seed=3)
    c = deep.build_autoencoder(DEEP, seed=4)
    assert torch.equal(torch.random.get_rng_state(), state)
    for p, q, r in zip(a.parameters(), b.parameters(), c.parameters()):
        assert torch.equal(p, q)
        assert not torch.equal(p, r)


def test_initialization_is_pytorchs_default_distribution():
    net = deep.build_autoencoder([50, 200, 50], seed=0)
    for layer in (net.encoder[0], net.decoder[0]):
        limit = 1 / np.sqrt(layer.in_features)
        for p in (layer.weight, layer.bias):
            assert p.abs().max() <= limit
        # uniform on [-limit, limit]: standard deviation limit / sqrt(3)
        std = layer.weight.std().item()
        assert std == pytest.approx(limit / np.sqrt(3), rel=0.05)


# ---- data ----------------------------------------------------------------------


def test_s_curve_is_make_s_curve_seen_side_on():
    from sklearn.datasets import make_s_curve

    for seed, noise in [(0, 0.0), (7, 0.1)]:
        X3, t = make_s_curve(300, noise=noise, random_state=seed)
        sample = deep.s_curve(300, noise, seed=seed)
        assert np.array_equal(sample.X, X3[:, [0, 2]])
        assert np.array_equal(sample.t, t)


def test_s_curve_without_noise_lies_on_the_curve():
    sample = deep.s_curve(100, 0.0, seed=1)
    assert np.array_equal(sample.X, deep.s_curve_at(sample.t))
    assert np.all(np.abs(sample.t) <= 1.5 * np.pi)
    ends = deep.s_curve_at(np.array([-1.5 * np.pi, 0.0, 1.5 * np.pi]))
    assert np.allclose(ends, [[1, 1], [0, 0], [-1, -1]])


def test_linear_data_is_loadings_times_coordinates_plus_noise():
    A = np.array([[1.0, 0.0], [0.5, 1.0], [0.0, 2.0]])
    exact = deep.linear_data(50, A, 0.0, seed=2)
    assert exact.X.shape == (50, 3) and exact.t.shape == (50, 2)
    assert np.allclose(exact.X, exact.t @ A.T)
    noisy = deep.linear_data(20000, A, 0.5, seed=2)
    residual = noisy.X - noisy.t @ A.T
    # the noise is isotropic with variance 0.25; 20000 draws: within 5 %
    assert np.allclose(np.cov(residual.T), 0.25 * np.eye(3), atol=0.0125)
    again = deep.linear_data(20000, A, 0.5, seed=2)
    assert np.array_equal(noisy.X, again.X)


# ---- mse_float64 -----------------------------------------------------------------


def test_mse_float64_matches_full_mse_and_leaves_the_model_alone():
    net = deep.build_autoencoder(DEEP, "sigmoid", seed=0)
    X = deep.s_curve(64, 0.1, seed=0).X
    value = deep.mse_float64(net, X)
    assert value == pytest.approx(training.full_mse(net, X), rel=1e-6)  # float32
    assert next(net.parameters()).dtype == torch.float32


# ---- backward_steps ---------------------------------------------------------------


def test_backward_steps_marks_steps_against_the_main_direction():
    up = deep.backward_steps([0.0, 1.0, 3.0, 2.0, 4.0])
    assert up.tolist() == [False, False, True, False]
    down = deep.backward_steps(np.array([5.0, 4.0, 4.5, 3.0, 2.0]))
    assert down.tolist() == [False, True, False, False]
    assert deep.backward_steps(torch.arange(4.0)).tolist() == [False] * 3
    # a step without change is not a step forward
    assert deep.backward_steps([0.0, 1.0, 1.0, 2.0]).tolist() == [False, True, False]


def test_pca_score_on_the_s_curve_turns_back_a_linear_code_folds():
    t = np.linspace(-1.5 * np.pi, 1.5 * np.pi, 2001)
    curve = deep.s_curve_at(t)
    for w in ([1.0, 0.0], [0.0, 1.0], [0.6, -0.8]):
        back = deep.backward_steps(curve @ np.array(w))
        assert back.any()                   # every linear code turns back


# ---- the theorem the lesson relies on --------------------------------------------


@pytest.mark.parametrize("widths", [[2, 1, 2], [2, 32, 1, 2], [2, 16, 16, 1, 2]])
def test_a_linear_last_layer_never_beats_the_bound(widths):
    """Outputs affine in a 1-wide layer lie on a line: MSE >= Eckart-Young bound."""
    X = deep.s_curve(300, 0.1, seed=0).X
    for seed in range(10):
        net = deep.build_autoencoder(widths, "sigmoid", code_activation="tanh", seed=seed)
        with torch.no_grad():              # spread the weights out: far from linear
            for p in net.parameters():
                p.mul_(5)
        assert deep.mse_float64(net, X) >= _bound(X) * (1 - 1e-9)


# ---- StackedAutoencoders and sweep_autoencoders ----------------------------------


def test_stack_applies_each_network_to_its_own_block():
    models = [deep.build_autoencoder(DEEP, "sigmoid", "identity", seed=s) for s in (0, 1, 2)]
    stacked = deep.StackedAutoencoders(models)
    # one stacked weight and bias per layer, nothing else to train
    assert [tuple(p.shape) for p in stacked.parameters()] == [
        (3, 2, 8), (3, 8, 1), (3, 1, 8), (3, 8, 2), (3, 1, 8), (3, 1, 1), (3, 1, 8),
        (3, 1, 2)]
    X = torch.randn(10, 6)
    out = stacked(X)
    for s, model in enumerate(models):
        block = slice(2 * s, 2 * s + 2)
        assert torch.allclose(out[:, block], model(X[:, block]), atol=1e-6)
    for model, back in zip(models, stacked.unstack()):
        for p, q in zip(model.parameters(), back.parameters()):
            assert torch.equal(p, q)


def test_stack_refuses_different_architectures():
    with pytest.raises(ValueError, match="same architecture"):
        deep.StackedAutoencoders([deep.build_autoencoder([2, 4, 1, 4, 2]),
                                  deep.build_autoencoder([2, 5, 1, 5, 2])])
    with pytest.raises(ValueError, match="same architecture"):
        deep.StackedAutoencoders([deep.build_autoencoder([2, 1, 2], "tanh"),
                                  deep.build_autoencoder([2, 1, 2], "sigmoid")])
    with pytest.raises(ValueError, match="empty"):
        deep.StackedAutoencoders([])


def test_sweep_equals_one_run_per_seed():
    seeds = [0, 5, 9]
    data = np.stack([deep.s_curve(50, 0.1, seed=s).X for s in seeds])
    sweep = deep.sweep_autoencoders(DEEP, data, seeds, "sigmoid", "identity",
                                    steps=20, lr=0.05)
    assert list(sweep.seeds) == seeds and sweep.loss_history.shape == (20,)
    for i, seed in enumerate(seeds):
        alone = deep.build_autoencoder(DEEP, "sigmoid", "identity", seed=seed)
        result = training.train_full_batch(alone, data[i], steps=20, lr=0.05)
        # the same gradients (the stack multiplies its mean loss's gradient back by
        # S), so only float rounding differs after 20 steps
        for p, q in zip(alone.parameters(), sweep.models[i].parameters()):
            assert torch.allclose(p, q, atol=1e-5)
        assert sweep.final_mse[i] == pytest.approx(result.final_mse, rel=1e-4)
        assert sweep.final_mse[i] == pytest.approx(training.full_mse(sweep.models[i], data[i]))
    assert sweep.loss_history[-1] == pytest.approx(sweep.final_mse.mean(), rel=1e-5)


def test_sweep_is_deterministic():
    data = np.stack([deep.s_curve(40, 0.1, seed=s).X for s in (1, 2)])
    a = deep.sweep_autoencoders(DEEP, data, [1, 2], steps=15)
    b = deep.sweep_autoencoders(DEEP, data, [1, 2], steps=15)
    assert np.array_equal(a.loss_history, b.loss_history)
    assert np.array_equal(a.final_mse, b.final_mse)


# ---- bad input -----------------------------------------------------------------

GOOD_DATA = np.zeros((2, 5, 2)) + np.arange(5)[None, :, None]


@pytest.mark.parametrize("call,exc,match", [
    (lambda: deep.build_autoencoder([2, 2]), ValueError, "at least 3"),
    (lambda: deep.build_autoencoder([2, 1, 3]), ValueError, "same width"),
    (lambda: deep.build_autoencoder([2, 0, 2]), ValueError, "widths"),
    (lambda: deep.build_autoencoder([2, 1.5, 2]), TypeError, "widths"),
    (lambda: deep.build_autoencoder("212"), TypeError, "widths"),
    (lambda: deep.build_autoencoder(5), TypeError, "widths"),
    (lambda: deep.build_autoencoder([2, 1, 2], "softmax"), ValueError, "activation"),
    (lambda: deep.build_autoencoder([2, 1, 2], code_activation="gelu"), ValueError,
     "code_activation"),
    (lambda: deep.build_autoencoder([2, 1, 2], seed=-1), ValueError, "seed"),
    (lambda: deep.build_autoencoder([2, 1, 2], seed=1.0), TypeError, "seed"),
    (lambda: deep.code_layer([3, 3]), ValueError, "at least 3"),
    (lambda: deep.s_curve(0), ValueError, "n_samples"),
    (lambda: deep.s_curve(10, noise=-0.1), ValueError, "noise"),
    (lambda: deep.s_curve(10, noise=float("nan")), ValueError, "noise"),
    (lambda: deep.s_curve(10, seed=2**32), ValueError, "seed"),
    (lambda: deep.s_curve_at(np.zeros((3, 2))), ValueError, "t must be a 1-D"),
    (lambda: deep.s_curve_at([np.inf]), ValueError, "finite"),
    (lambda: deep.linear_data(10, np.ones((2, 3)), 0.1), ValueError, "k <= n"),
    (lambda: deep.linear_data(10, np.ones(2), 0.1), ValueError, "loadings"),
    (lambda: deep.linear_data(10, [["a"], ["b"]], 0.1), TypeError, "loadings"),
    (lambda: deep.linear_data(10, np.ones((2, 1)), -1.0), ValueError, "noise"),
    (lambda: deep.mse_float64("net", np.zeros((3, 2))), TypeError, "model"),
    (lambda: deep.mse_float64(deep.build_autoencoder([2, 1, 2]), np.zeros((3, 3))),
     ValueError, "X must have 2 columns"),
    (lambda: deep.mse_float64(deep.build_autoencoder([2, 1, 2]), np.full((3, 2), np.nan)),
     ValueError, "finite"),
    (lambda: deep.mse_float64(nn.Linear(2, 3), np.zeros((3, 2))), ValueError, "same shape"),
    (lambda: deep.backward_steps([1.0]), ValueError, "at least 2"),
    (lambda: deep.backward_steps(np.zeros((3, 2))), ValueError, "codes must be a 1-D"),
    (lambda: deep.backward_steps([0.0, np.nan, 1.0]), ValueError, "finite"),
    (lambda: deep.backward_steps(["a", "b"]), TypeError, "codes"),
    (lambda: deep.backward_steps([0.0, 1.0, 0.0]), ValueError, "no main direction"),
    (lambda: deep.sweep_autoencoders([2, 1, 2], GOOD_DATA, []), ValueError, "seeds"),
    (lambda: deep.sweep_autoencoders([2, 1, 2], GOOD_DATA, [0, -1]), ValueError, "seeds"),
    (lambda: deep.sweep_autoencoders([2, 1, 2], GOOD_DATA, 2), TypeError, "seeds"),
    (lambda: deep.sweep_autoencoders([2, 1, 2], GOOD_DATA, [0]), ValueError, "data must"),
    (lambda: deep.sweep_autoencoders([3, 1, 3], GOOD_DATA, [0, 1]), ValueError, "data must"),
    (lambda: deep.sweep_autoencoders([2, 1, 2], GOOD_DATA[0], [0, 1]), ValueError, "3-D"),
    (lambda: deep.sweep_autoencoders([2, 1, 2], GOOD_DATA, [0, 1], steps=0), ValueError,
     "steps"),
    (lambda: deep.sweep_autoencoders([2, 1, 2], GOOD_DATA, [0, 1], lr=-1.0), ValueError,
     "lr"),
])
def test_bad_input_is_refused(call, exc, match):
    with pytest.raises(exc, match=match):
        call()


# ---- what mutation testing showed unchecked -------------------------------------------


@pytest.mark.parametrize("call, exc, match", [
    (lambda: deep.linear_data(0, np.ones((2, 1)), 0.1), ValueError,
     r"^n_samples must be in \[1, inf\]"),
    (lambda: deep.linear_data(3, np.full((2, 1), np.nan), 0.1), ValueError,
     r"^loadings must be finite"),
    (lambda: deep.linear_data(3, np.ones((2, 1)), -0.1), ValueError,
     r"^noise must be finite and >= 0"),
    (lambda: deep.linear_data(3, np.ones((2, 1)), 0.1, seed=-1), ValueError,
     r"^seed must be in \[0, inf\]"),
    (lambda: deep.mse_float64("net", np.zeros((3, 2))), TypeError,
     r"^model must be a torch nn.Module, got str$"),
    (lambda: deep.mse_float64(nn.Identity(), np.zeros(3)), ValueError, r"^X must be a 2-D array"),
    (lambda: deep.mse_float64(nn.Identity(), np.full((3, 2), np.nan)), ValueError,
     r"^X must be finite"),
    (lambda: deep.backward_steps([0.0, 1.0, 0.0]), ValueError,
     r"^codes has as many steps up as down: no main direction$"),
])
def test_each_check_names_its_argument_from_the_start(call, exc, match):
    with pytest.raises(exc, match=match):
        call()


def test_linear_data_is_a_t_plus_noise_e_from_one_generator_seeded_0_by_default():
    A = np.array([[1.0, 0.0], [2.0, 1.0], [0.0, 3.0]])         # square k = n allowed below
    sample = deep.linear_data(4, A, 0.5)
    rng = np.random.default_rng(0)
    t = rng.standard_normal((4, 2))
    np.testing.assert_array_equal(sample.t, t)
    np.testing.assert_allclose(sample.X, t @ A.T + 0.5 * rng.standard_normal((4, 3)),
                               rtol=1e-15)
    one = deep.linear_data(1, np.eye(3), 0.0, seed=0)             # N = 1, k = n, no noise
    np.testing.assert_array_equal(one.X, one.t)


def test_mse_float64_of_a_model_without_linear_layers():
    X = np.arange(6.0).reshape(3, 2)
    assert deep.mse_float64(nn.Identity(), X) == 0.0


def test_backward_steps_of_two_points():
    np.testing.assert_array_equal(deep.backward_steps([0.0, 1.0]), [False])
    np.testing.assert_array_equal(deep.backward_steps([1.0, 0.0]), [False])


@pytest.mark.parametrize("call, exc, match", [
    (lambda: deep.s_curve(0), ValueError, r"^n_samples must be in \[1, inf\]"),
    (lambda: deep.s_curve(3, noise=-1.0), ValueError, r"^noise must be finite and >= 0"),
    (lambda: deep.s_curve(3, seed=-1), ValueError, r"^seed must be in \[0, 4294967295\]"),
    (lambda: deep.s_curve(3, seed=2**32), ValueError, r"^seed must be in \[0, 4294967295\]"),
    (lambda: deep.sweep_autoencoders([2, 1, 2], GOOD_DATA, 2), TypeError,
     r"^seeds must be a sequence of integers, got int$"),
    (lambda: deep.sweep_autoencoders([2, 1, 2], GOOD_DATA, [0, -1]), ValueError,
     r"^seeds\[i\] must be in \[0, inf\]"),
    (lambda: deep.sweep_autoencoders([2, 1, 2], GOOD_DATA, []), ValueError,
     r"^seeds must not be empty$"),
    (lambda: deep.sweep_autoencoders([2, 1, 2], GOOD_DATA[0], [0, 1]), ValueError,
     r"^data must be a 3-D array"),
    (lambda: deep.sweep_autoencoders([3, 1, 3], GOOD_DATA, [0, 1]), ValueError,
     r"^data must have shape \(2, N, 3\)"),
    (lambda: deep.sweep_autoencoders([2, 1, 2], GOOD_DATA, [0, 1], steps=0), ValueError,
     r"^steps must be in \[1, inf\]"),
])
def test_s_curve_and_sweep_checks_name_their_argument_from_the_start(call, exc, match):
    with pytest.raises(exc, match=match):
        call()


def test_s_curve_defaults_and_extremes():
    """No noise and seed 0 by default; one sample and the largest seed are accepted."""
    np.testing.assert_array_equal(deep.s_curve(5).X, deep.s_curve(5, noise=0.0, seed=0).X)
    assert deep.s_curve(1, seed=2**32 - 1).X.shape == (1, 2)


def test_sweep_takes_500_steps_by_default_and_one_if_asked():
    assert deep.sweep_autoencoders([2, 1, 2], GOOD_DATA, [0, 1]).loss_history.shape == (500,)
    assert deep.sweep_autoencoders([2, 1, 2], GOOD_DATA, [0, 1], steps=1).loss_history.shape == (1,)


@pytest.mark.parametrize("call, exc, match", [
    (lambda: deep.build_autoencoder(5), TypeError,
     r"^widths must be a sequence of integers, got int$"),
    (lambda: deep.build_autoencoder([2, 1.5, 2]), TypeError,
     r"^widths\[i\] must be an integer, got float$"),
    (lambda: deep.build_autoencoder([2, 1, 2], "softmax"), ValueError,
     r"^activation must be one of"),
    (lambda: deep.build_autoencoder([2, 1, 2], code_activation="gelu"), ValueError,
     r"^code_activation must be one of"),
    (lambda: deep.build_autoencoder([2, 1, 2], seed=-1), ValueError,
     r"^seed must be in \[0, 9223372036854775807\], got -1$"),
    (lambda: deep.build_autoencoder([2, 1, 2], seed=2**63), ValueError,
     r"^seed must be in \[0, 9223372036854775807\], got 9223372036854775808$"),
    (lambda: deep.StackedAutoencoders([]), ValueError, r"^models must not be empty$"),
    (lambda: deep.StackedAutoencoders([deep.build_autoencoder([2, 4, 1, 4, 2]),
                                       deep.build_autoencoder([2, 5, 1, 5, 2])]),
     ValueError, r"^models must all have the same architecture$"),
])
def test_build_and_stack_checks_name_their_argument_from_the_start(call, exc, match):
    with pytest.raises(exc, match=match):
        call()


def test_build_autoencoder_seeds_0_by_default_and_takes_the_largest_int64_seed():
    default = [p.detach() for p in deep.build_autoencoder(DEEP).parameters()]
    zero = [p.detach() for p in deep.build_autoencoder(DEEP, seed=0).parameters()]
    one = [p.detach() for p in deep.build_autoencoder(DEEP, seed=1).parameters()]
    assert all(torch.equal(a, b) for a, b in zip(default, zero))
    assert not all(torch.equal(a, b) for a, b in zip(default, one))
    largest = deep.build_autoencoder([2, 1, 2], seed=2**63 - 1)
    generator = torch.Generator().manual_seed(2**63 - 1)
    weight = largest.encoder[0].weight.detach()
    expected = (2 * torch.rand(weight.shape, generator=generator) - 1) / np.sqrt(2)
    assert torch.allclose(weight, expected, rtol=1e-6, atol=0)        # fan_in 2
