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


class ArtifactError(TesselError):
    """A compiled directory (manifest, program, DRAM image, reference data, run record) is
    missing, malformed or not what its manifest recorded."""


class InputError(TesselError, ValueError):
    """A model, calibration set or batch of images holds values Tessel cannot use: empty,
    NaN or Inf, the wrong shape or dtype. The message names the input, layer or parameter."""


class InputTypeError(TesselError, TypeError):
    """An argument of the wrong kind (a function for a model, None for images): says what was
    expected and what was given."""


class FieldOverflowError(TesselError, ValueError):
    """A value does not fit its bit field in the program or a descriptor (a layer or a memory
    map beyond what the hardware's formats express)."""


def run_command(args, prog: str, code: int = 2) -> int:
    """Runs a parsed command line's `func`; a TesselError ends it with one line on stderr and
    `code`, never a traceback (the command-line tools' shared exit path)."""
    import sys
    try:
        return args.func(args)
    except TesselError as error:
        print(f"{prog}: error: {error}", file=sys.stderr)
        return code
