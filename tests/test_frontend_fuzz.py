"""Front-end fuzz: every unsupported model ends in an UnsupportedModelError that names the
offending module's path (or, for what forward returns, the top-level module), never in a
traceback from inside torch or Tessel (tessel/fuzz/frontend.py has the cases)."""

import re
import warnings

import pytest

from tessel.errors import UnsupportedModelError
from tessel.frontend import import_model
from tessel.fuzz import frontend

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
