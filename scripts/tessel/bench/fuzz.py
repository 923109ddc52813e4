"""The fuzzers as metrics (docs/verification.md): random networks on the RTL against the golden
model for TESSEL_FUZZ_MINUTES (default 5; the issue's campaign is 30: at least 300 networks, all
bit-exact), then TESSEL_FAULT_RUNS fault runs on the whole top level (default 500), both from
network seed TESSEL_FUZZ_SEED (default 1)."""

import os

from ..fuzz import faults, networks


def run() -> dict:
    seed = int(os.environ.get("TESSEL_FUZZ_SEED", 1))
    nets = networks.campaign(float(os.environ.get("TESSEL_FUZZ_MINUTES", 5)), seed)
    print("\n".join(nets.lines()), flush=True)
    flts = faults.campaign(int(os.environ.get("TESSEL_FAULT_RUNS", 500)), seed)
    print("\n".join(flts.lines()), flush=True)
    return {"fuzz_networks_bitexact": nets.bitexact, "fuzz_networks_failed": len(nets.failures),
            "fuzz_networks_refused": nets.refused, "fuzz_minutes": round(nets.minutes, 1),
            "fault_runs_ok": flts.ok, "fault_runs_failed": len(flts.failures),
            "fault_runs_silent_wrong": flts.silent_wrong,
            "fault_minutes": round(flts.minutes, 1)}
