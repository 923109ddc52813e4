"""The tessel command line, run as a user would."""

import json
import re
import subprocess
import sys

from tessel.config import load_config


def tessel(*args):
    return subprocess.run([sys.executable, "-m", "tessel.cli", *args], capture_output=True, text=True)


def test_eval_json_reports_accuracy():
    out = tessel("eval", "digits", "--json")
    assert out.returncode == 0, out.stderr
    result = json.loads(out.stdout)
    assert result["model"] == "digits" and result["images"] == 360
    assert result["float_accuracy"] > 0.97 and result["drop_pp"] <= 1.0


def test_check_golden_json():
    out = tessel("check-golden", "digits", "--images", "16", "--random", "2", "--json")
    assert out.returncode == 0, out.stderr
    result = json.loads(out.stdout)
    assert result["layers"]["max_lsb"] <= 1 and result["layers"]["elements"] > 0
    assert set(result["random_ops"]["per_op"]) >= {"conv2d", "add", "avg_pool"}


def test_unknown_model_is_a_clean_error():
    out = tessel("summary", "nosuch")
    assert out.returncode == 2
    assert "unknown zoo model 'nosuch'" in out.stderr and "Traceback" not in out.stderr


def test_user_model_by_module_function(tmp_path, monkeypatch):
    (tmp_path / "mymodel.py").write_text(
        "import torch, torch.nn as nn\n"
        "def build():\n"
        "    torch.manual_seed(0)\n"
        "    return nn.Sequential(nn.Conv2d(1, 2, 3), nn.ReLU()).eval(), torch.randn(8, 1, 6, 6)\n")
    monkeypatch.setenv("PYTHONPATH", str(tmp_path))
    out = tessel("summary", "mymodel:build")
    assert out.returncode == 0, out.stderr
    assert "conv3x3/s1 1->2+relu" in out.stdout


def test_compile_writes_the_files(tmp_path):
    out = tessel("compile", "digits", "--target", "small", "-o", str(tmp_path / "digits"))
    assert out.returncode == 0, out.stderr
    for name in ("program.bin", "dram.bin", "dram.hex", "dram.coe", "manifest.json",
                 "tessel_network.h", "report.md"):
        assert (tmp_path / "digits" / name).stat().st_size > 0, name
    manifest = json.loads((tmp_path / "digits" / "manifest.json").read_text())
    assert manifest["network"] == "digits" and manifest["target"] == "small"
    assert "hardware layers" in out.stdout


def test_dse_writes_a_configuration_the_compiler_takes(tmp_path):
    chosen = tmp_path / "digits_zcu104.yaml"
    out = tessel("dse", "digits", "--board", "zcu104", "-o", str(chosen))
    assert out.returncode == 0, out.stderr
    assert "chosen (the fastest): k_p=" in out.stdout and "DSP48E2" in out.stdout
    compiled = tessel("compile", "digits", "--target", str(chosen), "-o", str(tmp_path / "gen"))
    assert compiled.returncode == 0, compiled.stderr
    manifest = json.loads((tmp_path / "gen" / "manifest.json").read_text())
    assert manifest["target"] == "digits_zcu104"


def test_dse_with_a_utilization_floor(tmp_path):
    chosen = tmp_path / "efficient.yaml"
    out = tessel("dse", "digits", "--min-utilization", "0.1", "-o", str(chosen))
    assert out.returncode == 0, out.stderr
    assert "chosen (the fastest at a MAC utilization of 0.10 or more): k_p=" in out.stdout
    utilization = float(re.search(r"MAC utilization ([\d.]+) %", out.stdout).group(1))
    assert utilization >= 10
    assert "--min-utilization 0.1`" in chosen.read_text()
    assert load_config(chosen).description.endswith("at a MAC utilization of 0.10 or more")
    refused = tessel("dse", "digits", "--min-utilization", "0.99", "-o", str(chosen))
    assert refused.returncode != 0 and "reaches a MAC utilization of 0.99" in refused.stderr
