"""Argument types of the command line's numeric options: each parses a number and refuses one
outside its range with a message saying the range (argparse adds the option's name)."""

import argparse

# The simulated memory's stall chance per cycle (tb/top/tessel_axi_mem.sv): at 100 % no channel
# is ever ready and a run only ends at the watchdog; 95 % already makes beats 20 times slower.
MAX_STALL_PERCENT = 95


def _number(text: str, kind):
    try:
        return kind(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not {'an integer' if kind is int else 'a number'}") from None


def integer(low: int, high: int | None = None, why: str = ""):
    """An integer in low..high (no upper bound when high is None)."""
    def parse(text: str) -> int:
        value = _number(text, int)
        if value < low or (high is not None and value > high):
            span = f"at least {low}" if high is None else f"from {low} to {high}"
            raise argparse.ArgumentTypeError(f"{value} is out of range: {span}{why}")
        return value
    parse.__name__ = "integer"  # argparse names the type in its own messages
    return parse


def fraction(text: str) -> float:
    """A number from 0 to 1."""
    value = _number(text, float)
    if not 0.0 <= value <= 1.0:  # also refuses nan
        raise argparse.ArgumentTypeError(f"{text} is out of range: from 0 to 1")
    return value


images = integer(1, why=" (and at most the model's held-out images)")
stall_percent = integer(0, MAX_STALL_PERCENT, why=" (100 stalls the memory forever)")
count = integer(0)
seed = integer(0)
