"""The cost model against the RTL: predicted vs measured cycles of single-layer networks
(tessel.calibration.rtl_check), ResNet-50's distinct shapes among them, at several
configurations:

    zcu104          the 25 shapes at real width (up to 56 columns), 4 output rows, <= 64 channels out
    small           the same shapes, 2 output rows, <= 28 columns, <= 32 channels out
    small_buffers   the shapes that fit tiny buffers (<= 14 columns): many tiles per layer
    small_buffers with a 30-cycle DRAM read latency
    small_ports     small_buffers with two weight masters, and with the 30-cycle latency
"""

from ..calibration import rtl_check

RUNS = [  # (target, output rows, max output channels, max input columns, read latency)
    ("zcu104", 4, 64, 56, 0),
    ("small", 2, 32, 28, 0),
    ("small_buffers", 4, 32, 14, 0),
    ("small_buffers", 4, 32, 14, 30),
    ("small_ports", 4, 32, 14, 0),
    ("small_ports", 4, 32, 14, 30),
]


def run() -> dict:
    results = []
    for target, rows, max_k, max_w, latency in RUNS:
        shapes = rtl_check.fitting(rtl_check.resnet50_shapes(rows, max_k, max_w), target)
        results += rtl_check.compare(shapes, target, latency=latency)
    print(rtl_check.table(results))
    errors = [r.error for r in results]
    return {"cost_model_err_mean": round(sum(errors) / len(errors), 4),
            "cost_model_err_max": round(max(errors), 4),
            "cost_model_layers": len(results),
            "cost_model_shapes": len({r.shape for r in results}),
            "cost_model_configs": len({r.target for r in results})}
