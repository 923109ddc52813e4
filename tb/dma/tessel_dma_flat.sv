// tessel_dma with its AXI4 master as flat m_axi_* wires, for cocotbext-axi (a testbench
// cannot reach the fields of a struct port). The bus types follow DataWidth and IdWidth, so
// one build serves any bus width of the configuration's address width.
`include "tessel_axi_typedef.svh"
`include "tessel_axi_port.svh"

module tessel_dma_flat
  import tessel_dma_pkg::*;
#(
  /// Bits per AXI data beat and per stream beat (64, 128, 256 or 512).
  parameter int unsigned DataWidth = tessel_config_pkg::AxiDataWidth,
  /// AXI ID bits.
  parameter int unsigned IdWidth = tessel_config_pkg::AxiIdWidth,
  /// Bursts in flight per engine.
  parameter int unsigned MaxOutstanding = tessel_config_pkg::AxiMaxOutstanding,
  localparam int unsigned CntWidth = $clog2(DataWidth / 8) + 1
) (
  input  logic clk_i, rst_i, clear_i, stop_i,
  input  logic [AddrWidth-1:0] win_base_i, win_limit_i,
  input  logic rd_cmd_valid_i, rd_ready_i, wr_cmd_valid_i, wr_valid_i, wr_last_i,
  input  dma_cmd_t rd_cmd_i, wr_cmd_i,
  input  logic [DataWidth-1:0] wr_data_i,
  output logic [DataWidth-1:0] rd_data_o,
  output logic rd_cmd_ready_o, rd_valid_o, rd_last_o, rd_done_o, wr_cmd_ready_o, wr_ready_o,
  output logic wr_done_o, busy_o, err_valid_o,
  output logic [CntWidth-1:0] rd_bytes_o,
  output dma_err_e err_code_o,
  output logic [ExtAddrWidth-1:0] err_addr_o,
  `TESSEL_AXI_PORTS(m_axi, output, input, , IdWidth, AddrWidth, DataWidth)
);
  `TESSEL_AXI_TYPEDEF_ALL(bus, logic [AddrWidth-1:0], logic [IdWidth-1:0], logic [DataWidth-1:0],
                          logic [DataWidth/8-1:0])
  bus_req_t  req;
  bus_resp_t resp;
  assign `TESSEL_AXI_WR_REQ(m_axi, ) = req.wr;
  assign `TESSEL_AXI_RD_REQ(m_axi, ) = req.rd;
  assign resp.wr = `TESSEL_AXI_WR_RESP(m_axi, );
  assign resp.rd = `TESSEL_AXI_RD_RESP(m_axi, );

  tessel_dma #(
    .DataWidth     (DataWidth),
    .IdWidth       (IdWidth),
    .MaxOutstanding(MaxOutstanding),
    .req_t         (bus_req_t),
    .resp_t        (bus_resp_t),
    .rd_req_t      (bus_rd_req_t),
    .rd_resp_t     (bus_rd_resp_t),
    .wr_req_t      (bus_wr_req_t),
    .wr_resp_t     (bus_wr_resp_t)
  ) u_dma (
    .clk_i, .rst_i, .clear_i, .stop_i, .win_base_i, .win_limit_i,
    .rd_cmd_valid_i, .rd_cmd_ready_o, .rd_cmd_i, .rd_valid_o, .rd_ready_i, .rd_data_o,
    .rd_last_o, .rd_bytes_o, .rd_done_o,
    .wr_cmd_valid_i, .wr_cmd_ready_o, .wr_cmd_i, .wr_valid_i, .wr_ready_o, .wr_data_i,
    .wr_last_i, .wr_done_o,
    .busy_o, .err_valid_o, .err_code_o, .err_addr_o,
    .axi_req_o (req), .axi_resp_i (resp)
  );
endmodule
