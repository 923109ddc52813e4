"""Resource model against yosys, from the runs stored by
`python -m tessel.calibration.calibrate_resources` (this group synthesizes nothing): the largest error per resource over every run, fitted and
held out, what the zcu104 configuration is predicted to use of the board's budget, and whether
it fits (every usable budget and an HP port per AXI master: zcu104_default_fits, 1 or 0)."""

import json

from ..config import load_config
from ..mapper import resources
from ..mapper.board import board_for


def run() -> dict:
    data = json.loads(resources.CALIBRATION.read_text())
    worst = {r: 0.0 for r in resources.RESOURCES}
    held_out = 0.0
    for run in data["runs"].values():
        for r, err in resources.errors(run, resources.estimate_run(run, data["fit"])).items():
            if err is not None:
                worst[r] = max(worst[r], abs(err))
                if run["held_out"]:
                    held_out = max(held_out, abs(err))
    config = load_config("zcu104")
    board = board_for(config)
    estimate, budget = resources.estimate(config), board.budget()
    metrics = {f"resource_model_err_max_{r.lower()}": round(worst[r], 4) for r in resources.RESOURCES}
    metrics["resource_model_heldout_err_max"] = round(held_out, 4)
    metrics.update({f"zcu104_model_{r.lower()}_of_budget": round(estimate[r] / budget[r], 4)
                    for r in resources.RESOURCES})
    metrics["zcu104_default_fits"] = int(board.within_budget(estimate) and board.has_ports_for(config))
    return metrics
