"""Grids of small images: digits in grey, signed weights in a diverging colour map.

A row of the digits data (64 pixels) or a column of a weight matrix (64
weights) is an 8 x 8 image once reshaped row by row, as scikit-learn's
``load_digits().images`` are. Two kinds of image are drawn differently:

- ``"pixels"``: intensities in [0, 1], in grey (0 white, 1 black, like ink on
  paper), on a fixed scale so that every image is comparable;
- ``"signed"``: weights of either sign, in a diverging colour map centred at
  zero (white), with one symmetric scale for the whole grid and a colour bar.

Both use nearest-neighbour interpolation, so that every pixel stays a square.
The whole grid is drawn as one mosaic image in one axes, with a thin frame
around each tile: a grid of 48 digits then costs one image, not 48 axes.
"""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.collections import PatchCollection
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from ._checks import as_float_array, check_choice, check_int, check_positive_float
from .style import PAGE_WIDTH

#: Colour maps by kind. RdBu is diverging and safe for the common colour-vision
#: deficiencies (ColorBrewer); grey needs no colour vision at all.
CMAPS = {"pixels": "gray_r", "signed": "RdBu_r"}
_FRAME = "#BBBBBB"
_GAP = 0.25          # gap between tiles, as a fraction of a tile's width
_TITLE = 0.24        # room for a title of 9 points above a tile, in inches
_LABEL = 1.05        # room for row labels of 10 points on the left, in inches
_BAR = 0.95          # room for the colour bar on the right, in inches


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
               colorbar_label: str = "weight", image_size: float = 0.62,
               fontsize: float = 9) -> Figure:
    """Draw images as a grid of small framed tiles, one image a tile.

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
        Width of one tile in inches; the figure is at most the page width.
    fontsize : float
        Size of the titles and of the colour bar's tick labels, in points; row
        labels and the colour bar's label are one point larger. A figure wider
        than the page is shrunk to fit, so larger text keeps it readable.

    Returns
    -------
    Figure
        One axes holds the mosaic (its only image) and the frames; a
        "signed" grid has a second axes, the colour bar.
    """
    kind = check_choice(kind, "kind", tuple(CMAPS))
    if not isinstance(shape, tuple) or len(shape) != 2:
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
    fontsize = check_positive_float(fontsize, "fontsize")
    if kind == "pixels":
        low, high = 0.0, 1.0
    else:
        largest = float(np.nanmax(np.abs(grid)))
        high = (check_positive_float(vmax, "vmax") if vmax is not None
                else largest if largest > 0 else 1.0)
        low = -high

    # The mosaic, in pixel units: tiles of width x height with a gap between
    # them and, if there are titles, a band above each row of tiles for them.
    # Its layout (margins in inches, the width of the gap and of the band, the figure's
    # size, where the text and the colour bar go, the frames' colour and line width) is
    # appearance: checked by eye on lesson 8's page, and by the tests of what it promises
    # (at most a page wide, more room for larger text, one frame per tile, the tiles'
    # places). So `make mutation` leaves these lines alone; what each tile shows, the
    # colour scale and the input checks are mutated.
    # pragma: no mutate start
    left = _LABEL * (fontsize + 1) / 10 if row_labels else 0.05
    right = _BAR if kind == "signed" else 0.05
    gap = max(1, round(_GAP * width))
    pitch_x = width + gap
    mosaic_w = ncols * pitch_x - gap
    unit = min(size / width, (PAGE_WIDTH - left - right) / mosaic_w)  # inches
    band = int(np.ceil(_TITLE * fontsize / 9 / unit)) if titles else 0
    pitch_y = band + height + gap
    # pragma: no mutate end
    mosaic = np.full((nrows * pitch_y - gap, mosaic_w), np.nan)
    tiles = []                                   # top-left corner of each image
    for r in range(nrows):
        for c in range(ncols):
            if np.all(np.isnan(grid[r, c])):     # padding after the last image
                continue
            y, x = r * pitch_y + band, c * pitch_x
            mosaic[y:y + height, x:x + width] = grid[r, c].reshape(height, width)
            tiles.append((x, y))

    # pragma: no mutate start
    fig_w = left + mosaic_w * unit + right
    fig_h = mosaic.shape[0] * unit + 0.1
    fig = plt.figure(figsize=(fig_w, fig_h))
    ax = fig.add_axes((left / fig_w, 0.05 / fig_h, mosaic_w * unit / fig_w,
                       mosaic.shape[0] * unit / fig_h))
    # pragma: no mutate end
    cmap = plt.get_cmap(CMAPS[kind]).with_extremes(bad=(1.0, 1.0, 1.0, 0.0))
    shown = ax.imshow(mosaic, cmap=cmap, vmin=low, vmax=high, interpolation="nearest")
    frames = [Rectangle((x - 0.5, y - 0.5), width, height) for x, y in tiles]
    # pragma: no mutate start
    ax.add_collection(PatchCollection(frames, facecolor="none", edgecolor=_FRAME,
                                      linewidth=0.6, clip_on=False))
    # pragma: no mutate end
    for i, (x, y) in enumerate(tiles if titles else []):
        # pragma: no mutate block
        ax.text(x + width / 2 - 0.5, y - 0.8, titles[i], ha="center", va="bottom",
                fontsize=fontsize)
    for r, label in enumerate(row_labels or []):
        # pragma: no mutate block
        ax.text(-0.5 - gap, r * pitch_y + band + height / 2 - 0.5, label,
                ha="right", va="center", fontsize=fontsize + 1)
    ax.set_axis_off()
    if kind == "signed":
        # pragma: no mutate start
        bar_ax = fig.add_axes(((left + mosaic_w * unit + 0.15) / fig_w, 0.1, 0.12 / fig_w,
                               0.8))
        # pragma: no mutate end
        bar = fig.colorbar(shown, cax=bar_ax)
        bar.set_label(colorbar_label, fontsize=fontsize + 1)
        bar.ax.tick_params(labelsize=fontsize)
    return fig
