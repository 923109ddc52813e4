"""Pack the horizontal kernel taps of a first layer into channels.

A convolution over the network input usually has few channels (1 for grey, 3 for RGB), so one
channel group at one tap would keep 3 of c_p lanes busy. The host writes the input anyway, so it
can write it with the kx taps already unrolled: P[kx*C + c, y, ox] = X[c, y, ox*sx + kx - px]
(the input zero point outside the image). The layer becomes a KH x 1 convolution over C*KW
channels with vertical stride and padding only: the same products, summed in another order, so
the result is identical, and the ZCU104's 7x7 stride-2 RGB stem keeps 21 of 32 lanes busy
instead of 3 of 16.
"""

from dataclasses import replace

import numpy as np

from ..ir import Conv2d, ConvQuant


def worth_packing(op: Conv2d, lanes: int) -> bool:
    """Pack when the input fills less than half a channel group and the kernel is wide."""
    c = op.weight.shape[1]
    return not op.from_linear and op.kernel[1] > 1 and 2 * c <= lanes


def packed_conv(op: Conv2d) -> Conv2d:
    """The equivalent KH x 1 convolution over the packed input."""
    k, c, kh, kw = op.weight.shape
    oh, ow = op.out_shape[1:]
    weight = op.weight.transpose(0, 3, 1, 2).reshape(k, kw * c, kh, 1)   # [k][kx*C + c][ky]
    quant = None
    if op.quant is not None:
        q = op.quant
        quant = ConvQuant(weight=q.weight.transpose(0, 3, 1, 2).reshape(k, kw * c, kh, 1),
                          weight_scale=q.weight_scale, bias=q.bias, multiplier=q.multiplier,
                          shift=q.shift, clamp_min=q.clamp_min, clamp_max=q.clamp_max)
    return replace(op, weight=weight, stride=(op.stride[0], 1), padding=(op.padding[0], 0),
                   quant=quant, out_q=op.out_q)


def pack_input(x: np.ndarray, op: Conv2d, zero_point: int) -> np.ndarray:
    """(C, H, W) uint8 -> (KW*C, H, OW): each output column's horizontal window as channels."""
    c, h, w = x.shape
    kw, sx, px = op.kernel[1], op.stride[1], op.padding[1]
    ow = op.out_shape[2]
    padded = np.full((c, h, w + 2 * px + sx * ow), zero_point, np.uint8)
    padded[:, :, px:px + w] = x
    columns = np.arange(ow) * sx
    taps = [padded[:, :, columns + kx] for kx in range(kw)]  # each (C, H, OW)
    return np.concatenate(taps, axis=0)
