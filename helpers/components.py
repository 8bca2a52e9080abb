"""From the principal subspace to the ordered principal components.

A linear autoencoder finds the span of the top k principal directions but not
the directions themselves. This module holds the routes from a trained network
(or a learning rule) to the individual, ordered components u_1, ..., u_k and
their eigenvalues, and the measures that compare them with PCA:

- :func:`ritz_components`: Rayleigh-Ritz from any basis of the learned subspace,
  and :func:`subspace_angle` for how far that subspace is from PCA's;
- :func:`svd_components`: the singular vectors of a trained weight (they are the
  u_i after training with a uniform L2 penalty), with :func:`l2_singular_values`
  and :func:`eigenvalues_from_l2_weights` for the penalty's shrinkage;
- :func:`train_regularized`: full-batch gradient descent on a bias-free linear
  autoencoder, without a penalty, with a uniform L2 penalty, with a separate
  one on each code unit, or with deterministic nested dropout, many runs at
  once from the initial weights of :func:`initial_weights`;
- :func:`generalized_hebbian` (Sanger's rule) and :func:`oja` (its k = 1 case);
- :func:`direction_angles`, :func:`rayleigh_quotients` and :func:`compare`.

Conventions: data ``X`` has shape (N, n), one sample a row; a set of k
directions is an (n, k) array, one direction a column; an encoder weight W has
shape (k, n), a decoder weight W~ shape (n, k). Eigenvalues use 1/N, as in
:mod:`helpers.linalg`. Everything here computes in float64 with NumPy.

Centring: :func:`ritz_components` and :func:`rayleigh_quotients` centre ``X``
themselves (they measure variances). :func:`train_regularized`,
:func:`generalized_hebbian` and :func:`oja` do not: a bias-free network and the
Hebbian rules see the second moment (1/N) X^T X, which is the covariance only
for centred (e.g. standardized) data.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from ._checks import as_float_array, check_int, check_positive_float


class Components(NamedTuple):
    """Ordered principal components: the largest eigenvalue first."""

    eigenvalues: np.ndarray  #: shape (k,), descending
    vectors: np.ndarray      #: shape (n, k); column i is the i-th direction, unit length


class Comparison(NamedTuple):
    """How far estimated components are from reference ones, component by component."""

    angles: np.ndarray           #: shape (k,): angle between the i-th directions, degrees
    relative_errors: np.ndarray  #: shape (k,): |estimate / reference - 1| of the eigenvalues


def _fix_signs(vectors: np.ndarray) -> np.ndarray:
    """Flip each column so that its largest-magnitude entry is positive (as linalg.pca does).

    Works on a stack (..., n, k).
    """
    rows = np.abs(vectors).argmax(axis=-2)[..., None, :]
    signs = np.sign(np.take_along_axis(vectors, rows, axis=-2))
    return vectors * np.where(signs == 0, 1.0, signs)


def _second_moment(X: np.ndarray) -> np.ndarray:
    """(1/N) X^T X: the covariance when X is centred; what a bias-free network sees."""
    return X.T @ X / X.shape[0]


def _check_bases(bases: np.ndarray, name: str, n: int) -> np.ndarray:
    bases = as_float_array(bases, name)
    if bases.ndim < 2 or bases.shape[-2] != n or bases.shape[-1] > n:
        raise ValueError(f"{name} must have shape (..., {n}, k) with k <= {n}, got {bases.shape}")
    return bases


def _orthonormal_bases(bases: np.ndarray, name: str) -> np.ndarray:
    """Orthonormal bases (QR) of a stack of full-column-rank matrices (..., n, k)."""
    Q, R = np.linalg.qr(bases)
    diag = np.abs(np.diagonal(R, axis1=-2, axis2=-1))
    if np.any(diag.min(axis=-1) <= 1e-10 * np.maximum(diag.max(axis=-1), 1e-300)):
        raise ValueError(f"{name} must have linearly independent columns (full column rank)")
    return Q


def ritz_components(basis: np.ndarray, X: np.ndarray) -> Components:
    """Rayleigh-Ritz: the best directions and variances inside a given subspace.

    Orthonormalize the columns of ``basis`` (Q R = basis), diagonalize the
    k x k covariance seen in that basis, Q^T C Q = V D V^T, and return the Ritz
    values D (descending) and the Ritz vectors Q V. If the columns span the top-k
    principal subspace exactly, these are the eigenvalues lambda_1..lambda_k and
    the directions u_1..u_k, whatever basis of the subspace was given.

    Parameters
    ----------
    basis : array of shape (n, k), or a stack (..., n, k)
        Columns spanning the subspace, e.g. a trained decoder weight W~; full
        column rank, k <= n. A stack gives one result per basis.
    X : array of shape (N, n)
        The data; the covariance is computed from it (centred, 1/N).

    Returns
    -------
    Components
        Ritz values (..., k), descending, and unit Ritz vectors (..., n, k),
        each with its largest-magnitude entry positive.
    """
    X = as_float_array(X, "X", ndim=2)
    if X.shape[0] < 2:
        raise ValueError(f"X must have at least 2 rows, got {X.shape[0]}")
    basis = _check_bases(basis, "basis", X.shape[1])
    Q = _orthonormal_bases(basis, "basis")
    Xc = X - X.mean(axis=0)
    values, V = np.linalg.eigh(np.swapaxes(Q, -1, -2) @ (Xc.T @ Xc / X.shape[0]) @ Q)
    return Components(values[..., ::-1], _fix_signs(Q @ V[..., ::-1]))


def subspace_angle(bases: np.ndarray, reference: np.ndarray) -> np.ndarray:
    """The largest principal angle between span(basis) and span(reference), in degrees.

    Computed as atan2 of its sine, the spectral norm of (I - P) Q_ref where P
    projects onto span(basis), and its cosine, the smallest singular value of
    Q^T Q_ref: accurate for small and large angles alike. The same number as
    ``degrees(linalg.principal_angles(basis, reference).max())``, for a stack.

    Parameters
    ----------
    bases : array of shape (..., n, k)
        Full column rank.
    reference : array of shape (n, k)
        Full column rank, the same k.

    Returns
    -------
    array of shape (...)
    """
    reference = as_float_array(reference, "reference", ndim=2)
    bases = _check_bases(bases, "bases", reference.shape[0])
    if bases.shape[-1] != reference.shape[1]:
        raise ValueError(f"bases must have {reference.shape[1]} columns like reference, "
                         f"got shape {bases.shape}")
    Q = _orthonormal_bases(bases, "bases")
    Q_ref = _orthonormal_bases(reference, "reference")
    cross = np.swapaxes(Q, -1, -2) @ Q_ref
    sine = np.linalg.norm(Q_ref - Q @ cross, ord=2, axis=(-2, -1))        # largest sine
    cosine = np.linalg.svd(cross, compute_uv=False)[..., -1]              # smallest cosine
    return np.degrees(np.arctan2(sine, cosine))


def svd_components(weight: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The singular values and left singular vectors of a weight matrix.

    For a decoder weight W~ (n, k) the left singular vectors are directions in
    input space. Pass an encoder weight W (k, n) as ``W.T``.

    Parameters
    ----------
    weight : array of shape (n, k), or a stack (..., n, k)
        k <= n.

    Returns
    -------
    singular_values : array of shape (..., k)
        Descending.
    vectors : array of shape (..., n, k)
        Unit left singular vectors in the same order, each with its
        largest-magnitude entry positive.
    """
    weight = as_float_array(weight, "weight")
    if weight.ndim < 2 or weight.shape[-1] > weight.shape[-2]:
        raise ValueError(f"weight must have shape (..., n, k) with k <= n, got {weight.shape} "
                         "(pass an encoder weight W transposed)")
    left, values, _ = np.linalg.svd(weight, full_matrices=False)
    return values, _fix_signs(left)


def _check_penalty_inputs(eigenvalues_or_values: np.ndarray, name: str,
                          weight_decay: float | np.ndarray,
                          n_features: int) -> tuple[np.ndarray, np.ndarray, int]:
    values = as_float_array(eigenvalues_or_values, name)
    if values.ndim < 1:
        raise ValueError(f"{name} must be an array of shape (k,) or (..., k), got a scalar")
    n_features = check_int(n_features, "n_features", low=1)
    decay = as_float_array(weight_decay, "weight_decay")
    if decay.ndim > 1 or (decay.ndim == 1 and decay.shape != values.shape[-1:]):
        raise ValueError(f"weight_decay must be a number or have shape {values.shape[-1:]}, "
                         f"got shape {decay.shape}")
    if np.any(decay <= 0):
        raise ValueError("weight_decay must be > 0")
    return values, np.broadcast_to(decay, values.shape), n_features


def l2_singular_values(eigenvalues: np.ndarray, weight_decay: float | np.ndarray,
                       n_features: int) -> np.ndarray:
    """Singular values of W and W~ at the optimum of the L2-penalized linear autoencoder.

    The loss is ``nn.MSELoss`` plus ``weight_decay / 2`` times the squared
    Frobenius norms of W and W~ (what ``torch.optim.Adam(weight_decay=...)``
    minimizes). At its minimum (Kunin et al. 2019, rescaled from a summed loss
    to a mean over N * n entries) W~ = W^T, and the i-th singular value is
    ``sqrt(1 - n * gamma / (2 * lambda_i))`` if ``lambda_i > n * gamma / 2``,
    and 0 otherwise: a direction survives only when its variance exceeds
    n gamma / 2.

    Parameters
    ----------
    eigenvalues : array of shape (k,) or (..., k)
        lambda_1..lambda_k (1/N convention), all > 0.
    weight_decay : float or array of shape (k,)
        gamma > 0; an array gives each code unit its own penalty (then pair the
        smallest penalty with the largest eigenvalue).
    n_features : int
        n, the number of inputs (``nn.MSELoss`` divides by it).

    Returns
    -------
    array of the shape of ``eigenvalues``
    """
    lam, gamma, n = _check_penalty_inputs(eigenvalues, "eigenvalues", weight_decay, n_features)
    if np.any(lam <= 0):
        raise ValueError("eigenvalues must be > 0")
    return np.sqrt(np.clip(1 - n * gamma / (2 * lam), 0.0, None))


def eigenvalues_from_l2_weights(singular_values: np.ndarray, weight_decay: float | np.ndarray,
                                n_features: int) -> np.ndarray:
    """Invert :func:`l2_singular_values`: lambda_i = n gamma / (2 (1 - s_i^2)).

    After training with an L2 penalty the weights alone give the eigenvalues,
    without the data. Each s_i must lie strictly between 0 and 1 (a direction
    that survived the penalty).

    Parameters
    ----------
    singular_values : array of shape (k,) or (..., k)
    weight_decay : float or array of shape (k,)
    n_features : int

    Returns
    -------
    array of the shape of ``singular_values``
    """
    s, gamma, n = _check_penalty_inputs(singular_values, "singular_values", weight_decay, n_features)
    if np.any((s <= 0) | (s >= 1)):
        raise ValueError("singular_values must lie strictly between 0 and 1 "
                         "(a surviving direction of a penalized network)")
    return n * gamma / (2 * (1 - s ** 2))


def direction_angles(vectors: np.ndarray, reference: np.ndarray) -> np.ndarray:
    """Angle between corresponding columns, ignoring sign, in degrees.

    Computed as atan2(|v - (v.u) u|, |v.u|) for unit u and v, which keeps its
    digits for tiny angles (arccos would lose half of them).

    Parameters
    ----------
    vectors : array of shape (..., n, k)
        Estimated directions (any nonzero length), one per column; leading axes
        (e.g. seeds or steps) are allowed.
    reference : array of shape (n, k)
        Reference directions.

    Returns
    -------
    array of shape (..., k), in [0, 90]
    """
    vectors = as_float_array(vectors, "vectors")
    reference = as_float_array(reference, "reference", ndim=2)
    if vectors.ndim < 2 or vectors.shape[-2:] != reference.shape:
        raise ValueError(f"vectors must have shape (..., {reference.shape[0]}, "
                         f"{reference.shape[1]}), got {vectors.shape}")
    norms = np.linalg.norm(vectors, axis=-2, keepdims=True)
    ref_norms = np.linalg.norm(reference, axis=0, keepdims=True)
    if np.any(norms == 0) or np.any(ref_norms == 0):
        raise ValueError("vectors and reference must have nonzero columns")
    v, u = vectors / norms, reference / ref_norms
    cos = np.sum(v * u, axis=-2)
    sin = np.linalg.norm(v - cos[..., None, :] * u, axis=-2)
    return np.degrees(np.arctan2(sin, np.abs(cos)))


def rayleigh_quotients(vectors: np.ndarray, X: np.ndarray) -> np.ndarray:
    """The variance of the data along each direction: v^T C v / v^T v.

    Parameters
    ----------
    vectors : array of shape (n, k)
        Nonzero columns.
    X : array of shape (N, n)
        The data (centred here; 1/N).

    Returns
    -------
    array of shape (k,)
    """
    vectors = as_float_array(vectors, "vectors", ndim=2)
    X = as_float_array(X, "X", ndim=2)
    if vectors.shape[0] != X.shape[1]:
        raise ValueError(f"vectors must have {X.shape[1]} rows (X's features), got {vectors.shape}")
    norms = np.sum(vectors ** 2, axis=0)
    if np.any(norms == 0):
        raise ValueError("vectors must have nonzero columns")
    scores = (X - X.mean(axis=0)) @ vectors
    return np.mean(scores ** 2, axis=0) / norms


def compare(estimate: Components, reference: Components) -> Comparison:
    """Compare estimated components with reference ones, component by component.

    Parameters
    ----------
    estimate, reference : Components
        The same k and n; the reference eigenvalues must be nonzero.

    Returns
    -------
    Comparison
        The angle between the i-th directions (degrees, sign ignored) and the
        relative error of the i-th eigenvalue.
    """
    est_values = as_float_array(estimate.eigenvalues, "estimate.eigenvalues", ndim=1)
    ref_values = as_float_array(reference.eigenvalues, "reference.eigenvalues",
                                shape=est_values.shape)
    if np.any(ref_values == 0):
        raise ValueError("reference.eigenvalues must be nonzero")
    ref_vectors = as_float_array(reference.vectors, "reference.vectors", ndim=2)
    est_vectors = as_float_array(estimate.vectors, "estimate.vectors", shape=ref_vectors.shape)
    if ref_vectors.shape[1] != est_values.size:
        raise ValueError(f"reference.vectors must have {est_values.size} columns, "
                         f"got shape {ref_vectors.shape}")
    return Comparison(direction_angles(est_vectors, ref_vectors),
                      np.abs(est_values / ref_values - 1))


# ------------------------------------------------------------------ training


def initial_weights(n: int, k: int, seeds) -> tuple[np.ndarray, np.ndarray]:
    """The initial weights of ``helpers.Autoencoder(n, k, bias=False)``, one pair per seed.

    The same starting point that ``training.fit_linear_autoencoder`` and
    ``training.sweep_linear_autoencoders`` use for each seed (PyTorch's default
    initialization after ``training.seed_everything(seed)``).

    Returns
    -------
    W : array of shape (S, k, n)
    W_tilde : array of shape (S, n, k)
    """
    from .models import Autoencoder
    from .training import seed_everything

    n = check_int(n, "n", low=1)
    k = check_int(k, "k", low=1)
    seeds = _check_seeds(seeds)
    encoders, decoders = [], []
    for seed in seeds:
        seed_everything(seed)
        model = Autoencoder(n, k, bias=False)
        encoders.append(model.W.detach().double().numpy().copy())
        decoders.append(model.W_tilde.detach().double().numpy().copy())
    return np.stack(encoders), np.stack(decoders)


def _check_seeds(seeds) -> list[int]:
    if isinstance(seeds, (str, bytes)) or not hasattr(seeds, "__iter__"):
        raise TypeError(f"seeds must be a sequence of integers, got {type(seeds).__name__}")
    seeds = [check_int(s, "seeds[i]", low=0, high=2**32 - 1) for s in seeds]
    if not seeds:
        raise ValueError("seeds must not be empty")
    return seeds


@dataclass(frozen=True)
class RegularizedRun:
    """Linear autoencoders trained by full-batch gradient descent, S runs side by side."""

    W: np.ndarray                  #: final encoder weights, shape (S, k, n)
    W_tilde: np.ndarray            #: final decoder weights, shape (S, n, k)
    steps: np.ndarray              #: shape (T,): the step after which each record was taken (0 = start)
    W_history: np.ndarray          #: shape (S, T, k, n)
    W_tilde_history: np.ndarray    #: shape (S, T, n, k)
    mse: np.ndarray                #: shape (S, T): nn.MSELoss of the full network at each record


def _mse_and_gradients(W, V, S2, nested):
    """The full network's nn.MSELoss, and the gradients of the (nested) reconstruction term.

    From the second moment S2 = X^T X / N: MSE = tr((I - V W) S2 (I - V W)^T) / n.
    With ``nested`` the gradients are those of sum_b p_b MSE_b, where MSE_b keeps
    only the first b code units; the MSE returned is always the full network's.
    """
    n, k = S2.shape[0], W.shape[1]
    terms = [(1.0, k)] if nested is None else [(p, b) for b, p in enumerate(nested, 1) if p > 0]
    if nested is not None and terms[-1][1] != k:
        terms.append((0.0, k))                       # for the returned MSE only
    gW, gV = np.zeros_like(W), np.zeros_like(V)
    for p, b in terms:
        Vb = V if b == k else V * (np.arange(k) < b)     # keep the first b code units
        ES = (np.eye(n) - Vb @ W) @ S2                   # (S, n, n)
        if b == k:
            mse = np.einsum("sij,sij->s", ES, np.eye(n) - Vb @ W) / n
        if p:
            gV_b = -2 / n * ES @ W.transpose(0, 2, 1)     # d/dVb, (S, n, k)
            gV += p * (gV_b if b == k else gV_b * (np.arange(k) < b))
            gW += p * (-2 / n) * Vb.transpose(0, 2, 1) @ ES
    return mse, gW, gV


def train_regularized(X: np.ndarray, k: int, seeds, penalties: float | np.ndarray = 0.0,
                      nested: np.ndarray | None = None, steps: int = 1000, lr: float = 0.5,
                      record_every: int = 10) -> RegularizedRun:
    """Plain full-batch gradient descent on a bias-free linear autoencoder, many runs at once.

    The objective of run s is

        MSE + 1/2 * sum_i gamma_si (||row i of W||^2 + ||column i of W~||^2)

    with MSE as ``nn.MSELoss`` computes it (mean over N * n entries). A scalar
    penalty is the uniform L2 penalty (weight decay); a different penalty per
    code unit breaks the symmetry between the units (Bao et al. 2020). With
    ``nested`` the MSE is replaced by deterministic nested dropout: the average,
    with weights p_b, of the MSE of the network that keeps only its first b code
    units, b = 1..k. Each step is W <- W - lr * gradient, for every run.

    Parameters
    ----------
    X : array of shape (N, n)
        The data; only its second moment (1/N) X^T X enters the loss, not
        centred here (pass centred data to work with the covariance).
    k : int
        The code width, 1 <= k <= n.
    seeds : sequence of int
        Run s starts from the initial weights of seed s (:func:`initial_weights`).
    penalties : float, or array of shape (k,) or (S, k)
        gamma >= 0: one for all, one per code unit, or one per run and unit.
    nested : array of shape (k,), optional
        p_1..p_k >= 0, summing to 1.
    steps : int
        Gradient steps.
    lr : float
        The step size; stable while lr is below 2 / (largest curvature).
    record_every : int
        Keep the weights after every this many steps (and at the start and end).

    Returns
    -------
    RegularizedRun
    """
    X = as_float_array(X, "X", ndim=2)
    n = X.shape[1]
    k = check_int(k, "k", low=1, high=n)
    seeds = _check_seeds(seeds)
    S = len(seeds)
    gamma = as_float_array(penalties, "penalties")
    if gamma.shape not in ((), (k,), (S, k)):
        raise ValueError(f"penalties must be a number or have shape ({k},) or ({S}, {k}), "
                         f"got shape {gamma.shape}")
    if np.any(gamma < 0):
        raise ValueError("penalties must be >= 0")
    gamma = np.broadcast_to(gamma, (S, k))
    if nested is not None:
        nested = as_float_array(nested, "nested", shape=(k,))
        if np.any(nested < 0) or not np.isclose(nested.sum(), 1.0):
            raise ValueError("nested must hold k probabilities >= 0 that sum to 1")
    steps = check_int(steps, "steps", low=1)
    lr = check_positive_float(lr, "lr")
    record_every = check_int(record_every, "record_every", low=1)

    S2 = _second_moment(X)
    W, V = initial_weights(n, k, seeds)
    records = sorted(set(range(0, steps + 1, record_every)) | {steps})
    W_hist = np.empty((S, len(records), k, n))
    V_hist = np.empty((S, len(records), n, k))
    mse = np.empty((S, len(records)))
    r = 0
    with np.errstate(over="ignore", invalid="ignore"):
        for step in range(steps + 1):
            loss, gW, gV = _mse_and_gradients(W, V, S2, nested)
            if step == records[r]:
                W_hist[:, r], V_hist[:, r], mse[:, r] = W, V, loss
                r += 1
            if step == steps:
                break
            W, V = (W - lr * (gW + gamma[:, :, None] * W),
                    V - lr * (gV + gamma[:, None, :] * V))
    return RegularizedRun(W, V, np.array(records), W_hist, V_hist, mse)


@dataclass(frozen=True)
class HebbianRun:
    """Sanger's (or Oja's) rule run over the data, S runs side by side."""

    W: np.ndarray          #: final weights, shape (S, k, n); row i estimates u_i
    history: np.ndarray    #: shape (S, epochs + 1, k, n): at the start and after each epoch
    diverged: np.ndarray   #: shape (S,): the weights grew without bound (then W is NaN)


def generalized_hebbian(X: np.ndarray, k: int, seeds, lr: float | np.ndarray = 0.005,
                        epochs: int = 30, lr_decay: float = 0.0) -> HebbianRun:
    """Sanger's generalized Hebbian algorithm, one sample at a time.

    For each sample x (in a fresh random order each epoch) the output is
    y = W x and the update is

        W <- W + lr_t (y x^T - LT(y y^T) W),

    where LT keeps the lower triangle including the diagonal. Row 1 follows
    Oja's rule; row i follows it on the input with the projections on rows
    1..i-1 removed, so the rows converge to u_1, ..., u_k in order (Sanger 1989)
    for distinct eigenvalues and a learning rate lr_t -> 0 with
    sum_t lr_t = infinity. With
    a constant rate they hover around them; with too large a rate they diverge.

    Parameters
    ----------
    X : array of shape (N, n)
        The data, used as given: the rule finds the eigenvectors of the second
        moment (1/N) X^T X, which is the covariance only if X is centred
        (e.g. standardized).
    k : int
        Number of components, 1 <= k <= n.
    seeds : sequence of int
        Run s starts from the encoder weights of seed s (:func:`initial_weights`)
        and shuffles with ``numpy.random.default_rng(s)``.
    lr : float or array of shape (S,)
        lr_0 > 0, for all runs or one per run (to compare rates side by side).
    epochs : int
        Passes over the data.
    lr_decay : float
        lr_t = lr / (1 + lr_decay * t) after t updates; 0 keeps it constant.

    Returns
    -------
    HebbianRun
    """
    X = as_float_array(X, "X", ndim=2)
    N, n = X.shape
    k = check_int(k, "k", low=1, high=n)
    seeds = _check_seeds(seeds)
    lr = as_float_array(lr, "lr")
    if lr.shape not in ((), (len(seeds),)) or np.any(lr <= 0):
        raise ValueError(f"lr must be > 0, a number or one per seed (shape ({len(seeds)},)), "
                         f"got {lr if lr.ndim == 0 else f'shape {lr.shape}'}")
    lr = np.broadcast_to(lr, (len(seeds),))[:, None, None]
    epochs = check_int(epochs, "epochs", low=1)
    lr_decay = check_positive_float(lr_decay, "lr_decay", allow_zero=True)
    W = initial_weights(n, k, seeds)[0]                  # (S, k, n)
    rngs = [np.random.default_rng(seed) for seed in seeds]
    lower = np.tril(np.ones((k, k)))
    history = np.empty((len(seeds), epochs + 1, k, n))
    history[:, 0] = W
    diverged = np.zeros(len(seeds), dtype=bool)
    t = 0
    with np.errstate(over="ignore", invalid="ignore"):
        for epoch in range(epochs):
            order = np.stack([rng.permutation(N) for rng in rngs])   # (S, N)
            for i in range(N):
                x = X[order[:, i]]                                   # (S, n)
                y = np.einsum("skn,sn->sk", W, x)                    # (S, k)
                yy = y[:, :, None] * y[:, None, :] * lower           # LT(y y^T)
                rate = lr / (1 + lr_decay * t)
                W = W + rate * (y[:, :, None] * x[:, None, :] - yy @ W)
                t += 1
            bad = ~np.isfinite(W).all(axis=(1, 2)) | (np.abs(W).max(axis=(1, 2)) > 1e6)
            diverged |= bad
            W = np.where(diverged[:, None, None], np.nan, W)
            history[:, epoch + 1] = W
    return HebbianRun(W, history, diverged)


def oja(X: np.ndarray, seeds, lr: float | np.ndarray = 0.005, epochs: int = 30,
        lr_decay: float = 0.0) -> HebbianRun:
    """Oja's rule for the first principal direction: w <- w + lr y (x - y w), y = w^T x.

    The k = 1 case of :func:`generalized_hebbian`; see it for the parameters.
    Oja (1982) showed that w converges to +-u_1 (unit length) for
    stationary zero-mean inputs with lambda_1 > lambda_2 and a learning rate
    that decreases to zero while its sum diverges.
    """
    return generalized_hebbian(X, 1, seeds, lr=lr, epochs=epochs, lr_decay=lr_decay)
