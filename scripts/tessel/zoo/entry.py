"""What a zoo model hands to the rest of Tessel."""

from dataclasses import dataclass

import torch

from tessel.errors import TesselError


@dataclass
class ZooEntry:
    name: str
    model: torch.nn.Module        # float model, in eval mode
    calibration: torch.Tensor     # float32 (N, C, H, W) from the training data, for post-training quantization
    eval_x: torch.Tensor | None   # float32 held-out images (N, C, H, W); None for random-weight models
    eval_y: torch.Tensor | None   # int64 labels
    description: str              # one line: dataset, topology, float accuracy if known

    @property
    def test_images(self) -> torch.Tensor:
        """The held-out images, or the calibration images when there are none."""
        return self.eval_x if self.eval_x is not None else self.calibration

    def first_images(self, count: int) -> torch.Tensor:
        """The first `count` test images; asking for more than there are is an error."""
        available = len(self.test_images)
        if not 1 <= count <= available:
            kind = "held-out" if self.eval_x is not None else "calibration (it has no held-out)"
            raise TesselError(f"{count} images asked for: {self.name} has {available} {kind} "
                              f"images; ask for 1 to {available}")
        return self.test_images[:count]


@dataclass
class ZooListing:
    """What `tessel zoo` says of a model, known without training or loading it."""
    name: str
    description: str
    input_shape: tuple            # (C, H, W)
    weights: str                  # trained (and its accuracy), not yet trained, or random
