"""pytest entry: the stream primitives at several widths and depths, random seeds."""

from pathlib import Path

import pytest

from tb.common.runner import run, seed_from_env

HERE = Path(__file__).parent


@pytest.mark.parametrize("toplevel,parameters", [
    ("tessel_fifo", {"Width": 8, "Depth": 2}),
    ("tessel_fifo", {"Width": 33, "Depth": 5}),
    ("tessel_skid_buffer", {"Width": 16}),
])
def test_stream_primitive(toplevel, parameters):
    run(toplevel, [], "tb_stream", HERE, parameters=parameters, seed=seed_from_env(7))
