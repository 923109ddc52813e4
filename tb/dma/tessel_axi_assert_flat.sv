// tessel_axi_assert with a flat input for every AXI4 wire (axi_awid ... axi_rready), so
// tb_axi_assert.py can drive each channel by name.
`include "tessel_axi_typedef.svh"
`include "tessel_axi_port.svh"

module tessel_axi_assert_flat #(
  parameter int unsigned DataWidth = 64,
  parameter int unsigned AddrWidth = 40,
  parameter int unsigned IdWidth = 4
) (
  input logic clk_i, rst_i,
  `TESSEL_AXI_PORTS(axi, input, input, , IdWidth, AddrWidth, DataWidth)
);
  `TESSEL_AXI_TYPEDEF_ALL(bus, logic [AddrWidth-1:0], logic [IdWidth-1:0], logic [DataWidth-1:0],
                          logic [DataWidth/8-1:0])
  tessel_axi_assert #(
    .AddrWidth(AddrWidth),
    .wr_req_t (bus_wr_req_t),
    .wr_resp_t(bus_wr_resp_t),
    .rd_req_t (bus_rd_req_t),
    .rd_resp_t(bus_rd_resp_t)
  ) u_assert (
    .clk_i, .rst_i,
    .wr_req_i  (`TESSEL_AXI_WR_REQ(axi, )),
    .wr_resp_i (`TESSEL_AXI_WR_RESP(axi, )),
    .rd_req_i  (`TESSEL_AXI_RD_REQ(axi, )),
    .rd_resp_i (`TESSEL_AXI_RD_RESP(axi, ))
  );
endmodule
