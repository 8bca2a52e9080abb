"""helpers.images: grids of 8 x 8 digits and signed components."""

import matplotlib.colors as mcolors
import numpy as np
import pytest
from matplotlib.figure import Figure

from helpers import images
from helpers.style import PAGE_WIDTH


def _shown(fig):
    """The AxesImage of every panel that shows an image, in reading order."""
    return [ax.images[0] for ax in fig.axes if ax.images]


def test_pixels_are_grey_on_the_fixed_unit_scale():
    rng = np.random.default_rng(0)
    fig = images.image_grid(rng.uniform(size=(5, 64)) * 0.5)
    assert isinstance(fig, Figure)
    shown = _shown(fig)
    assert len(shown) == 5
    for im in shown:
        assert im.get_clim() == (0.0, 1.0)          # not stretched to the data
        assert im.get_interpolation() == "nearest"
        assert im.get_cmap().name == "gray_r"
        assert im.get_array().shape == (8, 8)
    assert len(fig.axes) == 5                         # no colour bar for pixels


def test_images_are_reshaped_row_by_row():
    image = np.arange(64, dtype=float) / 63
    fig = images.image_grid(image[None, :])
    shown = _shown(fig)[0].get_array()
    np.testing.assert_array_equal(shown, image.reshape(8, 8))
    assert shown[0, 7] == 7 / 63                       # first row, last column


def test_signed_weights_use_a_symmetric_diverging_scale_and_a_colour_bar():
    rng = np.random.default_rng(1)
    weights = rng.normal(size=(2, 3, 64))
    weights[1, 2, 5] = -4.0                           # the largest magnitude
    fig = images.image_grid(weights, kind="signed")
    shown = _shown(fig)
    assert len(shown) == 6
    for im in shown:
        assert im.get_clim() == (-4.0, 4.0)
        assert im.get_cmap().name == "RdBu_r"
    # zero maps to the middle of the colour map, a near-white grey
    middle = np.array(mcolors.to_rgb(shown[0].get_cmap()(0.5)))
    assert middle.min() > 0.9
    assert len(fig.axes) == 6 + 1                     # the colour bar


def test_signed_vmax_can_be_set_and_all_zero_images_still_draw():
    fig = images.image_grid(np.ones((2, 64)), kind="signed", vmax=2.5)
    assert _shown(fig)[0].get_clim() == (-2.5, 2.5)
    fig = images.image_grid(np.zeros((2, 64)), kind="signed")
    assert _shown(fig)[0].get_clim() == (-1.0, 1.0)


def test_a_stack_wraps_after_ncols_and_pads_the_last_row():
    fig = images.image_grid(np.zeros((7, 64)), ncols=3)
    assert len(fig.axes) == 9                         # 3 rows of 3
    assert len(_shown(fig)) == 7
    assert sum(not ax.axison for ax in fig.axes) == 2


def test_labels_titles_and_other_shapes():
    fig = images.image_grid(np.zeros((2, 3, 12)), shape=(3, 4),
                            row_labels=["top", "bottom"],
                            titles=list("abcdef"))
    axes = [ax for ax in fig.axes if ax.images]
    assert [ax.get_title() for ax in axes] == list("abcdef")
    assert axes[0].get_ylabel() == "top" and axes[3].get_ylabel() == "bottom"
    assert _shown(fig)[0].get_array().shape == (3, 4)


def test_figure_is_at_most_a_page_wide():
    fig = images.image_grid(np.zeros((30, 64)), kind="signed")
    assert fig.get_size_inches()[0] <= PAGE_WIDTH


@pytest.mark.parametrize("bad, kwargs, exc, match", [
    (np.zeros(64), {}, ValueError, "2-D"),
    (np.zeros((1, 1, 1, 64)), {}, ValueError, "2-D"),
    (np.zeros((2, 63)), {}, ValueError, "64 values"),
    (np.full((2, 64), np.nan), {}, ValueError, "finite"),
    (np.array([["a"] * 64]), {}, TypeError, "numbers"),
    (np.zeros((2, 64)), {"kind": "colour"}, ValueError, "kind"),
    (np.zeros((2, 64)), {"kind": 3}, TypeError, "kind"),
    (np.zeros((2, 64)), {"shape": (8, 0)}, ValueError, "shape"),
    (np.zeros((2, 64)), {"shape": [8, 8]}, TypeError, "shape"),
    (np.zeros((2, 64)), {"shape": (8.0, 8)}, TypeError, "shape"),
    (np.zeros((2, 64)), {"ncols": 0}, ValueError, "ncols"),
    (np.zeros((1, 2, 64)), {"ncols": 2}, ValueError, "ncols"),
    (np.zeros((2, 64)), {"row_labels": ["a", "b"]}, ValueError, "row_labels"),
    (np.zeros((2, 64)), {"row_labels": "a"}, ValueError, "row_labels"),
    (np.zeros((2, 64)), {"titles": ["a"]}, ValueError, "titles"),
    (np.zeros((2, 64)), {"kind": "signed", "vmax": 0.0}, ValueError, "vmax"),
    (np.zeros((2, 64)), {"kind": "signed", "vmax": float("inf")}, ValueError, "vmax"),
    (np.zeros((2, 64)), {"image_size": -1.0}, ValueError, "image_size"),
])
def test_bad_input_gets_a_clear_error(bad, kwargs, exc, match):
    with pytest.raises(exc, match=match):
        images.image_grid(bad, **kwargs)
