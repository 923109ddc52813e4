"""tessel.load(DIR): a compiled directory as a network that runs its files as written."""

import io
import zipfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..errors import ArtifactError
from ..network import BACKENDS, backend_named, input_u8
from .executable import ArtifactExecutable, from_manifest
from .files import read_files, read_manifest
from .schema import Fields

RUNTIME_BACKENDS = {name: BACKENDS[name] for name in ("verilator", "pynq")}  # no graph: no golden


@dataclass
class Reference:
    """Quantized inputs and the golden model's outputs for them, stored when compiled."""
    inputs: np.ndarray    # uint8 (N, C, H, W)
    outputs: np.ndarray   # uint8 (N, model output shape)


@dataclass
class ReferenceCheck:
    """Outputs of a run of the stored inputs beside what they should be."""
    outputs: np.ndarray
    expected: np.ndarray
    stats: list

    @property
    def bytes_equal_frac(self) -> float:
        return float((self.outputs == self.expected).mean())

    @property
    def images_equal(self) -> int:
        return int(sum(np.array_equal(a, b) for a, b in zip(self.outputs, self.expected)))


class LoadedNetwork:
    """A compiled directory: program.bin and dram.bin as written (verified against the
    manifest's sizes and CRC-32s), run on the RTL under Verilator or on the board."""

    def __init__(self, directory: Path, manifest: Fields, executable: ArtifactExecutable,
                 reference: Reference | None):
        self.directory, self.manifest = directory, manifest
        self.executable, self.reference = executable, reference
        model = manifest.sub("model", optional=True)   # how to rebuild it, if recorded
        self.model = model.text("spec") if model else None
        self.observer = model.text("observer") if model else None
        self.target = manifest.text("target")               # the configuration's name when compiled
        self.sim_options = None    # runtime.simulation.SimOptions for backend="verilator"
        self.last_run_stats = []   # per-image counters of the last run

    @property
    def name(self) -> str:
        return self.executable.graph.name

    @property
    def config(self):
        return self.executable.config

    @property
    def input_qparams(self):
        return self.executable.graph.input_q

    @property
    def output_qparams(self):
        return self.executable.graph.output_q

    def input_u8(self, x) -> np.ndarray:
        """uint8 images (N, C, H, W) as they are; float images quantized with the manifest's
        input scale and zero point. Another shape is an InputError saying the one it takes."""
        return input_u8(x, f"the image batch for {self.name} ({self.directory})",
                        self.executable.graph.input_shape, self.input_qparams)

    def predict_int(self, x, backend: str = "verilator", **options) -> np.ndarray:
        """Raw uint8 outputs, shaped like the model's output, from the files as written.
        backend: "verilator" (options: SimOptions fields) or "pynq" (BoardOptions fields)."""
        run = backend_named(backend, RUNTIME_BACKENDS)
        x_u8 = self.input_u8(x)
        return run(self, x_u8, **options).reshape(len(x_u8), *self.executable.graph.output_shape)

    def predict(self, x, backend: str = "verilator", **options) -> np.ndarray:
        return self.output_qparams.dequantize(self.predict_int(x, backend, **options))

    def check(self, images: int | None = None, backend: str = "verilator",
              **options) -> ReferenceCheck:
        """Run the stored reference inputs (the first `images` of them) and set the outputs
        beside the stored golden outputs."""
        reference = self.require_reference()
        x, want = reference.inputs[:images], reference.outputs[:images]
        outputs = self.predict_int(x, backend, **options)
        return ReferenceCheck(outputs, want, self.last_run_stats)

    def require_reference(self) -> Reference:
        if self.reference is None:
            raise ArtifactError(f"{self.directory / 'manifest.json'}: field 'reference' is null: "
                                f"this directory holds no reference images (write it with "
                                f"CompiledNetwork.write(dir, reference=images), or name the "
                                f"model to run its images)")
        return self.reference

    def __repr__(self):
        return (f"LoadedNetwork({self.name!r} from {str(self.directory)!r}, target="
                f"{self.config.name!r}, {len(self.executable.layers)} layers)")


def reference(manifest: Fields, files: dict, ex: ArtifactExecutable) -> Reference | None:
    entry = manifest.sub("reference", optional=True)
    if entry is None:
        return None
    name, count = entry.text("file"), entry.integer("images", minimum=1)
    if name not in files:
        raise ArtifactError(f"{manifest.file}: field 'reference.file' is {name!r}, which "
                            f"'files' does not list")
    path = manifest.file.parent / name
    try:
        with np.load(io.BytesIO(files[name]), allow_pickle=False) as data:
            arrays = {key: data[key] for key in ("inputs", "outputs")}
    except (KeyError, ValueError, OSError, zipfile.BadZipFile) as error:
        raise ArtifactError(f"{path}: not the reference arrays 'inputs' and 'outputs': "
                            f"{error}") from None
    shapes = {"inputs": (count, *ex.graph.input_shape), "outputs": (count, *ex.graph.output_shape)}
    for key, shape in shapes.items():
        a = arrays[key]
        if a.dtype != np.uint8 or a.shape != shape:
            raise ArtifactError(f"{path}: array {key!r} is {a.dtype} {a.shape}, the manifest "
                                f"describes uint8 {shape}")
    return Reference(arrays["inputs"], arrays["outputs"])


def load(directory) -> LoadedNetwork:
    """A directory written by `tessel compile` or CompiledNetwork.write, checked before anything
    runs: the manifest (format_version, every field), each file's size and CRC-32, the program
    header against the manifest, and the reference data. Every problem is an ArtifactError
    naming the file and the field."""
    directory = Path(directory)
    manifest = read_manifest(directory)
    files = read_files(directory, manifest)
    executable = from_manifest(manifest, files)
    return LoadedNetwork(directory, manifest, executable, reference(manifest, files, executable))
