"""The integer IR's operations.

Every op reads uint8 tensors (one image: channels x height x width) and writes one uint8
tensor with its own QParams. The float fields describe the layer as imported from PyTorch;
the quantizer fills each op's `quant` with the integer parameters the golden model and the
hardware execute. docs/quantization.md states the arithmetic of each op exactly.
"""

from dataclasses import dataclass, field

import numpy as np

from .qparams import QParams

ACTIVATIONS = ("none", "relu", "relu6", "leaky_relu")


@dataclass(frozen=True)
class Activation:
    """An activation function: fused into an op, or standalone (ActivationOp)."""
    kind: str = "none"
    negative_slope: float = 0.0  # leaky_relu only

    def __post_init__(self):
        if self.kind not in ACTIVATIONS:
            raise ValueError(f"unknown activation {self.kind!r}")

    def __str__(self):
        return f"leaky_relu({self.negative_slope:g})" if self.kind == "leaky_relu" else self.kind


# ---- integer parameters, filled by the quantizer -------------------------------------------

@dataclass
class ConvQuant:
    weight: np.ndarray        # int8 [K, C, KH, KW], symmetric, in [-127, 127]
    weight_scale: np.ndarray  # float64 [K]
    bias: np.ndarray          # int32 [K], at scale s_in * weight_scale
    multiplier: np.ndarray    # int64 [K], in [2^30, 2^31) (or smaller when shift hit 62)
    shift: np.ndarray         # int64 [K], in [1, 62]
    clamp_min: int
    clamp_max: int


@dataclass
class AddQuant:
    multiplier_a: int  # int32 multipliers of the two inputs, one shared shift
    multiplier_b: int
    shift: int
    clamp_min: int
    clamp_max: int


@dataclass
class AvgPoolQuant:
    divisor: int  # the window area, padding included: y = round_half_even(sum / divisor)


@dataclass
class ScaleShiftQuant:
    multiplier: np.ndarray  # int64 [K], signed (a BatchNorm gamma may be negative)
    bias: np.ndarray        # int64 [K], at scale s_out * 2^-shift
    shift: np.ndarray       # int64 [K]
    clamp_min: int
    clamp_max: int


@dataclass
class ActivationQuant:
    multiplier_pos: int  # for inputs >= zero point
    multiplier_neg: int  # for inputs < zero point (negative_slope * multiplier_pos)
    shift: int
    clamp_min: int
    clamp_max: int


@dataclass
class ConcatQuant:
    multiplier: list[int]  # per input: M_i / 2^S_i ~ s_i / s_out (exactly 1 when QParams agree)
    shift: list[int]


@dataclass
class MulQuant:
    multiplier: int  # M / 2^S ~ s_a * s_b / s_out
    shift: int


@dataclass
class TableQuant:
    table: np.ndarray  # uint8 [256]: y = table[x]


# ---- operations ----------------------------------------------------------------------------

@dataclass(eq=False)
class Op:
    name: str                        # unique in the graph, derived from the PyTorch module path
    inputs: list[str]                # names of producing ops (or the graph input)
    out_shape: tuple[int, int, int]  # channels, height, width of one image
    source: str                      # where it came from in the user's model, for messages
    out_q: QParams | None = field(default=None, kw_only=True)

    kind = "op"

    def describe(self) -> str:
        return self.kind


@dataclass(eq=False)
class Conv2d(Op):
    """Convolution (also Linear, lowered to a convolution whose kernel covers its input)."""
    weight: np.ndarray        # float32 [K, C, KH, KW]
    bias: np.ndarray          # float32 [K]
    stride: tuple[int, int]
    padding: tuple[int, int]  # zero padding in real terms: the input zero point in uint8
    activation: Activation = Activation()
    from_linear: bool = False
    quant: ConvQuant | None = None
    groups: int = 1                     # weight is [K, C / groups, KH, KW]; C = groups: depthwise
    dilation: tuple[int, int] = (1, 1)  # spacing of the kernel taps over the input

    kind = "conv2d"

    @property
    def kernel(self) -> tuple[int, int]:
        return tuple(self.weight.shape[2:])

    def macs(self) -> int:
        k, c, kh, kw = self.weight.shape
        return k * c * kh * kw * self.out_shape[1] * self.out_shape[2]

    def nonzero_weight_macs(self) -> int:
        w = self.quant.weight if self.quant is not None else self.weight
        return int(np.count_nonzero(w)) * self.out_shape[1] * self.out_shape[2]

    def describe(self) -> str:
        k, c, kh, kw = self.weight.shape
        name = "linear" if self.from_linear else f"conv{kh}x{kw}/s{self.stride[0]}"
        if self.dilation != (1, 1):
            name += f"/d{self.dilation[0]}"
        if self.groups > 1:
            name = ("dw" if c == 1 else f"g{self.groups} ") + name
        act = "" if self.activation.kind == "none" else f"+{self.activation}"
        return f"{name} {c * self.groups}->{k}{act}"


@dataclass(eq=False)
class Add(Op):
    """Elementwise sum of two tensors of the same shape (a residual connection)."""
    activation: Activation = Activation()
    quant: AddQuant | None = None

    kind = "add"

    def describe(self) -> str:
        return "add" + ("" if self.activation.kind == "none" else f"+{self.activation}")


@dataclass(eq=False)
class MaxPool(Op):
    kernel: tuple[int, int]
    stride: tuple[int, int]
    padding: tuple[int, int]

    kind = "max_pool"

    def describe(self) -> str:
        return f"maxpool{self.kernel[0]}x{self.kernel[1]}/s{self.stride[0]}"


@dataclass(eq=False)
class AvgPool(Op):
    """Average pooling, padding counted in the divisor (global pooling: the window is the
    whole input)."""
    kernel: tuple[int, int]
    stride: tuple[int, int]
    padding: tuple[int, int]
    quant: AvgPoolQuant | None = None

    kind = "avg_pool"

    def describe(self) -> str:
        return f"avgpool{self.kernel[0]}x{self.kernel[1]}/s{self.stride[0]}"


@dataclass(eq=False)
class ScaleShift(Op):
    """Per-channel y = x * scale + shift: a BatchNorm that no convolution could absorb."""
    scale: np.ndarray  # float32 [C]
    shift: np.ndarray  # float32 [C]
    activation: Activation = Activation()
    quant: ScaleShiftQuant | None = None

    kind = "scale_shift"

    def describe(self) -> str:
        return "scale_shift" + ("" if self.activation.kind == "none" else f"+{self.activation}")


@dataclass(eq=False)
class ActivationOp(Op):
    """A standalone activation (one not directly after a convolution, add or scale-shift)."""
    activation: Activation = Activation()
    quant: ActivationQuant | None = None

    kind = "activation"

    def describe(self) -> str:
        return str(self.activation)


@dataclass(eq=False)
class ConvTranspose2d(Op):
    """Transposed convolution (groups=1): each input pixel scatters weight[c] into a
    KH x KW window of the output, windows `stride` apart."""
    weight: np.ndarray        # float32 [C, K, KH, KW] (PyTorch's layout: input channels first)
    bias: np.ndarray          # float32 [K]
    stride: tuple[int, int]
    padding: tuple[int, int]  # rows/columns cropped from each side of the full output
    output_padding: tuple[int, int] = (0, 0)  # extra rows/columns kept at the bottom/right
    quant: ConvQuant | None = None  # weight int8 [C, K, KH, KW], one scale per output channel K

    kind = "conv_transpose2d"

    def macs(self) -> int:
        c, k, kh, kw = self.weight.shape
        in_h, in_w = self.in_size
        return c * k * kh * kw * in_h * in_w

    @property
    def kernel(self) -> tuple[int, int]:
        return tuple(self.weight.shape[2:])

    @property
    def in_size(self) -> tuple[int, int]:
        """The input's height and width, recovered from the output's."""
        return tuple((o + 2 * p - op - kk) // s + 1 for o, p, op, kk, s in
                     zip(self.out_shape[1:], self.padding, self.output_padding, self.kernel,
                         self.stride))

    def describe(self) -> str:
        c, k, kh, kw = self.weight.shape
        return f"convT{kh}x{kw}/s{self.stride[0]} {c}->{k}"


@dataclass(eq=False)
class Concat(Op):
    """Concatenation along channels: input i fills the next channels[i] channels. Each input is
    requantized to the output's QParams (docs/quantization.md)."""
    kind = "concat"
    quant: ConcatQuant | None = None

    def describe(self) -> str:
        return f"concat x{len(self.inputs)}"


@dataclass(eq=False)
class Upsample(Op):
    """Upsampling by integer factors: nearest (any factors) or bilinear (2x, half-pixel
    centres, PyTorch's align_corners=False). Output QParams = input QParams."""
    factor: tuple[int, int]
    mode: str = "nearest"

    kind = "upsample"

    def __post_init__(self):
        if self.mode not in ("nearest", "bilinear"):
            raise ValueError(f"unknown upsampling mode {self.mode!r}")
        if self.mode == "bilinear" and tuple(self.factor) != (2, 2):
            raise ValueError(f"bilinear upsampling is defined for 2x only, not {self.factor}")

    def describe(self) -> str:
        return f"upsample{self.factor[0]}x{self.factor[1]} {self.mode}"


@dataclass(eq=False)
class Table(Op):
    """Any elementwise function of one tensor, as a 256-entry uint8 -> uint8 table built from
    the float function (ir/functions.py) and the input and output QParams."""
    function: str
    parameters: tuple[float, ...] = ()  # e.g. PReLU's slope
    quant: TableQuant | None = None

    kind = "table"

    def describe(self) -> str:
        args = f"({', '.join(f'{p:g}' for p in self.parameters)})" if self.parameters else ""
        return f"table {self.function}{args}"


@dataclass(eq=False)
class Mul(Op):
    """Elementwise product of two tensors; the second may be [C, 1, 1], broadcast over the
    pixels (a squeeze-excite gate)."""
    quant: MulQuant | None = None

    kind = "mul"

    def describe(self) -> str:
        return "mul"
