"""Deeper autoencoders, curved and linear toy data, and many seeds at once.

Lesson 9 compares nonlinear autoencoders with PCA. This module gives it:

- :func:`build_autoencoder`: an autoencoder of the general form from a list of
  widths ``[n, ..., k, ..., n]``, one activation for the hidden layers, an
  optional other one for the code layer, and a linear output layer;
- :func:`s_curve` and :func:`linear_data`: points near a curve (the S-curve of
  scikit-learn, seen side on) and points near a line or plane plus noise;
- :func:`sweep_autoencoders`: one network per seed, each on its own data set,
  trained side by side with :func:`helpers.training.train_full_batch`;
- :func:`mse_float64`: the reconstruction error of a trained network,
  evaluated in float64;
- :func:`backward_steps`: where a code, read along a path, runs against its
  main direction.
"""

from __future__ import annotations

import copy
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
import torch
from torch import nn

from . import training
from ._checks import as_float_array, check_choice, check_int, check_positive_float
from .models import ACTIVATIONS


def _check_widths(widths: Sequence[int]) -> list[int]:
    if isinstance(widths, (str, bytes)) or not isinstance(widths, Sequence):
        raise TypeError(f"widths must be a sequence of integers, got {type(widths).__name__}")
    widths = [check_int(w, "widths[i]", low=1) for w in widths]
    if len(widths) < 3:
        raise ValueError(f"widths must have at least 3 entries (input, code, output), "
                         f"got {widths}")
    if widths[0] != widths[-1]:
        raise ValueError(f"widths must start and end with the same width n, got {widths}")
    return widths


def code_layer(widths: Sequence[int]) -> int:
    """The index in ``widths`` of the code: the narrowest hidden layer (the first, if tied)."""
    widths = _check_widths(widths)
    hidden = widths[1:-1]
    return 1 + hidden.index(min(hidden))


def build_autoencoder(widths: Sequence[int], activation: str = "tanh",
                      code_activation: str | None = None, seed: int = 0) -> nn.Sequential:
    """An autoencoder n -> ... -> k -> ... -> n with a linear output layer.

    Parameters
    ----------
    widths : sequence of int
        Layer widths ``[n, h_1, ..., n]``, at least three, starting and ending
        with n. The code is the narrowest hidden layer (see :func:`code_layer`).
        ``[2, 1, 2]`` is the three-layer form of lesson 1 with k = 1;
        ``[2, 16, 16, 1, 16, 16, 2]`` a deep one.
    activation : str
        The activation of every hidden layer, a name from
        :data:`helpers.models.ACTIVATIONS`. The output layer has none.
    code_activation : str, optional
        The code layer's activation, if it differs (e.g. ``"identity"`` for a
        linear code between nonlinear layers).
    seed : int
        Seeds a local generator for the initial weights; the global torch
        generator is left alone. Each weight and bias is drawn uniformly from
        ``[-1/sqrt(fan_in), 1/sqrt(fan_in)]``, the distribution of PyTorch's
        default ``nn.Linear`` initialization.

    Returns
    -------
    nn.Sequential
        With two children, ``encoder`` (maps (N, n) to the codes (N, k)) and
        ``decoder`` (maps (N, k) to (N, n)), both ``nn.Sequential``.
    """
    widths = _check_widths(widths)
    names = tuple(ACTIVATIONS)
    activation = check_choice(activation, "activation", names)
    if code_activation is not None:
        code_activation = check_choice(code_activation, "code_activation", names)
    seed = check_int(seed, "seed", low=0, high=2**63 - 1)
    code = code_layer(widths)
    generator = torch.Generator().manual_seed(seed)
    encoder, decoder = [], []
    for i, (n_in, n_out) in enumerate(zip(widths[:-1], widths[1:])):
        layer = nn.utils.skip_init(nn.Linear, n_in, n_out)  # no draw from the global generator
        bound = 1 / np.sqrt(n_in)
        with torch.no_grad():
            for p in (layer.weight, layer.bias):
                p.copy_((2 * torch.rand(p.shape, generator=generator) - 1) * bound)
        part = encoder if i < code else decoder
        part.append(layer)
        if i + 1 < len(widths) - 1:  # a hidden layer: add its activation
            name = code_activation if i + 1 == code and code_activation else activation
            part.append(ACTIVATIONS[name]())
    return nn.Sequential(OrderedDict(encoder=nn.Sequential(*encoder),
                                     decoder=nn.Sequential(*decoder)))


def s_curve_at(t: np.ndarray) -> np.ndarray:
    """The noise-free S-curve seen side on: the points (sin t, sign(t) (cos t - 1)).

    Parameters
    ----------
    t : array of shape (N,)
        Positions along the curve; :func:`s_curve` draws them from
        [-3 pi / 2, 3 pi / 2].

    Returns
    -------
    array of shape (N, 2)
    """
    t = as_float_array(t, "t", ndim=1)
    return np.column_stack([np.sin(t), np.sign(t) * (np.cos(t) - 1)])


class Sample(NamedTuple):
    """Points and the true coordinates they were made from."""

    X: np.ndarray  #: the points, shape (N, n)
    t: np.ndarray  #: the true coordinates, shape (N,) for a curve, (N, k) for linear data


def s_curve(n_samples: int, noise: float = 0.0, seed: int = 0) -> Sample:
    """Points near scikit-learn's S-curve, seen side on: a curve in the plane.

    ``sklearn.datasets.make_s_curve`` draws t uniformly in [-3 pi / 2, 3 pi / 2]
    and returns the 3-D points (sin t, 2 v, sign(t) (cos t - 1)) with v uniform
    in [0, 1], plus Gaussian noise of standard deviation ``noise`` in each
    coordinate. The second coordinate is a straight direction; dropping it
    leaves an S-shaped curve in the plane, with intrinsic dimension 1. This
    function returns exactly columns 0 and 2 of
    ``make_s_curve(n_samples, noise=noise, random_state=seed)`` (a test checks
    it) without importing scikit-learn.

    Parameters
    ----------
    n_samples : int
        N >= 1.
    noise : float
        Standard deviation of the Gaussian noise, >= 0.
    seed : int
        Seeds a local ``numpy.random.RandomState``, as scikit-learn does.

    Returns
    -------
    Sample
        ``X`` of shape (N, 2); ``t`` of shape (N,), the position along the curve.
    """
    n_samples = check_int(n_samples, "n_samples", low=1)
    noise = check_positive_float(noise, "noise", allow_zero=True)
    seed = check_int(seed, "seed", low=0, high=2**32 - 1)
    rng = np.random.RandomState(seed)  # the generator make_s_curve uses
    t = 3 * np.pi * (rng.uniform(size=(1, n_samples)) - 0.5)
    v = 2.0 * rng.uniform(size=(1, n_samples))
    X = np.concatenate((np.sin(t), v, np.sign(t) * (np.cos(t) - 1))).T
    X += noise * rng.standard_normal(size=(3, n_samples)).T
    return Sample(X[:, [0, 2]], t.ravel())


def linear_data(n_samples: int, loadings: np.ndarray, noise: float, seed: int = 0) -> Sample:
    """Points near a k-dimensional subspace: x = A t + noise * e.

    The true coordinates t ~ N(0, I_k) and the noise e ~ N(0, I_n) are
    independent, so the population covariance is ``A A^T + noise**2 I``.

    Parameters
    ----------
    n_samples : int
        N >= 1.
    loadings : array of shape (n, k)
        A, with k <= n.
    noise : float
        Standard deviation of the isotropic Gaussian noise, >= 0.
    seed : int
        Seeds a local ``numpy.random.default_rng``.

    Returns
    -------
    Sample
        ``X`` of shape (N, n); ``t`` of shape (N, k).
    """
    n_samples = check_int(n_samples, "n_samples", low=1)
    A = as_float_array(loadings, "loadings", ndim=2)
    if A.shape[1] > A.shape[0]:
        raise ValueError(f"loadings must have shape (n, k) with k <= n, got {A.shape}")
    noise = check_positive_float(noise, "noise", allow_zero=True)
    seed = check_int(seed, "seed", low=0)
    rng = np.random.default_rng(seed)
    t = rng.standard_normal((n_samples, A.shape[1]))
    return Sample(t @ A.T + noise * rng.standard_normal((n_samples, A.shape[0])), t)


def mse_float64(model: nn.Module, X: np.ndarray) -> float:
    """``nn.MSELoss`` of ``model``'s reconstruction of X, computed in float64.

    A float64 copy of the model is evaluated; the model itself is unchanged.
    Use it to compare a trained network with a bound to within float64
    rounding rather than float32's.

    Parameters
    ----------
    model : nn.Module
        Maps (N, n) to (N, n).
    X : array of shape (N, n)

    Returns
    -------
    float
    """
    if not isinstance(model, nn.Module):
        raise TypeError(f"model must be a torch nn.Module, got {type(model).__name__}")
    X = torch.as_tensor(as_float_array(X, "X", ndim=2))
    first = next((m for m in model.modules() if isinstance(m, nn.Linear)), None)
    if first is not None and X.shape[1] != first.in_features:
        raise ValueError(f"X must have {first.in_features} columns (the model's inputs), "
                         f"got shape {tuple(X.shape)}")
    twin = copy.deepcopy(model).double()
    with torch.no_grad():
        out = twin(X)
    if out.shape != X.shape:
        raise ValueError(f"model must map X of shape {tuple(X.shape)} to the same shape, "
                         f"got {tuple(out.shape)}")
    return float(((out - X) ** 2).mean())


def backward_steps(codes: np.ndarray) -> np.ndarray:
    """Which steps of a code, read along a path, run against its main direction.

    The main direction is the one in which most steps move (up or down). A
    code that orders the whole path as the path's own parameter does has no
    backward step; a step on which the code does not change counts as backward.

    Parameters
    ----------
    codes : array of shape (G,)
        A one-number code at G >= 2 points in order along a path, e.g. an
        encoder's output at evenly spaced positions along a curve.

    Returns
    -------
    bool array of shape (G - 1,)
        True where ``codes[g + 1] - codes[g]`` has the sign opposite to the main
        direction, or is zero.

    Raises
    ------
    ValueError
        If as many steps go up as go down: there is no main direction.
    """
    codes = as_float_array(codes, "codes", ndim=1)
    if codes.size < 2:
        raise ValueError(f"codes must hold at least 2 values, got {codes.size}")
    steps = np.sign(np.diff(codes))
    main = np.sign(steps.sum())
    if main == 0:
        raise ValueError("codes has as many steps up as down: no main direction")
    return steps != main


def _layers(model: nn.Sequential) -> list[nn.Module]:
    """The model's layers in order, with encoder and decoder flattened."""
    flat = []
    for child in model.children():
        flat.extend(_layers(child) if isinstance(child, nn.Sequential) else [child])
    return flat


class StackedAutoencoders(nn.Module):
    """S networks of one architecture side by side, as one module.

    The input is the S data sets placed side by side, shape (N, S * n): columns
    ``s * n`` to ``(s + 1) * n`` are data set s. Network s sees only its own
    block, and the output has the same layout. Each layer's weights are stacked
    along a first axis of length S, as ``weights[l]`` of shape (S, in, out) (each
    network's W^T, so that no transpose is needed in the forward pass) and
    ``biases[l]`` of shape (S, 1, out), and applied with one batched matrix product.

    Parameters
    ----------
    models : sequence of nn.Sequential
        Built by :func:`build_autoencoder` with the same widths and activations.
    """

    def __init__(self, models: Sequence[nn.Sequential]) -> None:
        super().__init__()
        if not models:
            raise ValueError("models must not be empty")
        layer_lists = [_layers(m) for m in models]
        self._template = [copy.deepcopy(models[0])]  # a list: not a submodule to train
        kinds = [type(layer) for layer in layer_lists[0]]
        for layers in layer_lists:
            if [type(layer) for layer in layers] != kinds or any(
                    isinstance(a, nn.Linear) and a.weight.shape != b.weight.shape
                    for a, b in zip(layers, layer_lists[0])):
                raise ValueError("models must all have the same architecture")
        self.weights, self.biases, self.activations = (nn.ParameterList(), nn.ParameterList(),
                                                       nn.ModuleList())
        for i, layer in enumerate(layer_lists[0]):
            if isinstance(layer, nn.Linear):
                self.weights.append(torch.stack([ls[i].weight.detach().T for ls in layer_lists])
                                    .contiguous())                     # (S, in, out)
                self.biases.append(torch.stack([ls[i].bias.detach() for ls in layer_lists])
                                   .unsqueeze(1))                      # (S, 1, out)
                self.activations.append(nn.Identity())
            else:
                self.activations[-1] = copy.deepcopy(layer)
        self.n_models = len(models)
        self.n_features = self.weights[0].shape[1]
        # The loss of the whole stack is the mean over the S networks, so each
        # network's gradient arrives divided by S: multiply it back.
        for p in self.parameters():
            p.register_hook(lambda grad: grad * self.n_models)

    def forward(self, X: torch.Tensor) -> torch.Tensor:
        """(N, S * n) -> (N, S * n), network s applied to block s."""
        N = X.shape[0]
        h = X.reshape(N, self.n_models, self.n_features).transpose(0, 1)   # (S, N, n)
        for W, b, phi in zip(self.weights, self.biases, self.activations):
            h = phi(torch.baddbmm(b, h, W))
        return h.transpose(0, 1).reshape(N, self.n_models * self.n_features)

    def unstack(self) -> list[nn.Sequential]:
        """The S trained networks as separate copies of the original architecture."""
        models = []
        for s in range(self.n_models):
            model = copy.deepcopy(self._template[0])
            linears = [layer for layer in _layers(model) if isinstance(layer, nn.Linear)]
            with torch.no_grad():
                for layer, W, b in zip(linears, self.weights, self.biases):
                    layer.weight.copy_(W[s].T)
                    layer.bias.copy_(b[s, 0])
            models.append(model)
        return models


@dataclass(frozen=True)
class DeepSweep:
    """One trained network per seed, each on its own data set."""

    seeds: np.ndarray            #: shape (S,)
    models: list[nn.Sequential]  #: S trained networks
    final_mse: np.ndarray        #: each network's training-set MSE at the end, shape (S,)
    loss_history: np.ndarray     #: mean over the S networks of the training MSE, shape (T,)


def sweep_autoencoders(widths: Sequence[int], data: np.ndarray, seeds: Sequence[int],
                       activation: str = "tanh", code_activation: str | None = None,
                       steps: int = 500, lr: float | None = None) -> DeepSweep:
    """Train one autoencoder per seed, all at once, each on its own data set.

    Network s starts from ``build_autoencoder(widths, activation,
    code_activation, seed=seeds[s])`` and is trained on ``data[s]``. The S
    networks are stacked into a :class:`StackedAutoencoders` and trained with
    full-batch Adam by :func:`helpers.training.train_full_batch`. Its loss, the
    MSE over all S blocks, is the mean of the S networks' own losses; the stack
    multiplies each gradient back by S, so each network receives the gradient of
    its own loss and Adam takes for it the steps it would take alone, up to float
    rounding. (Nonlinear training can amplify rounding differences over many
    steps, so a network trained alone, or in a stack of other networks, ends
    close to but not exactly where it ends here.)

    Parameters
    ----------
    widths : sequence of int
        As for :func:`build_autoencoder`.
    data : array of shape (S, N, n)
        One training set per seed, all of the same size.
    seeds : sequence of int
        S seeds for the initial weights.
    activation, code_activation : str
        As for :func:`build_autoencoder`.
    steps : int
        Full-batch Adam steps.
    lr : float, optional
        Adam's learning rate; ``train_full_batch``'s default (0.05) if None.

    Returns
    -------
    DeepSweep
    """
    widths = _check_widths(widths)
    if isinstance(seeds, (str, bytes)) or not isinstance(seeds, Sequence):
        raise TypeError(f"seeds must be a sequence of integers, got {type(seeds).__name__}")
    seeds = [check_int(s, "seeds[i]", low=0) for s in seeds]
    if not seeds:
        raise ValueError("seeds must not be empty")
    data = as_float_array(data, "data", ndim=3)
    if data.shape[0] != len(seeds) or data.shape[2] != widths[0]:
        raise ValueError(f"data must have shape ({len(seeds)}, N, {widths[0]}) "
                         f"(one data set per seed, n = widths[0]), got {data.shape}")
    steps = check_int(steps, "steps", low=1)
    models = [build_autoencoder(widths, activation, code_activation, seed=s) for s in seeds]
    stacked = StackedAutoencoders(models)
    S, N, n = data.shape
    side_by_side = data.transpose(1, 0, 2).reshape(N, S * n)
    result = training.train_full_batch(stacked, side_by_side, steps=steps, lr=lr,
                                       method="adam")
    trained = stacked.unstack()
    final = np.array([training.full_mse(m, X) for m, X in zip(trained, data)])
    return DeepSweep(np.array(seeds), trained, final, result.loss_history)
