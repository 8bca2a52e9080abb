"""Grids of small images: digits in grey, signed weights in a diverging colour map.

A row of the digits data (64 pixels) or a column of a weight matrix (64
weights) is an 8 x 8 image once reshaped row by row, as scikit-learn's
``load_digits().images`` are. Two kinds of image are drawn differently:

- ``"pixels"``: intensities in [0, 1], in grey (0 white, 1 black, like ink on
  paper), on a fixed scale so that every image is comparable;
- ``"signed"``: weights of either sign, in a diverging colour map centred at
  zero (white), with one symmetric scale for the whole grid and a colour bar.

Both use nearest-neighbour interpolation, so that every pixel stays a square.
"""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure

from ._checks import as_float_array, check_choice, check_int, check_positive_float
from .style import PAGE_WIDTH

#: Colour maps by kind. RdBu is diverging and safe for the common colour-vision
#: deficiencies (ColorBrewer); grey needs no colour vision at all.
CMAPS = {"pixels": "gray_r", "signed": "RdBu_r"}
_FRAME = "#BBBBBB"


def _grid(images: np.ndarray, ncols: int | None) -> np.ndarray:
    """Arrange (K, n) as (rows, cols, n), padding the last row with NaN."""
    if images.ndim == 3:
        if ncols is not None:
            raise ValueError("ncols only applies to a 2-D stack of images (K, n); "
                             f"got a grid of shape {images.shape}")
        return images
    count = images.shape[0]
    ncols = count if ncols is None else check_int(ncols, "ncols", low=1)
    nrows = -(-count // ncols)
    padded = np.full((nrows * ncols, images.shape[1]), np.nan)
    padded[:count] = images
    return padded.reshape(nrows, ncols, images.shape[1])


def _labels(values: Sequence[str] | None, length: int, name: str) -> list[str] | None:
    if values is None:
        return None
    if isinstance(values, str) or len(values) != length:
        raise ValueError(f"{name} must be a sequence of {length} strings, got {values!r}")
    return [str(v) for v in values]


def image_grid(images: np.ndarray, kind: str = "pixels", shape: tuple[int, int] = (8, 8),
               ncols: int | None = None, row_labels: Sequence[str] | None = None,
               titles: Sequence[str] | None = None, vmax: float | None = None,
               colorbar_label: str = "weight", image_size: float = 0.62) -> Figure:
    """Draw images as a grid of small panels, one image a panel.

    Parameters
    ----------
    images : array of shape (K, n) or (rows, cols, n)
        Each image is a vector of ``n = shape[0] * shape[1]`` values, reshaped
        row by row. A 2-D stack is drawn as one row (or wrapped after
        ``ncols`` images); a 3-D array gives the grid itself.
    kind : {"pixels", "signed"}
        "pixels": intensities, drawn in grey on the fixed scale [0, 1]
        (values outside are drawn as 0 or 1). "signed": weights, drawn in a
        diverging colour map centred at 0 with limits ``-vmax, vmax`` and a
        colour bar.
    shape : (int, int)
        Height and width of one image.
    ncols : int, optional
        Wrap a 2-D stack after this many images.
    row_labels : sequence of str, optional
        One label per row, written to the left of the row.
    titles : sequence of str, optional
        One title per image, in reading order.
    vmax : float, optional
        For "signed": the colour limit; default the largest absolute value.
    colorbar_label : str
        For "signed": the colour bar's label.
    image_size : float
        Width of one panel in inches; the figure is at most the page width.

    Returns
    -------
    Figure
    """
    kind = check_choice(kind, "kind", tuple(CMAPS))
    if (not isinstance(shape, tuple) or len(shape) != 2):
        raise TypeError(f"shape must be a tuple of two integers, got {shape!r}")
    height = check_int(shape[0], "shape[0]", low=1)
    width = check_int(shape[1], "shape[1]", low=1)
    images = as_float_array(images, "images")
    if images.ndim not in (2, 3):
        raise ValueError(f"images must be a 2-D (K, n) or 3-D (rows, cols, n) array, "
                         f"got shape {images.shape}")
    if images.shape[-1] != height * width:
        raise ValueError(f"images must have {height * width} values each (shape {shape}), "
                         f"got {images.shape[-1]}")
    count = images.shape[0] if images.ndim == 2 else images.shape[0] * images.shape[1]
    grid = _grid(images, ncols)
    nrows, ncols = grid.shape[:2]
    row_labels = _labels(row_labels, nrows, "row_labels")
    titles = _labels(titles, count, "titles")
    size = check_positive_float(image_size, "image_size")

    if kind == "pixels":
        low, high = 0.0, 1.0
    else:
        largest = float(np.nanmax(np.abs(grid)))
        high = (check_positive_float(vmax, "vmax") if vmax is not None
                else largest if largest > 0 else 1.0)
        low = -high
    extra = 0.9 if kind == "signed" else 0.0
    label_room = 0.7 if row_labels else 0.0
    fig_width = min(PAGE_WIDTH, ncols * size + label_room + extra)
    panel = (fig_width - label_room - extra) / ncols
    title_room = 0.25 if titles else 0.05
    fig, axes = plt.subplots(nrows, ncols, squeeze=False,
                             figsize=(fig_width, nrows * (panel * height / width + title_room)),
                             layout="constrained")
    shown = None
    for r in range(nrows):
        for c in range(ncols):
            ax = axes[r, c]
            ax.set_xticks([])
            ax.set_yticks([])
            ax.grid(False)
            if np.all(np.isnan(grid[r, c])):   # padding after the last image
                ax.set_axis_off()
                continue
            shown = ax.imshow(grid[r, c].reshape(height, width), cmap=CMAPS[kind],
                              vmin=low, vmax=high, interpolation="nearest")
            for spine in ax.spines.values():
                spine.set_visible(True)
                spine.set_color(_FRAME)
                spine.set_linewidth(0.6)
            if titles:
                ax.set_title(titles[r * ncols + c], fontsize=9, pad=2)
        if row_labels:
            axes[r, 0].set_ylabel(row_labels[r], rotation=0, ha="right", va="center",
                                  fontsize=10, labelpad=6)
    if kind == "signed" and shown is not None:
        bar = fig.colorbar(shown, ax=axes, shrink=0.9, aspect=20 * max(1, nrows) / 2,
                           pad=0.02)
        bar.set_label(colorbar_label, fontsize=10)
        bar.ax.tick_params(labelsize=9)
    return fig
