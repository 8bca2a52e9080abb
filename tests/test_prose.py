"""Unit and bad-input tests of helpers.prose: rounding in the safe direction."""

from __future__ import annotations

import numpy as np
import pytest
import torch

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


def test_values_one_ulp_from_a_round_number_stay_bounded():
    """The quotient value / unit rounds to a whole number although the value lies beyond it."""
    for value, digits in [(0.030000000000000002, 1), (0.9000000000000001, 1), (9.1e-05, 2)]:
        assert round_up(value, digits) >= value                 # ceil alone gives 0.03 < value
        assert round_up(value, digits) == pytest.approx(value + 10.0 ** np.floor(
            np.log10(value) - digits + 1), rel=1e-12)          # the next round number up
    for value, digits in [(3e-05, 1), (0.009, 1), (1.1999999999999999e-05, 2)]:
        assert round_down(value, digits) <= value               # floor alone gives 3e-05 > value
        assert round_down(value, digits) == pytest.approx(value - 10.0 ** np.floor(
            np.log10(value) - digits + 1), rel=1e-12)
    for digits in (1, 2):                                       # every round number, both sides
        for k in range(10 ** (digits - 1), 10 ** digits):
            for exponent in range(-6, 4):
                exact = k * 10.0 ** (exponent - digits + 1)
                for value in (np.nextafter(exact, -np.inf), exact, np.nextafter(exact, np.inf)):
                    assert round_down(value, digits) <= value <= round_up(value, digits)


def test_one_element_arrays_and_tensors_are_their_element():
    assert round_up(np.array([0.912])) == round_up(0.912)
    assert round_down(np.array(8.698e-3)) == round_down(8.698e-3)
    assert round_up(torch.tensor(0.912, dtype=torch.float64)) == round_up(0.912)
    assert round_down(torch.tensor([[8.698e-3]], dtype=torch.float64)) == round_down(8.698e-3)
    for value in (np.array([0.5, 0.7]), torch.zeros(2), np.zeros((1, 0))):
        with pytest.raises(TypeError, match="value must be a real number, got"):
            round_up(value)
    with pytest.raises(TypeError, match="value must be a real number, got bool"):
        round_up(np.array([True]))
    with pytest.raises(TypeError, match="value must be a real number, got str"):
        round_down(np.array(["0.5"]))


def test_bad_input_is_refused():
    with pytest.raises(TypeError, match=r"^value must be a real number, got str$"):
        round_up("0.9")
    with pytest.raises(TypeError, match=r"^value must be a real number, got bool$"):
        round_down(True)
    with pytest.raises(ValueError, match="value must be finite"):
        round_up(float("nan"))
    with pytest.raises(ValueError, match=r"digits must be in \[1, 15\]"):
        round_down(0.5, digits=0)
    with pytest.raises(TypeError, match="digits must be an integer"):
        round_up(0.5, digits=2.0)
