"""Diagrams drawn by code: autoencoder networks and the symbols of the general form."""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib.pyplot as plt
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import Circle, FancyArrowPatch, FancyBboxPatch

from ._checks import check_int
from .style import PAGE_WIDTH, PALETTE


def _new_axes(ax: Axes | None, size: tuple[float, float]) -> tuple[Figure, Axes]:
    if ax is None:
        fig, ax = plt.subplots(figsize=size)
    else:
        fig = ax.figure
    ax.set_axis_off()
    ax.set_aspect("equal")
    return fig, ax


def draw_network(widths: Sequence[int], ax: Axes | None = None,
                 layer_names: Sequence[str] | None = None,
                 show_parts: bool = True, title: str | None = None) -> Figure:
    """Draw a fully connected autoencoder, one column of units per layer.

    Parameters
    ----------
    widths : sequence of int
        Units per layer, input first, e.g. ``[4, 2, 4]``; at least 3 layers,
        an odd number, symmetric around the code layer in the middle.
    ax : Axes, optional
        Where to draw; a new figure is made if omitted.
    layer_names : sequence of str, optional
        A label under each layer.
    show_parts : bool
        Bracket the encoder, the code and the decoder.
    title : str, optional
        A title above the drawing.

    Returns
    -------
    Figure
    """
    widths = [check_int(w, "widths[i]", low=1, high=12) for w in widths]
    if len(widths) < 3 or len(widths) % 2 == 0:
        raise ValueError(f"widths must have an odd number (>= 3) of layers, got {len(widths)}")
    if layer_names is not None and len(layer_names) != len(widths):
        raise ValueError(f"layer_names must have {len(widths)} entries, got {len(layer_names)}")
    n_layers = len(widths)
    middle = n_layers // 2
    dx, dy, r = 2.2, 0.75, 0.22
    fig, ax = _new_axes(ax, (min(PAGE_WIDTH, 1.5 + 1.3 * n_layers), 3.6))
    centres = []
    for i, w in enumerate(widths):
        ys = [(j - (w - 1) / 2) * dy for j in range(w)]
        centres.append([(i * dx, y) for y in ys])
    for left, right in zip(centres, centres[1:]):
        for (x0, y0) in left:
            for (x1, y1) in right:
                ax.plot([x0 + r, x1 - r], [y0, y1], color=PALETTE["grey"], lw=0.6,
                        alpha=0.6, zorder=1)
    for i, layer in enumerate(centres):
        colour = (PALETTE["orange"] if i == middle
                  else PALETTE["blue"] if i < middle else PALETTE["green"])
        for (x, y) in layer:
            ax.add_patch(Circle((x, y), r, facecolor=colour, edgecolor="black",
                                lw=0.8, zorder=2))
    top = max(widths) / 2 * dy + 0.3
    bottom = -top
    if layer_names is not None:
        for i, name in enumerate(layer_names):
            ax.text(i * dx, bottom - 0.1, name, ha="center", va="top", fontsize=9)
    if show_parts:
        parts = [(0, middle, "encoder", PALETTE["blue"]),
                 (middle, n_layers - 1, "decoder", PALETTE["green"])]
        for start, stop, label, colour in parts:
            x0, x1 = start * dx, stop * dx
            ax.annotate("", xy=(x1, top), xytext=(x0, top),
                        arrowprops=dict(arrowstyle="->", color=colour, lw=1.5))
            ax.text((x0 + x1) / 2, top + 0.12, label, ha="center", va="bottom",
                    color=colour, fontsize=10, fontweight="bold")
        code_bottom = min(y for _, y in centres[middle]) - r - 0.08
        ax.text(middle * dx, code_bottom, "code", ha="center", va="top",
                color=PALETTE["vermillion"], fontsize=9, fontweight="bold")
    ax.set_xlim(-0.6, (n_layers - 1) * dx + 0.6)
    ax.set_ylim(bottom - (0.7 if layer_names is not None else 0.4), top + 0.6)
    if title:
        ax.set_title(title)
    return fig


def draw_symbols(ax: Axes | None = None) -> Figure:
    """Draw the general form as a block diagram with every symbol named.

    x (n) -> [W, b, phi] -> h (m) -> [W~, b~, phi~] -> x~ (n).

    Returns
    -------
    Figure
    """
    fig, ax = _new_axes(ax, (PAGE_WIDTH, 2.2))
    boxes = [
        (0.0, r"$\boldsymbol{x}$", "input\n$n$ values", PALETTE["blue"]),
        (4.2, r"$\boldsymbol{h}$", "code\n$m$ values", PALETTE["orange"]),
        (8.4, r"$\tilde{\boldsymbol{x}}$", "output\n$n$ values", PALETTE["green"]),
    ]
    for x, symbol, note, colour in boxes:
        ax.add_patch(FancyBboxPatch((x - 0.45, -0.4), 0.9, 0.8,
                                    boxstyle="round,pad=0.05", facecolor=colour,
                                    alpha=0.25, edgecolor=colour, lw=1.5))
        ax.text(x, 0, symbol, ha="center", va="center", fontsize=16)
        ax.text(x, -0.62, note, ha="center", va="top", fontsize=9)
    steps = [(0.5, 3.7, r"$\phi(\boldsymbol{W}\boldsymbol{x}+\boldsymbol{b})$",
              "encoder: weight $\\boldsymbol{W}$ ($m\\times n$),\nbias $\\boldsymbol{b}$,"
              " activation $\\phi$"),
             (4.7, 7.9, r"$\tilde\phi(\tilde{\boldsymbol{W}}\boldsymbol{h}+\tilde{\boldsymbol{b}})$",
              "decoder: weight $\\tilde{\\boldsymbol{W}}$ ($n\\times m$),\nbias "
              "$\\tilde{\\boldsymbol{b}}$, activation $\\tilde\\phi$")]
    for x0, x1, formula, note in steps:
        ax.add_patch(FancyArrowPatch((x0, 0), (x1, 0), arrowstyle="-|>",
                                     mutation_scale=16, lw=1.5, color="black"))
        ax.text((x0 + x1) / 2, 0.15, formula, ha="center", va="bottom", fontsize=11)
        ax.text((x0 + x1) / 2, -0.2, note, ha="center", va="top", fontsize=8.5)
    ax.set_xlim(-0.7, 9.1)
    ax.set_ylim(-1.4, 0.9)
    return fig
