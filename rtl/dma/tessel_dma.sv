// The accelerator's DMA: a read engine and a write engine sharing one AXI4 master port (read
// channels from tessel_dma_rd, write channels from tessel_dma_wr), one address window, one
// soft reset and one error report. An error in either engine (or stop_i: the weight masters
// failed) stops both: the job is over, and nothing more is read or written until clear_i.
module tessel_dma
  import tessel_dma_pkg::*;
#(
  /// Bits per AXI data beat and per stream beat (64, 128, 256 or 512).
  parameter int unsigned DataWidth = tessel_config_pkg::AxiDataWidth,
  /// AXI ID bits.
  parameter int unsigned IdWidth = tessel_config_pkg::AxiIdWidth,
  /// Bursts in flight per engine.
  parameter int unsigned MaxOutstanding = tessel_config_pkg::AxiMaxOutstanding,
  /// The AXI4 bus (tessel_axi_typedef.svh) at DataWidth, IdWidth, AddrWidth, and its halves.
  parameter type req_t = axi_req_t,
  parameter type resp_t = axi_resp_t,
  parameter type rd_req_t = axi_rd_req_t,
  parameter type rd_resp_t = axi_rd_resp_t,
  parameter type wr_req_t = axi_wr_req_t,
  parameter type wr_resp_t = axi_wr_resp_t,
  localparam int unsigned BeatBytes = DataWidth / 8,
  localparam int unsigned CntWidth = $clog2(BeatBytes) + 1
) (
  input  logic                    clk_i,
  input  logic                    rst_i,
  input  logic                    clear_i,       // soft reset (one cycle)
  input  logic                    stop_i,        // another DMA of the accelerator failed: stop
  input  logic [AddrWidth-1:0]    win_base_i,
  input  logic [AddrWidth-1:0]    win_limit_i,

  input  logic                    rd_cmd_valid_i,
  output logic                    rd_cmd_ready_o,
  input  dma_cmd_t                rd_cmd_i,
  output logic                    rd_valid_o,
  input  logic                    rd_ready_i,
  output logic [DataWidth-1:0]    rd_data_o,
  output logic                    rd_last_o,
  output logic [CntWidth-1:0]     rd_bytes_o,
  output logic                    rd_done_o,

  input  logic                    wr_cmd_valid_i,
  output logic                    wr_cmd_ready_o,
  input  dma_cmd_t                wr_cmd_i,
  input  logic                    wr_valid_i,
  output logic                    wr_ready_o,
  input  logic [DataWidth-1:0]    wr_data_i,
  input  logic                    wr_last_i,
  output logic                    wr_done_o,

  output logic                    busy_o,
  output logic                    err_valid_o,   // held until clear_i
  output dma_err_e                err_code_o,
  output logic [ExtAddrWidth-1:0] err_addr_o,

  output req_t                    axi_req_o,     // the AXI4 master
  input  resp_t                   axi_resp_i
);
  logic     rd_busy, rd_err, wr_busy, wr_err;
  dma_err_e rd_err_code, wr_err_code;
  logic [ExtAddrWidth-1:0] rd_err_addr, wr_err_addr;

  tessel_dma_rd #(
    .DataWidth     (DataWidth),
    .IdWidth       (IdWidth),
    .MaxOutstanding(MaxOutstanding),
    .rd_req_t      (rd_req_t),
    .rd_resp_t     (rd_resp_t)
  ) u_rd (
    .clk_i        (clk_i),
    .rst_i        (rst_i),
    .clear_i      (clear_i),
    .stop_i       (wr_err || stop_i),
    .win_base_i   (win_base_i),
    .win_limit_i  (win_limit_i),
    .cmd_valid_i  (rd_cmd_valid_i),
    .cmd_ready_o  (rd_cmd_ready_o),
    .cmd_i        (rd_cmd_i),
    .rd_valid_o   (rd_valid_o),
    .rd_ready_i   (rd_ready_i),
    .rd_data_o    (rd_data_o),
    .rd_last_o    (rd_last_o),
    .rd_bytes_o   (rd_bytes_o),
    .done_o       (rd_done_o),
    .busy_o       (rd_busy),
    .err_valid_o  (rd_err),
    .err_code_o   (rd_err_code),
    .err_addr_o   (rd_err_addr),
    .axi_req_o    (axi_req_o.rd),
    .axi_resp_i   (axi_resp_i.rd)
  );

  tessel_dma_wr #(
    .DataWidth     (DataWidth),
    .IdWidth       (IdWidth),
    .MaxOutstanding(MaxOutstanding),
    .wr_req_t      (wr_req_t),
    .wr_resp_t     (wr_resp_t)
  ) u_wr (
    .clk_i        (clk_i),
    .rst_i        (rst_i),
    .clear_i      (clear_i),
    .stop_i       (rd_err || stop_i),
    .win_base_i   (win_base_i),
    .win_limit_i  (win_limit_i),
    .cmd_valid_i  (wr_cmd_valid_i),
    .cmd_ready_o  (wr_cmd_ready_o),
    .cmd_i        (wr_cmd_i),
    .wr_valid_i   (wr_valid_i),
    .wr_ready_o   (wr_ready_o),
    .wr_data_i    (wr_data_i),
    .wr_last_i    (wr_last_i),
    .done_o       (wr_done_o),
    .busy_o       (wr_busy),
    .err_valid_o  (wr_err),
    .err_code_o   (wr_err_code),
    .err_addr_o   (wr_err_addr),
    .axi_req_o    (axi_req_o.wr),
    .axi_resp_i   (axi_resp_i.wr)
  );

  // The first engine to fail stops the other at once (stop_i), so at most both fail in the
  // same cycle; the read engine's report wins then.
  assign busy_o      = rd_busy || wr_busy;
  assign err_valid_o = rd_err || wr_err;
  assign err_code_o  = rd_err ? rd_err_code : wr_err_code;
  assign err_addr_o  = rd_err ? rd_err_addr : wr_err_addr;
endmodule
