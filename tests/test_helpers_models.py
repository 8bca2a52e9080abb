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
    assert model.b_tilde.shape == (4,)
    assert model(torch.zeros(1, 4)).shape == (1, 4)


def test_without_bias():
    model = Autoencoder(4, 2, bias=False)
    assert model.encoder.bias is None and model.b_tilde is None
    assert torch.equal(model(torch.zeros(2, 4)), torch.zeros(2, 4))


def test_taxonomy_is_attached():
    assert Autoencoder(4, 8, "tanh").taxonomy == classify(4, 8, "tanh")


@pytest.mark.parametrize("kwargs,exc,match", [
    ({"n_inputs": 0, "n_hidden": 2}, ValueError, "n_inputs"),
    ({"n_inputs": 4, "n_hidden": 0}, ValueError, "n_hidden"),
    ({"n_inputs": 4.0, "n_hidden": 2}, TypeError, "n_inputs"),
    ({"n_inputs": 4, "n_hidden": True}, TypeError, "n_hidden"),
    ({"n_inputs": 4, "n_hidden": 2, "activation": "softplus"}, ValueError, "activation"),
    ({"n_inputs": 4, "n_hidden": 2, "output_activation": 3}, TypeError, "output_activation"),
])
def test_bad_arguments_are_named(kwargs, exc, match):
    with pytest.raises(exc, match=match):
        Autoencoder(**kwargs)


def test_classify_accepts_numpy_integers():
    assert classify(np.int64(4), np.int32(2)).width == "undercomplete"
