"""The one training loop the zoo uses, and the weight cache keyed by the recipe."""

import contextlib
import hashlib
import json
import math
import os
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Callable

import torch
from torch import nn

from tessel.paths import cache_dir
from tessel.progress import estimate, note, progress
from tessel.zoo.datasets import Dataset, calibration_batch
from tessel.zoo.entry import ZooEntry, ZooListing

MAX_THREADS = 2


@dataclass(frozen=True)
class Recipe:
    """Everything that decides the trained weights. Change any field and the cache key changes."""
    architecture: str
    epochs: int
    batch_size: int
    learning_rate: float
    weight_decay: float
    max_shift: int          # random translation (pixels) applied to training images; 0 = none
    seed: int
    version: str            # bump when the training code changes in a way the fields do not show
    split_id: str = ""      # load_or_train fills it in from the Dataset, so a new split retrains too

    def key(self) -> str:
        text = json.dumps(asdict(self), sort_keys=True)
        return hashlib.sha256(text.encode()).hexdigest()[:12]


def cache_path(name: str, recipe: Recipe) -> Path:
    return cache_dir("zoo") / f"{name}-{recipe.key()}.pt"


def cached_accuracy(name: str, recipe: Recipe, split_id: str) -> float | None:
    """The float held-out accuracy of the cached weights, or None when not trained yet."""
    path = cache_path(name, replace(recipe, split_id=split_id))
    if not path.exists():
        return None
    return torch.load(path, map_location="cpu", weights_only=True)["test_accuracy"]


def weights_status(accuracy: float | None, recipe: Recipe) -> str:
    if accuracy is None:
        return f"not trained yet (trains on first use, {recipe.epochs} epochs)"
    return f"trained, float test accuracy {accuracy:.2%}"


@contextlib.contextmanager
def limited_threads(limit: int = MAX_THREADS):
    previous = torch.get_num_threads()
    torch.set_num_threads(min(limit, previous))
    try:
        yield
    finally:
        torch.set_num_threads(previous)


def random_shift(images: torch.Tensor, max_shift: int, generator: torch.Generator) -> torch.Tensor:
    """Translate each image by up to max_shift pixels, padding with zeros (the background)."""
    if max_shift == 0:
        return images
    n, _, h, w = images.shape
    padded = nn.functional.pad(images, (max_shift,) * 4)
    dy, dx = torch.randint(0, 2 * max_shift + 1, (2, n), generator=generator)
    rows = (dy[:, None] + torch.arange(h))[:, None, :, None]
    cols = (dx[:, None] + torch.arange(w))[:, None, None, :]
    return padded[torch.arange(n)[:, None, None, None], torch.arange(images.shape[1])[None, :, None, None],
                  rows, cols]


def train_classifier(model: nn.Module, data: Dataset, recipe: Recipe, *, desc: str) -> None:
    """Adam with a cosine learning-rate decay over all steps, cross-entropy loss."""
    generator = torch.Generator().manual_seed(recipe.seed)
    steps_per_epoch = math.ceil(len(data.train_x) / recipe.batch_size)
    optimizer = torch.optim.Adam(model.parameters(), lr=recipe.learning_rate, weight_decay=recipe.weight_decay)
    schedule = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=recipe.epochs * steps_per_epoch)
    loss_fn = nn.CrossEntropyLoss()
    model.train()
    epochs = progress(range(recipe.epochs), desc=desc, total=recipe.epochs, unit="epoch")
    start = time.perf_counter()
    for epoch in epochs:
        order = torch.randperm(len(data.train_x), generator=generator)
        total_loss = 0.0
        for batch in order.split(recipe.batch_size):
            images = random_shift(data.train_x[batch], recipe.max_shift, generator)
            loss = loss_fn(model(images), data.train_y[batch])
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            schedule.step()
            total_loss += loss.item() * len(batch)
        epochs.set_postfix(loss=f"{total_loss / len(order):.4f}")
        if epoch == 0 and recipe.epochs > 1:
            took = time.perf_counter() - start
            note(f"tessel.zoo: first epoch took {took:.1f} s: {estimate(took * recipe.epochs)} "
                 f"for {recipe.epochs}")
    model.eval()


@torch.no_grad()
def accuracy(model: nn.Module, images: torch.Tensor, labels: torch.Tensor, batch_size: int = 512) -> float:
    model.eval()
    correct = sum(int((model(x).argmax(1) == y).sum())
                  for x, y in zip(images.split(batch_size), labels.split(batch_size)))
    return correct / len(labels)


def _save_atomically(checkpoint: dict, path: Path) -> None:
    # A temporary file in the same folder, then a rename: an interrupted run leaves no partial .pt.
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=path.name + ".", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as file:
            torch.save(checkpoint, file)
        os.chmod(temporary, 0o644)  # mkstemp makes it owner-only; a cache is for everyone
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def load_or_train(name: str, build_model: Callable[[], nn.Module], data: Dataset, recipe: Recipe,
                  *, retrain: bool = False) -> tuple[nn.Module, float]:
    """The trained model (eval mode) and its float held-out accuracy, from the cache when it has them."""
    recipe = replace(recipe, split_id=data.split_id)
    path = cache_path(name, recipe)
    if path.exists() and not retrain:
        checkpoint = torch.load(path, map_location="cpu", weights_only=True)
        model = build_model()
        model.load_state_dict(checkpoint["state_dict"])
        return model.eval(), checkpoint["test_accuracy"]

    print(f"tessel.zoo: training {name} ({recipe.epochs} epochs, recipe {recipe.key()}); "
          f"caching weights in {path}", file=sys.stderr)
    # fork_rng: seeding for reproducible weights without changing the caller's random stream.
    with torch.random.fork_rng(devices=[]), limited_threads():
        torch.manual_seed(recipe.seed)
        model = build_model()
        train_classifier(model, data, recipe, desc=f"train {name}")
        test_accuracy = accuracy(model, data.test_x, data.test_y)
    _save_atomically({"recipe": asdict(recipe), "state_dict": model.state_dict(),
                      "test_accuracy": test_accuracy}, path)
    return model.eval(), test_accuracy


@dataclass(frozen=True)
class TrainedModel:
    """A zoo model trained here on a real data set: how to build, train and describe it."""
    name: str
    build: Callable[[], nn.Module]
    dataset: Callable[[], Dataset]
    split_id: str           # the data set's split, known without loading it (for the listing)
    recipe: Recipe
    source: str             # the data set in a few words, as the listing says it
    input_shape: tuple      # (C, H, W)
    topology: str
    calibration_images: int = 128

    def load_entry(self, *, retrain: bool = False) -> ZooEntry:
        data = self.dataset()
        model, test_accuracy = load_or_train(self.name, self.build, data, self.recipe, retrain=retrain)
        shape = "x".join(map(str, self.input_shape))
        description = (f"{self.name}: {self.source} ({shape}, {len(data.train_x)} train / "
                       f"{len(data.test_x)} test), {self.topology}; float test accuracy {test_accuracy:.2%}")
        calibration = calibration_batch(data.train_x, self.calibration_images, self.recipe.seed)
        return ZooEntry(self.name, model, calibration, data.test_x, data.test_y, description)

    def listing(self) -> ZooListing:
        accuracy = cached_accuracy(self.name, self.recipe, self.split_id)
        return ZooListing(self.name, f"{self.source}; {self.topology}", self.input_shape,
                          weights_status(accuracy, self.recipe))
