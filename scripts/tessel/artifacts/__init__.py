"""Compiled directories (CompiledNetwork.write, `tessel compile`) loaded back to run the bytes
they hold: `tessel.load(DIR)`. The manifest's schema is in docs/runtime.md."""

from .loaded import LoadedNetwork, Reference, ReferenceCheck, load

__all__ = ["LoadedNetwork", "Reference", "ReferenceCheck", "load"]
