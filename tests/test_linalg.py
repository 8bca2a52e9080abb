"""Unit and property tests of helpers.linalg, and of the plots lesson 4 uses.

The property tests draw small problems (hypothesis picks the seed, the sizes and
the angles; NumPy draws the matrices from that seed), so the file runs in a few
seconds.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest
import scipy.linalg
from hypothesis import given, settings
from hypothesis import strategies as st
import matplotlib
import matplotlib.pyplot as plt
from matplotlib.axes import Axes
from sklearn.decomposition import PCA

from helpers import data, linalg, plots

# (conftest.py selects the Agg backend and closes every figure after each test)
FAST = settings(max_examples=20, deadline=None, database=None)  # no .hypothesis folder
seeds = st.integers(min_value=0, max_value=2**32 - 1)


# ---------------------------------------------------------------- generators

def random_data(seed: int, n: int, N: int = 60) -> np.ndarray:
    """N samples in R^n with well-separated covariance eigenvalues."""
    rng = np.random.default_rng(seed)
    scales = 2.0 ** -np.arange(n)                # variances 1, 1/4, 1/16, ...
    rotation, _ = np.linalg.qr(rng.normal(size=(n, n)))
    X = rng.normal(size=(N, n)) * scales @ rotation.T
    return X - X.mean(axis=0)


def invertible(seed: int, k: int) -> np.ndarray:
    """A random k x k matrix with condition number at most 10."""
    rng = np.random.default_rng(seed)
    left, _ = np.linalg.qr(rng.normal(size=(k, k)))
    right, _ = np.linalg.qr(rng.normal(size=(k, k)))
    return left @ np.diag(rng.uniform(0.5, 5.0, size=k)) @ right


def rotation2(theta: float) -> np.ndarray:
    return np.array([[np.cos(theta), -np.sin(theta)],
                     [np.sin(theta), np.cos(theta)]])


# ---------------------------------------------------------------- covariance, pca

def test_covariance_uses_one_over_n_and_centres():
    X = random_data(0, 3) + [5.0, -2.0, 100.0]
    assert np.allclose(linalg.covariance(X), np.cov(X.T, bias=True), rtol=1e-12, atol=1e-14)
    with pytest.raises(ValueError, match=r"^X must be a 2-D array"):
        linalg.covariance(np.ones(3))


@pytest.mark.parametrize("X", [random_data(0, 3) * 1e200,
                               np.array([[1e308, 1.0], [1e308, 2.0]]),
                               np.array([[1e308, 0.0], [-1e308, 1.0]])])
def test_overflow_is_a_named_error_without_warnings(X):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(ValueError, match=r"^X is too large"):
            linalg.covariance(X)


@FAST
@given(seed=seeds, n=st.integers(2, 5))
def test_pca_of_rank_deficient_data_has_no_negative_eigenvalues(seed, n):
    X = random_data(seed, n)
    X[:, -1] = X[:, 0]                                         # a repeated column
    values = linalg.pca(X).eigenvalues
    assert np.all(values >= 0) and values[-1] < 1e-12


def test_explained_ratio_does_not_depend_on_the_scale():
    X = random_data(1, 3)
    for scale in (1e-3, 1.0, 1e3):                             # total variance below and above 1
        ratio = linalg.pca(scale * X).explained_ratio
        assert np.allclose(ratio, linalg.pca(X).explained_ratio, rtol=1e-12, atol=0)
        assert np.isclose(ratio.sum(), 1.0)


def test_pca_of_constant_data_explains_nothing():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        result = linalg.pca(np.ones((3, 2)))
    assert np.array_equal(result.explained_ratio, [0.0, 0.0])


def test_pca_on_iris_gives_the_lessons_eigenvalues():
    result = linalg.pca(data.iris().X)
    assert np.allclose(result.eigenvalues, [2.9185, 0.9140, 0.1468, 0.0207], atol=1e-4)
    assert np.isclose(result.explained_ratio[:2].sum(), 0.9581, atol=1e-4)


@FAST
@given(seed=seeds, n=st.integers(2, 5))
def test_pca_is_sorted_orthonormal_and_diagonalizes(seed, n):
    X = random_data(seed, n)
    result = linalg.pca(X)
    U, values = result.components, result.eigenvalues
    assert np.all(np.diff(values) <= 0)
    assert np.allclose(U.T @ U, np.eye(n), atol=1e-10)
    assert np.allclose(linalg.covariance(X) @ U, U * values, atol=1e-10)
    assert np.isclose(result.explained_ratio.sum(), 1.0)


@FAST
@given(seed=seeds, n=st.integers(2, 5))
def test_pca_matches_sklearn_up_to_sign(seed, n):
    X = random_data(seed, n)
    ours = linalg.pca(X)
    theirs = PCA(n_components=n).fit(X)
    N = X.shape[0]
    assert np.allclose(theirs.explained_variance_ * (N - 1) / N, ours.eigenvalues,
                       rtol=1e-8, atol=1e-12)
    cosines = np.abs(np.sum(theirs.components_.T * ours.components, axis=0))
    assert np.allclose(cosines, 1.0, atol=1e-8)


@FAST
@given(seed=seeds)
def test_pca_sign_convention_is_reproducible(seed):
    X = random_data(seed, 4)
    U = linalg.pca(X).components
    assert np.all(U[np.abs(U).argmax(axis=0), np.arange(4)] > 0)
    assert np.allclose(linalg.pca(X[::-1]).components, U)  # row order does not matter


def test_pca_rejects_bad_input():
    with pytest.raises(ValueError, match=r"^X must"):
        linalg.pca(np.ones(5))                      # 1-D
    with pytest.raises(ValueError, match=r"^X must have at least 2 rows, got 1$"):
        linalg.pca(np.ones((1, 3)))                 # one row
    assert linalg.pca(np.array([[0.0, 1.0], [2.0, 1.0]])).eigenvalues.tolist() == [1.0, 0.0]
    with pytest.raises(ValueError, match=r"^X must"):
        linalg.pca(np.array([[1.0, np.nan], [2.0, 3.0]]))
    with pytest.raises(TypeError, match=r"^X must"):
        linalg.pca(np.array([["a", "b"], ["c", "d"]]))
    with pytest.raises(ValueError, match=r"^X is too large: its covariance overflows float64; rescale it \(largest \|entry\| 2\.\d+e\+200\)$"):
        linalg.pca(random_data(0, 3) * 1e200)
    with pytest.raises(ValueError, match=r"^X is too large"):
        linalg.covariance(np.array([[1e308, 0.0], [-1e308, 1.0]]))


# ---------------------------------------------------------------- Eckart-Young bound

def test_bound_on_iris():
    values = linalg.pca(data.iris().X).eigenvalues
    assert np.isclose(linalg.eckart_young_bound(values, 2), 0.041868, atol=1e-6)


@FAST
@given(seed=seeds, n=st.integers(2, 6))
def test_bound_with_k_equal_n_is_zero_and_k_zero_is_mean_variance(seed, n):
    values = linalg.pca(random_data(seed, n)).eigenvalues
    assert linalg.eckart_young_bound(values, n) == 0.0
    assert np.isclose(linalg.eckart_young_bound(values, 0), values.sum() / n)


@FAST
@given(seed=seeds, n=st.integers(2, 5), data_=st.data())
def test_bound_equals_sklearn_reconstruction_error(seed, n, data_):
    k = data_.draw(st.integers(1, n - 1), label="k")
    X = random_data(seed, n)
    model = PCA(n_components=k).fit(X)
    mse = np.mean((model.inverse_transform(model.transform(X)) - X) ** 2)
    values = linalg.pca(X).eigenvalues
    assert np.isclose(linalg.eckart_young_bound(values, k), mse, rtol=1e-8, atol=1e-14)


@FAST
@given(seed=seeds, n=st.integers(2, 5), data_=st.data())
def test_bound_is_below_any_rank_k_reconstruction(seed, n, data_):
    k = data_.draw(st.integers(1, n - 1), label="k")
    X = random_data(seed, n)
    rng = np.random.default_rng(seed + 1)
    A = rng.normal(size=(n, k)) @ rng.normal(size=(k, n))   # any rank-k map
    bound = linalg.eckart_young_bound(linalg.pca(X).eigenvalues, k)
    assert np.mean((X @ A.T - X) ** 2) >= bound * (1 - 1e-12)


def test_bound_tolerates_rounding_below_zero_only():
    assert linalg.eckart_young_bound([1.0, 0.0], 1) == 0.0
    assert linalg.eckart_young_bound([1.0, -1e-12], 1) == -0.5e-12   # a rounding error
    with pytest.raises(ValueError, match=r"^eigenvalues must be >= 0"):
        linalg.eckart_young_bound([1.0, -1e-6], 1)


def test_bound_ignores_the_order_of_the_eigenvalues():
    assert linalg.eckart_young_bound([1.0, 4.0, 2.0, 3.0], 2) == (1.0 + 2.0) / 4


def test_bound_rejects_bad_input():
    with pytest.raises(ValueError, match=r"^k must"):
        linalg.eckart_young_bound([3.0, 2.0, 1.0], 4)
    with pytest.raises(ValueError, match=r"^k must"):
        linalg.eckart_young_bound([3.0, 2.0, 1.0], -1)
    with pytest.raises(TypeError, match=r"^k must"):
        linalg.eckart_young_bound([3.0, 2.0, 1.0], 1.5)
    with pytest.raises(ValueError, match=r"^eigenvalues must"):
        linalg.eckart_young_bound([3.0, -2.0, 1.0], 1)
    with pytest.raises(ValueError, match=r"^eigenvalues must"):
        linalg.eckart_young_bound([[3.0, 2.0]], 1)
    with pytest.raises(ValueError, match=r"^eigenvalues must"):
        linalg.eckart_young_bound([3.0, np.inf], 1)


# ---------------------------------------------------------------- principal angles

@FAST
@given(seed=seeds, n=st.integers(2, 6), data_=st.data())
def test_a_subspace_has_zero_angles_with_any_other_basis_of_itself(seed, n, data_):
    k = data_.draw(st.integers(1, n), label="k")
    A = np.random.default_rng(seed).normal(size=(n, k))
    B = A @ invertible(seed + 1, k)
    angles = linalg.principal_angles(A, B)
    assert angles.shape == (k,)
    assert np.all(angles < 1e-7)


@FAST
@given(theta=st.floats(0.0, np.pi / 2))
def test_angle_between_two_lines_in_the_plane(theta):
    a = np.array([[1.0], [0.0]])
    b = rotation2(theta) @ a
    assert np.isclose(linalg.principal_angles(a, b)[0], theta, atol=1e-12)


@FAST
@given(seed=seeds, n=st.integers(3, 6), data_=st.data())
def test_angles_match_scipy_and_are_symmetric(seed, n, data_):
    k = data_.draw(st.integers(1, n - 1), label="k")
    m = data_.draw(st.integers(1, n - 1), label="m")
    rng = np.random.default_rng(seed)
    A, B = rng.normal(size=(n, k)), rng.normal(size=(n, m))
    angles = linalg.principal_angles(A, B)
    assert angles.shape == (min(k, m),)
    assert np.all(np.diff(angles) >= 0)
    assert np.all((angles >= 0) & (angles <= np.pi / 2))
    # scipy loses digits on an exactly-zero angle (when k + m > n the spaces
    # intersect): it returns about 3e-8 there, where the helper returns about 1e-16
    assert np.allclose(angles, np.sort(scipy.linalg.subspace_angles(A, B)), atol=1e-7)
    if k + m > n:
        assert angles[0] < 1e-12
    assert np.allclose(angles, linalg.principal_angles(B, A), atol=1e-10)


def test_orthogonal_subspaces_are_at_right_angles():
    eye = np.eye(4)
    assert np.allclose(linalg.principal_angles(eye[:, :2], eye[:, 2:]), np.pi / 2)


def test_subspaces_of_different_widths_either_way_round():
    eye = np.eye(5)
    wide, narrow = eye[:, :3], eye[:, 2:4]                      # share one direction
    for A, B in ((wide, narrow), (narrow, wide)):
        assert np.allclose(linalg.principal_angles(A, B), [0, np.pi / 2], rtol=0, atol=1e-15)


@pytest.mark.parametrize("theta", [1e-9, 1e-12, 3e-5])
def test_small_angles_keep_their_digits(theta):
    """arccos alone would give 0 for 1e-9 (cos(1e-9) rounds to 1); arcsin keeps it."""
    a = np.array([[1.0], [0.0]])
    b = rotation2(theta) @ a
    # atol=0: np.isclose's default atol of 1e-8 would accept 0 for a 1e-9 angle
    assert np.isclose(linalg.principal_angles(a, b)[0], theta, rtol=1e-6, atol=0)


def test_angles_near_a_right_angle_keep_their_digits():
    """arcsin alone would give pi/2 (sin rounds to 1); arccos of the cosine keeps them."""
    a = np.array([[1.0], [0.0]])
    b = rotation2(np.pi / 2 - 1e-9) @ a
    assert np.isclose(np.pi / 2 - linalg.principal_angles(a, b)[0], 1e-9, rtol=1e-6, atol=0)


@FAST
@given(seed=seeds, n=st.integers(2, 6), data_=st.data())
def test_angles_of_a_subspace_with_itself_warn_of_nothing(seed, n, data_):
    """Rounding can push a cosine or a sine a hair above 1: clipped, no NaN, no warning."""
    k = data_.draw(st.integers(1, n), label="k")
    A = np.random.default_rng(seed).normal(size=(n, k))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert np.all(linalg.principal_angles(A, A @ invertible(seed, k)) < 1e-7)
        assert np.all(np.isfinite(linalg.principal_angles(A, np.eye(n)[:, :1])))


def test_rank_is_judged_relative_to_the_scale():
    tiny = 1e-12 * np.eye(3)[:, :2]                            # full rank, just small
    assert np.allclose(linalg.principal_angles(tiny, np.eye(3)[:, :2]), 0)
    lopsided = np.array([[1e6, 0.0], [0.0, 1e-5], [0.0, 0.0]])  # rank 1 at this scale
    with pytest.raises(ValueError, match=r"^A must have linearly independent columns"):
        linalg.principal_angles(lopsided, np.eye(3)[:, :2])


def test_principal_angles_reject_bad_input():
    good = np.eye(4)[:, :2]
    with pytest.raises(ValueError, match=r"^A and B must have the same number of rows"):
        linalg.principal_angles(good, np.eye(3)[:, :2])
    with pytest.raises(ValueError, match=r"^A must"):
        linalg.principal_angles(np.ones((4, 2)), good)        # rank 1
    with pytest.raises(ValueError, match=r"^B must"):
        linalg.principal_angles(good, np.zeros((4, 1)))       # rank 0
    with pytest.raises(ValueError, match=r"^A must be a 2-D array"):
        linalg.principal_angles(np.ones(4), good)             # 1-D
    with pytest.raises(ValueError, match=r"^B must be a 2-D array"):
        linalg.principal_angles(good, np.ones(4))
    with pytest.raises(ValueError, match=r"^B must"):
        linalg.principal_angles(good, np.full((4, 2), np.nan))
    with pytest.raises(TypeError, match=r"^B must"):
        linalg.principal_angles(good, np.array([["a"], ["b"], ["c"], ["d"]]))


# ---------------------------------------------------------------- mixing matrix

@FAST
@given(seed=seeds, k=st.integers(1, 4))
def test_mixing_matrix_recovers_an_exact_mix(seed, k):
    scores = np.random.default_rng(seed).normal(size=(30, k))
    M = invertible(seed + 1, k)
    assert np.allclose(linalg.mixing_matrix(scores, scores @ M), M, atol=1e-10)


def test_mixing_matrix_rejects_bad_input():
    scores = np.random.default_rng(0).normal(size=(10, 2))
    with pytest.raises(ValueError, match=r"^codes must"):
        linalg.mixing_matrix(scores, scores[:, :1])           # mismatched shape
    with pytest.raises(ValueError, match=r"^codes must"):
        linalg.mixing_matrix(scores, scores[:5])              # mismatched rows
    with pytest.raises(ValueError, match=r"^scores must"):
        linalg.mixing_matrix(np.column_stack([scores[:, 0]] * 2), scores)
    with pytest.raises(ValueError, match=r"^scores must"):
        linalg.mixing_matrix(scores[:1], scores[:1])          # fewer rows than columns
    with pytest.raises(TypeError, match=r"^scores must"):
        linalg.mixing_matrix(scores.astype(str), scores)
    with pytest.raises(ValueError, match=r"^scores must be a 2-D array"):
        linalg.mixing_matrix(scores[:, 0], scores[:, 0])
    square = invertible(0, 2)                                  # as many rows as columns: fine
    assert np.allclose(linalg.mixing_matrix(square, square @ square), square)


# ---------------------------------------------------------------- eigenvalue recovery

@FAST
@given(seed=seeds, n=st.integers(2, 5), data_=st.data())
def test_recovered_eigenvalues_are_the_top_k_for_any_mix(seed, n, data_):
    k = data_.draw(st.integers(1, n), label="k")
    X = random_data(seed, n)
    result = linalg.pca(X)
    decoder = result.components[:, :k] @ invertible(seed + 1, k)
    recovered = linalg.recover_eigenvalues(decoder, X)
    assert np.allclose(recovered, result.eigenvalues[:k], rtol=1e-8, atol=1e-12)


@FAST
@given(seed=seeds, n=st.integers(3, 5), data_=st.data())
def test_any_other_decoder_gives_interlacing_not_top_eigenvalues(seed, n, data_):
    """As documented: from a matrix alone the function cannot tell a decoder that spans
    the principal subspace from one that does not (a nonlinear or unconverged model's):
    it returns C's eigenvalues on the matrix's column space, which interlace with C's."""
    k = data_.draw(st.integers(1, n - 1), label="k")
    X = random_data(seed, n)
    top = linalg.pca(X).eigenvalues
    decoder = np.random.default_rng(seed + 1).normal(size=(n, k))
    recovered = linalg.recover_eigenvalues(decoder, X)
    Q, _ = np.linalg.qr(decoder)
    assert np.allclose(recovered, np.linalg.eigvalsh(Q.T @ linalg.covariance(X) @ Q)[::-1],
                       rtol=1e-10, atol=1e-14)
    slack = 1e-12 * top[0]
    assert np.all(recovered <= top[:k] + slack)              # mu_j <= lambda_j
    assert np.all(recovered >= top[n - k:] - slack)          # mu_j >= lambda_(j+n-k)
    assert recovered.sum() < top[:k].sum() * (1 - 1e-6)      # plausible, but not the top k


def test_recover_eigenvalues_rejects_bad_input():
    X = random_data(0, 4)
    with pytest.raises(ValueError, match=r"^decoder_weight must"):
        linalg.recover_eigenvalues(np.eye(3)[:, :2], X)       # 3 rows, X has 4 features
    with pytest.raises(ValueError, match=r"^decoder_weight must have at most as many columns"):
        linalg.recover_eigenvalues(np.random.default_rng(0).normal(size=(4, 5)), X)
    with pytest.raises(ValueError, match=r"^decoder_weight must be a 2-D array"):
        linalg.recover_eigenvalues(np.ones(4), X)
    with pytest.raises(ValueError, match=r"^decoder_weight must"):
        linalg.recover_eigenvalues(np.ones((4, 2)), X)        # rank-deficient
    with pytest.raises(ValueError, match=r"^X must"):
        linalg.recover_eigenvalues(np.eye(4)[:, :2], X[:, 0]) # 1-D


# ---------------------------------------------------------------- orthogonality, cosine

@FAST
@given(theta=st.floats(-np.pi, np.pi), reflect=st.booleans())
def test_orthogonal_matrices_have_zero_gap(theta, reflect):
    M = rotation2(theta) @ np.diag([1.0, -1.0 if reflect else 1.0])
    assert linalg.orthogonality_gap(M) < 1e-12


@FAST
@given(theta=st.floats(-np.pi, np.pi), s=st.floats(0.1, 10.0))
def test_gap_of_a_stretched_rotation(theta, s):
    M = rotation2(theta) @ np.diag([s, 1.0])
    assert np.isclose(linalg.orthogonality_gap(M), abs(s ** 2 - 1), atol=1e-9)


def test_orthogonality_gap_rejects_non_square():
    with pytest.raises(ValueError, match=r"^M must"):
        linalg.orthogonality_gap(np.ones((2, 3)))
    with pytest.raises(ValueError, match=r"^M must"):
        linalg.orthogonality_gap(np.ones(3))


def test_cosine_similarity():
    A = np.arange(1.0, 7.0).reshape(2, 3)
    assert np.isclose(linalg.cosine_similarity(A, A), 1.0)
    assert np.isclose(linalg.cosine_similarity(A, -2 * A), -1.0)
    with pytest.raises(ValueError, match=r"^B must"):
        linalg.cosine_similarity(A, A.T)
    with pytest.raises(ValueError, match=r"^A and B must be non-zero$"):
        linalg.cosine_similarity(A, np.zeros_like(A))
    with pytest.raises(ValueError, match=r"^A and B must be non-zero$"):
        linalg.cosine_similarity(np.zeros_like(A), A)
    with pytest.raises(ValueError, match=r"^A must be finite"):
        linalg.cosine_similarity(A * np.nan, A)
    with pytest.raises(ValueError, match=r"^B must have shape \(2, 3\), got \(3, 2\)"):
        linalg.cosine_similarity(A, A.T)


# ---------------------------------------------------------------- plots

from matplotlib.colors import to_hex  # noqa: E402

from helpers.style import CYCLE, PALETTE  # noqa: E402


def legend_texts(ax):
    return [t.get_text() for t in ax.get_legend().get_texts()]


# a colour cycle other than the book's: the plots must choose their colours themselves
OTHER_CYCLE = {"axes.prop_cycle": matplotlib.cycler(color=["#111111", "#222222", "#333333"])}


def test_scatter_by_class_draws_each_class_where_its_points_are():
    rng = np.random.default_rng(0)
    Z, y = rng.normal(size=(9, 2)), np.array([2, 0, 1, 0, 2, 1, 1, 0, 2])
    with matplotlib.rc_context(OTHER_CYCLE):
        ax = plots.scatter_by_class(Z, y, ["a", "b", "c"], xlabel="x", ylabel="y", title="t")
    assert isinstance(ax, Axes)
    assert len(ax.collections) == 3
    for k, points in enumerate(ax.collections):
        assert np.array_equal(points.get_offsets(), Z[y == k])
        assert to_hex(points.get_facecolor()[0]).upper() == PALETTE[CYCLE[k]]
    markers = {tuple(map(tuple, c.get_paths()[0].vertices.round(3))) for c in ax.collections}
    assert len(markers) == 3                                   # one marker shape per class
    assert legend_texts(ax) == ["a", "b", "c"]
    assert ax.get_xlabel() == "x" and ax.get_ylabel() == "y" and ax.get_title() == "t"


def test_scatter_by_class_defaults_and_given_axes():
    _, given = plt.subplots()
    ax = plots.scatter_by_class(np.zeros((2, 2)), np.array([0, 1]), ["a", "b"], ax=given)
    assert ax is given
    assert (ax.get_xlabel(), ax.get_ylabel(), ax.get_title()) == ("component 1", "component 2", "")


def test_scatter_by_class_rejects_bad_input():
    Z, y = np.zeros((4, 2)), np.array([0, 1, 0, 1])
    with pytest.raises(ValueError, match=r"^Z must have shape \(any, 2\)"):
        plots.scatter_by_class(np.zeros((4, 3)), y, ["a", "b"])
    with pytest.raises(ValueError, match=r"^y must be an integer array of shape \(4,\)"):
        plots.scatter_by_class(Z, y[:3], ["a", "b"])
    with pytest.raises(ValueError, match=r"^y must be an integer array"):
        plots.scatter_by_class(Z, y.astype(float), ["a", "b"])
    with pytest.raises(ValueError, match=r"^y must lie in \[0, 1\], got \[1, 2\]"):
        plots.scatter_by_class(Z, y + 1, ["a", "b"])          # label 2 has no name
    with pytest.raises(ValueError, match=r"^y must lie in \[0, 1\], got \[-1, 0\]"):
        plots.scatter_by_class(Z, y - 1, ["a", "b"])
    with pytest.raises(ValueError, match=r"^class_names must have 1 to 6 entries, got 0"):
        plots.scatter_by_class(Z, y, [])
    with pytest.raises(ValueError, match=r"^class_names must have 1 to 6 entries, got 7"):
        plots.scatter_by_class(Z, y, list("abcdefg"))
    assert len(plots.scatter_by_class(Z, y, list("abcdef")).collections) == 6
    assert len(plots.scatter_by_class(Z, 0 * y, ["one"]).collections) == 1
    with pytest.raises(TypeError, match=r"^class_names must be a sequence of strings"):
        plots.scatter_by_class(Z, y, "ab")                    # a string, not two names
    with pytest.raises(TypeError, match=r"^class_names must be a sequence of strings"):
        plots.scatter_by_class(Z, y, ["a", 1])


def test_loss_curve_draws_the_history_and_the_floor():
    history = np.array([1.0, 0.5, 0.2])
    ax = plots.loss_curve(history, floor=0.1)
    assert isinstance(ax, Axes)
    assert ax.get_yscale() == "log"
    curve, floor = ax.get_lines()
    assert np.array_equal(curve.get_xdata(), [1, 2, 3])       # epochs count from 1
    assert np.array_equal(curve.get_ydata(), history)
    assert np.allclose(floor.get_ydata(), 0.1)
    assert floor.get_color().upper() == PALETTE["vermillion"]
    assert floor.get_zorder() > curve.get_zorder()             # drawn over the curve
    assert legend_texts(ax) == ["training", "Eckart–Young bound"]
    assert ax.get_xlabel() == "epoch" and ax.get_ylabel() == "full-data MSE (log scale)"


@pytest.mark.parametrize("draw,size", [
    (lambda: plots.scatter_by_class(np.zeros((2, 2)), np.array([0, 1]), ["a", "b"]), "scatter"),
    (lambda: plots.loss_curve(np.ones(3)), "loss"),
    (lambda: plots.variance_bars(np.ones(3)), "bars"),
    (lambda: plots.per_seed(np.ones(3)), "seeds"),
])
def test_new_figures_have_their_size_within_the_page(draw, size):
    width, height = draw().figure.get_size_inches()
    assert (width, height) == plots._SIZE[size] and width <= 7.0


def test_loss_curve_labels_and_given_axes():
    _, given = plt.subplots()
    ax = plots.loss_curve(np.array([2.0, 1.0]), ax=given, label="a", xlabel="step",
                          ylabel="loss")
    assert ax is given and len(ax.get_lines()) == 1
    assert legend_texts(ax) == ["a"]
    assert ax.get_xlabel() == "step" and ax.get_ylabel() == "loss (log scale)"
    ax = plots.loss_curve(np.array([2.0, 1.0]), floor=0.5, floor_label="floor")
    assert legend_texts(ax) == ["training", "floor"]


def test_loss_curve_rejects_bad_input():
    with pytest.raises(ValueError, match=r"^history must be > 0 for a log scale"):
        plots.loss_curve(np.array([1.0, 0.0]))
    with pytest.raises(ValueError, match=r"^history must be > 0"):
        plots.loss_curve(np.array([1.0, -1.0]))
    with pytest.raises(ValueError, match=r"^history must be a 1-D array"):
        plots.loss_curve(np.ones((2, 2)))
    with pytest.raises(ValueError, match=r"^floor must be finite and > 0, got -0.1"):
        plots.loss_curve(np.array([1.0, 0.5]), floor=-0.1)
    with pytest.raises(ValueError, match=r"^floor must be finite"):
        plots.loss_curve(np.array([1.0, 0.5]), floor=np.nan)
    with pytest.raises(TypeError, match=r"^floor must be a real number"):
        plots.loss_curve(np.array([1.0, 0.5]), floor="0.1")
    assert plt.get_fignums() == []                             # nothing drawn on bad input


def test_variance_bars_draws_shares_totals_and_their_labels():
    with matplotlib.rc_context(OTHER_CYCLE):
        ax = plots.variance_bars(np.array([7.0, 1.0, 1.0, 1.0]))
    assert isinstance(ax, Axes)
    share = np.array([70.0, 10.0, 10.0, 10.0])
    assert np.allclose([b.get_height() for b in ax.patches], share)
    assert np.allclose([b.get_x() + b.get_width() / 2 for b in ax.patches], [1, 2, 3, 4])
    assert {to_hex(b.get_facecolor()).upper() for b in ax.patches} == {PALETTE["blue"]}
    (total,) = ax.get_lines()
    assert np.allclose(total.get_ydata(), [70, 80, 90, 100])
    assert np.all(total.get_xdata() > [1, 2, 3, 4]) and np.all(total.get_xdata() < [1.5, 2.5, 3.5, 4.5])
    assert total.get_color().upper() == PALETTE["orange"]
    texts = [(t.get_text(), *t.get_position()) for t in ax.texts]
    assert [t[0] for t in texts] == ["70.0 %", "10.0 %", "10.0 %", "10.0 %",
                                    "80.0 %", "90.0 %", "100.0 %"]
    tall, *short = texts[:4]
    assert tall[1:] == (1, 35) and ax.texts[0].get_color() == "white"   # inside, halfway up
    for (_, x, y), height, x_bar in zip(short, share[1:], [2, 3, 4]):
        assert x == x_bar and height < y < height + 3                 # just above its bar
    for (_, x, y), value, x_line in zip(texts[4:], [80, 90, 100], total.get_xdata()[1:]):
        assert x == x_line and value < y < value + 5                  # just above its diamond
    assert ax.get_xlim() == (plots._BARS_X[0], 4 + plots._BARS_X[1])
    assert ax.get_ylim() == plots._BARS_YLIM
    assert list(ax.get_xticks()) == [1, 2, 3, 4]
    assert ax.get_xlabel() == "principal component"
    assert ax.get_ylabel() == "share of variance (%)"
    assert legend_texts(ax) == ["running total", "this component"]   # lines come first


def test_variance_bars_labels_a_bar_of_15_percent_above_it():
    ax = plots.variance_bars(np.array([85.0, 15.0]))
    assert ax.texts[1].get_text() == "15.0 %" and ax.texts[1].get_position()[1] > 15
    assert ax.texts[0].get_position()[1] < 85


def test_variance_bars_given_axes_and_bad_input():
    _, given = plt.subplots()
    assert plots.variance_bars(np.array([1.0, 0.0]), ax=given) is given
    with pytest.raises(ValueError, match=r"^eigenvalues must be sorted in decreasing order"):
        plots.variance_bars(np.array([1.0, 3.0]))
    with pytest.raises(ValueError, match=r"^eigenvalues must be sorted"):
        plots.variance_bars(np.array([1.0, 1.5]))
    with pytest.raises(ValueError, match=r"^eigenvalues must be >= 0 and not all zero"):
        plots.variance_bars(np.array([0.0, 0.0]))
    with pytest.raises(ValueError, match=r"^eigenvalues must be >= 0"):
        plots.variance_bars(np.array([1.0, -0.5]))
    with pytest.raises(ValueError, match=r"^eigenvalues must be a 1-D array"):
        plots.variance_bars(np.ones((2, 2)))


def test_per_seed_draws_values_highlight_and_reference():
    with matplotlib.rc_context(OTHER_CYCLE):
        ax = plots.per_seed(np.array([1.0, 1.2, 1.1]), seeds=[4, 5, 6], ylabel="r",
                            reference=1.0, reference_label="bound", highlight=5)
    assert isinstance(ax, Axes)
    assert ax.get_ylabel() == "r" and ax.get_xlabel() == "seed"
    dots, highlight, reference = ax.get_lines()
    assert np.array_equal(dots.get_xdata(), [4, 5, 6])
    assert np.array_equal(dots.get_ydata(), [1.0, 1.2, 1.1])
    assert list(highlight.get_xdata()) == [5] and list(highlight.get_ydata()) == [1.2]
    assert np.allclose(reference.get_ydata(), 1.0)
    assert legend_texts(ax) == ["seed 5", "bound"]
    assert [line.get_color().upper() for line in ax.get_lines()] == [
        PALETTE["blue"], PALETTE["vermillion"], PALETTE["black"]]
    assert [line.get_marker() for line in (dots, highlight)] == ["o", "o"]
    assert [line.get_linestyle() for line in (dots, highlight)] == ["None", "None"]


def test_per_seed_defaults_and_legend():
    ax = plots.per_seed(np.ones(4))
    assert np.array_equal(ax.get_lines()[0].get_xdata(), [0, 1, 2, 3])   # seeds 0..3
    assert ax.get_legend() is None and ax.get_ylabel() == "value"
    assert legend_texts(plots.per_seed(np.ones(2), highlight=1)) == ["seed 1"]
    assert legend_texts(plots.per_seed(np.ones(2), reference=1.0, reference_label="b")) == ["b"]
    assert plots.per_seed(np.ones(2), reference=1.0).get_legend() is None
    _, given = plt.subplots()
    assert plots.per_seed(np.ones(2), ax=given) is given


def test_per_seed_rejects_bad_input():
    with pytest.raises(ValueError, match=r"^seeds must have shape \(3\)"):
        plots.per_seed(np.ones(3), seeds=[0, 1])
    with pytest.raises(ValueError, match=r"^highlight must be one of the seeds, got 7"):
        plots.per_seed(np.ones(3), highlight=7)
    with pytest.raises(ValueError, match=r"^reference must be finite"):
        plots.per_seed(np.ones(3), reference=np.inf)
    with pytest.raises(TypeError, match=r"^reference must hold numbers"):
        plots.per_seed(np.ones(3), reference="1.0")
    with pytest.raises(ValueError, match=r"^values must be finite"):
        plots.per_seed(np.array([1.0, np.nan]))
    with pytest.raises(ValueError, match=r"^values must be a 1-D array"):
        plots.per_seed(np.ones((2, 2)))
    with pytest.raises(ValueError, match=r"^reference must be a 0-D array"):
        plots.per_seed(np.ones(2), reference=np.ones(1))
    assert plt.get_fignums() == []                             # nothing drawn on bad input
