"""Check values the hardware verifies before it uses what it reads (docs/program.md, "Integrity").

- The program: CRC-32 (IEEE 802.3, as zlib.crc32) of its layer records, in the header. The
  controller reads the records once and compares before it runs the first layer.
- Parameters: CRC-32 of a layer's parameter words, in its record (which the program CRC covers),
  compared when the words are loaded, before any tile of the layer.
- Weights: a layer's weights are read tile by tile, by several AXI masters at once and in any
  order, so no single CRC stream sees them in order. Each bus beat is checked on its own: its
  CRC-32 with its index (the beat's place in the layer's weight region, 4 bytes little-endian,
  before the beat), and the 32-bit sum of those over a tile's beats is compared with the sum the
  compiler wrote. Sums compose over masters and tiles; a changed beat changes its term, a moved
  one its index. The sums are prefix sums per output group, in the parameter words (covered by
  the parameter CRC), so a tile of groups [g0, g1) expects prefix[g1 - 1] - prefix[g0 - 1].
"""

import zlib
from functools import cache

import numpy as np

INDEX_BYTES = 4


def crc32(data: bytes) -> int:
    return zlib.crc32(data) & 0xFFFF_FFFF


@cache
def _beat_tables(beat_bytes: int) -> tuple[np.ndarray, int]:
    """CRC-32 of a fixed-length message is affine in its bytes: crc(m) = crc(0) ^ XOR over
    positions p of T[p][m[p]], with T[p][v] = crc(v at p, zeros elsewhere) ^ crc(0)."""
    length = INDEX_BYTES + beat_bytes
    zero = crc32(bytes(length))
    tables = np.zeros((length, 256), np.uint32)
    for p in range(length):
        for v in range(1, 256):
            message = bytearray(length)
            message[p] = v
            tables[p, v] = crc32(bytes(message)) ^ zero
    return tables, zero


def beat_checks(data: bytes, beat_bytes: int, first_index: int = 0) -> np.ndarray:
    """crc32(index as 4 bytes little-endian + beat) of every beat of `data`, as uint32."""
    beats = np.frombuffer(data, np.uint8).reshape(-1, beat_bytes)
    index = np.arange(first_index, first_index + len(beats), dtype="<u4").view(np.uint8)
    message = np.concatenate([index.reshape(-1, INDEX_BYTES), beats], axis=1)
    tables, zero = _beat_tables(beat_bytes)
    checks = np.full(len(beats), zero, np.uint32)
    for p in range(message.shape[1]):
        checks ^= tables[p][message[:, p]]
    return checks


def weight_prefix_sums(weights: bytes, groups: int, beat_bytes: int) -> list[int]:
    """Per output group g: the 32-bit sum of the beat checks of groups 0 .. g of a layer's
    weight region (`groups` equal parts, in address order)."""
    per_group = beat_checks(weights, beat_bytes).astype(np.uint64).reshape(groups, -1).sum(axis=1)
    return [int(s) & 0xFFFF_FFFF for s in np.cumsum(per_group)]


def tile_expectation(prefix: list[int], first_group: int, groups: int) -> int:
    """What the hardware expects for a tile loading `groups` output groups from `first_group`."""
    before = prefix[first_group - 1] if first_group else 0
    return (prefix[first_group + groups - 1] - before) & 0xFFFF_FFFF
