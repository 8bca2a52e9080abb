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
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import numpy as np
import torch
from torch import nn

from ._checks import (as_float_array, check_bool, check_choice, check_int,
                      check_positive_float, check_seed)
from .models import Autoencoder


@dataclass(frozen=True)
class TrainResult:
    """What a training run returns."""

    loss_history: np.ndarray  #: shape (epochs or steps,): full-data MSE after each
    final_mse: float          #: full-data MSE at the end
    elapsed: np.ndarray       #: shape (epochs or steps,): seconds since the start, after each
    #: optimizer iterations in all: Adam's updates; for L-BFGS the inner iterations of
    #: its steps (up to 20 a step), counted by torch (0 if not recorded)
    iterations: int = 0
    #: evaluations of the loss and its gradient (L-BFGS's line search adds some)
    evaluations: int = 0


def seed_everything(seed: int) -> None:
    """Seed Python's, NumPy's and torch's random generators."""
    seed = check_seed(seed)
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)


#: The article's recipe: Adam with this learning rate, shuffled batches of this size,
#: this many epochs.
ARTICLE_LR = 0.01
ARTICLE_BATCH_SIZE = 32
ARTICLE_EPOCHS = 200
#: Full-batch training: the default learning rate and number of steps of each method.
FULL_BATCH_LR = {"adam": 0.05, "lbfgs": 1.0}
FULL_BATCH_STEPS = {"adam": 2000, "lbfgs": 50}


class TrainingDivergedError(ValueError):
    """Training produced a non-finite loss: the learning rate is too large for the problem."""


def _check_model(model: nn.Module) -> torch.dtype:
    """Check that ``model`` is a module with finite, trainable float weights; return their dtype."""
    if not isinstance(model, nn.Module):
        raise TypeError(f"model must be a torch nn.Module, got {type(model).__name__}")
    params = dict(model.named_parameters())
    if not any(p.requires_grad for p in params.values()):
        raise ValueError(f"model must have trainable parameters, got none "
                         f"({type(model).__name__} has {len(params)} parameters, "
                         f"none with requires_grad)")
    for name, p in params.items():
        if not p.is_floating_point():
            raise TypeError(f"model's parameter {name} must be floating point, got {p.dtype}")
        if not bool(torch.isfinite(p).all()):
            raise ValueError(f"model's parameter {name} must be finite, got NaN or infinity")
    return next(iter(params.values())).dtype


@contextmanager
def _evaluating(model: nn.Module) -> Iterator[None]:
    """Eval mode without gradients (dropout off: no random numbers drawn), then each
    submodule's own mode back."""
    modes = [(module, module.training) for module in model.modules()]
    model.eval()
    try:
        with torch.no_grad():
            yield
    finally:
        for module, mode in modes:
            module.training = mode


def _first_linear_width(model: nn.Module) -> str:
    """A hint for an error message: what the model's first ``nn.Linear`` expects."""
    first = next((m for m in model.modules() if isinstance(m, nn.Linear)), None)
    return "" if first is None else f" (its first Linear layer takes {first.in_features} inputs)"


def _prepare(model: nn.Module, X: np.ndarray | torch.Tensor,
             target: np.ndarray | torch.Tensor | None) -> tuple[torch.Tensor, torch.Tensor]:
    """Check model, X and target; return X and the target as tensors of the model's dtype.

    A probe forward pass over all of X (in eval mode, without gradients, so
    it changes no state and draws no random numbers) checks that the model
    accepts X's width and returns the target's shape.
    """
    dtype = _check_model(model)
    X = as_float_array(X, "X", ndim=2)
    if target is not None:
        target = as_float_array(target, "target", ndim=2)
        if target.shape != X.shape:
            raise ValueError(f"target must have X's shape {X.shape}, got {target.shape}")
    X_t = torch.as_tensor(X, dtype=dtype)
    target_t = X_t if target is None else torch.as_tensor(target, dtype=dtype)
    try:
        with _evaluating(model):
            out = model(X_t)
    except Exception as exc:
        raise ValueError(f"model cannot be applied to X of shape {tuple(X.shape)}"
                         f"{_first_linear_width(model)}: {exc}") from exc
    if not isinstance(out, torch.Tensor) or out.shape != target_t.shape:
        shape = tuple(out.shape) if isinstance(out, torch.Tensor) else type(out).__name__
        raise ValueError(f"model must map X of shape {tuple(X.shape)} to the "
                         f"{'target' if target is not None else 'input'}'s shape "
                         f"{tuple(target_t.shape)}, got {shape}")
    return X_t, target_t


def _mse(model: nn.Module, X: torch.Tensor, target: torch.Tensor) -> float:
    with _evaluating(model):
        return float(nn.functional.mse_loss(model(X), target))


def _check_finite_loss(value: float, when: str, lr: float) -> None:
    if not np.isfinite(value):
        raise TrainingDivergedError(f"training diverged: the full-data MSE is {value} "
                                    f"after {when}; lower lr (got {lr:g})")


def full_mse(model: nn.Module, X: np.ndarray | torch.Tensor,
             target: np.ndarray | torch.Tensor | None = None) -> float:
    """``nn.MSELoss`` of the model's output for all of X against the target.

    Parameters
    ----------
    model : nn.Module
        Maps (N, n) to (N, n).
    X : array of shape (N, n)
    target : array of shape (N, n), optional
        What the output should be; X itself by default (a reconstruction).

    Returns
    -------
    float
        The mean of the squared errors over all N * n entries, measured in
        eval mode (dropout off, batch norm on its running statistics).
    """
    X, target = _prepare(model, X, target)
    return _mse(model, X, target)


def train_minibatch(model: nn.Module, X: np.ndarray, epochs: int = ARTICLE_EPOCHS,
                    batch_size: int = ARTICLE_BATCH_SIZE, lr: float = ARTICLE_LR,
                    seed: int = 0, weight_decay: float = 0.0,
                    target: np.ndarray | None = None) -> TrainResult:
    """The article's recipe: Adam on shuffled mini-batches.

    Parameters
    ----------
    model : nn.Module
        Any module that maps (N, n) to (N, n), e.g. an :class:`Autoencoder` or
        a deep ``nn.Sequential``; trained in place. Its weights must be finite.
    X : array of shape (N, n)
        The inputs.
    epochs, batch_size : int
        Each epoch visits every sample once, in a fresh random order drawn
        with ``torch.randperm`` from a generator of its own seeded with
        ``seed`` (as ``DataLoader(shuffle=True)`` shuffles); the last batch may
        be smaller (22 of Iris's 150 rows with batches of 32).
    lr : float
        Adam's learning rate (> 0).
    seed : int
        Seeds the shuffling (not the model's initial weights), in [0, 2**32 - 1].
    weight_decay : float
        An L2 penalty, as Adam's ``weight_decay``.
    target : array of shape (N, n), optional
        What the model should output for X, e.g. clean data for noisy X (a
        denoising autoencoder). By default X itself.

    Returns
    -------
    TrainResult
        ``loss_history`` has one full-data MSE (against the target) per epoch.

    Raises
    ------
    TrainingDivergedError
        A ``ValueError``, if the loss becomes NaN or infinite (lr too large);
        the model is then left with the weights that produced it.
    """
    X, target = _prepare(model, X, target)
    epochs = check_int(epochs, "epochs", low=1)
    batch_size = check_int(batch_size, "batch_size", low=1)
    lr = check_positive_float(lr, "lr")
    weight_decay = check_positive_float(weight_decay, "weight_decay", allow_zero=True)
    generator = torch.Generator().manual_seed(check_seed(seed))
    optimizer = torch.optim.Adam(model.parameters(), lr=lr, weight_decay=weight_decay)
    history, elapsed = np.empty(epochs), np.empty(epochs)
    start_time = time.perf_counter()
    for epoch in range(epochs):
        order = torch.randperm(X.shape[0], generator=generator)
        for start in range(0, X.shape[0], batch_size):
            rows = order[start:start + batch_size]
            optimizer.zero_grad()
            nn.functional.mse_loss(model(X[rows]), target[rows]).backward()
            optimizer.step()
        history[epoch] = _mse(model, X, target)
        _check_finite_loss(history[epoch], f"epoch {epoch + 1}", lr)
        elapsed[epoch] = time.perf_counter() - start_time
    updates = epochs * -(-X.shape[0] // batch_size)
    return TrainResult(history, float(history[-1]), elapsed, updates, updates)


def train_full_batch(model: nn.Module, X: np.ndarray, steps: int = 500,
                     lr: float | None = None, method: str = "adam",
                     weight_decay: float = 0.0,
                     target: np.ndarray | None = None) -> TrainResult:
    """Full-batch training: every step uses all of X.

    Parameters
    ----------
    model : nn.Module
        Any module that maps (N, n) to (N, n); trained in place. Its weights
        must be finite.
    X : array of shape (N, n)
        The inputs.
    steps : int
        Optimizer steps (for L-BFGS, outer iterations of up to 20 inner ones).
    lr : float, optional
        Defaults to 0.05 for Adam and 1.0 for L-BFGS (> 0).
    method : {"adam", "lbfgs"}
        L-BFGS uses a strong-Wolfe line search.
    weight_decay : float
        An L2 penalty ``weight_decay / 2 * sum of squared weights`` added to
        the loss (the same gradient as Adam's ``weight_decay``).
    target : array of shape (N, n), optional
        What the model should output for X; by default X itself.

    Returns
    -------
    TrainResult
        ``loss_history`` has the full-data MSE (against the target, without
        the penalty) after each step.

    Raises
    ------
    TrainingDivergedError
        A ``ValueError``, if the loss becomes NaN or infinite.
    """
    X, target = _prepare(model, X, target)
    steps = check_int(steps, "steps", low=1)
    method = check_choice(method, "method", ("adam", "lbfgs"))
    lr = check_positive_float(FULL_BATCH_LR[method] if lr is None else lr, "lr")
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
        loss = nn.functional.mse_loss(model(X), target)
        if weight_decay:
            loss = loss + weight_decay / 2 * sum((p ** 2).sum() for p in params)
        loss.backward()
        return loss

    history, elapsed = np.empty(steps), np.empty(steps)
    start_time = time.perf_counter()
    for step in range(steps):
        optimizer.step(closure)
        history[step] = _mse(model, X, target)
        _check_finite_loss(history[step], f"step {step + 1}", lr)
        elapsed[step] = time.perf_counter() - start_time
    if method == "adam":
        return TrainResult(history, float(history[-1]), elapsed, steps, steps)
    state = optimizer.state[params[0]]                 # torch's own counters
    return TrainResult(history, float(history[-1]), elapsed,
                       int(state["n_iter"]), int(state["func_evals"]))


def fit_linear_autoencoder(X: np.ndarray, n_hidden: int, seed: int = 0,
                           recipe: str = "article", tied: bool = False,
                           bias: bool = False, steps: int | None = None,
                           weight_decay: float = 0.0,
                           target: np.ndarray | None = None) -> tuple[Autoencoder, TrainResult]:
    """Build a linear autoencoder n -> n_hidden -> n, seeded, and train it.

    Parameters
    ----------
    X : array of shape (N, n)
    n_hidden : int
        The code width m.
    seed : int
        Seeds the initial weights and the shuffling, in [0, 2**32 - 1].
    recipe : {"article", "adam", "lbfgs"}
        "article": :func:`train_minibatch` with ``steps`` epochs (default 200);
        "adam" / "lbfgs": :func:`train_full_batch` with ``steps`` steps
        (defaults 2000 and 50).
    tied : bool
        Decoder weight W~ = W^T.
    bias : bool
        Give both layers biases (the article's PCA experiment has none).
    steps : int, optional
        Epochs or steps, >= 1.
    weight_decay : float
        An L2 penalty on all weights.
    target : array of shape (N, n), optional
        What the model should output for X; by default X itself.

    Returns
    -------
    (Autoencoder, TrainResult)
    """
    X = as_float_array(X, "X", ndim=2)
    recipe = check_choice(recipe, "recipe", ("article", "adam", "lbfgs"))
    n_hidden = check_int(n_hidden, "n_hidden", low=1)
    tied = check_bool(tied, "tied")
    bias = check_bool(bias, "bias")
    if steps is not None:
        steps = check_int(steps, "steps", low=1)
    seed_everything(seed)
    model = Autoencoder(X.shape[1], n_hidden, bias=bias, tied=tied)
    if recipe == "article":
        result = train_minibatch(model, X, epochs=ARTICLE_EPOCHS if steps is None else steps,
                                 seed=seed, weight_decay=weight_decay, target=target)
    else:
        result = train_full_batch(model, X, method=recipe, weight_decay=weight_decay,
                                  steps=FULL_BATCH_STEPS[recipe] if steps is None else steps,
                                  target=target)
    return model, result


@dataclass(frozen=True)
class SweepResult:
    """Linear autoencoders without biases, one per seed, trained side by side."""

    seeds: np.ndarray         #: shape (S,)
    W: np.ndarray             #: encoder weights, shape (S, m, n)
    W_tilde: np.ndarray       #: decoder weights, shape (S, n, m)
    loss_history: np.ndarray  #: full-data MSE after each epoch or step, shape (S, T)
    final_mse: np.ndarray     #: shape (S,)
    #: the same models after fewer epochs or steps, for each count asked for with
    #: ``keep``: exactly what a sweep with ``steps`` equal to that count returns
    kept: dict[int, SweepResult] = field(default_factory=dict)


def sweep_linear_autoencoders(X: np.ndarray, n_hidden: int, seeds: list[int] | range,
                              recipe: str = "article", steps: int | None = None,
                              tied: bool = False, weight_decay: float = 0.0,
                              lr: float | None = None,
                              betas: tuple[float, float] = (0.9, 0.999),
                              target: np.ndarray | None = None,
                              keep: list[int] | tuple[int, ...] = ()) -> SweepResult:
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
        Overrides the recipe's learning rate (> 0).
    betas : (float, float)
        Adam's decay rates (beta1, beta2) for its running averages of the
        gradient and of its square, each in [0, 1); torch's default
        (0.9, 0.999) is the article's.
    target : array of shape (N, n), optional
        What the models should output for X; by default X itself.
    keep : sequence of int
        Epoch or step counts, each in [1, steps], after which to keep the
        weights as well: ``result.kept[t]`` is then the sweep as it stood after
        t of them, the same as a sweep with ``steps=t`` (training is
        deterministic and the first t epochs or steps do not depend on how many
        follow), without training it twice.

    Returns
    -------
    SweepResult

    Raises
    ------
    TrainingDivergedError
        A ``ValueError``, if any seed's loss becomes NaN or infinite.
    """
    X = as_float_array(X, "X", ndim=2)
    target = X if target is None else as_float_array(target, "target", shape=X.shape)
    recipe = check_choice(recipe, "recipe", ("article", "adam"))
    n_hidden = check_int(n_hidden, "n_hidden", low=1)
    if isinstance(seeds, (str, bytes)) or not isinstance(seeds, Iterable):
        raise TypeError(f"seeds must be a sequence of integers, got {type(seeds).__name__}")
    seeds = [check_seed(s, "seeds[i]") for s in seeds]
    if not seeds:
        raise ValueError("seeds must not be empty")
    tied = check_bool(tied, "tied")
    article = recipe == "article"
    if steps is None:
        steps = ARTICLE_EPOCHS if article else FULL_BATCH_STEPS["adam"]
    steps = check_int(steps, "steps", low=1)
    if lr is None:
        lr = ARTICLE_LR if article else FULL_BATCH_LR["adam"]
    lr = check_positive_float(lr, "lr")
    weight_decay = check_positive_float(weight_decay, "weight_decay", allow_zero=True)
    if not isinstance(betas, (tuple, list)) or len(betas) != 2:
        raise TypeError(f"betas must be a pair (beta1, beta2), got {betas!r}")
    betas = tuple(check_positive_float(b, f"betas[{i}]", allow_zero=True)
                  for i, b in enumerate(betas))
    if max(betas) >= 1:
        raise ValueError(f"betas must each be in [0, 1), got {betas}")
    if not isinstance(keep, (list, tuple, range)):
        raise TypeError(f"keep must be a sequence of int, got {type(keep).__name__}")
    keep = {check_int(t, "keep[i]", low=1, high=steps) for t in keep}

    encoders, decoders = [], []
    for seed in seeds:
        seed_everything(seed)
        model = Autoencoder(X.shape[1], n_hidden, bias=False)   # W drawn first, tied or not
        encoders.append(model.W.detach())
        decoders.append(model.W_tilde.detach())
    W = nn.Parameter(torch.stack(encoders))                     # (S, m, n)
    params = [W]
    if not tied:
        W_dec = nn.Parameter(torch.stack(decoders))             # (S, n, m)
        params.append(W_dec)
    decoder = (lambda: W.transpose(1, 2)) if tied else (lambda: W_dec)

    def per_seed_mse(batch: torch.Tensor, wanted: torch.Tensor) -> torch.Tensor:
        out = batch @ W.transpose(1, 2) @ decoder().transpose(1, 2)   # batch (S, B, n)
        return ((out - wanted) ** 2).mean(dim=(1, 2))           # (S,)

    data = torch.as_tensor(X, dtype=torch.float32)
    goal = torch.as_tensor(target, dtype=torch.float32)
    # foreach=False: what torch picks on CPU anyway, without re-deciding every step
    optimizer = torch.optim.Adam(params, lr=lr, weight_decay=weight_decay, betas=betas,
                                 foreach=False)
    generators = [torch.Generator().manual_seed(seed) for seed in seeds]
    history = np.empty((len(seeds), steps))
    snapshots = {}                                              # t -> (W, W~)

    def check(done: int) -> None:                               # history[:, done - 1]
        bad = np.flatnonzero(~np.isfinite(history[:, done - 1]))
        if bad.size:
            raise TrainingDivergedError(
                f"training diverged: the full-data MSE of seeds {[seeds[i] for i in bad]} "
                f"is not finite after {'epoch' if article else 'step'} "
                f"{done}; lower lr (got {lr:g})")

    for step in range(steps):
        if article:
            order = torch.stack([torch.randperm(data.shape[0], generator=g)
                                 for g in generators])          # (S, N)
            for start in range(0, data.shape[0], ARTICLE_BATCH_SIZE):
                rows = order[:, start:start + ARTICLE_BATCH_SIZE]
                for p in params:                                # zero_grad(), cheaper
                    p.grad = None
                per_seed_mse(data[rows], goal[rows]).sum().backward()
                optimizer.step()
            with torch.no_grad():
                history[:, step] = per_seed_mse(data, goal).numpy()
            check(step + 1)
        else:
            # full batch: the loss this step computes is the full-data loss after
            # the previous step (the same arithmetic), so record it instead of
            # computing it twice
            for p in params:
                p.grad = None
            loss = per_seed_mse(data, goal)                     # (N, n), broadcast over S
            if step:
                history[:, step - 1] = loss.detach().numpy()
                check(step)
            loss.sum().backward()
            optimizer.step()
        if step + 1 in keep:                    # histories are complete at the end
            snapshots[step + 1] = (W.detach().numpy().copy(),
                                   decoder().detach().numpy().copy())
    if not article:
        with torch.no_grad():
            history[:, -1] = per_seed_mse(data, goal).numpy()
        check(steps)
    kept = {t: SweepResult(np.array(seeds), W_t, W_tilde_t, history[:, :t].copy(),
                           history[:, t - 1].copy())
            for t, (W_t, W_tilde_t) in sorted(snapshots.items())}
    W_out = W.detach().numpy().copy()
    W_tilde_out = decoder().detach().numpy().copy()
    return SweepResult(np.array(seeds), W_out, W_tilde_out, history, history[:, -1].copy(),
                       kept)
