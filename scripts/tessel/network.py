"""CompiledNetwork: what tessel.compile returns, and what runs images."""

import dataclasses
from pathlib import Path

import numpy as np
import torch

from . import golden
from .config import HardwareConfig
from .errors import BackendError
from .frontend.inputs import check_batch_shape, image_batch
from .ir import Conv2d, ConvTranspose2d, Graph, QParams


def _golden_backend(network: "CompiledNetwork", x_u8: np.ndarray, **options) -> np.ndarray:
    _options(None, "golden", options)
    return golden.run(network.graph, x_u8)


def _verilator_backend(network: "CompiledNetwork", x_u8: np.ndarray, **options) -> np.ndarray:
    from .runtime.simulation import SimOptions, run_images
    sim = _options(SimOptions, "verilator", options) if options else network.sim_options
    outputs, network.last_run_stats = run_images(network.executable, x_u8, sim)
    return outputs


def _pynq_backend(network: "CompiledNetwork", x_u8: np.ndarray, **options) -> np.ndarray:
    from .runtime.pynq_board import BoardOptions, run_images
    outputs, network.last_run_stats = run_images(network.executable, x_u8,
                                                 _options(BoardOptions, "pynq", options))
    return outputs


def _options(cls, backend: str, options: dict):
    """A backend's options dataclass from predict()'s keyword arguments."""
    names = [f.name for f in dataclasses.fields(cls)] if cls else []
    unknown = sorted(set(options) - set(names))
    if unknown:
        raise BackendError(f"backend {backend!r} has no option {', '.join(unknown)}; it takes "
                           f"{', '.join(names) or 'none'}")
    return cls(**options) if cls else None


BACKENDS = {"golden": _golden_backend, "verilator": _verilator_backend, "pynq": _pynq_backend}
REFERENCE_IMAGES = 8   # inputs (and golden outputs) write() stores for the directory to check itself


def input_u8(x, what: str, shape: tuple, qparams: QParams) -> np.ndarray:
    """uint8 images (N, C, H, W) as they are (already quantized); float images checked (shape,
    finite values) and quantized. `what` names them in errors."""
    x = x.detach().cpu().numpy() if isinstance(x, torch.Tensor) else x
    if isinstance(x, np.ndarray) and x.dtype == np.uint8:
        check_batch_shape(x.shape, what, shape)
        return x
    return qparams.quantize(image_batch(x, what, shape).numpy())


def host_function(function: str | None, y: np.ndarray) -> np.ndarray:
    """The softmax or argmax over dim 1 a model ends with, which the host computes."""
    if function == "softmax":
        return torch.softmax(torch.from_numpy(y), dim=1).numpy()
    if function == "argmax":
        return y.argmax(axis=1)
    return y


def backend_named(backend: str, backends: dict):
    """The backend function, or a BackendError listing the ones there are."""
    try:
        return backends[backend]
    except KeyError:
        raise BackendError(f"unknown backend {backend!r}; available in this build: "
                           f"{', '.join(backends)}") from None


class CompiledNetwork:
    """A quantized network for one hardware target."""

    def __init__(self, graph: Graph, config: HardwareConfig, observer: str):
        self.graph = graph
        self.config = config
        self.observer = observer
        self._executable = None
        self.sim_options = None        # runtime.simulation.SimOptions for backend="verilator"
        self.last_run_stats = []       # per-image counters of the last RTL run

    @property
    def name(self) -> str:
        return self.graph.name

    @property
    def input_qparams(self) -> QParams:
        return self.graph.input_q

    @property
    def output_qparams(self) -> QParams:
        return self.graph.qparams_of(self.graph.output)

    def quantize_input(self, x) -> np.ndarray:
        """Float images (N, C, H, W) -> uint8 with the input's QParams (a NaN or a wrong shape
        is an InputError, a ValueError)."""
        x = image_batch(x, f"the image batch for {self.name}", self.graph.input_shape)
        return self.input_qparams.quantize(x.detach().cpu().numpy())

    def input_u8(self, x) -> np.ndarray:
        return input_u8(x, f"the image batch for {self.name}", self.graph.input_shape,
                        self.input_qparams)

    def predict_int(self, x, backend: str = "golden", **options) -> np.ndarray:
        """Raw uint8 outputs, shaped like the model's output. Float input is quantized first;
        uint8 input is taken as already quantized. `options` go to the backend: the fields of
        SimOptions for "verilator" (else self.sim_options), of BoardOptions for "pynq"
        (bitfile, ip, irq, timeout_s). A model with several outputs gives a tuple of them; a
        softmax or argmax at the end is not applied here (these are its input's codes)."""
        x_u8 = self.input_u8(x)
        out = backend_named(backend, BACKENDS)(self, x_u8, **options)
        if self.graph.extra_outputs:
            return tuple(o.reshape(x_u8.shape[0], *shape)
                         for o, shape in zip(out, self.graph.output_shapes))
        return out.reshape(x_u8.shape[0], *self.graph.output_shape)

    def predict(self, x, backend: str = "golden", **options) -> np.ndarray:
        """Dequantized float outputs (what the float model would return, approximately). A
        softmax or argmax the model ends with is computed here, on the host, in float."""
        out = self.predict_int(x, backend, **options)
        outs = out if self.graph.extra_outputs else (out,)
        results = tuple(host_function(self.graph.host_ops.get(i),
                                      self.graph.qparams_of(name).dequantize(o))
                        for i, (name, o) in enumerate(zip(self.graph.outputs, outs)))
        return results if self.graph.extra_outputs else results[0]

    # ---- the accelerator's view ------------------------------------------------------------
    @property
    def executable(self):
        """Hardware layers, tiling, memory map, program and DRAM image (built once)."""
        if self._executable is None:
            from .lowering import build
            self._executable = build(self.graph, self.config)
        return self._executable

    def write(self, directory, reference=None, model: str | None = None) -> dict:
        """Write the program, DRAM image, manifest, C header and report (backend/writers.py).
        reference: images (float, or uint8 already quantized) of which the first
        REFERENCE_IMAGES are stored with their golden outputs, so that tessel.load(directory)
        can check itself without the model; model: the spec that rebuilds it (a zoo name or
        package.module:function), recorded in the manifest."""
        from .backend.writers import write
        stored = None
        if reference is not None:
            x_u8 = self.input_u8(reference[:REFERENCE_IMAGES])
            stored = (x_u8, self.predict_int(x_u8))
        spec = {"spec": model, "observer": self.observer} if model else None
        return write(self.executable, directory, self.name, stored, spec)

    # ---- reporting -----------------------------------------------------------------------
    def report(self, directory, dse: bool = True) -> Path:
        """Write report.md and its plots to `directory`: per layer the cost model's cycles,
        utilization, DRAM bytes and bound (with the RTL's counters beside them when
        last_run_stats holds a run), resources against the board, sparsity, and with dse=True
        the design-space sweep for this configuration's board. Returns the Markdown file.
        write()'s report.md (the memory map) has the same name: give each its own folder."""
        from .report import write_report
        return write_report(self, directory, dse)

    def layers(self) -> list[dict]:
        """One row per op: name, what it is, shapes, MACs, QParams."""
        rows = []
        for op in self.graph.ops:
            rows.append({
                "name": op.name, "op": op.describe(), "inputs": op.inputs,
                "out_shape": op.out_shape,
                "macs": op.macs() if isinstance(op, (Conv2d, ConvTranspose2d)) else 0,
                "nonzero_macs": op.nonzero_weight_macs() if isinstance(op, Conv2d) else 0,
                "scale": op.out_q.scale, "zero_point": op.out_q.zero_point, "source": op.source,
            })
        return rows

    def summary(self) -> str:
        rows = self.layers()
        header = f"{'layer':<24} {'op':<28} {'output':>14} {'MACs':>12} {'scale':>10} {'zp':>4}"
        lines = [f"{self.name} for {self.config.name}: input "
                 f"{'x'.join(map(str, self.graph.input_shape))}, scale "
                 f"{self.input_qparams.scale:.4g}, zero point {self.input_qparams.zero_point}",
                 header, "-" * len(header)]
        for r in rows:
            shape = "x".join(map(str, r["out_shape"]))
            lines.append(f"{r['name'][:24]:<24} {r['op'][:28]:<28} {shape:>14} {r['macs']:>12,} "
                         f"{r['scale']:>10.4g} {r['zero_point']:>4}")
        lines.append(f"total MACs per image: {sum(r['macs'] for r in rows):,}")
        return "\n".join(lines)

    def __repr__(self):
        return (f"CompiledNetwork({self.name!r}, target={self.config.name!r}, "
                f"{len(self.graph.ops)} ops)")
