"""The simulated DRAM is sized by the network: a VGG-style classifier whose DRAM image is larger
than the smallest DRAM model (runtime.simulation.MEM_BYTES) runs on the RTL bit-exact, and a
network beyond the board's DDR is refused by name."""

import numpy as np
import pytest
import torch
import torch.nn as nn

import tessel
from tessel import golden
from tessel.runtime.simulation import MAX_MEM_BYTES, MEM_BYTES, mem_bytes, run_images


def vgg_classifier() -> tuple[nn.Module, torch.Tensor]:
    """A conv feature map flattened into an 8192 -> 4160 -> 10 classifier: 34 MB of weights,
    streamed once per image (about 2 M cycles at the zcu104 configuration), little compute."""
    torch.manual_seed(0)
    model = nn.Sequential(nn.Conv2d(8, 128, 3, 1, 1), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
                          nn.Linear(8192, 4160), nn.ReLU(), nn.Linear(4160, 10)).eval()
    return model, torch.randn(4, 8, 16, 16)


def test_dram_model_size():
    assert mem_bytes(1) == MEM_BYTES  # small networks share one build
    assert mem_bytes(MEM_BYTES) == MEM_BYTES
    assert mem_bytes(MEM_BYTES + 4096) == 2 * MEM_BYTES
    assert mem_bytes(MAX_MEM_BYTES) == MAX_MEM_BYTES
    with pytest.raises(ValueError, match="board's window has at most"):
        mem_bytes(MAX_MEM_BYTES + 4096)


def test_network_beyond_the_smallest_dram_model():
    model, calibration = vgg_classifier()
    network = tessel.compile(model, calibration, target="zcu104", name="vgg_classifier")
    assert network.executable.memory.size > MEM_BYTES
    x = network.quantize_input(calibration[:1])
    out, _ = run_images(network.executable, x)
    want = golden.run(network.graph, x)
    bad = np.argwhere(out.reshape(want.shape) != want)
    assert not len(bad), f"{len(bad)} of {want.size} output bytes differ, first {bad[0]}"
