"""Accuracy of a zoo network: float PyTorch against int8 (golden model or another backend)."""

from dataclasses import asdict, dataclass

import numpy as np
import torch

from .compiler import compile as compile_network
from .network import CompiledNetwork
from .progress import progress
from .zoo import ZooEntry
from .zoo.train import accuracy as float_accuracy

BATCH = 256


@dataclass
class Accuracy:
    model: str
    images: int
    float_accuracy: float
    int8_accuracy: float
    drop_pp: float  # percentage points lost to quantization
    observer: str
    backend: str

    def as_dict(self) -> dict:
        return asdict(self)


def int8_accuracy(network: CompiledNetwork, images: torch.Tensor, labels: torch.Tensor,
                  backend: str = "golden") -> float:
    correct = 0
    for start in progress(range(0, len(images), BATCH), desc=f"int8 {network.name}", unit="batch"):
        logits = network.predict_int(images[start:start + BATCH], backend)
        correct += int((np.argmax(logits.reshape(len(logits), -1), axis=1)
                        == labels[start:start + BATCH].numpy()).sum())
    return correct / len(images)


def evaluate(entry: ZooEntry, observer: str = "minmax", backend: str = "golden",
             network: CompiledNetwork | None = None) -> Accuracy:
    if entry.eval_x is None:
        raise ValueError(f"{entry.name} has no labelled evaluation images")
    network = network or compile_network(entry.model, entry.calibration, observer=observer,
                                         name=entry.name)
    fp = float_accuracy(entry.model, entry.eval_x, entry.eval_y)
    q = int8_accuracy(network, entry.eval_x, entry.eval_y, backend)
    return Accuracy(entry.name, len(entry.eval_x), fp, q, 100.0 * (fp - q), network.observer, backend)
