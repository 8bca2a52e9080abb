"""helpers.diagrams (network and symbol diagrams) and helpers.style."""

import matplotlib as mpl
import pytest
from matplotlib.figure import Figure

import helpers
from helpers.style import PALETTE


def test_network_diagram_draws_every_unit():
    fig = helpers.draw_network([4, 3, 2, 3, 4], layer_names=list("abcde"))
    assert isinstance(fig, Figure)
    circles = [p for p in fig.axes[0].patches if type(p).__name__ == "Circle"]
    assert len(circles) == 4 + 3 + 2 + 3 + 4


def test_symbols_diagram_names_every_symbol():
    texts = " ".join(t.get_text() for t in helpers.draw_symbols().axes[0].texts)
    for symbol in (r"\phi", r"\tilde\phi", "W", r"\tilde{\boldsymbol{b}}", "code"):
        assert symbol in texts


@pytest.mark.parametrize("widths,exc,match", [
    ([4, 2], ValueError, r"^widths must have an odd number \(>= 3\) of layers, got 2$"),
    ([4, 2, 4, 2], ValueError, r"^widths must have an odd number .* got 4$"),
    ([4, 0, 4], ValueError, r"^widths\[i\] must be in \[1, 12\], got 0"),
    ([4, 2.5, 4], TypeError, r"^widths\[i\] must be an integer"),
])
def test_network_diagram_rejects_bad_widths(widths, exc, match):
    with pytest.raises(exc, match=match):
        helpers.draw_network(widths)


def test_network_diagram_checks_layer_names():
    with pytest.raises(ValueError, match=r"^layer_names must"):
        helpers.draw_network([4, 2, 4], layer_names=["a"])


def test_network_diagram_flag_must_be_a_bool():
    with pytest.raises(TypeError, match=r"^show_parts must be True or False"):
        helpers.draw_network([4, 2, 4], show_parts="no")
    texts = [t.get_text() for t in helpers.draw_network([4, 2, 4], show_parts=False).axes[0].texts]
    assert "encoder" not in texts


def test_style_uses_the_colour_blind_safe_palette():
    helpers.use_style()
    cycle = [c["color"].upper() for c in mpl.rcParams["axes.prop_cycle"]]
    assert cycle[:3] == [PALETTE["blue"], PALETTE["orange"], PALETTE["green"]]
    assert mpl.rcParams["figure.figsize"][0] <= 7.0


def test_figures_log_no_font_warnings(caplog):
    """A logged 'findfont' warning lands on stderr, which fails the strict book build."""
    import logging

    from matplotlib import font_manager

    from helpers.diagrams import draw_taxonomy

    font_manager.fontManager._findfont_cached.cache_clear()
    with caplog.at_level(logging.INFO, logger="matplotlib.font_manager"):
        for fig in (helpers.draw_network([4, 2, 4]), helpers.draw_symbols(), draw_taxonomy()):
            fig.canvas.draw()
    assert [r.getMessage() for r in caplog.records if "findfont" in r.getMessage()] == []
