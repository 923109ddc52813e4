"""Networks for the network-level tests: a ResNet-style set of every layer kind, and random
small networks drawn from the supported operations (seeded)."""

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

from tessel.zoo import ZooEntry


class Bottleneck(nn.Module):
    def __init__(self, c_in, mid, c_out, stride):
        super().__init__()
        self.c1 = nn.Sequential(nn.Conv2d(c_in, mid, 1, bias=False), nn.BatchNorm2d(mid), nn.ReLU())
        self.c2 = nn.Sequential(nn.Conv2d(mid, mid, 3, stride, 1, bias=False), nn.BatchNorm2d(mid), nn.ReLU())
        self.c3 = nn.Sequential(nn.Conv2d(mid, c_out, 1, bias=False), nn.BatchNorm2d(c_out))
        self.project = nn.Sequential(nn.Conv2d(c_in, c_out, 1, stride, bias=False), nn.BatchNorm2d(c_out))

    def forward(self, x):
        return F.relu(self.c3(self.c2(self.c1(x))) + self.project(x))


class Basic(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.c1 = nn.Sequential(nn.Conv2d(c, c, 3, 1, 1, bias=False), nn.BatchNorm2d(c), nn.ReLU())
        self.c2 = nn.Sequential(nn.Conv2d(c, c, 3, 1, 1, bias=False), nn.BatchNorm2d(c))

    def forward(self, x):
        return F.relu(self.c2(self.c1(x)) + x)


class ResNetStyle(nn.Module):
    """7x7/2 stem, 3x3/2 max pool, a bottleneck with a projection shortcut, a basic block,
    global average pooling, a classifier."""

    def __init__(self):
        super().__init__()
        self.stem = nn.Sequential(nn.Conv2d(3, 16, 7, 2, 3, bias=False), nn.BatchNorm2d(16), nn.ReLU())
        self.pool = nn.MaxPool2d(3, 2, 1)
        self.bottleneck = Bottleneck(16, 8, 32, 2)
        self.basic = Basic(32)
        self.gap = nn.AdaptiveAvgPool2d(1)
        self.fc = nn.Linear(32, 10)

    def forward(self, x):
        x = self.basic(self.bottleneck(self.pool(self.stem(x))))
        return self.fc(torch.flatten(self.gap(x), 1))


def _warm_batchnorm(model, shape, seed):
    torch.manual_seed(seed)
    model.train()
    with torch.no_grad():
        for _ in range(3):
            model(torch.randn(8, *shape))
    return model.eval()


def resnet_style(seed: int = 0) -> ZooEntry:
    torch.manual_seed(seed)
    model = _warm_batchnorm(ResNetStyle(), (3, 32, 32), seed)
    data = torch.randn(16, 3, 32, 32)
    return ZooEntry("resnet_style", model, data, data, None, "ResNet-style test network")


class RandomNet(nn.Module):
    def __init__(self, rng: np.random.Generator, c: int, size: int):
        super().__init__()
        layers, residual_at = [], set(rng.choice(4, size=int(rng.integers(0, 3)), replace=False).tolist())
        self.blocks = nn.ModuleList()
        self.residual = []
        for i in range(int(rng.integers(2, 5))):
            k = int(rng.choice([1, 3, 5]))
            out = int(rng.integers(4, 40))
            keep = i in residual_at and k % 2 == 1
            out = c if keep else out
            act = [nn.ReLU(), nn.ReLU6(), nn.LeakyReLU(0.1), nn.Identity()][int(rng.integers(0, 4))]
            block = [nn.Conv2d(c, out, k, padding=k // 2), nn.BatchNorm2d(out), act]
            self.blocks.append(nn.Sequential(*block))
            self.residual.append(keep)
            c = out
        pool = [nn.MaxPool2d(2), nn.AvgPool2d(2), nn.Identity()][int(rng.integers(0, 3))]
        self.pool = pool if size >= 4 else nn.Identity()
        self.gap = nn.AdaptiveAvgPool2d(1)
        self.fc = nn.Linear(c, int(rng.integers(2, 12)))

    def forward(self, x):
        for block, residual in zip(self.blocks, self.residual):
            x = block(x) + x if residual else block(x)
        return self.fc(torch.flatten(self.gap(self.pool(x)), 1))


def random_network(seed: int) -> ZooEntry:
    rng = np.random.default_rng(seed)
    torch.manual_seed(seed)
    c, size = int(rng.integers(1, 9)), int(rng.integers(3, 17))
    model = _warm_batchnorm(RandomNet(rng, c, size), (c, size, size), seed)
    data = torch.randn(8, c, size, size)
    return ZooEntry(f"random{seed}", model, data, data, None, f"random network {seed}")
