"""helpers._checks: the input checks every public helper relies on."""

import numpy as np
import pytest
import torch

from helpers import _checks, data, linalg


def test_as_float_array_returns_float64_and_takes_tensors_with_gradients():
    weight = torch.nn.Parameter(torch.ones(2, 3))
    array = _checks.as_float_array(weight, "W", ndim=2, shape=(2, None))
    assert array.dtype == np.float64 and array.shape == (2, 3)
    assert _checks.as_float_array([[True, False]], "M").dtype == np.float64   # booleans count
    assert np.isclose(linalg.cosine_similarity(weight, weight), 1.0)


@pytest.mark.parametrize("value,kwargs,exc,match", [
    ([[1.0, 2.0], [3.0]], {}, TypeError, r"^v must be array-like, got list$"),
    (np.array([["a"]]), {}, TypeError, r"^v must hold numbers, got dtype <U1$"),
    (np.array([None]), {}, TypeError, r"^v must hold numbers, got dtype object$"),
    (np.array([1 + 1j]), {}, TypeError, r"^v must be real, got dtype complex128$"),
    (np.ones(3), {"ndim": 2}, ValueError, r"^v must be a 2-D array, got shape \(3,\)$"),
    (np.ones((2, 3)), {"shape": (2, 4)}, ValueError, r"^v must have shape \(2, 4\), got \(2, 3\)$"),
    (np.ones((2, 3)), {"shape": (None, 2)}, ValueError, r"^v must have shape \(any, 2\), got"),
    (np.ones((2, 3)), {"shape": (2,)}, ValueError, r"^v must have shape \(2\), got \(2, 3\)$"),
    (np.ones((0, 3)), {}, ValueError, r"^v must not be empty, got shape \(0, 3\)$"),
    (np.array([1.0, np.inf]), {}, ValueError, r"^v must be finite, got NaN or infinity$"),
    (np.array([np.nan]), {}, ValueError, r"^v must be finite"),
])
def test_as_float_array_names_each_mistake(value, kwargs, exc, match):
    with pytest.raises(exc, match=match):
        _checks.as_float_array(value, "v", **kwargs)


def test_as_float_array_accepts_any_length_where_the_shape_says_none():
    assert _checks.as_float_array(np.ones((5, 2)), "v", shape=(None, 2)).shape == (5, 2)


@pytest.mark.parametrize("value,low,high,exc,match", [
    (True, None, None, TypeError, r"^v must be an integer, got bool$"),
    (1.0, None, None, TypeError, r"^v must be an integer, got float$"),
    ("1", None, None, TypeError, r"^v must be an integer, got str$"),
    (0, 1, None, ValueError, r"^v must be in \[1, inf\], got 0$"),
    (5, None, 3, ValueError, r"^v must be in \[-inf, 3\], got 5$"),
    (-1, 0, 3, ValueError, r"^v must be in \[0, 3\], got -1$"),
])
def test_check_int_names_each_mistake(value, low, high, exc, match):
    with pytest.raises(exc, match=match):
        _checks.check_int(value, "v", low=low, high=high)


def test_check_int_bounds_are_inclusive_and_numpy_integers_pass():
    assert _checks.check_int(np.int32(3), "v", low=3, high=3) == 3
    assert type(_checks.check_int(np.int64(2), "v")) is int
    assert _checks.check_int(-7, "v") == -7


def test_check_seed_range():
    assert _checks.check_seed(0) == 0 and _checks.check_seed(2**32 - 1) == 2**32 - 1
    with pytest.raises(ValueError, match=r"^seed must be in \[0, 4294967295\], got 4294967296$"):
        _checks.check_seed(2**32)
    with pytest.raises(ValueError, match=r"^s must be in \[0, "):
        _checks.check_seed(-1, "s")


@pytest.mark.parametrize("value,expected", [(True, True), (False, False),
                                            (np.bool_(True), True), (np.False_, False)])
def test_check_bool_accepts_booleans(value, expected):
    result = _checks.check_bool(value, "flag")
    assert result is expected


@pytest.mark.parametrize("value,match", [
    ("False", r"^flag must be True or False, got str 'False'$"),
    (1, r"^flag must be True or False, got int 1$"),
    (None, r"^flag must be True or False, got NoneType None$"),
])
def test_check_bool_refuses_everything_else(value, match):
    with pytest.raises(TypeError, match=match):
        _checks.check_bool(value, "flag")


def test_check_positive_float():
    assert _checks.check_positive_float(2, "v") == 2.0
    assert type(_checks.check_positive_float(np.float32(0.5), "v")) is float
    assert _checks.check_positive_float(0, "v", allow_zero=True) == 0.0
    with pytest.raises(ValueError, match=r"^v must be finite and > 0, got 0.0$"):
        _checks.check_positive_float(0, "v")
    with pytest.raises(ValueError, match=r"^v must be finite and >= 0, got -1.0$"):
        _checks.check_positive_float(-1, "v", allow_zero=True)
    with pytest.raises(ValueError, match=r"^v must be finite and > 0, got inf$"):
        _checks.check_positive_float(float("inf"), "v")
    with pytest.raises(TypeError, match=r"^v must be a real number, got bool$"):
        _checks.check_positive_float(True, "v")
    with pytest.raises(TypeError, match=r"^v must be a real number, got str$"):
        _checks.check_positive_float("1", "v")


def test_check_choice():
    assert _checks.check_choice("b", "v", ("a", "b")) == "b"
    with pytest.raises(ValueError, match=r"^v must be one of \('a', 'b'\), got 'c'$"):
        _checks.check_choice("c", "v", ("a", "b"))
    with pytest.raises(TypeError, match=r"^v must be a string, one of \('a', 'b'\), got int$"):
        _checks.check_choice(1, "v", ("a", "b"))


def test_data_needs_scikit_learn(monkeypatch):
    import importlib.util
    monkeypatch.setattr(importlib.util, "find_spec", lambda name: None)
    with pytest.raises(ImportError, match=r"^scikit-learn is required"):
        data.iris()


def test_standardize_takes_two_rows():
    Z, mean, std = data.standardize(np.array([[1.0, 4.0], [3.0, 8.0]]))
    assert np.array_equal(Z, [[-1.0, -1.0], [1.0, 1.0]])
    assert np.array_equal(mean, [2.0, 6.0]) and np.array_equal(std, [1.0, 2.0])
