"""Helpers for the course book "Autoencoders, part I".

Small, documented functions that the lessons import: autoencoder models of
the general form, diagrams, the book's plotting style, and ``glue`` for
putting computed numbers into the prose.
"""

from . import data, linalg, plots, training
from .diagrams import draw_network, draw_symbols
from .glue import glue
from .models import ACTIVATIONS, Autoencoder, Taxonomy, classify
from .style import PALETTE, use_style

__version__ = "0.1.0"

use_style()

__all__ = ["ACTIVATIONS", "data", "linalg", "plots", "training", "Autoencoder", "PALETTE", "Taxonomy", "classify",
           "draw_network", "draw_symbols", "glue", "use_style"]
