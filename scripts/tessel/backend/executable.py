"""A compiled network as the accelerator runs it: hardware layers, their tiling plans, the DRAM
memory map, the program, and the DRAM image (program, parameters, weights; the host adds the
input image). The host writes inputs and reads outputs through `write_input` / `read_output`.

`assemble` lays out and writes the bytes of layers whose tiling the mapper has chosen
(tessel.lowering.build puts the two together).
"""

from dataclasses import dataclass

import numpy as np

from ..config import HardwareConfig
from ..ir import INPUT, Graph, QParams
from ..plan.descriptor import PARAM_CHANNEL, layer_record, param_word_bytes, record_bytes
from ..plan.input_packing import pack_input
from ..plan.layers import HwLayer
from ..plan.shape import LayerShape
from ..plan.tiling import INPUT_OUTER, TilePlan
from ..plan.tiling_reasons import PredictedCycles
from .core_tile import LayerImage
from .integrity import crc32, weight_prefix_sums
from .layout import channel_groups, from_words, to_words
from .memory_map import MemoryMap, Region
from .program import ORDER_INPUT_OUTER, encode_program, header_bytes


@dataclass
class CompiledLayer:
    hw: HwLayer
    image: LayerImage
    shape: LayerShape
    plan: TilePlan              # the tiling the mapper chose
    predicted: PredictedCycles  # the cycles behind that choice (the compile report)
    fields: dict = None


@dataclass
class Executable:
    config: HardwareConfig
    graph: Graph
    layers: list
    memory: MemoryMap
    program: bytes
    image: bytes           # the DRAM image without input: program, parameters, weights
    input_shape: tuple     # (C, H, W) as written to DRAM (packed for a packed first layer)
    output_shape: tuple    # (C, H, W) of the network output
    image_crc32: int | None = None  # recorded when the image was written to files (tessel.load):
                                    # whoever loads it into DRAM checks it first

    @property
    def input_q(self) -> QParams:
        return self.graph.input_q

    def input_bytes(self, x_u8: np.ndarray) -> bytes:
        """One uint8 image (C, H, W) as the accelerator reads it (packed if the first layer
        is; channel groups of c_p)."""
        first = self.layers[0].hw
        if first.packed_input and INPUT in first.inputs:
            x_u8 = pack_input(x_u8, first.source_op, self.graph.input_q.zero_point)
        return to_words(x_u8, self.config.array.c_p).tobytes()

    def output_from_bytes(self, data: bytes) -> np.ndarray:
        c, h, w = self.output_shape
        kp = self.config.array.k_p
        words = np.frombuffer(data, np.uint8).reshape(channel_groups(c, kp), h, w, kp)
        return from_words(words, c)

    def dram_image(self, x_u8: np.ndarray | None = None) -> bytearray:
        """The whole DRAM window: the compiled image, plus one input image if given."""
        data = bytearray(self.memory.size)
        data[:len(self.image)] = self.image
        if x_u8 is not None:
            region = self.memory[INPUT]
            blob = self.input_bytes(x_u8)
            data[region.offset:region.offset + len(blob)] = blob
        return data

    @property
    def output_bytes(self) -> int:
        """Bytes of the output tensor in DRAM (whole channel groups of k_p)."""
        c, h, w = self.output_shape
        return channel_groups(c, self.config.array.k_p) * h * w * self.config.array.k_p

    def read_output(self, dram: bytes) -> np.ndarray:
        region = self.memory["output"]
        return self.output_from_bytes(bytes(dram[region.offset:region.offset + self.output_bytes]))


def _tensor_bytes(shape, width) -> int:
    c, h, w = shape
    return channel_groups(c, width) * h * w * width


def assemble(graph: Graph, config: HardwareConfig, compiled: list[CompiledLayer],
             reuse_memory: bool = True) -> Executable:
    """The memory map, program and DRAM image of the network's layers, in order."""
    packed_shape = compiled[0].shape.in_shape  # what the host writes

    # ---- memory map ---------------------------------------------------------------------
    cp, kp = config.array.c_p, config.array.k_p
    memory = MemoryMap()
    program_size = header_bytes() + record_bytes(config) * len(compiled)
    memory.add("program", program_size, "program", f"header + {len(compiled)} layer records")
    pw = param_word_bytes(config)
    for layer in compiled:
        memory.add(f"params/{layer.hw.name}", len(layer.image.params) * pw, "parameters",
                   f"{len(layer.image.params)} output groups x {pw} bytes")
    for layer in compiled:
        if layer.image.weights is not None:
            memory.add(f"weights/{layer.hw.name}", layer.image.weights.size, "weights",
                       f"{layer.image.weights.shape[0]} groups x {layer.image.weights.shape[1]} words")
    last_use = {INPUT: 0}
    for layer in compiled:
        for name in layer.hw.inputs:
            last_use[name] = layer.hw.index
    out_name = compiled[-1].hw.output
    tensors = [(INPUT, _tensor_bytes(packed_shape, cp), -1, last_use[INPUT], "network input")]
    for layer in compiled:
        name = layer.hw.output
        last = len(compiled) if name == out_name else last_use.get(name, layer.hw.index)
        tensors.append((name, _tensor_bytes(layer.hw.op.out_shape, kp), layer.hw.index, last,
                        f"output of layer {layer.hw.index}"))
    memory.allocate_tensors(tensors, reuse=reuse_memory)
    memory.regions.append(_alias(memory[out_name], "output"))

    # ---- program and image ----------------------------------------------------------------
    params = {layer.hw.name: param_bytes(layer, config) for layer in compiled}
    records = []
    for layer in compiled:
        t = layer.image.template
        fields = {k: v for k, v in t.items() if k in {f.name for f in layer_record(config).fields}}
        fields.update(tile_rows=layer.plan.rows, tile_kgroups=layer.plan.kgroups,
                      order=ORDER_INPUT_OUTER if layer.plan.order == INPUT_OUTER else 0,
                      in_addr=memory[layer.hw.inputs[0]].offset,
                      res_addr=memory[layer.hw.inputs[1]].offset if len(layer.hw.inputs) > 1 else 0,
                      out_addr=memory[layer.hw.output].offset,
                      wt_addr=memory[f"weights/{layer.hw.name}"].offset if layer.image.weights is not None else 0,
                      param_addr=memory[f"params/{layer.hw.name}"].offset,
                      param_crc=crc32(params[layer.hw.name]))
        layer.fields = fields
        records.append(fields)
    program = encode_program(config, records)
    image = bytearray(max(r.end for r in memory.regions if r.kind != "tensor"))
    image[:len(program)] = program
    for layer in compiled:
        region = memory[f"params/{layer.hw.name}"]
        image[region.offset:region.offset + region.size] = params[layer.hw.name]
        if layer.image.weights is not None:
            region = memory[f"weights/{layer.hw.name}"]
            image[region.offset:region.offset + region.size] = layer.image.weights.tobytes()
    return Executable(config, graph, compiled, memory, program, bytes(image), packed_shape,
                      graph.op(graph.output).out_shape)


def param_bytes(layer: CompiledLayer, config: HardwareConfig) -> bytes:
    """A layer's parameter words as DRAM holds them: each output group's channel records, then
    the weights' check sum up to that group (integrity.py; 0 without weights)."""
    pw, groups = param_word_bytes(config), len(layer.image.params)
    weights = layer.image.weights
    checks = ([0] * groups if weights is None else
              weight_prefix_sums(weights.tobytes(), groups, config.axi.data_width // 8))
    shift = config.array.k_p * PARAM_CHANNEL.width
    return b"".join((word | check << shift).to_bytes(pw, "little")
                    for word, check in zip(layer.image.params, checks))


def _alias(region, name):
    return Region(name, region.offset, region.size, "tensor", f"the network output ({region.name})",
                  region.lifetime)
