"""Autoencoders of the general form, and the six-class taxonomy.

The general form is

    h  = phi(W x + b)            (the code, shape (m,))
    x~ = phi~(W~ h + b~)         (the reconstruction, shape (n,))

with W of shape (m, n) and W~ of shape (n, m). In torch a batch is a tensor
of shape (N, n) and ``nn.Linear`` stores W as its ``weight``.
"""

from __future__ import annotations

from typing import NamedTuple

import torch
from torch import nn

from ._checks import check_bool, check_choice, check_int

#: Activation names accepted by :class:`Autoencoder` and :func:`classify`.
ACTIVATIONS: dict[str, type[nn.Module]] = {
    "identity": nn.Identity,
    "tanh": nn.Tanh,
    "sigmoid": nn.Sigmoid,
    "relu": nn.ReLU,
}
#: The activations that are linear maps (the slope-1 identity).
LINEAR_ACTIVATIONS = ("identity",)


class Taxonomy(NamedTuple):
    """Where an autoencoder sits in the 3 x 2 taxonomy."""

    width: str      #: "undercomplete", "complete" or "overcomplete"
    linearity: str  #: "linear" or "nonlinear"
    english: str    #: e.g. "undercomplete linear autoencoder"
    japanese: str   #: e.g. "不完備線形オートエンコーダ"


_WIDTH_JA = {"undercomplete": "不完備", "complete": "完備", "overcomplete": "過完備"}
_LINEARITY_JA = {"linear": "線形", "nonlinear": "非線形"}


def classify(n_inputs: int, n_hidden: int, activation: str = "identity",
             output_activation: str = "identity") -> Taxonomy:
    """Classify an autoencoder n -> m -> n by its widths and activations.

    Parameters
    ----------
    n_inputs : int
        n, the width of the input and output layers (>= 1).
    n_hidden : int
        m, the width of the hidden layer (>= 1).
    activation, output_activation : str
        Names from :data:`ACTIVATIONS` for phi and phi~. The autoencoder is
        linear only when both are linear.

    Returns
    -------
    Taxonomy
        m < n is undercomplete, m = n complete, m > n overcomplete.
    """
    n = check_int(n_inputs, "n_inputs", low=1)
    m = check_int(n_hidden, "n_hidden", low=1)
    names = tuple(ACTIVATIONS)
    check_choice(activation, "activation", names)
    check_choice(output_activation, "output_activation", names)
    width = "undercomplete" if m < n else "complete" if m == n else "overcomplete"
    linear = activation in LINEAR_ACTIVATIONS and output_activation in LINEAR_ACTIVATIONS
    linearity = "linear" if linear else "nonlinear"
    return Taxonomy(width, linearity, f"{width} {linearity} autoencoder",
                    f"{_WIDTH_JA[width]}{_LINEARITY_JA[linearity]}オートエンコーダ")


class Autoencoder(nn.Module):
    """The three-layer autoencoder x~ = phi~(W~ phi(W x + b) + b~).

    Parameters
    ----------
    n_inputs : int
        n, the width of the input and output layers.
    n_hidden : int
        m, the width of the hidden layer (the code).
    activation : str
        phi, a name from :data:`ACTIVATIONS`.
    output_activation : str
        phi~, a name from :data:`ACTIVATIONS`.
    bias : bool
        Whether the layers have the biases b and b~.
    tied : bool
        If true the decoder has no weight of its own: W~ = W^T.

    Notes
    -----
    ``forward`` takes a tensor of shape (N, n) and returns shape (N, n);
    ``encode`` returns the codes, shape (N, m). Inputs must be torch tensors
    of the weights' dtype (float32 unless the model was converted with
    ``.double()``); anything else gets a ``TypeError`` or ``ValueError``
    that says how to convert it.
    """

    def __init__(self, n_inputs: int, n_hidden: int, activation: str = "identity",
                 output_activation: str = "identity", bias: bool = True,
                 tied: bool = False) -> None:
        super().__init__()
        self.taxonomy = classify(n_inputs, n_hidden, activation, output_activation)
        bias = check_bool(bias, "bias")
        self.tied = check_bool(tied, "tied")
        self.encoder = nn.Linear(n_inputs, n_hidden, bias=bias)
        self.phi = ACTIVATIONS[activation]()
        if self.tied:
            self.decoder = None
            self.decoder_bias = nn.Parameter(torch.zeros(n_inputs)) if bias else None
        else:
            self.decoder = nn.Linear(n_hidden, n_inputs, bias=bias)
        self.phi_out = ACTIVATIONS[output_activation]()

    @property
    def W(self) -> torch.Tensor:
        """The encoder weight W, shape (m, n)."""
        return self.encoder.weight

    @property
    def W_tilde(self) -> torch.Tensor:
        """The decoder weight W~, shape (n, m); W^T when tied."""
        return self.encoder.weight.T if self.tied else self.decoder.weight

    @property
    def b_tilde(self) -> torch.Tensor | None:
        """The decoder bias b~, shape (n,), or None without biases."""
        return self.decoder_bias if self.tied else self.decoder.bias

    def _check_input(self, x: torch.Tensor, name: str, width: int) -> None:
        """Refuse what ``nn.Linear`` would meet with a raw error: (..., width) tensors only."""
        if not isinstance(x, torch.Tensor):
            raise TypeError(f"{name} must be a torch.Tensor of shape (N, {width}), got "
                            f"{type(x).__name__}; convert it with "
                            f"torch.as_tensor({name}, dtype={self.encoder.weight.dtype})")
        if x.dtype != self.encoder.weight.dtype:
            raise TypeError(f"{name} must have the model's dtype {self.encoder.weight.dtype}, "
                            f"got {x.dtype}; convert it with "
                            f"{name}.to({self.encoder.weight.dtype}), or the model with .to()")
        if x.ndim == 0 or x.shape[-1] != width:
            raise ValueError(f"{name} must have shape (N, {width}), got {tuple(x.shape)}")

    def encode(self, x: torch.Tensor) -> torch.Tensor:
        """The code h = phi(W x + b): (N, n) -> (N, m)."""
        self._check_input(x, "x", self.encoder.in_features)
        return self.phi(self.encoder(x))

    def decode(self, h: torch.Tensor) -> torch.Tensor:
        """The reconstruction phi~(W~ h + b~): (N, m) -> (N, n)."""
        self._check_input(h, "h", self.encoder.out_features)
        if self.tied:
            z = h @ self.encoder.weight
            return self.phi_out(z if self.decoder_bias is None else z + self.decoder_bias)
        return self.phi_out(self.decoder(h))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Reconstruct a batch: (N, n) -> (N, n)."""
        return self.decode(self.encode(x))
