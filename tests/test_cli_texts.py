"""What the command line and the compiled files say is true and complete: the zoo listing, the
DSE's latencies, eval without labels, the compile report's reasons for each tiling, the C
header's input shapes, the build message."""

import json
import re
import subprocess
import sys

import pytest
import torch
import torch.nn as nn

import tessel
from tessel import sim, zoo
from tessel.backend.writers import c_header, report
from tessel.paths import CONFIGS_DIR
from tessel.plan.tiling import occupancy


def tessel_cli(*args, env=None):
    import os
    return subprocess.run([sys.executable, "-m", "tessel.cli", *args], capture_output=True,
                          text=True, env={**os.environ, **(env or {})})


def test_zoo_lists_description_input_shape_and_weights(tmp_path):
    out = tessel_cli("zoo", env={"TESSEL_GEN_DIR": str(tmp_path)})  # an empty cache
    assert out.returncode == 0, out.stderr
    text = out.stdout
    assert re.search(r"^digits +input 1x8x8, not trained yet \(trains on first use, 40 epochs\)$",
                     text, re.M)
    assert "scikit-learn 8x8 digits; conv-BN-ReLU" in text
    assert re.search(r"^mnist +input 1x28x28, not trained yet", text, re.M)
    assert re.search(r"^resnet50 +input 3x224x224, random, seeded", text, re.M)
    assert "package.module:function" in text
    assert not any(tmp_path.rglob("*.pt")), "listing the zoo trained a model"


def test_zoo_says_a_cached_model_is_trained():
    zoo.load("digits")  # trains into the checkout's cache once
    out = tessel_cli("zoo")
    assert re.search(r"^digits +input 1x8x8, trained, float test accuracy 9\d\.\d\d%$",
                     out.stdout, re.M), out.stdout


def test_dse_prints_one_latency_per_configuration(tmp_path):
    """The ranking (largest tiles) and the full mapping used to list one configuration at two
    latencies (ResNet-18: 4.16 and 3.94 ms): every latency printed is now the full mapping's."""
    out = tessel_cli("dse", "resnet18", "-o", str(tmp_path / "r18.yaml"))
    assert out.returncode == 0, out.stderr
    text = out.stdout
    chosen = re.search(r"chosen .*: k_p=(\d+) y_p=(\d+) .*PPU (\d+) pixels/cycle, buffers act (\d+)"
                       r" x \d+ banks, weights (\d+), output (\d+) x .* (\d) weight masters", text)
    k, y, ppu, act, wt, out_words, ports = chosen.groups()
    latencies = {}

    def seen(config, ms):
        latencies.setdefault(config, set()).add(ms)
    seen((k, y, ppu, f"{act}/{wt}/{out_words}", ports),
         re.search(r"predicted: ([\d.]+) ms", text).group(1))
    for m in re.finditer(r"k_p=(\d+) y_p=(\d+) PPU (\d+), buffers (\S+), (\d) weight masters: "
                         r"([\d.]+) ms", text):
        seen(m.groups()[:5], m.group(6))
    section = text[text.index("the same array with"):]
    for m in re.finditer(r"(\d) weight masters?: ([\d.]+) ms", section):
        seen((k, y, ppu, f"{act}/{wt}/{out_words}", m.group(1)), m.group(2))
    assert len(latencies) >= 6
    assert all(len(ms) == 1 for ms in latencies.values()), latencies


def test_eval_without_labels_reports_agreement():
    out = tessel_cli("eval", "resnet18")
    assert out.returncode == 0, out.stderr
    assert "resnet18: 2 calibration images" in out.stdout
    assert "no labels" in out.stdout and "calibrated on" in out.stdout
    cosine = float(re.search(r"cosine +([\d.]+)", out.stdout).group(1))
    assert 0.9 < cosine <= 1.0
    assert re.search(r"top-1 agreement +\d+\.\d\d %", out.stdout)


def test_eval_json_has_agreement_beside_accuracy():
    result = json.loads(tessel_cli("eval", "digits", "--json").stdout)
    assert result["images_are"] == "held-out"
    assert result["top1_agreement"] > 0.97 and result["cosine"] > 0.99


@pytest.fixture(scope="module")
def digits_entry():
    return zoo.load("digits")


def compiled_digits(entry, target):
    return tessel.compile(entry.model, entry.calibration, target=target, name="digits").executable


def tiny_config(tmp_path):
    """small_buffers with activation banks of 16 words: most layers' rows limited by them."""
    text = (CONFIGS_DIR / "small_buffers.yaml").read_text()
    path = tmp_path / "tiny.yaml"
    path.write_text(text.replace("act_bank_words: 256", "act_bank_words: 16")
                    .replace("name: small_buffers", "name: tiny"))
    return path


WHY = re.compile(r"- why (\d+) (rows?|output groups?) per tile \(of (\d+)\): (.*)")


def check_reasons(ex) -> list[str]:
    """Every "why" line of the report is true of its layer; returns them."""
    text, found = report(ex, "digits"), []
    for layer, section in zip(ex.layers, text.split("\n### ")[1:]):
        g, p = layer.shape.geometry, layer.plan
        assert "overflow the  half" not in section
        for size, unit, total, reason in WHY.findall(section):
            rows_unit = unit.startswith("row")
            assert int(size) == (p.rows if rows_unit else p.kgroups)
            assert int(total) == (g.out_h if rows_unit else g.out_groups)
            bigger = (p.rows + 1, p.kgroups) if rows_unit else (p.rows, p.kgroups + 1)
            over = [what.split(" (")[0] for what, (n, half) in
                    occupancy(g, ex.config, *bigger).items() if n > half]
            if "by predicted cycles" in reason:
                assert not over, section
                assert "predicted cycles" in section.split(reason)[1]
            else:
                assert over and all(f"half the {name} buffer" in reason for name in over), section
            found.append(reason)
    return found


def test_report_says_the_mapper_chose_smaller_tiles_by_predicted_cycles(digits_entry):
    ex = compiled_digits(digits_entry, "zcu104")
    reasons = check_reasons(ex)
    assert reasons and all("by predicted cycles" in r for r in reasons)
    cycles = re.findall(r"predicted cycles \(cost model, simulated memory with no read latency\): "
                        r"([\d,]+) with these tiles, ([\d,]+) with the largest that fit",
                        report(ex, "digits"))
    assert cycles and all(int(a.replace(",", "")) <= int(b.replace(",", "")) for a, b in cycles)


def test_report_names_the_buffer_that_limits_a_tile(digits_entry, tmp_path):
    ex = compiled_digits(digits_entry, tiny_config(tmp_path))
    reasons = check_reasons(ex)
    assert any("would overflow half the input buffer" in r for r in reasons), reasons


def test_report_on_the_small_configuration_is_true(digits_entry):
    check_reasons(compiled_digits(digits_entry, "small"))


def test_c_header_says_the_input_taps_are_packed(digits_entry):
    header = c_header(compiled_digits(digits_entry, "zcu104"), "digits")
    assert "#define TESSEL_DIGITS_INPUT_PACKED_TAPS 1u" in header
    assert "#define TESSEL_DIGITS_MODEL_INPUT_C 1u" in header
    assert "#define TESSEL_DIGITS_INPUT_C 3u" in header
    assert "a 1x8x8 model input is written as 3x8x8" in header


def test_c_header_of_an_unpacked_input():
    torch.manual_seed(0)
    model = nn.Sequential(nn.Conv2d(16, 8, 1), nn.ReLU()).eval()
    ex = tessel.compile(model, torch.rand(4, 16, 4, 4), target="small", name="wide").executable
    header = c_header(ex, "wide")
    assert "#define TESSEL_WIDE_INPUT_PACKED_TAPS 0u" in header and "not packed" in header
    assert "#define TESSEL_WIDE_MODEL_INPUT_C 16u" in header
    assert "#define TESSEL_WIDE_INPUT_C 16u" in header


def test_build_message_gives_the_last_build_time(tmp_path):
    assert sim.last_build(tmp_path) == "the first build takes a few minutes"
    (tmp_path / sim.LAST_BUILD).write_text("73\n")
    assert sim.last_build(tmp_path) == "last build took 73 s"
