"""Plots the lessons share: data coloured by class, loss curves with a floor, variance bars."""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes

from ._checks import as_float_array, check_positive_float
from .style import CYCLE, PALETTE

_MARKERS = ("o", "s", "^", "D", "v", "P")


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
    ax = _axes(ax, (4.5, 3.8))
    for k, name in enumerate(class_names):
        pts = Z[labels == k]
        ax.scatter(pts[:, 0], pts[:, 1], s=18, marker=_MARKERS[k], label=name,
                   color=PALETTE[CYCLE[k]], alpha=0.8, edgecolors="none")
    ax.set(xlabel=xlabel, ylabel=ylabel)
    if title:
        ax.set_title(title)
    ax.legend(loc="best", fontsize=8)
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
    ax = _axes(ax, (6.0, 3.4))
    ax.semilogy(np.arange(1, history.size + 1), history, label=label)
    if floor is not None:
        # drawn above the curve, so it stays visible where the loss runs along it
        ax.axhline(floor, color=PALETTE["vermillion"], ls="--", lw=1.5, label=floor_label,
                   zorder=3)
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
    share = values / values.sum()
    ax = _axes(ax, (5.0, 3.2))
    idx = np.arange(1, values.size + 1)
    total = np.cumsum(share) * 100
    ax.bar(idx, share * 100, width=0.6, color=PALETTE["blue"], label="this component")
    # the running total as diamonds beside the bars, so it never covers a bar's label
    ax.plot(idx + 0.38, total, "D-", ms=5, lw=1, color=PALETTE["orange"],
            label="running total")
    for i, s in zip(idx, share * 100):
        if s > 15:   # a tall bar: its label goes inside, in white
            ax.text(i, s / 2, f"{s:.1f} %", ha="center", va="center", fontsize=8,
                    color="white")
        else:
            ax.text(i, s + 1.5, f"{s:.1f} %", ha="center", va="bottom", fontsize=8)
    for i, t in zip(idx[1:], total[1:]):   # the first total is the first bar
        ax.text(i + 0.38, t + 3, f"{t:.1f} %", ha="center", va="bottom", fontsize=8)
    ax.set(xlabel="principal component", ylabel="share of variance (%)",
           xticks=idx, xlim=(0.5, values.size + 0.8), ylim=(0, 115))
    ax.legend(loc="center right")
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
    ax = _axes(ax, (4.0, 2.8))
    ax.plot(seeds, values, "o", ms=4, color=PALETTE["blue"])
    if highlight is not None:
        i = int(np.flatnonzero(seeds == highlight)[0])
        ax.plot(seeds[i], values[i], "o", ms=9, mfc="none", mew=1.5,
                color=PALETTE["vermillion"], label=f"seed {highlight}")
    if reference is not None:
        ax.axhline(reference, color=PALETTE["black"], ls="--", lw=1,
                   label=reference_label)
    ax.set(xlabel="seed", ylabel=ylabel)
    if highlight is not None or reference_label:
        ax.legend(fontsize=8)
    return ax
