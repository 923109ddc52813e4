# ZCU104 build constraints. The accelerator has no package pins: every signal goes through the
# PS (AXI ports, pl_clk0, pl_resetn0, pl_ps_irq0), and the PS IP constrains pl_clk0 itself
# (create_clock at the configured frequency), so only bitstream options remain here.
set_property BITSTREAM.GENERAL.COMPRESS TRUE [current_design]
