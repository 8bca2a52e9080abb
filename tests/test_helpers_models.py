"""helpers.models: the general form, tied weights, and input checks."""

import numpy as np
import pytest
import torch

from helpers import Autoencoder, classify


@pytest.mark.parametrize("activation,output_activation", [
    ("identity", "identity"), ("sigmoid", "identity"), ("tanh", "sigmoid"), ("relu", "tanh")])
def test_forward_is_the_general_form(activation, output_activation):
    torch.manual_seed(0)
    model = Autoencoder(5, 3, activation, output_activation).double()
    x = torch.randn(7, 5, dtype=torch.float64)
    phi = {"identity": lambda z: z, "sigmoid": torch.sigmoid, "tanh": torch.tanh,
           "relu": torch.relu}
    h = phi[activation](x @ model.W.T + model.encoder.bias)
    expected = phi[output_activation](h @ model.W_tilde.T + model.b_tilde)
    assert torch.allclose(model(x), expected)
    assert torch.allclose(model.encode(x), h)
    assert model.W.shape == (3, 5) and model.W_tilde.shape == (5, 3)


@pytest.mark.parametrize("activation", ["identity", "tanh"])
def test_tied_forward_uses_both_biases(activation):
    torch.manual_seed(0)
    model = Autoencoder(4, 2, activation, tied=True).double()
    with torch.no_grad():
        model.encoder.bias.copy_(torch.tensor([0.5, -1.0]))
        model.decoder_bias.copy_(torch.tensor([1.0, 2.0, -3.0, 0.25]))
    x = torch.randn(6, 4, dtype=torch.float64)
    phi = torch.tanh if activation == "tanh" else (lambda z: z)
    h = phi(x @ model.W.T + model.encoder.bias)
    assert torch.allclose(model(x), h @ model.W + model.b_tilde)
    assert torch.equal(model.b_tilde, model.decoder_bias)
    assert {name for name, _ in model.named_parameters()} == {"encoder.weight", "encoder.bias",
                                                             "decoder_bias"}


def test_tied_decoder_is_the_transposed_encoder():
    torch.manual_seed(0)
    model = Autoencoder(4, 2, tied=True, bias=False)
    assert model.decoder is None and model.b_tilde is None
    assert torch.equal(model.W_tilde, model.W.T)
    x = torch.randn(3, 4)
    assert torch.allclose(model(x), x @ model.W.T @ model.W)
    untied = Autoencoder(4, 2, bias=False)
    assert sum(p.numel() for p in model.parameters()) * 2 == \
        sum(p.numel() for p in untied.parameters())


def test_tied_with_bias_has_a_decoder_bias():
    model = Autoencoder(4, 2, tied=True)
    assert torch.equal(model.b_tilde, torch.zeros(4))     # starts at zero
    assert model.b_tilde.requires_grad
    assert model(torch.zeros(1, 4)).shape == (1, 4)


def test_without_bias():
    model = Autoencoder(4, 2, bias=False)
    assert model.encoder.bias is None and model.b_tilde is None
    assert torch.equal(model(torch.zeros(2, 4)), torch.zeros(2, 4))


def test_taxonomy_is_attached():
    assert Autoencoder(4, 8, "tanh").taxonomy == classify(4, 8, "tanh")


@pytest.mark.parametrize("kwargs,exc,match", [
    ({"n_inputs": 0, "n_hidden": 2}, ValueError, r"^n_inputs must"),
    ({"n_inputs": 4, "n_hidden": 0}, ValueError, r"^n_hidden must"),
    ({"n_inputs": 4.0, "n_hidden": 2}, TypeError, r"^n_inputs must"),
    ({"n_inputs": 4, "n_hidden": True}, TypeError, r"^n_hidden must"),
    ({"n_inputs": 4, "n_hidden": 2, "activation": "softplus"}, ValueError, r"^activation must"),
    ({"n_inputs": 4, "n_hidden": 2, "output_activation": 3}, TypeError, r"^output_activation must"),
    ({"n_inputs": 4, "n_hidden": 2, "tied": "no"}, TypeError, r"^tied must be True or False"),
    ({"n_inputs": 4, "n_hidden": 2, "tied": "False"}, TypeError, r"^tied must"),
    ({"n_inputs": 4, "n_hidden": 2, "bias": "False"}, TypeError, r"^bias must"),
    ({"n_inputs": 4, "n_hidden": 2, "bias": 0}, TypeError, r"^bias must"),
])
def test_bad_arguments_are_named(kwargs, exc, match):
    with pytest.raises(exc, match=match):
        Autoencoder(**kwargs)


def test_classify_accepts_numpy_integers():
    assert classify(np.int64(4), np.int32(2)).width == "undercomplete"


def test_numpy_booleans_are_flags():
    assert Autoencoder(4, 2, tied=np.bool_(True), bias=np.False_).tied is True


@pytest.mark.parametrize("tied", [False, True])
@pytest.mark.parametrize("x,exc,match", [
    (np.zeros((5, 4), dtype=np.float32), TypeError,
     r"^x must be a torch.Tensor of shape \(N, 4\), got ndarray; convert it with torch.as_tensor"),
    ([[0.0] * 4], TypeError, r"^x must be a torch.Tensor"),
    (torch.zeros(5, 4, dtype=torch.float64), TypeError,
     r"^x must have the model's dtype torch.float32, got torch.float64"),
    (torch.zeros(5, 4, dtype=torch.int64), TypeError, r"^x must have the model's dtype torch.float32, got torch.int64"),
    (torch.zeros(5, 3), ValueError, r"x must have shape \(N, 4\), got \(5, 3\)"),
    (torch.zeros(4, 5), ValueError, r"x must have shape \(N, 4\), got \(4, 5\)"),
    (torch.tensor(1.0), ValueError, r"^x must have shape"),
])
def test_forward_names_bad_input(tied, x, exc, match):
    model = Autoencoder(4, 2, tied=tied)
    with pytest.raises(exc, match=match):
        model(x)
    with pytest.raises(exc, match=match):
        model.encode(x)


@pytest.mark.parametrize("tied", [False, True])
def test_decode_names_bad_codes(tied):
    model = Autoencoder(4, 2, tied=tied)
    assert model.decode(torch.zeros(3, 2)).shape == (3, 4)
    with pytest.raises(ValueError, match=r"h must have shape \(N, 2\), got \(3, 4\)"):
        model.decode(torch.zeros(3, 4))
    with pytest.raises(TypeError, match=r"^h must be a torch.Tensor"):
        model.decode(np.zeros((3, 2)))


def test_forward_accepts_one_sample_and_double_models():
    model = Autoencoder(4, 2)
    assert model(torch.zeros(4)).shape == (4,)
    assert model.double()(torch.zeros(2, 4, dtype=torch.float64)).dtype == torch.float64


@pytest.mark.parametrize("n,m,width", [(4, 2, "undercomplete"), (4, 3, "undercomplete"),
                                       (4, 4, "complete"), (4, 5, "overcomplete")])
@pytest.mark.parametrize("phi,phi_out,linearity", [
    ("identity", "identity", "linear"), ("tanh", "identity", "nonlinear"),
    ("identity", "sigmoid", "nonlinear"), ("relu", "tanh", "nonlinear")])
def test_classify(n, m, width, phi, phi_out, linearity):
    kind = classify(n, m, phi, phi_out)
    assert (kind.width, kind.linearity) == (width, linearity)
    assert kind.english == f"{width} {linearity} autoencoder"
    ja = {"undercomplete": "不完備", "complete": "完備", "overcomplete": "過完備"}[width]
    assert kind.japanese == ja + ("線形" if linearity == "linear" else "非線形") + "オートエンコーダ"


def test_classify_defaults_to_linear():
    assert classify(4, 2).linearity == "linear"


@pytest.mark.parametrize("name,module", [("identity", torch.nn.Identity), ("tanh", torch.nn.Tanh),
                                         ("sigmoid", torch.nn.Sigmoid), ("relu", torch.nn.ReLU)])
def test_activation_names(name, module):
    model = Autoencoder(4, 2, name, name)
    assert type(model.phi) is module and type(model.phi_out) is module


@pytest.mark.parametrize("kwargs,match", [
    ({"n_inputs": 0, "n_hidden": 2}, r"^n_inputs must be in \[1, inf\], got 0$"),
    ({"n_inputs": 4, "n_hidden": 0}, r"^n_hidden must be in \[1, inf\], got 0$"),
    ({"n_inputs": 4, "n_hidden": 2, "activation": "soft"},
     r"^activation must be one of \('identity', 'tanh', 'sigmoid', 'relu'\), got 'soft'$"),
    ({"n_inputs": 4, "n_hidden": 2, "output_activation": "soft"}, r"^output_activation must be one"),
])
def test_classify_names_bad_arguments(kwargs, match):
    with pytest.raises(ValueError, match=match):
        classify(**kwargs)
