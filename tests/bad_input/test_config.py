"""Bad configuration files: every field out of its declared range, of the wrong type, or in a
combination the RTL refuses is a ConfigError naming the file, the field, the value and the
range, before anything is built."""

import copy

import pytest
import torch
import torch.nn as nn
import yaml

from tessel.config import HardwareConfig, available_targets, declared, load_config, range_table
from tessel.errors import ConfigError
from tessel.network import CompiledNetwork
from tessel.paths import REPO_ROOT

from .conftest import cli_refused

BASE = "small"


def with_values(values: dict) -> dict:
    """The base configuration's contents with `values` ({"axi.data_width": 48}) put in."""
    data = copy.deepcopy(yaml.safe_load(load_config(BASE).path.read_text()))
    for path, value in values.items():
        *parents, name = path.split(".")
        node = data
        for parent in parents:
            node = node[parent]
        node[name] = value
    return data


def write(tmp_path, values: dict, name="bad.yaml"):
    path = tmp_path / name
    path.write_text(yaml.safe_dump(with_values(values), sort_keys=False))
    return path


@pytest.mark.parametrize("values, culprits", [
    ({"axi.data_width": 48}, ["axi.data_width = 48", "power of two from 64 to 256"]),
    ({"clock_mhz": -5}, ["clock_mhz = -5", "from 1 to 1000"]),
    ({"clock_mhz": float("nan")}, ["clock_mhz = nan", "from 1 to 1000"]),
    ({"axi.max_outstanding": 1}, ["axi.max_outstanding = 1", "from 2 to 64"]),
    ({"axi.addr_width": 8}, ["axi.addr_width = 8", "from 33 to 64"]),
    ({"array.y_p": 1000}, ["array.y_p = 1000", "from 1 to 31"]),
    ({"axi.weight_ports": 5}, ["axi.weight_ports = 5", "from 0 to 4"]),
    ({"buffers.act_bank_words": 3000}, ["buffers.act_bank_words = 3000", "power of two"]),
    ({"buffers.param_words": 2048}, ["buffers.param_words = 2048", "from 2 to 1024"]),
    ({"array.y_p": "two"}, ["array.y_p = 'two'", "expected an integer from 1 to 31"]),
    ({"array.k_p": True}, ["array.k_p = True", "expected a power of two"]),
    ({"array.dsp_packing": 1}, ["array.dsp_packing = 1", "expected true or false"]),
    ({"name": 5}, ["name = 5", "expected text"]),
    ({"axi.data_width": 128}, ["axi.data_width (128)", "8 * array.c_p (64)"]),
    ({"ppu.pixels": 4}, ["array.y_p (2)", "multiple of ppu.pixels (4)"]),
])
def test_out_of_range_or_mistyped_field_is_refused(tmp_path, expect_refused, values, culprits):
    path = write(tmp_path, values)
    with expect_refused(ConfigError, "bad.yaml", *culprits, unchanged=[tmp_path]):
        load_config(path)


def test_compile_with_a_bad_target_writes_nothing(tmp_path):
    path = write(tmp_path, {"axi.max_outstanding": 1})
    out = tmp_path / "out"
    cli_refused("compile", "digits", "--target", path, "-o", out,
                culprits=["bad.yaml", "axi.max_outstanding = 1", "from 2 to 64"],
                unchanged=[tmp_path])
    assert not out.exists()


def test_target_of_the_wrong_type_is_refused(expect_refused):
    with expect_refused(TypeError, "target must be", "int"):
        load_config(3)


def test_shipped_configurations_pass():
    for target in available_targets():
        load_config(target).check()


# Fields that must agree with another (the combinations HardwareConfig.check refuses).
AGREEING = {"array.k_p": lambda v: {"array.c_p": v, "axi.data_width": 8 * v},
            "array.c_p": lambda v: {"array.k_p": v, "axi.data_width": 8 * v},
            "axi.data_width": lambda v: {"array.k_p": v // 8, "array.c_p": v // 8},
            "ppu.pixels": lambda v: {"array.y_p": v}}
ENDS = [(path, end) for path, f in declared(HardwareConfig) if "range" in f.metadata
        for end in (f.metadata["range"].lo, f.metadata["range"].hi)]


@pytest.fixture(scope="module")
def tiny_graph():
    from tessel.frontend import import_model
    from tessel.quantizer import quantize
    torch.manual_seed(1)
    model = nn.Sequential(nn.Conv2d(1, 4, 3), nn.ReLU(), nn.Flatten(), nn.Linear(144, 3)).eval()
    x = torch.randn(8, 1, 8, 8)
    return quantize(import_model(model, x, "tiny"), x)


@pytest.mark.parametrize("path, end", ENDS, ids=[f"{p}={e:g}" for p, e in ENDS])
def test_each_end_of_every_range_is_accepted_and_builds(tmp_path, tiny_graph, path, end):
    values = {path: end, **AGREEING.get(path, lambda v: {})(end)}
    config = load_config(write(tmp_path, values, "end.yaml"))
    if path.startswith("buffers.") and end == 2 and path != "buffers.param_words":
        return  # legal, but no layer of the tiny network fits two words (the compiler says so)
    assert CompiledNetwork(tiny_graph, config, "minmax").executable.program


def test_configuration_doc_lists_the_declared_ranges():
    text = (REPO_ROOT / "docs" / "configuration.md").read_text()
    assert range_table() in text, "docs/configuration.md: the range table is stale"
