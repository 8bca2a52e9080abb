"""Lesson 8's seed-dependent claims, checked on seeds the lesson does not show.

The lesson (book/08_eigen_digits.ipynb) trains every model with seed 0; nbval checks
its claims there. Here the same claims are checked, with the lesson's thresholds, on
two disjoint ranges of other seeds. Every model is trained exactly as in the lesson:
linear autoencoders without biases by full-batch L-BFGS (20 steps) on the 64-row
matrix R with R^T R / 64 = the covariance of the centred digits, which gives the same
loss as the 1797 centred images; the sigmoid-output autoencoders by 10 L-BFGS steps of
binary cross-entropy (and, for exercise 3, of the squared error) on the images.

An L-BFGS run costs 0.2-0.6 s of CPU, so the default ranges are short: seeds 1-6 and
100-105 for the 10-unit linear models (seed 0 is the lesson's own), seeds 1-2 and
100-101 for the other widths and the sigmoid models, and seeds 1 and 100 for
exercise 3's sigmoid model trained on the squared error. The comment above each
threshold records the spread measured over all of seeds 0-19 and 100-139 (torch
2.13.0, CPU), so the thresholds are not tuned to the few seeds run here. That wider
run is the test marked ``slow``, deselected by default; run it with

    .venv/bin/python -m pytest -m slow tests/test_eigen_digits_seeds.py -s

(about four minutes of CPU; ``-s`` shows the measured spreads).
"""

from __future__ import annotations

import numpy as np
import pytest
import torch

from helpers import components as comp
from helpers import crossentropy as ce
from helpers import data, linalg, training

SEEDS_10 = [*range(1, 7), *range(100, 106)]
SEEDS_FEW = [1, 2, 100, 101]
SEEDS_EX3 = [1, 100]
SEEDS_WIDE = [*range(0, 20), *range(100, 140)]
K = 10
WIDTHS = [1, 2, 5, 20]
EPS64 = np.finfo(float).eps
HALF_LEVEL = 1 / 32


@pytest.fixture(scope="module")
def digits():
    X = data.digits().X
    N, n = X.shape
    mean = X.mean(axis=0)
    Xc = X - mean
    pc = linalg.pca(Xc)
    R = np.linalg.qr(Xc, mode="r") * np.sqrt(n / N)
    return X, Xc, mean, R, pc.eigenvalues, pc.components[:, :K]


def train(R, k, seed):
    """The lesson's `train`: weights (k, n) and (n, k) in float64."""
    model, _ = training.fit_linear_autoencoder(R, k, seed=seed, recipe="lbfgs", steps=20)
    return (model.W.detach().double().numpy(), model.W_tilde.detach().double().numpy())


def image_mse(Xc, W, W_tilde):
    return ((Xc - Xc @ W.T @ W_tilde.T) ** 2).mean()


# ---------------------------------------------------------------- the checks
# Each returns the measured values, so the slow test can report their spread.


def check_linear10(digits, seed, W, W_tilde):
    """The 64 -> 10 -> 64 linear autoencoder: sections 'A linear autoencoder' to
    'Recovering the components', and exercise 2."""
    _, Xc, _, _, lam, U_k = digits
    bound = linalg.eckart_young_bound(lam, K)
    excess = image_mse(Xc, W, W_tilde) / bound - 1
    assert excess >= 0, (seed, excess)                  # consistency: Eckart-Young
    # "has reached the bound": measured 4.1e-6 to 1.4e-5
    assert excess < 1e-4, (seed, excess)
    angle = np.degrees(linalg.principal_angles(W_tilde, U_k).max())
    # "the same subspace": measured 0.026 to 0.154 degrees
    assert angle < 0.25, (seed, angle)

    C = linalg.covariance(Xc)
    cols = W_tilde / np.linalg.norm(W_tilde, axis=0)
    max_cos = np.abs(cols.T @ cols - np.eye(K)).max()
    # "not orthogonal": measured largest |cosine| 0.25 to 0.54
    assert max_cos > 0.2, (seed, max_cos)
    best = ((U_k.T @ cols) ** 2).max(axis=0)
    # "blends": measured mean best share 31 % to 46 %, largest 42 % to 88 %
    assert 100 * best.mean() < 60 and 100 * best.max() < 95, (seed, best)
    col_var = np.einsum("ij,ik,kj->j", cols, C, cols)
    assert not np.all(np.diff(col_var) <= 0), seed      # "not ordered"
    # "none within 5 % of lambda_1": measured largest 0.58 to 0.885 of it
    assert col_var.max() < 0.95 * lam[0], (seed, col_var.max() / lam[0])
    assert col_var.min() > lam[K - 1], seed

    ritz = comp.ritz_components(W_tilde, Xc)
    comp_max = comp.direction_angles(ritz.vectors, U_k).max()
    # "recovered": measured largest angle to u_j 0.023 to 0.136 degrees
    assert comp_max < 0.25, (seed, comp_max)
    err = lam[:K] - ritz.eigenvalues
    eig_rel = (err / lam[:K]).max()
    # measured: largest relative eigenvalue error 6.7e-08 to 2.6e-06
    assert eig_rel < 1e-5, (seed, eig_rel)
    ritz_bound = (lam[:K] - lam[-1]) * np.sin(np.radians(angle)) ** 2
    assert np.all(err >= -K * EPS64 * lam[0]), seed      # Cauchy interlacing
    # eq-digits-ritz-bound, j by j: measured at most 0.17 to 0.53 of it
    assert np.all(err <= ritz_bound), (seed, err / ritz_bound)
    ratio = (err / ritz_bound).max()

    # exercise 2: the eigenvalues of W~^T C W~ are badly off
    naive = np.linalg.eigvalsh(W_tilde.T @ C @ W_tilde)[::-1]
    naive_off = np.abs(naive / lam[:K] - 1).max()
    # measured: 1.7 to 3.9
    assert naive_off > 0.5, (seed, naive_off)
    return {"excess": excess, "angle": angle, "max_cos": max_cos,
            "mean_best": 100 * best.mean(), "best_max": 100 * best.max(),
            "var_max/lam1": col_var.max() / lam[0], "comp_max": comp_max,
            "eig_rel": eig_rel, "ritz_ratio": ratio, "naive_off": naive_off}


def check_widths(digits, seed, nets):
    """'Reconstructions and the bound for every k': nets maps width -> (W, W~)."""
    _, Xc, _, _, lam, _ = digits
    widths = sorted(nets)
    mse = np.array([image_mse(Xc, *nets[w]) for w in widths])
    ratio = mse / [linalg.eckart_young_bound(lam, w) for w in widths]
    assert np.all(ratio >= 1), (seed, ratio)             # consistency: Eckart-Young
    # "on its bound": measured ratio - 1 at most 7.3e-04 (k = 1, seed 114, whose code
    # starts with almost no u_1 in it and passes the saddles along u_3 and u_2
    # first), otherwise below 2e-05
    assert ratio.max() - 1 < 1e-3, (seed, ratio)
    assert np.all(np.diff(mse) < 0), seed                # wider codes reconstruct better
    return {"ratio_max": ratio.max() - 1}


def sigmoid_outputs(model, X):
    with torch.no_grad():
        logits = model.decoder(model.encode(torch.tensor(X, dtype=torch.float32)))
    logits = logits.double().numpy()
    return logits, 1 / (1 + np.exp(-logits))


def check_sigmoid(digits, seed, W, W_tilde, exercise3=True):
    """'Cross-entropy: a sigmoid output' and 'What changes, measured' (with the
    linear model of the same seed), and exercise 3 (one more fit) if asked."""
    X, Xc, mean, _, lam, U_k = digits
    N, n = X.shape
    bound = linalg.eckart_young_bound(lam, K)
    sig, history = ce.fit_sigmoid_autoencoder(X, K, seed=seed, steps=10)
    logits, X_sig = sigmoid_outputs(sig, X)
    bce, floor = ce.mean_bce(X, logits), ce.binary_entropy(X)
    log_p, log_q = -np.logaddexp(0, -logits), -np.logaddexp(0, logits)
    with np.errstate(divide="ignore", invalid="ignore"):
        kl = np.where(X > 0, X * (np.log(X) - log_p), 0) + np.where(
            X < 1, (1 - X) * (np.log1p(-X) - log_q), 0)
    assert abs(bce - floor - kl.mean()) < np.sqrt(N * n) * EPS64, seed   # eq-digits-bce
    # "the loss still falling at the last step"
    assert history[-1] < history[-2], (seed, history[-2:])
    assert X_sig.min() > 0, seed                          # the floor is not reached

    X_lin = mean + Xc @ W.T @ W_tilde.T
    outside = 100 * ((X_lin < -HALF_LEVEL) | (X_lin > 1 + HALF_LEVEL)).mean()
    # measured: 8.1 % on every seed
    assert outside > 5, (seed, outside)
    blank = X == 0
    near_lin = 100 * (np.abs(X_lin[blank]) < HALF_LEVEL).mean()
    near_sig = 100 * (X_sig[blank] < HALF_LEVEL).mean()
    # "closer to blank": measured sigmoid 82.5 % to 83.6 %, linear 61.5 % to 61.6 %
    assert near_sig > near_lin, (seed, near_sig, near_lin)
    below = (X_lin[blank] < 0).mean()
    # "errs to both sides": measured 0.373 to 0.379 of the blank pixels below 0
    assert 0.1 < below < 0.9, (seed, below)
    mse_lin = ((X_lin - X) ** 2).mean()
    assert np.isclose(mse_lin, bound, rtol=1e-4), seed
    mse_sig = ((X_sig - X) ** 2).mean()
    # measured: 0.786 to 0.834 of the bound
    assert mse_sig < 0.9 * bound, (seed, mse_sig / bound)
    W_tilde_sig = sig.W_tilde.detach().double().numpy()
    sig_angles = np.degrees(linalg.principal_angles(W_tilde_sig, U_k))
    # measured: smallest 11.3 to 16.8 degrees, largest 73.5 to 86.7
    assert sig_angles.min() > 5 and sig_angles.max() > 45, (seed, sig_angles)
    ritz = comp.ritz_components(W_tilde_sig, Xc)
    ritz_angle = comp.direction_angles(ritz.vectors, U_k).max()
    # "would not return the principal components": measured 74 to 89 degrees
    assert ritz_angle > 45, (seed, ritz_angle)
    undefined = ((X_lin <= 0) & (X > 0)) | ((X_lin >= 1) & (X < 1))
    negative = ((X_lin < 0) & (X == 0)) | ((X_lin > 1) & (X == 1))
    # measured: 0.92 % undefined, 20.4 % to 20.7 % negative
    assert undefined.any() and negative.any(), seed
    values = {"outside": outside, "near_sig": near_sig, "near_lin": near_lin,
              "below": below, "mse_sig/bound": mse_sig / bound,
              "sig_angle_min": sig_angles.min(), "sig_angle_max": sig_angles.max(),
              "ritz_sig_angle": ritz_angle, "undefined": 100 * undefined.mean(),
              "negative": 100 * negative.mean()}
    if not exercise3:
        return values

    # exercise 3: the sigmoid trained on the squared error goes below the bound too
    sig_mse, _ = ce.fit_sigmoid_autoencoder(X, K, seed=seed, steps=10, loss="mse")
    with torch.no_grad():
        X_sig_mse = sig_mse(torch.tensor(X, dtype=torch.float32)).double().numpy()
    mse_sig_mse = ((X_sig_mse - X) ** 2).mean()
    # measured: 0.766 to 0.796 of the bound
    assert mse_sig_mse < 0.9 * bound, (seed, mse_sig_mse / bound)
    # "usually a little below the cross-entropy model": the callers check it
    return {**values, "mse_sig_mse/bound": mse_sig_mse / bound,
            "mse_sig_mse/mse_sig": mse_sig_mse / mse_sig}


# ---------------------------------------------------------------- default run


@pytest.fixture(scope="module")
def linear10(digits):
    """One 64 -> 10 -> 64 linear autoencoder per seed in SEEDS_10 (about 4 s)."""
    return {seed: train(digits[3], K, seed) for seed in SEEDS_10}


def test_ten_units_reach_the_bound_and_are_a_mixed_basis_ritz_undoes(digits, linear10):
    for seed, (W, W_tilde) in linear10.items():
        check_linear10(digits, seed, W, W_tilde)


@pytest.mark.parametrize("seed", SEEDS_FEW)
def test_every_width_ends_on_its_bound(digits, linear10, seed):
    nets = {w: train(digits[3], w, seed) for w in WIDTHS}
    nets[K] = linear10[seed]                 # SEEDS_FEW is part of SEEDS_10
    check_widths(digits, seed, nets)


@pytest.mark.parametrize("seed", SEEDS_FEW)
def test_sigmoid_models(digits, linear10, seed):
    # exercise 3's extra fit on one seed of each range (all 60 in the wider run)
    values = check_sigmoid(digits, seed, *linear10[seed], exercise3=seed in SEEDS_EX3)
    if seed in SEEDS_EX3:
        # "usually below the cross-entropy model" (measured: on 59 of the 60 seeds
        # of the wider run, all but seed 111): it is on these two
        assert values["mse_sig_mse/mse_sig"] < 1, (seed, values)


# ---------------------------------------------------------------- the wider run


@pytest.mark.slow
def test_wider_run_on_seeds_0_to_19_and_100_to_139(digits):
    """Every check above on all of SEEDS_WIDE; prints the spread of each measurement
    and, at the end, every seed on which a check failed."""
    measured: dict[str, list[float]] = {}
    ex3_ratio = {}                     # seed -> MSE model's MSE / BCE model's
    failures = []
    for seed in SEEDS_WIDE:
        nets = {w: train(digits[3], w, seed) for w in [*WIDTHS, K]}
        for check, args in ((check_linear10, nets[K]), (check_widths, (nets,)),
                            (check_sigmoid, nets[K])):
            try:
                values = check(digits, seed, *args)
            except AssertionError as error:
                failures.append(f"{check.__name__}, seed {seed}: {error}")
                continue
            for name, value in values.items():
                measured.setdefault(name, []).append(float(value))
            if check is check_sigmoid:
                ex3_ratio[seed] = values["mse_sig_mse/mse_sig"]
    for name, values in measured.items():
        print(f"{name}: {min(values):.3g} to {max(values):.3g} ({len(values)} seeds)")
    ratios = np.array(list(ex3_ratio.values()))
    print(f"exercise 3, MSE model below the BCE model on {(ratios < 1).sum()} "
          f"of {ratios.size} seeds")
    assert (ratios < 1).mean() > 0.5, "not 'usually' below the cross-entropy model"
    # "ten L-BFGS steps do not always get that far": with twenty they do
    X = digits[0]
    for seed in [s for s, ratio in ex3_ratio.items() if ratio >= 1]:
        sig, _ = ce.fit_sigmoid_autoencoder(X, K, seed=seed, steps=10)
        mse_sig = ((sigmoid_outputs(sig, X)[1] - X) ** 2).mean()
        longer, _ = ce.fit_sigmoid_autoencoder(X, K, seed=seed, steps=20, loss="mse")
        mse_longer = ((sigmoid_outputs(longer, X)[1] - X) ** 2).mean()
        assert mse_longer < mse_sig, (seed, mse_longer, mse_sig)
    assert not failures, "\n".join(failures)
