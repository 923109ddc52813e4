"""Checks of what a user hands the compiler: the model, its parameters and the images. They
run once, at the edge (tessel.compile, import_model, quantize, predict), so that nothing inside sees
an empty batch, a NaN or a tensor of the wrong shape, and every refusal names its culprit."""

import numpy as np
import torch

from ..errors import InputError, InputTypeError, UnsupportedModelError


def check_model(model) -> None:
    """A torch.nn.Module in eval mode whose parameters and buffers are all finite (and whose
    BatchNorm variances are not negative): the front end reads them as they are."""
    if not isinstance(model, torch.nn.Module):
        raise InputTypeError(f"the model must be a torch.nn.Module; got {_kind(model)}")
    if model.training:
        # Refused rather than switched: eval() would change the caller's model under them.
        raise UnsupportedModelError(
            "the model is in training mode: call model.eval() before compiling it "
            "(BatchNorm and Dropout behave differently in training)")
    for name, tensor in [*model.named_parameters(), *model.named_buffers()]:
        if not tensor.is_floating_point():
            continue  # e.g. BatchNorm's num_batches_tracked
        problem = _non_finite(tensor.detach())
        if problem:
            raise InputError(f"{name} has {problem}")
        if name.endswith("running_var") and (tensor < 0).any():
            raise InputError(f"{name} has {_count(int((tensor < 0).sum()), 'negative value')} "
                             "(a variance cannot be negative)")


def image_batch(images, what: str, shape: tuple | None = None) -> torch.Tensor:
    """`images` as a float tensor (N, C, H, W) with N >= 1 and every value finite; `shape`:
    the (C, H, W) it must have. `what` names it in errors ("the calibration data")."""
    if isinstance(images, np.ndarray):
        if images.dtype.kind != "f":
            raise InputError(f"{what} must be float images; got a numpy array of {images.dtype}")
        images = torch.from_numpy(images)
    elif not isinstance(images, torch.Tensor):
        raise InputTypeError(f"{what} must be a float tensor or numpy array of images (N, C, H, W); "
                             f"got {_kind(images)}")
    if not images.is_floating_point():
        raise InputError(f"{what} must be float images; got a tensor of {images.dtype}")
    check_batch_shape(tuple(images.shape), what, shape)
    problem = _non_finite(images)
    if problem:
        first = (~torch.isfinite(images.reshape(len(images), -1)).all(1)).nonzero()[0].item()
        raise InputError(f"{what} has {problem} (the first in image {first})")
    return images


def check_batch_shape(batch_shape: tuple, what: str, shape: tuple | None = None) -> None:
    """At least one image, each of shape `shape` (C, H, W) when given, else of any C, H, W."""
    expected = f"(N, {', '.join(map(str, shape))})" if shape else "(N, C, H, W)"
    if len(batch_shape) != 4 or (shape and batch_shape[1:] != tuple(shape)):
        raise InputError(f"{what} must have shape {expected}; got {batch_shape}")
    if batch_shape[0] == 0:
        raise InputError(f"{what} is empty: shape {batch_shape} has no images")


def _non_finite(tensor: torch.Tensor) -> str:
    """'3 NaN values and 1 infinite value', or '' when every value is finite."""
    nan = int(torch.isnan(tensor).sum())
    inf = int(torch.isinf(tensor).sum())
    parts = [_count(nan, "NaN value")] * bool(nan) + [_count(inf, "infinite value")] * bool(inf)
    return " and ".join(parts)


def _count(n: int, thing: str) -> str:
    return f"{n} {thing}{'s' if n != 1 else ''}"


def _kind(value) -> str:
    return "None" if value is None else f"a {type(value).__name__}"
