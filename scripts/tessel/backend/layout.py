"""Where the compute core keeps tensors: word packing and buffer addressing (docs/hardware.md).

An activation tensor (C, H, W) is a sequence of words of c_p bytes: word (g, y, x) holds
channels g*c_p .. g*c_p + c_p - 1 of pixel (y, x), channel g*c_p + l in byte l (channels past
C read 0). The same order is the DRAM layout, so a tile row is one contiguous run of words.
"""

from math import ceil

import numpy as np


def channel_groups(channels: int, width: int) -> int:
    return ceil(channels / width)


def to_words(tensor: np.ndarray, width: int) -> np.ndarray:
    """(C, H, W) uint8 -> (G, H, W, width) uint8, padded channels zero."""
    c, h, w = tensor.shape
    out = np.zeros((channel_groups(c, width) * width, h, w), np.uint8)
    out[:c] = tensor
    return out.reshape(-1, width, h, w).transpose(0, 2, 3, 1)


def from_words(words: np.ndarray, channels: int) -> np.ndarray:
    """(G, H, W, width) -> (channels, H, W)."""
    g, h, w, width = words.shape
    return words.transpose(0, 3, 1, 2).reshape(g * width, h, w)[:channels]


def pack(values: np.ndarray) -> int:
    """Bytes (last axis fastest) -> one little-endian integer word."""
    return int.from_bytes(np.ascontiguousarray(values, dtype=np.uint8).tobytes(), "little")


def unpack(word: int, nbytes: int) -> np.ndarray:
    return np.frombuffer(int(word).to_bytes(nbytes, "little"), np.uint8).copy()


class BankedLayout:
    """A tensor tile spread over `banks` banks by column: word (g, y, x) is in bank
    x mod banks at base + (g * rows + y) * row_words + x // banks."""

    def __init__(self, banks: int, rows: int, cols: int, base: int = 0):
        self.banks, self.rows, self.cols, self.base = banks, rows, cols, base
        self.row_words = ceil(cols / banks)

    def words_per_bank(self, groups: int) -> int:
        return groups * self.rows * self.row_words

    def place(self, g: int, y: int, x: int) -> tuple[int, int]:
        return x % self.banks, self.base + (g * self.rows + y) * self.row_words + x // self.banks

    def writes(self, words: np.ndarray):
        """(bank, address, word) for every word of a (G, rows, cols, width) tile."""
        groups, rows, cols, _ = words.shape
        for g in range(groups):
            for y in range(rows):
                for x in range(cols):
                    yield (*self.place(g, y, x), pack(words[g, y, x]))
