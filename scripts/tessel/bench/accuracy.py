"""Accuracy lost to int8 quantization on the real-data zoo networks."""

from .. import zoo
from ..evaluate import evaluate


def run() -> dict:
    metrics = {}
    for name in ("digits", "mnist"):
        result = evaluate(zoo.load(name))
        metrics[f"{name}_float_accuracy"] = result.float_accuracy
        metrics[f"{name}_int8_accuracy"] = result.int8_accuracy
        metrics[f"{name}_int8_drop_pp"] = round(result.drop_pp, 3)
    return metrics
