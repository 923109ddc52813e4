"""The program the accelerator runs: a header, then one record per hardware layer (docs/program.md).

Records are packed bit fields (plan/fields.py; the layer record is in plan/descriptor.py), stored
little-endian and padded to 64 bytes, so the controller fetches a record with whole bursts and
reads it as the generated SV struct. The header
repeats the build parameters the program was compiled for; the hardware compares them with its
own and refuses a program compiled for another configuration. The header's CRC covers the
records, a record's CRC its parameter words, and the parameter words carry the weights' check
sums (integrity.py), so the hardware verifies everything it reads before it uses it.
"""

from math import ceil

from ..config import HardwareConfig
from ..plan.descriptor import RECORD_ALIGN, layer_record, record_bytes
from ..plan.fields import Field, Record
from .integrity import crc32

MAGIC = 0x4C535354  # "TSSL" as little-endian bytes
VERSION = 2
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


def header_bytes() -> int:
    return ceil(ceil(HEADER.width / 8) / RECORD_ALIGN) * RECORD_ALIGN


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
