"""The PYNQ backend on a fake PYNQ that forwards to the simulation (no board here): the board
code path (overlay, MMIO, contiguous buffer and its cache maintenance, interrupt or polling)
runs real digits images, every output byte against the golden model, and decodes an error.

tb_pynq.py runs inside the simulator; this side compiles, writes the job and checks."""

import dataclasses
import json
import pickle
import shutil
import tempfile
from pathlib import Path

import numpy as np

import tessel
from tessel import golden, zoo
from tessel.backend.program import HEADER, MAGIC, header_bytes, to_bytes
from tessel.paths import build_dir
from tessel.runtime.simulation import MEM_BASE, MEM_BYTES, simulate

IMAGES, POLLED = 4, 2


def with_bad_magic(executable):
    """The executable with its program header's magic number changed."""
    header = HEADER.decode(int.from_bytes(executable.image[:header_bytes()], "little"))
    assert header["magic"] == MAGIC
    bad = to_bytes(HEADER, header_bytes(), **{**header, "magic": MAGIC ^ 1})
    return dataclasses.replace(executable, image=bad + executable.image[header_bytes():])


def test_digits_through_the_pynq_backend():
    entry = zoo.load("digits")
    network = tessel.compile(entry.model, entry.calibration, target="zcu104", name=entry.name)
    x = network.quantize_input(entry.eval_x[:IMAGES])
    want = golden.run(network.graph, x).reshape(len(x), *network.graph.output_shape)
    job_dir = Path(tempfile.mkdtemp(prefix="pynq-", dir=build_dir()))
    for name in ("tessel", "tessel_polled"):  # the fake checks that the files exist, as PYNQ does
        (job_dir / f"{name}.bit").write_bytes(b"")
        (job_dir / f"{name}.hwh").write_text("")
    with open(job_dir / "networks.pkl", "wb") as f:
        pickle.dump({"network": network, "corrupted": with_bad_magic(network.executable)}, f)
    np.save(job_dir / "inputs.npy", x)
    job = {"networks": str(job_dir / "networks.pkl"), "inputs": str(job_dir / "inputs.npy"),
           "bitfile": str(job_dir / "tessel.bit"), "polled_bitfile": str(job_dir / "tessel_polled.bit"),
           "polled_images": POLLED, "outputs": str(job_dir / "outputs.npy"),
           "polled_outputs": str(job_dir / "polled.npy"), "results": str(job_dir / "results.json"),
           "mem_bytes": MEM_BYTES, "timeout_cycles": 2_000_000, "timeout_s": 60}
    (job_dir / "job.json").write_text(json.dumps(job))
    simulate(network.config, "tb_pynq", Path(__file__).parent, job_dir / "job.json")
    results = json.loads((job_dir / "results.json").read_text())
    log = [tuple(entry) for entry in results["log"]]
    buffers = [address for kind, address, *_ in log if kind == "allocate"]

    # The corrupted program: the hardware's error, decoded, at PROG_BASE = the buffer's address.
    fault = results["fault"]
    assert fault and fault["name"] == "MAGIC" and fault["code"] == 9, fault
    assert fault["address"] == buffers[0], (fault, buffers)

    # Then the good program on the same overlay and buffer, every byte against golden.
    out = np.load(job_dir / "outputs.npy")
    bad = np.argwhere(out != want)
    assert not len(bad), f"{len(bad)} of {want.size} output bytes differ from golden, first {bad[0]}"
    stats = results["stats"]
    assert len(stats) == IMAGES and all(s["cycles"] > 0 for s in stats)
    assert all(len(s["layer_cycles"]) == len(network.executable.layers) for s in stats)

    # The polled overlay: a new bitstream, a new buffer elsewhere, the same bytes.
    polled = np.load(job_dir / "polled.npy")
    assert np.array_equal(polled.reshape(POLLED, *want.shape[1:]), want[:POLLED])
    assert [s["cycles"] for s in results["polled_stats"]] == [s["cycles"] for s in stats[:POLLED]]

    # Relocation: both windows are away from the memory model's base and from each other.
    assert len(buffers) == 2 and MEM_BASE not in buffers and buffers[0] != buffers[1], buffers
    assert [kind for kind, *_ in log].count("overlay") == 2
    # Cache maintenance: one flush before each start, one invalidate before each read-back.
    # The first overlay's runs (the fault and the images) waited for the interrupt.
    kinds = [kind for kind, *_ in log]
    assert kinds.count("flush") == 1 + IMAGES + POLLED and kinds.count("invalidate") == IMAGES + POLLED
    assert kinds.count("interrupt") == 1 + IMAGES
    shutil.rmtree(job_dir)  # kept when a check fails
