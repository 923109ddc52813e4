"""Capture a PyTorch model with torch.export and translate its ATen graph into the IR.

The export is functionalized (run_decompositions with an empty table), so in-place forms such
as relu_ and `out += identity` arrive as their pure equivalents while high-level ops (conv2d,
linear, batch_norm, pooling) stay whole. Python control flow on shapes inside forward is
resolved by the export, which runs the model on the calibration batch's shapes.
"""

import logging
import operator
import warnings

import numpy as np
import torch
import torch.fx

from ..errors import InputError, UnsupportedModelError
from ..ir import INPUT, Activation, ActivationOp, Add, AvgPool, Conv2d, Graph, MaxPool, ScaleShift
from .breadth import BreadthHandlers, Flat, Host, pair as _pair
from .source import describe, failing_module, op_name

aten = torch.ops.aten
MAX_KERNEL = 7         # pooling windows
MAX_CONV_KERNEL = 16   # convolution kernels (the AMD DPU's range)
MAX_CONV_STRIDE = 8
SUPPORTED = ("Conv2d (kernel 1x1..16x16, stride 1..8, zero padding up to half the dilated "
             "kernel, any groups (depthwise, grouped), any dilation), ConvTranspose2d (groups=1), "
             "Linear, BatchNorm2d, ReLU, ReLU6, LeakyReLU, PReLU (one slope), Sigmoid, Tanh, SiLU, "
             "Hardswish, Hardsigmoid, GELU, Mish, ELU, Softplus, Hardtanh, MaxPool2d, AvgPool2d, "
             "AdaptiveAvgPool2d, mean over H and W, Flatten, Dropout, residual add, torch.cat "
             "over channels, multiply (same shape or an [N, C, 1, 1] gate), multiply/divide/add "
             "by a constant, nn.Upsample / F.interpolate (nearest, integer factors; bilinear 2x), "
             "Softmax or argmax at the end (on the host), several outputs (tuple or list)")


def capture(model: torch.nn.Module, example: torch.Tensor) -> torch.export.ExportedProgram:
    """The model's exported graph on the example's shape (both checked by frontend.inputs)."""
    fake_tensor_log = logging.getLogger("torch._subclasses.fake_tensor")
    level = fake_tensor_log.level
    try:
        # torch's own deprecation chatter and the traceback it logs before raising are not
        # the user's: the error below says what failed, where.
        fake_tensor_log.setLevel(logging.CRITICAL)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", FutureWarning)
            program = torch.export.export(model, (example.float(),), strict=False)
            return program.run_decompositions({})
    except Exception as error:  # torch raises many types; the user needs the reason, not the type
        _refuse_mismatched_images(model, example)
        reason = (str(error).strip() or "no message").splitlines()[0]
        raise UnsupportedModelError(
            f"{failing_module(model, error)}: torch.export could not capture it on images of "
            f"shape {tuple(example.shape)}: {type(error).__name__}: {reason}") from error
    finally:
        fake_tensor_log.setLevel(level)


def _refuse_mismatched_images(model: torch.nn.Module, example: torch.Tensor) -> None:
    """When the model failed on the images: blame the images if their channels are not what
    the model's first convolution takes (the usual cause, e.g. RGB images for a grey model)."""
    first = next(((path, m) for path, m in model.named_modules() if isinstance(m, torch.nn.Conv2d)),
                 None)
    if first is not None and first[1].in_channels != example.shape[1]:
        raise InputError(f"the images have {example.shape[1]} channels (shape "
                         f"{tuple(example.shape)}) but layer '{first[0]}' (Conv2d), the model's "
                         f"first, takes {first[1].in_channels}")


class Translator(BreadthHandlers):
    """Walks the exported graph once, emitting IR ops; parameters become numpy arrays."""

    def __init__(self, program: torch.export.ExportedProgram, name: str, model_class: str = "model"):
        self.program = program
        self.graph_name = name
        self.top = f"the top-level module ({model_class})"
        self.ops = []
        self.values = {}      # fx node -> IR value name, Flat, numpy parameter, or tuple
        self.used_names = {INPUT}
        self.batch = None
        signature = program.graph_signature
        self.parameters = {**signature.inputs_to_parameters, **signature.inputs_to_buffers}
        self.constants = dict(signature.inputs_to_lifted_tensor_constants)
        self.user_inputs = list(signature.user_inputs)

    # ---- helpers -------------------------------------------------------------------------
    def fail(self, node, what: str):
        raise UnsupportedModelError(f"{describe(node)}: {what}")

    def tensor(self, node, arg, flat_ok=False) -> str:
        """The IR value an activation argument refers to."""
        value = self.values.get(arg) if isinstance(arg, torch.fx.Node) else None
        if isinstance(value, Host):
            self.fail(node, f"uses the result of a {value.function} (at {value.source}); "
                            f"{value.function} is supported only on a model output, where "
                            "the host computes it")
        if isinstance(value, Flat):
            if not flat_ok:
                self.fail(node, "is applied to a flattened tensor; only Linear, activations "
                                "and residual adds may follow a Flatten")
            return value.name
        if not isinstance(value, str):
            self.fail(node, f"expects an activation tensor but got {type(arg).__name__} {arg!r}")
        return value

    def parameter(self, node, arg) -> np.ndarray | None:
        if arg is None:
            return None
        value = self.values.get(arg) if isinstance(arg, torch.fx.Node) else None
        if not isinstance(value, np.ndarray):
            self.fail(node, "takes its weights from a computed tensor; weights must be "
                            "parameters or buffers of the model")
        return value

    def out_shape(self, node) -> tuple[int, int, int]:
        val = node.meta["val"]
        shape = tuple((val[0] if isinstance(val, (tuple, list)) else val).shape)
        return shape[1:] if len(shape) == 4 else (int(np.prod(shape[1:])), 1, 1)

    def emit(self, node, cls, inputs, flat=False, **fields):
        name = base = op_name(node)
        suffix = 1
        while name in self.used_names:
            name, suffix = f"{base}_{suffix}", suffix + 1
        self.used_names.add(name)
        self.ops.append(cls(name=name, inputs=inputs, out_shape=self.out_shape(node),
                            source=describe(node), **fields))
        self.values[node] = Flat(name) if flat else name

    def alias(self, node, arg):
        self.values[node] = self.values[arg]

    # ---- the walk ------------------------------------------------------------------------
    def run(self) -> Graph:
        state = self.program.state_dict
        for node in self.program.graph.nodes:
            if node.op == "placeholder":
                self.placeholder(node, state)
            elif node.op == "call_function":
                self.check_batch(node)
                handler = HANDLERS.get(node.target)
                if handler is None:
                    if node.target in IGNORED:
                        continue
                    self.fail(node, f"{node.target} is not supported. Tessel supports: {SUPPORTED}")
                try:
                    handler(self, node, *node.args, **node.kwargs)
                except UnsupportedModelError:
                    raise
                except Exception as error:  # a form the handler does not expect: name the layer
                    self.fail(node, f"Tessel cannot translate this form of {node.target} "
                                    f"({type(error).__name__}: {error})")
            elif node.op == "output":
                return self.finish(node)
            else:
                self.fail(node, f"graph node kind {node.op!r} is not supported")
        raise UnsupportedModelError("the exported graph has no output")

    def placeholder(self, node, state):
        if node.name in self.parameters:
            self.values[node] = state[self.parameters[node.name]].detach().float().numpy().copy()
        elif node.name in self.constants:
            self.values[node] = self.program.constants[self.constants[node.name]] \
                .detach().float().numpy().copy()
        elif node.name in self.user_inputs:
            if self.batch is not None:
                raise UnsupportedModelError("the model takes more than one input; Tessel "
                                            "compiles single-input image models")
            shape = tuple(node.meta["val"].shape)
            if len(shape) != 4:
                raise UnsupportedModelError(f"the model input must be 4-D (N, C, H, W); got {shape}")
            self.batch = shape[0]
            self.input_shape = shape[1:]
            self.values[node] = INPUT
        else:
            self.fail(node, "is an input Tessel does not understand")

    def check_batch(self, node):
        val = node.meta.get("val")
        if isinstance(val, torch.Tensor) and val.dim() >= 1 and val.shape[0] != self.batch:
            self.fail(node, f"mixes the images of a batch (output shape {tuple(val.shape)} "
                            f"for a batch of {self.batch})")

    def finish(self, node) -> Graph:
        outputs, spec = node.args[0], self.program.call_spec.out_spec
        if spec is not None and not spec.is_leaf() and (
                spec.type not in (tuple, list) or not all(c.is_leaf() for c in spec.children())):
            raise UnsupportedModelError(f"{self.top} returns a {spec.type.__name__}; Tessel "
                                        "compiles models that return a tensor, or a tuple or "
                                        "list of tensors")
        names, shapes, host_ops = [], [], {}
        for index, output in enumerate(outputs):
            value = self.values.get(output) if isinstance(output, torch.fx.Node) else None
            shape = tuple(output.meta["val"].shape[1:]) if isinstance(output, torch.fx.Node) else ()
            if isinstance(value, Host):  # the accelerator's output is the host function's input
                host_ops[index], value, shape = value.function, value.value, value.shape
            name = value.name if isinstance(value, Flat) else value
            if name == INPUT or not isinstance(name, str):
                raise UnsupportedModelError(f"{self.top} returns {output!r}, not a tensor "
                                            "computed from its input")
            names.append(name)
            shapes.append(shape)
        graph = Graph(name=self.graph_name, input_shape=self.input_shape, ops=self.ops,
                      output=names[0], output_shape=shapes[0], extra_outputs=names[1:],
                      extra_output_shapes=shapes[1:], host_ops=host_ops)
        graph.check()
        return graph

    # ---- op handlers ---------------------------------------------------------------------
    def conv2d(self, node, x, weight, bias=None, stride=1, padding=0, dilation=1, groups=1):
        w = self.parameter(node, weight)
        k = w.shape[2:]
        stride, dilation = _pair(stride), _pair(dilation)
        if isinstance(padding, str):
            if padding == "valid":
                padding = 0
            elif padding == "same" and all(d % 2 == 1 for d in k) and stride == (1, 1):
                padding = (dilation[0] * (k[0] - 1) // 2, dilation[1] * (k[1] - 1) // 2)
            else:
                self.fail(node, f"padding={padding!r} is not supported with kernel {k} stride {stride}")
        padding = _pair(padding)
        if w.ndim != 4:
            self.fail(node, f"a {w.ndim - 2}-D convolution is not supported (Conv2d only)")
        self.check_window(node, k, stride)
        extent = tuple(d * (kk - 1) + 1 for d, kk in zip(dilation, k))
        if any(p > e // 2 for p, e in zip(padding, extent)):
            self.fail(node, f"padding={padding} exceeds half the kernel {k[0]}x{k[1]}"
                            + (f" dilated by {dilation}" if dilation != (1, 1) else ""))
        b = self.parameter(node, bias)
        self.emit(node, Conv2d, [self.tensor(node, x)], weight=w,
                  bias=b if b is not None else np.zeros(w.shape[0], np.float32),
                  stride=stride, padding=padding, groups=int(groups), dilation=dilation)

    def check_window(self, node, k, stride):
        if max(k) > MAX_CONV_KERNEL:
            self.fail(node, f"kernel {k[0]}x{k[1]} is larger than "
                            f"{MAX_CONV_KERNEL}x{MAX_CONV_KERNEL}")
        if any(s < 1 or s > MAX_CONV_STRIDE for s in stride):
            self.fail(node, f"stride={stride} is not supported (1 to {MAX_CONV_STRIDE})")

    def convolution(self, node, x, weight, bias, stride, padding, dilation, transposed,
                    output_padding, groups):
        if transposed:
            return self.conv_transpose2d(node, x, weight, bias, stride, padding, output_padding,
                                         groups, dilation)
        self.conv2d(node, x, weight, bias, stride, padding, dilation, groups)

    def linear(self, node, x, weight, bias=None):
        source = self.values.get(x)
        if not isinstance(source, Flat):
            self.fail(node, "must be applied to a flattened (N, features) tensor; Linear over "
                            "the last axis of a 4-D tensor is not supported")
        c, h, w = self.shape_of(source.name)
        wt = self.parameter(node, weight)
        if wt.shape[1] != c * h * w:
            self.fail(node, f"expects {wt.shape[1]} features but its input has {c * h * w}")
        b = self.parameter(node, bias)
        # Linear over a flattened C x H x W map is a convolution whose kernel covers the map.
        self.emit(node, Conv2d, [source.name], flat=True, weight=wt.reshape(-1, c, h, w),
                  bias=b if b is not None else np.zeros(wt.shape[0], np.float32),
                  stride=(1, 1), padding=(0, 0), from_linear=True)

    def batch_norm(self, node, x, weight, bias, mean, var, training, momentum, eps,
                   cudnn_enabled=False):
        if training:
            self.fail(node, "runs in training mode: call model.eval() before compiling")
        self.batch_norm_eval(node, x, weight, bias, mean, var, momentum, eps)

    def batch_norm_eval(self, node, x, weight, bias, mean, var, momentum, eps):
        source = self.values.get(x)
        name = self.tensor(node, x, flat_ok=True)
        if isinstance(source, Flat) and self.shape_of(name)[1:] != (1, 1):
            self.fail(node, "BatchNorm over a flattened feature map is not supported")
        mean, var = self.parameter(node, mean), self.parameter(node, var)
        gamma = self.parameter(node, weight)
        beta = self.parameter(node, bias)
        gamma = np.ones_like(mean) if gamma is None else gamma
        beta = np.zeros_like(mean) if beta is None else beta
        scale = (gamma / np.sqrt(var.astype(np.float64) + eps)).astype(np.float32)
        shift = (beta - mean * scale).astype(np.float32)
        self.emit(node, ScaleShift, [name], flat=isinstance(source, Flat), scale=scale, shift=shift)

    def native_batch_norm(self, node, *args):
        self.batch_norm_eval(node, *args)
        self.values[node] = (self.values[node],)  # (output, saved statistics...): read by getitem

    def getitem(self, node, source, index):
        value = self.values.get(source)
        if isinstance(value, tuple):
            if index != 0:
                self.fail(node, "uses a secondary output (such as max-pool indices or batch "
                                "statistics), which is not supported")
            self.values[node] = value[0]
        else:
            self.fail(node, "indexes into a tensor, which is not supported")

    def activation(self, node, x, kind, slope=0.0):
        source = self.values.get(x)
        self.emit(node, ActivationOp, [self.tensor(node, x, flat_ok=True)],
                  flat=isinstance(source, Flat), activation=Activation(kind, float(slope)))

    def relu(self, node, x):
        self.activation(node, x, "relu")

    def relu6(self, node, x):
        self.activation(node, x, "relu6")

    def hardtanh(self, node, x, min_val=-1.0, max_val=1.0):
        if (min_val, max_val) != (0.0, 6.0):
            return self.table(node, x, "hardtanh", float(min_val), float(max_val))
        self.activation(node, x, "relu6")

    def clamp(self, node, x, min=None, max=None):  # noqa: A002 (aten's argument names)
        if min == 0 and max is None:
            return self.activation(node, x, "relu")
        if min == 0 and max == 6:
            return self.activation(node, x, "relu6")
        if isinstance(min, (int, float)) and isinstance(max, (int, float)):
            return self.table(node, x, "hardtanh", float(min), float(max))
        self.fail(node, f"clamp({min}, {max}) is not supported; only clamp between two numbers")

    def leaky_relu(self, node, x, negative_slope=0.01):
        if negative_slope < 0:
            self.fail(node, f"negative_slope={negative_slope} < 0 is not supported")
        self.activation(node, x, "leaky_relu", negative_slope)

    def pool_args(self, node, x, kernel, stride, padding, ceil_mode):
        kernel, padding = _pair(kernel), _pair(padding)
        stride = _pair(stride) if stride not in (None, []) else kernel
        if max(kernel) > MAX_KERNEL:
            self.fail(node, f"pooling window {kernel[0]}x{kernel[1]} is larger than "
                            f"{MAX_KERNEL}x{MAX_KERNEL} (use global average pooling)")
        if any(s < 1 or s > k for s, k in zip(stride, kernel)):
            self.fail(node, f"stride={stride} must be between 1 and the window {kernel}")
        if any(p > k // 2 for p, k in zip(padding, kernel)):
            self.fail(node, f"padding={padding} exceeds half the window {kernel}")
        name = self.tensor(node, x)
        _, h, w = self.shape_of(name)
        floor_shape = tuple((n + 2 * p - k) // s + 1
                            for n, p, k, s in zip((h, w), padding, kernel, stride))
        if ceil_mode and floor_shape != self.out_shape(node)[1:]:
            self.fail(node, "ceil_mode=True changes the output size here and is not supported")
        return name, kernel, stride, padding

    def max_pool2d(self, node, x, kernel, stride=None, padding=0, dilation=1, ceil_mode=False):
        if _pair(dilation) != (1, 1):
            self.fail(node, f"dilation={dilation} is not supported")
        name, kernel, stride, padding = self.pool_args(node, x, kernel, stride, padding, ceil_mode)
        self.emit(node, MaxPool, [name], kernel=kernel, stride=stride, padding=padding)

    def max_pool2d_with_indices(self, node, *args, **kwargs):
        self.max_pool2d(node, *args, **kwargs)
        self.values[node] = (self.values[node],)

    def avg_pool2d(self, node, x, kernel, stride=None, padding=0, ceil_mode=False,
                   count_include_pad=True, divisor_override=None):
        if divisor_override is not None:
            self.fail(node, "divisor_override is not supported")
        if not count_include_pad and _pair(padding) != (0, 0):
            self.fail(node, "count_include_pad=False with padding is not supported")
        name, kernel, stride, padding = self.pool_args(node, x, kernel, stride, padding, ceil_mode)
        self.emit(node, AvgPool, [name], kernel=kernel, stride=stride, padding=padding)

    def adaptive_avg_pool2d(self, node, x, output_size):
        name = self.tensor(node, x)
        _, h, w = self.shape_of(name)
        oh, ow = _pair(output_size)
        oh, ow = oh or h, ow or w
        if h % oh or w % ow:
            self.fail(node, f"adaptive pooling of {h}x{w} to {oh}x{ow} needs uneven windows; "
                            "only output sizes that divide the input are supported")
        window = (h // oh, w // ow)
        self.emit(node, AvgPool, [name], kernel=window, stride=window, padding=(0, 0))

    def mean(self, node, x, dims, keepdim=False, dtype=None):
        name = self.tensor(node, x)
        if sorted(d % 4 for d in dims) != [2, 3]:
            self.fail(node, f"mean over dims {dims} is not supported; only over H and W (2, 3)")
        _, h, w = self.shape_of(name)
        self.emit(node, AvgPool, [name], flat=not keepdim, kernel=(h, w), stride=(h, w),
                  padding=(0, 0))

    def add(self, node, a, b, alpha=1):
        if isinstance(b, (int, float)) and isinstance(a, torch.fx.Node):
            return self.constant_function(node, a, "offset", alpha * b)
        if not (isinstance(a, torch.fx.Node) and isinstance(b, torch.fx.Node)) or \
                not all(isinstance(self.values.get(v), (str, Flat)) for v in (a, b)):
            self.fail(node, "adds a constant tensor; only the sum of two activation tensors "
                            "(a residual connection) or of a tensor and a number is supported")
        if alpha != 1:
            self.fail(node, f"alpha={alpha} is not supported")
        names = [self.tensor(node, v, flat_ok=True) for v in (a, b)]
        shapes = [self.shape_of(n) for n in names]
        if shapes[0] != shapes[1] or tuple(a.meta["val"].shape) != tuple(b.meta["val"].shape):
            self.fail(node, f"adds tensors of different shapes {tuple(a.meta['val'].shape)} and "
                            f"{tuple(b.meta['val'].shape)}; broadcasting is not supported")
        self.emit(node, Add, names, flat=isinstance(self.values[a], Flat))

    def reshape(self, node, x, *shape_args):
        source = self.values.get(x)
        name = self.tensor(node, x, flat_ok=True)
        c, h, w = self.shape_of(name)
        in_shape = tuple(x.meta["val"].shape[1:])
        out_shape = tuple(node.meta["val"].shape[1:])
        if out_shape == in_shape:
            self.values[node] = source
        elif out_shape == (c * h * w,):
            self.values[node] = Flat(name)
        else:
            self.fail(node, f"reshapes {in_shape} to {out_shape}; only flattening each image "
                            "to a vector is supported")

    def identity(self, node, x, *args, **kwargs):
        self.values[node] = self.values[x]

    def shape_of(self, name):
        if name == INPUT:
            return self.input_shape
        return next(op.out_shape for op in self.ops if op.name == name)


def _overload(path: str):
    """aten overload by dotted name, or None where this torch build lacks it."""
    packet, overload = path.rsplit(".", 1)
    return getattr(getattr(aten, packet, None), overload, None)


_HANDLERS_BY_NAME = {
    "conv2d.default": Translator.conv2d,
    "conv2d.padding": Translator.conv2d,
    "convolution.default": Translator.convolution,
    "linear.default": Translator.linear,
    "batch_norm.default": Translator.batch_norm,
    "_native_batch_norm_legit_no_training.default": Translator.native_batch_norm,
    "relu.default": Translator.relu,
    "relu6.default": Translator.relu6,
    "hardtanh.default": Translator.hardtanh,
    "clamp.default": Translator.clamp,
    "leaky_relu.default": Translator.leaky_relu,
    "max_pool2d.default": Translator.max_pool2d,
    "max_pool2d_with_indices.default": Translator.max_pool2d_with_indices,
    "avg_pool2d.default": Translator.avg_pool2d,
    "adaptive_avg_pool2d.default": Translator.adaptive_avg_pool2d,
    "_adaptive_avg_pool2d.default": Translator.adaptive_avg_pool2d,
    "mean.dim": Translator.mean,
    "add.Tensor": Translator.add,
    "conv_transpose2d.input": Translator.conv_transpose2d,
    "cat.default": Translator.cat,
    "upsample_nearest2d.vec": Translator.upsample_nearest,
    "upsample_nearest2d.default": Translator.upsample_nearest_sizes,
    "upsample_bilinear2d.vec": Translator.upsample_bilinear,
    "upsample_bilinear2d.default": Translator.upsample_bilinear_sizes,
    "sigmoid.default": Translator.unary("sigmoid"),
    "tanh.default": Translator.unary("tanh"),
    "silu.default": Translator.unary("silu"),
    "hardswish.default": Translator.unary("hardswish"),
    "hardsigmoid.default": Translator.unary("hardsigmoid"),
    "mish.default": Translator.unary("mish"),
    "gelu.default": Translator.gelu,
    "elu.default": Translator.elu,
    "softplus.default": Translator.softplus,
    "prelu.default": Translator.prelu,
    "_prelu_kernel.default": Translator.prelu,
    "mul.Tensor": Translator.mul,
    "div.Tensor": Translator.div,
    "softmax.int": Translator.softmax,
    "_softmax.default": Translator.softmax,
    "argmax.default": Translator.argmax,
    "view.default": Translator.reshape,
    "reshape.default": Translator.reshape,
    "_unsafe_view.default": Translator.reshape,
    "flatten.using_ints": Translator.reshape,
    "dropout.default": Translator.identity,
    "feature_dropout.default": Translator.identity,
    "clone.default": Translator.identity,
    "alias.default": Translator.identity,
    "detach.default": Translator.identity,
    "contiguous.default": Translator.identity,
}
HANDLERS = {_overload(name): handler for name, handler in _HANDLERS_BY_NAME.items()
            if _overload(name) is not None}
HANDLERS[operator.getitem] = Translator.getitem
# Nodes that carry no data: shape assertions torch.export inserts.
IGNORED = {op for op in map(_overload, ("_assert_tensor_metadata.default", "_assert_scalar.default",
                                        "sym_constrain_range_for_size.default")) if op is not None}
