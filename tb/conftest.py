"""Seeds of the random tests, and sharding (docs/verification.md).

A test that takes a `seed` argument is a random test (marked `random`). `make sim` runs it with
its fixed seeds, @pytest.mark.seeds(...) (or all TESSEL_SEED=<n>); `--seeds N` runs it with the
N seeds --seed-base .. --seed-base + N - 1 instead (make regress). `--shard i/n` keeps every
n-th test from the i-th (1 <= i <= n), so a CI matrix of n machines shares one regression.
A failing random test prints the one-line command that reproduces it, with waves.
"""

import os

import pytest


def pytest_addoption(parser):
    group = parser.getgroup("tessel")
    group.addoption("--seeds", type=int, default=0, help="run every random test with N seeds")
    group.addoption("--seed-base", type=int, default=1000, help="first seed of --seeds")
    group.addoption("--shard", default="1/1", help="i/n: keep every n-th test from the i-th")


def pytest_configure(config):
    config.addinivalue_line("markers", "random: a random test (takes a seed)")
    config.addinivalue_line("markers", "seeds(*seeds): the fixed seeds of a random test")


def pytest_generate_tests(metafunc):
    if "seed" not in metafunc.fixturenames:
        return
    count, base = metafunc.config.getoption("seeds"), metafunc.config.getoption("seed_base")
    marker = metafunc.definition.get_closest_marker("seeds")
    if count:
        seeds = range(base, base + count)
    elif "TESSEL_SEED" in os.environ:
        seeds = [int(os.environ["TESSEL_SEED"])]
    else:
        seeds = marker.args if marker else [1]
    metafunc.parametrize("seed", [pytest.param(s, marks=pytest.mark.random, id=f"seed{s}")
                                  for s in seeds])


@pytest.hookimpl(trylast=True)  # after -m / -k deselection: shard what is left
def pytest_collection_modifyitems(config, items):
    index, count = map(int, config.getoption("shard").split("/"))
    if not 1 <= index <= count:
        raise pytest.UsageError(f"--shard {index}/{count}: need 1 <= i <= n")
    kept = items[index - 1::count]
    ids = {item.nodeid for item in kept}
    config.hook.pytest_deselected(items=[item for item in items if item.nodeid not in ids])
    items[:] = kept


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    report = (yield).get_result()
    if report.failed and "seed" in getattr(item, "funcargs", {}):
        command = (f"TESSEL_SEED={item.funcargs['seed']} TESSEL_WAVES=1 .venv/bin/python -m pytest "
                   f"'{item.nodeid}'")
        report.sections.append(("reproduce", command))
        report.user_properties.append(("reproduce", command))


def pytest_terminal_summary(terminalreporter):
    commands = [dict(r.user_properties)["reproduce"] for r in terminalreporter.stats.get("failed", [])
                if "reproduce" in dict(r.user_properties)]
    if commands:
        terminalreporter.section("reproduce the failing random tests (with waves)")
        for command in commands:
            terminalreporter.line(command)
