"""A small residual CNN on scikit-learn's 8x8 digits: every layer kind the accelerator runs, in seconds."""

import torch
from torch import nn

from tessel.zoo.datasets import DIGITS_SPLIT_ID, calibration_batch, digits_dataset
from tessel.zoo.entry import ZooEntry, ZooListing
from tessel.zoo.resnet import BasicBlock
from tessel.zoo.train import Recipe, cached_accuracy, load_or_train, weights_status

CALIBRATION_IMAGES = 128
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


def load_entry(*, retrain: bool = False) -> ZooEntry:
    data = digits_dataset()
    model, test_accuracy = load_or_train("digits", DigitsNet, data, RECIPE, retrain=retrain)
    description = (f"digits: scikit-learn 8x8 digits (1x8x8, {len(data.train_x)} train / {len(data.test_x)} test), "
                   f"{TOPOLOGY}; float test accuracy {test_accuracy:.2%}")
    return ZooEntry("digits", model, calibration_batch(data.train_x, CALIBRATION_IMAGES, RECIPE.seed),
                    data.test_x, data.test_y, description)


def listing() -> ZooListing:
    accuracy = cached_accuracy("digits", RECIPE, DIGITS_SPLIT_ID)
    return ZooListing("digits", f"scikit-learn 8x8 digits; {TOPOLOGY}", INPUT_SHAPE,
                      weights_status(accuracy, RECIPE))
