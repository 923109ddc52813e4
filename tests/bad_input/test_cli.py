"""Bad command-line options: every numeric option has a range, and a value outside it (or an
option the data cannot satisfy) exits 2 naming the option, the value and the range, before
anything is compiled, run or written."""

import shutil

import pytest

from tessel.paths import gen_dir
from tessel.zoo import digits

from .conftest import cli_refused


@pytest.fixture
def gen(tmp_path):
    """An empty gen/ for the command (TESSEL_GEN_DIR): whatever it writes would land here."""
    return tmp_path / "gen"


@pytest.fixture
def trained_gen(gen):
    """A gen/ holding only the trained digits weights (copied from the checkout's cache, so
    nothing trains), for the cases that must load the model before refusing."""
    digits.load_entry()  # trains once into the checkout's cache if it is not there yet
    (gen / "zoo").mkdir(parents=True)
    for path in (gen_dir() / "zoo").glob("digits-*.pt"):
        shutil.copy(path, gen / "zoo")
    return gen


OPTIONS = [  # (arguments, what the error names), refused by the argument parser
    (["run", "digits", "--stall", "100"], ["--stall", "100", "from 0 to 95", "forever"]),
    (["run", "digits", "--stall", "-1"], ["--stall", "-1", "from 0 to 95"]),
    (["run", "digits", "--stall", "5.5"], ["--stall", "'5.5' is not an integer"]),
    (["run", "digits", "--images", "0"], ["--images", "0 is out of range", "at least 1"]),
    (["run", "digits", "--images", "-1"], ["--images", "-1 is out of range", "at least 1"]),
    (["run", "digits", "--images", "all"], ["--images", "'all' is not an integer"]),
    (["demo", "--images", "0"], ["--images", "0 is out of range"]),
    (["check-golden", "digits", "--images", "0"], ["--images", "0 is out of range"]),
    (["check-golden", "digits", "--random", "-2"], ["--random", "-2", "at least 0"]),
    (["check-golden", "digits", "--seed", "-1"], ["--seed", "-1", "at least 0"]),
    (["dse", "digits", "--min-utilization", "1.5"], ["--min-utilization", "1.5", "from 0 to 1"]),
    (["dse", "digits", "--min-utilization", "-0.1"], ["--min-utilization", "-0.1"]),
    (["dse", "digits", "--min-utilization", "nan"], ["--min-utilization", "nan", "from 0 to 1"]),
    (["dse", "digits", "--min-utilization", "half"], ["--min-utilization", "'half' is not a number"]),
    (["run", "digits", "--backend", "fpga"], ["--backend", "'fpga'"]),
]


@pytest.mark.parametrize("args, culprits", OPTIONS, ids=[" ".join(a[2:] if a[0] != "demo" else a[1:])
                                                         + f" ({a[0]})" for a, _ in OPTIONS])
def test_an_option_out_of_range_is_refused(args, culprits, gen):
    cli_refused(*args, culprits=culprits, unchanged=(gen,), env={"TESSEL_GEN_DIR": str(gen)})


def test_more_images_than_the_model_has_is_refused_before_running(trained_gen):
    """digits has 360 held-out images: asking for more used to run the 360 silently."""
    cli_refused("run", "digits", "--images", "361", "--target", "small",
                culprits=["361 images", "digits has 360 held-out images", "1 to 360"],
                unchanged=(trained_gen,), env={"TESSEL_GEN_DIR": str(trained_gen)})


def test_check_golden_with_more_images_than_the_model_has(trained_gen):
    cli_refused("check-golden", "digits", "--images", "5000",
                culprits=["5000 images", "360 held-out"],
                unchanged=(trained_gen,), env={"TESSEL_GEN_DIR": str(trained_gen)})


def test_a_model_without_held_out_images_counts_its_calibration_images(gen):
    cli_refused("check-golden", "resnet18", "--images", "3",
                culprits=["3 images", "resnet18 has 2 calibration", "1 to 2"],
                unchanged=(gen,), env={"TESSEL_GEN_DIR": str(gen)})


def test_eval_of_an_unknown_model(gen):
    cli_refused("eval", "lenet", culprits=["unknown zoo model 'lenet'", "digits"],
                unchanged=(gen,), env={"TESSEL_GEN_DIR": str(gen)})
