"""A small residual CNN on scikit-learn's 8x8 digits: every layer kind the accelerator runs, in seconds."""

import torch
from torch import nn

from tessel.zoo.datasets import DIGITS_SPLIT_ID, digits_dataset
from tessel.zoo.resnet import BasicBlock
from tessel.zoo.train import Recipe, TrainedModel

RECIPE = Recipe(architecture="DigitsNet", epochs=40, batch_size=64, learning_rate=1e-2,
                weight_decay=1e-4, max_shift=0, seed=0, version="1")
INPUT_SHAPE = (1, 8, 8)
TOPOLOGY = "conv-BN-ReLU, maxpool, residual block, 1x1 conv, global avgpool, linear"


class DigitsNet(nn.Module):
    def __init__(self, num_classes: int = 10):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 16, kernel_size=3, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(16)
        self.relu1 = nn.ReLU()
        self.pool = nn.MaxPool2d(2)                       # 8x8 -> 4x4
        self.block = BasicBlock(16, 16)                   # identity shortcut: a residual add
        self.expand = nn.Conv2d(16, 32, kernel_size=1, bias=False)
        self.bn2 = nn.BatchNorm2d(32)
        self.relu2 = nn.ReLU()
        self.avgpool = nn.AdaptiveAvgPool2d(1)
        self.flatten = nn.Flatten()
        self.fc = nn.Linear(32, num_classes)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.pool(self.relu1(self.bn1(self.conv1(x))))
        x = self.block(x)
        x = self.relu2(self.bn2(self.expand(x)))
        return self.fc(self.flatten(self.avgpool(x)))



MODEL = TrainedModel("digits", DigitsNet, digits_dataset, DIGITS_SPLIT_ID, RECIPE,
                     "scikit-learn 8x8 digits", INPUT_SHAPE, TOPOLOGY)
load_entry = MODEL.load_entry
listing = MODEL.listing
