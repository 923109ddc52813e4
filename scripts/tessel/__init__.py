"""Tessel: quantized PyTorch CNNs on a SystemVerilog accelerator, bit-exact to an integer
golden model."""

from .errors import (ArtifactError, BackendError, ConfigError, QuantizationError, TesselError,
                     UnsupportedModelError)

__version__ = "0.1.0"
__all__ = ["compile", "load", "CompiledNetwork", "TesselError", "UnsupportedModelError",
           "QuantizationError", "ConfigError", "BackendError", "ArtifactError", "__version__"]


def __getattr__(name):
    # Imported on first use: the simulator's driver imports tessel without needing torch.
    if name == "compile":
        from .compiler import compile
        return compile
    if name == "load":  # a compiled directory, run as written (tessel.artifacts)
        from .artifacts import load
        return load
    if name == "CompiledNetwork":
        from .network import CompiledNetwork
        return CompiledNetwork
    raise AttributeError(f"module 'tessel' has no attribute {name!r}")
