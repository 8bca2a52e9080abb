"""Bounds on floating-point rounding, for claims such as "float32 rounding".

When a lesson says that two results agree "up to float32 rounding", its assert
compares the difference with a bound derived from the format's machine epsilon
and the sizes of the computation, not with an arbitrary small number. The
bounds build on the standard ones (Higham, *Accuracy and Stability of
Numerical Algorithms*, 2nd ed., 2002, chapter 3): with unit roundoff
u = eps / 2, a sum of k terms, or a dot product of length k, computed in
floating point in any order is off by at most gamma_k times the same sum of
absolute values, gamma_k = k u / (1 - k u) (:func:`gamma_n`; the name keeps it
apart from the weight decay gamma of the lessons).

The bounds below keep the second-order terms too (the error of an error), so
they hold as stated, under one assumption about the library: that its float32
tanh and sigmoid are within ``ACTIVATION_ROUNDING`` units u of the exact value
at their (rounded) input.
"""

from __future__ import annotations

import numpy as np

from ._checks import as_float_array, check_choice, check_int, check_positive_float

#: Machine epsilon of float32, 2**-23: the gap between 1 and the next float32.
FLOAT32_EPS = float(np.finfo(np.float32).eps)

_ACTIVATIONS = {  # the function, and a bound on the size of its slope
    "identity": (lambda z: z, 1.0),
    "tanh": (np.tanh, 1.0),
    "sigmoid": (lambda z: 1 / (1 + np.exp(-z)), 0.25),
    "relu": (lambda z: np.maximum(z, 0), 1.0),
}

#: The rounding of each activation itself, in units u of its value. Identity and
#: ReLU are exact. For tanh and sigmoid this is an assumption about the library,
#: not a theorem: torch's float32 versions were measured at most 1.0 u (tanh) and
#: 2.46 u (sigmoid, for z below -5) from the exact value of their float32 input,
#: and 4 u leaves room for other builds. (Outputs below float32's smallest normal
#: number, sigmoid(z) for z < -87, are not covered.)
ACTIVATION_ROUNDING = {"identity": 0.0, "tanh": 4.0, "sigmoid": 4.0, "relu": 0.0}


def gamma_n(k: int, eps: float = FLOAT32_EPS) -> float:
    """gamma_k = k u / (1 - k u) with u = eps / 2: the relative error bound of a
    k-term sum or dot product.

    Parameters
    ----------
    k : int
        Number of terms, >= 0, with k u < 1.
    eps : float
        Machine epsilon of the format (default float32's).

    Returns
    -------
    float
    """
    k = check_int(k, "k", low=0)
    eps = check_positive_float(eps, "eps")
    ku = k * eps / 2
    if ku >= 1:
        raise ValueError(f"k * eps / 2 must be below 1, got k={k}, eps={eps}")
    return ku / (1 - ku)


def forward_rounding_bound(X: np.ndarray, W: np.ndarray, W_tilde: np.ndarray,
                           b: np.ndarray | None = None, b_tilde: np.ndarray | None = None,
                           activation: str = "identity",
                           eps: float = FLOAT32_EPS) -> np.ndarray:
    """Entrywise bound on the rounding error of an autoencoder's output.

    The output x~ = W~ phi(W x + b) + b~ (identity output activation) computed
    in a floating-point format with machine epsilon ``eps`` differs from the
    exact value, for the same weights (held exactly in that format), by at most
    the returned amount in each entry. The bound adds up: rounding the input
    (u |x|), the encoder's sums of n + 1 terms (gamma_{n+1} of the rounded
    input's sizes, at most (1 + u) |x|), the activation (its slope times the
    error of its input, plus its own rounding, ``ACTIVATION_ROUNDING`` units u
    of its computed value), and the decoder's sums of m + 1 terms
    (gamma_{m+1} of the computed codes' sizes, at most |h| plus their error).
    Second-order terms are kept, so nothing is dropped; the one assumption is
    the activation's own rounding.

    Parameters
    ----------
    X : array of shape (N, n)
        The inputs, one a row.
    W : array of shape (m, n)
        Encoder weight.
    W_tilde : array of shape (n, m)
        Decoder weight.
    b : array of shape (m,), optional
        Encoder bias (none if omitted).
    b_tilde : array of shape (n,), optional
        Decoder bias (none if omitted).
    activation : {"identity", "tanh", "sigmoid", "relu"}
        The encoder's activation phi.
    eps : float
        Machine epsilon of the format the output was computed in.

    Returns
    -------
    array of shape (N, n)
        Non-negative bounds, one per output entry.
    """
    X = as_float_array(X, "X", ndim=2)
    W = as_float_array(W, "W", ndim=2)
    m, n = W.shape
    if X.shape[1] != n:
        raise ValueError(f"X must have {n} columns (W's), got shape {X.shape}")
    W_tilde = as_float_array(W_tilde, "W_tilde", shape=(n, m))
    b = np.zeros(m) if b is None else as_float_array(b, "b", shape=(m,))
    b_tilde = np.zeros(n) if b_tilde is None else as_float_array(b_tilde, "b_tilde", shape=(n,))
    phi, slope = _ACTIVATIONS[check_choice(activation, "activation", tuple(_ACTIVATIONS))]
    eps = check_positive_float(eps, "eps")
    u = eps / 2

    own = ACTIVATION_ROUNDING[activation] * u

    xw = np.abs(X) @ np.abs(W).T                                  # (N, m)
    err_z = gamma_n(n + 1, eps) * ((1 + u) * xw + np.abs(b)) + u * xw
    h = np.abs(phi(X @ W.T + b))
    err_h = slope * err_z + own * (h + slope * err_z)
    size_out = (h + err_h) @ np.abs(W_tilde).T + np.abs(b_tilde)   # (N, n)
    return gamma_n(m + 1, eps) * size_out + err_h @ np.abs(W_tilde).T


def mse_rounding_bound(X: np.ndarray, X_tilde: np.ndarray, output_error: np.ndarray,
                       eps: float = FLOAT32_EPS) -> float:
    """Bound on the rounding error of a mean squared error computed in floating point.

    ``nn.MSELoss`` in float32 rounds the input X, uses an output X~ that is
    itself off by up to ``output_error`` in each entry, subtracts, squares and
    sums N n terms. The exact MSE of the exact output and the float32 reading
    differ by at most the returned amount: per entry, the residual r is off by
    d = (1 + u) (output_error + u |x|) + u |r| (the output's error, the input's
    rounding, the subtraction's), so its square by 2 |r| d + d^2; the squaring,
    the sum of N n terms and the division add gamma_{N n + 1} of the total.

    Parameters
    ----------
    X : array of shape (N, n)
        The targets.
    X_tilde : array of shape (N, n)
        The exact (float64) reconstruction.
    output_error : array of shape (N, n)
        A bound on the rounding error of each entry of X~, e.g. from
        :func:`forward_rounding_bound`.
    eps : float
        Machine epsilon of the format the MSE was computed in.

    Returns
    -------
    float
        An absolute bound, in the units of the MSE.
    """
    X = as_float_array(X, "X", ndim=2)
    X_tilde = as_float_array(X_tilde, "X_tilde", shape=X.shape)
    output_error = as_float_array(output_error, "output_error", shape=X.shape)
    if np.any(output_error < 0):
        raise ValueError("output_error must be >= 0 (a bound on an error's size)")
    eps = check_positive_float(eps, "eps")
    r = np.abs(X - X_tilde)
    u = eps / 2
    d = (1 + u) * (output_error + u * np.abs(X)) + u * r
    return float(np.mean(2 * r * d + d ** 2) + gamma_n(X.size + 1, eps) * np.mean((r + d) ** 2))
