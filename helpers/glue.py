"""Glue computed values into the prose of a lesson.

On the built site the values are stored with myst-nb's ``glue`` and shown in
the text with ``{glue:text}`name:.3f```. Where myst-nb is not installed (for
example in Colab) :func:`glue` still runs: it returns the value and, if
``display`` is true, shows it.
"""

from __future__ import annotations

from typing import TypeVar

T = TypeVar("T")

try:  # pragma: no cover - which branch runs depends on the environment
    from myst_nb import glue as _myst_glue
except ImportError:  # pragma: no cover
    _myst_glue = None


def glue(name: str, value: T, display: bool = False) -> T:
    """Store ``value`` under ``name`` for the page's prose and return it.

    Parameters
    ----------
    name : str
        The key the prose refers to; letters, digits and ``_`` only.
    value : object
        A number, a string or a matplotlib figure.
    display : bool
        Also show the value in the cell output.
    """
    if not isinstance(name, str) or not name or not name.replace("_", "a").isalnum():
        raise ValueError(f"name must be a non-empty string of letters, digits "
                         f"and '_', got {name!r}")
    if hasattr(value, "item") and getattr(value, "ndim", 1) == 0:
        value = value.item()  # numpy or torch scalar -> float, so formats like :.3f work
    if _myst_glue is not None:
        _myst_glue(name, value, display=display)
    elif display:  # pragma: no cover - only without myst-nb
        from IPython.display import display as show
        show(value)
    return value
