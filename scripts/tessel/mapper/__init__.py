"""The mapper: what a hardware configuration costs and how each layer runs on it, before any
simulation or synthesis.

    cost.py        cycles and DRAM traffic per layer, following the tiling controller
    mapping.py     each layer's tile size and loop order, chosen by predicted cycles
    board.py       board descriptions (configs/boards/): resources, clock, DRAM bandwidth
    resources.py   FPGA resources of a configuration, calibrated on yosys runs
                   (resource_calibration.json, written by tessel.calibration)
    dse.py         the fastest configuration for a network on a board
"""
