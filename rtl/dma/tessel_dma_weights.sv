// The weight read masters: Ports read engines (tessel_dma_rd), each with an AXI4 read master of
// its own (AR and R channels; a ZCU104 HP port each), sharing the DMA window, soft reset and
// one error report. The controller splits a tile's weights over them, so weights load beside
// the input band at Ports times one master's bandwidth. The first engine to fail stops the
// others (and stop_i stops all: the main DMA failed); the lowest-numbered report wins.
module tessel_dma_weights
  import tessel_dma_pkg::*;
#(
  /// Read masters (1..4).
  parameter int unsigned Ports = 2,
  /// Bits per AXI data beat and per stream beat.
  parameter int unsigned DataWidth = tessel_config_pkg::AxiDataWidth,
  /// AXI ID bits.
  parameter int unsigned IdWidth = tessel_config_pkg::AxiIdWidth,
  /// Bursts in flight per engine.
  parameter int unsigned MaxOutstanding = tessel_config_pkg::AxiMaxOutstanding,
  /// The read half of the AXI4 bus (tessel_axi_typedef.svh) at DataWidth, IdWidth, AddrWidth.
  parameter type rd_req_t = axi_rd_req_t,
  parameter type rd_resp_t = axi_rd_resp_t,
  localparam int unsigned BeatBytes = DataWidth / 8,
  localparam int unsigned CntWidth = $clog2(BeatBytes) + 1
) (
  input  logic                                clk_i,
  input  logic                                rst_i,
  input  logic                                clear_i,   // soft reset (one cycle)
  input  logic                                stop_i,    // the main DMA failed: stop too
  input  logic [AddrWidth-1:0]                win_base_i,
  input  logic [AddrWidth-1:0]                win_limit_i,

  input  logic [Ports-1:0]                    cmd_valid_i,
  output logic [Ports-1:0]                    cmd_ready_o,
  input  dma_cmd_t [Ports-1:0]                cmd_i,
  output logic [Ports-1:0]                    rd_valid_o,
  input  logic [Ports-1:0]                    rd_ready_i,
  output logic [Ports-1:0][DataWidth-1:0]     rd_data_o,
  output logic [Ports-1:0]                    rd_last_o,
  output logic [Ports-1:0][CntWidth-1:0]      rd_bytes_o,

  output logic                                busy_o,
  output logic                                err_valid_o,  // held until clear_i
  output dma_err_e                            err_code_o,
  output logic [ExtAddrWidth-1:0]             err_addr_o,

  output rd_req_t  [Ports-1:0]                axi_req_o,  // read-only AXI4 masters
  input  rd_resp_t [Ports-1:0]                axi_resp_i
);
  if (Ports < 1 || Ports > 4) begin : gen_bad_ports
    $error("%m: Ports must be 1..4 (a ZCU104 has four HP ports), got %0d", Ports);
  end

  logic [Ports-1:0] busy, err;
  dma_err_e [Ports-1:0] err_code;
  logic [Ports-1:0][ExtAddrWidth-1:0] err_addr;

  for (genvar p = 0; p < Ports; p++) begin : gen_port
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
      .stop_i       (stop_i || (|(err & ~(Ports'(1) << p)))),
      .win_base_i   (win_base_i),
      .win_limit_i  (win_limit_i),
      .cmd_valid_i  (cmd_valid_i[p]),
      .cmd_ready_o  (cmd_ready_o[p]),
      .cmd_i        (cmd_i[p]),
      .rd_valid_o   (rd_valid_o[p]),
      .rd_ready_i   (rd_ready_i[p]),
      .rd_data_o    (rd_data_o[p]),
      .rd_last_o    (rd_last_o[p]),
      .rd_bytes_o   (rd_bytes_o[p]),
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
