"""A training animation that plays on a static page: matplotlib's ``to_jshtml``, made self-contained.

``FuncAnimation.to_jshtml`` writes every frame into the HTML as a PNG, with a small
JavaScript player (a slider and play/pause buttons): no server is needed, so it plays
on the static site and in Colab's output cell alike. Its buttons, however, load their
icons from a font CDN, its image has no alt text, its slider no accessible name, and
its element ids are random. :func:`to_html` fixes all four, so the page works
offline, is accessible, and is the same on every run; it also writes the frames with a small colour palette, which
makes them about three times lighter, and quicker to write, at no visible cost (the
frames are flat plots).
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Sequence
from unittest import mock

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
from matplotlib import patheffects
from matplotlib.animation import Animation, FuncAnimation
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.lines import Line2D
from matplotlib.patches import FancyArrowPatch
from matplotlib.ticker import FixedLocator, MaxNLocator, NullLocator
from PIL import Image

from ._checks import as_float_array, check_int, check_positive_float
from .linalg import mixing_matrix
from .style import CYCLE, PALETTE

_MARKERS = ("o", "s", "^")

#: Inline SVG paths (16 x 16) for the player's buttons, keyed by the Font Awesome
#: class matplotlib asks for; drawn in the text colour, so they show in dark mode too.
ICONS: dict[str, str] = {
    "fa-minus": "M3 7h10v2H3z",
    "fa-fast-backward": "M2 3h2v10H2zM9 3v10L4 8zM15 3v10l-5-5z",
    "fa-step-backward": "M3 3h2v10H3zM13 3v10L6 8z",
    "fa-play fa-flip-horizontal": "M12 3v10L4 8z",
    "fa-pause": "M4 3h3v10H4zM9 3h3v10H9z",
    "fa-play": "M4 3v10l8-5z",
    "fa-step-forward": "M3 3v10l7-5zM11 3h2v10h-2z",
    "fa-fast-forward": "M1 3v10l5-5zM7 3v10l5-5zM12 3h2v10h-2z",
    "fa-plus": "M7 3h2v4h4v2H9v4H7V9H3V7h4z",
}

#: The slider's accessible name (the buttons have theirs, ``aria-label`` = ``title``).
#: The book's Sphinx extension book/_ext/player.py translates it with the others.
SLIDER_LABEL = "Animation frame"

_BUTTON_STYLE = """<style>
.animation .anim-buttons button { color: inherit; background: transparent;
  border: 1px solid currentColor; border-radius: 4px; height: 28px; }
.animation .anim-buttons button svg { width: 14px; height: 14px; vertical-align: middle; }
div.animation { display: block; }
div.animation img { width: 100%; max-width: 720px; height: auto; background: white; }
</style>"""


def _svg(path: str) -> str:
    return ('<svg viewBox="0 0 16 16" aria-hidden="true" focusable="false">'
            f'<path fill="currentColor" d="{path}"/></svg>')


def _palette_savefig(figure: plt.Figure, colors: int):
    """A stand-in for ``figure.savefig`` that writes a PNG with at most ``colors`` colours.

    It renders the canvas at the figure's dpi and quantizes it with PIL, which is
    quicker than matplotlib's full-colour PNG and about three times lighter.
    """
    def savefig(sink, **kwargs) -> None:
        dpi = kwargs.get("dpi", figure.dpi)
        if kwargs.get("format", "png") != "png" or dpi != figure.dpi:  # pragma: no cover
            raise RuntimeError("unexpected frame request: png at the figure's dpi expected")
        figure.canvas.draw()
        rgb = np.asarray(figure.canvas.buffer_rgba())[..., :3]
        small = Image.fromarray(rgb).quantize(colors=colors, method=Image.Quantize.FASTOCTREE,
                                              dither=Image.Dither.NONE)
        small.save(sink, format="png")
    return savefig


def to_html(animation: Animation, alt: str, name: str = "anim", colors: int | None = 64) -> str:
    """Render an animation with ``to_jshtml`` into self-contained HTML.

    Parameters
    ----------
    animation : matplotlib.animation.Animation
    alt : str
        Alt text for the frames, for readers who cannot see them.
    name : str
        Replaces the random id in the player's element ids (letters, digits, _),
        so the output is the same on every run; unique on a page.
    colors : int or None
        Write every frame as a PNG with a palette of at most this many colours
        (2 to 256; flat plots need few), or keep matplotlib's full-colour frames.

    Returns
    -------
    str
        HTML with the frames as embedded PNGs, at the figure's dpi (which, with
        ``colors``, sets the page's weight); it loads nothing from the network.
    """
    if not isinstance(animation, Animation):
        raise TypeError(f"animation must be a matplotlib Animation, got {type(animation).__name__}")
    if not isinstance(alt, str) or not alt.strip():
        raise ValueError("alt must be a non-empty string")
    if not isinstance(name, str) or not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
        raise ValueError(f"name must be letters, digits and '_', got {name!r}")
    if colors is not None:
        colors = check_int(colors, "colors", low=2, high=256)
    figure = animation._fig
    if colors is not None and not isinstance(figure.canvas, FigureCanvasAgg):
        FigureCanvasAgg(figure)             # a closed figure's canvas cannot render
    # Saving draws every frame once for the file; the extra draw_idle() per frame
    # that Animation.save also makes would only double the time.
    with contextlib.ExitStack() as stack:
        stack.enter_context(mpl.rc_context({"savefig.dpi": "figure",
                                            "savefig.bbox": "standard"}))
        stack.enter_context(mock.patch.object(figure.canvas, "draw_idle",
                                              lambda *args, **kwargs: None))
        if colors is not None:
            stack.enter_context(mock.patch.object(figure, "savefig",
                                                  _palette_savefig(figure, colors)))
        html = animation.to_jshtml()
    ids = set(re.findall(r"_anim_img([0-9a-f]+)", html))
    if len(ids) != 1:  # pragma: no cover - matplotlib's template changed
        raise RuntimeError("unexpected to_jshtml output: cannot find the player's id")
    html = html.replace(ids.pop(), name)
    html = re.sub(r'<link rel="stylesheet"\s+href="https://[^"]*font-awesome[^"]*">', "", html)
    for icon, path in ICONS.items():
        html = html.replace(f'<i class="fa {icon}"></i>', _svg(path))
    if "<i class=\"fa" in html or "https://" in html:  # pragma: no cover - template changed
        raise RuntimeError("unexpected to_jshtml output: an icon or a URL is left")
    alt_text = alt.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")
    html = html.replace(f'<img id="_anim_img{name}">',
                        f'<img id="_anim_img{name}" alt="{alt_text}">')
    slider = f'<input id="_anim_slider{name}" type="range"'
    if html.count(slider) != 1:  # pragma: no cover - template changed
        raise RuntimeError("unexpected to_jshtml output: cannot find the player's slider")
    html = html.replace(slider, f'{slider} aria-label="{SLIDER_LABEL}"')
    return _BUTTON_STYLE + html


def training_animation(steps: np.ndarray, codes: np.ndarray, scores: np.ndarray,
                       score_std: np.ndarray, labels: np.ndarray, class_names: Sequence[str],
                       loss_steps: np.ndarray, loss: np.ndarray,
                       floors: dict[str, float], interval: int = 300,
                       dpi: int = 120, lr: float | None = None,
                       score_labels: Sequence[str] = ("score 1", "score 2"),
                       loss_label: str = "MSE") -> FuncAnimation:
    """The codes of a 2-unit linear autoencoder during training, beside its loss.

    Left, the codes of every sample at each recorded step, one colour and marker per
    class, with two arrows: where one standard deviation along PCA score 1 and
    score 2 lands in code space (the rows of the mixing matrix M with
    codes ~ scores @ M, scaled by ``score_std``). Right, the loss curve drawn up to
    the step shown, with horizontal lines at the ``floors``.

    Everything that does not move (axes, ticks, labels, legends, the floors) is drawn
    once into a background image at ``dpi``; each frame then draws only the points,
    arrows and curve. Render it at the same dpi: :func:`to_html` does.

    Parameters
    ----------
    steps : array of shape (F,)
        The step of each frame.
    codes : array of shape (F, N, 2)
        The codes at those steps.
    scores : array of shape (N, 2)
        The PCA scores of the same samples.
    score_std : array of shape (2,)
        The scores' standard deviations (square roots of the eigenvalues).
    labels : array of shape (N,)
        Integer class labels in ``range(len(class_names))``.
    class_names : sequence of str
        At most three.
    loss_steps : array of shape (T,), increasing, >= 1
    loss : array of shape (T,), > 0
        The loss after each of ``loss_steps``.
    floors : dict of str to float
        Horizontal lines for the loss panel, label -> level (> 0); at most two.
    interval : int
        Milliseconds between frames.
    dpi : int
        The resolution of the frames.
    lr : float, optional
        The learning rate: if given, the loss panel and the title show the time
        t = lr x step (as for the gradient flow) instead of the step.
    score_labels : pair of str
        The arrows' names in the legend.
    loss_label : str
        The loss axis's label (" (log scale)" is added).

    Returns
    -------
    FuncAnimation
        Its figure is closed, so that notebooks show only the animation.
    """
    steps = as_float_array(steps, "steps", ndim=1)
    codes = as_float_array(codes, "codes", shape=(steps.size, None, 2))
    scores = as_float_array(scores, "scores", shape=(codes.shape[1], 2))
    score_std = as_float_array(score_std, "score_std", shape=(2,))
    labels = np.asarray(labels)
    if labels.shape != (codes.shape[1],) or not np.issubdtype(labels.dtype, np.integer):
        raise ValueError(f"labels must be integers of shape ({codes.shape[1]},)")
    if not 1 <= len(class_names) <= len(_MARKERS) or labels.min() < 0 \
            or labels.max() >= len(class_names):
        raise ValueError(f"class_names must name every label, at most {len(_MARKERS)} classes")
    loss_steps = as_float_array(loss_steps, "loss_steps", ndim=1)
    loss = as_float_array(loss, "loss", shape=(loss_steps.size,))
    if np.any(np.diff(loss_steps) <= 0) or loss_steps[0] < 1 or np.any(loss <= 0):
        raise ValueError("loss_steps must be increasing and >= 1, and loss > 0 (log axes)")
    if not isinstance(floors, dict) or len(floors) > 2:
        raise TypeError("floors must be a dict of at most two label -> level")
    floors = {str(k): check_positive_float(v, f"floors[{k!r}]") for k, v in floors.items()}
    interval = check_int(interval, "interval", low=20)
    dpi = check_int(dpi, "dpi", low=20, high=300)
    scale = 1.0 if lr is None else check_positive_float(lr, "lr")
    if isinstance(score_labels, str) or len(score_labels) != 2 \
            or not all(isinstance(t, str) for t in score_labels):
        raise TypeError("score_labels must be a pair of strings")
    if not isinstance(loss_label, str):
        raise TypeError(f"loss_label must be a string, got {type(loss_label).__name__}")
    times = scale * loss_steps              # the loss panel's x axis

    def caption(step: float) -> str:
        now = f"step {int(step)}" if lr is None else f"t = {scale * step:.3g} (step {int(step)})"
        return f"codes at {now}"

    # Layout and style (sizes, limits, ticks, colours, legends, the static background):
    # appearance, checked by eye and by tests/test_animation_browser.py, so `make mutation`
    # leaves it alone. What each frame shows (draw, below) is unit-tested.
    # pragma: no mutate start
    fig, (ax_codes, ax_loss) = plt.subplots(1, 2, figsize=(6.4, 2.9), dpi=dpi,
                                            gridspec_kw={"width_ratios": [1, 1.25]})
    limit = 1.2 * np.abs(codes[-1]).max()
    ticks = MaxNLocator(nbins=4, symmetric=True).tick_values(-limit, limit)
    ticks = ticks[np.abs(ticks) < limit]
    ax_codes.set(xlim=(-limit, limit), ylim=(-limit, limit), xlabel="code 1", ylabel="code 2",
                 xticks=ticks, yticks=ticks, aspect="equal")
    for c, name in enumerate(class_names):   # legend entries only: no data yet
        ax_codes.plot([], [], _MARKERS[c], ms=3.5, color=PALETTE[CYCLE[c]], label=name)
    ax_codes.add_artist(ax_codes.legend(loc="upper left", fontsize=7, handletextpad=0.1,
                                        borderaxespad=0.1))
    colours = [PALETTE["black"], PALETTE["purple"]]
    arrow_keys = [Line2D([], [], color=colour, lw=2, marker=">", markevery=[-1], ms=4)
                  for colour in colours]
    ax_codes.legend(arrow_keys, [f"{text}, 1 s.d." for text in score_labels],
                    loc="lower right", fontsize=7, handlelength=1.6, borderaxespad=0.1)
    title = ax_codes.set_title(caption(steps.max()), fontsize=10)   # room for it
    ax_loss.plot(times, loss, color=PALETTE["grey"], lw=1, alpha=0.5)
    for (label, level), style in zip(floors.items(), ("--", ":")):
        ax_loss.axhline(level, color=PALETTE["vermillion"], ls=style, lw=1.3)
        ax_loss.text(times[0] * 1.2, level * 1.07, label, fontsize=7,
                     color=PALETTE["vermillion"], va="bottom")
    xlabel = "step (log scale)" if lr is None else "time  t = η × steps (log scale)"
    ax_loss.set(xscale="log", yscale="log", xlabel=xlabel,
                ylabel=f"{loss_label} (log scale)", xlim=(times[0], times[-1]))
    for axis, values in ((ax_loss.xaxis, 10.0 ** np.arange(-4, 7)),
                         (ax_loss.yaxis, [0.02, 0.05, 0.1, 0.2, 0.5, 1.0])):
        low, high = axis.get_view_interval()
        shown = [v for v in values if low <= v <= high]
        axis.set_major_locator(FixedLocator(shown))
        axis.set_ticklabels([f"{v:g}" for v in shown])
        axis.set_minor_locator(NullLocator())
    fig.tight_layout()

    # The static layer, drawn once; then only what moves is left on the axes.
    title.set_text("")                      # it moves: drawn in every frame
    fig.canvas.draw()
    background = np.asarray(fig.canvas.buffer_rgba()).copy()
    for legend in [ax_codes.get_legend()] + list(ax_codes.artists):
        legend.remove()
    for ax in (ax_codes, ax_loss):
        for artist in list(ax.lines) + list(ax.texts):
            artist.remove()
        ax.set_axis_off()
    fig.figimage(background, zorder=-1)

    dots = [ax_codes.plot([], [], _MARKERS[c], ms=3.5, alpha=0.8, color=PALETTE[CYCLE[c]])[0]
            for c in range(len(class_names))]
    halo = [patheffects.withStroke(linewidth=4.5, foreground="white")]
    arrows = [FancyArrowPatch((0, 0), (0, 0), arrowstyle="-|>", mutation_scale=11, lw=2,
                              color=colour, path_effects=halo, shrinkA=0, shrinkB=0,
                              zorder=3)
              for colour in colours]
    for arrow in arrows:
        ax_codes.add_patch(arrow)
    done, = ax_loss.plot([], [], color=PALETTE["blue"], lw=2)
    here, = ax_loss.plot([], [], "o", ms=5, color=PALETTE["blue"])
    # pragma: no mutate end

    def draw(frame: int) -> list:
        H = codes[frame]
        for c, dot in enumerate(dots):
            dot.set_data(H[labels == c, 0], H[labels == c, 1])
        M = mixing_matrix(scores, H) if np.abs(H).max() > 0 else np.zeros((2, 2))
        for j in range(2):
            tip = score_std[j] * M[j]
            arrows[j].set_positions((0, 0), tuple(tip))
            arrows[j].set_visible(np.linalg.norm(tip) > 0.04 * limit)
        shown = loss_steps <= max(steps[frame], loss_steps[0])
        done.set_data(times[shown], loss[shown])
        here.set_data([times[shown][-1]], [loss[shown][-1]])
        title.set_text(caption(steps[frame]))
        return dots + arrows + [done, here, title]

    animation = FuncAnimation(fig, draw, frames=steps.size, interval=interval, repeat=False)
    plt.close(fig)
    return animation
