"""pytest entry: the stream primitives at several widths and depths, random seeds."""

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
