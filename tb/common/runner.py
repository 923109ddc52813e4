"""Testbenches build and run through tessel.sim (shared with the runtime's simulator)."""

from tessel.sim import COMMON_RTL, RTL, check_results, config_from_env, run, seed_from_env  # noqa: F401
