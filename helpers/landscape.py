"""The loss landscape of a bias-free linear autoencoder: critical points and Hessians.

The network x -> W~ W x (encoder W of shape (m, n), decoder W~ of shape (n, m))
trained with ``nn.MSELoss`` has the loss

    L(W, W~) = ||X - X W^T W~^T||_F^2 / (N n) = tr((I - W~W) C (I - W~W)^T) / n,

with C = X^T X / N, the covariance of centred data X (N, n). For the Hessian the
weights are flattened into one vector theta = [W.ravel(), W~.ravel()] of length
2 m n (16 for 4 -> 2 -> 4). Everything here is computed in float64.

Baldi and Hornik's critical points: for a set I of k = m principal directions and
an invertible G (k, k), W = G U_I^T and W~ = U_I G^-1; also W = W~ = 0.
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction
from typing import NamedTuple

import numpy as np
import torch

from ._checks import as_float_array, check_int, check_positive_float

#: The unit roundoff of float64, u = 2^-53: one rounding changes a number by at most u relatively.
UNIT_ROUNDOFF = 2.0 ** -53


class Derivatives(NamedTuple):
    """The loss and its first two derivatives at one point, in float64."""

    mse: float             #: the loss, ``nn.MSELoss`` of the reconstruction
    gradient: np.ndarray   #: shape (2 m n,), with respect to theta = [W.ravel(), W~.ravel()]
    hessian: np.ndarray    #: shape (2 m n, 2 m n), symmetric


def _weights(W: np.ndarray, W_tilde: np.ndarray, n: int | None = None
             ) -> tuple[np.ndarray, np.ndarray]:
    """Check an encoder (m, n) and a decoder (n, m) that fit together."""
    W = as_float_array(W, "W", ndim=2)
    if n is not None and W.shape[1] != n:
        raise ValueError(f"W must have {n} columns (the data's features), got shape {W.shape}")
    W_tilde = as_float_array(W_tilde, "W_tilde", shape=(W.shape[1], W.shape[0]))
    return W, W_tilde


def flatten(W: np.ndarray, W_tilde: np.ndarray) -> np.ndarray:
    """theta = [W.ravel(), W~.ravel()] from W (..., m, n) and W~ (..., n, m).

    Leading axes are kept: a stack of S points gives an array of shape (S, 2 m n).
    """
    W = as_float_array(W, "W")
    W_tilde = as_float_array(W_tilde, "W_tilde")
    if W.ndim < 2 or W_tilde.shape != W.shape[:-2] + (W.shape[-1], W.shape[-2]):
        raise ValueError(f"W must have shape (..., m, n) and W_tilde (..., n, m), "
                         f"got {W.shape} and {W_tilde.shape}")
    lead = W.shape[:-2]
    return np.concatenate([W.reshape(lead + (-1,)), W_tilde.reshape(lead + (-1,))], axis=-1)


def unflatten(theta: np.ndarray | torch.Tensor, n: int, m: int
              ) -> tuple[np.ndarray | torch.Tensor, np.ndarray | torch.Tensor]:
    """Split theta (..., 2 m n) into W (..., m, n) and W~ (..., n, m).

    Leading axes are kept, so a stack of points splits at once; torch tensors
    stay tensors (and differentiable).
    """
    n, m = check_int(n, "n", low=1), check_int(m, "m", low=1)
    if not isinstance(theta, torch.Tensor):
        theta = as_float_array(theta, "theta")
    if theta.ndim < 1 or theta.shape[-1] != 2 * m * n:
        raise ValueError(f"theta must have shape (..., {2 * m * n}) for n={n}, m={m}, "
                         f"got {tuple(theta.shape)}")
    lead = tuple(theta.shape[:-1])
    return (theta[..., :m * n].reshape(lead + (m, n)),
            theta[..., m * n:].reshape(lead + (n, m)))


def loss_derivatives(X: np.ndarray, W: np.ndarray, W_tilde: np.ndarray) -> Derivatives:
    """The MSE, its gradient and its Hessian with respect to all weights, in float64.

    The Hessian comes from ``torch.autograd.functional.hessian`` of the loss as a
    function of the flattened weights theta = [W.ravel(), W~.ravel()].

    Parameters
    ----------
    X : array of shape (N, n)
    W : array of shape (m, n)
        The encoder.
    W_tilde : array of shape (n, m)
        The decoder.

    Returns
    -------
    Derivatives
    """
    X = as_float_array(X, "X", ndim=2)
    W, W_tilde = _weights(W, W_tilde, X.shape[1])
    n, m = X.shape[1], W.shape[0]
    data = torch.as_tensor(X, dtype=torch.float64)

    def loss(theta: torch.Tensor) -> torch.Tensor:
        enc, dec = unflatten(theta, n, m)
        return ((data - data @ enc.T @ dec.T) ** 2).mean()

    theta = torch.as_tensor(flatten(W, W_tilde), dtype=torch.float64).requires_grad_(True)
    value = loss(theta)
    (gradient,) = torch.autograd.grad(value, theta)
    hessian = torch.autograd.functional.hessian(loss, theta.detach())
    return Derivatives(float(value.detach()), gradient.numpy(), hessian.numpy())


def critical_point(components: np.ndarray, kept: Sequence[int], n_hidden: int | None = None,
                   mixing: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Baldi and Hornik's critical point for the principal directions ``kept``.

    W = G U_I^T and W~ = U_I G^-1, where U_I holds the columns ``kept`` of
    ``components`` and G is ``mixing`` (default the identity). With ``kept``
    empty it is W = W~ = 0 and ``n_hidden`` gives m.

    Parameters
    ----------
    components : array of shape (n, n)
        Orthonormal eigenvectors of the covariance, one per column.
    kept : sequence of int
        Distinct column indices (0-based), as many as hidden units, or none.
    n_hidden : int, optional
        m; needed when ``kept`` is empty, else it must equal ``len(kept)``.
    mixing : array of shape (m, m), optional
        An invertible G.

    Returns
    -------
    W : array of shape (m, n)
    W_tilde : array of shape (n, m)
    """
    U = as_float_array(components, "components", ndim=2)
    n = U.shape[0]
    if U.shape != (n, n):
        raise ValueError(f"components must be square, got shape {U.shape}")
    if isinstance(kept, (str, bytes)) or not isinstance(kept, Sequence):
        raise TypeError(f"kept must be a sequence of integers, got {type(kept).__name__}")
    kept = [check_int(i, "kept[i]", low=0, high=n - 1) for i in kept]
    if len(set(kept)) != len(kept):
        raise ValueError(f"kept must hold distinct indices, got {kept}")
    if n_hidden is None and not kept:
        raise ValueError("n_hidden is needed when kept is empty (W = 0)")
    m = len(kept) if n_hidden is None else check_int(n_hidden, "n_hidden", low=1, high=n)
    if kept and len(kept) != m:
        raise ValueError(f"kept must hold n_hidden={m} indices or none, got {len(kept)}")
    if not kept:
        if mixing is not None:
            raise ValueError("mixing must be None when kept is empty (W = 0)")
        return np.zeros((m, n)), np.zeros((n, m))
    G = np.eye(m) if mixing is None else as_float_array(mixing, "mixing", shape=(m, m))
    if np.linalg.cond(G) > 1e8:
        raise ValueError("mixing must be invertible (well conditioned)")
    U_I = U[:, kept]
    return G @ U_I.T, U_I @ np.linalg.inv(G)


def inertia(eigenvalues: np.ndarray, tol: float) -> tuple[int, int, int]:
    """Count the eigenvalues below -tol, within [-tol, tol] and above tol.

    Returns
    -------
    (negative, zero, positive) : tuple of int
    """
    values = as_float_array(eigenvalues, "eigenvalues", ndim=1)
    tol = check_positive_float(tol, "tol")
    return (int(np.sum(values < -tol)), int(np.sum(np.abs(values) <= tol)),
            int(np.sum(values > tol)))


def predicted_hessian_eigenvalues(eigenvalues: np.ndarray, kept: Sequence[int],
                                  n_hidden: int | None = None) -> np.ndarray:
    """The Hessian's spectrum at a critical point with G = I, in closed form.

    In the eigenbasis of C the 2 m n weights split into small blocks (see
    lesson 6). With kept set I and discarded set J:

    - m^2 zeros (the directions of GL(m)) and, for each kept i, the value
      4 lambda_i / n, m times;
    - for each kept i and discarded l, the two eigenvalues of
      (2/n) [[lambda_i, -lambda_l], [-lambda_l, lambda_l]],
      (lambda_i + lambda_l +- sqrt((lambda_i - lambda_l)^2 + 4 lambda_l^2)) / n;
      negative exactly when lambda_l > lambda_i.

    At W = W~ = 0 (``kept`` empty) the spectrum is +-2 lambda_l / n, each m times.

    Parameters
    ----------
    eigenvalues : array of shape (n,)
        The covariance's eigenvalues, in the order of ``components``.
    kept : sequence of int
        As for :func:`critical_point`.
    n_hidden : int, optional
        m; needed when ``kept`` is empty.

    Returns
    -------
    array of shape (2 m n,), ascending
    """
    lam = as_float_array(eigenvalues, "eigenvalues", ndim=1)
    if np.any(lam < 0):
        raise ValueError("eigenvalues must be >= 0 (a covariance has no negative eigenvalues)")
    n = lam.size
    if isinstance(kept, (str, bytes)) or not isinstance(kept, Sequence):
        raise TypeError(f"kept must be a sequence of integers, got {type(kept).__name__}")
    kept = [check_int(i, "kept[i]", low=0, high=n - 1) for i in kept]
    if len(set(kept)) != len(kept):
        raise ValueError(f"kept must hold distinct indices, got {kept}")
    if not kept:
        if n_hidden is None:
            raise ValueError("n_hidden is needed when kept is empty (W = 0)")
        m = check_int(n_hidden, "n_hidden", low=1, high=n)
        return np.sort(np.concatenate([2 * lam / n, -2 * lam / n] * m))
    m = len(kept)
    if n_hidden is not None and check_int(n_hidden, "n_hidden", low=1) != m:
        raise ValueError(f"kept must hold n_hidden={n_hidden} indices, got {m}")
    values = [0.0] * (m * m)
    values += [4 * lam[i] / n for i in kept for _ in range(m)]
    for i in kept:
        for l in (j for j in range(n) if j not in kept):  # noqa: E741 - the lesson's l
            root = np.sqrt((lam[i] - lam[l]) ** 2 + 4 * lam[l] ** 2)
            values += [(lam[i] + lam[l] - root) / n, (lam[i] + lam[l] + root) / n]
    return np.sort(np.array(values))


# ---------------------------------------------------------------- rounding bounds

def _gamma(count: int) -> float:
    """Higham's gamma_k = k u / (1 - k u): the relative error of k roundings in a row."""
    return count * UNIT_ROUNDOFF / (1 - count * UNIT_ROUNDOFF)


def gradient_rounding_bound(X: np.ndarray, W: np.ndarray, W_tilde: np.ndarray) -> float:
    """How far float64 rounding can move the gradient :func:`loss_derivatives` returns.

    The gradient of L = ||X - X W^T W~^T||^2 / (N n) is -2/(N n) R^T (X W^T) for W~
    and -2/(N n) W~^T R^T X for W, with R = X - X W^T W~^T. Each computed entry is a
    sum of products, every one of which passes through at most
    q = N + 2 n + m + 3 roundings (the forward products over n and m, the
    difference, the scaling by 2/(N n), the backward products over n and N). By
    Higham's standard bound each entry is off by at most gamma_q times the same
    sum taken over absolute values, with |R| <= |X| + |X| |W|^T |W~|^T.

    Returns
    -------
    float
        The Euclidean norm of the entrywise bounds: the computed gradient lies
        within this distance of the exact gradient at the same (float64) weights.
    """
    X = as_float_array(X, "X", ndim=2)
    W, W_tilde = _weights(W, W_tilde, X.shape[1])
    (N, n), m = X.shape, W.shape[0]
    aX, aW, aWt = np.abs(X), np.abs(W), np.abs(W_tilde)
    residual = aX + aX @ aW.T @ aWt.T            # bounds |R| entrywise, (N, n)
    scale = 2.0 / (N * n)
    wrt_W_tilde = scale * residual.T @ (aX @ aW.T)   # (n, m)
    wrt_W = scale * aWt.T @ residual.T @ aX          # (m, n)
    entries = np.concatenate([wrt_W.ravel(), wrt_W_tilde.ravel()])
    return float(_gamma(N + 2 * n + m + 3) * np.linalg.norm(entries))


def _exact(array: np.ndarray) -> np.ndarray:
    """The float64 array as exact fractions (an object array)."""
    return np.vectorize(Fraction, otypes=[object])(array)


def eigenvector_error_bound(X: np.ndarray, eigenvalues: np.ndarray,
                            components: np.ndarray) -> np.ndarray:
    """Bound the distance of each computed eigenvector from an exact one.

    For the exact covariance C = X^T X / N of the float64 data, computed here in
    exact rational arithmetic, and a computed pair (lambda_j, u_j), the residual
    r_j = C u_j - lambda_j u_j is exact too. If x = u_j / |u_j| makes an angle
    theta with the exact eigenvector, then |C x - lambda_j x| >= sin(theta) d_j,
    where d_j is the distance from lambda_j to the other eigenvalues of C, so
    sin(theta) <= |r_j| / (|u_j| d_j). The other eigenvalues lie within their own
    residuals of the computed ones, which bounds d_j from below. Then, with the
    exact eigenvector's sign chosen, |u_j - exact| <= |1 - |u_j|| + sqrt(2) sin(theta).

    Parameters
    ----------
    X : array of shape (N, n)
    eigenvalues : array of shape (n,)
        Computed eigenvalues of X^T X / N, distinct.
    components : array of shape (n, n)
        The computed eigenvectors, one per column.

    Returns
    -------
    array of shape (n,)
        An upper bound on |u_j - exact eigenvector| for each column j.
    """
    X = as_float_array(X, "X", ndim=2)
    lam = as_float_array(eigenvalues, "eigenvalues", shape=(X.shape[1],))
    U = as_float_array(components, "components", shape=(X.shape[1], X.shape[1]))
    C = _exact(X.T) @ _exact(X) / X.shape[0]                 # exact, (n, n)
    Ue = _exact(U)
    residuals = C @ Ue - Ue * _exact(lam)                    # exact, (n, n)
    res_norm = np.array([float(sum(v * v for v in col)) ** 0.5 for col in residuals.T])
    norms = np.array([float(sum(v * v for v in col)) ** 0.5 for col in Ue.T])
    res_norm = res_norm / norms * (1 + 8 * UNIT_ROUNDOFF)    # of the unit vector, rounded up
    bounds = np.empty(lam.size)
    for j in range(lam.size):
        others = np.delete(np.arange(lam.size), j)
        gap = np.min(np.abs(lam[others] - lam[j])) - res_norm[others].max()
        if gap <= 0:
            raise ValueError("eigenvalues must be distinct, with residuals smaller than their gaps")
        sine = res_norm[j] / gap
        bounds[j] = abs(1 - norms[j]) + 2 ** 0.5 * sine
    return bounds * (1 + 8 * UNIT_ROUNDOFF)


def weight_error_bound(X: np.ndarray, eigenvalues: np.ndarray, components: np.ndarray,
                       kept: Sequence[int], mixing: np.ndarray | None = None) -> float:
    """Bound the distance of :func:`critical_point`'s weights from the exact critical point.

    The exact point is W = G U_I^T, W~ = U_I G^-1 with the exact eigenvectors of the
    exact covariance. Its float64 version differs by the eigenvectors' error (see
    :func:`eigenvector_error_bound`), times |G| and |G^-1|, by the rounding of the
    products (gamma_m |G| |U_I|^T entrywise), and by the error of the computed
    inverse of G (found exactly from the residual I - G inv(G)).

    Returns
    -------
    float
        An upper bound on |theta_computed - theta_exact| (Euclidean).
    """
    lam = as_float_array(eigenvalues, "eigenvalues", ndim=1)
    if not isinstance(kept, (str, bytes)) and isinstance(kept, Sequence) and not kept:
        if mixing is not None:
            raise ValueError("mixing must be None when kept is empty (W = 0)")
        return 0.0                                # W = W~ = 0 is exact in float64
    W, W_tilde = critical_point(components, kept, mixing=mixing)
    U = as_float_array(components, "components", ndim=2)
    m = W.shape[0]
    G = np.eye(m) if mixing is None else as_float_array(mixing, "mixing", shape=(m, m))
    G_inv = np.linalg.inv(G)
    U_I = U[:, list(kept)]
    vector_error = np.linalg.norm(eigenvector_error_bound(X, lam, U)[list(kept)])
    # the computed inverse: G^-1 - inv(G) = G^-1 (I - G inv(G)), |G^-1| <= |inv(G)| / (1 - |E|)
    E = np.eye(m, dtype=object) - _exact(G) @ _exact(G_inv)
    e = float(sum(v * v for v in E.ravel())) ** 0.5 * (1 + 8 * UNIT_ROUNDOFF)
    if e >= 0.5:
        raise ValueError("mixing is too ill-conditioned for this bound")
    inv_norm = np.linalg.norm(G_inv, 2) / (1 - e)
    inverse_error = np.linalg.norm(G_inv, 2) * e / (1 - e)
    rounding = _gamma(m) * (np.linalg.norm(np.abs(G) @ np.abs(U_I.T))
                            + np.linalg.norm(np.abs(U_I) @ np.abs(G_inv)))
    encoder = np.linalg.norm(G, 2) * vector_error
    decoder = inv_norm * vector_error + np.linalg.norm(U_I, 2) * inverse_error
    return float((encoder + decoder + rounding) * (1 + 16 * UNIT_ROUNDOFF))
