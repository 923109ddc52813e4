"""FuseSoC runs of fusesoc.core (make sim): the lint target passes on both configurations, and
the Vivado target's setup writes the project files (no Vivado needed). The sim and synth
targets take minutes; docs/fpga.md shows how to run them."""

import pytest

from tessel import fpga


@pytest.mark.parametrize("config", ["zcu104", "small"])
def test_lint_target(config):
    result = fpga.run_target("lint", config, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"tessel_rtlgen: {config}" in result.stdout


def test_vivado_setup_writes_the_project():
    result = fpga.run_target("zcu104", "zcu104", "--setup", capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    project = fpga.work_root("zcu104", "zcu104")
    script = (project / f"{fpga.project_name()}.tcl").read_text()
    assert "set_property part xczu7ev-ffvc1156-2-e" in script
    assert "tessel_zcu104_bd.tcl" in script and "tessel_params.tcl" in script
    assert script.index("tessel_params.tcl") < script.index("tessel_zcu104_bd.tcl")
    assert (project / "Makefile").is_file()
