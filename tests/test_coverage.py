"""The coverage merge (tessel.coverage): Verilator .dat files in, merged points, exclusions,
lcov out; functional bins merged over runs. The exclusion and threshold files of the repo load."""

import json

import yaml

from tessel import coverage
from tessel.coverage import code, functional
from tessel.paths import REPO_ROOT, gen_dir

FIFO = REPO_ROOT / "rtl" / "common" / "tessel_fifo.sv"


def dat_line(file, line, kind, comment, count, lines="", hier="top.u"):
    fields = {"f": str(file), "l": line, "n": 3, "t": kind, "page": f"v_{kind}/m", "o": comment,
              "S": lines, "h": hier}
    text = "".join(f"\x01{k}\x02{v}" for k, v in fields.items() if v != "")
    return f"C '{text}' {count}"


def write_dat(path, points):
    path.write_text("# SystemC::Coverage-3\n" + "\n".join(dat_line(*p) for p in points) + "\n")
    return path


def test_points_merge_over_runs_and_instances_and_leave_out_non_rtl(tmp_path):
    a = write_dat(tmp_path / "a.dat", [
        (FIFO, 40, "line", "block", 0, "40-41"),
        (FIFO, 43, "branch", "if", 0, "43"),
        (FIFO, 43, "branch", "else", 5),
        (FIFO, 15, "toggle", "in_data_i[0]:0->1", 2),
        (FIFO, 15, "toggle", "in_data_i[1]:0->1", 0),
        (REPO_ROOT / "tb" / "top" / "tessel_axi_mem.sv", 9, "line", "block", 0, "9"),
    ])
    b = write_dat(tmp_path / "b.dat", [
        (FIFO, 40, "line", "block", 3, "40-41", "top.v"),   # another instance
        (FIFO, 15, "toggle", "in_data_i[1]:0->1", 0),
    ])
    points = {}
    code.read_dat(a, points)
    code.read_dat(b, points)
    by = {(p.line, p.comment): p for p in points.values()}
    assert len(points) == 5  # the testbench file is not in rtl/
    assert by[(40, "block")].count == 3 and by[(40, "block")].lines == (40, 41)
    assert by[(15, "in_data_i[1]:0->1")].count == 0
    assert by[(43, "else")].lines == (43,)
    lines = code.line_counts(list(points.values()))["rtl/common/tessel_fifo.sv"]
    assert lines == {40: 3, 41: 3, 43: 5}  # the largest count of the points standing for a line

    info = tmp_path / "x.info"
    code.write_lcov(list(points.values()), info)
    text = info.read_text()
    assert f"SF:{FIFO}" in text and "BRDA:43,0,0,0" in text and "BRDA:43,0,1,5" in text
    assert "LF:3" in text and "LH:3" in text and "BRF:2" in text and "BRH:1" in text


def test_the_generated_register_block_counts_once_over_configurations(tmp_path):
    """gen/rtl/<target>/tessel_regs_block.sv (peakrdl-regblock) counts, merged over the
    configurations; the other generated files do not."""
    gen = gen_dir() / "rtl"
    dat = write_dat(tmp_path / "a.dat", [
        (gen / "small" / "tessel_regs_block.sv", 70, "line", "block", 0, "70"),
        (gen / "zcu104" / "tessel_regs_block.sv", 70, "line", "block", 4, "70"),
        (gen / "small" / "tessel_config_pkg.sv", 3, "line", "block", 0, "3"),
    ])
    points = {}
    code.read_dat(dat, points)
    [point] = points.values()
    assert point.module == "tessel_regs_block" and point.count == 4


def test_exclusions_match_by_module_lines_source_signal_and_bits():
    toggle = code.Point("rtl/regs/tessel_regs.sv", 78, 3, "toggle", "counter_hi_q[3][17]:0->1", (78,))
    rule = code.Exclusion.from_yaml({"module": "tessel_regs", "signal": ["counter_hi_q[3]"],
                                     "bits": "16-31", "reason": "r"})
    assert rule.matches(toggle)
    assert not rule.matches(code.Point(toggle.file, 78, 3, "toggle", "counter_hi_q[2][17]:0->1", (78,)))
    assert not rule.matches(code.Point(toggle.file, 78, 3, "toggle", "counter_hi_q[3][15]:0->1", (78,)))
    wild = code.Exclusion.from_yaml({"module": "tessel_top", "signal": "m_axi_a?qos", "reason": "r"})
    assert wild.matches(code.Point("rtl/top/tessel_top.sv", 9, 3, "toggle", "m_axi_arqos[2]:1->0", (9,)))
    # `source` ties a line exclusion to the text of the line: it goes stale when the file moves.
    line = next(i for i, t in enumerate(FIFO.read_text().splitlines(), 1) if "module" in t)
    stuck = code.Exclusion.from_yaml({"file": "rtl/common/tessel_fifo.sv", "lines": str(line),
                                      "source": "module", "reason": "r"})
    moved = code.Exclusion.from_yaml({"file": "rtl/common/tessel_fifo.sv", "lines": str(line),
                                      "source": "no such text", "reason": "r"})
    point = code.Point("rtl/common/tessel_fifo.sv", line, 1, "line", "block", (line,))
    assert stuck.matches(point) and not moved.matches(point)


def test_functional_bins_merge_over_runs(tmp_path):
    runs = [{"testplan": "dma", "items": {"dma.x": {"at_least": 1, "bins": {"a": 1, "b": 0}}}},
            {"testplan": "dma", "items": {"dma.x": {"at_least": 1, "bins": {"a": 2, "b": 3}}}}]
    paths = []
    for i, run in enumerate(runs):
        paths.append(tmp_path / f"functional-{i}.json")
        paths[-1].write_text(json.dumps(run))
    merged = functional.merge(paths)
    assert merged == {"dma": {"dma.x": {"at_least": 1, "bins": {"a": 3, "b": 3}}}}
    assert functional.bin_label(("read", ">65536")) == "read x >65536"


def test_the_repository_exclusions_and_thresholds_load():
    data = yaml.safe_load(coverage.EXCLUSIONS.read_text())
    rules = [code.Exclusion.from_yaml(e) for e in data["code"]]
    assert rules and all(r.reason for r in rules)
    assert all(e["reason"] for e in data.get("functional") or [])
    limits = coverage.thresholds()
    assert set(limits["thresholds"]) == set(coverage.METRICS) == set(limits["targets"])
    assert all(limits["thresholds"][m] <= limits["targets"][m] for m in coverage.METRICS)
