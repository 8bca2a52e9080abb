"""Unit and bad-input tests of helpers.prose: rounding in the safe direction."""

from __future__ import annotations

import numpy as np
import pytest

from helpers.prose import round_down, round_up


@pytest.mark.parametrize("value, up, down", [
    (8.698e-3, 8.7e-3, 8.6e-3),
    (0.912, 0.92, 0.91),
    (5.22e-6, 5.3e-6, 5.2e-6),
    (141.0, 150.0, 140.0),
    (-0.0312, -0.031, -0.032),
    (0.0, 0.0, 0.0),
])
def test_two_digits_in_the_safe_direction(value, up, down):
    assert np.isclose(round_up(value), up, rtol=1e-12)
    assert np.isclose(round_down(value), down, rtol=1e-12)
    assert round_down(value) <= value <= round_up(value)


def test_exact_values_stay_and_formatting_shows_the_kept_digits():
    assert round_up(0.25) == 0.25 and round_down(0.25) == 0.25
    assert f"{round_up(0.912):.2f}" == "0.92"
    assert f"{round_down(8.698e-3):.1e}" == "8.6e-03"
    assert f"{round_up(3.06, digits=1):.0f}" == "4"


def test_the_bound_holds_on_many_random_values():
    rng = np.random.default_rng(0)
    values = rng.normal(size=2000) * 10.0 ** rng.integers(-12, 12, size=2000)
    for value in values:
        for digits in (1, 2, 3):
            assert round_down(value, digits) <= value <= round_up(value, digits)
    assert round_up(np.float64(0.912)) == round_up(0.912)


def test_bad_input_is_refused():
    with pytest.raises(TypeError, match="value must be a real number"):
        round_up("0.9")
    with pytest.raises(TypeError, match="value must be a real number"):
        round_down(True)
    with pytest.raises(ValueError, match="value must be finite"):
        round_up(float("nan"))
    with pytest.raises(ValueError, match=r"digits must be in \[1, 15\]"):
        round_down(0.5, digits=0)
    with pytest.raises(TypeError, match="digits must be an integer"):
        round_up(0.5, digits=2.0)
