"""Golden model speed, and its agreement with PyTorch's quantized operators."""

import time

import numpy as np

from .. import golden, zoo
from ..compiler import compile as compile_network
from ..reference.crosscheck import check_graph, check_random_ops

IMAGES = 8192
RANDOM_CASES_PER_KIND = 100


def images_per_second() -> float:
    entry = zoo.load("digits")
    network = compile_network(entry.model, entry.calibration, name="digits")
    x = network.quantize_input(entry.eval_x)
    x = np.concatenate([x] * (IMAGES // len(x) + 1))[:IMAGES]
    golden.run(network.graph, x[:256])  # warm up
    best = 0.0
    for _ in range(3):
        start = time.perf_counter()
        golden.run(network.graph, x)
        best = max(best, IMAGES / (time.perf_counter() - start))
    return best


def run() -> dict:
    agreement = check_random_ops(RANDOM_CASES_PER_KIND, seed=0)
    for name in ("digits", "mnist"):  # every layer of the real networks on held-out images
        entry = zoo.load(name)
        network = compile_network(entry.model, entry.calibration, name=name)
        check_graph(network.graph, network.quantize_input(entry.eval_x[:512]), agreement,
                    key=lambda op: f"{name}:{op.kind}")
    per_op = agreement.as_dict()["per_op"]
    metrics = {
        "golden_images_per_s": round(images_per_second(), 1),
        "golden_vs_torch_exact_frac": agreement.exact_frac,
        "golden_vs_torch_max_lsb": agreement.max_lsb,
        "golden_vs_torch_elements": agreement.elements,
    }
    for key, row in per_op.items():
        if ":" not in key:  # per op kind of the random suite
            metrics[f"golden_vs_torch_exact_frac_{key}"] = row["exact_frac"]
    return metrics
