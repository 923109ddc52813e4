"""Runtime: one driver (registers, buffers, start, interrupt, read back, errors) over a small
MMIO/memory interface, with backends for the Verilator simulation and the ZCU104 board."""
