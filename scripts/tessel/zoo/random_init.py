"""Random seeded weights for the zoo's topologies without a checkpoint, with every BatchNorm's
statistics measured on the calibration images, so each really normalizes in eval mode and
activations keep a sensible scale through the whole network (nothing can be downloaded)."""

import torch
from torch import nn


def randomize(model: nn.Module, calibration: torch.Tensor, seed: int) -> nn.Module:
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        for module in model.modules():
            if isinstance(module, (nn.Conv2d, nn.ConvTranspose2d)):
                nn.init.kaiming_normal_(module.weight, mode="fan_out", nonlinearity="relu")
                if module.bias is not None:
                    nn.init.normal_(module.bias, 0.0, 0.1)
            elif isinstance(module, nn.Linear):
                module.reset_parameters()
            elif isinstance(module, nn.BatchNorm2d):
                nn.init.uniform_(module.weight, 0.5, 1.5)
                nn.init.normal_(module.bias, 0.0, 0.1)
    measure_batchnorm(model, calibration)
    return model


def measure_batchnorm(model: nn.Module, images: torch.Tensor) -> None:
    """Every BatchNorm's running statistics set to those of `images`; the model left in eval."""
    batchnorms = [m for m in model.modules() if isinstance(m, nn.BatchNorm2d)]
    for bn in batchnorms:
        bn.reset_running_stats()
        bn.momentum = None  # cumulative average: one pass sets the statistics of that batch exactly
    model.train()
    with torch.no_grad():
        model(images)
    for bn in batchnorms:
        bn.momentum = 0.1
    model.eval()


def make_divisible(value: float, divisor: int = 8) -> int:
    """torchvision's channel rounding: to a multiple of divisor, never 10% below value."""
    rounded = max(divisor, int(value + divisor / 2) // divisor * divisor)
    return rounded + divisor if rounded < 0.9 * value else rounded


class ConvNormActivation(nn.Sequential):
    """torchvision's Conv2dNormActivation: conv (no bias), BatchNorm, optional activation."""

    def __init__(self, in_channels: int, out_channels: int, kernel_size: int = 3, stride: int = 1,
                 groups: int = 1, activation: type[nn.Module] | None = nn.ReLU, dilation: int = 1):
        padding = (kernel_size - 1) // 2 * dilation
        layers = [nn.Conv2d(in_channels, out_channels, kernel_size, stride, padding,
                            dilation=dilation, groups=groups, bias=False),
                  nn.BatchNorm2d(out_channels)]
        if activation is not None:
            layers.append(activation())
        super().__init__(*layers)


class SqueezeExcitation(nn.Module):
    """torchvision's SqueezeExcitation: x * scale_activation(fc2(activation(fc1(pool(x)))))."""

    def __init__(self, channels: int, squeeze: int, activation=nn.ReLU,
                 scale_activation=nn.Sigmoid):
        super().__init__()
        self.avgpool = nn.AdaptiveAvgPool2d(1)
        self.fc1 = nn.Conv2d(channels, squeeze, 1)
        self.fc2 = nn.Conv2d(squeeze, channels, 1)
        self.activation = activation()
        self.scale_activation = scale_activation()

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        scale = self.scale_activation(self.fc2(self.activation(self.fc1(self.avgpool(x)))))
        return scale * x
