"""Sigmoid-output autoencoders for data in [0, 1], trained with binary cross-entropy.

For a target x in [0, 1] and an output x~ = sigmoid(a) in (0, 1), the binary
cross-entropy is ``-x log x~ - (1 - x) log(1 - x~)``. It is smallest at x~ = x,
where it equals the binary entropy of x, ``-x log x - (1 - x) log(1 - x)``: so
the mean entropy of the data is a floor that no reconstruction goes below,
zero only for data that are exactly 0 or 1. Everything here is in nats
(natural logarithms) and averaged over all N * n entries, as ``nn.BCELoss``
and ``nn.MSELoss`` average.
"""

from __future__ import annotations

import numpy as np
import torch
from torch import nn

from ._checks import as_float_array, check_choice, check_int
from .models import Autoencoder
from .training import seed_everything


def _unit_interval(X: np.ndarray, name: str) -> np.ndarray:
    X = as_float_array(X, name, ndim=2)
    if X.min() < 0 or X.max() > 1:
        raise ValueError(f"{name} must lie in [0, 1], got values in [{X.min()}, {X.max()}]")
    return X


def binary_entropy(X: np.ndarray) -> float:
    """The mean binary entropy of the entries of X, in nats: the floor of the BCE.

    Parameters
    ----------
    X : array of shape (N, n)
        Values in [0, 1]; entries of exactly 0 or 1 contribute 0.

    Returns
    -------
    float
    """
    X = _unit_interval(X, "X")
    with np.errstate(divide="ignore", invalid="ignore"):
        h = -(X * np.log(X) + (1 - X) * np.log1p(-X))
    return float(np.where((X == 0) | (X == 1), 0.0, h).mean())


def mean_bce(X: np.ndarray, logits: np.ndarray) -> float:
    """The mean binary cross-entropy of sigmoid(logits) against X, in nats.

    Computed from the logits a as ``softplus(a) - x a`` in float64, which is
    exact where sigmoid(a) rounds to 0 or 1 (there ``log`` of the output
    would be infinite).

    Parameters
    ----------
    X : array of shape (N, n)
        Targets in [0, 1].
    logits : array of shape (N, n)
        The pre-activations a of the sigmoid output layer.

    Returns
    -------
    float
    """
    X = _unit_interval(X, "X")
    a = as_float_array(logits, "logits", shape=X.shape)
    return float((np.logaddexp(0.0, a) - X * a).mean())


def fit_sigmoid_autoencoder(X: np.ndarray, n_hidden: int, seed: int = 0, steps: int = 10,
                            loss: str = "bce") -> tuple[Autoencoder, np.ndarray]:
    """Train n -> n_hidden -> n with a linear code and a sigmoid output, full batch.

    The model is ``helpers.Autoencoder(n, n_hidden, activation="identity",
    output_activation="sigmoid")`` with biases: h = W x + b, x~ = sigmoid(W~ h + b~).
    It is seeded like :func:`helpers.training.fit_linear_autoencoder` and
    trained with L-BFGS (strong-Wolfe line search, up to 20 inner iterations
    a step) on all of X at once.

    Parameters
    ----------
    X : array of shape (N, n)
        Data in [0, 1] (not centred: the targets of a sigmoid).
    n_hidden : int
        The code width k.
    seed : int
        Seeds the initial weights.
    steps : int
        L-BFGS steps.
    loss : {"bce", "mse"}
        "bce": binary cross-entropy, computed from the logits
        (``binary_cross_entropy_with_logits``, stable where the sigmoid
        saturates). "mse": ``nn.MSELoss`` of the sigmoid outputs.

    Returns
    -------
    (Autoencoder, array of shape (steps,))
        The trained model and the training loss (mean per entry) after each step.
    """
    X = _unit_interval(X, "X")
    n_hidden = check_int(n_hidden, "n_hidden", low=1)
    steps = check_int(steps, "steps", low=1)
    loss = check_choice(loss, "loss", ("bce", "mse"))
    seed_everything(check_int(seed, "seed", low=0))
    model = Autoencoder(X.shape[1], n_hidden, activation="identity",
                        output_activation="sigmoid")
    x = torch.as_tensor(X, dtype=torch.float32)
    optimizer = torch.optim.LBFGS(model.parameters(), lr=1.0, max_iter=20,
                                  line_search_fn="strong_wolfe",
                                  tolerance_grad=1e-12, tolerance_change=1e-15)

    def objective() -> torch.Tensor:
        logits = model.decoder(model.encode(x))
        if loss == "bce":
            return nn.functional.binary_cross_entropy_with_logits(logits, x)
        return nn.functional.mse_loss(torch.sigmoid(logits), x)

    def closure() -> torch.Tensor:
        optimizer.zero_grad()
        value = objective()
        value.backward()
        return value

    history = np.empty(steps)
    for step in range(steps):
        optimizer.step(closure)
        with torch.no_grad():
            history[step] = float(objective())
    return model, history
