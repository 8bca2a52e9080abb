"""Helpers for the course book "Autoencoders, part I".

Small, documented functions that the lessons import: autoencoder models of
the general form, diagrams, the book's plotting style, and ``glue`` for
putting computed numbers into the prose.
"""

import torch as _torch

from . import data, linalg, plots, training
from .diagrams import draw_network, draw_symbols
from .glue import glue
from .models import ACTIVATIONS, Autoencoder, Taxonomy, classify
from .style import PALETTE, use_style

__version__ = "0.1.0"

use_style()
# The course's models are tiny: one thread is faster than several (thread start-up
# dominates) and keeps results identical from run to run.
_torch.set_num_threads(1)

__all__ = ["ACTIVATIONS", "data", "linalg", "plots", "training", "Autoencoder", "PALETTE", "Taxonomy", "classify",
           "draw_network", "draw_symbols", "glue", "use_style"]
