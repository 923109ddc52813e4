"""Exceptions raised by Tessel. Every message names the layer, field or file at fault."""


class TesselError(Exception):
    """Base class of every error Tessel raises on purpose."""


class UnsupportedModelError(TesselError):
    """The model uses an operation or an option the accelerator does not support."""


class QuantizationError(TesselError):
    """A layer cannot be quantized within the integer contract (docs/quantization.md)."""


class ConfigError(TesselError):
    """A hardware configuration file is missing, malformed or inconsistent."""


class BackendError(TesselError):
    """An execution backend is unknown or unavailable."""
