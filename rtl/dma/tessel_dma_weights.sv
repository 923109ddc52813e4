// The weight read masters: Ports read engines (tessel_dma_rd), each with an AXI4 read master of
// its own (AR and R channels; a ZCU104 HP port each), sharing the DMA window, soft reset and
// one error report. The controller splits a tile's weights over them, so weights load beside
// the input band at Ports times one master's bandwidth. Each engine's command and stream is
// one port (tessel_dma_pkg's dma_rd_req_t / dma_rd_resp_t, at the configuration's bus width).
// The first engine to fail stops the others (and stop_i stops all: the main DMA failed); the
// lowest-numbered report wins.
module tessel_dma_weights
  import tessel_dma_pkg::*;
#(
  /// Read masters (1..4).
  parameter int unsigned Ports = 2,
  /// The read half of the AXI4 bus (tessel_axi_typedef.svh) of the configuration.
  parameter type rd_req_t = axi_rd_req_t,
  parameter type rd_resp_t = axi_rd_resp_t
) (
  input  logic                       clk_i,
  input  logic                       rst_i,
  input  logic                       clear_i,   // soft reset (one cycle)
  input  logic                       stop_i,    // the main DMA failed: stop too
  input  logic [AddrWidth-1:0]       win_base_i,
  input  logic [AddrWidth-1:0]       win_limit_i,

  input  dma_rd_req_t  [Ports-1:0]   port_req_i,   // each engine's command and stream
  output dma_rd_resp_t [Ports-1:0]   port_resp_o,

  output logic                       busy_o,
  output logic                       err_valid_o,  // held until clear_i
  output dma_err_e                   err_code_o,
  output logic [ExtAddrWidth-1:0]    err_addr_o,

  output rd_req_t  [Ports-1:0]       axi_req_o,    // read-only AXI4 masters
  input  rd_resp_t [Ports-1:0]       axi_resp_i
);
  if (Ports < 1 || Ports > 4) begin : gen_bad_ports
    $error("%m: Ports must be 1..4 (a ZCU104 has four HP ports), got %0d", Ports);
  end

  logic [Ports-1:0] busy, err;
  dma_err_e [Ports-1:0] err_code;
  logic [Ports-1:0][ExtAddrWidth-1:0] err_addr;

  for (genvar p = 0; p < Ports; p++) begin : gen_port
    tessel_dma_rd #(
      .rd_req_t (rd_req_t),
      .rd_resp_t(rd_resp_t)
    ) u_rd (
      .clk_i        (clk_i),
      .rst_i        (rst_i),
      .clear_i      (clear_i),
      .stop_i       (stop_i || (|(err & ~(Ports'(1) << p)))),
      .win_base_i   (win_base_i),
      .win_limit_i  (win_limit_i),
      .cmd_valid_i  (port_req_i[p].cmd_valid),
      .cmd_ready_o  (port_resp_o[p].cmd_ready),
      .cmd_i        (port_req_i[p].cmd),
      .rd_valid_o   (port_resp_o[p].valid),
      .rd_ready_i   (port_req_i[p].ready),
      .rd_data_o    (port_resp_o[p].data),
      .rd_last_o    (port_resp_o[p].last),
      .rd_bytes_o   (port_resp_o[p].bytes),
      .done_o       (),
      .busy_o       (busy[p]),
      .err_valid_o  (err[p]),
      .err_code_o   (err_code[p]),
      .err_addr_o   (err_addr[p]),
      .axi_req_o    (axi_req_o[p]),
      .axi_resp_i   (axi_resp_i[p])
    );
  end

  // The lowest-numbered failed engine reports.
  always_comb begin
    err_code_o = DmaErrNone;
    err_addr_o = '0;
    for (int p = Ports - 1; p >= 0; p--) begin
      if (err[p]) begin
        err_code_o = err_code[p];
        err_addr_o = err_addr[p];
      end
    end
  end
  assign busy_o      = |busy;
  assign err_valid_o = |err;
endmodule
