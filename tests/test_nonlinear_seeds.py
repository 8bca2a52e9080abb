"""Lesson 9's seed-dependent claims, on the lesson's seeds 0-19 and on seeds 100-129.

The lesson (lessons_src/09_nonlinear.md) trains, for each seed s, networks with the
recipe full-batch Adam, lr 0.05, 500 steps, sigmoid hidden layers:

- on the S-curve seen side on (noise 0.1; 200 training and 2000 held-out points drawn
  with seed s): 2 -> 32 -> 1 -> 32 -> 2 with a linear code ("deep"), and 2 -> 1 -> 2
  with a sigmoid code ("shallow");
- on linear data x = t a + s e with a = (1.2, 0.6), s = 0.3 (20 training and 2000
  held-out points): the deep network.

Every claim is checked on both seed ranges with the lesson's tolerances. The comment
above each tolerance records what was measured (torch 2.13.0, CPU). Each
configuration is trained once per range, the range's networks side by side.
"""

from __future__ import annotations

import copy
import functools

import numpy as np
import pytest
import torch

from helpers import deep, linalg

RANGES = {"0-19": list(range(20)), "100-129": list(range(100, 130))}
RECIPE = dict(activation="sigmoid", steps=500, lr=0.05)
WIDTHS = [2, 32, 1, 32, 2]
N_TRAIN, N_SMALL, N_TEST, NOISE = 200, 20, 2000, 0.1
A, LINE_NOISE = np.array([[1.2], [0.6]]), 0.3
EPS64 = np.finfo(np.float64).eps


def bound(X):
    return linalg.eckart_young_bound(linalg.pca(X).eigenvalues, 1)


def rounding(X):
    """Float64 rounding allowance for MSE / bound, as in the lesson."""
    N, n = X.shape
    return 4 * N * n * EPS64 * np.trace(linalg.covariance(X)) / n / bound(X)


def ratios(models, data_sets):
    return np.array([deep.mse_float64(m, X) / bound(X) for m, X in zip(models, data_sets)])


def errors(net, X):
    """Each point's squared error per entry, in float64, as in the lesson."""
    with torch.no_grad():
        R = copy.deepcopy(net).double()(torch.tensor(X)).numpy()
    return ((X - R) ** 2).mean(axis=1)


# Each range is trained as one stack, the lesson's range exactly as the lesson trains
# it: through float rounding, a network's result depends slightly on the other
# networks in its stack (the stack's mean loss is rescaled by S), and nonlinear
# training lets such differences grow.
@functools.cache
def curve(name):
    seeds = RANGES[name]
    samples = [deep.s_curve(N_TRAIN + N_TEST, NOISE, seed=s) for s in seeds]
    train = np.stack([c.X[:N_TRAIN] for c in samples])
    test = np.stack([c.X[N_TRAIN:] for c in samples])
    deep_sweep = deep.sweep_autoencoders(WIDTHS, train, seeds, code_activation="identity",
                                         **RECIPE)
    shallow = deep.sweep_autoencoders([2, 1, 2], train, seeds, **RECIPE)
    measured = {"deep_train": ratios(deep_sweep.models, train),
                "deep_test": ratios(deep_sweep.models, test),
                "shallow_train": ratios(shallow.models, train),
                "shallow_test": ratios(shallow.models, test)}
    return train, test, deep_sweep, measured


@functools.cache
def line(name):
    seeds = RANGES[name]
    samples = [deep.linear_data(N_SMALL + N_TEST, A, LINE_NOISE, seed=s).X for s in seeds]
    train = np.stack([X[:N_SMALL] for X in samples])
    test = np.stack([X[N_SMALL:] for X in samples])
    sweep = deep.sweep_autoencoders(WIDTHS, train, seeds, code_activation="identity",
                                    **RECIPE)
    # per held-out point: PCA's error (PCA fitted on the training set), the network's,
    # and whether the point's PCA score lies beyond the training points' scores
    e_pca, e_net, beyond = [], [], []
    for net, X_fit, X_new in zip(sweep.models, train, test):
        m, u = X_fit.mean(axis=0), linalg.pca(X_fit).components[:, 0]
        z_fit, z_new = (X_fit - m) @ u, (X_new - m) @ u
        e_pca.append(((X_new - m - np.outer(z_new, u)) ** 2).mean(axis=1))
        e_net.append(errors(net, X_new))
        beyond.append((z_new < z_fit.min()) | (z_new > z_fit.max()))
    return train, test, sweep, np.array(e_pca), np.array(e_net), np.array(beyond)


@pytest.mark.parametrize("name", RANGES)
def test_deep_network_beats_the_bound_on_curved_data(name):
    measured = curve(name)[3]
    held_out, on_train = measured["deep_test"], measured["deep_train"]
    # measured: held out 0.051 to 0.134 (seeds 0-19), 0.066 to 0.231 (100-129; the
    # next largest 0.162); seeds 140-199 gave at most 0.176
    assert held_out.max() < 1 / 3
    # measured: training 0.038 to 0.106 (0-19), 0.049 to 0.218 (100-129)
    assert on_train.max() < 1 / 3


@pytest.mark.parametrize("name", RANGES)
def test_deep_code_follows_the_curve_except_near_the_tips_and_the_centre(name):
    deep_sweep = curve(name)[2]
    t_grid = np.linspace(-1.5 * np.pi, 1.5 * np.pi, 2001)
    t_step = (t_grid[1:] + t_grid[:-1]) / 2
    on_curve = torch.tensor(deep.s_curve_at(t_grid), dtype=torch.float32)
    with torch.no_grad():
        back = np.array([deep.backward_steps(m.encoder(on_curve).numpy().ravel())
                         for m in deep_sweep.models])              # (S, 2000)
    # measured: runs backwards on 3.0 to 8.1 % of the curve (0-19), 2.3 to 6.9 %
    # (100-129); PCA's score on 35 %
    assert back.mean(axis=1).max() < 0.1
    tip, centre = 0.5, 0.5
    at_tip = np.abs(t_step) > 1.5 * np.pi - tip
    at_centre = np.abs(t_step) < centre
    # measured: slips reach at most 0.41 from an end (seeds 3, 9, 107), and central
    # slips at most 0.34 from the centre (seed 7; 0.18 on seeds 100-129)
    assert not back[:, ~(at_tip | at_centre)].any()
    # every seed slips at both tips
    assert back[:, at_tip & (t_step < 0)].any(axis=1).all()
    assert back[:, at_tip & (t_step > 0)].any(axis=1).all()
    # central slips on 5 of 20 seeds (0-19), 7 of 30 (100-129), on at most 39 and
    # 38 of the 2000 steps (1.95 % and 1.9 % of the curve)
    assert back[:, at_centre].sum(axis=1).max() / back.shape[1] < 0.025


@pytest.mark.parametrize("name", RANGES)
def test_one_sigmoid_code_unit_never_beats_the_bound(name):
    train, test, _, measured = curve(name)
    for data, values in ((train, measured["shallow_train"]), (test, measured["shallow_test"])):
        allowance = np.array([rounding(X) for X in data])
        # a theorem (eq-nonlinear-bound): only float64 rounding could break it
        assert np.all(values >= 1 - allowance)
    on_train = measured["shallow_train"]
    # measured: 1.0097 to 1.0267 (0-19), 1.0114 to 1.0240 (100-129)
    assert on_train.max() < 1.05
    # measured: deep at most 0.134 (0-19), 0.231 (100-129); shallow at least 1.016
    assert measured["deep_test"].max() < measured["shallow_test"].min() / 3


@pytest.mark.parametrize("name", RANGES)
def test_on_linear_data_the_deep_network_does_worse_than_pca_held_out(name):
    train, test, sweep, e_pca, e_net, beyond = line(name)
    held_out = ratios(sweep.models, test)
    # measured: 1.088 to 2.54 (0-19), 1.104 to 3.76 (100-129)
    assert np.all(held_out > 1)
    pca = e_pca.mean(axis=1)
    # measured: deep / PCA on held-out data at least 1.027 (0-19), 1.0175 (100-129)
    assert np.all(e_net.mean(axis=1) / pca > 1)
    # PCA's outputs lie on a line: a theorem, up to rounding
    b_test = np.array([bound(X) for X in test])
    allowance = np.array([rounding(X) for X in test])
    assert np.all(pca / b_test >= 1 - allowance)


@pytest.mark.parametrize("name", RANGES)
def test_most_of_the_held_out_excess_is_beyond_the_training_points(name):
    _, _, _, e_pca, e_net, beyond = line(name)
    # measured: a median of 6.9 % of the held-out points lie beyond (both ranges)
    assert np.median(beyond.mean(axis=1)) < 0.10
    excess = e_net - e_pca
    # measured: they carry 68 % of the excess summed over seeds 0-19, 61 % (100-129)
    assert (excess * beyond).sum() / excess.sum() > 0.5
    inside = (e_net * ~beyond).sum(axis=1) / (e_pca * ~beyond).sum(axis=1)
    # measured: inside, worse than PCA on 20 of 20 seeds (0-19), 23 of 30 (100-129)
    assert (inside > 1).sum() > inside.size / 2


@pytest.mark.parametrize("name", RANGES)
def test_on_a_small_linear_training_set_the_deep_network_fits_the_noise(name):
    train, _, sweep = line(name)[:3]
    on_train = ratios(sweep.models, train)
    # measured: below the training bound on 19 of 20 seeds (0-19) and 29 of 30
    # (100-129); the lesson says "at least three seeds in four"
    assert (on_train < 1).sum() >= 0.75 * on_train.size


@pytest.mark.parametrize("name", RANGES)
def test_held_out_bound_estimates_the_population_bound_the_training_bound_does_not(name):
    train, test = line(name)[:2]
    C_pop = A @ A.T + LINE_NOISE ** 2 * np.eye(2)
    population = linalg.eckart_young_bound(np.linalg.eigvalsh(C_pop), 1)
    assert population == pytest.approx(LINE_NOISE ** 2 / 2)
    held_out = np.array([bound(X) / population for X in test])
    # measured: 0.957 to 1.053 (0-19), 0.939 to 1.055 (100-129); with 2000 points
    # the relative spread is about sqrt(2 / 2000) = 3 %
    assert np.all(np.abs(held_out - 1) < 0.1)
    on_train = np.array([bound(X) / population for X in train])
    # measured: 0.41 to 1.86 (0-19), 0.37 to 1.68 (100-129)
    assert np.abs(on_train - 1).max() > 0.5
