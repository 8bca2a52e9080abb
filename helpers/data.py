"""Data sets from scikit-learn's bundled files: nothing is downloaded.

The files are read straight from scikit-learn's package folder, the same CSV files
that ``sklearn.datasets.load_iris`` and ``load_digits`` read, without importing
scikit-learn itself: that import takes over a second, a large share of a lesson's
running time. A test checks that the arrays equal scikit-learn's.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import NamedTuple

import numpy as np

from ._checks import as_float_array, check_bool

IRIS_FEATURES = ["sepal length (cm)", "sepal width (cm)",
                 "petal length (cm)", "petal width (cm)"]


def _bundled(name: str) -> Path:
    """The path of a data file shipped in scikit-learn's ``datasets/data`` folder."""
    spec = importlib.util.find_spec("sklearn")  # finds the package, does not import it
    if spec is None or not spec.submodule_search_locations:
        raise ImportError("scikit-learn is required for the course's data sets")
    return Path(list(spec.submodule_search_locations)[0]) / "datasets" / "data" / name


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

    Returns
    -------
    Dataset
        ``X`` of shape (150, 4), ``y`` of shape (150,) in {0, 1, 2}.
    """
    standardized = check_bool(standardized, "standardized")
    path = _bundled("iris.csv")
    with path.open(encoding="utf-8") as f:
        target_names = f.readline().strip().split(",")[2:]
    table = np.loadtxt(path, delimiter=",", skiprows=1)
    data, target = table[:, :4], table[:, 4].astype(np.int64)
    X = standardize(data)[0] if standardized else data
    return Dataset(X, target, list(IRIS_FEATURES), target_names)


def digits() -> Dataset:
    """8 x 8 images of handwritten digits, 1797 of them, pixels scaled to [0, 1].

    Returns
    -------
    Dataset
        ``X`` of shape (1797, 64), row-major pixels; ``y`` of shape (1797,) in 0-9.
    """
    table = np.loadtxt(_bundled("digits.csv.gz"), delimiter=",")
    names = [f"pixel_{row}_{col}" for row in range(8) for col in range(8)]
    return Dataset(table[:, :-1] / 16.0, table[:, -1].astype(np.int64), names,
                   [str(t) for t in range(10)])
