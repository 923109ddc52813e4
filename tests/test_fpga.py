"""fusesoc.core, the FuseSoC generator and the block-design shell stay in step with the RTL,
the file lists of tessel.rtlfiles and the configurations (no FuseSoC run here: tb/fusesoc/)."""

import re
import subprocess
import sys
from dataclasses import replace

import pytest
import yaml

from tessel import fpga, rtlfiles
from tessel.config import available_targets, load_config
from tessel.mapper.board import load_board
from tessel.paths import REPO_ROOT
from tessel.rtlgen import generated_packages, shell
from tessel.tools import verilator_env, verilator_lint

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
        assert f"set {variable} " in shell.params_tcl(load_config("zcu104")), variable


def _ports(sv: str) -> set[str]:
    # Any number of packed dimensions: the weight masters' ports are [WP-1:0][W-1:0].
    return set(re.findall(r"^\s*(?:input|output)\s+(?:wire|logic)\s*(?:\[[^\]]+\]\s*)*(\w+)",
                          sv, re.M))


def _top_ports() -> set[str]:
    """tessel_top's port names, read after the preprocessor: its AXI ports are port-list macros
    (rtl/common/tessel_axi_port.svh)."""
    text = subprocess.run(["verilator", "-E", "-P", f"-I{REPO_ROOT / 'rtl' / 'common'}",
                           str(REPO_ROOT / "rtl" / "top" / "tessel_top.sv")],
                          env=verilator_env(), capture_output=True, text=True, check=True).stdout
    ports = text[text.index("module tessel_top"):]
    ports = ports[:ports.index(");")]
    return set(re.findall(r"\b(?:input|output)\s+[\w:]+\s*(?:\[[^\]]+\]\s*)*(\w+)", ports))


WT_READ_PORTS = {"arid", "araddr", "arlen", "arsize", "arburst", "arlock", "arcache", "arprot",
                 "arqos", "arvalid", "arready",
                 "rid", "rdata", "rresp", "rlast", "rvalid", "rready"}


@pytest.mark.parametrize("target", available_targets())
def test_shell_wraps_every_port_of_tessel_top(target):
    top = _top_ports()
    weights = {f"m_axi_wt_{suffix}" for suffix in WT_READ_PORTS}
    assert weights <= top
    text = shell.shell_text(load_config(target))
    connected = set(re.findall(r"\.(\w+) \(", text))
    assert connected == top
    # The packed weight-master ports become one bus per master, none without weight masters.
    split = {f"m_axi_wt{p}_{suffix}" for p in range(load_config(target).axi.weight_ports)
             for suffix in WT_READ_PORTS}
    kept = top - {"clk_i", "rst_i", "irq_o"} - weights
    assert _ports(text) == {"clk", "rst", "irq"} | kept | split


def test_shell_widths_follow_the_configuration():
    zcu104 = load_config("zcu104")
    text = shell.shell_text(zcu104)
    assert "input wire [127:0] m_axi_rdata" in text and "ID_WIDTH 6" in text
    assert "input wire [63:0] m_axi_rdata" in shell.shell_text(load_config("small"))
    # No weight masters: tessel_top's tied-off one reads zeros and drives nothing.
    unsplit = replace(zcu104, axi=replace(zcu104.axi, weight_ports=0))
    text = shell.shell_text(unsplit)
    assert ".m_axi_wt_rdata ({128{1'b0}})" in text and ".m_axi_wt_rvalid (1'b0)" in text
    assert ".m_axi_wt_araddr ()" in text and "m_axi_wt0" not in text
    assert "ASSOCIATED_BUSIF s_axil:m_axi," in text
    assert "set tessel_weight_ports 0\n" in shell.params_tcl(unsplit)


def test_shell_splits_the_weight_masters():
    text = shell.shell_text(load_config("small_ports"))
    interfaces = re.findall(r'aximm:1.0 (\w+) (\w+)" \*\)\n'
                            r'  (?:input|output) wire (?:\[\d+:0\] )?(\w+)', text)
    assert all(port == f"{bus}_{signal.lower()}" for bus, signal, port in interfaces)
    for bus in ("m_axi_wt0", "m_axi_wt1"):
        # Read-only: the AR and R channels, no AW, W or B.
        assert {signal.lower() for b, signal, _ in interfaces if b == bus} == WT_READ_PORTS
        assert re.search(r'X_INTERFACE_PARAMETER = "PROTOCOL AXI4, READ_WRITE_MODE READ_ONLY, '
                         r'DATA_WIDTH 64, ADDR_WIDTH 40, ID_WIDTH 6, [^"]*NUM_READ_OUTSTANDING 8, '
                         r'NUM_WRITE_OUTSTANDING 0" \*\)\n'
                         rf'  \(\* X_INTERFACE_INFO = "[^"]* {bus} ARID"', text), bus
        assert f"input wire [63:0] {bus}_rdata" in text
        assert f"output wire [39:0] {bus}_araddr" in text
    assert "m_axi_wt2" not in text
    # Entry p of tessel_top's packed arrays is weight master p: highest master first.
    for suffix in WT_READ_PORTS:
        assert f".m_axi_wt_{suffix} ({{m_axi_wt1_{suffix}, m_axi_wt0_{suffix}}})" in text
    assert "ASSOCIATED_BUSIF s_axil:m_axi:m_axi_wt0:m_axi_wt1," in text
    assert "set tessel_weight_ports 2\n" in shell.params_tcl(load_config("small_ports"))


@pytest.mark.parametrize("target", ["zcu104", "small_ports"])
def test_shell_lints_clean(target, tmp_path):
    """The shell is Verilog-2001 (IP integrator reads it as such) and every connection has
    tessel_top's width, under make lint's warnings and waivers."""
    path = tmp_path / f"{shell.SHELL_MODULE}.v"  # named after its module (DECLFILENAME)
    path.write_text(shell.shell_text(load_config(target)))
    clean, output = verilator_lint([*generated_packages(load_config(target)), *rtlfiles.COMMON,
                                    *rtlfiles.accelerator(), path],
                                   "+1364-2001ext+v", "--top-module", shell.SHELL_MODULE)
    assert clean, output


BD_SCRIPT = REPO_ROOT / "fpga" / "zcu104" / "tessel_zcu104_bd.tcl"


def _block_design(params: str) -> tuple[list[tuple[str, ...]], dict]:
    """The Vivado commands the block-design script runs up to validate_bd_design, in a plain
    Tcl interpreter (`unknown` records each call and returns its last argument, a cell's or
    pin's name), and the PS's configuration."""
    tkinter = pytest.importorskip("tkinter")
    tcl = tkinter.Tcl()
    tcl.eval("set calls {}; proc unknown args {lappend ::calls $args; return [lindex $args end]}")
    tcl.eval("proc validate_bd_design args {error tessel-test-stop}")
    tcl.eval(params)
    try:
        tcl.eval(f"source {{{BD_SCRIPT}}}")
    except tkinter.TclError as error:
        if str(error) != "tessel-test-stop":
            raise
    calls = [tuple(tcl.splitlist(call)) for call in tcl.splitlist(tcl.eval("set calls"))]
    [ps] = [call for call in calls if call[:2] == ("set_property", "-dict") and call[-1] == "ps"]
    values = tcl.splitlist(ps[2])
    return calls, dict(zip(values[::2], values[1::2]))


@pytest.mark.parametrize("ports", [0, 2, 3])
def test_block_design_gives_each_weight_master_an_hp_port(ports):
    params = re.sub(r"tessel_weight_ports \d+", f"tessel_weight_ports {ports}",
                    shell.params_tcl(load_config("small_ports")))
    calls, config = _block_design(params)
    assert config["CONFIG.PSU__USE__S_AXI_GP2"] == "1"  # HP0: the DMA master
    for p in range(3):
        hp, gp, used = p + 1, p + 3, p < ports
        assert (config.get(f"CONFIG.PSU__USE__S_AXI_GP{gp}") == "1") == used
        assert (config.get(f"CONFIG.PSU__SAXIGP{gp}__DATA_WIDTH") == "64") == used
        expected = [("connect_bd_net", "ps/pl_clk0", f"ps/saxihp{hp}_fpd_aclk", f"sc_wt{p}/aclk"),
                    ("connect_bd_net", "reset/interconnect_aresetn", f"sc_wt{p}/aresetn"),
                    ("connect_bd_intf_net", f"accel/m_axi_wt{p}", f"sc_wt{p}/S00_AXI"),
                    ("connect_bd_intf_net", f"sc_wt{p}/M00_AXI", f"ps/S_AXI_HP{hp}_FPD")]
        assert all((call in calls) == used for call in expected), (p, ports)
    cells = [c[-1] for c in calls if c[0] == "create_bd_cell"]
    assert [c for c in cells if c.startswith("sc_wt")] == [f"sc_wt{p}" for p in range(ports)]


def test_block_design_refuses_a_fourth_weight_master():
    params = re.sub(r"tessel_weight_ports \d+", "tessel_weight_ports 4",
                    shell.params_tcl(load_config("small_ports")))
    tkinter = pytest.importorskip("tkinter")
    with pytest.raises(tkinter.TclError, match="4 weight masters.*at most 3"):
        _block_design(params)


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
    assert files == ["tessel_config_pkg.sv", "tessel_desc_pkg.sv", "tessel_regs_pkg.sv",
                     "tessel_regs_block_pkg.sv", "tessel_regs_block.sv", "tessel_shell.v"]
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
