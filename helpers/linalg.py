"""Linear algebra for comparing a linear autoencoder with PCA.

Conventions: data ``X`` has shape (N, n), one sample a row. Covariances use
1/N (``ddof=0``), so that for a linear map the mean squared error of
``nn.MSELoss`` is directly a sum of eigenvalues divided by n.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from ._checks import as_float_array, check_int


class PCAResult(NamedTuple):
    """Principal components, sorted by decreasing eigenvalue."""

    eigenvalues: np.ndarray      #: shape (n,), descending, >= 0
    components: np.ndarray       #: shape (n, n); column j is the j-th eigenvector
    explained_ratio: np.ndarray  #: shape (n,), eigenvalues / their sum


def covariance(X: np.ndarray) -> np.ndarray:
    """The covariance matrix (1/N) (X - mean)^T (X - mean), shape (n, n).

    Raises a ``ValueError`` if X is so large that the covariance overflows
    float64 (entries beyond about 1e154).
    """
    X = as_float_array(X, "X", ndim=2)
    with np.errstate(over="ignore", invalid="ignore"):
        Xc = X - X.mean(axis=0)
        C = Xc.T @ Xc / X.shape[0]
    if not np.all(np.isfinite(C)):
        raise ValueError("X is too large: its covariance overflows float64; "
                         f"rescale it (largest |entry| {np.abs(X).max():.3g})")
    return C


def pca(X: np.ndarray) -> PCAResult:
    """PCA from the covariance matrix with ``numpy.linalg.eigh``, sorted.

    ``eigh`` returns eigenvalues in ascending order (``eig`` promises no order
    at all); they are reversed here so that component 1 has the largest
    variance. Each eigenvector's sign is fixed so that its largest-magnitude
    entry is positive, which makes the result reproducible.

    Parameters
    ----------
    X : array of shape (N, n)
        N >= 2 samples of n features. The data are centred here.

    Returns
    -------
    PCAResult
    """
    X = as_float_array(X, "X", ndim=2)
    if X.shape[0] < 2:
        raise ValueError(f"X must have at least 2 rows, got {X.shape[0]}")
    values, vectors = np.linalg.eigh(covariance(X))
    order = np.argsort(values)[::-1]
    values = np.clip(values[order], 0.0, None)
    vectors = vectors[:, order]
    # a unit vector's largest-magnitude entry is never 0: its sign is +1 or -1
    vectors = vectors * np.sign(vectors[np.abs(vectors).argmax(axis=0),
                                        np.arange(vectors.shape[1])])
    total = values.sum()
    ratio = values / total if total > 0 else np.zeros_like(values)
    return PCAResult(values, vectors, ratio)


def eckart_young_bound(eigenvalues: np.ndarray, k: int) -> float:
    """The smallest mean squared error of any rank-k reconstruction.

    By the Eckart-Young theorem the best rank-k approximation of centred data
    keeps the top k principal components; what is lost is the sum of the other
    eigenvalues (per sample). ``nn.MSELoss`` also averages over the n
    features, so the bound it can reach is ``sum(eigenvalues[k:]) / n``.

    Parameters
    ----------
    eigenvalues : array of shape (n,)
        Covariance eigenvalues (1/N convention), any order, all >= 0.
    k : int
        The code width, 0 <= k <= n.

    Returns
    -------
    float
    """
    values = as_float_array(eigenvalues, "eigenvalues", ndim=1)
    if np.any(values < -1e-12):
        raise ValueError("eigenvalues must be >= 0 (a covariance has no negative eigenvalues)")
    n = values.size
    k = check_int(k, "k", low=0, high=n)
    return float(np.sort(values)[::-1][k:].sum() / n)


def _orthonormal_basis(A: np.ndarray, name: str) -> np.ndarray:
    """An orthonormal basis of the column space of A (n, k), which must have rank k."""
    Q, R = np.linalg.qr(A)
    diag = np.abs(np.diag(R))
    if diag.min() <= 1e-10 * max(diag.max(), 1e-300):
        raise ValueError(f"{name} must have linearly independent columns (full column rank)")
    return Q


def principal_angles(A: np.ndarray, B: np.ndarray) -> np.ndarray:
    """Principal angles between the column spaces of A and B, in radians.

    Small angles are computed from their sines and large ones from their
    cosines (Bjorck and Golub's method, as ``scipy.linalg.subspace_angles``
    does): ``arccos`` alone loses half the digits near 0, so the angle
    between a subspace and itself would come out near 1e-8, not 0.

    Parameters
    ----------
    A : array of shape (n, k)
    B : array of shape (n, l)
        Both of full column rank, with the same number of rows n.

    Returns
    -------
    array of shape (min(k, l),)
        Ascending, in [0, pi/2]. All zero when the spaces are the same.
    """
    A = as_float_array(A, "A", ndim=2)
    B = as_float_array(B, "B", ndim=2)
    if A.shape[0] != B.shape[0]:
        raise ValueError(f"A and B must have the same number of rows, got {A.shape} and {B.shape}")
    Qa, Qb = _orthonormal_basis(A, "A"), _orthonormal_basis(B, "B")
    cross = Qa.T @ Qb
    cosines = np.clip(np.linalg.svd(cross, compute_uv=False), -1.0, 1.0)  # descending
    # Sines: the part of the smaller space's basis outside the larger space.
    rest = Qb - Qa @ cross if Qa.shape[1] >= Qb.shape[1] else Qa - Qb @ cross.T
    sines = np.sort(np.clip(np.linalg.svd(rest, compute_uv=False), -1.0, 1.0))
    angles = np.where(cosines ** 2 >= 0.5, np.arcsin(sines), np.arccos(cosines))
    return np.sort(angles)


def mixing_matrix(scores: np.ndarray, codes: np.ndarray) -> np.ndarray:
    """The k x k matrix M with codes ~= scores @ M, by least squares.

    When a linear autoencoder has found the principal subspace, its codes are
    an invertible linear mix of the PCA scores; M says which mix.

    Parameters
    ----------
    scores : array of shape (N, k)
        PCA scores, e.g. ``X @ components[:, :k]``.
    codes : array of shape (N, k)
        The autoencoder's codes for the same N samples.

    Returns
    -------
    array of shape (k, k)

    Raises
    ------
    ValueError
        If the scores are rank-deficient (then M is not unique).
    """
    scores = as_float_array(scores, "scores", ndim=2)
    codes = as_float_array(codes, "codes", shape=scores.shape)
    if scores.shape[0] < scores.shape[1]:
        raise ValueError(f"scores must have at least as many rows as columns, got {scores.shape}")
    _orthonormal_basis(scores, "scores")  # M is unique only if the scores have full rank
    M, *_ = np.linalg.lstsq(scores, codes, rcond=None)
    return M


def recover_eigenvalues(decoder_weight: np.ndarray, X: np.ndarray) -> np.ndarray:
    """Recover the top-k covariance eigenvalues from a trained decoder.

    A linear autoencoder at its optimum spans the top-k principal subspace,
    but with a mixed, non-orthogonal basis. Orthonormalize the decoder's
    columns (QR) to get a basis Q of that subspace, then the eigenvalues of
    Q^T C Q are those of the covariance C restricted to it: the top k.

    The function cannot tell from a matrix whether it spans that subspace.
    For any other full-rank ``decoder_weight`` (an unconverged model's, a
    nonlinear model's, a random one) it returns the eigenvalues of C
    restricted to its column space. These interlace with C's own eigenvalues
    (``lambda[j + n - k] <= mu[j] <= lambda[j]``, Cauchy's interlacing
    theorem), so they look plausible, but they are the top k only if the
    columns span the top-k principal subspace: check that first, for example
    with :func:`principal_angles`.

    Parameters
    ----------
    decoder_weight : array of shape (n, k)
        W~, whose columns span the learned subspace.
    X : array of shape (N, n)
        The data the covariance is computed from.

    Returns
    -------
    array of shape (k,), descending
    """
    W = as_float_array(decoder_weight, "decoder_weight", ndim=2)
    X = as_float_array(X, "X", ndim=2)
    if W.shape[0] != X.shape[1]:
        raise ValueError(f"decoder_weight must have {X.shape[1]} rows (X's features), "
                         f"got shape {W.shape}")
    if W.shape[1] > W.shape[0]:
        raise ValueError(f"decoder_weight must have at most as many columns as rows, got {W.shape}")
    Q = _orthonormal_basis(W, "decoder_weight")
    return np.sort(np.linalg.eigvalsh(Q.T @ covariance(X) @ Q))[::-1]


def cosine_similarity(A: np.ndarray, B: np.ndarray) -> float:
    """<A, B>_F / (||A||_F ||B||_F) for two arrays of the same shape."""
    A = as_float_array(A, "A")
    B = as_float_array(B, "B", shape=A.shape)
    norms = np.linalg.norm(A) * np.linalg.norm(B)
    if norms == 0:
        raise ValueError("A and B must be non-zero")
    return float((A * B).sum() / norms)


def orthogonality_gap(M: np.ndarray) -> float:
    """How far a square matrix is from orthogonal: ||M^T M - I||_F.

    Zero exactly for orthogonal matrices (rotations and reflections); a
    rotation matrix also has determinant +1. The singular values of M say
    more: M is orthogonal when they are all 1, and a scaled orthogonal
    matrix when they are all equal (condition number 1).

    Parameters
    ----------
    M : array of shape (k, k)

    Returns
    -------
    float
    """
    M = as_float_array(M, "M", ndim=2)
    if M.shape[0] != M.shape[1]:
        raise ValueError(f"M must be square, got shape {M.shape}")
    return float(np.linalg.norm(M.T @ M - np.eye(M.shape[0])))
