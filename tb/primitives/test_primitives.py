"""pytest entry: the stream primitives at several widths and depths, and the integrity checks
at the bus widths, random seeds."""

from pathlib import Path

import pytest

from tessel.config import load_config
from tessel.sim import run

HERE = Path(__file__).parent


@pytest.mark.seeds(7)
@pytest.mark.parametrize("toplevel,parameters", [
    ("tessel_fifo", {"Width": 8, "Depth": 2}),
    ("tessel_fifo", {"Width": 33, "Depth": 5}),
    ("tessel_skid_buffer", {"Width": 16}),
])
def test_stream_primitive(toplevel, parameters, seed):
    run(toplevel, [], "tb_stream", HERE, config=load_config("small"), parameters=parameters,
        seed=seed)


@pytest.mark.seeds(7)
@pytest.mark.parametrize("toplevel,testcase", [("tessel_crc32", "crc_is_zlib"),
                                               ("tessel_beat_check", "sum_is_beat_checks")])
@pytest.mark.parametrize("bits", [64, 128, 256])
def test_integrity_check(toplevel, testcase, bits, seed):
    run(toplevel, [], "tb_integrity", HERE, config=load_config("small"),
        parameters={"DataBits": bits}, seed=seed, testcase=testcase)
