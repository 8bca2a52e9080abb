"""One matplotlib style for every figure of the book.

The palette is Okabe and Ito's colour-blind-safe set. :func:`use_style` is
called when :mod:`helpers` is imported, so every lesson draws alike.
"""

from __future__ import annotations

import matplotlib as mpl
from matplotlib import font_manager

#: Okabe-Ito colours, safe for the common colour-vision deficiencies.
PALETTE: dict[str, str] = {
    "blue": "#0072B2",
    "orange": "#E69F00",
    "green": "#009E73",
    "vermillion": "#D55E00",
    "sky": "#56B4E9",
    "purple": "#CC79A7",
    "yellow": "#F0E442",
    "black": "#000000",
    "grey": "#7F7F7F",
}
#: The order in which plots cycle through the palette.
CYCLE = ["blue", "orange", "green", "vermillion", "purple", "sky"]

#: Width of a full-page figure, in inches; the site's text column is about this wide.
PAGE_WIDTH = 7.0

_CJK_FAMILIES = ("IPAexGothic", "Noto Sans CJK JP", "Noto Sans JP", "IPAGothic",
                 "TakaoGothic", "Source Han Sans JP")


def _cjk_family() -> str | None:
    """Return an installed font family with Japanese glyphs, if there is one."""
    try:  # matplotlib-fontja ships IPAexGothic; register it without changing rcParams
        import importlib.resources as resources

        font_dir = resources.files("matplotlib_fontja") / "fonts"
        for font in font_dir.iterdir():
            if font.name.endswith(".ttf"):
                font_manager.fontManager.addfont(str(font))
    except (ImportError, FileNotFoundError, NotADirectoryError, TypeError):
        pass
    installed = {f.name for f in font_manager.fontManager.ttflist}
    return next((family for family in _CJK_FAMILIES if family in installed), None)


def japanese_text_families() -> list[str]:
    """Font families for a label that mixes Latin and Japanese characters.

    Pass it as ``fontfamily=`` to such a label: matplotlib falls back glyph by
    glyph across the families listed, so Latin letters come from DejaVu Sans and
    Japanese ones from IPAexGothic (shipped by matplotlib-fontja) or another
    installed Japanese font. The Japanese font is not part of the global style:
    it has no bold weight, and every bold label would log a font warning.
    """
    cjk = _cjk_family()
    return ["DejaVu Sans"] if cjk is None else ["DejaVu Sans", cjk]


def use_style() -> None:
    """Set the book's matplotlib style: sizes, palette, fonts, white background."""
    mpl.rcParams.update({
        "figure.figsize": (PAGE_WIDTH, 3.6),
        "figure.dpi": 110,
        "savefig.dpi": 150,
        "savefig.bbox": "tight",
        "figure.facecolor": "white",
        "axes.facecolor": "white",
        "savefig.facecolor": "white",
        "font.family": "sans-serif",
        "font.sans-serif": ["DejaVu Sans"],
        "font.size": 10,
        "axes.titlesize": 11,
        "axes.labelsize": 10,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "axes.grid": True,
        "grid.alpha": 0.3,
        "legend.frameon": False,
        "lines.linewidth": 2.0,
        "axes.prop_cycle": mpl.cycler(color=[PALETTE[c] for c in CYCLE]),
    })
