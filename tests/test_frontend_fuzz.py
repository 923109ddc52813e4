"""Front-end fuzz: every unsupported model ends in an UnsupportedModelError that names the
offending module's path (or, for what forward returns, the top-level module), never in a
traceback from inside torch or Tessel; every accepted layer beyond plain CNNs imports exactly
and stays near float once quantized (tessel/fuzz/frontend.py has the cases)."""

import re
import warnings

import numpy as np
import pytest
import torch

import tessel
from tessel.errors import UnsupportedModelError
from tessel.frontend import import_model
from tessel.fuzz import frontend
from tessel.ir.float_eval import run_float

HAND = frontend.hand_cases()


def assert_refused_by_name(model, x, path):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with pytest.raises(UnsupportedModelError) as info:
            import_model(model, x)
    message = str(info.value)
    if path:  # the offender, or a module inside it
        assert re.search(rf"'{re.escape(path)}(\.[\w.]+)?'", message), message
    else:
        assert f"the top-level module ({type(model).__name__})" in message, message


@pytest.mark.parametrize("name", HAND)
def test_hand_written_cases(name):
    assert_refused_by_name(*HAND[name])


@pytest.mark.parametrize("seed", range(40))
def test_random_cases(seed):
    model, x, path, what = frontend.random_case(seed)
    print(f"seed {seed}: {what} at {path!r}, input {tuple(x.shape)}")
    assert_refused_by_name(model, x, path)


def cosine(a, b) -> float:
    a, b = np.asarray(a, np.float64).ravel(), np.asarray(b, np.float64).ravel()
    norms = np.linalg.norm(a) * np.linalg.norm(b)
    return float(a @ b / norms) if norms > 0 else float(np.allclose(a, b))


@pytest.mark.parametrize("seed", range(40))
def test_accepted_cases_import_quantize_and_stay_near_float(seed):
    model, x, what = frontend.accepted_case(seed)
    print(f"seed {seed}: {what}, input {tuple(x.shape)}")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        network = tessel.compile(model, x)
    expected = model(x)
    expected = expected if isinstance(expected, tuple) else (expected,)
    floats = run_float(network.graph, x)
    floats = floats if isinstance(floats, tuple) else (floats,)
    predicted = network.predict(x)
    predicted = predicted if isinstance(predicted, tuple) else (predicted,)
    for index, (f, q, theirs) in enumerate(zip(floats, predicted, expected, strict=True)):
        if index not in network.graph.host_ops:
            assert torch.allclose(f, theirs, atol=1e-4, rtol=1e-4)
        assert cosine(q, theirs.detach()) >= 0.98, f"output {index}: {what}"
