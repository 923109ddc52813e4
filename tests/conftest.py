import os

import numpy as np
import pytest

os.environ.setdefault("TESSEL_PROGRESS", "0")


@pytest.fixture
def rng(request):
    """A seeded generator; the seed is printed so a failure reproduces (TESSEL_SEED=...)."""
    seed = int(os.environ.get("TESSEL_SEED", "0")) + sum(map(ord, request.node.name))
    print(f"seed {seed} (test {request.node.name})")
    return np.random.default_rng(seed)
