"""What a zoo model hands to the rest of Tessel."""

from dataclasses import dataclass

import torch


@dataclass
class ZooEntry:
    name: str
    model: torch.nn.Module        # float model, in eval mode
    calibration: torch.Tensor     # float32 (N, C, H, W) from the training data, for post-training quantization
    eval_x: torch.Tensor | None   # float32 held-out images (N, C, H, W); None for random-weight models
    eval_y: torch.Tensor | None   # int64 labels
    description: str              # one line: dataset, topology, float accuracy if known
