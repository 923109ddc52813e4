"""The compiler back end: fusion, tiling, memory map, program format and files."""

import json
from itertools import product

import numpy as np
import pytest
import torch
import torch.nn as nn

import tessel
from tessel.backend.program import HEADER, MAGIC, decode_program, encode_program
from tessel.config import load_config
from tessel.ir import INPUT
from tessel.lowering import build
from tessel.plan.descriptor import layer_record
from tessel.plan.layers import hardware_layers
from tessel.plan.tiling import LayerGeometry, occupancy, plan


class Bottleneck(nn.Module):
    """A ResNet bottleneck with a projection shortcut, computed before the main path."""

    def __init__(self):
        super().__init__()
        self.down = nn.Sequential(nn.Conv2d(8, 32, 1, stride=2), nn.BatchNorm2d(32))
        self.c1, self.c2, self.c3 = nn.Conv2d(8, 8, 1), nn.Conv2d(8, 8, 3, 2, 1), nn.Conv2d(8, 32, 1)

    def forward(self, x):
        identity = self.down(x)
        out = self.c3(torch.relu(self.c2(torch.relu(self.c1(x)))))
        return torch.relu(out + identity)


def net(model, shape=(4, 8, 12, 12), target="zcu104"):
    torch.manual_seed(0)
    return tessel.compile(model.eval(), torch.randn(*shape), target=target)


def test_residual_add_fuses_into_the_later_convolution():
    network = net(Bottleneck())
    layers = hardware_layers(network.graph, network.config)
    fused = [layer for layer in layers if layer.fused_add is not None]
    assert len(fused) == 1 and fused[0].op.name == "c3"
    assert fused[0].inputs == ["c2", "down.0"]  # the shortcut exists before c3 runs
    assert len(layers) == len(network.graph.ops) - 1


def test_packed_first_layer():
    model = nn.Sequential(nn.Conv2d(3, 16, 7, stride=2, padding=3), nn.ReLU())
    network = net(model, (2, 3, 16, 16))
    ex = network.executable
    assert ex.layers[0].hw.packed_input and ex.input_shape == (21, 16, 8)
    x = np.arange(3 * 16 * 16, dtype=np.uint8).reshape(3, 16, 16)
    assert len(ex.input_bytes(x)) == 2 * 16 * 8 * 16  # two groups of 16 channels


def test_program_round_trip():
    config = load_config("small")
    record = layer_record(config)
    layers = [{f.name: (i * 7 + j) % (1 << min(f.width, 20)) for j, f in enumerate(record.fields)}
              for i in range(3)]
    header, decoded = decode_program(config, encode_program(config, layers))
    assert header["magic"] == MAGIC and header["layers"] == 3 and header["k_p"] == config.array.k_p
    assert decoded == layers
    with pytest.raises(ValueError, match="layer_desc.kh"):
        encode_program(config, [{"kh": 1 << 8}])


@pytest.mark.parametrize("target", ["small_buffers", "zcu104"])
def test_tiles_cover_every_output_once_and_read_only_loaded_data(target):
    config = load_config(target)
    rng = np.random.default_rng(0)
    for _ in range(40):
        k, s = int(rng.choice([1, 3, 5])), int(rng.integers(1, 3))
        g = LayerGeometry(int(rng.integers(1, 6)), int(rng.integers(4, 40)), int(rng.integers(4, 40)),
                          int(rng.integers(1, 9)), 0, 0, (k, k), (s, s), (k // 2, k // 2),
                          conv=True, residual=bool(rng.integers(2)))
        oh = (g.in_h + 2 * (k // 2) - k) // s + 1
        ow = (g.in_w + 2 * (k // 2) - k) // s + 1
        g = LayerGeometry(**{**g.__dict__, "out_h": oh, "out_w": ow})
        try:
            p = plan(g, config)
        except tessel.TesselError:
            continue
        covered = np.zeros((g.out_groups, oh), int)
        held = [None, None]
        for t in p.tiles:
            covered[t.kg0:t.kg0 + t.kgroups, t.oy0:t.oy0 + t.rows] += 1
            if t.load_input:
                held[t.half] = (t.iy0, t.in_rows)
            assert held[t.half] == (t.iy0, t.in_rows), "a tile reads a band its half does not hold"
            assert (t.iy0, t.iy0 + t.in_rows) == g.input_rows(t.oy0, t.rows)
            for used, half in occupancy(g, config, t.rows, t.kgroups).values():
                assert used <= half
        assert (covered == 1).all()


def test_memory_map_never_overlaps_live_tensors():
    ex = net(Bottleneck()).executable
    regions = [r for r in ex.memory.regions if r.name != "output"]
    for a, b in product(regions, regions):
        if a is b:
            continue
        bytes_overlap = a.offset < b.end and b.offset < a.end
        if a.kind == "tensor" and b.kind == "tensor":
            live_overlap = not (a.lifetime[1] < b.lifetime[0] or b.lifetime[1] < a.lifetime[0])
            assert not (bytes_overlap and live_overlap), (a, b)
        else:
            assert not bytes_overlap, (a, b)
    for layer in ex.layers:  # what a layer reads is never what it writes
        out = ex.memory[layer.hw.output]
        for name in layer.hw.inputs:
            src = ex.memory[name]
            assert src.end <= out.offset or out.end <= src.offset


def test_write_files(tmp_path):
    network = net(Bottleneck(), target="small")
    files = network.write(tmp_path / "out")
    ex = network.executable
    assert (tmp_path / "out" / "dram.bin").read_bytes() == ex.image
    width = ex.config.axi.data_width // 8
    hex_lines = (tmp_path / "out" / "dram.hex").read_text().splitlines()[1:]
    assert len(hex_lines) == -(-len(ex.image) // width)
    assert bytes.fromhex(hex_lines[0])[::-1] == ex.image[:width]
    manifest = json.loads(files["manifest.json"].read_text())
    assert manifest["input"]["offset"] == ex.memory[INPUT].offset
    assert manifest["build_parameters"]["k_p"] == ex.config.array.k_p
    assert len(manifest["layers"]) == len(ex.layers)
    assert "#define TESSEL_" in files["tessel_network.h"].read_text()
    report = files["report.md"].read_text()
    assert report.count("- tiling: ") == len(ex.layers)  # every layer explains its tiling
    assert all(f"### {layer.hw.index}. {layer.hw.name}" in report for layer in ex.layers)
    header = HEADER.decode(int.from_bytes(ex.image[:64], "little"))
    assert header["layers"] == len(ex.layers)


def test_program_doc_tables_are_the_records():
    """docs/program.md shows the header and layer record exactly as the code defines them."""
    from tessel.backend.program import field_table
    from tessel.paths import REPO_ROOT
    text = (REPO_ROOT / "docs" / "program.md").read_text()
    for record in (HEADER, layer_record(load_config("zcu104"))):
        assert field_table(record) in text, f"docs/program.md: the {record.name} table is stale"
