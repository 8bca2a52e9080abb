"""Numbers for the prose: round a measured value so that the sentence around it stays true.

"At least 8.7e-3" is false if the value is 8.698e-3 and the prose rounds it to the
nearest; "within 0.9 %" is false for 0.912 %. A lower bound in the text must be
rounded down and an upper bound up: glue ``round_down(x)`` or ``round_up(x)`` and
show it with as many significant digits as were kept.
"""

from __future__ import annotations

import math
import numbers
from typing import Any

from ._checks import check_int


def _significant(value: Any, digits: Any) -> tuple[float, float]:
    """The value as a float and the power of ten of its last kept digit."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        # a one-element NumPy array or torch tensor (as glue accepts): its element
        if not (hasattr(value, "item") and hasattr(value, "shape") and math.prod(value.shape) == 1):
            raise TypeError(f"value must be a real number, got {type(value).__name__}")
        value = value.item()
        if isinstance(value, bool) or not isinstance(value, numbers.Real):
            raise TypeError(f"value must be a real number, got {type(value).__name__}")
    value = float(value)
    if not math.isfinite(value):
        raise ValueError(f"value must be finite, got {value}")
    digits = check_int(digits, "digits", low=1, high=15)
    if value == 0:
        return 0.0, 1.0
    return value, 10.0 ** (math.floor(math.log10(abs(value))) - digits + 1)


def round_up(value: Any, digits: int = 2) -> float:
    """The smallest number with ``digits`` significant digits that is >= ``value``.

    For upper bounds in the prose: "within {round_up(x)}" stays true.

    Parameters
    ----------
    value : float
        A finite real number (a NumPy scalar, or a one-element array or tensor, is fine).
    digits : int
        Significant digits to keep, 1 to 15.

    Returns
    -------
    float
    """
    value, unit = _significant(value, digits)
    result = math.ceil(value / unit) * unit
    return result if result >= value else result + unit    # guard the float division


def round_down(value: Any, digits: int = 2) -> float:
    """The largest number with ``digits`` significant digits that is <= ``value``.

    For lower bounds in the prose: "at least {round_down(x)}" stays true.

    Parameters
    ----------
    value : float
        A finite real number (a NumPy scalar, or a one-element array or tensor, is fine).
    digits : int
        Significant digits to keep, 1 to 15.

    Returns
    -------
    float
    """
    value, unit = _significant(value, digits)
    result = math.floor(value / unit) * unit
    return result if result <= value else result - unit
