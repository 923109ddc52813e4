"""ResNet-18 and ResNet-50 with torchvision's topology (torchvision itself is not a dependency).

The weights are random but seeded, with BatchNorm statistics measured on random inputs, so
activations keep a sensible scale through the whole network: a realistic load for the accelerator
without a trained checkpoint (nothing can be downloaded).
"""

import torch
from torch import nn

from tessel.zoo.entry import ZooEntry, ZooListing
from tessel.zoo.random_init import measure_batchnorm

SEED = 0
IMAGE_SIZE = 224
CALIBRATION_IMAGES = 2
BN_STATISTICS_BATCH = 4
# Trained ResNets end each residual branch with a small BatchNorm gamma; drawn in this range.
BRANCH_GAMMA_RANGE = (0.1, 0.5)


def conv3x3(in_channels: int, out_channels: int, stride: int = 1) -> nn.Conv2d:
    return nn.Conv2d(in_channels, out_channels, kernel_size=3, stride=stride, padding=1, bias=False)


def conv1x1(in_channels: int, out_channels: int, stride: int = 1) -> nn.Conv2d:
    return nn.Conv2d(in_channels, out_channels, kernel_size=1, stride=stride, bias=False)


def projection(in_channels: int, out_channels: int, stride: int) -> nn.Module | None:
    """The shortcut: identity when shapes match, else a strided 1x1 conv + BN."""
    if stride == 1 and in_channels == out_channels:
        return None
    return nn.Sequential(conv1x1(in_channels, out_channels, stride), nn.BatchNorm2d(out_channels))


class BasicBlock(nn.Module):
    expansion = 1

    def __init__(self, in_channels: int, channels: int, stride: int = 1):
        super().__init__()
        self.conv1 = conv3x3(in_channels, channels, stride)
        self.bn1 = nn.BatchNorm2d(channels)
        self.relu1 = nn.ReLU()
        self.conv2 = conv3x3(channels, channels)
        self.bn2 = nn.BatchNorm2d(channels)
        self.downsample = projection(in_channels, channels, stride)
        self.relu2 = nn.ReLU()

    @property
    def last_bn(self) -> nn.BatchNorm2d:
        return self.bn2

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        identity = x if self.downsample is None else self.downsample(x)
        out = self.relu1(self.bn1(self.conv1(x)))
        out = self.bn2(self.conv2(out))
        return self.relu2(out + identity)


class Bottleneck(nn.Module):
    """torchvision's ResNet v1.5 bottleneck: the stride sits on the 3x3 conv."""
    expansion = 4

    def __init__(self, in_channels: int, channels: int, stride: int = 1):
        super().__init__()
        out_channels = channels * self.expansion
        self.conv1 = conv1x1(in_channels, channels)
        self.bn1 = nn.BatchNorm2d(channels)
        self.relu1 = nn.ReLU()
        self.conv2 = conv3x3(channels, channels, stride)
        self.bn2 = nn.BatchNorm2d(channels)
        self.relu2 = nn.ReLU()
        self.conv3 = conv1x1(channels, out_channels)
        self.bn3 = nn.BatchNorm2d(out_channels)
        self.downsample = projection(in_channels, out_channels, stride)
        self.relu3 = nn.ReLU()

    @property
    def last_bn(self) -> nn.BatchNorm2d:
        return self.bn3

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        identity = x if self.downsample is None else self.downsample(x)
        out = self.relu1(self.bn1(self.conv1(x)))
        out = self.relu2(self.bn2(self.conv2(out)))
        out = self.bn3(self.conv3(out))
        return self.relu3(out + identity)


class ResNet(nn.Module):
    def __init__(self, block: type[BasicBlock | Bottleneck], blocks_per_stage: list[int],
                 num_classes: int = 1000, image_size: int = IMAGE_SIZE):
        super().__init__()
        self.image_size = image_size  # the input the network is meant for (3, image_size, image_size)
        self.conv1 = nn.Conv2d(3, 64, kernel_size=7, stride=2, padding=3, bias=False)
        self.bn1 = nn.BatchNorm2d(64)
        self.relu = nn.ReLU()
        self.maxpool = nn.MaxPool2d(kernel_size=3, stride=2, padding=1)
        in_channels = 64
        stages = []
        for index, (channels, blocks) in enumerate(zip((64, 128, 256, 512), blocks_per_stage)):
            stride = 1 if index == 0 else 2
            stage = []
            for block_index in range(blocks):
                stage.append(block(in_channels, channels, stride if block_index == 0 else 1))
                in_channels = channels * block.expansion
            stages.append(nn.Sequential(*stage))
        self.layer1, self.layer2, self.layer3, self.layer4 = stages
        self.avgpool = nn.AdaptiveAvgPool2d(1)
        self.flatten = nn.Flatten()
        self.fc = nn.Linear(in_channels, num_classes)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.maxpool(self.relu(self.bn1(self.conv1(x))))
        x = self.layer4(self.layer3(self.layer2(self.layer1(x))))
        return self.fc(self.flatten(self.avgpool(x)))


def randomize(model: ResNet, seed: int) -> None:
    """Kaiming conv weights, small random gammas closing each residual branch, then BN statistics
    measured on N(0, 1) images so every BN really normalizes in eval mode."""
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        for module in model.modules():
            if isinstance(module, nn.Conv2d):
                nn.init.kaiming_normal_(module.weight, mode="fan_out", nonlinearity="relu")
            elif isinstance(module, nn.Linear):
                module.reset_parameters()
        for module in model.modules():
            if isinstance(module, (BasicBlock, Bottleneck)):
                nn.init.uniform_(module.last_bn.weight, *BRANCH_GAMMA_RANGE)
        images = torch.randn(BN_STATISTICS_BATCH, 3, model.image_size, model.image_size)
    measure_batchnorm(model, images)


ARCHITECTURES = {
    "resnet18": (BasicBlock, [2, 2, 2, 2]),
    "resnet50": (Bottleneck, [3, 4, 6, 3]),
}


def build(name: str, image_size: int = IMAGE_SIZE, seed: int = SEED) -> ResNet:
    block, blocks_per_stage = ARCHITECTURES[name]
    model = ResNet(block, blocks_per_stage, image_size=image_size)
    randomize(model, seed)
    return model


def load_entry(name: str, *, retrain: bool = False) -> ZooEntry:
    del retrain  # random weights: nothing to train or cache
    model = build(name)
    generator = torch.Generator().manual_seed(SEED + 1)
    calibration = torch.randn(CALIBRATION_IMAGES, 3, model.image_size, model.image_size, generator=generator)
    description = (f"{name}: torchvision ResNet topology, 3x{model.image_size}x{model.image_size} input, "
                   f"1000 classes, random seeded weights (no data set, accuracy meaningless)")
    return ZooEntry(name, model, calibration, None, None, description)


def listing(name: str) -> ZooListing:
    return ZooListing(name, f"torchvision {name} topology, 1000 classes, no data set",
                      (3, IMAGE_SIZE, IMAGE_SIZE), "random, seeded (nothing to train)")
