"""The program the accelerator runs: a header, then one record per hardware layer (docs/program.md).

Records are packed bit fields (fields.py), stored little-endian and padded to 64 bytes, so the
controller fetches a record with whole bursts and reads it as the generated SV struct. The header
repeats the build parameters the program was compiled for; the hardware compares them with its
own and refuses a program compiled for another configuration. The header's CRC covers the
records, a record's CRC its parameter words, and the parameter words carry the weights' check
sums (integrity.py), so the hardware verifies everything it reads before it uses it.
"""

from functools import cache
from math import ceil

from ..config import HardwareConfig
from .descriptor import COORD, layer_fields
from .fields import Field, Record
from .integrity import CHECK_BITS, crc32

MAGIC = 0x4C535354  # "TSSL" as little-endian bytes
VERSION = 2
RECORD_ALIGN = 64   # bytes
ORDER_WEIGHTS_OUTER, ORDER_INPUT_OUTER = 0, 1

# Build parameters in the header, in this order; each is a 32-bit field.
BUILD_PARAMETERS = ("k_p", "y_p", "c_p", "ppu_pixels", "act_bank_words", "weight_words",
                    "param_words", "out_bank_words", "axi_data_width")


def build_parameters(config: HardwareConfig) -> dict:
    a, b = config.array, config.buffers
    return dict(k_p=a.k_p, y_p=a.y_p, c_p=a.c_p, ppu_pixels=config.ppu.pixels,
                act_bank_words=b.act_bank_words, weight_words=b.weight_words,
                param_words=b.param_words, out_bank_words=b.out_bank_words,
                axi_data_width=config.axi.data_width)


HEADER = Record("program_header", "program header", [
    Field("magic", 32, "0x4C535354: the bytes 'TSSL'"),
    Field("version", 16, "program format version"),
    Field("record_bytes", 16, "bytes per layer record"),
    Field("layers", 16, "number of layer records after the header"),
    Field("flags", 16, "reserved, 0"),
    Field("crc", 32, "CRC-32 of the layer records (all `layers` x `record_bytes` bytes)"),
    *[Field(name, 32, f"build parameter {name} the program was compiled for")
      for name in BUILD_PARAMETERS],
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


def header_bytes() -> int:
    return ceil(ceil(HEADER.width / 8) / RECORD_ALIGN) * RECORD_ALIGN


def param_word_bytes(config: HardwareConfig) -> int:
    """DRAM bytes per parameter word (one output group), a whole number of bus beats: k_p
    channel records, then the group's weight check (integrity.weight_prefix_sums)."""
    from .descriptor import PARAM_CHANNEL
    beat = config.axi.data_width // 8
    return ceil((config.array.k_p * PARAM_CHANNEL.width + CHECK_BITS) / 8 / beat) * beat


def to_bytes(record: Record, size: int, **values) -> bytes:
    return record.encode(**values).to_bytes(size, "little")


def encode_program(config: HardwareConfig, layers: list[dict]) -> bytes:
    rb = record_bytes(config)
    records = b"".join(to_bytes(layer_record(config), rb, **fields) for fields in layers)
    header = to_bytes(HEADER, header_bytes(), magic=MAGIC, version=VERSION, record_bytes=rb,
                      layers=len(layers), crc=crc32(records), **build_parameters(config))
    return header + records


def decode_program(config: HardwareConfig, blob: bytes) -> tuple[dict, list[dict]]:
    """The inverse of encode_program (for reports and tests)."""
    header = HEADER.decode(int.from_bytes(blob[:header_bytes()], "little"))
    rb = header["record_bytes"]
    start = header_bytes()
    layers = [layer_record(config).decode(int.from_bytes(blob[start + i * rb:start + (i + 1) * rb], "little"))
              for i in range(header["layers"])]
    return header, layers


def field_table(record: Record) -> str:
    """The record's fields as a Markdown table (docs/program.md holds these verbatim)."""
    rows = [f"| `{f.name}` | {f.width} | {f.doc} |" for f in record.fields]
    return "\n".join(["| field | bits | meaning |", "|---|---|---|", *rows])
