// Network-level simulation: the accelerator and a DRAM model, with the register port and the
// interrupt left for the testbench (Python programs registers and waits for the interrupt).
module tessel_sim_top
  import tessel_config_pkg::*;
  import tessel_regs_pkg::*;
#(
  /// DMA window base: where the DRAM model starts.
  parameter longint unsigned MemBase = 64'h1000_0000,
  /// DRAM model size in bytes.
  parameter longint unsigned MemBytes = 64'h200_0000
) (
  input  logic                     clk_i,
  input  logic                     rst_i,
  output logic                     irq_o,
  input  logic [RegsAddrWidth-1:0] s_axil_awaddr,
  input  logic                     s_axil_awvalid,
  output logic                     s_axil_awready,
  input  logic [31:0]              s_axil_wdata,
  input  logic [3:0]               s_axil_wstrb,
  input  logic                     s_axil_wvalid,
  output logic                     s_axil_wready,
  output logic [1:0]               s_axil_bresp,
  output logic                     s_axil_bvalid,
  input  logic                     s_axil_bready,
  input  logic [RegsAddrWidth-1:0] s_axil_araddr,
  input  logic                     s_axil_arvalid,
  output logic                     s_axil_arready,
  output logic [31:0]              s_axil_rdata,
  output logic [1:0]               s_axil_rresp,
  output logic                     s_axil_rvalid,
  input  logic                     s_axil_rready
);
  localparam int unsigned DW = AxiDataWidth, AW = AxiAddrWidth, IW = AxiIdWidth;
  logic [IW-1:0] awid, bid, arid, rid;
  logic [AW-1:0] awaddr, araddr;
  logic [7:0] awlen, arlen;
  logic [DW-1:0] wdata, rdata;
  logic [DW/8-1:0] wstrb;
  logic [1:0] bresp, rresp;
  logic awvalid, awready, wlast, wvalid, wready, bvalid, bready;
  logic arvalid, arready, rlast, rvalid, rready;
  // The weight masters (one tied-off master when the configuration has none).
  localparam int unsigned WP = (AxiWeightPorts > 0) ? AxiWeightPorts : 1;
  logic [WP-1:0][IW-1:0] wt_arid, wt_rid;
  logic [WP-1:0][AW-1:0] wt_araddr;
  logic [WP-1:0][7:0] wt_arlen;
  logic [WP-1:0][DW-1:0] wt_rdata;
  logic [WP-1:0][1:0] wt_rresp;
  logic [WP-1:0] wt_arvalid, wt_arready, wt_rlast, wt_rvalid, wt_rready;

  tessel_top u_top (
    .clk_i, .rst_i, .irq_o,
    .s_axil_awaddr, .s_axil_awvalid, .s_axil_awready, .s_axil_wdata, .s_axil_wstrb,
    .s_axil_wvalid, .s_axil_wready, .s_axil_bresp, .s_axil_bvalid, .s_axil_bready,
    .s_axil_araddr, .s_axil_arvalid, .s_axil_arready, .s_axil_rdata, .s_axil_rresp,
    .s_axil_rvalid, .s_axil_rready,
    .m_axi_awid (awid), .m_axi_awaddr (awaddr), .m_axi_awlen (awlen), .m_axi_awsize (),
    .m_axi_awburst (), .m_axi_awlock (), .m_axi_awcache (), .m_axi_awprot (), .m_axi_awqos (),
    .m_axi_awvalid (awvalid), .m_axi_awready (awready),
    .m_axi_wdata (wdata), .m_axi_wstrb (wstrb), .m_axi_wlast (wlast), .m_axi_wvalid (wvalid),
    .m_axi_wready (wready), .m_axi_bid (bid), .m_axi_bresp (bresp), .m_axi_bvalid (bvalid),
    .m_axi_bready (bready),
    .m_axi_arid (arid), .m_axi_araddr (araddr), .m_axi_arlen (arlen), .m_axi_arsize (),
    .m_axi_arburst (), .m_axi_arlock (), .m_axi_arcache (), .m_axi_arprot (), .m_axi_arqos (),
    .m_axi_arvalid (arvalid), .m_axi_arready (arready),
    .m_axi_rid (rid), .m_axi_rdata (rdata), .m_axi_rresp (rresp), .m_axi_rlast (rlast),
    .m_axi_rvalid (rvalid), .m_axi_rready (rready),
    .m_axi_wt_arid (wt_arid), .m_axi_wt_araddr (wt_araddr), .m_axi_wt_arlen (wt_arlen),
    .m_axi_wt_arsize (), .m_axi_wt_arburst (), .m_axi_wt_arlock (), .m_axi_wt_arcache (),
    .m_axi_wt_arprot (), .m_axi_wt_arqos (), .m_axi_wt_arvalid (wt_arvalid),
    .m_axi_wt_arready (wt_arready), .m_axi_wt_rid (wt_rid), .m_axi_wt_rdata (wt_rdata),
    .m_axi_wt_rresp (wt_rresp), .m_axi_wt_rlast (wt_rlast), .m_axi_wt_rvalid (wt_rvalid),
    .m_axi_wt_rready (wt_rready)
  );

  tessel_axi_mem #(.DataWidth(DW), .AddrWidth(AW), .IdWidth(IW), .Base(MemBase), .Bytes(MemBytes),
                   .ExtraReads(AxiWeightPorts)) u_mem (
    .clk_i, .rst_i,
    .s_axi_awid (awid), .s_axi_awaddr (awaddr), .s_axi_awlen (awlen), .s_axi_awvalid (awvalid),
    .s_axi_awready (awready), .s_axi_wdata (wdata), .s_axi_wstrb (wstrb), .s_axi_wlast (wlast),
    .s_axi_wvalid (wvalid), .s_axi_wready (wready), .s_axi_bid (bid), .s_axi_bresp (bresp),
    .s_axi_bvalid (bvalid), .s_axi_bready (bready),
    .s_axi_arid (arid), .s_axi_araddr (araddr), .s_axi_arlen (arlen), .s_axi_arvalid (arvalid),
    .s_axi_arready (arready), .s_axi_rid (rid), .s_axi_rdata (rdata), .s_axi_rresp (rresp),
    .s_axi_rlast (rlast), .s_axi_rvalid (rvalid), .s_axi_rready (rready),
    .s_axi_x_arid (wt_arid), .s_axi_x_araddr (wt_araddr), .s_axi_x_arlen (wt_arlen),
    .s_axi_x_arvalid (wt_arvalid), .s_axi_x_arready (wt_arready), .s_axi_x_rid (wt_rid),
    .s_axi_x_rdata (wt_rdata), .s_axi_x_rresp (wt_rresp), .s_axi_x_rlast (wt_rlast),
    .s_axi_x_rvalid (wt_rvalid), .s_axi_x_rready (wt_rready)
  );
endmodule
