"""Dense-prediction topologies: a YOLO-style detector (YOLOv3-tiny's structure: two heads,
the coarse one upsampled and concatenated into the finer), a U-Net (milesial/Pytorch-UNet's
structure: transposed-convolution upsampling, skips concatenated) and a DenseNet (torchvision's
structure: every layer reads the concatenation of all before it)."""

import torch
from torch import nn

from tessel.zoo.random_init import ConvNormActivation


def conv_leaky(inp: int, out: int, kernel: int) -> nn.Sequential:
    return ConvNormActivation(inp, out, kernel, activation=lambda: nn.LeakyReLU(0.1))


class YoloTiny(nn.Module):
    def __init__(self, num_classes: int = 80, anchors: int = 3, width: int = 16):
        super().__init__()
        c = [width * 2 ** i for i in range(6)]  # 16, 32, ..., 512 at full width
        self.backbone1 = nn.Sequential(  # down to stride 16
            conv_leaky(3, c[0], 3), nn.MaxPool2d(2), conv_leaky(c[0], c[1], 3), nn.MaxPool2d(2),
            conv_leaky(c[1], c[2], 3), nn.MaxPool2d(2), conv_leaky(c[2], c[3], 3), nn.MaxPool2d(2),
            conv_leaky(c[3], c[4], 3))
        self.backbone2 = nn.Sequential(nn.MaxPool2d(2), conv_leaky(c[4], c[5], 3),
                                       conv_leaky(c[5], c[4] // 1, 1))
        outputs = anchors * (5 + num_classes)
        self.head1 = nn.Sequential(conv_leaky(c[4], c[5], 3), nn.Conv2d(c[5], outputs, 1))
        self.route = conv_leaky(c[4], c[3], 1)
        self.upsample = nn.Upsample(scale_factor=2, mode="nearest")
        self.head2 = nn.Sequential(conv_leaky(c[3] + c[4], c[4], 3), nn.Conv2d(c[4], outputs, 1))

    def forward(self, x: torch.Tensor):
        fine = self.backbone1(x)
        coarse = self.backbone2(fine)
        routed = self.upsample(self.route(coarse))
        return self.head1(coarse), self.head2(torch.cat([routed, fine], dim=1))


class DoubleConv(nn.Sequential):
    def __init__(self, inp: int, out: int):
        super().__init__(ConvNormActivation(inp, out, 3), ConvNormActivation(out, out, 3))


class Down(nn.Sequential):
    def __init__(self, inp: int, out: int):
        super().__init__(nn.MaxPool2d(2), DoubleConv(inp, out))


class Up(nn.Module):
    def __init__(self, inp: int, out: int):
        super().__init__()
        self.up = nn.ConvTranspose2d(inp, inp // 2, kernel_size=2, stride=2)
        self.conv = DoubleConv(inp, out)

    def forward(self, x1: torch.Tensor, x2: torch.Tensor) -> torch.Tensor:
        return self.conv(torch.cat([x2, self.up(x1)], dim=1))  # sizes match: no padding needed


class UNet(nn.Module):
    def __init__(self, n_channels: int = 3, n_classes: int = 2, base: int = 64):
        super().__init__()
        c = [base * 2 ** i for i in range(5)]
        self.inc = DoubleConv(n_channels, c[0])
        self.down1, self.down2, self.down3, self.down4 = (Down(c[i], c[i + 1]) for i in range(4))
        self.up1, self.up2, self.up3, self.up4 = (Up(c[i], c[i - 1]) for i in range(4, 0, -1))
        self.outc = nn.Conv2d(c[0], n_classes, 1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x1 = self.inc(x)
        x2 = self.down1(x1)
        x3 = self.down2(x2)
        x4 = self.down3(x3)
        x = self.up1(self.down4(x4), x4)
        x = self.up4(self.up3(self.up2(x, x3), x2), x1)
        return self.outc(x)


class DenseLayer(nn.Module):
    def __init__(self, inp: int, growth: int, bn_size: int):
        super().__init__()
        self.norm1, self.relu1 = nn.BatchNorm2d(inp), nn.ReLU()
        self.conv1 = nn.Conv2d(inp, bn_size * growth, 1, bias=False)
        self.norm2, self.relu2 = nn.BatchNorm2d(bn_size * growth), nn.ReLU()
        self.conv2 = nn.Conv2d(bn_size * growth, growth, 3, padding=1, bias=False)

    def forward(self, features: list[torch.Tensor]) -> torch.Tensor:
        concatenated = torch.cat(features, 1)
        return self.conv2(self.relu2(self.norm2(self.conv1(self.relu1(self.norm1(concatenated))))))


class DenseBlock(nn.ModuleDict):
    def __init__(self, layers: int, inp: int, growth: int, bn_size: int):
        super().__init__({f"denselayer{i + 1}": DenseLayer(inp + i * growth, growth, bn_size)
                          for i in range(layers)})

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        features = [x]
        for layer in self.values():
            features.append(layer(features))
        return torch.cat(features, 1)


class Transition(nn.Sequential):
    def __init__(self, inp: int, out: int):
        super().__init__(nn.BatchNorm2d(inp), nn.ReLU(), nn.Conv2d(inp, out, 1, bias=False),
                         nn.AvgPool2d(2, 2))


class DenseNet(nn.Module):
    def __init__(self, growth: int = 32, blocks: tuple = (6, 12, 24, 16), init: int = 64,
                 bn_size: int = 4, num_classes: int = 1000):
        super().__init__()
        layers = [nn.Conv2d(3, init, 7, 2, 3, bias=False), nn.BatchNorm2d(init), nn.ReLU(),
                  nn.MaxPool2d(3, 2, 1)]
        channels = init
        for i, count in enumerate(blocks):
            layers.append(DenseBlock(count, channels, growth, bn_size))
            channels += count * growth
            if i != len(blocks) - 1:
                layers.append(Transition(channels, channels // 2))
                channels //= 2
        layers.append(nn.BatchNorm2d(channels))
        self.features = nn.Sequential(*layers)
        self.classifier = nn.Linear(channels, num_classes)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = nn.functional.adaptive_avg_pool2d(torch.relu(self.features(x)), (1, 1))
        return self.classifier(torch.flatten(x, 1))
