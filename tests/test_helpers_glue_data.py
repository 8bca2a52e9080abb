"""helpers.glue and helpers.data."""

import builtins
import importlib

import matplotlib.pyplot as plt
import numpy as np
import pytest
import torch
from sklearn.preprocessing import StandardScaler

from helpers import data, glue


def test_glue_returns_its_value_and_unwraps_scalars(monkeypatch):
    stored = {}
    monkeypatch.setattr(importlib.import_module("helpers.glue"), "_myst_glue",
                        lambda name, value, display: stored.update({name: value}))
    assert glue("x", 3) == 3
    value = glue("y", np.float64(0.25))
    assert type(value) is float and stored == {"x": 3, "y": 0.25}


@pytest.fixture
def stored(monkeypatch):
    """What glue hands to myst-nb, by name."""
    values = {}
    monkeypatch.setattr(importlib.import_module("helpers.glue"), "_myst_glue",
                        lambda name, value, display: values.update({name: (value, display)}))
    return values


@pytest.mark.parametrize("value,expected", [
    (3, 3), (np.int64(7), 7), (np.float32(0.5), 0.5), (np.array(2.5), 2.5),
    (np.array([4.0]), 4.0), (np.array([[4]]), 4), (torch.tensor(1.5), 1.5),
    (torch.tensor([2]), 2), (torch.tensor([[0.25]], dtype=torch.float64), 0.25),
    ("1.2e-3", "1.2e-3"), ("", ""), (-0.0, 0.0), (1e300, 1e300),
])
def test_glue_unwraps_what_the_prose_can_format(stored, value, expected):
    result = glue("key", value)
    assert result == expected and type(result) is type(expected)
    assert stored == {"key": (expected, False)}


def test_glue_stores_figures_and_passes_display(stored):
    fig = plt.figure()
    assert glue("fig", fig, display=True) is fig
    assert stored == {"fig": (fig, True)}


REFUSED = r"^glue 'key': value must be a real number, a string or a matplotlib figure, got "


@pytest.mark.parametrize("value,exc,match", [
    (float("nan"), ValueError, r"^glue 'key': value must be finite, got nan$"),
    (np.float64(np.inf), ValueError, r"^glue 'key': value must be finite, got -?inf$"),
    (torch.tensor([-np.inf]), ValueError, r"^glue 'key': value must be finite, got -?inf$"),
    (np.array([1.0, 2.0]), TypeError, r"^glue 'key': an array or tensor must hold one number, got shape \(2,\)"),
    (np.zeros((0,)), TypeError, r"^glue 'key': an array or tensor must hold one number, got shape \(0,\)"),
    (torch.zeros(2, 2), TypeError, r"^glue 'key': an array or tensor must hold one number, got shape \(2, 2\)"),
    ([1.0], TypeError, REFUSED + r"list"),
    (None, TypeError, REFUSED + r"NoneType"),
    (len, TypeError, REFUSED + r"builtin_function_or_method"),
    (object(), TypeError, REFUSED + r"object"),
    (True, TypeError, REFUSED + r"bool"),
    (np.bool_(False), TypeError, REFUSED + r"bool"),
    (1 + 2j, TypeError, REFUSED + r"complex"),
])
def test_glue_rejects_what_the_prose_cannot_format(stored, value, exc, match):
    with pytest.raises(exc, match=match):
        glue("key", value)
    assert stored == {}


class OnlyItem:
    """Has an item() but is no array."""

    def item(self):
        return 1.0


def test_glue_unwraps_only_arrays_and_makes_other_reals_floats(stored):
    from fractions import Fraction
    result = glue("key", Fraction(1, 4))
    assert result == 0.25 and type(result) is float
    with pytest.raises(TypeError, match=REFUSED + "OnlyItem$"):
        glue("key", OnlyItem())
    with pytest.raises(TypeError, match=r"^name must be a string, got int$"):
        glue(3, 1.0)


@pytest.mark.parametrize("name,exc", [("", ValueError), ("a b", ValueError),
                                      ("x-y", ValueError), ("x.y", ValueError),
                                      (3, TypeError), (None, TypeError)])
def test_glue_rejects_bad_names(name, exc):
    with pytest.raises(exc, match=r"^name must"):
        glue(name, 1)


def test_glue_accepts_letters_digits_and_underscores(stored):
    glue("m4_gap_2", 1.0)
    assert list(stored) == ["m4_gap_2"]


@pytest.mark.parametrize("display", ["yes", 1, None])
def test_glue_display_must_be_a_bool(display):
    with pytest.raises(TypeError, match=r"^display must"):
        glue("x", 1.0, display=display)


def test_glue_works_without_myst_nb(monkeypatch):
    """In Colab myst-nb is missing: glue must still import and run."""
    real_import = builtins.__import__

    def no_myst(name, *args, **kwargs):
        if name.startswith("myst_nb"):
            raise ImportError(name)
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_myst)
    module = importlib.reload(importlib.import_module("helpers.glue"))
    shown = []
    monkeypatch.setattr("IPython.display.display", shown.append)
    try:
        assert module._myst_glue is None
        assert module.glue("z", 1.5) == 1.5 and shown == []
        assert module.glue("z", np.float32(2.5), display=True) == 2.5 and shown == [2.5]
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
    (np.ones(5), ValueError, r"^X must be a 2-D array, got shape \(5,\)$"),
    (np.array([[1.0, np.nan], [2.0, 3.0]]), ValueError, r"^X must be finite"),
    (np.array([[1.0, 2.0]]), ValueError, r"^X must have at least 2 rows, got 1$"),
    (np.array([[1.0, 2.0], [1.0, 3.0]]), ValueError, r"^X has constant columns \[0\]; they cannot be scaled"),
    (np.array([["a", "b"], ["c", "d"]]), TypeError, r"^X must hold numbers"),
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


@pytest.mark.parametrize("flag", ["no", "False", 0, None])
def test_iris_refuses_flags_that_are_not_booleans(flag):
    with pytest.raises(TypeError, match=r"^standardized must be True or False"):
        data.iris(standardized=flag)


def test_iris_and_digits():
    iris = data.iris()
    assert iris.X.shape == (150, 4) and iris.y.shape == (150,)
    assert np.allclose(iris.X.mean(axis=0), 0) and np.allclose(iris.X.std(axis=0), 1)
    assert iris.target_names == ["setosa", "versicolor", "virginica"]
    raw = data.iris(standardized=False)
    assert raw.X.max() == pytest.approx(7.9)
    digits = data.digits()
    assert digits.X.shape == (1797, 64) and digits.X.min() == 0 and digits.X.max() == 1
    assert iris.y.dtype == digits.y.dtype == np.int64
    assert digits.target_names == [str(t) for t in range(10)]
