"""helpers.images: grids of 8 x 8 digits and signed components, drawn as one mosaic."""

import matplotlib.colors as mcolors
import numpy as np
import pytest
from matplotlib.collections import PatchCollection
from matplotlib.figure import Figure

from helpers import images
from helpers.style import PAGE_WIDTH


def _mosaic(fig):
    """The grid's only image and its frames (one rectangle per tile)."""
    ax = fig.axes[0]
    assert len(ax.images) == 1
    frames = [c for c in ax.collections if isinstance(c, PatchCollection)]
    assert len(frames) == 1
    return ax.images[0], frames[0].get_paths()


def test_pixels_are_grey_on_the_fixed_unit_scale():
    rng = np.random.default_rng(0)
    fig = images.image_grid(rng.uniform(size=(5, 64)) * 0.5)
    assert isinstance(fig, Figure)
    image, frames = _mosaic(fig)
    assert len(frames) == 5
    assert image.get_clim() == (0.0, 1.0)          # not stretched to the data
    assert image.get_interpolation() == "nearest"
    assert image.get_cmap().name == "gray_r"
    assert len(fig.axes) == 1                       # no colour bar for pixels


def test_images_are_reshaped_row_by_row_into_framed_tiles():
    image = np.arange(64, dtype=float) / 63
    shown, frames = _mosaic(images.image_grid(np.stack([image, 1 - image])))
    mosaic = shown.get_array()
    np.testing.assert_array_equal(mosaic[:8, :8], image.reshape(8, 8))
    assert mosaic[0, 7] == 7 / 63                    # first row, last column
    # the second tile starts after a gap, which is masked (drawn transparent)
    assert np.ma.getmaskarray(mosaic)[:8, 8].all()
    np.testing.assert_allclose(mosaic[:8, 10:18], 1 - image.reshape(8, 8))
    corners = [path.vertices.min(axis=0) for path in frames]
    np.testing.assert_allclose(corners, [[-0.5, -0.5], [9.5, -0.5]])


def test_signed_weights_use_a_symmetric_diverging_scale_and_a_colour_bar():
    rng = np.random.default_rng(1)
    weights = rng.normal(size=(2, 3, 64))
    weights[1, 2, 5] = -4.0                         # the largest magnitude
    fig = images.image_grid(weights, kind="signed")
    image, frames = _mosaic(fig)
    assert len(frames) == 6
    assert image.get_clim() == (-4.0, 4.0)
    assert image.get_cmap().name == "RdBu_r"
    # zero maps to the middle of the colour map, a near-white grey
    middle = np.array(mcolors.to_rgb(image.get_cmap()(0.5)))
    assert middle.min() > 0.9
    assert len(fig.axes) == 2                       # the colour bar
    assert fig.axes[1].get_ylabel() == "weight"


def test_signed_vmax_can_be_set_and_all_zero_images_still_draw():
    fig = images.image_grid(np.ones((2, 64)), kind="signed", vmax=2.5)
    assert _mosaic(fig)[0].get_clim() == (-2.5, 2.5)
    fig = images.image_grid(np.zeros((2, 64)), kind="signed")
    assert _mosaic(fig)[0].get_clim() == (-1.0, 1.0)


def test_a_stack_wraps_after_ncols_and_leaves_the_padding_blank():
    image, frames = _mosaic(images.image_grid(np.zeros((7, 64)), ncols=3))
    assert len(frames) == 7                          # 3 + 3 + 1 tiles
    mosaic = image.get_array()
    assert mosaic.shape == (3 * 8 + 2 * 2, 3 * 8 + 2 * 2)
    assert np.ma.getmaskarray(mosaic)[-8:, 10:].all()   # no tiles 8 and 9


def test_labels_titles_and_other_shapes():
    fig = images.image_grid(np.zeros((2, 3, 12)), shape=(3, 4),
                            row_labels=["top", "bottom"], titles=list("abcdef"))
    texts = [t.get_text() for t in fig.axes[0].texts]
    assert texts == list("abcdef") + ["top", "bottom"]
    image, frames = _mosaic(fig)
    assert len(frames) == 6
    widths = {np.ptp(path.vertices, axis=0)[0] for path in frames}
    heights = {np.ptp(path.vertices, axis=0)[1] for path in frames}
    assert widths == {4.0} and heights == {3.0}


def test_fontsize_sets_the_text_and_makes_room_for_it():
    args = (np.zeros((2, 64)),)
    kwargs = dict(kind="signed", row_labels=["a"], titles=["t", "u"], image_size=2.0)
    small = images.image_grid(*args, **kwargs)
    large = images.image_grid(*args, **kwargs, fontsize=12)
    assert [t.get_fontsize() for t in large.axes[0].texts] == [12, 12, 13]
    assert large.axes[1].yaxis.label.get_fontsize() == 13
    assert [t.get_fontsize() for t in small.axes[0].texts] == [9, 9, 10]
    # the band for the titles and the room for the row labels grow with the text
    assert large.get_size_inches()[1] > small.get_size_inches()[1]
    assert large.axes[0].get_position().x0 * large.get_size_inches()[0] > (
        small.axes[0].get_position().x0 * small.get_size_inches()[0])


def test_figure_is_at_most_a_page_wide():
    for count in (5, 30):
        fig = images.image_grid(np.zeros((count, 64)), kind="signed",
                                row_labels=["a"], image_size=2.0)
        assert fig.get_size_inches()[0] <= PAGE_WIDTH + 1e-9


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
    (np.zeros((2, 64)), {"fontsize": 0}, ValueError, "fontsize"),
])
def test_bad_input_gets_a_clear_error(bad, kwargs, exc, match):
    with pytest.raises(exc, match=match):
        images.image_grid(bad, **kwargs)


# what mutation testing showed unchecked

@pytest.mark.parametrize("bad, kwargs, exc, match", [
    (np.zeros((2, 64)), {"kind": "colour"}, ValueError, r"^kind must be one of"),
    (np.zeros((2, 64)), {"shape": (0, 8)}, ValueError, r"^shape\[0\] must be in \[1, inf\]"),
    (np.zeros((2, 64)), {"shape": (8, 0)}, ValueError, r"^shape\[1\] must be in \[1, inf\]"),
    (np.full((2, 64), np.nan), {}, ValueError, r"^images must be finite"),
    (np.zeros((2, 63)), {}, ValueError, r"^images must have 64 values each \(shape \(8, 8\)\), got 63$"),
    (np.zeros((2, 64)), {"ncols": 0}, ValueError, r"^ncols must be in \[1, inf\]"),
    (np.zeros((1, 2, 64)), {"ncols": 2}, ValueError,
     r"^ncols only applies to a 2-D stack of images \(K, n\); got a grid of shape \(1, 2, 64\)$"),
    (np.zeros((2, 64)), {"row_labels": ["a", "b"]}, ValueError, r"^row_labels must be"),
    (np.zeros((2, 64)), {"titles": ["a"]}, ValueError, r"^titles must be"),
    (np.zeros((2, 64)), {"kind": "signed", "vmax": 0.0}, ValueError, r"^vmax must be"),
    (np.zeros((2, 64)), {"image_size": -1.0}, ValueError, r"^image_size must be"),
    (np.zeros((2, 64)), {"fontsize": 0}, ValueError, r"^fontsize must be"),
])
def test_each_check_names_its_argument_from_the_start(bad, kwargs, exc, match):
    with pytest.raises(exc, match=match):
        images.image_grid(bad, **kwargs)


def test_one_pixel_images_and_one_column():
    image, frames = _mosaic(images.image_grid(np.array([[0.25], [0.75]]), shape=(1, 1),
                                              ncols=1))
    mosaic = image.get_array()
    assert len(frames) == 2 and mosaic.shape[1] == 1
    assert mosaic[0, 0] == 0.25 and mosaic[-1, 0] == 0.75     # one above the other


def test_signed_scale_is_the_largest_magnitude_even_below_one():
    fig = images.image_grid(np.full((2, 64), -0.5), kind="signed")
    assert _mosaic(fig)[0].get_clim() == (-0.5, 0.5)


def test_the_gaps_are_transparent_and_a_tile_is_image_size_wide():
    image, _ = _mosaic(images.image_grid(np.zeros((2, 64))))
    assert image.get_cmap().get_bad()[3] == 0.0              # the page shows through
    fig = images.image_grid(np.zeros((2, 64)))              # default image_size 0.62 in
    ax = fig.axes[0]
    tile = ax.get_position().width * fig.get_size_inches()[0] * 8 / image.get_array().shape[1]
    assert tile == pytest.approx(0.62)


def test_a_3d_stack_of_the_wrong_size_names_the_size_of_each_image():
    with pytest.raises(ValueError, match=r"^images must have 64 values each \(shape \(8, 8\)\), "
                                         r"got 10$"):
        images.image_grid(np.zeros((1, 2, 10)))


def test_the_colour_bar_shows_the_mosaics_scale_with_ticks_at_fontsize():
    fig = images.image_grid(np.linspace(-2.0, 1.0, 128).reshape(2, 64), kind="signed",
                            fontsize=12)
    bar_ax = fig.axes[1]
    assert fig.axes[0].images[0].colorbar.ax is bar_ax
    assert bar_ax.get_ylim() == (-2.0, 2.0)
    assert {t.label1.get_fontsize() for t in bar_ax.yaxis.get_major_ticks()} == {12.0}
