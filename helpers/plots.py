"""Plots the lessons share: data coloured by class, loss curves with a floor, variance bars."""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes

from ._checks import as_float_array, check_positive_float
from .style import CYCLE, PALETTE

_MARKERS = ("o", "s", "^", "D", "v", "P")

# Appearance only: sizes, line styles, offsets. Checked by eye in the built book, not
# by the unit tests, so `make mutation` leaves these lines alone.
# pragma: no mutate start
_SIZE = {"scatter": (4.5, 3.8), "loss": (6.0, 3.4), "bars": (5.0, 3.2), "seeds": (4.0, 2.8)}
_SCATTER = dict(s=18, alpha=0.8, edgecolors="none")
# the floor is drawn above the curve: visible where the loss runs along it
_FLOOR = dict(ls="--", lw=1.5, zorder=3)
_BARS = dict(width=0.6)
_TOTAL = dict(marker="D", ls="-", ms=5, lw=1)
_TOTAL_SHIFT = 0.38     # the running total sits beside the bars, never over a bar's label
_TALL = 15              # a bar of more than 15 % has its label inside, in white
_INSIDE = dict(ha="center", va="center", fontsize=8)
_ABOVE_IT = dict(ha="center", va="bottom", fontsize=8)
_ABOVE, _TOTAL_ABOVE = 1.5, 3   # gaps between a bar or a total and its label, in %
_BARS_X = (0.5, 0.8)    # x limits: 0.5, and n + 0.8
_BARS_YLIM = (0, 115)
_DOTS = dict(ms=4)
_HIGHLIGHT = dict(ms=9, mfc="none", mew=1.5)
_REFERENCE = dict(ls="--", lw=1)
_SMALL_LEGEND = dict(fontsize=8)
_SCATTER_LEGEND = dict(loc="best", fontsize=8)
_BARS_LEGEND = dict(loc="center right")
# pragma: no mutate end


def _axes(ax: Axes | None, size: tuple[float, float]) -> Axes:
    return plt.subplots(figsize=size)[1] if ax is None else ax


def scatter_by_class(Z: np.ndarray, y: np.ndarray, class_names: Sequence[str],
                     ax: Axes | None = None, xlabel: str = "component 1",
                     ylabel: str = "component 2", title: str | None = None) -> Axes:
    """Scatter 2-D points, one colour and marker per class.

    Parameters
    ----------
    Z : array of shape (N, 2)
        The points, e.g. PCA scores or autoencoder codes.
    y : array of shape (N,)
        Integer class labels in ``range(len(class_names))``.
    class_names : sequence of str
        A legend entry per class (at most 6).

    Returns
    -------
    Axes
    """
    Z = as_float_array(Z, "Z", shape=(None, 2))
    labels = np.asarray(y)
    if labels.shape != (Z.shape[0],) or not np.issubdtype(labels.dtype, np.integer):
        raise ValueError(f"y must be an integer array of shape ({Z.shape[0]},), "
                         f"got {labels.dtype} with shape {labels.shape}")
    if isinstance(class_names, str) or not all(isinstance(c, str) for c in class_names):
        raise TypeError(f"class_names must be a sequence of strings, got {class_names!r}")
    if not 1 <= len(class_names) <= len(_MARKERS):
        raise ValueError(f"class_names must have 1 to {len(_MARKERS)} entries, got {len(class_names)}")
    if labels.min() < 0 or labels.max() >= len(class_names):
        raise ValueError(f"y must lie in [0, {len(class_names) - 1}], "
                         f"got [{labels.min()}, {labels.max()}]")
    ax = _axes(ax, _SIZE["scatter"])
    for k, name in enumerate(class_names):
        pts = Z[labels == k]
        ax.scatter(pts[:, 0], pts[:, 1], marker=_MARKERS[k], label=name,
                   color=PALETTE[CYCLE[k]],
                   **_SCATTER)  # pragma: no mutate (appearance)
    ax.set(xlabel=xlabel, ylabel=ylabel)
    if title:
        ax.set_title(title)
    ax.legend(**_SCATTER_LEGEND)  # pragma: no mutate (appearance)
    return ax


def loss_curve(history: np.ndarray, floor: float | None = None, ax: Axes | None = None,
               label: str = "training", floor_label: str = "Eckart–Young bound",
               xlabel: str = "epoch", ylabel: str = "full-data MSE") -> Axes:
    """Plot a loss history on a log scale, with an optional floor line.

    Parameters
    ----------
    history : array of shape (T,)
        The loss after each epoch or step; all > 0.
    floor : float, optional
        The smallest loss possible, drawn dashed.

    Returns
    -------
    Axes
    """
    history = as_float_array(history, "history", ndim=1)
    if np.any(history <= 0):
        raise ValueError("history must be > 0 for a log scale")
    if floor is not None:  # checked before anything is drawn
        floor = check_positive_float(floor, "floor")
    ax = _axes(ax, _SIZE["loss"])
    ax.semilogy(np.arange(1, history.size + 1), history, label=label)
    if floor is not None:
        ax.axhline(floor, color=PALETTE["vermillion"], label=floor_label,
                   **_FLOOR)  # pragma: no mutate (appearance)
    ax.set(xlabel=xlabel, ylabel=ylabel + " (log scale)")
    ax.legend()
    return ax


def variance_bars(eigenvalues: np.ndarray, ax: Axes | None = None) -> Axes:
    """Bars of each component's share of the variance, with the running total.

    Parameters
    ----------
    eigenvalues : array of shape (n,)
        Sorted in decreasing order, all >= 0, not all zero.

    Returns
    -------
    Axes
    """
    values = as_float_array(eigenvalues, "eigenvalues", ndim=1)
    if np.any(values < 0) or values.sum() == 0:
        raise ValueError("eigenvalues must be >= 0 and not all zero")
    if np.any(np.diff(values) > 0):
        raise ValueError("eigenvalues must be sorted in decreasing order")
    share = values / values.sum() * 100
    ax = _axes(ax, _SIZE["bars"])
    idx = np.arange(1, values.size + 1)
    total = np.cumsum(share)
    ax.bar(idx, share, color=PALETTE["blue"], label="this component",
           **_BARS)  # pragma: no mutate (appearance)
    ax.plot(idx + _TOTAL_SHIFT, total, color=PALETTE["orange"], label="running total",
            **_TOTAL)  # pragma: no mutate (appearance)
    for i, s in zip(idx, share):
        if s > _TALL:   # a tall bar: its label goes inside, in white
            ax.text(i, s / 2, f"{s:.1f} %", color="white",
                    **_INSIDE)  # pragma: no mutate (appearance)
        else:
            ax.text(i, s + _ABOVE, f"{s:.1f} %",
                    **_ABOVE_IT)  # pragma: no mutate (appearance)
    for i, t in zip(idx[1:], total[1:]):   # the first total is the first bar
        ax.text(i + _TOTAL_SHIFT, t + _TOTAL_ABOVE, f"{t:.1f} %",
                **_ABOVE_IT)  # pragma: no mutate (appearance)
    ax.set(xlabel="principal component", ylabel="share of variance (%)", xticks=idx,
           xlim=(_BARS_X[0], values.size + _BARS_X[1]), ylim=_BARS_YLIM)
    ax.legend(**_BARS_LEGEND)  # pragma: no mutate (appearance)
    return ax


def per_seed(values: np.ndarray, seeds: np.ndarray | Sequence[int] | None = None,
             ax: Axes | None = None, ylabel: str = "value",
             reference: float | None = None, reference_label: str | None = None,
             highlight: int | None = None) -> Axes:
    """One dot per training seed, to show how a measured quantity spreads.

    Parameters
    ----------
    values : array of shape (S,)
        The quantity, one value per seed.
    seeds : array of shape (S,), optional
        The seeds, for the x axis; default ``0, ..., S - 1``.
    reference : float, optional
        A value to compare with (e.g. a bound), drawn dashed.
    reference_label : str, optional
        Its legend entry.
    highlight : int, optional
        A seed to mark with a larger open circle (e.g. the one the text uses).

    Returns
    -------
    Axes
    """
    values = as_float_array(values, "values", ndim=1)
    seeds = (np.arange(values.size) if seeds is None
             else as_float_array(seeds, "seeds", shape=(values.size,)))
    if reference is not None:
        reference = float(as_float_array(reference, "reference", ndim=0))
    if highlight is not None and highlight not in seeds:
        raise ValueError(f"highlight must be one of the seeds, got {highlight}")
    ax = _axes(ax, _SIZE["seeds"])
    ax.plot(seeds, values, "o", color=PALETTE["blue"],
            **_DOTS)  # pragma: no mutate (appearance)
    if highlight is not None:
        i = int(np.flatnonzero(seeds == highlight)[0])
        ax.plot(seeds[i], values[i], "o", color=PALETTE["vermillion"],
                label=f"seed {highlight}",
                **_HIGHLIGHT)  # pragma: no mutate (appearance)
    if reference is not None:
        ax.axhline(reference, color=PALETTE["black"], label=reference_label,
                   **_REFERENCE)  # pragma: no mutate (appearance)
    ax.set(xlabel="seed", ylabel=ylabel)
    if highlight is not None or reference_label:
        ax.legend(**_SMALL_LEGEND)  # pragma: no mutate (appearance)
    return ax
