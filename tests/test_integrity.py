"""The check values the hardware verifies (backend/integrity.py, docs/program.md "Integrity")."""

import struct
import zlib

import numpy as np
import torch
import torch.nn as nn

import tessel
from tessel.backend.integrity import beat_checks, tile_expectation, weight_prefix_sums
from tessel.backend.program import decode_program, header_bytes


def test_beat_checks_are_crc32_of_index_and_beat(rng):
    data = rng.integers(0, 256, 16 * 50, dtype=np.uint8).tobytes()
    want = [zlib.crc32(struct.pack("<I", 7 + i) + data[16 * i:16 * (i + 1)]) for i in range(50)]
    assert beat_checks(data, 16, first_index=7).tolist() == want


def test_tile_expectation_is_the_sum_over_the_tiles_beats(rng):
    groups, beats_per_group, beat = 6, 12, 8
    data = rng.integers(0, 256, groups * beats_per_group * beat, dtype=np.uint8).tobytes()
    prefix = weight_prefix_sums(data, groups, beat)
    for first, count in ((0, 6), (0, 2), (2, 3), (5, 1)):
        start = first * beats_per_group
        tile = data[start * beat:(start + count * beats_per_group) * beat]
        direct = sum(zlib.crc32(struct.pack("<I", start + i) + tile[i * beat:(i + 1) * beat])
                     for i in range(count * beats_per_group)) % 2**32
        assert tile_expectation(prefix, first, count) == direct


def test_a_changed_or_moved_beat_changes_the_sum(rng):
    data = bytearray(rng.integers(0, 256, 64 * 16, dtype=np.uint8).tobytes())
    total = weight_prefix_sums(bytes(data), 1, 16)[-1]
    flipped = bytearray(data)
    flipped[100] ^= 0x10
    swapped = data[16:32] + data[:16] + data[32:]
    assert weight_prefix_sums(bytes(flipped), 1, 16)[-1] != total
    assert weight_prefix_sums(bytes(swapped), 1, 16)[-1] != total


def test_compiled_program_carries_its_checks():
    torch.manual_seed(0)
    model = nn.Sequential(nn.Conv2d(3, 20, 3), nn.ReLU(), nn.MaxPool2d(2), nn.Conv2d(20, 9, 1)).eval()
    ex = tessel.compile(model, torch.rand(4, 3, 10, 10), target="small").executable
    header, records = decode_program(ex.config, ex.program)
    assert header["crc"] == zlib.crc32(ex.program[header_bytes():])
    for layer, record in zip(ex.layers, records):
        region = ex.memory[f"params/{layer.hw.name}"]
        assert record["param_crc"] == zlib.crc32(ex.image[region.offset:region.end])
