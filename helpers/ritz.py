"""Rayleigh-Ritz: principal directions from any basis of a learned subspace.

A linear autoencoder at its optimum spans the top-k principal subspace, but
its decoder's columns are an arbitrary, mixed basis of it. The Rayleigh-Ritz
procedure turns any basis of a subspace into the best available
approximations of eigenvectors of the covariance C inside that subspace:
orthonormalize the basis (Q), diagonalize the small k x k matrix Q^T C Q = V D
V^T, and return the Ritz values D and the Ritz vectors Q V. If the subspace
is exactly spanned by k eigenvectors of C, these are those eigenpairs.
:func:`helpers.linalg.recover_eigenvalues` returns the Ritz values only.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from ._checks import as_float_array
from .linalg import _orthonormal_basis, covariance


class RitzPairs(NamedTuple):
    """Approximate eigenpairs of a covariance inside a subspace, largest first."""

    values: np.ndarray   #: shape (k,), descending: the Ritz values
    vectors: np.ndarray  #: shape (n, k), orthonormal columns: the Ritz vectors


def ritz_pairs(basis: np.ndarray, X: np.ndarray) -> RitzPairs:
    """Rayleigh-Ritz approximations of the covariance's eigenpairs in span(basis).

    Parameters
    ----------
    basis : array of shape (n, k)
        Any basis of the subspace, e.g. a trained decoder's weight W~; it must
        have full column rank k <= n.
    X : array of shape (N, n)
        The data whose covariance (1/N convention, centred here) is used.

    Returns
    -------
    RitzPairs
        Values in descending order; each vector's sign is fixed so that its
        largest-magnitude entry is positive, as :func:`helpers.linalg.pca` does.
    """
    basis = as_float_array(basis, "basis", ndim=2)
    X = as_float_array(X, "X", ndim=2)
    if basis.shape[0] != X.shape[1]:
        raise ValueError(f"basis must have {X.shape[1]} rows (X's features), "
                         f"got shape {basis.shape}")
    if basis.shape[1] > basis.shape[0]:
        raise ValueError(f"basis must have at most as many columns as rows, got {basis.shape}")
    if X.shape[0] < 2:
        raise ValueError(f"X must have at least 2 rows, got {X.shape[0]}")
    Q = _orthonormal_basis(basis, "basis")
    values, V = np.linalg.eigh(Q.T @ covariance(X) @ Q)
    order = np.argsort(values)[::-1]
    vectors = Q @ V[:, order]
    rows = np.abs(vectors).argmax(axis=0)
    signs = np.sign(vectors[rows, np.arange(vectors.shape[1])])
    return RitzPairs(values[order], vectors * np.where(signs == 0, 1.0, signs))


def direction_angles(A: np.ndarray, B: np.ndarray) -> np.ndarray:
    """The angle between column j of A and column j of B, ignoring sign, in radians.

    A direction has no sign (an eigenvector times -1 is the same eigenvector),
    so the angle lies in [0, pi/2]. It is computed as
    ``arctan2(|a - (a.b) b|, |a.b|)`` for unit columns a, b, which stays accurate
    for tiny angles, where ``arccos`` loses half the digits.

    Parameters
    ----------
    A, B : arrays of shape (n, k)
        Non-zero columns.

    Returns
    -------
    array of shape (k,)
    """
    A = as_float_array(A, "A", ndim=2)
    B = as_float_array(B, "B", shape=A.shape)
    norms_a, norms_b = np.linalg.norm(A, axis=0), np.linalg.norm(B, axis=0)
    if np.any(norms_a == 0) or np.any(norms_b == 0):
        raise ValueError("A and B must have non-zero columns")
    A, B = A / norms_a, B / norms_b
    dots = np.sum(A * B, axis=0)
    sines = np.linalg.norm(A - B * dots, axis=0)
    return np.arctan2(sines, np.abs(dots))
