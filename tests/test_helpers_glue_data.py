"""helpers.glue and helpers.data."""

import builtins
import importlib

import numpy as np
import pytest
from sklearn.preprocessing import StandardScaler

from helpers import data, glue


def test_glue_returns_its_value_and_unwraps_scalars(monkeypatch):
    stored = {}
    monkeypatch.setattr(importlib.import_module("helpers.glue"), "_myst_glue",
                        lambda name, value, display: stored.update({name: value}))
    assert glue("x", 3) == 3
    value = glue("y", np.float64(0.25))
    assert type(value) is float and stored == {"x": 3, "y": 0.25}


@pytest.mark.parametrize("name", ["", "a b", "x-y", 3, None])
def test_glue_rejects_bad_names(name):
    with pytest.raises(ValueError, match="name"):
        glue(name, 1)


def test_glue_works_without_myst_nb(monkeypatch):
    """In Colab myst-nb is missing: glue must still import and run."""
    real_import = builtins.__import__

    def no_myst(name, *args, **kwargs):
        if name.startswith("myst_nb"):
            raise ImportError(name)
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_myst)
    module = importlib.reload(importlib.import_module("helpers.glue"))
    try:
        assert module._myst_glue is None
        assert module.glue("z", 1.5) == 1.5
    finally:
        monkeypatch.undo()
        importlib.reload(module)


def test_standardize_matches_sklearn():
    X = np.random.default_rng(0).normal(3, 2, size=(50, 3))
    Z, mean, std = data.standardize(X)
    assert np.allclose(Z, StandardScaler().fit_transform(X))
    assert np.allclose(Z.mean(axis=0), 0) and np.allclose(Z.std(axis=0), 1)
    assert np.allclose(Z * std + mean, X)


@pytest.mark.parametrize("X,exc,match", [
    (np.ones(5), ValueError, "2-D"),
    (np.array([[1.0, np.nan], [2.0, 3.0]]), ValueError, "finite"),
    (np.array([[1.0, 2.0]]), ValueError, "at least 2 rows"),
    (np.array([[1.0, 2.0], [1.0, 3.0]]), ValueError, "constant columns"),
    (np.array([["a", "b"], ["c", "d"]]), TypeError, "numbers"),
])
def test_standardize_rejects_bad_input(X, exc, match):
    with pytest.raises(exc, match=match):
        data.standardize(X)


def test_data_equal_scikit_learns_loaders():
    from sklearn.datasets import load_digits, load_iris

    iris, reference = data.iris(standardized=False), load_iris()
    assert np.array_equal(iris.X, reference.data) and np.array_equal(iris.y, reference.target)
    assert iris.feature_names == list(reference.feature_names)
    assert iris.target_names == list(reference.target_names)
    digits, reference = data.digits(), load_digits()
    assert np.array_equal(digits.X * 16, reference.data)
    assert np.array_equal(digits.y, reference.target)
    assert digits.feature_names == list(reference.feature_names)


def test_iris_and_digits():
    iris = data.iris()
    assert iris.X.shape == (150, 4) and iris.y.shape == (150,)
    assert np.allclose(iris.X.mean(axis=0), 0) and np.allclose(iris.X.std(axis=0), 1)
    assert iris.target_names == ["setosa", "versicolor", "virginica"]
    raw = data.iris(standardized=False)
    assert raw.X.max() == pytest.approx(7.9)
    digits = data.digits()
    assert digits.X.shape == (1797, 64) and digits.X.min() == 0 and digits.X.max() == 1
