"""An EfficientNet-B0-style network with torchvision's MBConv structure: SiLU everywhere and a
squeeze-excite (SiLU, sigmoid gate) in every block."""

import torch
from torch import nn

from tessel.zoo.random_init import ConvNormActivation, SqueezeExcitation, make_divisible


class MBConv(nn.Module):
    def __init__(self, expand_ratio: int, kernel: int, stride: int, inp: int, out: int):
        super().__init__()
        self.use_res_connect = stride == 1 and inp == out
        expanded = make_divisible(inp * expand_ratio)
        layers = []
        if expanded != inp:
            layers.append(ConvNormActivation(inp, expanded, 1, activation=nn.SiLU))
        layers += [ConvNormActivation(expanded, expanded, kernel, stride, groups=expanded,
                                      activation=nn.SiLU),
                   SqueezeExcitation(expanded, max(1, inp // 4), activation=nn.SiLU),
                   ConvNormActivation(expanded, out, 1, activation=None)]
        self.block = nn.Sequential(*layers)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        result = self.block(x)
        return result + x if self.use_res_connect else result  # stochastic depth: identity in eval


class EfficientNet(nn.Module):
    SETTINGS = [(1, 3, 1, 32, 16, 1), (6, 3, 2, 16, 24, 2), (6, 5, 2, 24, 40, 2),
                (6, 3, 2, 40, 80, 3), (6, 5, 1, 80, 112, 3), (6, 5, 2, 112, 192, 4),
                (6, 3, 1, 192, 320, 1)]  # expansion, kernel, stride, in, out, layers

    def __init__(self, num_classes: int = 1000, width_mult: float = 1.0):
        super().__init__()
        width = lambda c: make_divisible(c * width_mult)  # noqa: E731
        layers = [ConvNormActivation(3, width(32), 3, 2, activation=nn.SiLU)]
        for expand, k, s, inp, out, repeats in self.SETTINGS:
            stage = [MBConv(expand, k, s if i == 0 else 1, width(inp if i == 0 else out), width(out))
                     for i in range(repeats)]
            layers.append(nn.Sequential(*stage))
        last = 4 * width(320)
        layers.append(ConvNormActivation(width(320), last, 1, activation=nn.SiLU))
        self.features = nn.Sequential(*layers)
        self.avgpool = nn.AdaptiveAvgPool2d(1)
        self.classifier = nn.Sequential(nn.Dropout(0.2), nn.Linear(last, num_classes))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.classifier(torch.flatten(self.avgpool(self.features(x)), 1))
