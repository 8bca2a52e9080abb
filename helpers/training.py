"""Training recipes for autoencoders, seeded and reproducible.

Two recipes:

- :func:`train_minibatch`, the source article's: Adam, learning rate 0.01,
  shuffled mini-batches of 32, a number of epochs (200 in the article);
- :func:`train_full_batch`: every step sees all the data, with Adam or L-BFGS.

Both minimize ``nn.MSELoss`` (the mean over all N * n entries) and return the
full-data MSE after every epoch or step.
"""

from __future__ import annotations

import random
import time
from dataclasses import dataclass

import numpy as np
import torch
from torch import nn

from ._checks import as_float_array, check_choice, check_int, check_positive_float
from .models import Autoencoder


@dataclass(frozen=True)
class TrainResult:
    """What a training run returns."""

    loss_history: np.ndarray  #: shape (epochs or steps,): full-data MSE after each
    final_mse: float          #: full-data MSE at the end
    elapsed: np.ndarray       #: shape (epochs or steps,): seconds since the start, after each


def seed_everything(seed: int) -> None:
    """Seed Python's, NumPy's and torch's random generators."""
    seed = check_int(seed, "seed", low=0, high=2**32 - 1)
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)


def _as_tensor(X: np.ndarray | torch.Tensor, model: nn.Module) -> torch.Tensor:
    X = as_float_array(X, "X", ndim=2)
    dtype = next(model.parameters()).dtype
    n_in = getattr(getattr(model, "encoder", None), "in_features", None)
    if n_in is not None and X.shape[1] != n_in:
        raise ValueError(f"X must have {n_in} columns (the model's inputs), got shape {X.shape}")
    return torch.as_tensor(X, dtype=dtype)


def full_mse(model: nn.Module, X: np.ndarray | torch.Tensor) -> float:
    """``nn.MSELoss`` of the model's reconstruction of all of X (N, n)."""
    X = _as_tensor(X, model)
    with torch.no_grad():
        return float(nn.functional.mse_loss(model(X), X))


def train_minibatch(model: nn.Module, X: np.ndarray, epochs: int = 200,
                    batch_size: int = 32, lr: float = 0.01, seed: int = 0,
                    weight_decay: float = 0.0) -> TrainResult:
    """The article's recipe: Adam on shuffled mini-batches.

    Parameters
    ----------
    model : nn.Module
        Maps (N, n) to (N, n); trained in place.
    X : array of shape (N, n)
    epochs, batch_size : int
        Each epoch visits every sample once in a fresh random order, as
        ``DataLoader(shuffle=True)`` does; the last batch may be smaller.
    lr : float
        Adam's learning rate.
    seed : int
        Seeds the shuffling (not the model's initial weights).
    weight_decay : float
        An L2 penalty, as Adam's ``weight_decay``.

    Returns
    -------
    TrainResult
        ``loss_history`` has one full-data MSE per epoch.
    """
    X = _as_tensor(X, model)
    epochs = check_int(epochs, "epochs", low=1)
    batch_size = check_int(batch_size, "batch_size", low=1)
    lr = check_positive_float(lr, "lr")
    weight_decay = check_positive_float(weight_decay, "weight_decay", allow_zero=True)
    generator = torch.Generator().manual_seed(check_int(seed, "seed", low=0))
    optimizer = torch.optim.Adam(model.parameters(), lr=lr, weight_decay=weight_decay)
    history, elapsed = np.empty(epochs), np.empty(epochs)
    start_time = time.perf_counter()
    for epoch in range(epochs):
        order = torch.randperm(X.shape[0], generator=generator)
        for start in range(0, X.shape[0], batch_size):
            batch = X[order[start:start + batch_size]]
            optimizer.zero_grad()
            nn.functional.mse_loss(model(batch), batch).backward()
            optimizer.step()
        history[epoch] = full_mse(model, X)
        elapsed[epoch] = time.perf_counter() - start_time
    return TrainResult(history, float(history[-1]), elapsed)


def train_full_batch(model: nn.Module, X: np.ndarray, steps: int = 500,
                     lr: float | None = None, method: str = "adam",
                     weight_decay: float = 0.0) -> TrainResult:
    """Full-batch training: every step uses all of X.

    Parameters
    ----------
    model : nn.Module
        Maps (N, n) to (N, n); trained in place.
    X : array of shape (N, n)
    steps : int
        Optimizer steps (for L-BFGS, outer iterations of up to 20 inner ones).
    lr : float, optional
        Defaults to 0.05 for Adam and 1.0 for L-BFGS.
    method : {"adam", "lbfgs"}
        L-BFGS uses a strong-Wolfe line search.
    weight_decay : float
        An L2 penalty ``weight_decay / 2 * sum of squared weights`` added to
        the loss (the same gradient as Adam's ``weight_decay``).

    Returns
    -------
    TrainResult
        ``loss_history`` has the full-data MSE (without the penalty) after each step.
    """
    X = _as_tensor(X, model)
    steps = check_int(steps, "steps", low=1)
    method = check_choice(method, "method", ("adam", "lbfgs"))
    lr = check_positive_float(0.05 if lr is None and method == "adam"
                              else 1.0 if lr is None else lr, "lr")
    weight_decay = check_positive_float(weight_decay, "weight_decay", allow_zero=True)
    params = list(model.parameters())
    if method == "adam":
        optimizer = torch.optim.Adam(params, lr=lr)
    else:
        optimizer = torch.optim.LBFGS(params, lr=lr, max_iter=20,
                                      line_search_fn="strong_wolfe",
                                      tolerance_grad=1e-12, tolerance_change=1e-15)

    def closure() -> torch.Tensor:
        optimizer.zero_grad()
        loss = nn.functional.mse_loss(model(X), X)
        if weight_decay:
            loss = loss + weight_decay / 2 * sum((p ** 2).sum() for p in params)
        loss.backward()
        return loss

    history, elapsed = np.empty(steps), np.empty(steps)
    start_time = time.perf_counter()
    for step in range(steps):
        optimizer.step(closure)
        history[step] = full_mse(model, X)
        elapsed[step] = time.perf_counter() - start_time
    return TrainResult(history, float(history[-1]), elapsed)


def fit_linear_autoencoder(X: np.ndarray, n_hidden: int, seed: int = 0,
                           recipe: str = "article", tied: bool = False,
                           bias: bool = False, steps: int | None = None,
                           weight_decay: float = 0.0) -> tuple[Autoencoder, TrainResult]:
    """Build a linear autoencoder n -> n_hidden -> n, seeded, and train it.

    Parameters
    ----------
    X : array of shape (N, n)
    n_hidden : int
        The code width m.
    seed : int
        Seeds the initial weights and the shuffling.
    recipe : {"article", "adam", "lbfgs"}
        "article": :func:`train_minibatch` with ``steps`` epochs (default 200);
        "adam" / "lbfgs": :func:`train_full_batch` with ``steps`` steps
        (defaults 2000 and 50).
    tied : bool
        Decoder weight W~ = W^T.
    bias : bool
        Give both layers biases (the article's PCA experiment has none).
    weight_decay : float
        An L2 penalty on all weights.

    Returns
    -------
    (Autoencoder, TrainResult)
    """
    X = as_float_array(X, "X", ndim=2)
    recipe = check_choice(recipe, "recipe", ("article", "adam", "lbfgs"))
    n_hidden = check_int(n_hidden, "n_hidden", low=1)
    seed_everything(seed)
    model = Autoencoder(X.shape[1], n_hidden, bias=bias, tied=tied)
    if recipe == "article":
        result = train_minibatch(model, X, epochs=200 if steps is None else steps,
                                 seed=seed, weight_decay=weight_decay)
    else:
        default = 2000 if recipe == "adam" else 50
        result = train_full_batch(model, X, steps=default if steps is None else steps,
                                  method=recipe, weight_decay=weight_decay)
    return model, result


@dataclass(frozen=True)
class SweepResult:
    """Linear autoencoders without biases, one per seed, trained side by side."""

    seeds: np.ndarray         #: shape (S,)
    W: np.ndarray             #: encoder weights, shape (S, m, n)
    W_tilde: np.ndarray       #: decoder weights, shape (S, n, m)
    loss_history: np.ndarray  #: full-data MSE after each epoch or step, shape (S, T)
    final_mse: np.ndarray     #: shape (S,)


def sweep_linear_autoencoders(X: np.ndarray, n_hidden: int, seeds: list[int] | range,
                              recipe: str = "article", steps: int | None = None,
                              tied: bool = False, weight_decay: float = 0.0,
                              lr: float | None = None,
                              betas: tuple[float, float] = (0.9, 0.999)) -> SweepResult:
    """Train one bias-free linear autoencoder per seed, all at once.

    Each seed's model starts from exactly the weights that
    ``fit_linear_autoencoder(X, n_hidden, seed)`` would give it, and sees its
    own shuffling. The models are stacked along a first axis and trained
    together: Adam works entry by entry and each model's loss depends only on
    its own weights, so this is the same as training them one after another
    (up to float rounding), but many times faster.

    Parameters
    ----------
    X : array of shape (N, n)
    n_hidden : int
        The code width m.
    seeds : sequence of int
        One model per seed, S in all.
    recipe : {"article", "adam"}
        "article": Adam, lr 0.01, shuffled batches of 32, ``steps`` epochs
        (default 200). "adam": full-batch Adam, lr 0.05, ``steps`` steps
        (default 2000).
    tied : bool
        Decoder weight W~ = W^T (then ``W_tilde`` is W's transpose).
    weight_decay : float
        Adam's L2 penalty on the weights.
    lr : float, optional
        Overrides the recipe's learning rate.
    betas : (float, float)
        Adam's decay rates (beta1, beta2) for its running averages of the
        gradient and of its square, each in [0, 1); torch's default
        (0.9, 0.999) is the article's.

    Returns
    -------
    SweepResult
    """
    X = as_float_array(X, "X", ndim=2)
    recipe = check_choice(recipe, "recipe", ("article", "adam"))
    n_hidden = check_int(n_hidden, "n_hidden", low=1)
    seeds = [check_int(s, "seeds[i]", low=0) for s in seeds]
    if not seeds:
        raise ValueError("seeds must not be empty")
    steps = check_int(200 if steps is None and recipe == "article"
                      else 2000 if steps is None else steps, "steps", low=1)
    lr = check_positive_float(lr if lr is not None
                              else 0.01 if recipe == "article" else 0.05, "lr")
    weight_decay = check_positive_float(weight_decay, "weight_decay", allow_zero=True)
    if not isinstance(betas, (tuple, list)) or len(betas) != 2:
        raise TypeError(f"betas must be a pair (beta1, beta2), got {betas!r}")
    betas = tuple(check_positive_float(b, f"betas[{i}]", allow_zero=True)
                  for i, b in enumerate(betas))
    if max(betas) >= 1:
        raise ValueError(f"betas must each be in [0, 1), got {betas}")

    encoders, decoders = [], []
    for seed in seeds:
        seed_everything(seed)
        model = Autoencoder(X.shape[1], n_hidden, bias=False, tied=tied)
        encoders.append(model.W.detach())
        decoders.append(None if tied else model.W_tilde.detach())
    W = nn.Parameter(torch.stack(encoders))                     # (S, m, n)
    params = [W]
    if not tied:
        W_dec = nn.Parameter(torch.stack(decoders))             # (S, n, m)
        params.append(W_dec)
    decoder = (lambda: W.transpose(1, 2)) if tied else (lambda: W_dec)

    def per_seed_mse(batch: torch.Tensor) -> torch.Tensor:      # batch (S, B, n)
        out = batch @ W.transpose(1, 2) @ decoder().transpose(1, 2)
        return ((out - batch) ** 2).mean(dim=(1, 2))            # (S,)

    data = torch.as_tensor(X, dtype=torch.float32)
    full = data.expand(len(seeds), *data.shape)
    optimizer = torch.optim.Adam(params, lr=lr, weight_decay=weight_decay, betas=betas)
    generators = [torch.Generator().manual_seed(seed) for seed in seeds]
    history = np.empty((len(seeds), steps))
    batch_size = 32 if recipe == "article" else data.shape[0]
    for step in range(steps):
        if recipe == "article":
            order = torch.stack([torch.randperm(data.shape[0], generator=g)
                                 for g in generators])          # (S, N)
        for start in range(0, data.shape[0], batch_size):
            batch = (data[order[:, start:start + batch_size]] if recipe == "article"
                     else full)
            optimizer.zero_grad()
            per_seed_mse(batch).sum().backward()
            optimizer.step()
        with torch.no_grad():
            history[:, step] = per_seed_mse(full).numpy()
    W_out = W.detach().numpy().copy()
    W_tilde_out = decoder().detach().numpy().copy()
    return SweepResult(np.array(seeds), W_out, W_tilde_out, history, history[:, -1].copy())
