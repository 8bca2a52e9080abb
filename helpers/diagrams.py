"""Diagrams drawn by code: autoencoder networks, the symbols of the general form,
and the taxonomy of lesson 2 (width classes, activations, the six classes)."""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import Circle, FancyArrowPatch, FancyBboxPatch

from ._checks import check_bool, check_choice, check_int, check_positive_float
from .models import ACTIVATIONS, LINEAR_ACTIVATIONS, classify
from .style import PAGE_WIDTH, PALETTE, japanese_text_families


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
    show_parts = check_bool(show_parts, "show_parts")
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


# --- The taxonomy of lesson 2 -------------------------------------------------

#: Names of the width classes, in the order undercomplete, complete, overcomplete.
WIDTH_CLASSES = ("undercomplete", "complete", "overcomplete")


def _check_taxonomy_widths(n_inputs: int, hidden: Sequence[int]) -> tuple[int, list[int]]:
    """Check n and three hidden widths m < n, m = n, m > n (in that order)."""
    n = check_int(n_inputs, "n_inputs", low=2, high=11)
    if isinstance(hidden, (str, bytes)) or not isinstance(hidden, Sequence):
        raise TypeError(f"hidden must be a sequence of 3 integers, got {type(hidden).__name__}")
    if len(hidden) != 3:
        raise ValueError(f"hidden must have 3 widths (m < n, m = n, m > n), got {len(hidden)}")
    ms = [check_int(m, "hidden[i]", low=1, high=12) for m in hidden]
    if not (ms[0] < n == ms[1] < ms[2]):
        raise ValueError(f"hidden must be (m < n, m = n, m > n) for n_inputs={n}, got {ms}")
    return n, ms


def _network_grid(axes: Sequence[Axes], n: int, ms: Sequence[int]) -> None:
    """Draw n -> m -> n networks, one per axes, all at the same scale."""
    for ax, m in zip(axes, ms):
        draw_network([n, m, n], ax=ax, show_parts=False)
    x0 = min(ax.get_xlim()[0] for ax in axes)
    x1 = max(ax.get_xlim()[1] for ax in axes)
    y0 = min(ax.get_ylim()[0] for ax in axes)
    y1 = max(ax.get_ylim()[1] for ax in axes)
    for ax in axes:
        ax.set_xlim(x0, x1)
        ax.set_ylim(y0, y1)


def draw_width_classes(n_inputs: int = 4, hidden: Sequence[int] = (2, 4, 8)) -> Figure:
    """Draw the three width classes side by side: m < n, m = n, m > n.

    Parameters
    ----------
    n_inputs : int
        n, the width of the input and output layers (2 to 11).
    hidden : sequence of 3 int
        The hidden widths m of the three panels, in the order m < n, m = n,
        m > n (each 1 to 12).

    Returns
    -------
    Figure
        One figure with three axes, drawn at the same scale.
    """
    n, ms = _check_taxonomy_widths(n_inputs, hidden)
    fig, axes = plt.subplots(1, 3, figsize=(PAGE_WIDTH, 3.0))
    _network_grid(axes, n, ms)
    signs = ("<", "=", ">")
    for ax, m, name, sign in zip(axes, ms, WIDTH_CLASSES, signs):
        ax.set_title(f"{name}\n$m = {m} {sign} n = {n}$", fontsize=10)
    return fig


def _activation(name: str):
    """The NumPy function for an activation name of :data:`helpers.ACTIVATIONS`."""
    functions = {
        "identity": lambda z: z,
        "tanh": np.tanh,
        "sigmoid": lambda z: 1 / (1 + np.exp(-z)),
        "relu": lambda z: np.maximum(z, 0.0),
    }
    return functions[name]


def draw_activations(names: Sequence[str] = ("identity", "tanh", "sigmoid", "relu"),
                     z_max: float = 3.0, near_linear: float | None = 0.5,
                     ax: Axes | None = None) -> Figure:
    """Plot activation functions phi(z) on [-z_max, z_max].

    Parameters
    ----------
    names : sequence of str
        Names from :data:`helpers.ACTIVATIONS`; the identity is drawn dashed.
    z_max : float
        Half the width of the plotted range (> 0).
    near_linear : float, optional
        Shade the band |z| < near_linear (must be < z_max); None for no band.
    ax : Axes, optional
        Where to draw; a new figure is made if omitted.

    Returns
    -------
    Figure
    """
    if isinstance(names, (str, bytes)) or not isinstance(names, Sequence) or not names:
        raise TypeError("names must be a non-empty sequence of activation names, "
                        f"got {names!r}")
    for name in names:
        check_choice(name, "names[i]", tuple(ACTIVATIONS))
    z_max = check_positive_float(z_max, "z_max")
    if near_linear is not None:
        near_linear = check_positive_float(near_linear, "near_linear")
        if near_linear >= z_max:
            raise ValueError(f"near_linear must be < z_max = {z_max}, got {near_linear}")
    if ax is None:
        fig, ax = plt.subplots(figsize=(PAGE_WIDTH * 0.7, 3.4))
    else:
        fig = ax.figure
    z = np.linspace(-z_max, z_max, 401)
    colours = iter(PALETTE[c] for c in ("blue", "orange", "green", "vermillion",
                                          "purple", "sky"))
    for name in names:
        style = dict(color="black", ls="--", lw=1.5, zorder=3) if name == "identity" else dict(
            color=next(colours))
        label = "identity (linear)" if name == "identity" else f"{name} (nonlinear)"
        ax.plot(z, _activation(name)(z), label=label, **style)
    if near_linear is not None:
        ax.axvspan(-near_linear, near_linear, color=PALETTE["grey"], alpha=0.18, lw=0,
                   label=f"$|z| < {near_linear:g}$")
    ax.set(xlabel="pre-activation $z$", ylabel=r"activation $\phi(z)$",
           xlim=(-z_max, z_max), ylim=(-min(z_max, 2.0), min(z_max, 2.0)))
    ax.legend(loc="upper left", fontsize=9)
    return fig


def _activation_glyph(ax: Axes, x: float, y: float, name: str, size: float = 0.9) -> None:
    """A small framed plot of an activation function, centred at (x, y)."""
    half = size / 2
    ax.add_patch(FancyBboxPatch((x - half, y - half), size, size,
                                boxstyle="round,pad=0.03", facecolor="white",
                                edgecolor=PALETTE["grey"], lw=0.8, zorder=3))
    z = np.linspace(-2.5, 2.5, 101)
    phi = _activation(name)(z)
    # map z in [-2.5, 2.5] and phi in [-2.5, 2.5] (clipped) into the box
    scale = 0.8 * half / 2.5
    ax.plot(x + z * scale, y + np.clip(phi, -2.5, 2.5) * scale, color="black",
            lw=1.2, zorder=4)
    ax.plot([x - 0.8 * half, x + 0.8 * half], [y, y], color=PALETTE["grey"], lw=0.5, zorder=4)
    ax.plot([x, x], [y - 0.8 * half, y + 0.8 * half], color=PALETTE["grey"], lw=0.5, zorder=4)


def draw_taxonomy(n_inputs: int = 4, hidden: Sequence[int] = (2, 4, 8),
                  nonlinear: str = "tanh") -> Figure:
    """Draw the six classes of autoencoder: 3 widths x 2 linearities.

    Columns are undercomplete (m < n), complete (m = n) and overcomplete
    (m > n); rows are linear (identity activations) and nonlinear. Each panel
    shows the network, a small plot of its activation under the code layer,
    and the class name in English and Japanese (from :func:`helpers.classify`).

    Parameters
    ----------
    n_inputs : int
        n, the width of the input and output layers (2 to 11).
    hidden : sequence of 3 int
        The hidden widths m of the columns, in the order m < n, m = n, m > n.
    nonlinear : str
        The activation of the nonlinear row: a name from
        :data:`helpers.ACTIVATIONS` other than "identity".

    Returns
    -------
    Figure
        One figure with six axes (two rows, three columns).
    """
    n, ms = _check_taxonomy_widths(n_inputs, hidden)
    choices = tuple(a for a in ACTIVATIONS if a not in LINEAR_ACTIVATIONS)
    check_choice(nonlinear, "nonlinear", choices)
    fig, axes = plt.subplots(2, 3, figsize=(PAGE_WIDTH, 7.4))
    dx = 2.2  # draw_network's column spacing: the code layer is at x = dx
    for row, activation in enumerate(("identity", nonlinear)):
        _network_grid(axes[row], n, ms)
        for ax, m in zip(axes[row], ms):
            kind = classify(n, m, activation)  # decoder: identity
            y0, y1 = ax.get_ylim()
            _activation_glyph(ax, dx, y0 - 0.3, activation, size=1.1)
            ax.text(dx, y0 - 1.0, f"$n = {n}$, $m = {m}$, $\\phi$ = {activation}",
                    ha="center", va="top", fontsize=9.5)
            ax.set_ylim(y0 - 1.5, y1)
            width, linearity = kind.english.split()[:2]
            ax.set_title(f"{width} {linearity}\nautoencoder\n{kind.japanese}",
                         fontsize=10.5, fontfamily=japanese_text_families())
    fig.subplots_adjust(left=0.01, right=0.99, top=0.92, bottom=0.01,
                        wspace=0.05, hspace=0.3)
    return fig
