"""Data sets from scikit-learn's bundled files: nothing is downloaded."""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from sklearn.datasets import load_digits, load_iris

from ._checks import as_float_array


class Dataset(NamedTuple):
    """A data matrix with its labels and names."""

    X: np.ndarray               #: data, shape (N, n)
    y: np.ndarray               #: integer class labels, shape (N,)
    feature_names: list[str]    #: n names
    target_names: list[str]     #: one name per class


def standardize(X: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Centre each column and scale it to unit (population) standard deviation.

    Parameters
    ----------
    X : array of shape (N, n)
        N >= 2 samples; no column may be constant.

    Returns
    -------
    X_std : array of shape (N, n)
        (X - mean) / std, as scikit-learn's ``StandardScaler`` computes it.
    mean, std : arrays of shape (n,)
    """
    X = as_float_array(X, "X", ndim=2)
    if X.shape[0] < 2:
        raise ValueError(f"X must have at least 2 rows, got {X.shape[0]}")
    mean = X.mean(axis=0)
    std = X.std(axis=0)
    if np.any(std == 0):
        raise ValueError(f"X has constant columns {np.flatnonzero(std == 0).tolist()}; "
                         "they cannot be scaled to unit variance")
    return (X - mean) / std, mean, std


def iris(standardized: bool = True) -> Dataset:
    """Fisher's Iris: 150 flowers, 4 measurements (cm), 3 species.

    With ``standardized`` (the default) every column has mean 0 and std 1.
    """
    raw = load_iris()
    X = standardize(raw.data)[0] if standardized else raw.data.astype(np.float64)
    return Dataset(X, raw.target.copy(), list(raw.feature_names), list(raw.target_names))


def digits() -> Dataset:
    """8 x 8 images of handwritten digits, 1797 of them, pixels scaled to [0, 1]."""
    raw = load_digits()
    return Dataset(raw.data / 16.0, raw.target.copy(),
                   list(raw.feature_names), [str(t) for t in raw.target_names])
