"""Input checks shared by the public functions of :mod:`helpers`.

Every check raises a ``TypeError`` or ``ValueError`` whose message names the
argument and says what was expected, in the style of scikit-learn.
"""

from __future__ import annotations

import numbers
from typing import Any

import numpy as np


def as_float_array(value: Any, name: str, ndim: int | None = None,
                   shape: tuple[int | None, ...] | None = None) -> np.ndarray:
    """Return ``value`` as a finite float64 array, or raise.

    ``shape`` may hold ``None`` for an axis of any length.
    """
    if hasattr(value, "detach"):  # a torch tensor
        value = value.detach().cpu().numpy()
    try:
        array = np.asarray(value)
    except Exception as exc:  # pragma: no cover - numpy refuses only exotic input
        raise TypeError(f"{name} must be array-like, got {type(value).__name__}") from exc
    if array.dtype == object or not (np.issubdtype(array.dtype, np.number)
                                     or array.dtype == bool):
        raise TypeError(f"{name} must hold numbers, got dtype {array.dtype}")
    if np.iscomplexobj(array):
        raise TypeError(f"{name} must be real, got dtype {array.dtype}")
    array = array.astype(np.float64, copy=False)
    if ndim is not None and array.ndim != ndim:
        raise ValueError(f"{name} must be a {ndim}-D array, got shape {array.shape}")
    if shape is not None:
        wanted = "(" + ", ".join("any" if s is None else str(s) for s in shape) + ")"
        if array.ndim != len(shape) or any(
                s is not None and s != a for s, a in zip(shape, array.shape)):
            raise ValueError(f"{name} must have shape {wanted}, got {array.shape}")
    if array.size == 0:
        raise ValueError(f"{name} must not be empty, got shape {array.shape}")
    if not np.all(np.isfinite(array)):
        raise ValueError(f"{name} must be finite, got NaN or infinity")
    return array


def check_int(value: Any, name: str, low: int | None = None,
              high: int | None = None) -> int:
    """Return ``value`` as an ``int`` in ``[low, high]``, or raise."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be an integer, got {type(value).__name__}")
    value = int(value)
    if (low is not None and value < low) or (high is not None and value > high):
        lo = "-inf" if low is None else low
        hi = "inf" if high is None else high
        raise ValueError(f"{name} must be in [{lo}, {hi}], got {value}")
    return value


#: The largest seed every generator the course uses accepts (NumPy's legacy one stops here).
SEED_MAX = 2**32 - 1


def check_seed(value: Any, name: str = "seed") -> int:
    """Return ``value`` as an ``int`` seed in ``[0, 2**32 - 1]``, or raise."""
    return check_int(value, name, low=0, high=SEED_MAX)


def check_bool(value: Any, name: str) -> bool:
    """Return ``value`` as a ``bool``, or raise.

    Only ``True`` and ``False`` (or NumPy's booleans) pass: a string such as
    ``"False"`` is truthy in Python, so it is refused rather than taken as true.
    """
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name} must be True or False, got {type(value).__name__} {value!r}")
    return bool(value)


def check_positive_float(value: Any, name: str, allow_zero: bool = False) -> float:
    """Return ``value`` as a finite positive ``float`` (or >= 0), or raise."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a real number, got {type(value).__name__}")
    value = float(value)
    if not np.isfinite(value) or value < 0 or (value == 0 and not allow_zero):
        bound = ">= 0" if allow_zero else "> 0"
        raise ValueError(f"{name} must be finite and {bound}, got {value}")
    return value


def check_choice(value: Any, name: str, choices: tuple[str, ...]) -> str:
    """Return ``value`` if it is one of ``choices``, or raise."""
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a string, one of {choices}, "
                        f"got {type(value).__name__}")
    if value not in choices:
        raise ValueError(f"{name} must be one of {choices}, got {value!r}")
    return value
