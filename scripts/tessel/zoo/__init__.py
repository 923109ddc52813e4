"""The model zoo: float PyTorch CNNs with data, ready for quantization and the accelerator.

    entry = tessel.zoo.load("digits")   # trains once (seconds), then loads from gen/zoo/

digits and mnist are trained on real images that ship with installed packages; resnet18 and
resnet50 are full-size torchvision topologies with seeded random weights; the edge networks
(edge.py: MobileNetV2, EfficientNet-B0, MobileNetV3-small, a YOLO-style detector, a U-Net, a
DenseNet) too, each at 224 x 224 and, named <name>_sim, at a small input for simulation.
"""

import importlib
from collections.abc import Callable
from functools import partial
from typing import NamedTuple

from tessel.errors import TesselError
from tessel.zoo import digits, edge, mnist, resnet
from tessel.zoo.entry import ZooEntry, ZooListing

__all__ = ["ZooEntry", "ZooListing", "names", "listing", "load", "resolve"]


class _Model(NamedTuple):
    load: Callable[..., ZooEntry]      # load(retrain=False)
    listing: Callable[[], ZooListing]


_MODELS = {
    "digits": _Model(digits.load_entry, digits.listing),
    "mnist": _Model(mnist.load_entry, mnist.listing),
    **{name: _Model(partial(resnet.load_entry, name), partial(resnet.listing, name))
       for name in ("resnet18", "resnet50")},
    **{name: _Model(partial(edge.load_entry, name), partial(edge.listing, name))
       for name in edge.NAMES},
}


def names() -> list[str]:
    return list(_MODELS)


def listing() -> list[ZooListing]:
    """Every model: description, input shape and whether it is trained (nothing trains)."""
    return [model.listing() for model in _MODELS.values()]


def resolve(spec: str) -> ZooEntry:
    """A zoo name, or "package.module:function" where function() returns a ZooEntry or a
    (model, calibration_data) pair: how the CLI takes a user's own model."""
    if ":" not in spec:
        return load(spec)
    module_name, _, function_name = spec.partition(":")
    try:
        function = getattr(importlib.import_module(module_name), function_name)
    except (ImportError, AttributeError) as error:
        raise TesselError(f"cannot load model {spec!r}: {error}") from error
    result = function()
    if isinstance(result, ZooEntry):
        return result
    if isinstance(result, tuple) and len(result) == 2:
        model, calibration = result
        return ZooEntry(function_name, model.eval(), calibration, None, None, spec)
    raise TesselError(f"{spec} must return a ZooEntry or (model, calibration_data); "
                      f"it returned {type(result).__name__}")


def load(name: str, *, retrain: bool = False) -> ZooEntry:
    """The named model; trained models come from the cache unless retrain=True."""
    if name not in _MODELS:
        raise TesselError(f"unknown zoo model {name!r}; known models: {', '.join(names())}")
    return _MODELS[name].load(retrain=retrain)
