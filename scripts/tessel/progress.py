"""Progress bars for long work (calibration, evaluation, training, simulation), and the notes
saying how long it will take.

One place decides how they look; they go to stderr and hide themselves when
TESSEL_PROGRESS=0 or when stderr is not a terminal (CI logs stay readable); notes always show.
"""

import os
import sys

from tqdm.auto import tqdm


def enabled() -> bool:
    setting = os.environ.get("TESSEL_PROGRESS")
    if setting is not None:
        return setting not in ("0", "false", "no", "")
    return sys.stderr.isatty()


def progress(iterable=None, *, desc: str, total: int | None = None, unit: str = "it"):
    """Wrap an iterable (or make a manual bar when iterable is None) in a progress bar."""
    return tqdm(iterable, desc=desc, total=total, unit=unit, disable=not enabled(),
                leave=False, dynamic_ncols=True, file=sys.stderr)


def note(text: str) -> None:
    """A line on stderr that does not break a progress bar being drawn (always shown)."""
    tqdm.write(text, file=sys.stderr)


def estimate(seconds: float) -> str:
    """A duration as a person reads it: "about 40 s", "about 3 min"."""
    return f"about {seconds:.0f} s" if seconds < 90 else f"about {seconds / 60:.0f} min"
