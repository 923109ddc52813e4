"""`tessel run DIR`: a compiled directory's stored reference inputs through its own program and
DRAM image (the RTL under Verilator, or the board), every output byte against the stored golden
outputs, and against a model's golden model when one is named."""

import json
from dataclasses import asdict
from pathlib import Path

import numpy as np

from ..errors import ArtifactError
from .files import MANIFEST
from .loaded import LoadedNetwork, load


def is_directory(spec: str) -> bool:
    """A compiled directory rather than a model: a path with a slash (zoo names and
    package.module:function specs have none), a folder holding a manifest, or any other
    existing path that is not a model's name (a folder `digits` beside it is not the model)."""
    from .. import zoo
    path = Path(spec)
    return "/" in spec or (path / MANIFEST).is_file() or \
        (path.exists() and ":" not in spec and spec not in zoo.names())


def model_spec(loaded: LoadedNetwork, spec: str | None = None,
               hint: str = "name it: --model NAME or package.module:function") -> str:
    """The spec given, else the one the manifest recorded."""
    if spec or loaded.model:
        return spec or loaded.model
    raise ArtifactError(f"{loaded.directory / 'manifest.json'}: field 'model' is null: the "
                        f"directory does not say which model it was compiled from; {hint}")


def model_golden(loaded: LoadedNetwork, entry, x_u8: np.ndarray, observer: str):
    """The model compiled for the directory's configuration: its golden outputs for x_u8,
    and whether it compiles to the very bytes the directory holds."""
    from ..compiler import compile as compile_network
    network = compile_network(entry.model, entry.calibration, loaded.config,
                              loaded.observer or observer, entry.name)
    same = (network.executable.program == loaded.executable.program
            and network.executable.image == loaded.executable.image)
    return network.predict_int(x_u8), same


def run_directory(directory: str, images: int, backend: str, options, spec: str | None,
                  observer: str) -> int:
    """options: SimOptions (verilator) or BoardOptions (pynq). spec: None (no model), "" (the
    manifest's model) or a model spec. Returns the exit status: 0 when every byte is equal."""
    from .. import zoo
    loaded = load(directory)
    entry = zoo.resolve(model_spec(loaded, spec)) if spec is not None else None
    if loaded.reference is not None or entry is None:
        reference = loaded.require_reference()
        x_u8, compared = reference.inputs[:images], [("the stored golden outputs",
                                                      reference.outputs[:images])]
        source = f"{len(x_u8)} stored reference images"
    else:  # no reference data: the model's own held-out images
        x = entry.eval_x if entry.eval_x is not None else entry.calibration
        x_u8, compared = loaded.input_u8(x[:images]), []
        source = f"{len(x_u8)} held-out images of {entry.name}"
    outputs = loaded.predict_int(x_u8, backend, **asdict(options))
    stats = loaded.last_run_stats
    where = "the RTL" if backend == "verilator" else "the board"
    print(f"{loaded.name} from {loaded.directory}: program.bin and dram.bin as written "
          f"({loaded.config.name}), {source} on {where}")
    if entry is not None:
        want, same = model_golden(loaded, entry, x_u8, observer)
        compared.append((f"{entry.name}'s golden model", want))
    equal = True
    for what, want in compared:
        frac = float((outputs == want).mean())
        equal &= frac == 1.0
        print(f"  output bytes equal to {what}  {100 * frac:.2f} %")
    if entry is not None:
        print(f"  {entry.name} compiles to the same program and DRAM image" if same else
              f"  {entry.name} now compiles to another program or DRAM image than this directory's")
    cycles = float(np.mean([s["cycles"] for s in stats]))
    print(f"  cycles per image {cycles:,.0f} ({cycles / (loaded.config.clock_mhz * 1e3):.3f} ms "
          f"at the configured clock)")
    record = loaded.directory / "rtl_run.json"   # what `tessel report DIR` sets beside the model
    record.write_text(json.dumps(stats, indent=1))
    print(f"  counters written to {record}")
    return 0 if equal else 1
