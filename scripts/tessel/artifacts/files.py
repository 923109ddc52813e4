"""The files of a compiled directory, checked against the manifest before anything uses them:
the manifest parses and has this tessel's format_version; every file it lists is there with
the size and CRC-32 it recorded."""

import json
import zlib
from pathlib import Path

from ..backend.writers import MANIFEST_VERSION
from ..errors import ArtifactError
from .schema import Fields

MANIFEST = "manifest.json"
REQUIRED = ("program.bin", "dram.bin")   # what runs; every other listed file is checked too


def read_manifest(directory: Path) -> Fields:
    if not directory.exists():
        raise ArtifactError(f"{directory}: no such directory (a folder written by tessel "
                            f"compile or CompiledNetwork.write)")
    if not directory.is_dir():
        raise ArtifactError(f"{directory}: not a directory (a folder written by tessel compile "
                            f"or CompiledNetwork.write)")
    path = directory / MANIFEST
    if not path.is_file():
        raise ArtifactError(f"{path}: missing: {directory} is not a folder written by tessel "
                            f"compile or CompiledNetwork.write")
    try:
        data = json.loads(path.read_bytes())
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise ArtifactError(f"{path}: not valid JSON: {error}") from None
    manifest = Fields(data, path)
    version = manifest.integer("format_version", minimum=1)
    if version != MANIFEST_VERSION:
        raise ArtifactError(f"{path}: field 'format_version' is {version}; this tessel reads "
                            f"format_version {MANIFEST_VERSION} only: compile the model again "
                            f"with this tessel (or run the directory with the tessel that wrote it)")
    return manifest


def read_files(directory: Path, manifest: Fields) -> dict[str, bytes]:
    """Every file the manifest lists, by name, each verified against its size and CRC-32."""
    listed = manifest.sub("files")
    for name in REQUIRED:
        listed.sub(name)  # missing: an error naming files.'program.bin'
    contents = {}
    for name in listed.data:
        entry = listed.sub(name)
        if Path(name).name != name or name in (".", ".."):
            raise entry.error(entry.prefix, "a file name inside the directory", name)
        size, crc = entry.integer("bytes"), entry.integer("crc32", maximum=0xFFFF_FFFF)
        path = directory / name
        if not path.is_file():
            raise ArtifactError(f"{path}: missing ({manifest.file.name} lists it with "
                                f"{size:,} bytes)")
        data = path.read_bytes()
        if len(data) != size:
            raise ArtifactError(f"{path}: {len(data):,} bytes, {manifest.file.name} recorded "
                                f"{size:,}: the file was cut, emptied or replaced after it was "
                                f"written")
        if zlib.crc32(data) != crc:
            raise ArtifactError(f"{path}: CRC-32 {zlib.crc32(data):#010x}, {manifest.file.name} "
                                f"recorded {crc:#010x}: the file changed after it was written")
        contents[name] = data
    return contents


def read_run_record(path: Path) -> list[dict]:
    """rtl_run.json as `tessel run` writes it: per image the run's counters, at least `cycles`
    and `layer_cycles` (what the report sets beside the cost model)."""
    try:
        data = json.loads(path.read_bytes())
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise ArtifactError(f"{path}: not valid JSON: {error}; `tessel run` the directory again "
                            f"to count the cycles anew") from None
    if not isinstance(data, list) or not data:
        raise ArtifactError(f"{path}: expected a non-empty list of runs, got {data!r:.60}")
    for i, run in enumerate(data):
        fields = Fields(run, path, f"[{i}]")
        fields.integer("cycles")
        fields.counts("layer_cycles", minimum=0)
    return data
