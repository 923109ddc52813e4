"""Typed reads of manifest.json: every missing or malformed field is an ArtifactError naming the
file and the field (docs/runtime.md has the schema)."""

from pathlib import Path

from ..errors import ArtifactError


def field_name(prefix: str, key) -> str:
    if isinstance(key, int):
        return f"{prefix}[{key}]"
    key = key if str(key).isidentifier() else repr(key)
    return f"{prefix}.{key}" if prefix else key


class Fields:
    """A mapping from the manifest (the whole of it, or one entry inside it)."""

    def __init__(self, data, file: Path, prefix: str = ""):
        self.file, self.prefix = file, prefix
        if not isinstance(data, dict):
            raise self.error(prefix or "(top level)", "a JSON object", data)
        self.data = data

    def error(self, field: str, expected: str, value) -> ArtifactError:
        return ArtifactError(f"{self.file}: field '{field}': expected {expected}, got {value!r}")

    def get(self, key: str, optional: bool = False):
        if key not in self.data:
            if optional:
                return None
            raise ArtifactError(f"{self.file}: field '{field_name(self.prefix, key)}' is missing")
        return self.data[key]

    def _check(self, key, ok, expected: str, optional: bool = False):
        value = self.get(key, optional)
        if value is None and optional:
            return None
        if not ok(value):
            raise self.error(field_name(self.prefix, key), expected, value)
        return value

    def integer(self, key: str, minimum: int = 0, maximum: int | None = None):
        def ok(v):
            return isinstance(v, int) and not isinstance(v, bool) and v >= minimum \
                and (maximum is None or v <= maximum)
        span = f"an integer from {minimum} to {maximum}" if maximum is not None else \
            "a non-negative integer" if minimum == 0 else f"an integer of at least {minimum}"
        return self._check(key, ok, span)

    def positive_number(self, key: str) -> float:
        def ok(v):
            return isinstance(v, (int, float)) and not isinstance(v, bool) and 0 < v < float("inf")
        return float(self._check(key, ok, "a positive number"))

    def text(self, key: str, optional: bool = False) -> str | None:
        return self._check(key, lambda v: isinstance(v, str) and v, "a non-empty string", optional)

    def flag(self, key: str) -> bool:
        return self._check(key, lambda v: isinstance(v, bool), "true or false")

    def counts(self, key: str, length: int | None = None, minimum: int = 1) -> tuple:
        """A list of integers of at least `minimum` (`length` of them, or any number but 0)."""
        def ok(v):
            return isinstance(v, list) and (len(v) == length if length else v) and all(
                isinstance(d, int) and not isinstance(d, bool) and d >= minimum for d in v)
        kind = "positive" if minimum == 1 else "non-negative" if minimum == 0 else f">= {minimum}"
        return tuple(self._check(key, ok, f"a list of {length or 'some'} {kind} integers"))

    def shape(self, key: str, length: int | None = 3) -> tuple:
        return self.counts(key, length)

    def sub(self, key: str, optional: bool = False) -> "Fields | None":
        value = self.get(key, optional)
        return None if value is None and optional else \
            Fields(value, self.file, field_name(self.prefix, key))

    def entries(self, key: str) -> list["Fields"]:
        """A non-empty list of objects."""
        value = self._check(key, lambda v: isinstance(v, list) and v, "a non-empty list")
        name = field_name(self.prefix, key)
        return [Fields(item, self.file, field_name(name, i)) for i, item in enumerate(value)]
