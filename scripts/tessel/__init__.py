"""Tessel: quantized PyTorch CNNs on a SystemVerilog accelerator, bit-exact to an integer
golden model."""

from .compiler import compile  # noqa: A004 (the public name users expect)
from .errors import (BackendError, ConfigError, QuantizationError, TesselError,
                     UnsupportedModelError)
from .network import CompiledNetwork

__version__ = "0.1.0"
__all__ = ["compile", "CompiledNetwork", "TesselError", "UnsupportedModelError",
           "QuantizationError", "ConfigError", "BackendError", "__version__"]
