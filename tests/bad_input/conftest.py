"""The bad-input suite (docs/verification.md): every case gives an error of the expected type,
whose message names the culprit (layer, file, field, option or value), and leaves every file it
was given or could have written as it was."""

import hashlib
from contextlib import contextmanager
from pathlib import Path

import pytest


def snapshot(*roots) -> dict:
    """Path -> sha256 of every file under `roots` (files or folders; missing ones are absent)."""
    files = {}
    for root in map(Path, roots):
        for path in ([root] if root.is_file() else sorted(root.rglob("*")) if root.exists() else []):
            if path.is_file():
                files[str(path)] = hashlib.sha256(path.read_bytes()).hexdigest()
    return files


@contextmanager
def refused(error_type, *culprits, unchanged=()):
    """Expect `error_type`, whose message names every string in `culprits`, with the files
    under `unchanged` (files or folders) byte for byte as before and none added or removed."""
    before = snapshot(*unchanged)
    with pytest.raises(error_type) as info:
        yield info
    message = str(info.value)
    for culprit in culprits:
        assert str(culprit) in message, f"{culprit!r} not named in: {message}"
    assert snapshot(*unchanged) == before, "files were written or changed"


@pytest.fixture
def expect_refused():
    return refused


def cli_refused(*args, culprits=(), unchanged=(), cwd=None, env=None):
    """Run `tessel ARGS` as a user would; it must exit 2 with `tessel: error:` naming every
    culprit, no traceback, and the files under `unchanged` as before. Returns stderr."""
    import os
    import subprocess
    import sys
    before = snapshot(*unchanged)
    out = subprocess.run([sys.executable, "-m", "tessel.cli", *map(str, args)], capture_output=True,
                         text=True, cwd=cwd, env={**os.environ, **(env or {})}, timeout=600)
    assert out.returncode == 2, f"exit {out.returncode}\n{out.stdout}\n{out.stderr}"
    assert "Traceback" not in out.stderr, out.stderr
    assert "error:" in out.stderr, out.stderr
    for culprit in culprits:
        assert str(culprit) in out.stderr, f"{culprit!r} not named in: {out.stderr}"
    assert snapshot(*unchanged) == before, "files were written or changed"
    return out.stderr
