"""The records the hardware reads: the compute core's tile descriptor, the per-channel parameter
records (docs/hardware.md) and the program's layer record (docs/program.md), with the sizes in
DRAM that the back end writes and the cost model times.

One tile = one layer's work on the data resident in the core's buffers: the output rows
[oy0, oy0+oh) x columns [ox0, ox0+ow) of every output channel group, read from an input tile
whose image origin is (iy0, ix0). Widths that depend on buffer sizes come from the config.
"""

from functools import cache
from math import ceil, log2

from ..config import HardwareConfig
from .fields import Field, Record

OP_CONV, OP_MAXPOOL, OP_AVGPOOL = 0, 1, 2
COORD = 12   # image coordinates and sizes up to 4095
KERNEL = 8   # kernel / pooling window up to 255 (a Linear's kernel is its whole input)
RECORD_ALIGN = 64   # bytes: a program record is fetched with whole bursts
CHECK_BITS = 32     # a parameter word's weight check sum (backend/integrity.py)


def addr_bits(words: int) -> int:
    return max(1, ceil(log2(words)))


def layer_fields() -> list[Field]:
    """What a layer computes: shared by the program's layer record and the core's tile
    descriptor (the tiling controller copies them from one to the other by name)."""
    return [
        Field("op", 2, "0 conv, 1 max pool (also elementwise: 1x1), 2 average pool"),
        Field("kh", KERNEL, "kernel / window rows"),
        Field("kw", KERNEL, "kernel / window columns"),
        Field("sy", 3, "vertical stride"),
        Field("sx", 3, "horizontal stride"),
        Field("py", 4, "top padding rows"),
        Field("px", 4, "left padding columns"),
        Field("cols", 5, "output pixels per pass (y_p, or fewer when the stride would make "
                         "two of them share an activation bank)"),
        Field("in_h", COORD, "input image rows"),
        Field("in_w", COORD, "input image columns"),
        Field("groups", 10, "input channel groups reduced per output (conv)"),
        Field("c_last", 6, "valid channels in the last input group (for the lane counter)"),
        Field("ow", COORD, "output columns"),
        Field("act_wb", COORD, "activation words per bank per row"),
        Field("out_wb", COORD, "output words per bank per row"),
        Field("pad_value", 8, "code inserted for padding (the input zero point; 0 for max pooling)"),
        Field("a_zero", 8, "stage A: output zero point"),
        Field("a_min", 8, "stage A: clamp low"),
        Field("a_max", 8, "stage A: clamp high"),
        Field("avg_area", 16, "average pooling: window area (divisor)"),
        Field("avg_mult", 32, "average pooling: reciprocal multiplier (checked exact)"),
        Field("avg_shift", 6, "average pooling: reciprocal shift"),
        Field("b_en", 1, "stage B (elementwise requantization) on"),
        Field("res_en", 1, "stage B reads the residual buffer (residual add)"),
        Field("b_x_zero", 8, "stage B: zero point of its x input (stage A's output)"),
        Field("b_u_zero", 8, "stage B: zero point of the residual input"),
        Field("b_zero", 8, "stage B: output zero point"),
        Field("b_min", 8, "stage B: clamp low"),
        Field("b_max", 8, "stage B: clamp high"),
    ]


@cache
def tile_record(config: HardwareConfig) -> Record:
    b = config.buffers
    act = addr_bits(b.act_bank_words)
    out = addr_bits(b.out_bank_words)
    return Record("tile_desc", "one tile of one layer for the compute core", [
        *layer_fields(),
        Field("iy0", COORD, "image row of the activation tile's first row"),
        Field("ix0", COORD, "image column of the activation tile's first column"),
        Field("ih", COORD, "rows held per channel group in the activation tile"),
        Field("act_base", act, "first word of the activation tile in every bank"),
        Field("oy0", COORD, "first output row of the tile (image coordinates)"),
        Field("ox0", COORD, "first output column of the tile"),
        Field("oh", COORD, "output rows in the tile"),
        Field("kgroups", 10, "output channel groups (conv: ceil(K / k_p); pooling: input groups)"),
        Field("k_last", 6, "valid channels in the last output group (for the lane counter)"),
        Field("wt_base", addr_bits(b.weight_words), "first weight word"),
        Field("param_base", addr_bits(b.param_words), "parameter word of the first output group"),
        Field("out_base", out, "first word of the output tile in every output bank"),
        Field("res_base", out, "first word of the residual tile in every residual bank"),
    ])


PARAM_CHANNEL = Record("param_chan", "per-output-channel post-processing parameters", [
    Field("a_bias", 32, "stage A: int32 bias (zero point folded in)", signed=True),
    Field("a_mult", 32, "stage A: requantization multiplier", signed=True),
    Field("a_shift", 6, "stage A: requantization shift"),
    Field("b_mpos", 32, "stage B: multiplier of (x - zx) when x >= zx", signed=True),
    Field("b_mneg", 32, "stage B: multiplier of (x - zx) when x < zx", signed=True),
    Field("b_mu", 32, "stage B: multiplier of (u - zu), the residual", signed=True),
    Field("b_bias", 64, "stage B: bias at 2^-shift", signed=True),
    Field("b_shift", 6, "stage B: shift"),
])


@cache
def layer_record(config: HardwareConfig) -> Record:
    addr = config.axi.addr_width
    return Record("layer_desc", "one hardware layer of the program", [
        *layer_fields(),
        Field("oh", COORD, "output rows"),
        Field("kgroups", 10, "output channel groups"),
        Field("k_last", 6, "valid channels in the last output group"),
        Field("tile_rows", COORD, "output rows per tile"),
        Field("tile_kgroups", 10, "output channel groups per tile"),
        Field("order", 1, "0 weight-stationary (blocks outer), 1 input-stationary (bands outer)"),
        Field("in_addr", addr, "DRAM address of the input tensor"),
        Field("res_addr", addr, "DRAM address of the residual / second input tensor"),
        Field("out_addr", addr, "DRAM address of the output tensor"),
        Field("wt_addr", addr, "DRAM address of the weights"),
        Field("param_addr", addr, "DRAM address of the parameter words"),
        Field("param_crc", 32, "CRC-32 of the layer's parameter words (kgroups words)"),
    ])


def record_bytes(config: HardwareConfig) -> int:
    return ceil(ceil(layer_record(config).width / 8) / RECORD_ALIGN) * RECORD_ALIGN


def param_word_bytes(config: HardwareConfig) -> int:
    """DRAM bytes per parameter word (one output group), a whole number of bus beats: k_p
    channel records, then the group's weight check (integrity.weight_prefix_sums)."""
    beat = config.axi.data_width // 8
    return ceil((config.array.k_p * PARAM_CHANNEL.width + CHECK_BITS) / 8 / beat) * beat
