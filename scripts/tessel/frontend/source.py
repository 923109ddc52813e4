"""Names for IR ops and readable descriptions of where an op came from in the user's model."""

import re
import traceback

import torch.fx


def module_of(node: torch.fx.Node) -> tuple[str, str, bool]:
    """(path, class name, is a torch.nn layer) of the innermost module that produced the node."""
    stack = node.meta.get("nn_module_stack") or {}
    if not stack:
        return "", "", False
    path, cls = list(stack.values())[-1]
    qualified = cls if isinstance(cls, str) else f"{cls.__module__}.{cls.__qualname__}"
    is_torch_layer = qualified.startswith("torch.nn.") and not qualified.endswith(
        ("Sequential", "ModuleList", "ModuleDict"))
    return path, qualified.rsplit(".", 1)[-1], is_torch_layer


def code_location(node: torch.fx.Node) -> str:
    """'file.py:42' of the user's line that produced the node, when torch recorded it."""
    trace = node.meta.get("stack_trace") or ""
    frames = [(f, line) for f, line in re.findall(r'File "([^"]+)", line (\d+)', trace)
              if "/torch/" not in f]
    if not frames:
        return ""
    file, line = frames[-1]
    return f"{file.rsplit('/', 1)[-1]}:{line}"


def describe(node: torch.fx.Node) -> str:
    """E.g. "layer 'features.3' (Conv2d)" or "operation 'cat' in 'head' (Head) at model.py:42"."""
    path, cls, is_torch_layer = module_of(node)
    if path and is_torch_layer:
        return f"layer '{path}' ({cls})"
    op = getattr(node.target, "__name__", str(node.target)).split(".")[0]
    where = f"'{path}' ({cls})" if path else "the top-level module"
    location = code_location(node)
    return f"operation '{op}' in {where}" + (f" at {location}" if location else "")


def op_name(node: torch.fx.Node) -> str:
    """A readable IR op name: the module path for leaf modules, else path + aten op name."""
    path, cls, is_torch_layer = module_of(node)
    if path and is_torch_layer:
        return path
    base = getattr(node.target, "__name__", node.name).split(".")[0].rstrip("_")
    return f"{path}.{base}" if path else base


def failing_module(model: torch.nn.Module, error: BaseException) -> str:
    """Where in `model` an exception raised while running it came from: the innermost module
    whose forward is on the traceback (of the error or the errors it was raised from), e.g.
    "layer 'features.3' (Conv2d)" or "'head' (Head) at model.py:42"."""
    paths = {id(module): path for path, module in model.named_modules()}
    while error is not None:
        frames = [frame for frame, _ in traceback.walk_tb(error.__traceback__)]
        for i in range(len(frames) - 1, -1, -1):
            module = frames[i].f_locals.get("self")
            if id(module) in paths:
                path, cls = paths[id(module)], type(module)
                if path and cls.__module__.startswith("torch.nn."):
                    return f"layer '{path}' ({cls.__name__})"
                user = [f for f in frames[i:] if "/torch/" not in f.f_code.co_filename]
                location = (f" at {user[-1].f_code.co_filename.rsplit('/', 1)[-1]}:{user[-1].f_lineno}"
                            if user else "")
                where = f"'{path}' ({cls.__name__})" if path else f"the top-level module ({cls.__name__})"
                return where + location
        error = error.__cause__ or error.__context__
    return f"the model ({type(model).__name__})"
