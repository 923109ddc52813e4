"""Design-space exploration of ResNet-50 on the ZCU104: how long the search takes (one core),
and what the chosen configuration is predicted to do and to use."""

from .. import zoo
from . import TARGETS
from ..config import load_config
from ..frontend import import_model
from ..mapper.board import load_board
from ..mapper.cost import milliseconds
from ..mapper.dse import choose, explore, weight_ports_choices

CLOCK_MHZ = 300  # the clock resnet50_pred_ms_300mhz is quoted at


def run() -> dict:
    entry = zoo.load("resnet50")
    graph = import_model(entry.model, entry.calibration[:1], "resnet50")
    board = load_board("zcu104")
    result = explore(graph, board, load_config("zcu104"), "resnet50_zcu104")
    best = result.best
    a = best.config.array
    print(f"chosen: k_p={a.k_p} y_p={a.y_p} c_p={a.c_p}, PPU {best.config.ppu.pixels}, "
          f"buffers {best.config.buffers}; {len(result.fitting)} fit, {result.refused} refused")
    print(f"weight masters: {best.config.axi.weight_ports}")
    choices = weight_ports_choices(result)
    # What the utilization goal costs: the fastest configuration that reaches it.
    goal = TARGETS["resnet50_mac_util_pred"].value
    efficient = choose(result, min_utilization=goal)
    e = efficient.config.array
    print(f"fastest at MAC utilization >= {goal:.2f}: k_p={e.k_p} y_p={e.y_p} c_p={e.c_p}, "
          f"PPU {efficient.config.ppu.pixels}, {efficient.config.axi.weight_ports} weight masters: "
          f"{efficient.latency_ms(CLOCK_MHZ):.2f} ms, utilization {efficient.utilization:.3f}, "
          f"{efficient.resources['DSP48E2']} DSP")
    for c in choices:
        print(f"  with {c.weight_ports} weight master(s): {milliseconds(c.cycles, CLOCK_MHZ):.2f} ms, "
              f"utilization {c.utilization:.3f}, {c.resources['LUT']} LUT"
              f"{'' if c.fits else ' (does not fit)'}")
    return {"dse_seconds_resnet50": round(result.seconds, 2),
            "resnet50_pred_ms_300mhz": round(best.latency_ms(CLOCK_MHZ), 3),
            "resnet50_mac_util_pred": round(best.utilization, 4),
            "zcu104_dsp": best.resources["DSP48E2"],
            "zcu104_bram36": best.resources["BRAM36"],
            "zcu104_uram": best.resources["URAM"],
            "zcu104_weight_ports": best.config.axi.weight_ports,
            "dse_configs_fitting": len(result.fitting),
            # The fastest configuration at the utilization goal (a floor, not the objective).
            "resnet50_pred_ms_at_util_goal": round(efficient.latency_ms(CLOCK_MHZ), 3),
            "resnet50_mac_util_at_util_goal": round(efficient.utilization, 4),
            # The chosen array with each number of weight masters (what they buy).
            **{f"resnet50_mac_util_{c.weight_ports}_weight_ports": round(c.utilization, 4)
               for c in choices}}
