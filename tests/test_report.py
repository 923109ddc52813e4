"""CompiledNetwork.report and `tessel report`: the tables carry the cost model's numbers, the
plots are PNGs, sparsity counts what is zero, measured cycles sit beside the model."""

import json
import subprocess
import sys

import torch
import torch.nn as nn
from matplotlib.image import imread

import tessel
from tessel.ir import Conv2d
from tessel.mapper.board import board_for
from tessel.mapper.cost import Memory, network_cost
from tessel.mapper.dse import board_memory

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def pruned_model() -> nn.Sequential:
    """Three conv layers; the second has half its input channels and one output channel
    pruned, and every other weight at least half its channel's largest (none rounds to zero
    in int8)."""
    torch.manual_seed(0)
    model = nn.Sequential(nn.Conv2d(3, 8, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                          nn.Conv2d(8, 16, 3), nn.ReLU(), nn.Flatten(),
                          nn.Linear(16 * 2 * 2, 4)).eval()
    with torch.no_grad():
        w = model[3].weight
        w.copy_(torch.sign(torch.randn_like(w)) * (0.5 + 0.5 * torch.rand_like(w)))
        w[:, :4] = 0
        w[3] = 0
    return model


def compiled(model=None):
    return tessel.compile(model or pruned_model(), torch.randn(16, 3, 8, 8), target="zcu104",
                          name="pruned")


def section_table(text: str, heading: str) -> list[dict]:
    """The first Markdown table after `heading`, as dicts keyed by its header."""
    lines = text[text.index(heading):].splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("|"))
    rows = []
    for line in lines[start:]:
        if not line.startswith("|"):
            break
        rows.append([cell.strip() for cell in line.strip("|").split("|")])
    return [dict(zip(rows[0], row)) for row in rows[2:]]


def number(cell: str) -> float:
    return float(cell.replace(",", "").rstrip(" %x"))


def board_costs(net):
    """The cost model at the board's DRAM, which is what the report predicts with."""
    return network_cost(net.executable, board_memory(board_for(net.config), net.config))


def test_layer_table_has_one_row_per_hardware_layer_with_the_models_numbers(tmp_path):
    net = compiled()
    text = net.report(tmp_path, dse=False).read_text()
    rows, costs = section_table(text, "## Layers"), board_costs(net)
    assert [r["layer"] for r in rows] == [c.name for c in costs]
    assert len(rows) == len(net.executable.layers)
    for row, cost in zip(rows, costs):
        assert number(row["cycles"]) == cost.cycles
        assert number(row["MACs"]) == cost.macs
        assert number(row["DRAM bytes"]) == cost.read_bytes + cost.write_bytes
        assert row["bound"] == cost.bound
        assert row["tiles"].startswith(f"{len(cost.plan.tiles)} x {cost.plan.rows} rows")
        assert row["loop order"] == cost.plan.order
        if cost.macs:
            assert abs(number(row["utilization"]) - 100 * cost.utilization) < 0.051
    assert "measured" not in rows[0]
    totals = {r["per image"]: r["value"] for r in section_table(text, "## Totals")}
    assert totals["predicted cycles per image, zcu104 DRAM"].startswith(
        f"{sum(c.cycles for c in costs):,} ")
    assert "## Design space" not in text and not (tmp_path / "dse.png").exists()


def test_the_prediction_names_its_memory_and_gives_the_simulated_ones(tmp_path):
    """The board's DRAM and the Verilator run's memory give different cycles (digits: about
    3,000 against 1,600): the report says which it predicts for and gives both."""
    net = compiled()
    text = net.report(tmp_path, dse=False).read_text()
    simulated = sum(c.cycles for c in network_cost(net.executable, Memory()))
    board = sum(c.cycles for c in board_costs(net))
    assert simulated < board
    totals = {r["per image"]: r["value"] for r in section_table(text, "## Totals")}
    assert totals["predicted cycles per image, simulated DRAM (tessel run)"].startswith(
        f"{simulated:,} ")
    assert f"the model predicts {simulated:,} cycles per image" in text
    assert f"against {board:,} on the zcu104 DRAM" in text


def test_sparsity_counts_the_pruned_weights(tmp_path):
    model = pruned_model()
    net = compiled(model)
    conv = [op for op in net.graph.ops if isinstance(op, Conv2d)][1]
    out_h, out_w = conv.out_shape[1:]
    w = model[3].weight.detach().numpy()
    nonzero = int((w != 0).sum()) * out_h * out_w
    assert nonzero == (16 - 1) * 4 * 9 * out_h * out_w   # what the pruning above left
    text = net.report(tmp_path, dse=False).read_text()
    (row,) = [r for r in section_table(text, "## Sparsity") if r["layer"] == conv.name]
    assert number(row["MACs"]) == w.size * out_h * out_w
    assert number(row["non-zero MACs"]) == nonzero
    (layer,) = [r for r in section_table(text, "## Layers") if r["layer"] == conv.name]
    assert number(layer["non-zero MACs"]) == nonzero
    # Skipping zeros can at most remove the zero fraction of the layer's compute cycles.
    (cost,) = [c for c in board_costs(net) if c.name == conv.name]
    saving = number(row["zero skipping saves at most"])
    assert 0 <= saving <= (1 - nonzero / cost.macs) * cost.compute_cycles + len(cost.plan.tiles)


def test_measured_cycles_sit_beside_the_model_of_the_run(tmp_path):
    net = compiled()
    run_model = network_cost(net.executable, Memory())   # a simulation at read latency 0
    measured = [c.cycles + 10 * (i + 1) for i, c in enumerate(run_model)]
    net.last_run_stats = [{"cycles": sum(measured) + 50, "layer_cycles": measured}] * 2
    text = net.report(tmp_path, dse=False).read_text()
    rows = section_table(text, "## Layers")
    for row, cost, count in zip(rows, run_model, measured):
        assert number(row["measured"]) == count
        assert number(row["model (run)"]) == cost.cycles
        assert abs(number(row["error"]) - 100 * (cost.cycles / count - 1)) < 0.051
    assert "mean over 2 images of the last run on the simulation" in text


def test_plots_are_pngs_and_the_design_space_is_summed_up(tmp_path):
    net = compiled()
    text = net.report(tmp_path).read_text()
    for name in ("roofline", "utilization", "dse"):
        path = tmp_path / f"{name}.png"
        assert path.read_bytes()[:8] == PNG_SIGNATURE
        height, width, _ = imread(path).shape
        assert height >= 400 and width >= 600, name
        assert f"]({name}.png)" in text
    arrays = section_table(text, "## Design space")
    assert arrays and all(number(r["DSP48E2"]) > 0 for r in arrays)
    dsps = [number(r["DSP48E2"]) for r in arrays]
    assert dsps == sorted(dsps)
    assert "From the smallest configuration that fits to the chosen one" in text


def tessel_cli(*args):
    return subprocess.run([sys.executable, "-m", "tessel.cli", *args], capture_output=True, text=True)


def test_cli_reports_a_compiled_folder_with_its_measured_cycles(tmp_path):
    from tessel import zoo
    entry, folder = zoo.load("digits"), tmp_path / "digits"
    net = tessel.compile(entry.model, entry.calibration, "zcu104", name=entry.name)
    net.write(folder)  # what `tessel compile digits` writes, in this process
    counts = [100 * (i + 1) for i in range(len(net.executable.layers))]
    stats = [{"cycles": 9999, "layer_cycles": counts}]   # as `tessel run` writes them
    (folder / "rtl_run.json").write_text(json.dumps(stats))
    out = tessel_cli("report", str(folder), "--no-dse")
    assert out.returncode == 0, out.stderr
    text = (folder / "report" / "report.md").read_text()
    assert text.startswith("# digits on zcu104")
    assert [number(r["measured"]) for r in section_table(text, "## Layers")] == counts
    assert (folder / "report" / "roofline.png").read_bytes()[:8] == PNG_SIGNATURE
