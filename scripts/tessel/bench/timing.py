"""Timing evidence of the zcu104 configuration (tessel.timing, make timing): the deepest
register-to-register path of the yosys netlist in LUT levels, held to the LUT-level budget
of the configuration's clock on the XCZU7EV -2. Synthesizes only when the RTL changed since
the netlists in build/timing/ were made (the core takes most of an hour here)."""

from ..config import load_config
from ..timing import analyse


def run() -> dict:
    result = analyse(load_config("zcu104"))
    print(result.text())
    return result.metrics()
