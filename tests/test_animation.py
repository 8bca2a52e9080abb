"""Unit and bad-input tests of helpers.animation: a small training animation rendered to HTML."""

from __future__ import annotations

import re

import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.animation import FuncAnimation

from helpers import animation, data, dynamics, linalg


@pytest.fixture(scope="module")
def film_inputs():
    iris = data.iris()
    X, y = iris.X, iris.y
    result = linalg.pca(X)
    W0, Wt0 = dynamics.small_init(4, 2, [0], scale=0.01)
    run = dynamics.train(X, W0, Wt0, steps=400, lr=0.1, keep_weights=True)
    frames = np.array([0, 40, 400])
    codes = X @ np.swapaxes(run.W[0, frames], 1, 2)
    scores = X @ result.components[:, :2]
    floors = {"bound": linalg.eckart_young_bound(result.eigenvalues, 2)}
    return dict(steps=frames, codes=codes, scores=scores,
                score_std=np.sqrt(result.eigenvalues[:2]), labels=y,
                class_names=iris.target_names, loss_steps=run.steps[1:],
                loss=run.mse[0, 1:], floors=floors)


def test_to_html_is_self_contained_accessible_and_deterministic(film_inputs):
    html = animation.to_html(animation.training_animation(**film_inputs, dpi=40),
                             alt='Codes "settling" <fast>', name="demo")
    again = animation.to_html(animation.training_animation(**film_inputs, dpi=40),
                              alt='Codes "settling" <fast>', name="demo")
    assert html == again                                    # same bytes on every run
    assert "https://" not in html and "http://" not in html and "<link" not in html
    assert html.count("data:image/png;base64,") == 3        # one PNG per frame
    assert '<img id="_anim_imgdemo" alt="Codes &quot;settling&quot; &lt;fast>">' in html
    assert "anim_img" in html and not re.search(r"_anim_img[0-9a-f]{32}", html)
    assert 'title="Play"' in html and 'title="Pause"' in html
    # every control has an accessible name: the slider ours, the buttons matplotlib's
    assert '<input id="_anim_sliderdemo" type="range" aria-label="Animation frame"' in html
    buttons = re.findall(r"<button [^>]*>", html)
    assert len(buttons) == 9 and all(re.search(r'aria-label="[^"]+"', b) for b in buttons)
    assert html.count("<svg") == 9 and '<i class="fa' not in html
    assert not plt.get_fignums()                           # the figure was closed


def _frames(html):
    import base64
    import io

    from PIL import Image
    return [Image.open(io.BytesIO(base64.b64decode(data.replace("\\\n", ""))))
            for data in re.findall(r"data:image/png;base64,([^\"]*)\"", html)]


def test_frames_have_the_figure_size_at_the_chosen_dpi(film_inputs):
    html = animation.to_html(animation.training_animation(**film_inputs, dpi=50), alt="x")
    image = _frames(html)[0]
    assert image.size == (320, 144)   # 6.4 x 2.9 inches at 50 dpi (matplotlib rounds down)


def test_frames_are_palette_images_unless_asked_otherwise(film_inputs):
    def html(**kwargs):
        film = animation.training_animation(**film_inputs, dpi=60)
        return animation.to_html(film, alt="x", **kwargs)

    small, full = html(), html(colors=None)
    assert all(f.mode == "P" and len(f.getcolors()) <= 64 for f in _frames(small))
    assert all(f.mode == "RGBA" for f in _frames(full))
    assert len(small) < len(full) / 2
    for a, b in zip(_frames(small), _frames(full)):   # the same picture, nearly
        difference = np.abs(np.asarray(a.convert("RGB"), dtype=float)
                            - np.asarray(b.convert("RGB"), dtype=float)).max(axis=2)
        # measured: 1 level of 255 on average, 0.1 % of pixels off by more than 30
        assert difference.mean() < 2 and np.mean(difference > 30) < 0.01
    assert all(len(f.getcolors()) <= 16 for f in _frames(html(colors=16)))


def test_the_title_shows_the_time_or_the_step(film_inputs):
    film = animation.training_animation(**film_inputs, dpi=30, lr=0.1,
                                        score_labels=("u1 score", "u2 score"),
                                        loss_label="MSE, all flowers")
    film._func(2)                       # draw the last frame: step 400
    assert film._fig.axes[0].get_title() == "codes at t = 40 (step 400)"
    animation.to_html(film, alt="x")    # rendered: no warning when it is deleted
    film = animation.training_animation(**film_inputs, dpi=30)
    film._func(1)
    assert film._fig.axes[0].get_title() == "codes at step 40"
    animation.to_html(film, alt="x")


def test_training_animation_returns_a_closed_funcanimation(film_inputs):
    film = animation.training_animation(**film_inputs, dpi=30)
    assert isinstance(film, FuncAnimation)
    assert not plt.get_fignums()
    assert "<img" in animation.to_html(film, alt="x")    # renders although closed


def test_training_animation_rejects_bad_input(film_inputs):
    def call(**changes):
        animation.training_animation(**{**film_inputs, **changes})

    with pytest.raises(ValueError, match="codes must have shape"):
        call(codes=film_inputs["codes"][:2])
    with pytest.raises(ValueError, match="scores must have shape"):
        call(scores=film_inputs["scores"][:10])
    with pytest.raises(ValueError, match="labels must be integers"):
        call(labels=film_inputs["labels"].astype(float))
    with pytest.raises(ValueError, match="class_names must name every label"):
        call(class_names=["a", "b"])
    with pytest.raises(ValueError, match="loss > 0"):
        call(loss=-film_inputs["loss"])
    with pytest.raises(ValueError, match="loss_steps must be increasing"):
        call(loss_steps=film_inputs["loss_steps"][::-1].copy())
    with pytest.raises(TypeError, match="floors must be a dict"):
        call(floors=[0.1])
    with pytest.raises(ValueError, match="floors"):
        call(floors={"zero": 0.0})
    with pytest.raises(ValueError, match=r"dpi must be in \[20, 300\]"):
        call(dpi=5)
    with pytest.raises(ValueError, match="score_std must have shape"):
        call(score_std=np.ones(3))
    with pytest.raises(ValueError, match="lr must be"):
        call(lr=0.0)
    with pytest.raises(TypeError, match="score_labels must be a pair of strings"):
        call(score_labels="u1")
    with pytest.raises(TypeError, match="loss_label must be a string"):
        call(loss_label=None)


def test_to_html_rejects_bad_input(film_inputs):
    film = animation.training_animation(**film_inputs, dpi=30)
    with pytest.raises(TypeError, match="animation must be a matplotlib Animation"):
        animation.to_html("not an animation", alt="x")
    with pytest.raises(ValueError, match="alt must be a non-empty string"):
        animation.to_html(film, alt="  ")
    with pytest.raises(ValueError, match="name must be letters"):
        animation.to_html(film, alt="x", name="bad-name")
    with pytest.raises(ValueError, match=r"colors must be in \[2, 256\]"):
        animation.to_html(film, alt="x", colors=1)
    animation.to_html(film, alt="x")    # rendered once: no warning when it is deleted


@pytest.mark.parametrize("changes, exc, match", [
    ({"steps": np.ones((3, 1))}, ValueError, r"^steps must be a 1-D array"),
    ({"steps": np.array([0.0, np.nan, 400.0])}, ValueError, r"^steps must be finite"),
    ({"labels": np.zeros(150)}, ValueError, r"^labels must be integers of shape \(150,\)$"),
    ({"class_names": ["a", "b", "c", "d"]}, ValueError,
     r"^class_names must name every label, at most 3 classes$"),
    ({"loss_steps": np.ones((3, 1))}, ValueError, r"^loss_steps must be a 1-D array"),
    ({"loss_steps": np.array([1.0, np.nan])}, ValueError, r"^loss_steps must be finite"),
    ({"loss": np.ones(3)}, ValueError, r"^loss must have shape \(400\), got \(3,\)$"),
    ({"loss_steps": np.array([1.0, 2.0, 2.0]), "loss": np.ones(3)}, ValueError,
     r"^loss_steps must be increasing and >= 1, and loss > 0 \(log axes\)$"),
    ({"loss_steps": np.array([0.0, 1.0, 2.0]), "loss": np.ones(3)}, ValueError,
     r"^loss_steps must be increasing"),
    ({"loss_steps": np.array([1.0, 2.0]), "loss": np.array([1.0, 0.0])}, ValueError,
     r"^loss_steps must be increasing"),
    ({"floors": {"a": 1.0, "b": 2.0, "c": 3.0}}, TypeError,
     r"^floors must be a dict of at most two label -> level$"),
    ({"floors": {"zero": 0.0}}, ValueError, r"^floors\['zero'\] must be finite and > 0"),
    ({"interval": 19}, ValueError, r"^interval must be in \[20, inf\]"),
    ({"score_labels": ("u1",)}, TypeError, r"^score_labels must be a pair of strings$"),
    ({"loss_label": None}, TypeError, r"^loss_label must be a string, got NoneType$"),
])
def test_training_animation_checks_name_their_argument_from_the_start(film_inputs, changes,
                                                                       exc, match):
    with pytest.raises(exc, match=match):
        animation.training_animation(**{**film_inputs, **changes})


def test_training_animation_defaults_and_smallest_interval(film_inputs):
    """300 ms a frame at 120 dpi, the loss called MSE, the loss axis in steps without lr;
    two floors and an interval of 20 ms are accepted."""
    def loss_line(film):                 # the loss drawn up to the last frame
        film._func(len(film_inputs["steps"]) - 1)
        return film._fig.axes[1].lines[0]

    film = animation.training_animation(**film_inputs)
    assert film._interval == 300 and film._fig.dpi == 120
    assert film._fig.axes[1].get_ylabel() == "MSE (log scale)"
    np.testing.assert_array_equal(loss_line(film).get_xdata(), film_inputs["loss_steps"])
    animation.to_html(film, alt="x")    # rendered: no warning when it is deleted
    film = animation.training_animation(**{**film_inputs, "interval": 20, "lr": 0.1,
                                           "floors": {"a": 1.0, "b": 2.0}, "dpi": 30})
    assert film._interval == 20
    np.testing.assert_allclose(loss_line(film).get_xdata(), 0.1 * film_inputs["loss_steps"])
    animation.to_html(film, alt="x")


def test_to_html_default_name_capitals_and_every_ampersand(film_inputs):
    film = animation.training_animation(**film_inputs, dpi=30)
    html = animation.to_html(film, alt="codes & loss, A&B")
    assert '<img id="_anim_imganim" alt="codes &amp; loss, A&amp;B">' in html  # the default
    html = animation.to_html(film, alt="x", name="Demo_2")
    assert '<img id="_anim_imgDemo_2" alt="x">' in html
    with pytest.raises(TypeError, match=r"^animation must be a matplotlib Animation, got str$"):
        animation.to_html("not an animation", alt="x")
    with pytest.raises(ValueError, match=r"^alt must be a non-empty string$"):
        animation.to_html(film, alt="  ")
