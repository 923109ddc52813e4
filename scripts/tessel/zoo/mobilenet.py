"""MobileNetV2 and MobileNetV3-small with torchvision's module structure (written here:
torchvision's wheel does not load with this CPU build of torch)."""

import torch
from torch import nn

from tessel.zoo.random_init import ConvNormActivation, SqueezeExcitation, make_divisible


class InvertedResidual(nn.Module):
    """MobileNetV2's block: 1x1 expansion, depthwise 3x3, linear 1x1 projection."""

    def __init__(self, inp: int, oup: int, stride: int, expand_ratio: int):
        super().__init__()
        hidden = int(round(inp * expand_ratio))
        self.use_res_connect = stride == 1 and inp == oup
        layers = []
        if expand_ratio != 1:
            layers.append(ConvNormActivation(inp, hidden, 1, activation=nn.ReLU6))
        layers += [ConvNormActivation(hidden, hidden, 3, stride, groups=hidden, activation=nn.ReLU6),
                   nn.Conv2d(hidden, oup, 1, bias=False), nn.BatchNorm2d(oup)]
        self.conv = nn.Sequential(*layers)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x + self.conv(x) if self.use_res_connect else self.conv(x)


class MobileNetV2(nn.Module):
    SETTINGS = [[1, 16, 1, 1], [6, 24, 2, 2], [6, 32, 3, 2], [6, 64, 4, 2], [6, 96, 3, 1],
                [6, 160, 3, 2], [6, 320, 1, 1]]  # expansion t, channels c, repeats n, stride s

    def __init__(self, num_classes: int = 1000, width_mult: float = 1.0):
        super().__init__()
        input_channel = make_divisible(32 * width_mult)
        last_channel = make_divisible(1280 * max(1.0, width_mult))
        features = [ConvNormActivation(3, input_channel, stride=2, activation=nn.ReLU6)]
        for t, c, n, s in self.SETTINGS:
            output_channel = make_divisible(c * width_mult)
            for i in range(n):
                features.append(InvertedResidual(input_channel, output_channel, s if i == 0 else 1, t))
                input_channel = output_channel
        features.append(ConvNormActivation(input_channel, last_channel, 1, activation=nn.ReLU6))
        self.features = nn.Sequential(*features)
        self.classifier = nn.Sequential(nn.Dropout(0.2), nn.Linear(last_channel, num_classes))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = nn.functional.adaptive_avg_pool2d(self.features(x), (1, 1))
        return self.classifier(torch.flatten(x, 1))


class InvertedResidualV3(nn.Module):
    """MobileNetV3's block: optional expansion, depthwise kxk, optional squeeze-excite
    (hard-sigmoid gate), linear projection."""

    def __init__(self, inp: int, kernel: int, expanded: int, out: int, use_se: bool,
                 activation: type[nn.Module], stride: int):
        super().__init__()
        self.use_res_connect = stride == 1 and inp == out
        layers = []
        if expanded != inp:
            layers.append(ConvNormActivation(inp, expanded, 1, activation=activation))
        layers.append(ConvNormActivation(expanded, expanded, kernel, stride, groups=expanded,
                                         activation=activation))
        if use_se:
            layers.append(SqueezeExcitation(expanded, make_divisible(expanded // 4),
                                            scale_activation=nn.Hardsigmoid))
        layers.append(ConvNormActivation(expanded, out, 1, activation=None))
        self.block = nn.Sequential(*layers)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x + self.block(x) if self.use_res_connect else self.block(x)


class MobileNetV3Small(nn.Module):
    RE, HS = nn.ReLU, nn.Hardswish
    SETTINGS = [(16, 3, 16, 16, True, RE, 2), (16, 3, 72, 24, False, RE, 2),
                (24, 3, 88, 24, False, RE, 1), (24, 5, 96, 40, True, HS, 2),
                (40, 5, 240, 40, True, HS, 1), (40, 5, 240, 40, True, HS, 1),
                (40, 5, 120, 48, True, HS, 1), (48, 5, 144, 48, True, HS, 1),
                (48, 5, 288, 96, True, HS, 2), (96, 5, 576, 96, True, HS, 1),
                (96, 5, 576, 96, True, HS, 1)]  # in, kernel, expanded, out, SE, activation, stride

    def __init__(self, num_classes: int = 1000, width_mult: float = 1.0):
        super().__init__()
        width = lambda c: make_divisible(c * width_mult)  # noqa: E731
        layers = [ConvNormActivation(3, width(16), 3, 2, activation=nn.Hardswish)]
        for inp, k, exp, out, se, act, s in self.SETTINGS:
            layers.append(InvertedResidualV3(width(inp), k, width(exp), width(out), se, act, s))
        last_in = width(96)
        layers.append(ConvNormActivation(last_in, 6 * last_in, 1, activation=nn.Hardswish))
        self.features = nn.Sequential(*layers)
        self.avgpool = nn.AdaptiveAvgPool2d(1)
        self.classifier = nn.Sequential(nn.Linear(6 * last_in, 1024), nn.Hardswish(),
                                        nn.Dropout(0.2), nn.Linear(1024, num_classes))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = torch.flatten(self.avgpool(self.features(x)), 1)
        return self.classifier(x)
