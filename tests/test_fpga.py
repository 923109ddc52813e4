"""fusesoc.core, the FuseSoC generator and the block-design shell stay in step with the RTL,
the file lists of tessel.rtlfiles and the configurations (no FuseSoC run here: tb/fusesoc/)."""

import re
import subprocess
import sys

import yaml

from tessel import fpga, rtlfiles
from tessel.config import load_config
from tessel.mapper.board import load_board
from tessel.paths import REPO_ROOT
from tessel.rtlgen import shell

CORE = yaml.safe_load(fpga.CORE_FILE.read_text().split("\n", 1)[1])


def _listed(fileset: str) -> list[str]:
    return [next(iter(f)) if isinstance(f, dict) else f for f in CORE["filesets"][fileset]["files"]]


def test_core_file_lists_are_rtlfiles():
    assert fpga.core_text() == fpga.CORE_FILE.read_text(), (
        "fusesoc.core's file lists differ from tessel.rtlfiles: run `python -m tessel.fpga core`")
    rtl = [f for f in _listed("rtl") if f.endswith(".sv")]
    assert rtl == [str(p.relative_to(REPO_ROOT)) for p in [*rtlfiles.COMMON, *rtlfiles.accelerator()]]
    sim = _listed("sim")
    assert all(str(p.relative_to(REPO_ROOT)) in sim for p in rtlfiles.SIM_TOP)


def test_every_rtl_source_is_in_the_core():
    listed = set(_listed("rtl"))
    on_disk = {str(p.relative_to(REPO_ROOT)) for p in (REPO_ROOT / "rtl").rglob("*.sv*")}
    assert on_disk <= listed, f"not in tessel.rtlfiles / fusesoc.core: {sorted(on_disk - listed)}"
    for files in CORE["filesets"].values():
        for name in (next(iter(f)) if isinstance(f, dict) else f for f in files["files"]):
            assert (REPO_ROOT / name).is_file(), f"fusesoc.core lists a missing file {name}"


def test_core_text_rewrites_a_stale_block():
    stale = fpga.CORE_FILE.read_text().replace("      - rtl/top/tessel_top.sv\n", "")
    assert stale != fpga.CORE_FILE.read_text()
    assert fpga.core_text(stale) == fpga.CORE_FILE.read_text()


def test_vivado_target_matches_the_board_and_configuration():
    target = CORE["targets"]["zcu104"]
    board = load_board("zcu104")
    assert target["flow_options"]["part"] == board.part == load_config("zcu104").part
    assert target["flow_options"]["board_part"] == board.board_part
    bd = (REPO_ROOT / "fpga" / "zcu104" / "tessel_zcu104_bd.tcl").read_text()
    assert target["toplevel"] == re.search(r"^set bd (\w+)", bd, re.M).group(1) + "_wrapper"
    for variable in re.findall(r"\$(tessel_\w+)", bd):
        assert f"set {variable} " in shell.params_tcl("zcu104"), variable


def _ports(sv: str) -> set[str]:
    return set(re.findall(r"^\s*(?:input|output)\s+(?:wire|logic)\s*(?:\[[^\]]+\]\s*)?(\w+)", sv, re.M))


def test_shell_wraps_every_port_of_tessel_top():
    top = _ports((REPO_ROOT / "rtl" / "top" / "tessel_top.sv").read_text())
    text = shell.shell_text("zcu104")
    connected = set(re.findall(r"\.(\w+) \(", text))
    assert connected == top
    assert _ports(text) == {"clk", "rst", "irq"} | (top - {"clk_i", "rst_i", "irq_o"})
    assert "input wire [127:0] m_axi_rdata" in text and "ID_WIDTH 6" in text
    assert "input wire [63:0] m_axi_rdata" in shell.shell_text("small")


def test_generator_writes_a_core_from_the_configuration(tmp_path):
    script = REPO_ROOT / "scripts" / "fusesoc_generate.py"
    request = tmp_path / "input.yml"
    request.write_text(yaml.safe_dump({"gapi": "1.0", "files_root": str(REPO_ROOT),
                                       "vlnv": "::tessel-packages:0.1.0",
                                       "parameters": {"config": "zcu104", "shell": True}}))
    env = {"PATH": "/usr/bin:/bin", "TESSEL_CONFIG": "small"}
    subprocess.run([sys.executable, str(script), str(request)], cwd=tmp_path, env=env, check=True,
                   capture_output=True)
    core = yaml.safe_load((tmp_path / "tessel_generated.core").read_text().split("\n", 1)[1])
    assert core["name"] == "::tessel-packages:0.1.0"
    files = [next(iter(f)) for f in core["filesets"]["rtl"]["files"]]
    assert files == ["tessel_config_pkg.sv", "tessel_desc_pkg.sv", "tessel_regs_pkg.sv", "tessel_shell.v"]
    assert "ArrayKP = 8;" in (tmp_path / "tessel_config_pkg.sv").read_text()  # TESSEL_CONFIG won
    assert (tmp_path / "tessel_config.yaml").read_text() == load_config("small").path.read_text()
    assert "set tessel_axi_data_width 64" in (tmp_path / "tessel_params.tcl").read_text()
    assert "RAM_STYLE" in (tmp_path / "tessel_ram_style.xdc").read_text()
    assert core["filesets"]["xdc"]["files"] == ["tessel_ram_style.xdc"]


def test_synth_hook_synthesizes_the_edam_files(tmp_path, monkeypatch, capsys):
    """The synth target's hook: the files, include folder and configuration FuseSoC exported
    (yosys replaced by a stub that returns fixed counts)."""
    src = tmp_path / "src"
    (src / "gen").mkdir(parents=True)
    (src / "rtl").mkdir()
    config_text = load_config("small").path.read_text()
    (src / "gen" / "tessel_config.yaml").write_text(config_text)
    for name in ("a_pkg.sv", "b.sv"):
        (src / "rtl" / name).write_text("")
    (src / "rtl" / "tessel_assert.svh").write_text("")
    edam = {"name": "tessel_0.1.0", "toplevel": "tessel_top", "files": [
        {"name": "src/gen/tessel_config.yaml", "file_type": "user"},
        {"name": "src/rtl/tessel_assert.svh", "file_type": "systemVerilogSource", "is_include_file": True},
        {"name": "src/rtl/a_pkg.sv", "file_type": "systemVerilogSource"},
        {"name": "src/rtl/b.sv", "file_type": "systemVerilogSource"}]}
    (tmp_path / "tessel_0.1.0.eda.yml").write_text(yaml.safe_dump(edam))
    seen = {}

    def fake_synthesize(top, sources, *args, **kwargs):
        seen.update(top=top, sources=sources, **kwargs)
        return {"DSP48E2": 100, "RAMB36E2": 3, "RAMB18E2": 1, "URAM288": 2, "LUT": 900,
                "LUT_AS_MEMORY": 100, "FF": 500}

    monkeypatch.setattr("tessel.synth.synthesize", fake_synthesize)
    monkeypatch.setattr("tessel.synth.yosys_version", lambda: "Yosys (stub)")
    monkeypatch.setattr(fpga, "build_dir", lambda: tmp_path / "build")
    assert fpga.synth_edam(tmp_path) == 0
    assert seen["top"] == "tessel_top" and seen["uram"] is True
    assert [p.name for p in seen["sources"]] == ["a_pkg.sv", "b.sv"]
    assert seen["includes"] == [(src / "rtl").resolve()] == [seen["root"]]
    out = capsys.readouterr().out
    assert "configuration small" in out and "yosys" in out and "zcu104 budget" in out
    assert re.search(r"BRAM36\s+3.5\s", out) and re.search(r"LUT\s+1,000\s", out)
