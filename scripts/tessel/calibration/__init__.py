"""Tools that check the cost and resource models against the hardware: they run simulators and
synthesis, so they sit above the product (the mapper only reads what they stored).

    rtl_check.py            the cost model against the RTL's own per-layer cycle counters
    calibrate_resources.py  yosys runs of tessel_top that calibrate the resource model
                            (python -m tessel.calibration.calibrate_resources)
"""
