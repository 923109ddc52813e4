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

  output logic [IdWidth-1:0]      m_axi_awid,
  output logic [AddrWidth-1:0]    m_axi_awaddr,
  output logic [7:0]              m_axi_awlen,
  output logic [2:0]              m_axi_awsize,
  output logic [1:0]              m_axi_awburst,
  output logic                    m_axi_awlock,
  output logic [3:0]              m_axi_awcache,
  output logic [2:0]              m_axi_awprot,
  output logic [3:0]              m_axi_awqos,
  output logic                    m_axi_awvalid,
  input  logic                    m_axi_awready,
  output logic [DataWidth-1:0]    m_axi_wdata,
  output logic [BeatBytes-1:0]    m_axi_wstrb,
  output logic                    m_axi_wlast,
  output logic                    m_axi_wvalid,
  input  logic                    m_axi_wready,
  input  logic [IdWidth-1:0]      m_axi_bid,
  input  logic [1:0]              m_axi_bresp,
  input  logic                    m_axi_bvalid,
  output logic                    m_axi_bready,
  output logic [IdWidth-1:0]      m_axi_arid,
  output logic [AddrWidth-1:0]    m_axi_araddr,
  output logic [7:0]              m_axi_arlen,
  output logic [2:0]              m_axi_arsize,
  output logic [1:0]              m_axi_arburst,
  output logic                    m_axi_arlock,
  output logic [3:0]              m_axi_arcache,
  output logic [2:0]              m_axi_arprot,
  output logic [3:0]              m_axi_arqos,
  output logic                    m_axi_arvalid,
  input  logic                    m_axi_arready,
  input  logic [IdWidth-1:0]      m_axi_rid,
  input  logic [DataWidth-1:0]    m_axi_rdata,
  input  logic [1:0]              m_axi_rresp,
  input  logic                    m_axi_rlast,
  input  logic                    m_axi_rvalid,
  output logic                    m_axi_rready
);
  logic     rd_busy, rd_err, wr_busy, wr_err;
  dma_err_e rd_err_code, wr_err_code;
  logic [ExtAddrWidth-1:0] rd_err_addr, wr_err_addr;

  tessel_dma_rd #(
    .DataWidth     (DataWidth),
    .IdWidth       (IdWidth),
    .MaxOutstanding(MaxOutstanding)
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
    .m_axi_arid   (m_axi_arid),
    .m_axi_araddr (m_axi_araddr),
    .m_axi_arlen  (m_axi_arlen),
    .m_axi_arsize (m_axi_arsize),
    .m_axi_arburst(m_axi_arburst),
    .m_axi_arlock (m_axi_arlock),
    .m_axi_arcache(m_axi_arcache),
    .m_axi_arprot (m_axi_arprot),
    .m_axi_arqos  (m_axi_arqos),
    .m_axi_arvalid(m_axi_arvalid),
    .m_axi_arready(m_axi_arready),
    .m_axi_rid    (m_axi_rid),
    .m_axi_rdata  (m_axi_rdata),
    .m_axi_rresp  (m_axi_rresp),
    .m_axi_rlast  (m_axi_rlast),
    .m_axi_rvalid (m_axi_rvalid),
    .m_axi_rready (m_axi_rready)
  );

  tessel_dma_wr #(
    .DataWidth     (DataWidth),
    .IdWidth       (IdWidth),
    .MaxOutstanding(MaxOutstanding)
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
    .m_axi_awid   (m_axi_awid),
    .m_axi_awaddr (m_axi_awaddr),
    .m_axi_awlen  (m_axi_awlen),
    .m_axi_awsize (m_axi_awsize),
    .m_axi_awburst(m_axi_awburst),
    .m_axi_awlock (m_axi_awlock),
    .m_axi_awcache(m_axi_awcache),
    .m_axi_awprot (m_axi_awprot),
    .m_axi_awqos  (m_axi_awqos),
    .m_axi_awvalid(m_axi_awvalid),
    .m_axi_awready(m_axi_awready),
    .m_axi_wdata  (m_axi_wdata),
    .m_axi_wstrb  (m_axi_wstrb),
    .m_axi_wlast  (m_axi_wlast),
    .m_axi_wvalid (m_axi_wvalid),
    .m_axi_wready (m_axi_wready),
    .m_axi_bid    (m_axi_bid),
    .m_axi_bresp  (m_axi_bresp),
    .m_axi_bvalid (m_axi_bvalid),
    .m_axi_bready (m_axi_bready)
  );

  // The first engine to fail stops the other at once (stop_i), so at most both fail in the
  // same cycle; the read engine's report wins then.
  assign busy_o      = rd_busy || wr_busy;
  assign err_valid_o = rd_err || wr_err;
  assign err_code_o  = rd_err ? rd_err_code : wr_err_code;
  assign err_addr_o  = rd_err ? rd_err_addr : wr_err_addr;
endmodule
