"""Full-batch training dynamics of a bias-free linear autoencoder, and Saxe et al.'s curves.

Full-batch training sees the data only through C = X^T X / N. For the loss of
``nn.MSELoss``, L = tr((I - W~W) C (I - W~W)^T) / n, the gradients are

    dL/dW~ = -(2/n) (I - W~W) C W^T,      dL/dW = -(2/n) W~^T (I - W~W) C.

The runs here therefore iterate on small matrices, for many initial weights at
once along a leading axis, and record for each principal direction u_j its
*strength* s_j = u_j^T W~ W u_j: 1 when the network reproduces u_j, 0 when it
drops it (lesson 3's e_j is 1 - s_j).

Time is measured in units of learning rate x steps, t = lr * step, so that small
learning rates follow the gradient flow dW/dt = -dL/dW whatever their size.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from collections.abc import Sequence

from ._checks import as_float_array, check_choice, check_int, check_positive_float
from .models import Autoencoder
from .training import seed_everything


@dataclass(frozen=True)
class Trajectory:
    """What :func:`train` records."""

    steps: np.ndarray               #: shape (T,): the step numbers recorded, 0 = the start
    strengths: np.ndarray           #: shape (S, T, n): u_j^T W~ W u_j per direction j
    mse: np.ndarray                 #: shape (S, T): the full-data ``nn.MSELoss``
    W_end: np.ndarray               #: shape (S, m, n): the encoders after the last step
    W_tilde_end: np.ndarray         #: shape (S, n, m): the decoders after the last step
    W: np.ndarray | None = None     #: shape (S, T, m, n), if ``keep_weights``
    W_tilde: np.ndarray | None = None  #: shape (S, T, n, m), if ``keep_weights``


def _stacked(W0: np.ndarray, W_tilde0: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Encoders (S, m, n) and decoders (S, n, m); a single pair gets S = 1."""
    W0 = as_float_array(W0, "W0")
    if W0.ndim == 2:
        W0 = W0[None]
    if W0.ndim != 3 or W0.shape[2] != n:
        raise ValueError(f"W0 must have shape (m, {n}) or (S, m, {n}), got {W0.shape}")
    W_tilde0 = as_float_array(W_tilde0, "W_tilde0")
    if W_tilde0.ndim == 2:
        W_tilde0 = W_tilde0[None]
    if W_tilde0.shape != (W0.shape[0], n, W0.shape[1]):
        raise ValueError(f"W_tilde0 must have shape {(W0.shape[0], n, W0.shape[1])} "
                         f"to match W0, got {W_tilde0.shape}")
    return W0.copy(), W_tilde0.copy()


def covariance_gradients(C: np.ndarray, W: np.ndarray, W_tilde: np.ndarray
                         ) -> tuple[np.ndarray, np.ndarray]:
    """The gradients of tr((I - W~W) C (I - W~W)^T) / n with respect to W and W~.

    Parameters
    ----------
    C : array of shape (n, n)
        The covariance X^T X / N (symmetric).
    W : array of shape (..., m, n)
    W_tilde : array of shape (..., n, m)

    Returns
    -------
    dL/dW : array of shape (..., m, n)
    dL/dW~ : array of shape (..., n, m)
    """
    return _gradients(*_checked(C, W, W_tilde))


def _checked(C: np.ndarray, W: np.ndarray, W_tilde: np.ndarray
             ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """C, W and W~ as float arrays, or an error naming the first that is wrong."""
    C = as_float_array(C, "C", ndim=2)
    n = C.shape[0]
    if C.shape != (n, n) or not np.allclose(C, C.T):
        raise ValueError(f"C must be a symmetric square matrix, got shape {C.shape}")
    W = as_float_array(W, "W")
    W_tilde = as_float_array(W_tilde, "W_tilde")
    if W.ndim < 2 or W.shape[-1] != n or W_tilde.shape != W.shape[:-2] + (n, W.shape[-2]):
        raise ValueError(f"W must have shape (..., m, {n}) and W_tilde (..., {n}, m), "
                         f"got {W.shape} and {W_tilde.shape}")
    return C, W, W_tilde


def _gradients(C: np.ndarray, W: np.ndarray, W_tilde: np.ndarray
               ) -> tuple[np.ndarray, np.ndarray]:
    n = C.shape[0]
    EC = (np.eye(n) - W_tilde @ W) @ C                      # (I - W~W) C
    return -(2 / n) * np.swapaxes(W_tilde, -1, -2) @ EC, -(2 / n) * EC @ np.swapaxes(W, -1, -2)


def covariance_mse(C: np.ndarray, W: np.ndarray, W_tilde: np.ndarray) -> np.ndarray:
    """``nn.MSELoss`` of the reconstruction, tr((I - W~W) C (I - W~W)^T) / n.

    Parameters
    ----------
    C : array of shape (n, n)
    W : array of shape (..., m, n)
    W_tilde : array of shape (..., n, m)

    Returns
    -------
    array of shape (...)
    """
    C, W, W_tilde = _checked(C, W, W_tilde)
    n = C.shape[0]
    E = np.eye(n) - W_tilde @ W
    return np.einsum("...ij,jk,...ik->...", E, C, E) / n


def small_init(n_inputs: int, n_hidden: int, seeds: Sequence[int], scale: float
               ) -> tuple[np.ndarray, np.ndarray]:
    """Small random weights: every entry of W and W~ drawn from N(0, scale^2).

    Each seed uses its own ``numpy.random.default_rng(seed)``, W first.

    Returns
    -------
    W0 : array of shape (S, m, n)
    W_tilde0 : array of shape (S, n, m)
    """
    n, m = check_int(n_inputs, "n_inputs", low=1), check_int(n_hidden, "n_hidden", low=1)
    scale = check_positive_float(scale, "scale")
    seeds = [check_int(s, "seeds[i]", low=0) for s in seeds]
    if not seeds:
        raise ValueError("seeds must not be empty")
    pairs = [(rng.normal(scale=scale, size=(m, n)), rng.normal(scale=scale, size=(n, m)))
             for rng in (np.random.default_rng(s) for s in seeds)]
    return np.array([p[0] for p in pairs]), np.array([p[1] for p in pairs])


def pytorch_init(n_inputs: int, n_hidden: int, seeds: Sequence[int]
                 ) -> tuple[np.ndarray, np.ndarray]:
    """The initial weights of ``Autoencoder(n_inputs, n_hidden, bias=False)`` per seed.

    The same weights that ``training.fit_linear_autoencoder(X, n_hidden, seed)``
    starts from (PyTorch's default initialization), as float64.

    Returns
    -------
    W0 : array of shape (S, m, n)
    W_tilde0 : array of shape (S, n, m)
    """
    n, m = check_int(n_inputs, "n_inputs", low=1), check_int(n_hidden, "n_hidden", low=1)
    seeds = [check_int(s, "seeds[i]", low=0) for s in seeds]
    if not seeds:
        raise ValueError("seeds must not be empty")
    encoders, decoders = [], []
    for seed in seeds:
        seed_everything(seed)
        model = Autoencoder(n, m, bias=False)
        encoders.append(model.W.detach().double().numpy())
        decoders.append(model.W_tilde.detach().double().numpy())
    return np.array(encoders), np.array(decoders)


def train(X: np.ndarray, W0: np.ndarray, W_tilde0: np.ndarray, steps: int, lr: float,
          method: str = "gd", record: np.ndarray | None = None,
          keep_weights: bool = False, betas: tuple[float, float] = (0.9, 0.999)
          ) -> Trajectory:
    """Full-batch training of bias-free linear autoencoders, from given initial weights.

    Parameters
    ----------
    X : array of shape (N, n)
        The data; only C = X^T X / N is used.
    W0 : array of shape (m, n) or (S, m, n)
        Initial encoders, one per run.
    W_tilde0 : array of shape (n, m) or (S, n, m)
        Initial decoders.
    steps : int
        Number of updates.
    lr : float
        The learning rate.
    method : {"gd", "adam"}
        "gd": plain gradient descent, W <- W - lr dL/dW. "adam": PyTorch's Adam
        (``torch.optim.Adam`` with eps 1e-8 and no weight decay), entry by entry.
    record : array of int, optional
        The steps (0 to ``steps``) after which to record; default every step.
    keep_weights : bool
        Also record the weights.
    betas : (float, float)
        Adam's decay rates for its running means of the gradient and of its
        square (PyTorch's defaults); ignored by "gd".

    Returns
    -------
    Trajectory
    """
    X = as_float_array(X, "X", ndim=2)
    n = X.shape[1]
    W, W_tilde = _stacked(W0, W_tilde0, n)
    steps = check_int(steps, "steps", low=1)
    lr = check_positive_float(lr, "lr")
    method = check_choice(method, "method", ("gd", "adam"))
    if (not isinstance(betas, tuple) or len(betas) != 2
            or not all(isinstance(b, (int, float)) and 0 <= b < 1 for b in betas)):
        raise ValueError(f"betas must be a pair of numbers in [0, 1), got {betas!r}")
    if not isinstance(keep_weights, bool):
        raise TypeError(f"keep_weights must be a bool, got {type(keep_weights).__name__}")
    if record is None:
        record = np.arange(steps + 1)
    else:
        record = np.asarray(record)
        if record.ndim != 1 or record.size == 0 or not np.issubdtype(record.dtype, np.integer):
            raise TypeError("record must be a non-empty 1-D array of integers")
        if np.any(np.diff(record) <= 0) or record[0] < 0 or record[-1] > steps:
            raise ValueError(f"record must be increasing steps in [0, {steps}]")
    C = X.T @ X / X.shape[0]
    lam, U = np.linalg.eigh(C)
    lam, U = lam[::-1], U[:, ::-1]                      # principal directions u_j
    # Gradient descent does not depend on the coordinates: run it where C is
    # diagonal (W U, U^T W~), which saves a matrix product a step. Adam scales each
    # weight entry, so it runs in the original coordinates.
    rotated = method == "gd"
    if rotated:
        W, W_tilde = W @ U, U.T @ W_tilde
    S, eye = W.shape[0], np.eye(n)
    strengths = np.empty((S, record.size, n))
    mse = np.empty((S, record.size))
    kept_W = np.empty((S, record.size) + W.shape[1:]) if keep_weights else None
    kept_Wt = np.empty((S, record.size) + W_tilde.shape[1:]) if keep_weights else None
    m_W, m_Wt, v_W, v_Wt = (np.zeros_like(W), np.zeros_like(W_tilde),
                            np.zeros_like(W), np.zeros_like(W_tilde))
    (beta1, beta2), eps = betas, 1e-8
    slot = 0
    for step in range(steps + 1):
        P = W_tilde @ W
        E = eye - P
        if slot < record.size and step == record[slot]:
            if rotated:
                strengths[:, slot] = np.diagonal(P, axis1=1, axis2=2)
                mse[:, slot] = np.einsum("sij,j->s", E * E, lam) / n
            else:
                strengths[:, slot] = np.einsum("ij,sik,kj->sj", U, P, U)
                mse[:, slot] = np.einsum("sij,jk,sik->s", E, C, E) / n
            if keep_weights:
                kept_W[:, slot] = W @ U.T if rotated else W
                kept_Wt[:, slot] = U @ W_tilde if rotated else W_tilde
            slot += 1
        if step == steps:
            break
        EC = E * lam if rotated else E @ C                  # (I - W~W) C
        gW = -(2 / n) * np.swapaxes(W_tilde, 1, 2) @ EC
        gWt = -(2 / n) * EC @ np.swapaxes(W, 1, 2)
        if method == "gd":
            W, W_tilde = W - lr * gW, W_tilde - lr * gWt
            continue
        m_W = beta1 * m_W + (1 - beta1) * gW               # torch.optim.Adam, step by step
        m_Wt = beta1 * m_Wt + (1 - beta1) * gWt
        v_W = beta2 * v_W + (1 - beta2) * gW * gW
        v_Wt = beta2 * v_Wt + (1 - beta2) * gWt * gWt
        t = step + 1
        correction1, root2 = 1 - beta1 ** t, np.sqrt(1 - beta2 ** t)
        W = W - (lr / correction1) * m_W / (np.sqrt(v_W) / root2 + eps)
        W_tilde = W_tilde - (lr / correction1) * m_Wt / (np.sqrt(v_Wt) / root2 + eps)
    if rotated:
        W, W_tilde = W @ U.T, U @ W_tilde
    return Trajectory(record.copy(), strengths, mse, W, W_tilde, kept_W, kept_Wt)


# ---------------------------------------------------------------- Saxe et al.'s curves

def mode_strength(t: np.ndarray, eigenvalue: float, initial: float, n: int) -> np.ndarray:
    """Saxe et al.'s sigmoid for one direction of a linear autoencoder.

    For decoupled, balanced weights (both layers aligned with u_j, equal sizes),
    gradient flow on ``nn.MSELoss`` gives ds/dt = (4 lambda / n) s (1 - s), so

        s(t) = s0 e^{4 lambda t / n} / (1 - s0 + s0 e^{4 lambda t / n}).

    Parameters
    ----------
    t : array
        Times, lr x steps, >= 0.
    eigenvalue : float
        lambda_j > 0.
    initial : float
        s0, in (0, 1).
    n : int
        The number of features (``nn.MSELoss`` averages over them).

    Returns
    -------
    array of the shape of t
    """
    t = as_float_array(t, "t")
    if np.any(t < 0):
        raise ValueError("t must be >= 0")
    lam = check_positive_float(eigenvalue, "eigenvalue")
    s0 = check_positive_float(initial, "initial")
    if s0 >= 1:
        raise ValueError(f"initial must be in (0, 1), got {s0}")
    n = check_int(n, "n", low=1)
    growth = np.exp(np.minimum(4 * lam * t / n, 700.0))    # no overflow; s is 1 by then
    return s0 * growth / (1 - s0 + s0 * growth)


def half_time(eigenvalue: float, initial: float, n: int, lr: float | None = None) -> float:
    """When s reaches 1/2: (n / (4 lambda)) ln((1 - s0) / s0).

    With ``lr`` the steps of gradient descent are taken into account: while s is
    small, each step multiplies it by (1 + 2 lr lambda / n)^2 instead of
    e^{4 lr lambda / n}, so the time becomes lr ln((1 - s0) / s0) / (2 ln(1 + 2 lr lambda / n)).

    Returns
    -------
    float
        The time t = lr x steps.
    """
    lam = check_positive_float(eigenvalue, "eigenvalue")
    s0 = check_positive_float(initial, "initial")
    if s0 >= 1:
        raise ValueError(f"initial must be in (0, 1), got {s0}")
    n = check_int(n, "n", low=1)
    log_odds = np.log((1 - s0) / s0)
    if lr is None:
        return float(n * log_odds / (4 * lam))
    lr = check_positive_float(lr, "lr")
    return float(lr * log_odds / (2 * np.log1p(2 * lr * lam / n)))


def initial_strengths(W0: np.ndarray, W_tilde0: np.ndarray, components: np.ndarray,
                      relative: bool = False) -> np.ndarray:
    """The effective initial strengths of the first m directions, from small weights.

    While the weights are small, the parts a_j = W u_j and b_j = W~^T u_j (vectors
    in the m-dimensional code space) follow a linear equation: their mean
    c_j = (a_j + b_j) / 2 grows like e^{2 lambda_j t / n}, their difference
    decays. Once direction 1 is learned, the part of c_2 along c_1 decays too (it
    would only duplicate direction 1), and so on: direction j starts, in effect,
    from the squared length of c_j after Gram-Schmidt against c_1, ..., c_{j-1}.

    Parameters
    ----------
    W0 : array of shape (m, n) or (S, m, n)
    W_tilde0 : array of shape (n, m) or (S, n, m)
    components : array of shape (n, n)
        The principal directions u_j, columns in order of decreasing eigenvalue.
    relative : bool
        Return instead the fraction of |c_j|^2 that survives the Gram-Schmidt step:
        the approximation is good when it is not tiny.

    Returns
    -------
    array of shape (S, m)
    """
    U = as_float_array(components, "components", ndim=2)
    n = U.shape[0]
    if U.shape != (n, n):
        raise ValueError(f"components must be square, got shape {U.shape}")
    W, W_tilde = _stacked(W0, W_tilde0, n)
    m = W.shape[1]
    c = (W @ U + np.swapaxes(W_tilde, 1, 2) @ U)[:, :, :m] / 2    # (S, m, m): column j is c_j
    if not isinstance(relative, bool):
        raise TypeError(f"relative must be a bool, got {type(relative).__name__}")
    R = np.linalg.qr(c, mode="r")
    strengths = np.abs(np.diagonal(R, axis1=1, axis2=2)) ** 2
    return strengths / np.sum(c ** 2, axis=1) if relative else strengths


def crossing_times(times: np.ndarray, values: np.ndarray, level: float) -> np.ndarray:
    """The first time each curve reaches ``level``, by linear interpolation.

    Parameters
    ----------
    times : array of shape (T,), increasing
    values : array of shape (..., T)
    level : float

    Returns
    -------
    array of shape (...)
        NaN where a curve never reaches the level.
    """
    times = as_float_array(times, "times", ndim=1)
    if np.any(np.diff(times) <= 0):
        raise ValueError("times must be increasing")
    values = as_float_array(values, "values")
    if values.shape[-1] != times.size:
        raise ValueError(f"values must have {times.size} entries along the last axis, "
                         f"got shape {values.shape}")
    if isinstance(level, bool) or not isinstance(level, (int, float, np.floating)) \
            or not np.isfinite(level):
        raise TypeError(f"level must be a finite real number, got {level!r}")
    above = values >= level
    i1 = np.argmax(above, axis=-1)[..., None]               # first index at or above
    i0 = np.maximum(i1 - 1, 0)
    v0 = np.take_along_axis(values, i0, axis=-1)[..., 0]
    v1 = np.take_along_axis(values, i1, axis=-1)[..., 0]
    t0, t1 = times[i0[..., 0]], times[i1[..., 0]]
    step = np.where(v1 > v0, v1 - v0, 1.0)                  # 1.0 where i1 == 0: t = t0
    crossed = np.where(i1[..., 0] > 0, t0 + (level - v0) / step * (t1 - t0), t0)
    return np.where(above.any(axis=-1), crossed, np.nan)
