"""The plan: what a network becomes on the accelerator, before any byte or cycle. The back end
(bytes) and the mapper (cycles, resources, design-space exploration) both build on it; neither
imports the other.

    layers.py          IR ops to hardware layers (a residual add fused into its convolution,
                       a first layer's input taps packed)
    input_packing.py   when and how a first layer's horizontal kernel taps become channels
    shape.py           a hardware layer's shape: input, tiling geometry, pixels per pass,
                       parameter words
    tiling.py          how a layer is cut into tiles and in which order they run
    tiling_reasons.py  why a layer's tiles are as large as they are
    fields.py          packed bit-field records
    descriptor.py      the records the hardware reads (tile descriptor, parameters, layer
                       record) and their sizes in DRAM
"""
