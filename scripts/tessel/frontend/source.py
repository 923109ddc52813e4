"""Names for IR ops and readable descriptions of where an op came from in the user's model."""

import re

import torch.fx

# Module types that map to exactly one IR op: the op is named after the module's path.
LEAF_MODULES = {"Conv2d", "Linear", "BatchNorm2d", "ReLU", "ReLU6", "LeakyReLU", "MaxPool2d",
                "AvgPool2d", "AdaptiveAvgPool2d", "Flatten", "Dropout", "Identity", "Hardtanh"}


def module_of(node: torch.fx.Node) -> tuple[str, str]:
    """(path, class name) of the innermost module that produced the node; ('', '') at top level."""
    stack = node.meta.get("nn_module_stack") or {}
    if not stack:
        return "", ""
    path, cls = list(stack.values())[-1]
    name = cls if isinstance(cls, str) else cls.__name__
    return path, name.rsplit(".", 1)[-1]


def code_location(node: torch.fx.Node) -> str:
    """'file.py:42' of the user's line that produced the node, when torch recorded it."""
    trace = node.meta.get("stack_trace") or ""
    frames = re.findall(r'File "([^"]+)", line (\d+)', trace)
    if not frames:
        return ""
    file, line = frames[-1]
    return f"{file.rsplit('/', 1)[-1]}:{line}"


def describe(node: torch.fx.Node) -> str:
    """E.g. "layer 'features.3' (Conv2d)" or "'torch.sigmoid' in 'head' (Head) at model.py:42"."""
    path, cls = module_of(node)
    if path and cls in LEAF_MODULES:
        return f"layer '{path}' ({cls})"
    op = getattr(node.target, "__name__", str(node.target)).split(".")[0]
    where = f"'{path}' ({cls})" if path else "the top-level module"
    location = code_location(node)
    return f"operation '{op}' in {where}" + (f" at {location}" if location else "")


def op_name(node: torch.fx.Node) -> str:
    """A readable IR op name: the module path for leaf modules, else path + aten op name."""
    path, cls = module_of(node)
    if path and cls in LEAF_MODULES:
        return path
    base = getattr(node.target, "__name__", node.name).split(".")[0].rstrip("_")
    return f"{path}.{base}" if path else base
