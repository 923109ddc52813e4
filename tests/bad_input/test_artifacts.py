"""Bad compiled directories (tessel.load, `tessel run DIR`, `tessel report DIR`): each is an
ArtifactError naming the file and the field or the size/CRC at fault, before anything runs,
and the directory stays as it was."""

import json
import shutil
import zlib

import numpy as np
import pytest
import torch
import torch.nn as nn

import tessel
from tessel.errors import ArtifactError, BackendError, InputError

from .conftest import cli_refused, refused


@pytest.fixture(scope="module")
def compiled(tmp_path_factory):
    torch.manual_seed(5)
    model = nn.Sequential(nn.Conv2d(1, 4, 3, padding=1), nn.ReLU(), nn.Flatten(),
                          nn.Linear(4 * 6 * 6, 3)).eval()
    images = torch.randn(10, 1, 6, 6)
    folder = tmp_path_factory.mktemp("compiled") / "net"
    tessel.compile(model, images, target="small", name="net").write(folder, reference=images)
    return folder


@pytest.fixture
def folder(compiled, tmp_path):
    """A fresh copy of the compiled directory, to break."""
    return shutil.copytree(compiled, tmp_path / "net")


def edit_manifest(folder, change):
    path = folder / "manifest.json"
    data = json.loads(path.read_text())
    change(data)
    path.write_text(json.dumps(data))


def rewrite(folder, name, data: bytes):
    """Replace a file and record its new size and CRC-32, as if written so: the checks behind
    the CRC's must catch what is wrong."""
    (folder / name).write_bytes(data)
    edit_manifest(folder, lambda m: m["files"].__setitem__(
        name, {"bytes": len(data), "crc32": zlib.crc32(data)}))


def test_missing_directory(tmp_path):
    with refused(ArtifactError, tmp_path / "nowhere", "no such directory", unchanged=[tmp_path]):
        tessel.load(tmp_path / "nowhere")


def test_a_file_is_not_a_directory(folder):
    with refused(ArtifactError, folder / "dram.bin", "not a directory", unchanged=[folder]):
        tessel.load(folder / "dram.bin")


def test_missing_manifest(folder):
    (folder / "manifest.json").unlink()
    with refused(ArtifactError, folder / "manifest.json", "missing", unchanged=[folder]):
        tessel.load(folder)


def test_manifest_not_json(folder):
    (folder / "manifest.json").write_text('{"format_version": 1, "network": ')
    with refused(ArtifactError, "manifest.json", "not valid JSON", unchanged=[folder]):
        tessel.load(folder)


def test_manifest_not_an_object(folder):
    (folder / "manifest.json").write_text("[1, 2]")
    with refused(ArtifactError, "manifest.json", "a JSON object", unchanged=[folder]):
        tessel.load(folder)


def test_manifest_of_another_format_version(folder):
    edit_manifest(folder, lambda m: m.update(format_version=99))
    with refused(ArtifactError, "manifest.json", "'format_version' is 99", "format_version 1",
                 unchanged=[folder]):
        tessel.load(folder)


def test_manifest_without_format_version(folder):
    """What tessel wrote before manifests had a version."""
    edit_manifest(folder, lambda m: m.pop("format_version"))
    with refused(ArtifactError, "manifest.json", "field 'format_version' is missing",
                 unchanged=[folder]):
        tessel.load(folder)


def test_missing_field(folder):
    edit_manifest(folder, lambda m: m["output"].pop("offset"))
    with refused(ArtifactError, "manifest.json", "field 'output.offset' is missing",
                 unchanged=[folder]):
        tessel.load(folder)


def test_field_of_the_wrong_type(folder):
    edit_manifest(folder, lambda m: m["output"].update(offset="x"))
    with refused(ArtifactError, "manifest.json", "field 'output.offset'",
                 "expected a non-negative integer, got 'x'", unchanged=[folder]):
        tessel.load(folder)


def test_malformed_configuration(folder):
    edit_manifest(folder, lambda m: m["config"]["array"].update(k_p="sixteen"))
    with refused(ArtifactError, "manifest.json", "field 'config'", "array.k_p", "sixteen",
                 unchanged=[folder]):
        tessel.load(folder)


def test_region_missing(folder):
    edit_manifest(folder, lambda m: m.update(regions=[r for r in m["regions"]
                                                      if r["name"] != "output"]))
    with refused(ArtifactError, "manifest.json", "field 'regions'", "'output'",
                 unchanged=[folder]):
        tessel.load(folder)


def test_truncated_program(folder):
    size = (folder / "program.bin").stat().st_size
    (folder / "program.bin").write_bytes((folder / "program.bin").read_bytes()[:10])
    with refused(ArtifactError, folder / "program.bin", "10 bytes", f"recorded {size:,}",
                 unchanged=[folder]):
        tessel.load(folder)


def test_emptied_dram_image(folder):
    (folder / "dram.bin").write_bytes(b"")
    with refused(ArtifactError, folder / "dram.bin", "0 bytes", unchanged=[folder]):
        tessel.load(folder)


def test_flipped_byte_is_a_crc_mismatch(folder):
    data = bytearray((folder / "dram.bin").read_bytes())
    data[len(data) // 2] ^= 0x10
    (folder / "dram.bin").write_bytes(data)
    with refused(ArtifactError, folder / "dram.bin", "CRC-32", unchanged=[folder]):
        tessel.load(folder)


def test_changed_report_is_a_crc_mismatch_too(folder):
    """Every listed file is checked, not only what runs."""
    with open(folder / "report.md", "a") as report:
        report.write("edited\n")
    with refused(ArtifactError, folder / "report.md", unchanged=[folder]):
        tessel.load(folder)


def test_missing_reference_file(folder):
    (folder / "reference.npz").unlink()
    with refused(ArtifactError, folder / "reference.npz", "missing", unchanged=[folder]):
        tessel.load(folder)


def test_program_not_listed(folder):
    edit_manifest(folder, lambda m: m["files"].pop("program.bin"))
    with refused(ArtifactError, "manifest.json", "files.'program.bin'", "missing",
                 unchanged=[folder]):
        tessel.load(folder)


def test_dram_image_with_another_program(folder):
    """Both files intact and recorded, but the image does not hold this program."""
    image = bytearray((folder / "dram.bin").read_bytes())
    image[70] ^= 1   # in the first layer record
    rewrite(folder, "dram.bin", bytes(image))
    with refused(ArtifactError, folder / "dram.bin", "does not start with program.bin",
                 unchanged=[folder]):
        tessel.load(folder)


def test_reference_arrays_of_the_wrong_shape(folder):
    data = (folder / "reference.npz")
    import io
    buffer = io.BytesIO()
    np.savez(buffer, inputs=np.zeros((8, 1, 5, 5), np.uint8), outputs=np.zeros((8, 3), np.uint8))
    rewrite(folder, "reference.npz", buffer.getvalue())
    with refused(ArtifactError, data, "'inputs'", "(8, 1, 5, 5)", "(8, 1, 6, 6)",
                 unchanged=[folder]):
        tessel.load(folder)


def test_wrong_input_shape_for_a_loaded_network(folder):
    loaded = tessel.load(folder)
    with refused(InputError, "shape (N, 1, 6, 6)", "(2, 1, 8, 8)", str(folder), unchanged=[folder]):
        loaded.predict_int(np.zeros((2, 1, 8, 8), np.uint8))


def test_unknown_backend_for_a_loaded_network(folder):
    loaded = tessel.load(folder)
    with refused(BackendError, "'golden'", "verilator, pynq", unchanged=[folder]):
        loaded.predict_int(loaded.reference.inputs, backend="golden")


def test_run_refuses_a_truncated_program_before_running(folder):
    (folder / "program.bin").write_bytes((folder / "program.bin").read_bytes()[:10])
    cli_refused("run", folder, culprits=[folder / "program.bin", "10 bytes"], unchanged=[folder])


def test_run_with_the_recorded_model_when_none_is_recorded(folder):
    cli_refused("run", folder, "--model", culprits=["manifest.json", "field 'model' is null"],
                unchanged=[folder])


def test_report_with_a_corrupt_run_record(folder):
    (folder / "rtl_run.json").write_text('[{"cycles": 12')
    cli_refused("report", folder, "--no-dse", culprits=[folder / "rtl_run.json", "not valid JSON"],
                unchanged=[folder])


def test_report_with_a_malformed_run_record(folder):
    (folder / "rtl_run.json").write_text(json.dumps([{"cycles": 1200}]))
    with refused(ArtifactError, "rtl_run.json", "field '[0].layer_cycles' is missing",
                 unchanged=[folder]):
        from tessel.artifacts.files import read_run_record
        read_run_record(folder / "rtl_run.json")
