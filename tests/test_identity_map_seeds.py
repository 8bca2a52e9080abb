"""Lesson 3 (linear autoencoders and the identity map), over many seeds.

The lesson measures one seed (0) for its first experiments and seeds 0-19 for
the article's recipe. Here each seed-dependent claim is checked on two disjoint
ranges with the same tolerances: seeds 0-7 and 100-107 for the per-seed L-BFGS
fits (three fits a seed, the slow part), seeds 0-19 and 100-139 for the
vectorized sweeps.
The train/test split, the initial weights and the noise all follow the seed, as
in the lesson. Every tolerance has a comment with the spread measured on both
ranges (torch 2.13.0, CPU).
"""

from __future__ import annotations

import numpy as np
import pytest
import torch

from helpers import data, linalg
from helpers.rounding import FLOAT32_EPS, forward_rounding_bound, gamma_n, mse_rounding_bound
from helpers.training import fit_linear_autoencoder, full_mse, sweep_linear_autoencoders

FIT_RANGES = [range(8), range(100, 108)]     # three L-BFGS fits a seed
SWEEP_RANGES = [range(20), range(100, 140)]   # vectorized over seeds
RAW = data.iris(standardized=False).X
X = data.iris().X  # all 150 flowers, standardized: the article's setting
U = linalg.pca(X).components
LAM = linalg.pca(X).eigenvalues
SIGMA, COPIES = 0.5, 10
N_IN = X.shape[1]           # n, the number of features


def _exact_mse_max(mse32: float, tol: float, size: int) -> float:
    """The lesson's exact_mse_max: the float32 residuals are within the rounding
    bound (whose mean square is tol) of the exact ones."""
    return 2 * mse32 / (1 - gamma_n(size + 1)) + 2 * tol


def _numpy(t: torch.Tensor) -> np.ndarray:
    return t.detach().double().numpy()


def _reconstruct(model, X_in: np.ndarray) -> np.ndarray:
    with torch.no_grad():
        return _numpy(model(torch.tensor(X_in, dtype=torch.float32)))


def _rounding(model, X_in: np.ndarray) -> np.ndarray:
    """The lesson's per-entry bound on float32 rounding in x~ - x."""
    parts = (_numpy(model.W), _numpy(model.W_tilde), _numpy(model.encoder.bias),
             _numpy(model.b_tilde))
    return forward_rounding_bound(X_in, *parts) + FLOAT32_EPS / 2 * np.abs(X_in)


def _one_seed(seed: int) -> dict:
    """The lesson's first two experiments with one seed: split, fit, add noise."""
    rng = np.random.default_rng(seed)
    order = rng.permutation(len(RAW))
    X_train, mean, std = data.standardize(RAW[order[:100]])
    X_test = (RAW[order[100:]] - mean) / std
    X_clean = np.repeat(X_test, COPIES, axis=0)
    noise = rng.normal(scale=SIGMA, size=X_clean.shape)
    X_noisy = X_clean + noise
    out = {"test_offset": np.abs(X_test.mean(axis=0)).max(), "noise": noise,
           "noise_mse": np.mean(noise ** 2), "lam_train": linalg.pca(X_train).eigenvalues}
    for m in (2, 4, 8):
        model, fit = fit_linear_autoencoder(X_train, m, seed=seed, recipe="lbfgs",
                                            bias=True, steps=10)
        iterations = fit.iterations
        W, W_tilde = _numpy(model.W), _numpy(model.W_tilde)
        offset = W_tilde @ _numpy(model.encoder.bias) + _numpy(model.b_tilde)
        noisy_out = _reconstruct(model, X_noisy)
        passed = noisy_out - _reconstruct(model, X_clean)
        out[m] = {"train": fit.final_mse, "test": full_mse(model, X_test),
                  "gap_I": np.linalg.norm(W_tilde @ W - np.eye(4)),
                  "offset": np.linalg.norm(offset),
                  "kept": np.sum(passed ** 2) / np.sum(noise ** 2),
                  "to_noisy": np.mean((noisy_out - X_noisy) ** 2),
                  "to_clean": np.mean((noisy_out - X_clean) ** 2),
                  "tol_train": np.mean(_rounding(model, X_train) ** 2),
                  "tol_test": np.mean(_rounding(model, X_test) ** 2),
                  "d_noisy": np.linalg.norm(_rounding(model, X_noisy)),
                  "d_clean": np.linalg.norm(_rounding(model, X_clean)),
                  "norm_noisy": np.linalg.norm(X_noisy),
                  "iterations": iterations, "size": X_train.size}
        if m == 2:
            exact = X_train @ (W_tilde @ W).T + offset
            out[m]["slack"] = mse_rounding_bound(X_train, exact, _rounding(model, X_train))
    return out


@pytest.fixture(scope="module", params=FIT_RANGES, ids=["seeds0-7", "seeds100-107"])
def runs(request) -> list[dict]:
    return [_one_seed(seed) for seed in request.param]


ALL_SWEEP_SEEDS = [s for seeds in SWEEP_RANGES for s in seeds]


def _split(values: np.ndarray) -> list[np.ndarray]:
    """Per-seed values of one sweep over ALL_SWEEP_SEEDS, split by range.

    Training the two ranges in one sweep halves the per-step overhead; each
    seed's model is independent of the others (see sweep_linear_autoencoders).
    """
    return np.split(values, np.cumsum([len(r) for r in SWEEP_RANGES])[:-1])


@pytest.fixture(scope="module")
def sweeps() -> dict:
    """The article's recipe and the four one-change variants, all sweep seeds."""
    changes = {"full batch": dict(recipe="adam", lr=0.01, steps=1000),
               "lr 0.05": dict(lr=0.05), "400 epochs": dict(steps=400, keep=[200]),
               "beta2 0.9": dict(betas=(0.9, 0.9)),
               "both": dict(recipe="adam", lr=0.01, steps=1000, betas=(0.9, 0.9))}
    runs = {name: sweep_linear_autoencoders(X, 4, ALL_SWEEP_SEEDS, **change)
            for name, change in changes.items()}
    runs["article"] = runs["400 epochs"].kept[200]   # as the lesson does
    return runs


@pytest.fixture(scope="module", params=[0, 1], ids=["seeds0-19", "seeds100-139"])
def article(request, sweeps):
    """The article's recipe on one range: seeds, W, W~, history, Delta, e_j."""
    i, sweep = request.param, sweeps["article"]
    W, W_tilde, history = (_split(a)[i] for a in (sweep.W, sweep.W_tilde, sweep.loss_history))
    Delta = np.eye(4) - W_tilde @ W
    return SWEEP_RANGES[i], W, W_tilde, history, Delta, np.einsum("ij,sik,kj->sj", U, Delta, U)


def test_test_split_is_scaled_not_recentred(runs):
    offsets = [r["test_offset"] for r in runs]
    # measured: largest |test column mean| 0.084 to 0.40 (seeds 0-19)
    assert min(offsets) > 0.01 and max(offsets) < 1.0, offsets


@pytest.mark.parametrize("m", [4, 8])
def test_complete_and_overcomplete_learn_the_identity(runs, m):
    for r in runs:
        lam_min, r = r["lam_train"][-1], r[m]
        # as in the lesson: every MSE below the squared float32 rounding bound
        # of the output (measured at most 0.15 of it on both ranges)
        assert r["train"] <= r["tol_train"], (m, r["train"] / r["tol_train"])
        assert r["test"] <= r["tol_test"], (m, r["test"] / r["tol_test"])
        # ... and so the conditions of eq-identity-conditions hold to float32:
        # the exact MSE is at least (lam_min |Delta|_F^2 + |offset|^2) / n
        top = _exact_mse_max(r["train"], r["tol_train"], r["size"])
        assert r["gap_I"] <= np.sqrt(N_IN * top / lam_min), (m, r["gap_I"])
        assert r["offset"] <= np.sqrt(N_IN * top), (m, r["offset"])
        # the lesson's "ten L-BFGS steps" are more iterations than that
        assert r["iterations"] > 10


@pytest.mark.parametrize("m", [4, 8])
def test_complete_and_overcomplete_pass_all_noise(runs, m):
    for r in runs:
        noise_norm, q = np.linalg.norm(r["noise"]), r[m]
        miss = q["gap_I"] * q["norm_noisy"] + q["offset"] * np.sqrt(len(r["noise"]))
        assert abs(q["kept"] ** 0.5 - 1) <= q["gap_I"] + (q["d_noisy"] + q["d_clean"]) / noise_norm
        assert q["to_noisy"] <= (miss + q["d_noisy"]) ** 2 / r["noise"].size
        assert abs((q["to_clean"] / r["noise_mse"]) ** 0.5 - 1) <= (miss + q["d_noisy"]) / noise_norm


def test_undercomplete_keeps_about_half_the_noise(runs):
    kept = np.array([r[2]["kept"] for r in runs])
    # the lesson's tolerance: 4 standard deviations of Beta(500, 500);
    # measured 0.481 to 0.543
    sd = np.sqrt(0.25 / (COPIES * 50 * 2 + 1))
    assert np.all(np.abs(kept - 0.5) < 4 * sd), kept
    for r in runs:
        # closer to the clean flowers than the copies, and not as close as the clean test error
        assert r[2]["to_clean"] < min(r[4]["to_clean"], r[8]["to_clean"])
        assert r[2]["test"] < r[2]["to_clean"]
        # the kernel bound of lesson 2 holds exactly, the projector attains it;
        # measured at most 1e-6 above sqrt(2)
        assert 0 <= r[2]["gap_I"] - np.sqrt(2) < 1e-5, r[2]["gap_I"]
        bound = linalg.eckart_young_bound(r["lam_train"], 2)
        assert r[2]["train"] >= bound - r[2]["slack"]


def test_article_recipe_lags_along_the_smallest_direction(article):
    _, _, _, history, Delta, e = article
    gap = np.linalg.norm(Delta, axis=(1, 2))
    lagging = gap > 0.1
    # measured: 7 of 20 seeds above 0.1 (0-19), 13 of 40 (100-139)
    assert lagging.sum() >= 3, gap
    visible = gap > 0.01
    assert np.all(np.abs(e[visible]).argmax(axis=1) == 3), e[visible]
    # measured: |e_1|, |e_2|, |e_3| <= 0.002 on every seed of both ranges
    assert np.abs(e[:, :3]).max() < 0.01
    # "on a linear axis ... would look flat": the last 50 epochs move by less
    # than 1 % of the start (measured 0.35 % and 0.45 %)
    history = history[lagging]
    assert np.all(np.ptp(history[:, -50:], axis=1) < 0.01 * history[:, 0])
    # "still falling": lower than 50 epochs before on every lagging seed
    # (measured by factors of 1.13 to 41, and 1.39 to 45)
    assert np.all(history[:, -1] < history[:, -51])


def test_loss_splits_along_principal_directions(article):
    _, W_all, W_tilde_all, history, Delta, _ = article
    predicted = ((Delta @ U) ** 2).sum(axis=1) @ LAM / 4
    for s, (W, W_tilde) in enumerate(zip(W_all.astype(float), W_tilde_all.astype(float))):
        slack = mse_rounding_bound(X, X @ W.T @ W_tilde.T,
                                   forward_rounding_bound(X, W, W_tilde))
        assert abs(predicted[s] - history[s, -1]) <= slack, s


@pytest.mark.parametrize("i", [0, 1], ids=["seeds0-19", "seeds100-139"])
def test_one_change_at_a_time(sweeps, i):
    """Which single change to the article's recipe removes the lag."""
    def gaps(name):
        sweep = sweeps[name]
        Delta = np.eye(4) - _split(sweep.W_tilde)[i] @ _split(sweep.W)[i]
        return np.linalg.norm(Delta, axis=(1, 2)), np.einsum("ij,sik,kj->sj", U, Delta, U)

    # full batches at the same learning rate and number of steps still lag:
    # measured 5 of 20 seeds above 0.1 (0-19), 10 of 40 (100-139)
    full, _ = gaps("full batch")
    assert np.sum(full > 0.1) >= 3, full
    # a larger learning rate, more epochs, or a shorter memory remove it: largest
    # gaps 1.7e-6 / 0.059 (lr 0.05; the 0.059 is a late spike along u_1 and u_3),
    # 2.6e-3 / 3.7e-5 (400 epochs), 0.012 / 0.011 (beta2 0.9)
    for name in ("lr 0.05", "400 epochs"):
        gap, _ = gaps(name)
        assert np.all(gap < 0.1), (name, gap.max())
    short, e_short = gaps("beta2 0.9")
    assert np.all(short < 0.1), short.max()
    # what the short memory leaves is spread over all directions, not a lag
    # along u_4: largest |e_j| 0.0064 / 0.0048; every direction's largest at
    # least a quarter of the overall largest (measured 0.47 / 0.56)
    largest = np.abs(e_short).max(axis=0)
    assert largest.max() < 0.02 and largest.min() > 0.25 * largest.max()
    # ... and more than the article's recipe leaves on u_1 to u_3 (0.002 / 0.001)
    _, e_article = gaps("article")
    assert largest[:3].max() > np.abs(e_article[:, :3]).max()
    # full batches with beta2 0.9: smaller (0.0029 / 0.0034), not gone: the
    # loss rises on 51 % of the last 100 steps on both ranges
    _, e_both = gaps("both")
    assert np.abs(e_both).max() < largest.max()
    history = _split(sweeps["both"].loss_history)[i]
    assert np.mean(np.diff(history[:, -100:], axis=1) > 0) > 0.25


def test_lbfgs_finishes_the_worst_lagging_seeds(article):
    seeds, _, _, _, Delta, _ = article
    gap = np.linalg.norm(Delta, axis=(1, 2))
    for seed in np.asarray(seeds)[np.argsort(gap)[-3:]]:   # the three worst
        model, fit = fit_linear_autoencoder(X, 4, seed=int(seed), recipe="lbfgs", steps=10)
        W, W_tilde = _numpy(model.W), _numpy(model.W_tilde)
        tol = np.mean((forward_rounding_bound(X, W, W_tilde) + FLOAT32_EPS / 2 * np.abs(X)) ** 2)
        assert fit.final_mse <= tol, seed                      # the premise
        top = _exact_mse_max(fit.final_mse, tol, X.size)
        assert np.linalg.norm(W_tilde @ W - np.eye(4)) <= np.sqrt(N_IN * top / LAM[-1]), seed
        assert fit.iterations < 1000, seed
