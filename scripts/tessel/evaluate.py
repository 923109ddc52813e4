"""How much a network loses to int8: float PyTorch against int8 (the golden model or another
backend). With labels, accuracy of both; always, how often the int8 top-1 class is the float
one and how alike the outputs are (cosine), which needs no labels (ResNets with random
weights, user models)."""

from dataclasses import asdict, dataclass

import numpy as np
import torch

from .compiler import compile as compile_network
from .network import CompiledNetwork
from .progress import progress
from .zoo import ZooEntry

BATCH = 256


@dataclass
class Accuracy:
    model: str
    images: int
    images_are: str                 # "held-out" or "calibration" (a model without held-out data)
    float_accuracy: float | None    # None without labels
    int8_accuracy: float | None
    drop_pp: float | None           # percentage points lost to quantization
    top1_agreement: float           # share of images whose int8 top-1 class is the float one
    cosine: float                   # mean cosine similarity of the int8 (dequantized) and float outputs
    observer: str
    backend: str

    def as_dict(self) -> dict:
        return asdict(self)


@torch.no_grad()
def outputs(entry: ZooEntry, network: CompiledNetwork, images: torch.Tensor,
            backend: str = "golden") -> tuple[np.ndarray, np.ndarray]:
    """(float, dequantized int8) outputs, one row per image."""
    entry.model.eval()
    fp, q = [], []
    for start in progress(range(0, len(images), BATCH), desc=f"float and int8 {network.name}",
                          unit="batch"):
        x = images[start:start + BATCH]
        fp.append(rows(entry.model(x), len(x)))
        q.append(rows(network.predict(x, backend), len(x)))
    return np.concatenate(fp), np.concatenate(q)


def rows(output, images: int) -> np.ndarray:
    """One row per image; a model's several outputs side by side, in order."""
    outputs = output if isinstance(output, (tuple, list)) else (output,)
    return np.concatenate([np.asarray(o, dtype=np.float32).reshape(images, -1) for o in outputs], 1)


def cosine(a: np.ndarray, b: np.ndarray) -> float:
    """Mean over rows of the cosine similarity (two zero rows count as alike)."""
    dot = (a * b).sum(1)
    norms = np.linalg.norm(a, axis=1) * np.linalg.norm(b, axis=1)
    return float(np.where(norms > 0, dot / np.where(norms > 0, norms, 1), 1.0).mean())


def evaluate(entry: ZooEntry, observer: str = "minmax", backend: str = "golden",
             network: CompiledNetwork | None = None) -> Accuracy:
    network = network or compile_network(entry.model, entry.calibration, observer=observer,
                                         name=entry.name)
    images = entry.test_images
    fp, q = outputs(entry, network, images, backend)
    fp_top, q_top = fp.argmax(1), q.argmax(1)
    fp_acc = q_acc = drop = None
    if entry.eval_y is not None:
        labels = entry.eval_y.numpy()
        fp_acc, q_acc = float((fp_top == labels).mean()), float((q_top == labels).mean())
        drop = 100.0 * (fp_acc - q_acc)
    return Accuracy(entry.name, len(images), "held-out" if entry.eval_x is not None else "calibration",
                    fp_acc, q_acc, drop, float((fp_top == q_top).mean()), cosine(fp, q),
                    network.observer, backend)
