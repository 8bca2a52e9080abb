"""Glue computed values into the prose of a lesson.

On the built site the values are stored with myst-nb's ``glue`` and shown in
the text with ``{glue:text}`name:.3f```. Where myst-nb is not installed (for
example in Colab) :func:`glue` still runs: it returns the value and, if
``display`` is true, shows it.
"""

from __future__ import annotations

import math
import numbers
import re
from typing import Any

from matplotlib.figure import Figure

from ._checks import check_bool

try:  # pragma: no cover - which branch runs depends on the environment
    from myst_nb import glue as _myst_glue
except ImportError:  # pragma: no cover
    _myst_glue = None


def _prose_value(name: str, value: Any) -> int | float | str | Figure:
    """``value`` as the prose can format it, or a named error."""
    if hasattr(value, "item") and hasattr(value, "shape"):   # NumPy or torch
        size = math.prod(value.shape)
        if size != 1:
            raise TypeError(f"glue {name!r}: an array or tensor must hold one number, "
                            f"got shape {tuple(value.shape)}")
        value = value.item()   # one element -> a Python scalar, so :.3f works
    if isinstance(value, (str, Figure)):
        return value
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"glue {name!r}: value must be a real number, a string or a "
                        f"matplotlib figure, got {type(value).__name__}")
    if not math.isfinite(value):
        raise ValueError(f"glue {name!r}: value must be finite, got {value}")
    return value if isinstance(value, int) else float(value)


def glue(name: str, value: Any, display: bool = False) -> int | float | str | Figure:
    """Store ``value`` under ``name`` for the page's prose and return it.

    Parameters
    ----------
    name : str
        The key the prose refers to; letters, digits and ``_`` only.
    value : int, float, str or matplotlib Figure
        What the prose shows. A NumPy or torch scalar, or an array or tensor
        holding exactly one element, is unwrapped into a Python ``int`` or
        ``float``. NaN, infinity, booleans, larger arrays and other objects
        are refused: the prose could only show them as their repr.
    display : bool
        Also show the value in the cell output.

    Returns
    -------
    int, float, str or Figure
        The value as stored (unwrapped).

    Raises
    ------
    TypeError
        If ``name`` is not a string, or ``value`` is of a kind the prose
        cannot format; the message names the key.
    ValueError
        If ``name`` has characters other than letters, digits and ``_``, or
        ``value`` is NaN or infinite.
    """
    if not isinstance(name, str):
        raise TypeError(f"name must be a string, got {type(name).__name__}")
    if not re.fullmatch(r"\w+", name):
        raise ValueError(f"name must be a non-empty string of letters, digits "
                         f"and '_', got {name!r}")
    display = check_bool(display, "display")
    value = _prose_value(name, value)
    if _myst_glue is not None:
        _myst_glue(name, value, display=display)
    elif display:  # pragma: no cover - only without myst-nb
        from IPython.display import display as show
        show(value)
    return value
