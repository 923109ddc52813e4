# Block design of the ZCU104 build (FuseSoC target zcu104), sourced by the Vivado project script
# after the RTL is read. Needs tessel_params.tcl (generated from the configuration, sourced
# before this file) for the clock, the data width, the shell module's name and the number of
# weight masters; the generated tessel_ram_style.xdc tells Vivado which buffers are UltraRAM.
#
#   PS (zynq_ultra_ps_e, ZCU104 board preset: DDR4, MIO, clocks)
#     pl_clk0 (tessel_clock_mhz) -> accelerator, SmartConnects, the PS's AXI port clocks
#     pl_resetn0 -> proc_sys_reset -> accelerator rst (active high), interconnect aresetn
#     M_AXI_HPM0_FPD -> SmartConnect -> accelerator s_axil (AXI4-Lite registers, 4 KB)
#     accelerator m_axi (AXI4 DMA master) -> SmartConnect -> S_AXI_HP0_FPD (128-bit) -> DDR
#     accelerator m_axi_wt<p> (read-only weight masters, p < tessel_weight_ports <= 3)
#       -> SmartConnect sc_wt<p> -> S_AXI_HP<p+1>_FPD (HP1, HP2, HP3) -> DDR
#     accelerator irq -> pl_ps_irq0
# Output: the block design, its wrapper (the project's top) and <project>.hwh beside the
# bitstream, the hardware handoff PYNQ reads.

set bd tessel_zcu104_bd
set here [file dirname [file normalize [info script]]]
# The PS has four HP FPD ports and the DMA master holds HP0: one each for at most 3 weight
# masters (sharing a port through a SmartConnect would share its bandwidth too).
if {$tessel_weight_ports > 3} {
  error "tessel: configuration $tessel_config has $tessel_weight_ports weight masters\
    (axi.weight_ports), the ZCU104 has HP1..HP3 FPD free for at most 3"
}
# The module reference elaborates tessel_top: it needs the include folder now.
set_property include_dirs [list [file normalize $here/../../rtl/common]] [get_filesets sources_1]

create_bd_design $bd

set ps [create_bd_cell -type ip -vlnv xilinx.com:ip:zynq_ultra_ps_e ps]
apply_bd_automation -rule xilinx.com:bd_rule:zynq_ultra_ps_e -config {apply_board_preset "1"} $ps
set ps_config [list \
  CONFIG.PSU__USE__M_AXI_GP0 {1} \
  CONFIG.PSU__MAXIGP0__DATA_WIDTH {32} \
  CONFIG.PSU__USE__M_AXI_GP1 {0} \
  CONFIG.PSU__USE__M_AXI_GP2 {0} \
  CONFIG.PSU__USE__S_AXI_GP2 {1} \
  CONFIG.PSU__SAXIGP2__DATA_WIDTH $tessel_axi_data_width \
  CONFIG.PSU__USE__IRQ0 {1} \
  CONFIG.PSU__FPGA_PL0_ENABLE {1} \
  CONFIG.PSU__CRL_APB__PL0_REF_CTRL__FREQMHZ $tessel_clock_mhz \
]
# S_AXI_HP<n>_FPD is the PS's slave port S_AXI_GP<n+2>.
for {set p 0} {$p < $tessel_weight_ports} {incr p} {
  set gp [expr {$p + 3}]
  lappend ps_config CONFIG.PSU__USE__S_AXI_GP$gp {1} \
    CONFIG.PSU__SAXIGP${gp}__DATA_WIDTH $tessel_axi_data_width
}
set_property -dict $ps_config $ps

set accel [create_bd_cell -type module -reference $tessel_shell_module accel]
set reset [create_bd_cell -type ip -vlnv xilinx.com:ip:proc_sys_reset reset]
set sc_regs [create_bd_cell -type ip -vlnv xilinx.com:ip:smartconnect sc_regs]
set sc_dma [create_bd_cell -type ip -vlnv xilinx.com:ip:smartconnect sc_dma]
set_property -dict [list CONFIG.NUM_SI {1} CONFIG.NUM_MI {1}] $sc_regs
set_property -dict [list CONFIG.NUM_SI {1} CONFIG.NUM_MI {1}] $sc_dma

# Clock and reset.
connect_bd_net [get_bd_pins ps/pl_clk0] [get_bd_pins accel/clk] \
  [get_bd_pins ps/maxihpm0_fpd_aclk] [get_bd_pins ps/saxihp0_fpd_aclk] \
  [get_bd_pins reset/slowest_sync_clk] [get_bd_pins sc_regs/aclk] [get_bd_pins sc_dma/aclk]
connect_bd_net [get_bd_pins ps/pl_resetn0] [get_bd_pins reset/ext_reset_in]
connect_bd_net [get_bd_pins reset/peripheral_reset] [get_bd_pins accel/rst]
connect_bd_net [get_bd_pins reset/interconnect_aresetn] [get_bd_pins sc_regs/aresetn] \
  [get_bd_pins sc_dma/aresetn]

# Registers, DMA, interrupt.
connect_bd_intf_net [get_bd_intf_pins ps/M_AXI_HPM0_FPD] [get_bd_intf_pins sc_regs/S00_AXI]
connect_bd_intf_net [get_bd_intf_pins sc_regs/M00_AXI] [get_bd_intf_pins accel/s_axil]
connect_bd_intf_net [get_bd_intf_pins accel/m_axi] [get_bd_intf_pins sc_dma/S00_AXI]
connect_bd_intf_net [get_bd_intf_pins sc_dma/M00_AXI] [get_bd_intf_pins ps/S_AXI_HP0_FPD]
connect_bd_net [get_bd_pins accel/irq] [get_bd_pins ps/pl_ps_irq0]

# Weight masters: weight master p through SmartConnect sc_wt<p> to HP<p+1>, clocked and reset
# like sc_dma.
for {set p 0} {$p < $tessel_weight_ports} {incr p} {
  set hp [expr {$p + 1}]
  set sc_wt [create_bd_cell -type ip -vlnv xilinx.com:ip:smartconnect sc_wt$p]
  set_property -dict [list CONFIG.NUM_SI {1} CONFIG.NUM_MI {1}] $sc_wt
  connect_bd_net [get_bd_pins ps/pl_clk0] [get_bd_pins ps/saxihp${hp}_fpd_aclk] \
    [get_bd_pins sc_wt$p/aclk]
  connect_bd_net [get_bd_pins reset/interconnect_aresetn] [get_bd_pins sc_wt$p/aresetn]
  connect_bd_intf_net [get_bd_intf_pins accel/m_axi_wt$p] [get_bd_intf_pins sc_wt$p/S00_AXI]
  connect_bd_intf_net [get_bd_intf_pins sc_wt$p/M00_AXI] [get_bd_intf_pins ps/S_AXI_HP${hp}_FPD]
}

# Addresses: the registers at 0xA000_0000 (the start of HPM0_FPD's window), the DMA and the
# weight masters see DDR.
assign_bd_address -offset 0xA0000000 -range $tessel_regs_bytes \
  -target_address_space [get_bd_addr_spaces ps/Data] [get_bd_addr_segs accel/s_axil/*]
assign_bd_address

validate_bd_design
save_bd_design

set bd_file [get_files $bd.bd]
# Global synthesis: the accelerator is synthesized with the top, under tessel_ram_style.xdc.
set_property synth_checkpoint_mode None $bd_file
add_files -norecurse [make_wrapper -files $bd_file -top]
generate_target all $bd_file
# PYNQ loads <name>.bit with <name>.hwh beside it; the run script copies the bitstream to
# <project>.bit in this folder.
set hwh [lindex [get_files -all -of_objects $bd_file *.hwh] 0]
file copy -force $hwh [file join [pwd] [current_project].hwh]
puts "tessel: block design $bd for $tessel_config at $tessel_clock_mhz MHz, hardware handoff [current_project].hwh"
