"""The mapper: what a hardware configuration costs and how each layer runs on it, before any
simulation or synthesis.

    cost.py        cycles and DRAM traffic per layer, following the tiling controller
    mapping.py     each layer's tile size and loop order, chosen by predicted cycles
    rtl_check.py   the cost model against the RTL's own cycle counters
    board.py       board descriptions (configs/boards/): resources, clock, DRAM bandwidth
    resources.py   FPGA resources of a configuration, calibrated on yosys runs
    dse.py         the fastest configuration for a network on a board
"""
