"""The edge networks of the zoo, each at 224 x 224 (for the cost model) and at a small input
with fewer channels (for RTL simulation, named <name>_sim): random seeded weights, BatchNorm statistics from the
calibration images."""

from collections.abc import Callable
from typing import NamedTuple

import torch

from tessel.zoo.detection import DenseNet, UNet, YoloTiny
from tessel.zoo.efficientnet import EfficientNet
from tessel.zoo.entry import ZooEntry, ZooListing
from tessel.zoo.mobilenet import MobileNetV2, MobileNetV3Small
from tessel.zoo.random_init import randomize

SEED = 0
FULL_SIZE = 224
CALIBRATION_IMAGES = 2


class Edge(NamedTuple):
    build: Callable[[bool], torch.nn.Module]  # build(small) -> float model
    small_size: int
    what: str


MODELS = {
    "mobilenet_v2": Edge(lambda small: MobileNetV2(10 if small else 1000, 0.25 if small else 1.0),
                         32, "torchvision MobileNetV2 (depthwise 3x3, ReLU6, inverted residuals)"),
    "efficientnet_b0": Edge(lambda small: EfficientNet(10 if small else 1000, 0.25 if small else 1.0),
                            32, "EfficientNet-B0-style MBConv (SiLU, squeeze-excite, 5x5 depthwise)"),
    "mobilenet_v3_small": Edge(lambda small: MobileNetV3Small(10 if small else 1000,
                                                              0.25 if small else 1.0),
                               32, "torchvision MobileNetV3-small (Hardswish, hard-sigmoid gates)"),
    "yolo_tiny": Edge(lambda small: YoloTiny(2 if small else 80, 3, 4 if small else 16), 64,
                      "YOLOv3-tiny-style detector (two heads, upsample + concat, LeakyReLU)"),
    "unet": Edge(lambda small: UNet(3, 2, 4 if small else 64), 32,
                 "U-Net (ConvTranspose2d 2x2/s2 upsampling, concatenated skips)"),
    "densenet": Edge(lambda small: DenseNet(8, (2, 2, 2), 16, 2, 10) if small else DenseNet(),
                     32, "torchvision DenseNet-121 (dense concatenation, BN-ReLU-conv)"),
}
SMALL = "_sim"  # the small variant's suffix: for RTL simulation
NAMES = [n for name in MODELS for n in (name, f"{name}{SMALL}")]


def _parse(name: str) -> tuple[str, bool]:
    small = name.endswith(SMALL)
    return (name[:-len(SMALL)] if small else name), small


def load_entry(name: str, *, retrain: bool = False) -> ZooEntry:
    del retrain  # random weights: nothing to train or cache
    base, small = _parse(name)
    edge = MODELS[base]
    size = edge.small_size if small else FULL_SIZE
    generator = torch.Generator().manual_seed(SEED + 1)
    calibration = torch.randn(CALIBRATION_IMAGES * (4 if small else 1), 3, size, size,
                              generator=generator)
    model = randomize(edge.build(small), calibration, SEED)
    return ZooEntry(name, model, calibration, None, None, _describe(name, size))


def _describe(name: str, size: int) -> str:
    base, small = _parse(name)
    return (f"{name}: {MODELS[base].what}, 3x{size}x{size} input"
            f"{', few channels' if small else ''}, random seeded weights (accuracy meaningless)")


def listing(name: str) -> ZooListing:
    base, small = _parse(name)
    size = MODELS[base].small_size if small else FULL_SIZE
    return ZooListing(name, _describe(name, size), (3, size, size), "random, seeded (nothing to train)")
