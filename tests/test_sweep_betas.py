"""The ``betas`` option of helpers.training.sweep_linear_autoencoders (Adam's
decay rates), added for lesson 3's one-factor-at-a-time experiment."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from helpers import Autoencoder, data
from helpers.training import seed_everything, sweep_linear_autoencoders

X = data.iris().X


def test_default_betas_are_torchs_and_the_articles():
    default = sweep_linear_autoencoders(X, 2, [0, 1], steps=3)
    explicit = sweep_linear_autoencoders(X, 2, [0, 1], steps=3, betas=(0.9, 0.999))
    assert np.array_equal(default.W, explicit.W)
    assert np.array_equal(default.W_tilde, explicit.W_tilde)


def test_betas_reach_adam():
    """Full-batch, one seed, beta2 = 0.9: the same as torch's Adam by hand."""
    steps, betas = 5, (0.8, 0.9)
    swept = sweep_linear_autoencoders(X, 2, [3], recipe="adam", lr=0.01, steps=steps,
                                      betas=betas)
    seed_everything(3)
    model = Autoencoder(4, 2, bias=False)
    optimizer = torch.optim.Adam(model.parameters(), lr=0.01, betas=betas)
    data_t = torch.tensor(X, dtype=torch.float32)
    for _ in range(steps):
        optimizer.zero_grad()
        ((model(data_t) - data_t) ** 2).mean().backward()
        optimizer.step()
    assert np.allclose(swept.W[0], model.W.detach().numpy(), rtol=0, atol=1e-6)
    other = sweep_linear_autoencoders(X, 2, [3], recipe="adam", lr=0.01, steps=steps)
    assert not np.allclose(swept.W[0], other.W[0], rtol=0, atol=1e-6)


@pytest.mark.parametrize("betas, error, pattern", [
    (0.9, TypeError, "betas must be a pair"),
    ((0.9,), TypeError, "betas must be a pair"),
    ((0.9, 0.99, 0.999), TypeError, "betas must be a pair"),
    (("0.9", 0.999), TypeError, r"betas\[0\] must be a real number"),
    ((0.9, float("nan")), ValueError, r"betas\[1\] must be finite"),
    ((-0.1, 0.999), ValueError, r"betas\[0\] must be finite and >= 0"),
    ((0.9, 1.0), ValueError, r"betas must each be in \[0, 1\)"),
])
def test_bad_betas(betas, error, pattern):
    with pytest.raises(error, match=pattern):
        sweep_linear_autoencoders(X, 2, [0], steps=1, betas=betas)
