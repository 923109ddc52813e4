"""Compiled directories loaded back (tessel.load): the bytes as written, the manifest's
schema, the configuration carried whole, reference data; no simulator here (the run is in
tb/top/test_artifacts.py, bad inputs in tests/bad_input/test_artifacts.py)."""

import asyncio
import json
import zlib
from dataclasses import replace

import numpy as np
import pytest
import torch
import torch.nn as nn

import tessel
from tessel import golden
from tessel.backend.writers import MANIFEST_VERSION
from tessel.config import HardwareConfig, load_config, to_yaml
from tessel.runtime.driver import Driver, ImageMismatchError


def tiny(target="small"):
    """A first convolution over one channel (its input taps are packed), then a strided one."""
    torch.manual_seed(3)
    model = nn.Sequential(nn.Conv2d(1, 4, 3, padding=1), nn.ReLU(),
                          nn.Conv2d(4, 8, 3, stride=2), nn.ReLU()).eval()
    images = torch.randn(12, 1, 8, 8)
    return tessel.compile(model, images, target=target, name="tiny"), images


@pytest.fixture(scope="module")
def written(tmp_path_factory):
    net, images = tiny()
    folder = tmp_path_factory.mktemp("tiny")
    net.write(folder, reference=images, model="mypkg.models:tiny")
    return net, images, folder


def test_loaded_bytes_are_the_written_ones(written):
    net, images, folder = written
    loaded = tessel.load(folder)
    ex, want = loaded.executable, net.executable
    assert ex.program == (folder / "program.bin").read_bytes() == want.program
    assert ex.image == (folder / "dram.bin").read_bytes() == want.image
    assert ex.config == want.config and ex.config.path is None  # a value, from the manifest
    assert [(r.name, r.offset, r.size, r.kind) for r in ex.memory.regions] == \
        [(r.name, r.offset, r.size, r.kind) for r in want.memory.regions]
    assert ex.output_bytes == want.output_bytes and len(ex.layers) == len(want.layers)
    assert want.layers[0].hw.packed_input and ex.packing is not None
    x_u8 = net.quantize_input(images)
    assert all(ex.input_bytes(x) == want.input_bytes(x) for x in x_u8)  # packed as compiled
    blob = bytes(range(256)) * (want.output_bytes // 256 + 1)
    assert np.array_equal(ex.output_from_bytes(blob[:ex.output_bytes]),
                          want.output_from_bytes(blob[:want.output_bytes]))
    assert loaded.model == "mypkg.models:tiny" and loaded.observer == "minmax"


def test_reference_is_the_first_images_and_their_golden_outputs(written):
    net, images, folder = written
    reference = tessel.load(folder).reference
    x_u8 = net.quantize_input(images[:8])
    assert np.array_equal(reference.inputs, x_u8)
    assert np.array_equal(reference.outputs, golden.run(net.graph, x_u8))


def test_manifest_records_every_file_and_the_whole_configuration(written):
    net, _, folder = written
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["format_version"] == MANIFEST_VERSION
    names = {p.name for p in folder.iterdir()} - {"manifest.json"}
    assert set(manifest["files"]) == names
    for name, entry in manifest["files"].items():
        data = (folder / name).read_bytes()
        assert entry == {"bytes": len(data), "crc32": zlib.crc32(data)}, name
    assert load_config(net.config.path) == net.config
    assert manifest["config"]["array"] == {"k_p": net.config.array.k_p, "y_p": net.config.array.y_p,
                                           "c_p": net.config.array.c_p,
                                           "dsp_packing": net.config.array.dsp_packing}


def test_a_configuration_without_a_file_still_loads(tmp_path):
    """Compiled for a configuration file that is gone: the manifest carries it whole and the
    loaded configuration is that value (no copy of it written anywhere)."""
    mine = replace(load_config("small"), name="gone_after_compile",
                   clock_mhz=123.0, path=None)
    path = tmp_path / "gone_after_compile.yaml"
    path.write_text(to_yaml(mine))
    net, images = tiny(str(path))
    net.write(tmp_path / "out", reference=images)
    path.unlink()
    loaded = tessel.load(tmp_path / "out")
    assert loaded.config == mine and loaded.config.label == mine.label
    assert loaded.executable.image == net.executable.image


def test_a_configuration_is_a_value_named_by_its_contents(tmp_path):
    small = load_config("small")
    again = HardwareConfig.from_dict(small.to_dict(), "again")
    assert again == small and again.path is None and again.label == small.label
    dse = tmp_path / "chosen.yaml"
    dse.write_text(to_yaml(replace(small, name="chosen")))
    assert load_config(dse).label == replace(small, name="chosen").label  # file or not
    # one name, other hardware: other packages and builds
    assert replace(small, clock_mhz=1.0).label != small.label
    assert small.label.startswith("small-")


def test_network_written_without_reference_or_model(tmp_path):
    net, _ = tiny()
    net.write(tmp_path)
    loaded = tessel.load(tmp_path)
    assert loaded.reference is None and loaded.model is None
    assert not (tmp_path / "reference.npz").exists()
    with pytest.raises(tessel.ArtifactError, match="field 'reference' is null"):
        loaded.check()


class Recorder:
    """An Mmio that only records the memory writes."""

    def __init__(self):
        self.writes = []

    async def write_memory(self, address, data):
        self.writes.append((address, bytes(data)))


def test_driver_loads_only_the_image_it_was_given_the_crc_of(written):
    _, _, folder = written
    image = (folder / "dram.bin").read_bytes()
    mmio = Recorder()
    driver = Driver(mmio, 0x1000, 1 << 20)
    asyncio.run(driver.load_image(image, zlib.crc32(image)))
    assert mmio.writes == [(0x1000, image)]
    changed = image[:-1] + bytes([image[-1] ^ 1])
    with pytest.raises(ImageMismatchError, match="CRC-32"):
        asyncio.run(driver.load_image(changed, zlib.crc32(image)))
    assert len(mmio.writes) == 1


def test_what_tessel_run_takes_for_a_directory(tmp_path, monkeypatch):
    from tessel.artifacts.command import is_directory
    monkeypatch.chdir(tmp_path)
    (tmp_path / "digits").mkdir()        # a folder named like a zoo model, without a manifest
    (tmp_path / "mine").mkdir()
    assert not is_directory("digits") and not is_directory("pkg.mod:build")
    assert is_directory("mine") and is_directory("./digits") and is_directory("gone/folder")
    (tmp_path / "digits" / "manifest.json").write_text("{}")
    assert is_directory("digits")        # what tessel compile wrote there
