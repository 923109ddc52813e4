"""What every generator here shares: SystemVerilog names of configuration fields, and writing
a generated file only when its text changes."""

from pathlib import Path


def sv_name(path: tuple[str, ...]) -> str:
    return "".join(part.title().replace("_", "") for part in path)


def write_if_changed(path: Path, text: str) -> Path:
    """Write only when the content differs, so simulators do not rebuild needlessly."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists() or path.read_text() != text:
        path.write_text(text)
    return path
