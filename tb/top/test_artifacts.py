"""`tessel run DIR` on the RTL: a user's model compiled for the small configuration, its
directory run from the files as written (without the model: its module is not importable
then), every output byte equal to the golden outputs stored beside it, and to the model's golden
model when named; a flipped byte in dram.bin or a truncated program.bin is refused before
anything runs, and weights changed together with the manifest's CRC stop the accelerator."""

import json
import os
import shutil
import subprocess
import sys
import zlib

from tessel.network import REFERENCE_IMAGES

MODEL = """\
import torch, torch.nn as nn
def build():
    torch.manual_seed(7)
    model = nn.Sequential(nn.Conv2d(1, 4, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                          nn.Conv2d(4, 8, 3), nn.ReLU(), nn.Flatten(), nn.Linear(8 * 2 * 2, 5))
    return model.eval(), torch.randn(16, 1, 8, 8)
"""


def tessel(*args, pythonpath=None):
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env["TESSEL_PROGRESS"] = "0"
    if pythonpath:
        env["PYTHONPATH"] = str(pythonpath)
    return subprocess.run([sys.executable, "-m", "tessel.cli", *map(str, args)],
                          capture_output=True, text=True, env=env, timeout=1800)


def test_run_a_compiled_directory_as_written(tmp_path):
    (tmp_path / "models").mkdir()
    (tmp_path / "models" / "usermodel.py").write_text(MODEL)
    folder = tmp_path / "compiled"
    out = tessel("compile", "usermodel:build", "--target", "small", "-o", folder,
                 pythonpath=tmp_path / "models")
    assert out.returncode == 0, out.stderr

    run = tessel("run", folder)   # no PYTHONPATH: the model cannot be imported, nor is it needed
    assert run.returncode == 0, run.stdout + run.stderr
    assert f"{REFERENCE_IMAGES} stored reference images on the RTL" in run.stdout
    assert "output bytes equal to the stored golden outputs  100.00 %" in run.stdout
    stats = json.loads((folder / "rtl_run.json").read_text())
    assert len(stats) == REFERENCE_IMAGES and all(s["cycles"] > 0 for s in stats)

    both = tessel("run", folder, "--model", "--images", "3", pythonpath=tmp_path / "models")
    assert both.returncode == 0, both.stdout + both.stderr
    assert "output bytes equal to build's golden model  100.00 %" in both.stdout
    assert "build compiles to the same program and DRAM image" in both.stdout

    for name, damage in (("dram.bin", flip_a_byte), ("program.bin", truncate)):
        broken = tmp_path / f"broken-{name}"
        shutil.copytree(folder, broken)
        (broken / "rtl_run.json").unlink()
        damage(broken / name)
        refused = tessel("run", broken)
        assert refused.returncode == 2, refused.stdout + refused.stderr
        assert f"{broken / name}:" in refused.stderr and "Traceback" not in refused.stderr
        assert "cycles per image" not in refused.stdout and not (broken / "rtl_run.json").exists()

    # Weights changed and the manifest's CRC changed with them (a tampered or corrupted image
    # the host cannot tell): the accelerator finds it, and the command says what and where.
    tampered = tmp_path / "tampered"
    shutil.copytree(folder, tampered)
    (tampered / "rtl_run.json").unlink()
    manifest = json.loads((tampered / "manifest.json").read_text())
    weights = [r for r in manifest["regions"] if r["kind"] == "weights"][-1]
    image = bytearray((tampered / "dram.bin").read_bytes())
    image[weights["offset"] + weights["bytes"] // 2] ^= 0x20
    (tampered / "dram.bin").write_bytes(image)
    manifest["files"]["dram.bin"].update(crc32=zlib.crc32(image))
    (tampered / "manifest.json").write_text(json.dumps(manifest))
    stopped = tessel("run", tampered)
    assert stopped.returncode == 2, stopped.stdout + stopped.stderr
    assert "image 1: accelerator error 15 WEIGHTS at address" in stopped.stderr, stopped.stderr
    assert "Traceback" not in stopped.stderr and not (tampered / "rtl_run.json").exists()


def flip_a_byte(path):
    data = bytearray(path.read_bytes())
    data[len(data) // 3] ^= 0x04
    path.write_bytes(data)


def truncate(path):
    path.write_bytes(path.read_bytes()[:10])
