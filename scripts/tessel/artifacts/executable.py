"""An Executable rebuilt from a compiled directory: the manifest's memory map, shapes and
quantization parameters around program.bin and dram.bin exactly as written, with what the
runtime backends touch (runtime/simulation.py, runtime/pynq_board.py). No graph: the network
is only its interface (name, shapes, quantization of input and output)."""

from dataclasses import dataclass

import numpy as np

from ..backend.executable import Executable
from ..plan.input_packing import pack_input
from ..backend.layout import channel_groups, to_words
from ..backend.memory_map import MemoryMap, Region
from ..backend.program import HEADER, MAGIC, build_parameters, header_bytes
from ..config import HardwareConfig
from ..errors import ArtifactError, ConfigError
from ..ir import INPUT, QParams
from .schema import Fields


@dataclass(frozen=True)
class Interface:
    """What the host knows of a network it has only the compiled files of."""
    name: str
    input_shape: tuple    # (C, H, W) of the model's input
    output_shape: tuple   # the model's output shape (without N)
    input_q: QParams
    output_q: QParams


@dataclass(frozen=True)
class PackedFirstLayer:
    """The first convolution's horizontal geometry: what input_packing.pack_input reads."""
    kernel: tuple
    stride: tuple
    padding: tuple
    out_shape: tuple


@dataclass
class ArtifactExecutable(Executable):
    packing: PackedFirstLayer | None = None

    def input_bytes(self, x_u8: np.ndarray) -> bytes:
        if self.packing is not None:
            x_u8 = pack_input(x_u8, self.packing, self.graph.input_q.zero_point)
        return to_words(x_u8, self.config.array.c_p).tobytes()


def hardware(manifest: Fields) -> HardwareConfig:
    """The configuration the directory was compiled for, from the manifest alone (a value:
    the simulator builds from it whether or not a configuration file holds it)."""
    try:
        return HardwareConfig.from_dict(manifest.get("config"), "config")
    except ConfigError as error:
        raise ArtifactError(f"{manifest.file}: field 'config': {error}") from None


def interface(manifest: Fields) -> Interface:
    inp, out = manifest.sub("input"), manifest.sub("output")

    def qparams(fields: Fields) -> QParams:
        return QParams(fields.positive_number("scale"), fields.integer("zero_point", 0, 255))
    return Interface(manifest.text("network"), inp.shape("shape"),
                     out.shape("model_shape", None),
                     qparams(inp), qparams(out))


def memory_map(manifest: Fields) -> MemoryMap:
    regions = [Region(r.text("name"), r.integer("offset"), r.integer("bytes"), r.text("kind"),
                      r.get("detail", optional=True) or "") for r in manifest.entries("regions")]
    memory = MemoryMap(regions)
    names = [r.name for r in regions]
    for name in (INPUT, "output"):
        if name not in names:
            raise ArtifactError(f"{manifest.file}: field 'regions' has no region {name!r}")
        if memory[name].offset != manifest.sub(name).integer("offset"):
            raise ArtifactError(f"{manifest.file}: field '{name}.offset' "
                                f"({manifest.sub(name).get('offset')}) is not region "
                                f"{name!r}'s offset ({memory[name].offset})")
    if memory.size != manifest.integer("dram_bytes"):
        raise ArtifactError(f"{manifest.file}: field 'dram_bytes' is {manifest.get('dram_bytes')}, "
                            f"its regions end at {memory.size}")
    return memory


def packing(manifest: Fields, written: tuple, net: Interface) -> PackedFirstLayer | None:
    fields = manifest.sub("input").sub("packing", optional=True)
    if fields is None:
        if written != net.input_shape:
            raise ArtifactError(f"{manifest.file}: field 'input.written_shape' {list(written)} "
                                f"differs from 'input.shape' {list(net.input_shape)} without "
                                f"'input.packing'")
        return None
    first = PackedFirstLayer(fields.shape("kernel", 2), fields.shape("stride", 2),
                             fields.counts("padding", 2, minimum=0), fields.shape("out_shape"))
    c, h, _ = net.input_shape
    if written != (first.kernel[1] * c, h, first.out_shape[2]):
        raise ArtifactError(f"{manifest.file}: field 'input.written_shape' {list(written)} is not "
                            f"the packed input of 'input.packing'")
    return first


def check_program(manifest: Fields, program: bytes, image: bytes, config: HardwareConfig,
                  layers: int) -> None:
    """The program header is the manifest's (magic, layers, build parameters) and dram.bin
    starts with program.bin."""
    where = manifest.file.parent
    if len(program) < header_bytes():
        raise ArtifactError(f"{where / 'program.bin'}: {len(program)} bytes, shorter than the "
                            f"{header_bytes()}-byte header")
    header = HEADER.decode(int.from_bytes(program[:header_bytes()], "little"))
    if header["magic"] != MAGIC:
        raise ArtifactError(f"{where / 'program.bin'}: magic {header['magic']:#x}, not a Tessel "
                            f"program ({MAGIC:#x})")
    if header["layers"] != layers:
        raise ArtifactError(f"{where / 'program.bin'}: {header['layers']} layer records, "
                            f"{manifest.file.name} lists {layers} layers")
    recorded = manifest.sub("build_parameters").data
    for key, value in build_parameters(config).items():
        if header[key] != value or recorded.get(key) != value:
            raise ArtifactError(f"{where / 'program.bin'}: build parameter {key} is {header[key]} "
                                f"in the header and {recorded.get(key)!r} in the manifest; the "
                                f"manifest's configuration has {value}")
    if image[:len(program)] != program:
        raise ArtifactError(f"{where / 'dram.bin'}: does not start with program.bin (the image "
                            f"holds the program at offset 0)")


def from_manifest(manifest: Fields, files: dict) -> ArtifactExecutable:
    config = hardware(manifest)
    net = interface(manifest)
    memory = memory_map(manifest)
    program, image = files["program.bin"], files["dram.bin"]
    for name, size, data in (("program.bytes", manifest.sub("program").integer("bytes"), program),
                             ("image_bytes", manifest.integer("image_bytes"), image)):
        if size != len(data):
            raise ArtifactError(f"{manifest.file}: field '{name}' is {size}, the file has "
                                f"{len(data)} bytes")
    layers = [layer.data for layer in manifest.entries("layers")]
    check_program(manifest, program, image, config, len(layers))
    written = manifest.sub("input").shape("written_shape")
    out = manifest.sub("output")
    shape = out.shape("shape")
    c, h, w = shape
    kp = config.array.k_p
    if out.integer("bytes") != channel_groups(c, kp) * h * w * kp or \
            int(np.prod(shape)) != int(np.prod(net.output_shape)):
        raise ArtifactError(f"{manifest.file}: fields 'output.bytes' ({out.get('bytes')}), "
                            f"'output.shape' {list(shape)} and 'output.model_shape' "
                            f"{list(net.output_shape)} do not agree")
    return ArtifactExecutable(config, net, layers, memory, program, image, written, shape,
                              image_crc32=manifest.sub("files").sub("dram.bin").integer("crc32"),
                              packing=packing(manifest, written, net))
