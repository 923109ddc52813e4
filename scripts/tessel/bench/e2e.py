"""End to end on the RTL: the digits network bit-exact on real images at the ZCU104
configuration, its cycles per image, the network-level simulator's speed at the make sim
configuration, and how long `make sim` takes."""

import subprocess
import time

import numpy as np

from .. import golden, zoo
from ..compiler import compile as compile_network
from ..paths import REPO_ROOT
from ..runtime.simulation import run_images

DIGITS_IMAGES = 40
SPEED_IMAGES = 20


def run() -> dict:
    entry = zoo.load("digits")
    network = compile_network(entry.model, entry.calibration, "zcu104", name="digits")
    x = network.quantize_input(entry.eval_x[:DIGITS_IMAGES])
    out, stats = run_images(network.executable, x)
    want = golden.run(network.graph, x)
    metrics = {"e2e_bitexact_frac": float((out.reshape(want.shape) == want).mean()),
               "digits_cycles_per_image": float(np.mean([s["cycles"] for s in stats]))}

    # Simulator speed: MNIST (35k cycles an image) at the make sim configuration, 20 images in
    # one simulator invocation; the model is built once first so building is not timed.
    mnist = zoo.load("mnist")
    net = compile_network(mnist.model, mnist.calibration, "small", name="mnist")
    xm = net.quantize_input(mnist.eval_x[:SPEED_IMAGES])
    run_images(net.executable, xm[:1])
    start = time.perf_counter()
    _, stats = run_images(net.executable, xm)
    seconds = time.perf_counter() - start
    cycles = sum(s["cycles"] for s in stats)
    # Whole invocations (simulator start, DRAM preload, driver) and the runs alone.
    metrics["sim_cycles_per_s"] = round(cycles / seconds)
    metrics["sim_cycles_per_s_in_run"] = round(cycles / sum(s["simulation_seconds"] for s in stats))

    start = time.perf_counter()
    subprocess.run(["make", "-s", "sim"], cwd=REPO_ROOT, check=True, capture_output=True)
    metrics["make_sim_seconds"] = round(time.perf_counter() - start, 1)
    return metrics
